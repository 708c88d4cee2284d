"""Whether a parsed figure is of the kind a question asks for ("how many GPU hours" wants a GPU-hour figure).

A figure in one of the kind's units answers; a bare number (a table cell, "reached 278") answers when a focus
word of the question, the kind's cue word, its column's header or its section heading stands by it. Among
several, the figure whose clause holds most of the question's key words is taken.
"""

from __future__ import annotations

import re
from collections.abc import Sequence, Set

from assistant.ask.figureslots import own_margins, slot_coverage, slots
from assistant.ask.kindtable import BARE_COUNT, COUNT, AskedKind, cues_unreadable, match_kind
from assistant.ask.matching import MatchText
from assistant.ask.terms import Term
from tools.figures import Figure
from tools.units import MONEY_UNITS, PRICE_PER_HOUR_UNITS

# A bare number counts for the asked kind when a focus word (or the kind's cue) stands this close.
CUE_WINDOW = 40
_ASKS_RATE = re.compile(
    r"\bper\b|/\s*(?:hr|hour|h)\b|an?\s+hour|hourly|\bprice|\brent|每|单价|价格|租金|租赁|报价|售价|时薪|小时",
    re.IGNORECASE,
)


# A price asked per some unit other than a period ("每百万 token 定价", "price per GPU hour"): an amount written
# without a "per" beside it (a training run's "$10 million") is no such price.
_ASKS_PER_UNIT = re.compile(
    r"\bper\s+(?!cent\b|year\b|annum\b|month\b|quarter\b|day\b)\w|每(?!年|个?月|季|天|日)|/\s*[a-z]", re.I
)
_PER_MARK = re.compile(r"\bper\b|/|每|\ban?\s+(?:hour|[a-z]+\s+hour)\b|一小时|hourly", re.I)
# How far after (and before) an amount its "per" is looked for.
PER_WINDOW = 30
_AMOUNT_UNITS = MONEY_UNITS
_PER_AFTER = re.compile(r"\s*(?:per\b|/\s*[a-z\u4e00-\u9fff])")
_EACH = re.compile(r"每|\beach\b|\bevery\b|\bper\b")


# A year as written in a question or a sentence ("2024", "2024年"), not part of a longer number.
YEAR = re.compile(r"(?<![\d.])(?:19|20)\d\d(?![\d%]|\.\d)")


_YEAR_AFTER = re.compile(r"\s*(?:in|for|during|of)\s+(?:fiscal\s+)?((?:19|20)\d\d)(?![\d%]|\.\d)", re.I)


def dated_year(text: str, f: Figure) -> str | None:
    """The year a figure is dated to: written just after it ("$5 million in 2024"), else the last one before it in
    its sentence ("2024 年营收 9.89 亿元"); None when the sentence dates it to none."""
    if m := _YEAR_AFTER.match(text, f.end):
        return m.group(1)
    before = YEAR.findall(text[: f.start])
    return before[-1] if before else None


# A source the question cites before asking ("Per Caixin, …", "According to Epoch AI, …"): no unit of a rate.
_ATTRIBUTION = re.compile(r"^\s*(?:Per|According to)\s+[A-Z][^,，?？]{0,40}[,，]")


def asks_per_unit(question: str) -> bool:
    """Whether a question asks for a price per some unit (not per year or month)."""
    return bool(_ASKS_PER_UNIT.search(_ATTRIBUTION.sub(" ", question)))


def names_a_part(question: str, terms: Sequence[Term]) -> bool:
    """Whether the question asks for one part of a whole: it writes the narrow form of a term whose glossary group
    also holds a general one ("预训练" beside "训练", "pre-train" beside "train")."""
    low = question.lower()
    return any(
        f in low and any(g != f and g in f for g in t.forms) for t in terms if not t.name for f in t.forms
    )


def asks_rate(question: str) -> bool:
    """Whether a question asks for money per unit ("price per GPU hour", "租金"), not an amount ("training cost")."""
    return bool(_ASKS_RATE.search(question))


# Kinds whose bare numbers need a focus word beside them, not just the kind's generic word.
_NO_GENERIC_CUES = frozenset({"money", "ratio", "percent", "change"})
_CLAUSE_SPLIT = re.compile(
    r"[,;:，；、：]\s*|\s+(?:while|whereas|but|with)\s+|\s+(?:and|or)\s+(?=\W?\d)|以及|并且|而且|或者?"
)


def focus_cues(terms: Sequence[Term]) -> tuple[str, ...]:
    """Words that make a unit-less number answer the question: the focus words ("GPU hours", "单价")."""
    return tuple(f for t in terms if t.focus and not t.name for f in t.forms)


def kind_hit(
    asked: AskedKind,
    figures: Sequence[Figure],
    text: str,
    given: Sequence[float],
    *,
    cues: Sequence[str] = (),
    terms: Sequence[Term] = (),
    header: str = "",
    context: str = "",
    names: Sequence[Term] = (),
    rate_asked: bool = True,
    whole_asked: bool = False,
    per_asked: bool = False,
    years: Set[str] = frozenset(),
    every: list[tuple[float, Figure]] | None = None,
) -> tuple[float, Figure | None]:
    """How well ``figures`` (parsed from ``text``) answer the asked kind.

    (1.0, fig) for a figure in one of the kind's units, (0.8, fig) for a unit-less number with a focus word within
    ``CUE_WINDOW`` characters (or in its column's header, for a table row), (0.6, fig) with only the kind's
    generic word there (not for money and shares, where a bare number by "cost" is too often something else),
    else (0.0, None). Figures equal to
    one the question gives are skipped (the answer is not the number the asker already wrote), and so are zeros.
    Among several, the figure whose clause holds most of the question's key words is taken ("reduces the KV
    cache by 93.3%", not "saves 42.5% of training costs"). With ``whole_asked`` (the question names no part of
    what it asks), a figure marked as the whole ("total", "总") or that is the sum of the figures of its unit
    listed next to it ("$5.328M $0.238M $0.01M $5.576M") is taken before its parts. Figures of one clause are told
    apart by their own words (``assistant.ask.figureslots``); ``every`` receives each figure of the asked kind with its
    score by words (the best scores highest), for meaning to choose among (``assistant.ask.figuremeaning``).
    """
    low = text.lower()
    columns = [c.strip().lower() for c in header.strip().strip("|").split("|")] if header else []
    context_asked = any(_LENGTH_OF_TEXT.search(form) for t in terms for form in t.forms)
    hits: list[tuple[float, Figure, float, float, bool]] = []  # (strength, figure, coverage, named, whole)
    # the words each figure is written with tell apart figures of one clause ("the dense models saw 12T tokens and
    # the MoE models 10T"); names count there too
    own_words = [*terms, *names]
    # naming the asked thing sets a figure apart only in a sentence of several parts ("..., while X ...")
    names = names if _PART_SPLIT.search(text) else ()
    elided = _elided_units(figures, asked)
    figures = [elided[i][0] if i in elided else f for i, f in enumerate(figures)]
    slot_of = slots(text, figures)
    own_share: list[float] = []  # each hit's share of the question's words among its own words
    for i, f in enumerate(figures):
        if f.value == 0 or any(close(f.value, g) for g in given):
            continue
        if f.unit is None and _VERSION_OF.search(text, max(0, f.start - 30), f.start) and _DECIMAL.fullmatch(f.text):
            continue  # "Granite 3.0", "Qwen 2.5": a version of a name, not a count
        if asked.name == "token" and not context_asked and _LENGTH_OF_TEXT.search(_clause_of(low, f)):
            continue  # "a context window of 32k tokens" is the length of a text, not the tokens of the data
        if f.unit is None and _other_measure(low, f, columns, asked):
            continue  # a bare number under "Training tokens" is a token count, whatever the question's words
        if per_asked and asked.name == "money" and f.unit in _AMOUNT_UNITS and not _per_marked(low, f, columns):
            continue  # an amount is no price per unit
        if years and (year := dated_year(text, f)) is not None and year not in years:
            continue  # dated to another year than the question's ("较2024年底下调了12%" asked of 2023)
        if f.unit in asked.units and (rate_asked or f.unit not in PRICE_PER_HOUR_UNITS):
            strength = 1.0
        elif f.unit is None and asked.name == "money" and _in_currency(low, f):
            strength = 1.0  # "€11.7 billion", "50 亿欧元": an amount in a currency the parser leaves unit-less
        elif f.unit in asked.units:
            strength = 0.6  # "what did training cost": a price per GPU hour is a premise, not the amount
        elif f.unit is None and cues and (_cued(low, f, cues, columns) or _any_in(context, cues)):
            strength = 0.8
        elif f.unit is None and asked.name not in _NO_GENERIC_CUES and _cued(low, f, asked.cues, columns):
            strength = 0.6  # only the kind's generic word ("weeks", "TFLOPS") stands by it
        elif f.unit is None and asked.name == COUNT and cues_unreadable(asked.cues, low) and not YEAR.fullmatch(f.text):
            # a count asked in words the text's script cannot hold ("多少名建筑工人" of "about 5,000 workers"): a
            # bare number is what a count looks like there, and a figure with a unit ("5 gigawatts") is not one
            strength = BARE_COUNT
        else:
            continue
        if not per_asked and _per_each(low, f):
            strength = min(strength, 0.6)  # "8 GPUs per node" counts one node's, not the whole asked for
        named = NAMED_CLAUSE * _named_before(text, f, names)
        whole = whole_asked and _is_whole(text, f, figures)
        also = f"{elided[i][1] if i in elided else ''} {_lead_in(text, f, figures)}"
        coverage = _clause_coverage(text, f, terms, also=also)
        hits.append((strength, f, coverage, named, whole))
        own_share.append(slot_coverage(slot_of[i], own_words))
    if not hits:
        return 0.0, None
    # (the own words tell apart figures of one clause and unit, never one from a figure of another clause)
    margins = own_margins([(_clause(text, h[1]), h[1].unit) for h in hits], own_share)
    hits = [(s, f, cov + SLOT_WEIGHT * m, named, whole) for (s, f, cov, named, whole), m in zip(hits, margins, strict=True)]
    # the whole of a list (two parts or more) covers what its parts' clauses say ("预训练成本为 532.8 万美元，
    # ……，合计 557.6 万美元"); beside one other figure ("a total of 235B parameters and 22B activated") it does not
    listed = {u: [x[2] for x in hits if x[1].unit == u] for u in {h[1].unit for h in hits}}
    scored = [
        (s * (0.5 + (_whole_coverage(cov, listed[f.unit]) + WHOLE_FIGURE if whole else cov) + named), f)
        for s, f, cov, named, whole in hits
    ]
    score, best = max(scored, key=lambda h: h[0])
    if every is not None:
        every.extend(scored)
    if not per_asked and _per_each(low, best):
        return 0.6, best
    if best.unit in asked.units and (rate_asked or best.unit not in PRICE_PER_HOUR_UNITS):
        return 1.0, best
    if best.unit is None and asked.name == "money" and _in_currency(low, best):
        return 1.0, best
    cued = cues and (_cued(low, best, cues, columns) or _any_in(context, cues))
    if not cued and next(h[0] for h in hits if h[1] is best) == BARE_COUNT:
        return BARE_COUNT, best
    return (0.8 if cued else 0.6), best


# Words that make a token count the length of one text (a context window, a prompt, a cache), not an amount of
# data.
_LENGTH_OF_TEXT = re.compile(r"\b(?:context|window|sequence|prompt|cache)|上下文|窗口|序列|提示")
# A capitalised name right before a figure ("Granite 3.0") makes a decimal figure its version.
_VERSION_OF = re.compile(r"\b[A-Z][A-Za-z]+[ -]$")
_DECIMAL = re.compile(r"\d+\.\d+")
# Currencies other than the dollar and the yuan (which the figure parser gives a unit): a sign before the
# figure or a word after it.
_CURRENCY_BEFORE = re.compile(r"(?:€|£|₩|₹|eur|gbp|chf|jpy|krw)\s?$")
_CURRENCY_AFTER = re.compile(r"\s?(?:欧元|英镑|日元|韩元|港元|港币|卢比|euros?\b|pounds?\b|yen\b|won\b)")


def _in_currency(low: str, f: Figure) -> bool:
    """Whether a unit-less figure is an amount of money in a currency written around it."""
    return bool(_CURRENCY_BEFORE.search(low, max(0, f.start - 5), f.start) or _CURRENCY_AFTER.match(low, f.end))


def _per_each(low: str, f: Figure) -> bool:
    """Whether a figure counts per something: "per" or "/" right after it ("8 GPUs per node"), or "each", "every",
    每 before it in its clause ("Each node ... contains 8 GPUs", "每个节点配 8 张卡")."""
    before = re.split(r"[,;:，；：。]", low[max(0, f.start - 2 * PER_WINDOW) : f.start])[-1]
    return bool(_PER_AFTER.match(low, f.end) or _EACH.search(before))


def _per_marked(low: str, f: Figure, columns: Sequence[str]) -> bool:
    """Whether an amount is written as a price per something: "per" or "/" just after it or just before it
    ("每百万 token 2 元"), or in its column's header ("Price ($/hr)")."""
    near = low[max(0, f.start - PER_WINDOW // 2) : f.end + PER_WINDOW]
    return bool(_PER_MARK.search(near) or _PER_MARK.search(_column_of(low, f, columns)))


# A currency written in a column's header: its cells are amounts of money, whatever they are per.
_MONEY_SIGN = re.compile(r"[$¥€£]|\busd\b|\brmb\b|\bcny\b|美元|元")


def _other_measure(low: str, f: Figure, columns: Sequence[str], asked: AskedKind) -> bool:
    """Whether the column of a table row's figure, or the label a list item gives it ("Active parameters per
    token: 12B"), names a measure of another kind than the one asked."""
    row_label, cells = _row_label(low, f)
    found = match_kind(row_label) if row_label else None
    if found is not None or cells == 2:
        # the row's own label names its measure ("| Training tokens | 9.8T |"): in a table of one record per
        # line the column header is a generic "value", and in one per model the columns are the models; in a
        # two-column table of labels and values nothing but the label says what a value measures
        return found is not None and found.name != asked.name
    column = _column_of(low, f, columns)
    if column and asked.name == "money" and _MONEY_SIGN.search(column):
        return False  # "$/GPU-hour" names a price (per GPU hour), not a count of GPU hours
    found = match_kind(column) if column else None
    if found is None and (label := _label_of(low, f)):
        # a label is a few words of prose: only a measure with a unit of its own is read from it ("Active
        # parameters per token: 12B"), not a word such as "utilization" ("Experts utilization: 2 experts")
        found = match_kind(label)
        found = found if found is not None and found.name in _LABEL_MEASURES else None
    return found is not None and found.name != asked.name


def _column_of(low: str, f: Figure, columns: Sequence[str]) -> str:
    if not columns:
        return ""
    col = low[: f.start].lstrip().lstrip("|").count("|")
    return columns[col] if col < len(columns) else ""


def _row_label(low: str, f: Figure) -> tuple[str, int]:
    """The first cell of the table row ``low`` when figure ``f`` is in a later one (empty otherwise), and the
    row's number of cells (0 when ``low`` is no table row)."""
    if not low.lstrip().startswith("|"):
        return "", 0
    cells = low.strip().strip("|").split("|")
    col = low[: f.start].lstrip().lstrip("|").count("|")
    return (cells[0].strip() if col >= 1 and len(cells) > 1 else ""), len(cells)


def _clause_of(low: str, f: Figure) -> str:
    """The clause of ``low`` holding figure ``f`` (cut at commas, semicolons and "while"/"and" before a number),
    with the label a colon ends before it ("context length: trained up to 256k tokens")."""
    cuts = list(_CLAUSE_SPLIT.finditer(low))
    before = [m for m in cuts if m.end() <= f.start]
    start = before[-1].end() if before else 0
    if before and before[-1].group().strip() in (":", "："):
        start = before[-2].end() if len(before) > 1 else 0
    end = min([m.start() for m in cuts if m.start() >= f.end], default=len(low))
    return low[start:end]


_LABEL = re.compile(r"(?:^|[\n;；])[\s*\-•]*([^\n;；:：]{2,60}?)[\s*]*[:：][\s*]*(?:about|around|up to|约|~)?\s*$")


_LABEL_MEASURES = frozenset({"param", "token", "memory", "gpu_hour", "flops", "bandwidth"})


def _label_of(low: str, f: Figure) -> str:
    """The label written before a figure as "label: figure" on its line (empty when there is none)."""
    m = _LABEL.search(low, max(0, f.start - 80), f.start)
    return m.group(1).strip() if m else ""


def _any_in(text: str, cues: Sequence[str]) -> bool:
    return bool(text) and any(cue in text for cue in cues)


def _cued(low: str, f: Figure, cues: Sequence[str], columns: Sequence[str]) -> bool:
    window = low[max(0, f.start - CUE_WINDOW) : f.end + CUE_WINDOW]
    if any(cue in window for cue in cues):
        return True
    column = _column_of(low, f, columns)
    return bool(column) and any(cue in column for cue in cues)


# A figure whose part of the sentence names the asked thing ("while GLM-4.5-Air adopts ... 12 billion active
# parameters") beats one of the same kind in a part naming something else.
NAMED_CLAUSE = 0.3
# The question's words in a figure's own words (``assistant.ask.figureslots``) set apart figures of one clause;
# less than a clause of its own naming them does.
SLOT_WEIGHT = 0.3
_PART_SPLIT = re.compile(r"[;；。]\s*|[,，]\s*(?:while|whereas|but)\s+|\s+(?:while|whereas)\s+|而|但")


# The whole of a quantity beats its parts when the question names no part; less than a clause naming the asked
# thing, so a part the sentence ties to the question's words still answers.
WHOLE_FIGURE = 0.15
_WHOLE_MARK = re.compile(r"\b(?:total|in all|overall|combined|altogether)\b|总|合计|共计|一共", re.IGNORECASE)
# Relative slack of a sum of rounded figures ("$5.328M + $0.238M + $0.01M" against "$5.576M").
SUM_SLACK = 0.005


def _is_whole(text: str, f: Figure, figures: Sequence[Figure]) -> bool:
    """Whether ``f`` is the whole of what its sentence counts: the words between it and the figure or clause
    break before it mark it so ("总训练成本约为557.6万美元") and no other figure of its unit follows in the clause
    (a header "Total in USD" before a row of figures marks none of them), or it equals the sum of the two or more
    figures of its unit right before (or right after) it, as a table's total column does."""
    same = [g for g in figures if g.unit == f.unit and g.value > 0]
    lo, hi = _clause(text, f)
    lo = max([lo, *(g.end for g in figures if g.end <= f.start)])
    if _WHOLE_MARK.search(text, lo, f.start) and not any(f.end <= g.start < hi for g in same):
        return True
    at = next((i for i, g in enumerate(same) if g is f), None)
    if at is None:
        return False
    for run in (same[:at], same[at + 1 :][::-1]):
        total = 0.0
        for n, g in enumerate(reversed(run), start=1):
            total += g.value
            if n >= 2 and abs(total - f.value) <= SUM_SLACK * f.value:
                return True
    return False


def _named_before(text: str, f: Figure, names: Sequence[Term]) -> bool:
    """Whether one of the question's names stands in the part of the sentence that leads up to ``f``."""
    if not names:
        return False
    lo = max((m.end() for m in _PART_SPLIT.finditer(text, 0, f.start)), default=0)
    part = MatchText(text[lo : f.start])
    return any(part.has(t) for t in names)


# A bare figure with a scale letter ("37B", "1.2万") that can take its unit from an earlier figure of the sentence.
_SCALED = re.compile(r"\d\s*(?:[KMBT]|万|亿|千)$")


def _elided_units(figures: Sequence[Figure], asked: AskedKind) -> dict[int, tuple[Figure, str]]:
    """Bare scaled figures whose unit the sentence wrote once before them, at the nearest earlier figure of an
    asked unit ("671B total parameters, of which 37B are activated"): index -> (the figure with that unit, the
    earlier figure's words, which its clause leaves out)."""
    out: dict[int, tuple[Figure, str]] = {}
    for i, f in enumerate(figures):
        if f.unit is not None or not _SCALED.search(f.text):
            continue
        before = [g for g in figures[:i] if g.unit in asked.units]
        if before:
            out[i] = (f.model_copy(update={"unit": before[-1].unit}), before[-1].text)
    return out


def _clause_coverage(text: str, f: Figure, terms: Sequence[Term], *, also: str = "") -> float:
    """Weighted share of the key terms in the clause holding the figure ("119K GPU hours for the context length
    extension" vs "5K GPU hours for post-training"), with ``also`` (words the clause leaves understood)."""
    total = sum(t.weight for t in terms)
    if total <= 0:
        return 0.0
    lo, hi = _clause(text, f)
    clause = MatchText(f"{text[lo:hi]} {also}")
    return sum(t.weight for t in terms if clause.has(t)) / total


def _whole_coverage(own: float, listed: Sequence[float]) -> float:
    """A whole's clause coverage: the best of its list's when it sums two parts or more, else its own."""
    return max(listed) if len(listed) >= LIST_FIGURES else own


# A whole and at least two parts make a list.
LIST_FIGURES = 3


def _lead_in(text: str, f: Figure, figures: Sequence[Figure]) -> str:
    """The words a coordinated figure shares with the one before it: in "each node delivers an average throughput
    of ~73.7k tokens/s input or ~14.8k tokens/s output", "each node delivers an average throughput of" is said of
    both; "" when the figure's clause does not start with "and"/"or" right before it."""
    lo, _ = _clause(text, f)
    m = next((m for m in _CLAUSE_SPLIT.finditer(text) if m.end() == lo), None)
    if m is None or m.group().strip().lower() not in ("and", "or"):
        return ""
    before = [g for g in figures if g.end <= m.start()]
    if not before:
        return ""
    start, _ = _clause(text, before[-1])
    first = min(g.start for g in before if g.start >= start)
    return text[start:first]


def _clause(text: str, f: Figure) -> tuple[int, int]:
    """The span of the clause holding ``f``: from the last clause break ending at or before it (the text is
    searched whole, so a break that looks ahead at a figure, "... extension and 5K ...", is seen) to the next."""
    lo = max((m.end() for m in _CLAUSE_SPLIT.finditer(text) if m.end() <= f.start), default=0)
    m = _CLAUSE_SPLIT.search(text, f.end)
    return lo, m.start() if m else len(text)


def close(a: float, b: float) -> bool:
    """Whether two values are the same figure (equal up to float noise)."""
    return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))
