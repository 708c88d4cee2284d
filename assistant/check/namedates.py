"""Names and dates in a sentence: the tokens two sentences are aligned on, the dates they write, and whether a
differing stretch reads as a name (capitalised English words, Chinese words jieba tags as nouns or the index finds
rare) or is only another way of naming the same thing (an alias, a version of one product)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from tools.dates import MONTHS, find_dates

if TYPE_CHECKING:
    from assistant.check.evidence import EvidenceFinder

Kind = Literal["name", "date"]

CONNECTORS = frozenset({"of", "the", "de", "del", "der", "van", "von", "da", "di", "du", "la", "le", "v", "vs"})
STOP_CAPS = frozenset({
    "a", "an", "the", "this", "that", "these", "those", "it", "its", "he", "she", "they", "we", "in", "on", "at",
    "by", "for", "as", "but", "and", "or", "if", "when", "while", "after", "before", "since", "his", "her", "their",
})
_NAME_GAP = re.compile(r"\.?[ \u00a0]?")
_NAME_TAGS = ("n", "eng", "j")  # jieba part-of-speech tags of nouns, proper names, Latin words, abbreviations

TOKEN = re.compile(
    r"(?P<latin>[A-Za-z\u00C0-\u024F][A-Za-z0-9\u00C0-\u024F\-]*(?:['’](?!s\b)[A-Za-z]+)*)"  # "Goodell|'s"
    r"|(?P<num>\d+(?:[.,]\d+)*)|(?P<cjk>[\u3400-\u9fff])"
)
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)年|\b(?:in|since|from|until)\s+((?:19|20)\d\d)\b", re.I)


@dataclass(slots=True, frozen=True)
class Token:
    """A word, a number or one CJK character, case folded, with its offsets."""

    norm: str
    start: int
    end: int
    kind: str  # latin, num, cjk


@dataclass(slots=True)
class Span:
    """A stretch of a sentence: character offsets (absolute) and its kind."""

    kind: Kind
    start: int
    end: int
    text: str
    date: tuple[int | None, int | None, int | None] | None = None


def tokens(text: str, lo: int = 0, hi: int | None = None) -> list[Token]:
    """Words, numbers and single CJK characters of ``text[lo:hi]`` with absolute offsets (punctuation dropped)."""
    hi = len(text) if hi is None else hi
    return [
        Token(m.group().casefold(), m.start(), m.end(), m.lastgroup or "")
        for m in TOKEN.finditer(text, lo, hi)
    ]


# --- dates --------------------------------------------------------------------------------------------------


def dates_in(text: str, lo: int, hi: int) -> list[Span]:
    """Dates of ``text[lo:hi]`` ("April 18, 2024", "2023年3月16日", "3月16日", "1991年", "in 2019")."""
    part = text[lo:hi]
    spans = [(s, e) for s, e, *_ in find_dates(part)]
    for m in _YEAR.finditer(part):
        if not any(s < m.end() and m.start() < e for s, e in spans):
            spans.append(m.span(1) if m.group(1) else m.span(2))
    out = []
    for s, e in sorted(spans):
        fields = _date_fields(part[s:e])
        if fields is not None:
            out.append(Span("date", lo + s, lo + e, part[s:e], fields))
    return out


def _date_fields(text: str) -> tuple[int | None, int | None, int | None] | None:
    """(year, month, day) written in a date, each None when not given."""
    year = month = day = None
    if m := re.search(r"(?<!\d)((?:19|20)\d\d)(?!\d)", text):
        year = int(m.group(1))
    if m := re.search(r"(\d{1,2})\s*月(?:\s*(\d{1,2})\s*[日号])?", text):
        month = int(m.group(1))
        day = int(m.group(2)) if m.group(2) else None
    elif m := re.search(r"\b([A-Za-z]{3,9})\.?\b", text):
        month = MONTHS.get(m.group(1).casefold())
        rest = (text[: m.start()] + " " + text[m.end():]).replace(str(year or ""), " ", 1)
        if month is not None and (d := re.search(r"(?<!\d)(\d{1,2})(?!\d)", rest)):
            day = int(d.group(1))
    elif m := re.search(r"(?<!\d)(\d{4})-(\d{1,2})(?:-(\d{1,2}))?", text):
        month = int(m.group(2))
        day = int(m.group(3)) if m.group(3) else None
    if year is None and month is None:
        return None
    return year, month, day


def dates_conflict(a: Span, b: Span) -> bool:
    """Two dates conflict when a field both give differs (a bare "3月16日" agrees with "2023年3月16日")."""
    if a.date is None or b.date is None:
        return False
    both = [(x, y) for x, y in zip(a.date, b.date, strict=True) if x is not None and y is not None]
    return bool(both) and any(x != y for x, y in both)


# --- names --------------------------------------------------------------------------------------------------


def latin_run(text: str, toks: Sequence[Token], i: int, j: int, *, grow: str = "both") -> tuple[int, int] | None:
    """Token range [i, j) grown to the whole capitalised name around it ("Casey" -> "Casey Affleck"); None when a
    token inside is an ordinary lowercase word."""

    def is_cap(t: Token) -> bool:
        return t.kind == "latin" and text[t.start].isupper()

    def is_name(k: int) -> bool:
        t = toks[k]
        if is_cap(t) or (t.kind == "num" and k > 0 and is_cap(toks[k - 1])):
            return True
        inner = 0 < k < len(toks) - 1 and is_cap(toks[k - 1]) and is_cap(toks[k + 1])
        return t.norm in CONNECTORS and inner

    if not all(is_name(k) for k in range(i, j)):
        return None
    if not any(is_cap(toks[k]) and toks[k].norm not in STOP_CAPS for k in range(i, j)):
        return None
    def joined(k: int) -> bool:  # tokens k-1 and k are written as one name: a space or an initial's dot between
        return _NAME_GAP.fullmatch(text[toks[k - 1].end : toks[k].start]) is not None

    def grows(k: int) -> bool:  # the context a name runs on into: not through "of" ("Matsuyama of Ireland")
        return is_name(k) and toks[k].norm not in CONNECTORS

    if grow in ("both", "left"):
        # never into the sentence's first word: its capital says where it stands, not that it is a name
        while i > 1 and grows(i - 1) and joined(i):
            i -= 1
    if grow in ("both", "right"):
        while j < len(toks) and grows(j) and joined(j):
            j += 1
    while i < j and toks[i].norm in STOP_CAPS | CONNECTORS:
        i += 1  # "The" opening a sentence is not part of the name
    return (i, j) if i < j else None


def cjk_word_bounds(text: str, lo: int, hi: int) -> list[int]:
    """Word boundaries (absolute offsets) of jieba's segmentation of ``text[lo:hi]``."""
    from assistant.text import _jieba

    bounds, pos = [lo], lo
    for w in _jieba().cut(text[lo:hi], HMM=True):
        pos += len(w)
        bounds.append(pos)
    return bounds


def grow_cjk(bounds: Sequence[int], start: int, end: int) -> tuple[int, int]:
    s = max((b for b in bounds if b <= start), default=start)
    e = min((b for b in bounds if b >= end), default=end)
    return s, e


def cjk_name_like(span: str, finder: EvidenceFinder | None) -> bool:
    """A Chinese stretch that reads as a name: a noun or proper name by jieba's tags, in 《》, or rare in the
    index (so "表示" / "指出" never count, "葡萄牙" / "西班牙" do)."""
    if len(span) < 2:
        return False
    if "·" in span or span.startswith("《"):
        return True
    import jieba.posseg

    if any(p.flag.startswith(_NAME_TAGS) for p in jieba.posseg.cut(span)):
        return True
    if finder is not None:
        names = finder.aligner.rare_names(span)
        return bool(names) and any(len(n) >= 2 for n in names)
    return False


def norm(text: str) -> str:
    """Letters and digits only, case folded: "J·K·罗琳" -> "jk罗琳"."""
    return "".join(ch for ch in text.casefold() if ch.isalnum())


def aliases(a: str, b: str) -> bool:
    """Two ways of naming one thing: one inside the other, the same words reordered, or the same last word."""
    na, nb = norm(a), norm(b)
    if not na or not nb or na in nb or nb in na:
        return True
    wa = re.findall(r"[A-Za-z0-9\u00C0-\u024F]+", a.casefold())
    wb = re.findall(r"[A-Za-z0-9\u00C0-\u024F]+", b.casefold())
    # a shared surname ("Ben Affleck" / "Casey Affleck") may be two people, but is not flagged; a shared number
    # ("Nova 2" / "Orion 2") says nothing
    surname = bool(wa and wb) and wa[-1] == wb[-1] and wa[-1].isalpha() and len(wa[-1]) > 2
    return bool(wa and wb and set(wa) == set(wb)) or surname


def family(text: str) -> str:
    """The letters a name opens with: "DeepSeek-V3" -> "deepseek", "Llama2" -> "llama"."""
    m = re.match(r"[^\W\d_]+", text.casefold().strip())
    return m.group() if m else ""


def same_family(a: str, b: str) -> bool:
    """Two versions of one product ("Llama 3.3" / "Llama 3.2", "DeepSeek-V2" / "DeepSeek-V3"): model cards and
    READMEs of versions repeat each other's sentences, so a different version is not a wrong name."""
    fa, fb = family(a), family(b)
    if min(len(fa), len(fb)) >= 3 and (fa.startswith(fb) or fb.startswith(fa)):
        return True  # "DeepSeekMoE" / "DeepSeek-V3" too
    wa = {w for w in re.findall(r"[^\W\d_]{2,}", a.casefold()) if w not in STOP_CAPS}
    wb = {w for w in re.findall(r"[^\W\d_]{2,}", b.casefold()) if w not in STOP_CAPS}
    return bool(wa & wb)


def anchored(context: str, finder: EvidenceFinder | None) -> bool:
    """Whether the words the two sentences share name something of their own: a name rare in the index
    ("Tesla", "诺贝尔"), not only generic words. "The X model supports commercial use" is true of many models,
    so another model's name in that sentence contradicts nothing."""
    if finder is None or not callable(getattr(finder.retriever, "term_idf", None)):
        # no index statistics: any capitalised word past the first, or Chinese words
        caps = [m for m in re.finditer(r"\b[A-Z][\w-]+", context) if m.start() > 0]
        return bool(caps) or len(re.findall(r"[\u3400-\u9fff]", context)) >= 4
    for name in finder.aligner.rare_names(context):
        if re.search(r"[\u3400-\u9fff\d]", name):
            return True
        for m in re.finditer(re.escape(name), context, re.I):
            if context[m.start()].isupper():  # rare and capitalised: a name even opening the sentence
                return True
    return False


def is_label(text: str, end: int) -> bool:
    """A field label ("Note:", "**Release Date:**"), not a name in a sentence."""
    return re.match(r"[*_\s]*[:：]", text[end : end + 4]) is not None


def named(toks: Sequence[Token], span: tuple[int, int], finder: EvidenceFinder | None) -> bool:
    """A lone capitalised word opening a sentence is a name only when the index finds it rare ("Alexa", not
    "Note"): its capital may only mark where the sentence starts."""
    i, j = span
    if j - i > 1 or i > 0 or finder is None:
        return True
    return bool(finder.aligner.rare_names(toks[i].norm))
