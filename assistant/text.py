"""Language, sentence and token utilities shared by ingest, retrieval, answering and checking.

The one home of the shared text rules: what counts as a CJK character (``CJK``, ``CJK_WIDE``), a Markdown table
rule and where a table begins, Markdown emphasis, the words for "the year before", the input length check and the millisecond timer. Pure functions over strings. The only
heavy resource is jieba's dictionary, loaded on first use and cached for the process (never at import); its
extra words come from the domain pack.
"""

from __future__ import annotations

import functools
import logging
import re
import threading
import time
import unicodedata
from collections.abc import Iterable, Mapping
from pathlib import PurePath
from types import MappingProxyType
from typing import Any

from assistant.errors import InputError, TooLargeError
from assistant.models import Language

logger = logging.getLogger(__name__)

# CJK Unified Ideographs (+ extension A and compatibility ideographs): what counts as "Chinese" here.
CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# ... plus CJK punctuation (。，「」) and full-width forms (％，０-９): what is written two columns wide.
CJK_WIDE = CJK + "\u3000-\u303f\uff00-\uffef"
CJK_RE = re.compile(f"[{CJK}]")
CJK_WIDE_RE = re.compile(f"[{CJK_WIDE}]")
_CJK = CJK
_CJK_RE = CJK_RE
# A Markdown table's rule line: "|---|:---:|" (the header row sits above it).
# Words that date something to the year before the one in view ("上年末", "去年", "a year earlier", "the previous
# year"): a question about such a year does not ask about the year it writes, and a figure they stand by is not of
# its sentence's year.
# The words between the two figures of a change written "from X to Y" ("从 54.9% 提升至 71.5%", "$4 → $2"): one
# vocabulary for the answer side (the value a change came to) and the claim side (a figure's clause).
CHANGED_TO = (
    r"(?:提升至|提升到|提高至|提高到|增长到|增加到|上涨到|上升至|下降到|下调至|下调到|上调至|上调到|降到|降至|升至|升到|增至|"
    r"涨到|涨至|跌到|跌至|到|至|to|->|→)"
)
PREVIOUS_YEAR_ZH = r"上年|去年|上一年|前一年|上一?个?财年|上一年度"
PREVIOUS_YEAR_EN = (
    r"(?:a|one|the)\s+year\s+(?:earlier|before|ago)|(?:the\s+)?(?:previous|prior|last)\s+(?:fiscal\s+)?year|the\s+year\s+before"
)

TABLE_RULE_RE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*$")
# Markdown emphasis and code marks, which split a figure from its scale ("**39.3**M GPU hours").
EMPHASIS_RE = re.compile(r"\*\*|__|`")


def has_cjk(text: str) -> bool:
    """Whether ``text`` holds a CJK ideograph."""
    return CJK_RE.search(text) is not None


def is_table_rule(line: str) -> bool:
    """Whether ``line`` is a Markdown table's rule line ("|---|---:|")."""
    return TABLE_RULE_RE.match(line) is not None


def table_top(text: str, start: int, reach: int) -> int | None:
    """Where the first line of the Markdown table holding position ``start`` begins (its header row), looked
    for at most ``reach`` characters back; None when ``start`` is on no table line or the top is out of reach."""
    line_start = text.rfind("\n", 0, start) + 1
    if not text[line_start : start + 1].lstrip().startswith("|"):
        return None
    lo = max(0, start - reach)
    top = line_start
    while top > lo:
        prev = text.rfind("\n", 0, top - 1) + 1
        if not text[prev:top].lstrip().startswith("|"):
            break
        top = prev
    return None if top <= lo and top != 0 else top


RECORD_FIELD_SEP = "; "  # how the CSV loader joins a record's "Column: value" fields, one record a line


def record_key(text: str, pos: int) -> tuple[int, int] | None:
    """The span of the leading "Column: value" field (the row's key) of the CSV record (line) holding ``pos``,
    when ``pos`` lies past it: a chunk cut from inside a long record does not write whose record it is."""
    line_start = text.rfind("\n", 0, pos) + 1
    end = text.find(RECORD_FIELD_SEP, line_start, pos)
    return None if end <= line_start else (line_start, end)


RECORD_REACH = 10_000  # a data record at most this long is read whole from any chunk of it


def record_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The whole CSV record (line) the span ``start``..``end`` lies in, when it is at most ``RECORD_REACH`` long,
    else the span itself: only a record's first chunk writes the row's key, and a field is read with its row."""
    lo = text.rfind("\n", 0, start) + 1
    hi = text.find("\n", end)
    hi = len(text) if hi < 0 else hi
    return (lo, hi) if hi - lo <= RECORD_REACH else (start, end)


_HEADING_LINE = re.compile(r"^(?:(#{1,6})[ \t]+(.+?)[ \t#]*|[ \t]*(```|~~~).*)$", re.MULTILINE)


def headings_above(text: str, pos: int, lo: int = 0) -> list[tuple[int, str]]:
    """The Markdown headings (level, text) whose sections contain ``pos``, outermost first, looked for from ``lo``
    on; a "# comment" inside a fenced code block is no heading."""
    path: list[tuple[int, str]] = []
    fenced = False
    for m in _HEADING_LINE.finditer(text, lo, pos):
        if m.group(3):
            fenced = not fenced
            continue
        if fenced:
            continue
        level = len(m.group(1))
        while path and path[-1][0] >= level:
            path.pop()
        path.append((level, m.group(2).strip()))
    return path


def strip_emphasis(text: str) -> str:
    """``text`` without Markdown emphasis and code marks ("**39.3**M" -> "39.3M"); offsets are not kept."""
    return EMPHASIS_RE.sub("", text)


def check_length(text: object, limit: int, what: str) -> str:
    """``text`` when it is a non-blank string of at most ``limit`` characters.

    Raises ``InputError`` for a blank or non-string value and ``TooLargeError`` above the limit, naming ``what``.
    """
    if not isinstance(text, str) or not text.strip():
        raise InputError(f"{what} is empty")
    if len(text) > limit:
        raise TooLargeError(f"{what} has {len(text)} characters; the limit is {limit}")
    return text


def elapsed_ms(t0: float) -> float:
    """Milliseconds since ``t0`` (a ``time.perf_counter()`` reading), rounded to microseconds."""
    return round((time.perf_counter() - t0) * 1000, 3)


_LATIN_RE = re.compile(r"[A-Za-z\u00c0-\u024f]")

# A CJK character carries about as much as a short Latin word, so it weighs more than one Latin letter
# when deciding the language; otherwise "DeepSeek-V3 的成本是多少" would count as English.
_CJK_WEIGHT = 2.0
_ZH_SHARE = 0.55
_EN_SHARE = 0.2


def detect_language(text: str) -> Language:
    """Classify text as "zh", "en", "mixed" or "unknown" by the weighted share of CJK vs Latin letters."""
    cjk = len(_CJK_RE.findall(text))
    latin = len(_LATIN_RE.findall(text))
    if cjk == 0 and latin < 2:
        return "unknown"
    weighted = cjk * _CJK_WEIGHT
    share = weighted / (weighted + latin)
    if share > _ZH_SHARE:
        return "zh"
    if share < _EN_SHARE:
        return "en"
    return "mixed"


# --- sentences ----------------------------------------------------------------------------------------

_CLOSERS = "\"'”’」』》〉）)】]"
_CLOSERS_RE = re.escape(_CLOSERS)
_BOUNDARY_RE = re.compile(
    rf"(?P<zh>[。！？；…]+[{_CLOSERS_RE}]*)"  # CJK terminators need no following space
    rf"|(?P<en>[.!?]+[{_CLOSERS_RE}]*)(?=\s|$)"  # Latin ones only before whitespace: not 2.788M, v3.2, e.g.,
    r"|(?P<para>\n[^\S\n]*\n)"  # a blank line always ends a paragraph
    r"|(?P<nl>\n)"
)
# Words that end with "." without ending a sentence (compared lowercased, without the final dot).
# fmt: off
_ABBREVIATIONS = frozenset((
    "e.g", "i.e", "al", "fig", "figs", "eq", "eqs", "sec", "secs", "tab", "tabs", "no", "nos", "vol", "vols",
    "pp", "p", "cf", "vs", "approx", "appx", "dr", "mr", "mrs", "ms", "prof", "jr", "sr", "st", "mt", "inc",
    "ltd", "corp", "co", "dept", "est", "ref", "refs", "ch", "para", "resp", "jan", "feb", "mar", "apr",
    "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec"
))
# fmt: on
_INITIALS_RE = re.compile(r"^(?:[A-Za-z]\.)+[A-Za-z]$|^[A-Z]$")
_WORD_BEFORE_RE = re.compile(r"([^\s(\[\"'“‘]+)$")
# A line starting like this begins a new block (heading, list item, table row, quote, code, html tag).
_BLOCK_START_RE = re.compile(r"[^\S\n]*(?:#{1,6}\s|[-*+•·▪●]\s|\d{1,3}[.)、]\s|\||>|```|<|!\[|【)")
# "1." "## 8." "3.2." at the start of a line number a list item or a heading; they end no sentence
_ENUMERATOR_RE = re.compile(r"[ \t#>*-]*\d{1,3}(?:\.\d{1,3})*")
_WORDISH_RE = re.compile(r"[^\W_]")
_SHORT_LINE = 50  # display width under which a line is not a wrapped line of a paragraph


def _display_width(s: str) -> int:
    return len(s) + len(_CJK_RE.findall(s))


def _is_abbreviation(text: str, dot: int) -> bool:
    """Whether the "." at ``dot`` closes an abbreviation or an initial rather than a sentence."""
    m = _WORD_BEFORE_RE.search(text, max(0, dot - 30), dot)
    if m is None:
        return False
    word = m.group(1)
    return word.lower() in _ABBREVIATIONS or bool(_INITIALS_RE.match(word))


def _next_visible(text: str, pos: int, end: int) -> str:
    while pos < end and text[pos].isspace():
        pos += 1
    return text[pos] if pos < end else ""


def _newline_ends_sentence(text: str, nl: int, start: int, end: int) -> bool:
    """A single newline ends a sentence unless it only wraps a long line of running text."""
    line_start = text.rfind("\n", start, nl) + 1
    if line_start < start:
        line_start = start
    prev = text[line_start:nl]
    if not prev.strip():
        return True
    if _BLOCK_START_RE.match(prev) and prev.lstrip()[:1] in "#|<`":
        return True  # headings, table rows, html and code lines stand alone
    if _display_width(prev.strip()) < _SHORT_LINE:
        return True
    return bool(_BLOCK_START_RE.match(text, nl + 1, end))


def split_sentences(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Sentence spans (absolute offsets, end exclusive) covering ``text[start:end]``, whitespace excluded.

    Ends at 。！？；… (with any closing quote) and at . ! ? followed by whitespace, except after abbreviations
    and initials (e.g., U.S., Fig. 3) or before a lowercase word; decimals and versions never split. Blank
    lines end a paragraph; a single newline ends a sentence unless it merely wraps a long line.
    """
    if end is None:
        end = len(text)
    cuts: list[int] = []
    for m in _BOUNDARY_RE.finditer(text, start, end):
        kind = m.lastgroup
        if kind == "en":
            dot = m.start()
            nxt = _next_visible(text, m.end(), end)
            if nxt.islower() and nxt.isascii():
                continue
            if (
                text[dot] == "."
                and m.group("en").rstrip(_CLOSERS) == "."
                and (
                    _is_abbreviation(text, dot)
                    or _ENUMERATOR_RE.fullmatch(text, text.rfind("\n", start, dot) + 1, dot)
                )
            ):
                continue
        elif kind == "nl" and not _newline_ends_sentence(text, m.start(), start, end):
            continue
        cuts.append(m.end())
    cuts.append(end)
    spans: list[tuple[int, int]] = []
    carry: int | None = None  # start of a leading piece without words, glued to the next sentence
    s = start
    for cut in cuts:
        a, b = s, cut
        s = cut
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if a >= b:
            continue
        if _WORDISH_RE.search(text, a, b) is None:
            # ". . ." leaders, stray symbols: not sentences of their own
            if spans:
                spans[-1] = (spans[-1][0], b)
            elif carry is None:
                carry = a
            continue
        if carry is not None:
            a, carry = carry, None
        spans.append((a, b))
    if carry is not None:
        spans.append((carry, s if s == end else end))
        a, b = spans[-1]
        while b > a and text[b - 1].isspace():
            b -= 1
        spans[-1] = (a, b)
    return spans


# --- tokens -------------------------------------------------------------------------------------------

_TOKEN_RE = re.compile(
    rf"(?P<num>\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?)"  # 14,800 -> 14800
    r"|(?P<word>[a-z0-9]+(?:[._\-/+][a-z0-9]+)*)"
    rf"|(?P<cjk>[{_CJK}]+)"
)
_PART_SPLIT_RE = re.compile(r"[_\-/+]")
# fmt: off
_EN_STOP = frozenset((
    "a", "an", "and", "are", "as", "at", "be", "been", "but", "by", "can", "could", "did", "do", "does",
    "for", "from", "had", "has", "have", "how", "i", "if", "in", "into", "is", "it", "its", "me", "my", "of",
    "on", "or", "our", "so", "than", "that", "the", "their", "them", "then", "there", "these", "they", "this",
    "those", "to", "us", "was", "we", "were", "what", "when", "where", "which", "who", "whom", "why", "will",
    "with", "would", "you", "your"
))
_ZH_STOP = frozenset((
    "的", "了", "是", "在", "和", "与", "及", "或", "也", "都", "而", "就", "被", "把", "这", "那", "之", "其", "等", "个", "中",
    "对", "为", "以", "于", "上", "吗", "呢", "吧", "啊", "呀", "着", "过", "什么", "多少", "哪些", "哪个", "如何", "怎么", "怎样",
    "是否", "一个", "这个", "那个", "我们", "你们", "他们", "它们", "以及"
))
# fmt: on


_JIEBA_LOCK = threading.Lock()


@functools.cache
def _jieba() -> Any:
    """The jieba tokenizer, built once per process (loading its dictionary takes ~1 s)."""
    with _JIEBA_LOCK:  # functools.cache alone would let two threads both build it
        return _build_jieba()


@functools.cache
def _build_jieba() -> Any:
    import jieba

    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    from assistant.domain import active_pack

    # terms of the field jieba's general dictionary splits apart ("算力" -> "算", "力")
    for word in active_pack().tokenizer_words:
        tokenizer.add_word(word)
    logger.debug("jieba dictionary loaded")
    return tokenizer


def warm_up() -> None:
    """Load the Chinese word dictionary now (e.g. at server start) instead of on the first Chinese text."""
    _jieba()


def tokenize(text: str) -> list[str]:
    """Lexical tokens for BM25: lowercased words and numbers plus jieba words for Chinese, without stopwords.

    Compound words keep their whole form and add their parts ("deepseek-v3" -> "deepseek-v3", "deepseek",
    "v3"); numbers with thousands separators lose the commas; punctuation and whitespace are dropped.
    """
    tokens: list[str] = []
    for m in _TOKEN_RE.finditer(text.lower()):
        kind = m.lastgroup
        if kind == "num":
            tokens.append(m.group().replace(",", ""))
        elif kind == "word":
            word = m.group()
            if word in _EN_STOP:
                continue
            tokens.append(word)
            if not word.isalnum():
                # split compounds, but "2.788m" and "u.s" stay whole
                parts = _PART_SPLIT_RE.split(word)
                if len(parts) > 1:
                    tokens.extend(p for p in parts if p and p not in _EN_STOP)
        else:
            run = m.group()
            if len(run) == 1:
                if run not in _ZH_STOP:
                    tokens.append(run)
                continue
            tokens.extend(w for w in _jieba().cut_for_search(run, HMM=True) if w not in _ZH_STOP)
    return tokens


_SPACES_RE = re.compile(r"\s+")


def normalize_for_match(text: str) -> str:
    """NFKC-normalise, lowercase and collapse whitespace runs to one space (for matching, not for offsets)."""
    return _SPACES_RE.sub(" ", unicodedata.normalize("NFKC", text).lower()).strip()


def name_like(token: str) -> bool:
    """A token that can name something: has a letter or a CJK character, is no bare number, and is not a single
    Latin letter."""
    if len(token) < 2 and token.isascii():
        return False
    return any(ch.isalpha() for ch in token) and not token.replace(".", "").isdigit()


def title_words(titles: Iterable[tuple[str, str]]) -> Mapping[str, tuple[int, ...]]:
    """The name-like tokens of documents' (title, source path) pairs, each with the positions of the documents
    it names: the words a collection names its documents by ("dbrx" of "DBRX_news_en.md", "百川" of "Baichuan 2
    百川大模型第二代")."""
    return _title_words(tuple(titles))


@functools.lru_cache(maxsize=8)
def _title_words(titles: tuple[tuple[str, str], ...]) -> Mapping[str, tuple[int, ...]]:
    """``title_words``, kept while the collection is unchanged (every question asks for them)."""
    named: dict[str, list[int]] = {}
    for i, (title, path) in enumerate(titles):
        stem = PurePath(path).stem.replace("_", " ")
        for word in set(tokenize(f"{title} {stem}")):
            if name_like(word):
                named.setdefault(word, []).append(i)
    return MappingProxyType({w: tuple(ix) for w, ix in named.items()})


_LINK = re.compile(r"\bhttps?://\S+|\bwww\.\S+", re.I)


def unlinked(text: str) -> str:
    """``text`` with its web addresses blanked out (same length, so offsets hold)."""
    return _LINK.sub(lambda m: " " * len(m.group()), text)
