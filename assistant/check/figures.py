"""Read figures with ``tools.figures.parse_figures``, plus small adapters for what drafts and sources contain.

Adapters (each a gap of the shared parser on real text, kept here rather than in a competing parser):

- Markdown emphasis and code marks inside a figure ("**39.3**M GPU hours", "**3550** 亿") are skipped while
  parsing; offsets still point into the original text, so ``figure.text == text[start:end]`` holds.
- "one million Gaudi 3 accelerators": a number word with a scale, its unit after a product name.
- "4,096 个 token", "8 块 GPU": a measure word between a number and its unit word; "2.4 billion non-embedding
  parameters": a hyphenated modifier between a scaled amount and its unit word.
- "3550亿总参数量": a count of parameters with 总/激活 before 参数; "总参数量为1万亿", "激活参数为320亿": the
  unit word before the number.
- Digits inside a model or chip name ("Gaudi 3 accelerators") are not a figure.
- "from $10B to $13B" is a change between two figures, not a range: it is split in two.
- "from $4.5 to $3.6 per hour": the rate written once applies to both ends.
- Numbers inside links ("...%20910%...") and HTML tags (<img width="70%">) are not figures.
"""

from __future__ import annotations

import logging
import re

from assistant.check.entities import Entity, find_entities
from assistant.check.lexicon import concept_kind, find_concepts
from assistant.text import CHANGED_TO
from tools.figures import Figure, parse_figures
from tools.units import CURRENCY_CODES, match_unit
from tools.vocab import chip_pattern

log = logging.getLogger(__name__)

_MARKS = re.compile(r"\*+|`+|(?<=\d) +(?=[十百千万亿])")
_WORD_SCALE = re.compile(
    r"(?<![A-Za-z])(?P<w>a|an|one|two|three|four|five|six|seven|eight|nine|ten)\s+"
    r"(?P<s>thousand|million|billion|trillion)(?![A-Za-z])",
    re.IGNORECASE,
)
_WORD_VALUES = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
                "eight": 8, "nine": 9, "ten": 10}  # fmt: skip
_SCALE_VALUES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
_PARAM_AFTER = re.compile(r"\s?(?:个)?(?:总|激活|活跃)(?:的)?参数(?:量)?")
_DIGITS = re.compile(r"\d")
_URL = re.compile(
    r"(?:https?://|www\.)[!-~]+|[!-~]+\.(?:com|org|net|io|ph|cn)/[!-~]*|<[A-Za-z][^<>]*>", re.IGNORECASE
)  # links (ASCII only: Chinese text right after a link is not part of it), and HTML tags (width="70%")


def _clean(text: str) -> tuple[str, list[int]]:
    """``text`` without emphasis marks, and for each kept character its offset in ``text`` (plus the end)."""
    keep: list[int] = []
    pos = 0
    for m in _MARKS.finditer(text):
        keep.extend(range(pos, m.start()))
        pos = m.end()
    keep.extend(range(pos, len(text)))
    return "".join(text[i] for i in keep), keep + [len(text)]


def read_figures(text: str, start: int = 0, end: int | None = None) -> list[Figure]:
    """Figures in ``text[start:end]`` with offsets into ``text`` (see module doc). Never raises on odd text."""
    end = len(text) if end is None else end
    segment = text[start:end]
    cleaned, index = _clean(segment)
    try:
        parsed = parse_figures(cleaned)
    except Exception:  # the parser failing on one odd passage must not sink a whole check
        log.warning("figure parser failed on a %d-character text", len(segment), exc_info=True)
        return []
    entities = find_entities(segment)
    urls = [(m.start() + start, m.end() + start) for m in _URL.finditer(segment)]
    out: list[Figure] = []
    for f in parsed:
        a = index[f.start] + start
        b = index[f.end - 1] + 1 + start
        if any(u0 <= a < u1 for u0, u1 in urls):
            continue  # "%20910%" inside a link is not a percentage
        fig = f.model_copy(update={"start": a, "end": b, "text": text[a:b]})
        if fig.unit is None and (m := _PARAM_AFTER.match(cleaned, f.end)):
            b = index[m.end() - 1] + 1 + start
            fig = fig.model_copy(update={"end": b, "text": text[a:b], "unit": "param"})
        elif fig.unit is None and (
            (unit := _unit_after_measure_word(cleaned, f.end)) is not None
            or (unit := _unit_after_modifier(cleaned, f.end, fig.text)) is not None
        ):
            b = index[unit[1] - 1] + 1 + start
            fig = fig.model_copy(update={"end": b, "text": text[a:b], "unit": unit[0]})
        elif fig.unit is None and fig.low is None:
            fig = _unit_before(cleaned[max(0, f.start - 16) : f.start], fig)
        if fig.unit is None:
            fig = _other_currency(text, fig)
        if fig.unit is None:
            fig = _chip_count(text, fig)
        if _inside_name(fig, entities, start):
            continue
        if fig.unit == "token" and (m := _PER_SECOND.match(text, fig.end)):
            # "2,400 tokens per second", "31 tokens/s": a speed, never an amount of tokens
            fig = fig.model_copy(update={"end": m.end(), "text": text[fig.start : m.end()], "unit": "token_per_s"})
        elif fig.unit is None and (m := _TOK_PER_SECOND.match(text, fig.end)):
            fig = fig.model_copy(update={"end": m.end(), "text": text[fig.start : m.end()], "unit": "token_per_s"})
        if fig.unit == "gpu" and _counts_no_chips(text, fig):
            fig = fig.model_copy(update={"unit": None})
        if fig.unit == "times" and _SCALED_TIMES.search(fig.text):
            # "downloaded 10 million times": a count of events, never a multiple of something
            fig = fig.model_copy(update={"unit": None})
        if fig.unit == "date" and re.fullmatch(r"\d{4}", fig.text) and SCORE_BEFORE.search(text, max(0, fig.start - 16), fig.start):
            # "Codeforces 上的评分为 2029", "a rating of 2092": a score the parser took for a year
            fig = fig.model_copy(update={"unit": None, "kind": "number", "low": None, "high": None})
        if fig.unit == "date" and _COUNT_AFTER.match(text, fig.end) and re.fullmatch(r"\d{4}", fig.text):
            # "授权专利 1959 项": a number a measure word counts is no year
            fig = fig.model_copy(update={"unit": None, "kind": "number", "low": None, "high": None})
        out.extend(_split_from_to(text, fig))
    out += _word_scale_figures(text, start, end, out, entities)
    out += _hyphen_counts(text, start, end, out)
    out.sort(key=lambda f: f.start)
    _share_rate(text, out)
    _share_unit(text, out)
    return out


_SCALE_WORD = re.compile(r"(trillion|billion|million|万亿|亿)\s*$", re.I)
_SENTENCE_BREAK = re.compile(r"[。！？!?\n]|\.\s")


def _share_unit(text: str, figures: list[Figure]) -> None:
    """In "13 trillion tokens, the 9B model 8 trillion and the 2B model 2 trillion" the later amounts, written with
    the same scale word and no unit, count tokens too (updated in place); only within one sentence."""
    for i, fig in enumerate(figures):
        if fig.unit is None and fig.low is None and i + 1 < len(figures) and _SCALED.search(fig.text):
            nxt = figures[i + 1]
            if nxt.unit in _SHARED_UNITS and _PART_OF.fullmatch(text, fig.end, nxt.start):
                figures[i] = fig.model_copy(update={"unit": nxt.unit})  # "activates 21B of its 236B parameters"
                continue
        if fig.unit is not None or fig.low is not None or (m := _SCALE_WORD.search(fig.text)) is None:
            continue
        for prev in reversed(figures[:i]):
            if _SENTENCE_BREAK.search(text, prev.end, fig.start):
                break
            pm = re.search(r"(trillion|billion|million|万亿|亿)", prev.text, re.I)
            if prev.unit in _SHARED_UNITS and pm and pm.group(1).casefold() == m.group(1).casefold():
                figures[i] = fig.model_copy(update={"unit": prev.unit})
                break


_SHARED_UNITS = {"token", "param", "usd", "cny", "eur", "gpu_hour", "flop"}
_SCALED = re.compile(r"\d\s?(?:[KMBT]\b|thousand|million|billion|trillion|万|亿)", re.I)
# a part written before its whole: "21B of its 236B parameters", "32 billion out of 1 trillion parameters"
_PART_OF = re.compile(r"\s+(?:out\s+)?of\s+(?:its|the|their|all|a\s+total\s+of)?\s*(?:total\s+)?", re.I)


_FROM_BEFORE = re.compile(r"(?:from|从|由)\s*$", re.IGNORECASE)
_TO = re.compile(r"\s*(?:to|至|到)\s*")


def _split_from_to(text: str, fig: Figure) -> list[Figure]:
    """A "range" read after "from"/"从" is two figures: where a change started and where it ended."""
    if (
        fig.low is None
        or fig.high is None
        or not _FROM_BEFORE.search(text[max(0, fig.start - 8) : fig.start])
    ):
        return [fig]
    sep = _TO.search(fig.text)
    if sep is None:
        return [fig]
    a_end, b_start = fig.start + sep.start(), fig.start + sep.end()
    first = fig.model_copy(update={"end": a_end, "text": text[fig.start : a_end], "value": fig.low, "low": None,
                                   "high": None, "kind": "number"})  # fmt: skip
    second = fig.model_copy(update={"start": b_start, "text": text[b_start : fig.end], "value": fig.high,
                                    "low": None, "high": None, "kind": "number"})  # fmt: skip
    return [first, second]


def _share_rate(text: str, figures: list[Figure]) -> None:
    """In "from $4.5 to $3.6 per hour" the first amount is an hourly rate too; in "$2.35 per GPU-hour, down
    from $3.10 a year earlier" the baseline of the change is one as well (updated in place)."""
    for i in range(len(figures) - 1):
        a, b = figures[i], figures[i + 1]
        shares = a.unit in {"usd", "cny"} and b.unit and b.unit.startswith(a.unit + "_per_")
        joined = _TO.fullmatch(text[a.end : b.start]) and _FROM_BEFORE.search(
            text[max(0, a.start - 8) : a.start]
        )
        if shares and joined:
            figures[i] = a.model_copy(update={"unit": b.unit})
    for j, b in enumerate(figures):
        if b.unit not in {"usd", "cny"} or not _BASELINE_BEFORE.search(text[max(0, b.start - 24) : b.start]):
            continue
        for a in reversed(figures[:j]):
            if _SENTENCE_BREAK.search(text, a.end, b.start):
                break
            if a.unit is not None and a.unit.startswith(b.unit + "_per_"):
                figures[j] = b.model_copy(update={"unit": a.unit})  # "$2.35 per GPU-hour, down from $3.10"
                break


# the words that introduce the value a change is measured from: "down from $3.10", "up from", "较去年的"
_BASELINE_BEFORE = re.compile(
    r"(?:(?:down|up|rising|falling|dropping|climbing|cut|lowered|raised)\s+from|compared\s+(?:with|to)|versus|vs\.?|"
    rf"较|比|相比|低于|高于|{CHANGED_TO})\s*(?:[\u4e00-\u9fff]{{0,6}}的)?\s*$",
    re.I,
)


SCORE_BEFORE = re.compile(r"(?:rating|score|elo|评分|得分|分数|积分)\s*(?:of|is|was|为|是|达到?|:|：)?\s*$", re.I)
_MEASURE_WORD = re.compile(r"\s?[个张块台枚颗]")
_COUNT_AFTER = re.compile(r"\s?(?:[个项名家张块台枚颗位座条件只篇款次]|people\b|patents\b|employees\b)")
_MONEY = CURRENCY_CODES  # "个词元" ends in 元 but is no amount of yuan


def _unit_after_measure_word(text: str, pos: int) -> tuple[str, int] | None:
    """The unit and its end in "4,096 个 token": a Chinese measure word, then a unit word right after it."""
    m = _MEASURE_WORD.match(text, pos)
    if m is None:
        return None
    unit = match_unit(text, m.end())
    if unit is None or unit[0] in _MONEY or unit[0].split("_per_")[0] in _MONEY:
        return None
    return unit[0], unit[2]


# One hyphenated modifier between a scaled amount and its unit: "2.4 billion non-embedding parameters".
_MODIFIER = re.compile(r"\s?[A-Za-z]+-[A-Za-z]+(?=\s)")


# One plain word before a unit word that a rate or a scaled amount needs: "2,400 output tokens per second",
# "608B input tokens".
_PLAIN_MODIFIER = re.compile(r"\s?[a-z]{3,}(?=\s)")
_PLAIN_UNITS = {"token", "param", "token_per_s"}


def _unit_after_modifier(text: str, pos: int, figure: str) -> tuple[str, int] | None:
    """The unit and its end after one modifier: a hyphenated one for a scaled amount only (a plain "2 non-zero
    entries" stays a count); a plain word before tokens or parameters, when the amount is scaled or the unit is
    a speed (tokens per second)."""
    scaled = bool(re.search(r"[KMBT万亿]|million|billion|trillion", figure))
    m = _MODIFIER.match(text, pos) if scaled else None
    if m is not None and (unit := match_unit(text, m.end())) is not None:
        return unit[0], unit[2]
    m = _PLAIN_MODIFIER.match(text, pos)
    if m is None or (unit := match_unit(text, m.end())) is None or unit[0] not in _PLAIN_UNITS:
        return None
    if unit[0] == "token" and (rate := _PER_SECOND.match(text, unit[2])):
        return "token_per_s", rate.end()
    return (unit[0], unit[2]) if scaled else None


_UNIT_BEFORE: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"参数(?:量|规模|总量)?\s?(?:为|是|达到?|约为?|高达|共|有)?\s?$"), "param"),
    (re.compile(r"(?:parameters?|params)\s?(?:of|:|=)?\s?$", re.I), "param"),
    (re.compile(r"(?:tokens?|词元)\s?(?:[\u4e00-\u9fff]{0,4}?(?:数|量))?\s?(?:为|是|达到?|约为?|of|:)?\s?$", re.I), "token"),
    (re.compile(r"GPU\s?(?:小时|hours?)\s?(?:为|是|达到?|约为?|of|:)?\s?$", re.I), "gpu_hour"),
]


# Currencies the shared parser leaves without a unit (it reads $ and ¥): a sign or code before the amount, or
# the currency's word after it.
_CURRENCY_BEFORE = [
    (re.compile(r"(?:€|\bEUR\s?)$"), "eur"),
    (re.compile(r"(?:£|\bGBP\s?)$"), "gbp"),
    (re.compile(r"(?:\bJPY\s?|JP¥)$"), "jpy"),
    (re.compile(r"\bHKD\s?$"), "hkd"),
]
_CURRENCY_AFTER = [
    (re.compile(r"\s?(?:欧元|euros?\b)", re.I), "eur"),
    (re.compile(r"\s?(?:英镑|pounds? sterling\b)", re.I), "gbp"),
    (re.compile(r"\s?(?:日元|日圆|yen\b)", re.I), "jpy"),
    (re.compile(r"\s?(?:港元|港币|Hong Kong dollars?\b)", re.I), "hkd"),
]


def _other_currency(text: str, fig: Figure) -> Figure:
    """An amount in euros, pounds, yen or Hong Kong dollars ("€11.7 billion", "28 亿欧元"): its currency as unit,
    the sign or word inside its span; a figure with another unit keeps it."""
    before = text[max(0, fig.start - 4) : fig.start]
    for pattern, unit in _CURRENCY_BEFORE:
        if m := pattern.search(before):
            a = fig.start - (len(before) - m.start())
            return fig.model_copy(update={"start": a, "text": text[a : fig.end], "unit": unit})
    for pattern, unit in _CURRENCY_AFTER:
        if m := pattern.match(text, fig.end):
            return fig.model_copy(update={"end": m.end(), "text": text[fig.start : m.end()], "unit": unit})
    return fig


_PER_SECOND = re.compile(r"\s{0,2}(?:/\s{0,2}(?:s|sec|秒)|per\s(?:second|sec|s)|每秒)(?![A-Za-z])", re.I)
_TOK_PER_SECOND = re.compile(r"(?:\s|-)?(?:toks?/s|TPS|tps)(?![A-Za-z])")
_SCALED_TIMES = re.compile(r"(?:thousand|million|billion|[KMB])\s?times\b", re.I)
_BARE_MEASURE = re.compile(r"[张块颗片]$")
_CHIP_WORD = re.compile(r"GPU|卡|芯片|加速器|显卡|晶片|[A-Z]{1,2}\d{2,4}", re.I)


def _counts_no_chips(text: str, fig: Figure) -> bool:
    """A count read as GPUs from its measure word alone ("18,081 张投票", "6 万片晶圆"): another noun follows the
    measure word and nothing near it names a chip or a card, so it counts that noun."""
    if not _BARE_MEASURE.search(fig.text) or not re.match(r"\s?[\u4e00-\u9fff]", text[fig.end : fig.end + 2]):
        return False
    lo, hi = max(0, fig.start - 60), min(len(text), fig.end + 60)
    return _CHIP_WORD.search(text, lo, hi) is None and re.search(chip_pattern(), text[lo:hi]) is None


_CHIP_RE: list[re.Pattern[str]] = []


def _chip_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """(chip then "x" right before a count, chip with its memory then a GPU word right after one); built once."""
    if not _CHIP_RE:
        chip = chip_pattern()
        _CHIP_RE.append(re.compile(rf"(?<![A-Za-z0-9]){chip}\s{{0,2}}(?:\([^()\n]{{1,20}}\)\s{{0,2}})?[x×]\s{{0,2}}$"))
        _CHIP_RE.append(
            re.compile(
                rf"\s{{1,2}}{chip}(?:\s{{1,2}}\d{{2,3}}\s?GB)?"
                r"(?:\s{1,2}(?:GPUs?|accelerators?|cards?)(?![A-Za-z])|\s*(?=\||$))",  # "| 432 H100 |" in a cell
                re.M,
            )
        )
    return _CHIP_RE[0], _CHIP_RE[1]


def _chip_count(text: str, fig: Figure) -> Figure:
    """A bare number counting chips: "H100 x 32", "H20 (96GiB) x 4" in a table cell (the chip before the count),
    "512 A100 80GB GPUs" (the chip and its memory between the count and its GPU word), "| 432 H100 |" (a cell
    of a count and its chip)."""
    if fig.kind == "date" or fig.low is not None or not re.fullmatch(r"[\d,]+", fig.text.strip()):
        return fig
    before, after = _chip_patterns()
    if before.search(text[max(0, fig.start - 40) : fig.start]):
        return fig.model_copy(update={"unit": "gpu"})
    if after.match(text, fig.end):
        return fig.model_copy(update={"unit": "gpu"})  # its span stays the number: the memory is a figure too
    return fig


def _unit_before(before: str, fig: Figure) -> Figure:
    """A scaled number with no unit after it takes a unit word just before it ("总参数量为1万亿")."""
    if not re.search(r"[万亿KMBTkmbt]|million|billion|trillion", fig.text):
        return fig
    for pattern, unit in _UNIT_BEFORE:
        if pattern.search(before):
            return fig.model_copy(update={"unit": unit})
    return fig


def _inside_name(fig: Figure, entities: list[Entity], offset: int) -> bool:
    """The number belongs to a model or chip name that the parser read as a figure ("Gaudi 3 accelerators")."""
    m = _DIGITS.search(fig.text)
    if m is None:
        return False
    pos = fig.start - offset + m.start()
    # a name starting after the figure's own number is its unit ("two H100s"), not the figure's name
    at = fig.start - offset
    return any(
        e.start <= min(pos, at) and pos < e.start + len(e.surface) and e.cls in {"model", "chip"} for e in entities
    )


_HYPHEN_COUNT = re.compile(r"(?<![\w.\-])(\d{1,6})-([a-z]{3,})(?![\w\-])")


def _hyphen_counts(text: str, start: int, end: int, figures: list[Figure]) -> list[Figure]:
    """"a 42-layer model", "a 16-expert layer": a count glued to the noun it counts, which the parser leaves
    alone; only nouns the lexicon knows as counted objects, so "5-shot" stays no figure."""
    out = []
    for m in _HYPHEN_COUNT.finditer(text, start, end):
        if any(f.start < m.end() and m.start() < f.end for f in figures):
            continue
        if not any(concept_kind(c) == "object" for c in find_concepts(m.group(2))):
            continue
        out.append(Figure(text=m.group(1), start=m.start(1), end=m.end(1), value=float(m.group(1)), unit=None))
    return out


def _word_scale_figures(
    text: str, start: int, end: int, figures: list[Figure], entities: list[Entity]
) -> list[Figure]:
    out = []
    for m in _WORD_SCALE.finditer(text, start, end):
        if any(f.start < m.end() and m.start() < f.end for f in figures):
            continue
        value = _WORD_VALUES[m["w"].lower()] * _SCALE_VALUES[m["s"].lower()]
        pos = m.end() - start
        name = next((e for e in entities if e.start in (pos, pos + 1) and e.cls in {"model", "chip"}), None)
        after = start + (name.start + len(name.surface) if name else pos)
        unit = match_unit(text, after)
        stop = unit[2] if unit else m.end()
        out.append(
            Figure(
                text=text[m.start() : stop],
                start=m.start(),
                end=stop,
                value=value,
                unit=unit[0] if unit else None,
            )
        )
    return out
