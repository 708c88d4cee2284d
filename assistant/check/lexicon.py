"""What a figure is about: the entities (models, chips, companies) and metric words around it, in both languages.

The checker decides "same quantity" from these, so the tables favour precision: each entity has a family and an
optional version (``deepseek`` / ``v3``), and two mentions of one family with different versions never match.
Metric words map to concept ids shared by Chinese and English ("GPU hours" and "GPU小时" are both ``gpu_hours``).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

# --- entities -----------------------------------------------------------------------------------------------

EntityClass = str  # "model" | "chip" | "company" | "org"


@dataclass(frozen=True, slots=True)
class Entity:
    """A named thing in a text: ``family`` groups versions (``llama`` 3.1 / 4), ``version`` may be empty."""

    family: str
    version: str
    cls: EntityClass
    surface: str = ""
    start: int = 0

    @property
    def key(self) -> str:
        return f"{self.family}:{self.version}" if self.version else self.family


_DASH = r"[\s\-\u2010-\u2015\ufffe\u00ad_]?"
# Model families whose mentions carry a version; the version group is normalised to lower case.
_MODEL_PATTERNS: list[tuple[str, str]] = [
    (
        "deepseek",
        rf"(?:DeepSeek|deepseek|Deepseek|深度求索){_DASH}(?P<v>(?:V\d(?:\.\d)?(?:-Exp)?|R1(?:-Zero)?|MoE|LLM|Coder(?:-V2)?|67B|Math)(?![A-Za-z0-9]|\.\d))?",
    ),
    ("deepseek", r"(?<![A-Za-z\d-])(?P<v>V[23](?:\.\d)?(?:-Exp)?|R1(?:-Zero)?)(?![A-Za-z0-9]|\.\d)"),
    # a size or variant is part of the version: "Llama 4 Scout" and "Llama 3.1 405B" are models of their own
    (
        "llama",
        rf"(?:Llama|LLaMA|llama|LLAMA){_DASH}(?P<v>\d(?:[._]\d)?(?:[\s-](?:Scout|Maverick|Behemoth|\d+B)(?![A-Za-z]))?)?(?!\d)",
    ),
    ("qwen", rf"(?:Qwen|qwen|通义千问){_DASH}(?P<v>\d(?:\.\d)?)?(?![\d])"),
    ("glm", rf"(?:ChatGLM|GLM){_DASH}(?P<v>\d(?:\.\d)?)?(?![\d])"),
    ("kimi", rf"(?:Kimi){_DASH}(?P<v>K\d(?:\.\d)?)?"),
    ("minimax", rf"(?:MiniMax){_DASH}(?P<v>M\d|Text-01|01)?"),
    ("gpt", rf"(?<![A-Za-z])GPT{_DASH}(?P<v>\d(?:\.\d)?o?|o\d)?"),
    ("claude", rf"Claude{_DASH}(?P<v>\d(?:\.\d)?)?"),
    ("gemini", rf"Gemini{_DASH}(?P<v>\d(?:\.\d)?)?"),
    ("mistral", r"(?:Mistral|Mixtral)"),
    ("grok", rf"Grok{_DASH}(?P<v>\d)?"),
]
# Chips: each name is its own version of the family "chip", so H100 and H800 never match each other.
_CHIP_RE = (
    r"(?<![A-Za-z\d\-])(?P<v>GB[23]00|[HAB]\d{2,3}[A-Z]?|L40S?|MI\d{3}X?|TPU\s?v\d[a-z]?|Gaudi\s?\d|"
    r"Blackwell|Hopper|Ampere|Rubin|Ascend\s?910[A-C]?|昇腾\s?910[A-C]?|昇腾|Ascend|思元\s?\d{3}|Trainium\d?)(?![A-Za-z\d])"
)
_COMPANIES: dict[str, tuple[str, ...]] = {
    "nvidia": ("NVIDIA", "Nvidia", "nvidia", "英伟达", "輝達", "NVDA"),
    "huawei": ("Huawei", "华为"),
    "intel": ("Intel", "英特尔"),
    "amd": ("AMD", "超威"),
    "meta": ("Meta", "脸书", "Facebook"),
    "google": ("Google", "谷歌", "Alphabet", "DeepMind"),
    "microsoft": ("Microsoft", "微软"),
    "openai": ("OpenAI",),
    "anthropic": ("Anthropic",),
    "alibaba": ("Alibaba", "阿里巴巴", "阿里云", "阿里"),
    "baidu": ("Baidu", "百度"),
    "bytedance": ("ByteDance", "字节跳动", "字节"),
    "tencent": ("Tencent", "腾讯"),
    "cambricon": ("Cambricon", "寒武纪"),
    "groq": ("Groq",),
    "moonshot": ("Moonshot", "月之暗面"),
    "zhipu": ("Zhipu", "智谱"),
    "amazon": ("Amazon", "亚马逊", "AWS"),
    "tsmc": ("TSMC", "台积电"),
    "samsung": ("Samsung", "三星"),
    "smic": ("SMIC", "中芯国际"),
    "xai": ("xAI",),
    "apple": ("Apple",),
    "oracle": ("Oracle", "甲骨文"),
    "coreweave": ("CoreWeave",),
    "us_government": (
        "美国政府",
        "US government",
        "U.S. government",
        "美国商务部",
        "Commerce Department",
        "拜登政府",
        "特朗普政府",
    ),
}
# Latin company names need word boundaries ("Meta" must not fire inside "metadata").
_LATIN_BOUNDARY = r"(?<![A-Za-z]){}(?![a-z])"


@functools.cache
def _entity_regexes() -> list[tuple[re.Pattern[str], str, EntityClass]]:
    out: list[tuple[re.Pattern[str], str, EntityClass]] = []
    for family, pattern in _MODEL_PATTERNS:
        out.append((re.compile(pattern), family, "model"))
    out.append((re.compile(_CHIP_RE), "chip", "chip"))
    for family, names in _COMPANIES.items():
        alts = []
        for name in sorted(names, key=len, reverse=True):
            esc = re.escape(name)
            alts.append(_LATIN_BOUNDARY.format(esc) if name.isascii() else esc)
        out.append((re.compile("|".join(alts)), family, "org" if family == "us_government" else "company"))
    return out


def _norm_version(v: str) -> str:
    v = v.lower().replace("_", ".").replace("昇腾", "ascend")
    v = re.sub(r"(?<=\d)\s+(?=\d)", "-", v)  # "3.2 1B" -> "3.2-1b"
    v = re.sub(r"\s+", "", v)
    return v


def find_entities(text: str, offset: int = 0, *, deepseek_context: bool = False) -> list[Entity]:
    """Entities mentioned in ``text`` (positions shifted by ``offset``), earliest first, overlaps removed.

    A bare "V3"/"R1" counts as a DeepSeek version only when the text (or, with ``deepseek_context``, the
    surrounding document) also names DeepSeek.
    """
    found: list[Entity] = []
    taken: list[tuple[int, int]] = []
    mentions_deepseek = deepseek_context or re.search(r"deepseek|深度求索", text, re.IGNORECASE) is not None
    for regex, family, cls in _entity_regexes():
        for m in regex.finditer(text):
            a, b = m.span()
            if any(a < e and s < b for s, e in taken):
                continue
            version = ""
            if "v" in regex.groupindex and m.group("v"):
                version = _norm_version(m.group("v"))
                bare = not m.group(0).lower().startswith(("deepseek", "深度求索"))
                if family == "deepseek" and bare and not mentions_deepseek:
                    continue
            if family == "chip":
                version = _norm_version(m.group("v"))
                if version in {"ascend", "ascend910", "昇腾"}:
                    version = "ascend"
            surface = m.group(0).rstrip(" -_\u2010\u2011\u2012\u2013\u2014\u2015\ufffe\u00ad")
            taken.append((a, a + len(surface)))
            found.append(Entity(family, version, cls, surface, offset + a))
    for m in _PRODUCT_RE.finditer(text):
        a, b = m.span()
        if len(m.group(0)) < 3 or m.group(0) in _NOT_PRODUCTS or any(a < e and s < b for s, e in taken):
            continue
        if re.fullmatch(r"[\d.]+(?:[KMBT]|[KMGTP]i?B|[GM]Hz|[KMGT]?FLOPS|nm|ms|W)s?", m.group(0), re.IGNORECASE):
            continue  # an amount with its unit ("808B", "16GB"), not a name
            continue
        taken.append((a, b))
        found.append(Entity(m.group(0).lower(), "", "product", m.group(0), offset + a))
    found.sort(key=lambda e: e.start)
    return found


# Other product names: CamelCase (FlashMLA, DeepGEMM), digit-led (3FS) or letters with digits (GSM8K). They
# name a claim's subject only when no known model, chip or company does.
_PRODUCT_RE = re.compile(
    r"(?<![A-Za-z0-9\-_.])(?:[A-Z][a-z]+[A-Z][A-Za-z0-9]*|\d+[A-Z][A-Za-z0-9]*|[A-Z][A-Za-z]*\d[A-Za-z0-9]*)"
    r"(?![A-Za-z0-9])"
)
_NOT_PRODUCTS = frozenset(
    "FP4 FP6 FP8 FP16 FP32 FP64 BF16 TF32 INT4 INT8 SXM SXM4 SXM5 PCIe NVLink NVSwitch InfiniBand MoE TFlops TFLOPs "
    "GFlops PFlops TiB GiB MiB KiB CO2 CO2eq HuggingFace GitHub ModelScope YouTube PyTorch TensorFlow LaTeX "
    "JavaScript TypeScript WeChat iPhone macOS CUDA12 H2 Q1 Q2 Q3 Q4 H1 FY2024 FY2025 FY2026 2D 3D 4K 8K 5G 4G "
    "1K 2K 16K 32K 64K 128K 256K 1M 10K 100K".split()
)


# --- metric concepts ----------------------------------------------------------------------------------------

# concept id -> (kind, "|"-separated surface forms). Kinds: "object" names what is measured; "stage" the part of a process;
# "direction" a change's sign; "qualifier" narrows the object. Latin forms match whole words (plus s/es/ed/ing);
# a trailing "*" makes a form a stem ("reduc*" matches reduces, reduction).
CONCEPTS: dict[str, tuple[str, str]] = {
    "gpu_hours": ("object", "gpu hour|gpu-hour|gpu小时|卡时|gpu 小时"),
    "tokens": ("object", "token|词元"),
    "params": ("object", "parameter|param|参数"),
    "cost": ("object", "cost|成本|费用|花费|spent|spend|budget"),
    "price": ("object", "price|pricing|rental|rent|lease|leasing|价格|租金|租赁|单价|报价|定价|租用"),
    "revenue": ("object", "revenue|sales|收入|营收|销售额"),
    "profit": ("object", "profit|earnings|利润|盈利|净利"),
    "margin": ("object", "margin|毛利率|利润率"),
    "share": ("object", "share|market share|份额|占比|市占率"),
    "tender": ("qualifier", "tender|procurement|招标|采购"),
    "kv_cache": ("object", "kv cache|kv-cache|kv缓存"),
    "throughput": ("object", "throughput|吞吐"),
    "speed": ("object", "faster|speedup|speed-up|speed|performance|速度|性能|加速|提速"),
    "efficiency": ("object", "efficiency|效率|效能"),
    "context": ("object", "context|context window|上下文"),
    "bandwidth": ("object", "bandwidth|带宽"),
    "memory": ("object", "memory|hbm|显存|内存"),
    "flops": ("object", "flops|tflops|petaflops|flop"),
    "market_cap": ("object", "market cap|market capitalization|market value|valuation|市值|估值"),
    "funding": ("object", "raise|raised|funding|financing|融资|募资|筹集"),
    "investment": ("object", "invest*|capex|capital expenditure|投资|资本支出"),
    "acquisition": ("object", "acquir*|acquisition|收购|并购"),
    "units_sold": ("object", "sold|shipped|shipment|出货|销量|售出"),
    # GPU and node counts are recognised by their unit only: "chip"/"芯片" mostly names the subject.
    "chips": ("object", ""),
    "nodes": ("object", ""),
    "energy": ("object", "power|energy|watt|功耗|能耗|电力"),
    "emissions": ("object", "emission|co2|co2eq|carbon|排放|碳"),
    "latency": ("object", "latency|延迟|时延"),
    "score": ("object", "score|accuracy|得分|准确率|分数"),
    "rd": ("object", "r&d|research and development|研发"),
    "stock_price": ("object", "stock price|share price|股价"),
    "experts": ("object", "expert|专家"),
    "layers": ("object", "layer"),
    "users": ("object", "user|用户"),
    "ban": ("object", "ban|banned|export control|export restriction|禁售|禁令|出口管制|断供"),
    "release": (
        "object",
        "release|released|launch|unveil*|announce|announced|"
        "open-source|open-sourced|发布|推出|开源|上线|宣布",
    ),
    "pretrain": ("stage", "pre-train*|pretrain*|预训练"),
    "posttrain": ("stage", "post-train*|posttrain*|后训练|sft|rlhf|reinforcement learning|强化学习"),
    "context_ext": ("stage", "context extension|context length extension|上下文扩展|长上下文扩展"),
    "finetune": ("stage", "fine-tun*|finetun*|微调"),
    "inference": ("stage", "inference|serving|decoding|推理|部署"),
    "train": ("stage", "train*|训练"),
    "total": (
        "qualifier",
        "full training|in total|total|overall|cumulative|总计|总共|合计|"
        "累计|总训练|总成本|总租金|总额|总量|总数|总价|总参数",
    ),
    "activated": ("qualifier", "activated|active|激活|活跃"),
    "data_center": ("qualifier", "data center|datacenter|data-center|数据中心"),
    "per_token": ("qualifier", "per token|each token|每个token|每token"),
    "per_trillion": ("qualifier", "per trillion|each trillion|每万亿|每一万亿"),
    "per_day": ("qualifier", "per day|daily|每天|每日|日均"),
    "per_million": ("qualifier", "per million|per 1m|每百万|每百万个"),
    "reduce": (
        "direction",
        "reduc*|save|saving|cut|lower|drop|fall|fell|decline|decrease|降低|"
        "降至|降幅|下降|减少|节省|节约|下调|下跌|下滑|缩减|削减|阴跌",
    ),
    "increase": (
        "direction",
        "increase|rise|rose|grow|growth|boost|surge|jump|增长|"
        "增加|上涨|跳涨|激增|提升|提高|翻番|涨幅|上调|增幅",
    ),
}
# Specific training stages exclude each other and "total"; a generic "train" fits any of them.
_EXCLUSIVE_STAGES = ("pretrain", "posttrain", "context_ext", "finetune", "inference")
# Units imply the object being measured, so "671B" with unit "param" is about parameters even without the word.
UNIT_OBJECTS: dict[str, str] = {
    "gpu_hour": "gpu_hours",
    "token": "tokens",
    "param": "params",
    "usd_per_gpu_hour": "price",
    "usd_per_hour": "price",
    "cny_per_gpu_hour": "price",
    "cny_per_hour": "price",
    "flop_per_s": "flops",
    "byte_per_s": "bandwidth",
    "gpu": "chips",
    "node": "nodes",
}


def _forms(forms: str) -> list[str]:
    return [f for f in forms.split("|") if f]


@functools.cache
def _concept_regex() -> tuple[re.Pattern[str], dict[str, str]]:
    surface_to_id: dict[str, str] = {}
    for cid, (_, forms) in CONCEPTS.items():
        for form in _forms(forms):
            surface_to_id.setdefault(form.rstrip("*"), cid)
    stems = {f.rstrip("*") for _, forms in CONCEPTS.values() for f in _forms(forms) if f.endswith("*")}
    alts: list[str] = []
    for form in sorted(surface_to_id, key=len, reverse=True):
        esc = re.escape(form)
        if not (form[:1].isascii() and form[:1].isalnum()):
            alts.append(esc)
        elif form in stems:
            alts.append(rf"(?<![a-z0-9]){esc}[a-z]*")
        else:
            alts.append(rf"(?<![a-z0-9]){esc}(?:s|es|ed|ing)?(?![a-z0-9])")
    return re.compile("|".join(f"(?:{a})" for a in alts)), surface_to_id


def _surface_id(match: str, surface_to_id: dict[str, str]) -> str:
    if match in surface_to_id:
        return surface_to_id[match]
    # strip the inflection the regex allowed, longest known prefix first
    for cut in range(len(match) - 1, 0, -1):
        if match[:cut] in surface_to_id:
            return surface_to_id[match[:cut]]
    raise KeyError(match)


def find_concepts(text: str) -> dict[str, str]:
    """Concept ids found in ``text`` mapped to the first surface form seen (case-insensitive for Latin).

    A compound form also counts for the forms inside it: "总成本" is total and cost, "pre-training" is
    pre-training and training.
    """
    return dict(_concepts_cached(text))


@functools.lru_cache(maxsize=8192)
def _concepts_cached(text: str) -> tuple[tuple[str, str], ...]:
    regex, surface_to_id = _concept_regex()
    out: dict[str, str] = {}
    lowered = text.lower()
    for m in regex.finditer(lowered):
        surface = text[m.start() : m.end()]
        out.setdefault(_surface_id(m.group(0), surface_to_id), surface)
        for inner in _inner_concepts(m.group(0)):
            out.setdefault(inner, surface)
    return tuple(out.items())


@functools.cache
def _inner_concepts(match: str) -> tuple[str, ...]:
    regex, surface_to_id = _concept_regex()
    own = _surface_id(match, surface_to_id)
    inner = []
    for form, cid in surface_to_id.items():
        if cid != own and form != match and len(form) >= 2 and form in match and regex.fullmatch(form):
            inner.append(cid)
    return tuple(dict.fromkeys(inner))


def concept_kind(cid: str) -> str:
    return CONCEPTS[cid][0]


def stages_conflict(a: set[str], b: set[str]) -> bool:
    """Whether two concept sets name incompatible stages (pre-training vs inference, total vs post-training)."""
    sa = {c for c in a if c in _EXCLUSIVE_STAGES}
    sb = {c for c in b if c in _EXCLUSIVE_STAGES}
    if sa and sb and not (sa & sb):
        return True
    # training of any kind is not inference ("训练成本" vs "inference costs per million tokens")
    for x, sx, sy in ((a, sa, sb), (b, sb, sa)):
        if "train" in x and "inference" not in sx and sy == {"inference"}:
            return True
    # "full training"/"total" with no stage of its own is the whole of training: one stage is a different
    # quantity ("a cumulative 7.38M GPU hours of pre-training" is still pre-training).
    for x, sx, y, sy in ((a, sa, b, sb), (b, sb, a, sa)):
        if "total" in x and "train" in x and not sx and "total" not in y and sy - {"inference"}:
            return True
    return False


def directions_conflict(a: set[str], b: set[str]) -> bool:
    """One side says the quantity fell, the other that it rose (each naming one direction only)."""
    da, db = a & {"reduce", "increase"}, b & {"reduce", "increase"}
    return len(da) == 1 and len(db) == 1 and da != db


# How a concept reads in a query, where its first listed forms read badly ("gpu hour", "train").
_QUERY_TERMS: dict[str, tuple[str, str]] = {
    "gpu_hours": ("GPU hours", "GPU小时"),
    "tokens": ("tokens", "Token"),
    "params": ("parameters", "参数"),
    "cost": ("cost", "成本"),
    "price": ("rental price", "租金"),
    "share": ("market share", "市场份额"),
    "kv_cache": ("KV cache", "KV缓存"),
    "speed": ("faster performance", "性能"),
    "pretrain": ("pre-training", "预训练"),
    "posttrain": ("post-training", "后训练"),
    "finetune": ("fine-tuning", "微调"),
    "train": ("training", "训练"),
    "total": ("total", "总"),
    "acquisition": ("acquisition", "收购"),
    "investment": ("investment", "投资"),
    "release": ("released", "发布"),
    "units_sold": ("sold", "销量"),
    "chips": ("GPUs", "卡"),
    "nodes": ("nodes", "节点"),
    "per_day": ("daily", "每天"),
    "inference": ("inference", "推理"),
    "revenue": ("revenue", "收入"),
}


def concept_terms(cid: str) -> tuple[str, str]:
    """The concept as an English and a Chinese query term."""
    if cid in _QUERY_TERMS:
        return _QUERY_TERMS[cid]
    forms = _forms(CONCEPTS[cid][1])
    en = next((f for f in forms if f.isascii()), "")
    zh = next((f for f in forms if not f.isascii()), "")
    return en.rstrip("*").strip(), zh.strip()


_ENTITY_NAMES: dict[str, tuple[str, str]] = {
    family: (names[0], next((n for n in names if not n.isascii()), names[0]))
    for family, names in _COMPANIES.items()
}


def entity_terms(entity: Entity) -> tuple[str, str]:
    """The entity as an English and a Chinese query term ("DeepSeek-V3" stays as is in both)."""
    if entity.cls in {"company", "org"}:
        return _ENTITY_NAMES.get(entity.family, (entity.surface, entity.surface))
    if entity.cls == "model":
        name = {"deepseek": "DeepSeek", "llama": "Llama", "qwen": "Qwen", "glm": "GLM", "kimi": "Kimi"}.get(
            entity.family, entity.surface
        )
        term = (
            f"{name}-{entity.version.upper()}"
            if entity.family == "deepseek" and entity.version
            else (f"{name} {entity.version}".strip() if entity.version else name)
        )
        return term, term
    return entity.surface, entity.surface
