"""Who a figure is about: models, chips and companies named in a text, in Chinese and English.

Each entity has a family and an optional version (``deepseek`` / ``v3``, ``llama`` / ``4-scout``); two mentions of
one family with different versions never match, so "DeepSeek-V3" is never evidence for "DeepSeek-V2". Companies
have bilingual aliases (英伟达 = NVIDIA). Other product names (3FS, FlashMLA) are read by their shape.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

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
        if re.fullmatch(
            r"[\d.]+(?:[KMBT]|[KMGTP]i?B|[GM]Hz|[KMGT]?FLOPS|nm|ms|W)s?", m.group(0), re.IGNORECASE
        ):
            continue  # an amount with its unit ("808B", "16GB"), not a name
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
_NOT_PRODUCTS = frozenset({
    "FP4", "FP6", "FP8", "FP16", "FP32", "FP64", "BF16", "TF32", "INT4", "INT8", "SXM", "SXM4", "SXM5",
    "PCIe", "NVLink", "NVSwitch", "InfiniBand", "MoE", "TFlops", "TFLOPs", "GFlops", "PFlops", "TiB", "GiB",
    "MiB", "KiB", "CO2", "CO2eq", "HuggingFace", "GitHub", "ModelScope", "YouTube", "PyTorch", "TensorFlow",
    "LaTeX", "JavaScript", "TypeScript", "WeChat", "iPhone", "macOS", "CUDA12", "H2", "Q1", "Q2", "Q3",
    "Q4", "H1", "FY2024", "FY2025", "FY2026", "2D", "3D", "4K", "8K", "5G", "4G", "1K", "2K", "16K", "32K",
    "64K", "128K", "256K", "1M", "10K", "100K",
})  # fmt: skip


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
