"""Find the figures in a Chinese or English text: numbers with their scale, unit, hedge, ranges and dates.

    >>> [(f.text, f.value, f.unit) for f in parse_figures("仅消耗了约278.8万GPU小时")]
    [('约278.8万GPU小时', 2788000.0, 'gpu_hour')]

Every ``Figure`` is an exact span of the input (``text == input[start:end]``). Model and chip names ("H800",
"DeepSeek-V3", "Llama 3.1", "910B"), section and table numbers ("Section 3.2", "图3") and reference markers
("[1]") are not figures. Percentages come back as fractions (80% -> 0.8).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from decimal import Decimal
from functools import cache

from pydantic import BaseModel, Field

from tools.dates import find_dates
from tools.numwords import (
    EN_PHRASE,
    FULLWIDTH,
    parse_chinese_numeral,
    parse_decimal,
    read_english_number,
    scale_of,
)
from tools.units import DURATION_UNITS, match_rate_suffix, match_unit
from tools.vocab import names

__all__ = ["Figure", "parse_figures", "parse_number", "parse_duration"]


class Figure(BaseModel):
    """One figure as written in a text, with its normalised value."""

    text: str = Field(description="The exact substring of the input.")
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    value: float = Field(description="Normalised value; percentages are fractions; ranges give the midpoint.")
    unit: str | None = Field(
        default=None, description="Canonical unit, e.g. usd, percent, gpu_hour, year, date."
    )
    low: float | None = None
    high: float | None = None
    hedge: str | None = Field(
        default=None, description="about / more_than / less_than / up_to when the text hedges."
    )
    kind: str = Field(default="number", description="number | range | date | duration")


def parse_number(text: str) -> float:
    """Parse one number word or phrase: "2.788M", "一千", "两", "14.8万亿", "1e6", "1,024", "thirty".

    Percentages ("80%", "八成") come back as fractions. Raises ValueError if ``text`` is not a number.
    """
    return float(parse_decimal(text))


def parse_duration(text: str) -> Figure | None:
    """The first duration in ``text``: "两年后" -> 2 year, "in 3 years", "12个月", "over 12 months" -> 12 month."""
    for fig in parse_figures(text):
        if fig.unit in DURATION_UNITS:
            return fig
    return None


# --- the scanner -----------------------------------------------------------------------------------------------

_CORE = re.compile(
    r"(?P<ar>\d{1,3}(?:,\d{3})+(?!\d)(?:\.\d+)?|\d+(?:\.\d+)?|(?<!\d)\.\d+)(?:[eE](?P<exp>[-+]?\d+)(?![A-Za-z]))?"
    r"|(?P<cn>[零〇一二两三四五六七八九十][零〇一二两三四五六七八九十百千万亿]*)"
    rf"|(?P<en>(?<![A-Za-z])(?i:{EN_PHRASE})(?![A-Za-z]))"
)
_HEDGES = {
    "about": r"约为|约合|大约|大概|约|将近|接近|(?<![最附])近|(?<![A-Za-z])(?:approximately|approx\.|about|around|"
    r"roughly|nearly|almost|some)|~|≈|∼",
    "more_than": r"超过|逾|多于|高于|不少于|至少|(?<![A-Za-z])(?:more\sthan|over|above|exceeding|in\sexcess\sof|"
    r"at\sleast)|(?<![\w\"'/=-])(?:>=|>)|≥",
    "less_than": r"不到|少于|不足|低于|(?<![A-Za-z])(?:less\sthan|fewer\sthan|under|below)|(?<![\w\"'/=-])(?:<=|<)|≤",
    "up_to": r"最高达|最高|高达|多达|最多|(?<![A-Za-z])(?:up\sto|as\smuch\sas|as\smany\sas|at\smost)",
}
_PREFIX = re.compile(
    r"(?P<rate>每\s?(?:张|块)?\s?(?:卡|GPU)\s?每?\s?小时|每\s?卡时|每\s?小时)?\s*"
    r"(?:(?<=时)的?(?:租金|租价|价格|单价|费用|成本)(?:为|是)?\s*)?"
    r"(?P<hedge>" + "|".join(f"(?P<h_{k}>{v})" for k, v in _HEDGES.items()) + r")?\s*"
    r"(?P<cur>US\$|\$|USD\s?|¥|RMB\s?|CNY\s?)?\s*(?P<pct>百分之)?(?P<sign>[-+])?$",
    re.IGNORECASE,
)
_SUFFIX_HEDGES = [
    (re.compile(r"\s?(?:左右|上下)"), "about"),
    (re.compile(r"\s?(?:以上|多|余)"), "more_than"),
    (re.compile(r"\s?(?:以下|以内|之内)"), "less_than"),
]
# "× 10^25", "×10²⁵", and "× 1025" as PDF text loses the superscript; an exponent has at most three digits, so
# "6 * 10700000000" (a product of plain numbers) is no power of ten
_EXP = re.compile(r"\s?[×x*]\s?10\^?(?P<e>[-+]?\d{1,3}(?!,?\d)|[⁻⁺]?[⁰¹²³⁴⁵⁶⁷⁸⁹]{1,3}(?![⁰¹²³⁴⁵⁶⁷⁸⁹]))")
_ZH_SCALE = re.compile(r" ?[十百千万亿]+")  # "每 100 万 tokens" puts a space before the scale
_EN_SCALE = re.compile(
    r"\s?(?P<s>thousand|million|billion|trillion|mn|bn)(?![A-Za-z])|(?P<g>[KkMBT])(?![A-Za-z0-9])"
)
_RANGE_SEP = re.compile(r"\s?(?:-|–|—|~|～|到|至|to)\s?")
# Generic words after which a number is a label, not a quantity ("Section 3", "图3"); product families come from
# tools/data/names.toml.
_LABEL_WORDS = (
    r"Section|Sec\.|Table|Tab\.|Figure|Fig\.|Chapter|Appendix|Eq\.|Equation|Step|Version|Ver\.|Page|p\.|pp\.|No\.|"
    r"Python|CUDA|PyTorch|Stage|Phase|Part|Level|Gen|Tier"
)


@cache
def _name_before() -> re.Pattern[str]:
    families = sorted(names().name_families, key=len, reverse=True)
    latin = "|".join(re.escape(f) for f in families if f.isascii())
    other = "|".join(re.escape(f) for f in families if not f.isascii())
    return re.compile(
        rf"(?:(?<![A-Za-z])(?:{latin + '|' if latin else ''}{_LABEL_WORDS})|图|表|第|附录|公式|章节|版本|#"
        + (f"|{other}" if other else "")
        + r")\s?$",
        re.IGNORECASE,
    )


_PROPER_BEFORE = re.compile(r"[A-Za-z][\w.-]*\s[A-Z][A-Za-z]*\s$")
_TOKEN_BEFORE = re.compile(r"[A-Za-z0-9._/\-]*\Z")
_SUP = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺", "0123456789-+")
_CURRENCY = {"$": "usd", "us$": "usd", "usd": "usd", "¥": "cny", "rmb": "cny", "cny": "cny"}
_WINDOW = 40
_YEAR = re.compile(r"19[5-9]\d|20[0-3]\d")  # a bare integer read as a year when nothing else claims it


@dataclass
class _Read:
    """A number read at one position, before ranges and kinds are decided."""

    start: int
    end: int
    value: Decimal  # scaled by its own scale words, not yet by the unit's factor
    unit: str | None = None
    factor: Decimal = Decimal(1)
    hedge: str | None = None
    scaled: bool = False
    cn: bool = False


def parse_figures(text: str) -> list[Figure]:
    """All figures in ``text``, in order and non-overlapping, each an exact span of ``text``."""
    t = text.translate(FULLWIDTH)
    taken: list[tuple[int, int]] = [(m.start(), m.end()) for m in _REFERENCE.finditer(t)]
    figures = []
    for start, end, value, d_low, d_high in find_dates(t):
        date = Figure(text=text[start:end], start=start, end=end, value=value, unit="date", kind="date")
        figures.append(date.model_copy(update={"low": d_low, "high": d_high}))
        taken.append((start, end))
    floor = 0
    for m in _CORE.finditer(t):
        if m.start() < floor or _overlaps(taken, m.start(), m.end()):
            continue
        read = _read(t, m, max(floor, _last_end(taken, m.start())))
        if read is None:
            continue
        read, low, high = _extend_range(t, read)
        if _overlaps(taken, read.start, read.end):
            continue
        fig = _to_figure(text, t, read, low, high)
        if fig is not None:
            figures.append(fig)
            floor = read.end
    figures.sort(key=lambda f: f.start)
    return figures


_REFERENCE = re.compile(r"\[\s*\d+(?:\s*[,，–\-]\s*\d+)*\s*\]|【\d+】")


def _overlaps(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(s < end and start < e for s, e in spans)


def _last_end(spans: list[tuple[int, int]], before: int) -> int:
    return max((e for s, e in spans if e <= before), default=0)


# Written exponents go up to training FLOPs (3.8e25); far beyond that a float cannot even hold the value.
_MAX_EXPONENT = 100


def _read(t: str, m: re.Match[str], floor: int) -> _Read | None:
    """Read the number whose core is ``m``: prefix (hedge, currency), scale, unit, suffix hedge."""
    start, end = m.start(), m.end()
    if m["ar"] is not None:
        if _is_name(t, start, end):
            return None
        value = parse_decimal(m["ar"])
        if m["exp"]:
            exp = int(m["exp"]) if len(m["exp"]) <= 5 else _MAX_EXPONENT + 1
            if abs(exp) > _MAX_EXPONENT:
                return None  # "1e999999" measures nothing, and scaling by it overflows the decimal context
            value = value.scaleb(exp)
    elif m["cn"] is not None:
        if start > 0 and t[start - 1] == "第":
            return None
        value = parse_chinese_numeral(m["cn"])
    else:
        got = read_english_number(m["en"])
        if got is None:
            return None
        value, used = got
        end = start + used
    read = _Read(start, end, value, cn=m["ar"] is None)
    if m["cn"] is not None and m["cn"][-1] in "万亿":
        read.scaled = True

    pre = _PREFIX.search(t, max(floor, start - _WINDOW), start)
    rate = None
    if pre and pre.start() < pre.end():
        read.start = pre.start() + len(pre[0]) - len(pre[0].lstrip())
        if pre["sign"] and start >= 2 and (t[start - 2].isalnum() or t[start - 2] in ".%"):
            return None  # "x-2", "5%-3": a hyphen, not a sign
        if pre["sign"] == "-":
            read.value = -read.value
        read.hedge = next((k for k in _HEDGES if pre[f"h_{k}"]), None)
        if pre["cur"]:
            read.unit = _CURRENCY[pre["cur"].strip().lower()]
        if pre["pct"]:
            read.unit, read.factor = "percent", Decimal("0.01")
        rate = pre["rate"]
    pos = _read_suffix(t, end, read)
    if pos is None:
        return None
    if rate:
        if read.unit in ("usd", "cny"):
            read.unit += "_per_gpu_hour" if ("卡" in rate or "GPU" in rate) else "_per_hour"
        else:  # a rate word before something that is not money is not part of this figure
            read.start = max(read.start, pre.start("hedge") if pre and pre["hedge"] else start)
    read.end = pos
    if read.cn and read.unit is None and not read.scaled:
        return None  # a bare Chinese numeral (一些, 统一) is a word, not a figure
    if m["en"] is not None and read.unit is None:
        return None
    if read.unit is None and not read.scaled and _is_list_marker(t, read.start, read.end):
        return None
    bare = read.unit is None and not read.scaled and read.hedge is None
    if bare and not _YEAR.fullmatch(m[0]) and _PROPER_BEFORE.search(t, max(0, start - _WINDOW), start):
        return None  # "Llama Guard 3", "and Claude 3": a capitalised name inside a sentence ends in a number
    return read


def _read_suffix(t: str, pos: int, read: _Read) -> int | None:
    """Extend ``read`` with what follows the core; returns the new end, or None when the number is a name."""
    if m := _EXP.match(t, pos):
        read.value = read.value.scaleb(int(m["e"].translate(_SUP)))
        pos = m.end()
    if m := re.compile(r"多|余|\+(?!\d)").match(t, pos):
        read.hedge = read.hedge or "more_than"
        pos = m.end()
    if not read.cn and (m := _ZH_SCALE.match(t, pos)) and (scale := _zh_scale_end(t, m)) > m.start():
        read.value *= scale_of(zh=t[m.start() : scale].strip())
        read.scaled, pos = True, scale
    elif m := _EN_SCALE.match(t, pos):
        read.value *= scale_of(en=m["s"] or m["g"])
        read.scaled, pos = True, m.end()
    unit = match_unit(t, pos)
    if unit is not None:
        name, factor, uend = unit
        if read.unit in ("usd", "cny") and name not in ("usd", "cny") and not name.startswith(read.unit):
            unit = None  # "$5 GPUs" is not a thing: keep the currency, ignore the word
        elif name == "second" and t[max(0, read.start - 1) : read.start] in ("分", ":"):
            unit = None  # the seconds of a clock time ("07时30分31秒"), not a latency
        elif name == "percent" and read.unit == "percent":
            pos = uend
        else:
            read.unit, read.factor, pos = name, factor, uend
    if read.unit in ("usd", "cny") and (rate := match_rate_suffix(t, pos)):
        read.unit += "_" + rate[0]
        pos = rate[1]
    if read.unit is None and pos < len(t) and (t[pos].isascii() and t[pos].isalpha()):
        return None  # digits glued to letters: "910B" handled below, "3090Ti", "5G"
    if read.unit is None and pos < len(t) - 1 and t[pos] == "." and t[pos + 1].isdigit():
        return None  # a dotted version or section number: 1.5.3
    if read.unit is None and re.match(r"-[A-Za-z]", t[pos : pos + 2]):
        return None  # an adjective or a name: "5-shot", "4-bit", "3-series"
    for pattern, hedge in _SUFFIX_HEDGES:
        if m := pattern.match(t, pos):
            read.hedge = read.hedge or hedge
            pos = m.end()
            break
    return pos


def _is_name(t: str, start: int, end: int) -> bool:
    """Digits that belong to a name: glued to letters (H800, GPT-4, Qwen2.5), after a name word, or 910B."""
    token = _TOKEN_BEFORE.search(t, max(0, start - _WINDOW), start)
    if token and re.search(r"[A-Za-z]", token[0]):
        return True
    if _name_before().search(t, max(0, start - 16), start):
        return True
    if t[start:end] in ("910", "310", "920") and end < len(t) and t[end] in "ABCP":
        return True
    return start > 0 and t[start - 1] == "." and start > 1 and t[start - 2].isdigit()


def _is_list_marker(t: str, start: int, end: int) -> bool:
    """A bare number opening a line ("1. ", "3.2 Results", "2、") or wrapped alone in brackets ("(1)")."""
    line_start = t.rfind("\n", 0, start) + 1
    opens_line = t[line_start:start].strip(" \t#*>-") == ""
    after = t[end : end + 2]
    if opens_line and (after[:1] in (")", "、", "）") or re.match(r"[.:：](?:\s|$)|[ \t][A-Z#]", after)):
        return True
    return start > 0 and t[start - 1] in "(（" and end < len(t) and t[end] in ")）"


# "from 29 to 119" (a change), unless a range is said ("ranging from 2 to 3", "range from").
# "from 29 to 119 languages", "从 3 到 9": the two ends of a change; "grew by 3 million to 9 million", "swelled by
# $600 million to …": the change and the level it reached (whatever the verb)
_CHANGE_FROM = re.compile(r"(?:\bfrom|从|由)\s*(?:about\s+|约)?(?:US)?[$€£¥￥]?\s*$", re.IGNORECASE)
CHANGE_BY = re.compile(
    r"\b(?!multiplied|divided)[a-z]{3,}\s+by\s+(?:about\s+|roughly\s+|some\s+|约)?(?:US)?[$€£¥￥]?\s*$", re.IGNORECASE
)
# "Prices range from $2 to $4", "anywhere from 3 to 5", "从 3 到 5 周不等": a "from" that opens a range
_RANGE_FROM = re.compile(
    r"\b(?:rang(?:e|es|ed|ing)|anywhere|vary|varies|varying)\s+(?:\w+\s+)?from\s+(?:US)?[$€£¥￥]?\s*$", re.IGNORECASE
)
_RANGE_AFTER = re.compile(r"\s*不等")


def change_not_range(lead: str, after: str = "") -> bool:
    """Two figures joined by "to" (到, 至) after ``lead`` are a change, not a range: its two ends ("from 3 to 9",
    "从 3 到 9") or its amount and the level reached ("rose by 4.6% to 13.0%"), unless the words say a range
    ("range from $2 to $4", ``after`` starting "不等"). The one reading of this for figures and checks."""
    if _RANGE_FROM.search(lead) or _RANGE_AFTER.match(after):
        return False
    return bool(_CHANGE_FROM.search(lead) or CHANGE_BY.search(lead))


def _extend_range(t: str, a: _Read) -> tuple[_Read, Decimal | None, Decimal | None]:
    """ "12%—18%", "12-18%", "3到5年", "$2-3": join two numbers sharing a unit into one range."""
    sep = _RANGE_SEP.match(t, a.end)
    if not sep:
        return a, None, None
    m = _CORE.match(t, sep.end())
    if m is None and (cur := re.compile(r"US\$|\$|¥").match(t, sep.end())):
        m = _CORE.match(t, cur.end())
    if m is None or m["en"] is not None:
        return a, None, None
    b = _read(t, m, sep.end())
    if b is None or b.start != sep.end() or b.hedge:
        return a, None, None
    if sep[0].strip() in ("to", "到", "至") and change_not_range(t[max(0, a.start - 32) : a.start], t[b.end : b.end + 4]):
        return a, None, None  # "from 29 to 119 languages", "rose by 4.6% to 13.0%": a change, two figures
    if (
        a.unit is None
        and b.unit is None
        and not b.scaled
        and (sep[0].strip() in ("-", "–") or _year_like(t, a) or _year_like(t, b))
    ):
        return a, None, None  # "1-2" may be a score or an id; "2023 to 2024" are two dates
    if (a.unit is not None and b.unit is not None and (a.unit != b.unit or a.factor != b.factor)) or (
        a.unit == "percent" and b.scaled
    ):
        return a, None, None  # "rose 21.0% to 5.62 billion yuan": two figures, and the first keeps its own scale
    own = replace(a)  # a rejected range leaves the first number as it was read ("2.94% in 2024 to 63.72%")
    if not a.scaled and b.scaled:
        a.value *= _scale_ratio(m, b)
    if a.unit is None and b.unit is not None:
        a.unit, a.factor = b.unit, b.factor
    elif b.unit is None and a.unit is not None:
        b.unit, b.factor = a.unit, a.factor
    if a.unit != b.unit or a.factor != b.factor:
        return own, None, None
    lo, hi = a.value * a.factor, b.value * b.factor
    if lo > hi:
        return own, None, None
    joined = _Read(a.start, b.end, (a.value + b.value) / 2, a.unit, a.factor, a.hedge, True, a.cn)
    if joined.unit in ("usd", "cny") and (rate := match_rate_suffix(t, joined.end)):
        joined.unit += "_" + rate[0]  # "$2-3 per hour"
        joined.end = rate[1]
    return joined, lo, hi


def _zh_scale_end(t: str, m: re.Match[str]) -> int:
    """Where a run of scale characters ends: before a unit word that starts with one ("100 万千瓦" is 100 万
    kilowatt, "千瓦" no scale); its start when the run holds no scale at all."""
    for i in range(m.start(), m.end()):
        if t[i] != " " and match_unit(t, i) is not None:
            return i if t[m.start() : i].strip() else m.start()
    return m.end()


def _year_like(t: str, r: _Read) -> bool:
    return bool(_YEAR.fullmatch(t[r.start : r.end]))


def _scale_ratio(m: re.Match[str], b: _Read) -> Decimal:
    """The scale word's multiplier inside ``b`` (b.value / its bare core), for "2-3万亿" -> 2 gets 万亿 too."""
    core = parse_decimal(m["ar"]) if m["ar"] is not None else parse_chinese_numeral(m["cn"])
    return b.value / core if core else Decimal(1)


def _to_figure(text: str, t: str, r: _Read, low: Decimal | None, high: Decimal | None) -> Figure | None:
    value = r.value * r.factor
    kind = "range" if low is not None else "duration" if r.unit in DURATION_UNITS else "number"
    hedge = r.hedge
    if r.unit in DURATION_UNITS and hedge == "more_than" and re.match(r"(?i)over\b", t[r.start :]):
        hedge = None  # "over 12 months" names a span of time, not a lower bound
    unit = r.unit
    if unit is None and not r.scaled and hedge is None and low is None and value == value.to_integral_value():
        core = t[r.start : r.end]
        if _YEAR.fullmatch(core):
            unit, kind = "date", "date"
    return Figure(
        text=text[r.start : r.end],
        start=r.start,
        end=r.end,
        value=float(value),
        unit=unit,
        low=float(low) if low is not None else None,
        high=float(high) if high is not None else None,
        hedge=hedge,
        kind=kind,
    )
