"""What a figure measures: metric words mapped to concept ids shared by Chinese and English.

"GPU hours" and "GPU小时" are both ``gpu_hours``; "pre-training" and "预训练" are ``pretrain``. The checker's
"same quantity" test compares these concepts, so the table favours precision over recall.
"""

from __future__ import annotations

import functools
import re

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
    "context": ("object", "context|context window|context length|sequence length|max length|序列长度|上下文"),
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
    "score": ("object", "score|scored|scores|accuracy|得分|准确率|分数|成绩|精度"),
    "rd": ("object", "r&d|research and development|研发"),
    "stock_price": ("object", "stock price|share price|股价"),
    "experts": ("object", "expert|专家"),
    "layers": ("object", "layer|层数"),
    "heads": ("object", "attention head|n_heads|num_heads|注意力头|头数"),
    "users": ("object", "user|用户"),
    # a firm's people and its losses: news about AI firms states both in either language
    "headcount": ("object", "employee|staff|headcount|workforce|员工|雇员|职工"),
    "net_loss": ("object", "net loss|net losses|亏损|净亏损"),
    # architecture figures a model card states beside each other, often in one table: a vocabulary counts
    # entries (its "tokens" are not training data), a hidden size is a width
    "vocab": ("object", "vocabulary|vocab|tokenizer|词表|词汇表"),
    "hidden": ("object", "hidden size|hidden dimension|hidden_size|d_model|model width|隐藏层维度|隐藏维度|隐层维度"),
    "ban": ("object", "ban|banned|export control|export restriction|禁售|禁令|出口管制|断供"),
    "release": (
        "object",
        "release|released|launch|unveil*|announce|announced|publication date|published|"
        "open-source|open-sourced|发布|推出|开源|上线|宣布",
    ),
    "pretrain": ("stage", "pre-train*|pretrain*|预训练"),
    "posttrain": ("stage", "post-train*|posttrain*|后训练|sft|rlhf|reinforcement learning|强化学习"),
    "context_ext": ("stage", "context extension|context length extension|上下文扩展|长上下文扩展"),
    "finetune": ("stage", "fine-tun*|finetun*|微调"),
    "inference": ("stage", "inference|serving|decoding|deploy*|推理|部署"),
    "train": ("stage", "train*|训练"),
    "total": (
        "qualifier",
        "full training|in total|total|overall|cumulative|总计|总共|合计|"
        "累计|总训练|总成本|总租金|总额|总量|总数|总价|总参数",
    ),
    "activated": ("qualifier", "activated|activates|activate|active|激活|活跃"),
    "data_center": ("qualifier", "data center|datacenter|data-center|数据中心"),
    "per_token": ("qualifier", "per token|each token|每个token|每token"),
    "per_trillion": ("qualifier", "per trillion|each trillion|每万亿|每一万亿"),
    "per_day": ("qualifier", "per day|daily|每天|每日|日均"),
    "per_million": ("qualifier", "per million|per 1m|每百万|每百万个"),
    # a median of many offers is not any one offer's price
    "median": ("qualifier", "median|中位数|中位价|中位"),
    # the distinct part of a data set, not the tokens seen over several passes
    "unique": ("qualifier", "unique|deduplicated|去重|不重复"),
    # a result adjusted for one-off items is not the reported one
    "adjusted": ("qualifier", "adjusted|non-gaap|扣除非经常性损益|扣非"),
    "reduce": (
        "direction",
        "reduc*|save|saving|cut|lower|drop|fall|fell|decline|decrease|降低|"
        "降至|降幅|下降|减少|节省|节约|下调|下跌|下滑|缩减|削减|阴跌",
    ),
    "increase": (
        "direction",
        "increase|rise|rose|grow|growth|boost|surge|jump|增长|"
        "增加|上涨|上升|跳涨|激增|提升|提高|翻番|涨幅|上调|增幅",
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
    "token_per_s": "throughput",
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
        if cid == own or form == match or len(form) < 2 or form not in match or not regex.fullmatch(form):
            continue
        # a Latin form counts only at a word start inside the match ("training" in "pre-training", not "lease"
        # in "released")
        if form.isascii() and not re.search(rf"(?<![a-z0-9]){re.escape(form)}", match):
            continue
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
    "layers": ("layers", "层数"),
    "heads": ("attention heads", "注意力头数"),
    "experts": ("experts", "专家"),
    "vocab": ("vocabulary size", "词表大小"),
    "hidden": ("hidden size", "隐藏层维度"),
}


def concept_terms(cid: str) -> tuple[str, str]:
    """The concept as an English and a Chinese query term."""
    if cid in _QUERY_TERMS:
        return _QUERY_TERMS[cid]
    forms = _forms(CONCEPTS[cid][1])
    en = next((f for f in forms if f.isascii()), "")
    zh = next((f for f in forms if not f.isascii()), "")
    return en.rstrip("*").strip(), zh.strip()
