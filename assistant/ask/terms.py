"""Key terms of a question, their weights, and how to find them in a sentence of either language.

A question's terms come from ``assistant.text.tokenize``; each term carries its surface forms (a small
bilingual glossary of domain words maps "参数" to "parameter", "谷歌" to "google", ...) and a weight. Weights
are the corpus IDF when the retriever can tell it, otherwise a heuristic by shape (names and model/chip ids
weigh most). Matching is by substring on a lowered text, so it costs microseconds per sentence.
"""

from __future__ import annotations

import functools
import math
import re
import unicodedata
from collections.abc import Iterable, Sequence
from typing import Any

from pydantic import BaseModel, Field

from assistant.text import tokenize
from tools.figures import parse_figures

# Groups of words that mean the same thing here, in Chinese and English. Domain vocabulary only: these let a
# Chinese question find its evidence in an English passage and the other way round.
GLOSSARY: tuple[tuple[str, ...], ...] = (
    ("参数", "parameter", "params"),
    ("gpu小时", "卡时", "gpu hour", "gpu-hour", "gpu hours"),
    ("训练", "train", "pre-train", "预训练"),
    ("成本", "cost", "费用", "花费", "开销"),
    ("价格", "price", "单价", "售价", "定价", "pricing", "价"),
    ("租金", "rent", "租赁", "租用", "rental"),
    ("token", "词元", "tokens"),
    ("推理", "inference", "serving", "解码", "decoding"),
    ("节点", "node"),
    ("带宽", "bandwidth"),
    ("显存", "memory", "hbm", "内存"),
    (
        "减少",
        "reduc",
        "降低",
        "下降",
        "节省",
        "saving",
        "decreas",
        "lower",
        "cut",
        "下调",
        "下跌",
        "fall",
        "fell",
        "drop",
        "declin",
    ),
    ("年底", "end of", "year-end", "年末"),
    ("指导", "guide", "guidance"),
    ("以来", "since"),
    ("增加", "increas", "提升", "提高", "增长", "boost", "grow", "rise"),
    ("份额", "share", "占比", "市场份额"),
    ("芯片", "chip", "加速器", "accelerator", "加速卡"),
    ("卡", "gpu", "显卡", "card"),
    ("销量", "sold", "sales", "出货", "shipment", "卖出", "销售"),
    ("收入", "revenue", "营收"),
    ("毛利率", "gross margin", "利润率", "margin"),
    ("利润", "profit"),
    ("出口", "export"),
    ("管制", "control", "限制", "restriction"),
    ("禁售", "ban", "禁令", "banned", "禁止"),
    ("吞吐", "throughput", "吞吐量"),
    ("读取", "read"),
    ("写入", "write"),
    ("收购", "acqui", "buy", "bought", "purchase"),
    ("支付", "pay", "paid", "花了"),
    ("输出", "output"),
    ("输入", "input"),
    ("倍", "times", "faster", "speedup", "speed-up", "fold"),
    ("上下文", "context"),
    ("扩展", "extension", "extend"),
    ("集群", "cluster"),
    ("模型", "model"),
    ("数据中心", "data center", "datacenter"),
    ("稀疏", "sparse"),
    ("专家", "expert"),
    ("招标", "tender", "procurement", "bid"),
    ("智算中心", "computing center", "computing centre", "算力中心"),
    ("市场", "market"),
    ("算力", "compute", "computing power"),
    ("峰值", "peak"),
    ("平均", "average", "mean"),
    ("每秒", "per second", "/s"),
    ("天", "day"),
    ("小时", "hour"),
    ("年", "year"),
    ("月", "month"),
    ("利用率", "utilization", "utilisation", "mfu"),
    ("英伟达", "nvidia"),
    ("谷歌", "google"),
    ("华为", "huawei"),
    ("昇腾", "ascend"),
    ("寒武纪", "cambricon"),
    ("英特尔", "intel"),
    ("阿里巴巴", "阿里", "alibaba"),
    ("百度", "baidu"),
    ("字节跳动", "字节", "bytedance"),
    ("腾讯", "tencent"),
    ("月之暗面", "moonshot", "kimi"),
    ("智谱", "zhipu", "glm"),
    ("通义千问", "千问", "qwen"),
    ("深度求索", "deepseek"),
    ("财新", "caixin"),
    ("美国", "u.s", "united states", "american"),
    ("中国", "china", "chinese"),
    ("政府", "government"),
    ("微调", "fine-tun", "finetun"),
    ("融资", "funding", "financing", "fundrais", "raised"),
    ("生成式", "generative"),
    ("人工智能", "artificial intelligence"),
    ("交易", "deal", "宗数", "transaction"),
    ("同比", "year-on-year", "year over year", "yoy"),
    ("估值", "valuation"),
    ("市值", "market value", "market cap"),
    ("股价", "share price", "stock price"),
    ("财报", "earnings", "quarterly report", "财年"),
    ("季度", "quarter"),
    ("指导价", "guide price", "list price", "报价"),
    ("二级市场", "secondary market"),
    ("研发", "r&d", "research and development"),
    ("机遇", "opportunit", "机会"),
    ("开源", "open-source", "open source", "open-weight"),
    ("激活", "activat", "active"),
    ("总参数", "total parameter"),
    ("上下文长度", "context length", "context window"),
    ("强化学习", "reinforcement learning", "rl"),
    ("吞吐率", "throughput"),
    ("延迟", "latency"),
    ("峰值性能", "peak performance"),
    ("利润率", "profit margin"),
    ("系列", "series", "family"),
    ("首次", "first"),
    ("盈利", "profitab", "profit"),
    ("一季度", "first quarter", "q1"),
    ("节点数", "node count", "number of nodes"),
    ("周", "week"),
    ("溢出", "overflow", "surplus"),
    ("供应", "supply"),
)


# Words that only shape a question ("how many", "多少"): never evidence.
def _words(text: str) -> list[str]:
    return text.split()


QUESTION_WORDS = frozenset(
    _words(
        "how many much does did do is was were what which who whose when where why take took takes use used "
        "according article report paper say says said tell total about approximately roughly exactly please "
        "there any some get got per number s reach reached reaches achieve achieved attain report reported "
        "state stated claim claimed mention mentioned show shows given need needed require required"
    )
) | frozenset(
    _words(
        "多少 总共 一共 共 请问 大约 大概 约 根据 文章 报道 据 称 有 是 要 需要 会 能 可以 哪 哪家 谁 几 达到 达 到 用了 多大"
    )
)

# Capitalised words that name a category, not one product or company.
GENERIC_CAPS = frozenset(
    _words(
        "gpus cpus tpus npus llms apis fp8/fp4 china chinese english united states tflops pflops flops tops gflops"
    )
)

_CJK_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_HAS_DIGIT = re.compile(r"\d")
_NUMBER_RE = re.compile(r"[\d.,]+")
_HAS_ALPHA = re.compile(r"[a-z]")
_COMPACT_RE = re.compile(r"[\s\-_·]+")
# Product and model names as written: a capitalised or upper-case word, optionally followed by a version
# ("Gaudi 3", "TPU v7", "Llama 3.1", "Kimi K2", "DeepSeek-V3", "H800").
_FUNCTION_WORDS = (
    r"(?!(?:If|On|In|The|A|An|What|How|Which|When|Where|Why|Who|Is|Are|Was|Were|Does|Did|Do|According|At|For|By|"
    r"From|To|With|And|Or|Of|As|After|Before|Over|Under|Than|Then|It|Its|This|That|These|Those)\b)"
)
_NAME_RE = re.compile(
    r"(?<![A-Za-z0-9])"
    + _FUNCTION_WORDS
    + r"(?:[A-Z][A-Za-z0-9]*(?:[-.][A-Za-z0-9]+)*)"
    # a version joins the name ("Kimi K2", "Llama 3.1", "TPU v7"); a chip does not ("DeepSeek H800")
    + r"(?:[\s-](?:[vVkKmM]?\d{1,2}(?:\.\d+)?[A-Za-z]?|[A-Z]\d{1,2})(?![\dA-Za-z]))?"
)
_SENTENCE_INITIAL = frozenset(
    {"how", "what", "which", "who", "when", "where", "why", "if", "on", "in", "a", "the"}
)


def _form_index() -> dict[str, int]:
    index: dict[str, int] = {}
    for i, group in enumerate(GLOSSARY):
        for form in group:
            index.setdefault(form.lower(), i)
    return index


_FORM_GROUP = _form_index()


class Term(BaseModel):
    """One key term of a question: its forms (any of which counts as present), weight, and whether it names a thing."""

    text: str
    label: str = Field("", description="The term as written in the question (for messages).")
    forms: tuple[str, ...]
    weight: float = Field(ge=0)
    name: bool = Field(False, description="A product, model, company or version name: distinctive evidence.")
    focus: bool = Field(False, description="Part of the phrase naming what is asked ('GPU hours', '单价').")


def normalize(text: str) -> str:
    """NFKC, lowercase: the form sentences and terms are compared in."""
    return unicodedata.normalize("NFKC", text).lower()


def compact(text: str) -> str:
    """``normalize`` without spaces, hyphens and underscores, so "Gaudi 3" matches "Gaudi3" and "gaudi-3"."""
    return _COMPACT_RE.sub("", normalize(text))


_SUFFIX_RE = re.compile(r"(?:ations?|ings?|ied|ies|ed|es|e|s|y)$")


def stem(word: str) -> str:
    """A crude English stem for prefix matching: "costing" -> "cost", "assume" -> "assum", "occupied" -> "occup"."""
    if not word.isascii() or not word.isalpha():
        return word
    stemmed = _SUFFIX_RE.sub("", word)
    return stemmed if len(stemmed) >= 4 else word


def forms_of(term: str, *, prefix: bool = True) -> tuple[str, ...]:
    """The term and the other words of its glossary group (prefix match on English words covers plurals;
    ``prefix=False`` for names, so "Kimi K2" does not become "Kimi")."""
    t = term.lower()
    group = _FORM_GROUP.get(t)
    if group is None and prefix and not _CJK_RE.search(t) and len(t) > 3:
        # "parameters" -> "parameter", "reduced" -> "reduc"
        for form, g in _FORM_GROUP.items():
            if not _CJK_RE.search(form) and len(form) > 3 and t.startswith(form):
                group = g
                break
    if group is None:
        return (stem(t),)
    return tuple(dict.fromkeys((stem(t), *(f.lower() for f in GLOSSARY[group]))))


def names_in(question: str) -> list[str]:
    """Names as written in the question: "Gaudi 3", "TPU v7", "H800", "DeepSeek-V3" (not a sentence's first word)."""
    out = []
    for m in _NAME_RE.finditer(question):
        word = m.group()
        if m.start() == 0 and word.lower() in _SENTENCE_INITIAL:
            continue
        if word.lower() in QUESTION_WORDS or word.lower() in _SENTENCE_INITIAL:
            continue
        if not _HAS_DIGIT.search(word) and (len(word) < 4 or word.lower() in GENERIC_CAPS):
            continue  # "GPU", "AI", "KV": upper-case, but not names of one thing
        out.append(word)
    return out


def _translated_name(name: str) -> tuple[str, ...]:
    """A name with a glossary word in it, in the other language too: "H-series" -> "h系列"."""
    parts = re.split(r"[\s\-]+", normalize(name))
    out = []
    for i, part in enumerate(parts):
        group = _FORM_GROUP.get(part)
        if group is None or i == 0:
            continue
        for other in GLOSSARY[group]:
            if other != part and bool(_CJK_RE.search(other)) != bool(_CJK_RE.search(part)):
                out.append("".join(parts[:i]) + other + "".join(parts[i + 1 :]))
    return tuple(out)


def heuristic_weight(term: str) -> float:
    """Weight of a term without corpus statistics: ids with digits and letters weigh most, single CJK least."""
    if _HAS_DIGIT.search(term) and _HAS_ALPHA.search(term):
        return 3.0
    if _CJK_RE.search(term):
        return 0.4 if len(term) == 1 else 1.0
    if term.isdigit():
        return 1.5
    return 1.0


def corpus_idf(retriever: Any, terms: Sequence[str]) -> dict[str, float]:
    """IDF of ``terms`` from the retriever's lexical statistics, when it exposes them ({} otherwise).

    Uses ``retriever.term_idf(terms)`` if present, else ``retriever.lexical.idf(term)``.
    """
    fn = getattr(retriever, "term_idf", None)
    if callable(fn):
        try:
            return dict(fn(list(terms)))
        except Exception:  # statistics are an optimisation; a failing store must not break answering
            return {}
    lexical = getattr(retriever, "lexical", None)
    idf = getattr(lexical, "idf", None)
    if callable(idf):
        try:
            return {t: float(idf(t)) for t in terms}
        except Exception:
            return {}
    return {}


def key_terms(
    question: str, idf: dict[str, float] | None = None, extra_stop: Iterable[str] = ()
) -> list[Term]:
    """The weighted key terms of a question: tokens minus question words, names kept whole and marked.

    ``idf`` (term -> corpus IDF) replaces the shape heuristic where known; a name's weight is doubled because
    evidence about another product is no evidence at all.
    """
    stop = QUESTION_WORDS | {s.lower() for s in extra_stop}
    figure_tokens = {t for f in parse_figures(question) for t in tokenize(f.text)}
    names = names_in(question)
    name_tokens: set[str] = set()
    terms: dict[str, Term] = {}
    for name in names:
        key = compact(name)
        if not key or key in stop or len(key) < 2:
            continue
        toks = tokenize(name)
        name_tokens.update(toks)
        w = _weight(key, toks, idf)
        terms[key] = Term(
            text=key,
            label=name,
            forms=forms_of(key, prefix=False)
            + ((normalize(name),) if " " in name else ())
            + _translated_name(name),
            weight=w * 2,
            name=True,
        )
    tokens = [
        t
        for t in dict.fromkeys(tokenize(question))
        if t not in stop and t not in terms and t not in name_tokens
    ]
    for tok in tokens:
        if len(tok) == 1 and tok.isascii():
            continue
        if re.search(r"[a-z][-/]|[-/][a-z]", tok):
            continue  # "government-led": tokenize also yields its parts, which match more loosely
        cjk = bool(_CJK_RE.search(tok))
        if cjk and any(tok != o and tok in o for o in tokens if _CJK_RE.search(o)):
            continue  # a part of a longer word ("吞吐" in "吞吐量") becomes one of that word's forms below
        parts = tuple(o for o in tokens if cjk and o != tok and len(o) >= 2 and o in tok)
        w = _weight(tok, [tok, *parts], idf)
        forms = forms_of(tok)
        for part in parts:
            forms += tuple(f for f in forms_of(part) if f not in forms)
        # letters with digits that are no figure ("3FS", "A100") name a product
        is_name = bool(_HAS_DIGIT.search(tok) and _HAS_ALPHA.search(tok)) and tok not in figure_tokens
        terms[tok] = Term(text=tok, label=tok, forms=forms, weight=w * (2 if is_name else 1), name=is_name)
    return list(terms.values())


def _weight(key: str, toks: Sequence[str], idf: dict[str, float] | None) -> float:
    if idf:
        known = [idf[t] for t in toks if t in idf]
        if known:
            # a compound is as rare as its rarest part; clamp so one unseen token cannot dominate
            return min(max(max(known), 0.3), 8.0) / 2.0
    return heuristic_weight(key)


class MatchText:
    """A sentence (or passage) prepared for term lookup: lowered once, compacted when a name needs it."""

    __slots__ = ("low", "_compact")

    def __init__(self, text: str, *, low: str | None = None) -> None:
        self.low = normalize(text) if low is None else low
        self._compact: str | None = None

    @property
    def compact(self) -> str:
        if self._compact is None:
            self._compact = _COMPACT_RE.sub("", self.low)
        return self._compact

    def part(self, start: int, end: int) -> MatchText:
        """The lowered text of ``[start, end)`` of the original, when lowering kept every offset (else re-lowered)."""
        return MatchText("", low=self.low[start:end])

    def has(self, term: Term) -> bool:
        """Whether any form of ``term`` occurs (English forms at a word start; names ignoring spaces/hyphens)."""
        return self.find(term) >= 0 or any(
            self._compact_hit(how, key) for how, _, key in _plans(term.forms, term.name)
        )

    def find(self, term: Term) -> int:
        """Offset (in the lowered text) of the first form of ``term`` found, or -1."""
        best = -1
        for how, form, _ in _plans(term.forms, term.name):
            if how == "cjk":
                i = self.low.find(form)
            elif how == "name":
                i = _name_find(self.low, form)
            else:
                i = _word_start_find(self.low, form, exact=how == "exact")
            if i >= 0 and (best < 0 or i < best):
                best = i
        return best

    def _compact_hit(self, how: str, key: str) -> bool:
        # spaced or hyphenated names also match their compact spelling ("gaudi 3" ~ "gaudi3")
        return how == "name" and len(key) >= 4 and _name_find(self.compact, key) >= 0


@functools.lru_cache(maxsize=4096)
def _plans(forms: tuple[str, ...], name: bool) -> tuple[tuple[str, str, str], ...]:
    """How to look for each form: 'cjk' substring, 'name' (no letter before, no digit after), 'exact' or 'prefix'."""
    out = []
    for form in forms:
        if _CJK_RE.search(form):
            out.append(("cjk", form, form))
        elif name:
            out.append(("name", form, _COMPACT_RE.sub("", form)))
        elif len(form) <= 2 or _NUMBER_RE.fullmatch(form):
            out.append(("exact", form, form))
        else:
            out.append(("prefix", form, form))
    return tuple(out)


def _name_find(text: str, key: str) -> int:
    # a name at a word start, not followed by more digits ("h800" is not in "h8000", "v3" not in "v32")
    i = text.find(key)
    while i >= 0:
        before = text[i - 1] if i > 0 else " "
        end = i + len(key)
        after = text[end] if end < len(text) else " "
        if not (before.isascii() and before.isalnum()) and not (after.isdigit() and key[-1].isdigit()):
            return i
        i = text.find(key, i + 1)
    return -1


def _word_start_find(text: str, form: str, *, exact: bool) -> int:
    i = text.find(form)
    while i >= 0:
        if i == 0 or not text[i - 1].isalnum() or not text[i - 1].isascii():
            end = i + len(form)
            if not exact or end >= len(text) or not text[end].isalnum() or not text[end].isascii():
                return i
        i = text.find(form, i + 1)
    return -1


def coverage(terms: Sequence[Term], text: MatchText, *, names_only: bool = False) -> float:
    """Weighted share of ``terms`` present in ``text`` (1.0 when there is nothing to cover)."""
    pool = [t for t in terms if t.name] if names_only else list(terms)
    total = sum(t.weight for t in pool)
    if total <= 0:
        return 1.0
    return sum(t.weight for t in pool if text.has(t)) / total


def relative_scores(scores: Sequence[float]) -> list[float]:
    """Retrieval scores scaled to 0..1 by the best one (fused scores have no absolute meaning)."""
    if not scores:
        return []
    top = max(scores)
    if top <= 0 or math.isnan(top):
        return [0.0 for _ in scores]
    return [max(s, 0.0) / top for s in scores]


def translated_query(terms: Sequence[Term]) -> str:
    """The question's key terms in the other language (via the glossary), names kept: a second query that lets
    lexical search reach documents written in the other language. Empty when nothing translates."""
    out: list[str] = []
    translated = 0
    for t in terms:
        if t.name:
            out.append(t.label or t.text)
            continue
        cjk = bool(_CJK_RE.search(t.text))
        other = [f for f in t.forms[1:] if bool(_CJK_RE.search(f)) != cjk]
        if other:
            out.extend(other[:2])
            translated += 1
    # names alone are a query too: an English question about "Groq" reaches the Chinese article naming it
    return " ".join(dict.fromkeys(out)) if translated or any(t.name for t in terms) else ""


_ALNUM_DOT = re.compile(r"[\s\-_·./\\]+")


def _key(text: str) -> str:
    return _ALNUM_DOT.sub("", normalize(text))


def about(names: Sequence[Term], title: str, path: str) -> float:
    """Weighted share of the question's names that a document's title or file name carries: a model card
    named "Llama_llama3_1_MODEL_CARD" is about "Llama 3.1"; "DeepSeek-V3.2-Exp" is not about "DeepSeek-V3"."""
    total = sum(t.weight for t in names)
    if total <= 0:
        return 0.0
    haystack = _key(title) + " " + _key(path.replace("\\", "/").rsplit("/", 1)[-1])
    got = 0.0
    for t in names:
        key = _key(t.label or t.text)
        i = haystack.find(key) if key else -1
        while i >= 0:
            end = i + len(key)
            if not (end < len(haystack) and haystack[end].isdigit() and key[-1].isdigit()):
                got += t.weight
                break
            i = haystack.find(key, i + 1)
    return got / total
