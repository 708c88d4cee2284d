"""The figures of one sentence as quantities the implied relations can combine: a value with what it counts.

Each number ("8 张卡", "$3.75 per hour", "每个团队约 333 万元", "Five runs") becomes a ``Qty``: its exact value, the
token that says how precisely it is written, its currency, the noun it counts (canonical where ``tools.units`` knows
the unit: "张卡" and "GPUs" are both ``gpu``; "kW" and "兆瓦" both ``watt``, with their factors), and the things it is *per* ("per node", "每小时", "a month", "each").
Relations then match quantities by these dimensions, not by position: 8 张卡 per 台 times 45 台 gives 张卡.

Dates, percentages inside ranges and numbers that are part of a name are not quantities here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from fractions import Fraction

from assistant.check.expr import Tok
from assistant.text import CJK_RE
from tools.units import dimension, match_unit
from tools.vocab import chip_pattern

_CJK_MEASURE = "个张台名家次块条位款枚件项辆座间所种篇份"
GENERIC_MEASURE = {"个", "种", "项", "份", "件"}  # say nothing of what is counted on their own
_MONEY_WORDS = [
    (re.compile(r"\s?(?:美元|美金|dollars?\b|USD\b)", re.I), "usd"),
    (re.compile(r"\s?(?:元|人民币|yuan\b|RMB\b|CNY\b)", re.I), "cny"),
    (re.compile(r"\s?(?:欧元|euros?\b|EUR\b)", re.I), "eur"),
]


def currency_of(word: str) -> str:
    """The currency a word names ("dollar", "美元", "yuan"), or ""."""
    return next((code for regex, code in _MONEY_WORDS if regex.fullmatch(word)), "")


_CURRENCY_SIGNS = {"US$": "usd", "$": "usd", "€": "eur", "£": "gbp", "¥": "cny", "￥": "cny"}
_EN_STOP = {
    "a", "an", "the", "of", "in", "on", "at", "to", "for", "from", "and", "or", "with", "per", "each", "every",
    "is", "are", "was", "were", "be", "by", "as", "than", "that", "which", "this", "it", "so", "apiece", "more",
    "less", "about", "around", "roughly", "over", "under", "into", "between", "in all", "total", "together",
    "would", "will", "could", "can", "may", "might", "should", "must", "again", "also", "still", "only", "just",
    "already", "then", "now", "here", "there", "all", "altogether", "combined", "gives", "give", "gave", "makes",
    "made", "means", "yields", "costs", "cost", "comes", "came", "get", "gets", "got", "took", "takes", "went",
    "goes", "has", "have", "had", "do", "does", "did", "not", "no", "if", "when", "while", "but", "after",
    "before", "since", "until", "during", "through", "across", "within", "without", "against", "up", "down",
}  # fmt: skip
_EN_NUMBERS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    "eleven": 11, "twelve": 12,
}  # fmt: skip
_ZH_NUMBERS = {"一": 1, "两": 2, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
_WORD_NUMBER = re.compile(
    r"\b(?P<en>one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\b(?=\s+[A-Za-z])"
    rf"|(?<![\d.\u4e00-\u9fff])(?P<zh>[一两二三四五六七八九十])(?=[{_CJK_MEASURE}年天月周秒]|个月|小时|分钟|星期)",
    re.IGNORECASE,
)
# "per node", "/GPU", "a month", "each", "apiece"; before the number: "每台服务器", "单卡", "each node", "月租"
_PER_AFTER = re.compile(
    r"\s*(?:per|/|an?|every|each(?=\s+(?:second|minute|hour|day|week|month|year)s?\b))\s+(?P<obj>(?:million |thousand |billion |1\s?[KkMB] |1,000 |1,000,000 )?[A-Za-z][A-Za-z0-9]*(?:[- ](?:hours?|hrs?))?)"
    r"|\s*/\s*(?P<objs>[A-Za-z\u4e00-\u9fff][A-Za-z0-9]*)"
    r"|\s*(?P<each>each|apiece)\b",
    re.IGNORECASE,
)
_PER_BEFORE_ZH = re.compile(
    rf"(?:每|单|平均每)\s*(?P<scale>百万|千万|万|千|百)?\s*(?P<m>[{_CJK_MEASURE}])?\s*"
    r"(?P<obj>[A-Za-z]+(?:[- ]?hours?)?|(?:(?![每单])[\u4e00-\u9fff]){1,3})"
)
_PER_BEFORE_EN = re.compile(r"\b(?:each|every|per)\s+(?P<obj>[A-Za-z][A-Za-z0-9-]*)", re.IGNORECASE)
_TIME_ADJ = {
    "月租": "month", "月薪": "month", "年薪": "year", "日薪": "day", "月均": "month", "年均": "year", "日均": "day", "时薪": "hour",
    "monthly": "month", "annual": "year", "annually": "year", "yearly": "year", "daily": "day", "hourly": "hour",
    "weekly": "week",
}  # fmt: skip
_PER_SCALES = {"百万": 10**6, "千万": 10**7, "万": 10**4, "千": 10**3, "百": 100, "million": 10**6,
               "thousand": 10**3, "billion": 10**9, "1k": 10**3, "1m": 10**6, "1b": 10**9, "1,000": 10**3,
               "1,000,000": 10**6}  # fmt: skip
_EACH_WORD = re.compile(r"单价|unit price|price per unit", re.IGNORECASE)
_PER_HEAD = re.compile(r"人均|per capita|per person|per head", re.IGNORECASE)
_EACH_OF = re.compile(r"\beach of (?:the|its|their|our|these|those)\s*$", re.IGNORECASE)
_CLAUSE_BREAK = re.compile(r"[，,；;：:。!?！？\n(（)）]")
# a Chinese hedge may stand before the verb of its figure: "一天约处理 1,000 亿个", "大约需要 3 周"
_HEDGE_BEFORE = re.compile(
    r"(?:(?:about|approximately|approx\.?|roughly|around|nearly|almost|some|~|约|大约|近|将近|逾|超过)\s*(?:US)?[$€£¥￥]?|"
    r"(?<![预签制节契])(?:约|大约|大概)[\u4e00-\u9fff]{1,2})\s*$",
    re.IGNORECASE,
)
# a multiple written as a word, before what it multiplies: "twice the", "double its", "triple Intel's" (not the
# verbs "doubled", "tripling": ``changes`` reads those)
_MULT_VALUES = {"twice": 2, "double": 2, "triple": 3, "quadruple": 4}
# "double"/"triple" only where no verb can be ("…, double the", "is triple its"): "plans to double the staff" is a verb
_MULT_WORD = re.compile(
    r"(?:\btwice|(?:[,，(—]|\b(?:is|are|was|were|be|been|or|about|roughly|nearly|almost|some))\s*(?:double|triple|quadruple))\b"
    r"(?=\s+(?:the|that|those|its|their|our|what|as\b|[A-Z][\w.-]*['’]s\b))",
    re.IGNORECASE,
)


@dataclass
class Qty:
    """One figure of a sentence with what it counts."""

    tok: Tok  # value (already times the unit's factor), precision, percent
    start: int
    end: int  # end of the number, its scale and its unit words
    nouns: frozenset[str] = frozenset()  # canonical keys of what is counted ("gpu", "节", "pod")
    money: str = ""
    per: list[tuple[frozenset[str], Fraction]] = field(default_factory=list)  # what it is per, with a scale
    hedged: bool = False
    word: bool = False  # written as a word ("Five runs", "三项")
    factor: Fraction = Fraction(1)  # of its unit to the base unit ("TB": 10^12 bytes), already in ``value``

    @property
    def value(self) -> Fraction:
        return self.tok.value

    @property
    def bare(self) -> bool:
        """Nothing says what it counts."""
        return not self.nouns and not self.money and not self.tok.pct

    @property
    def multiple(self) -> bool:
        """ "5x", "four times", "3 倍": a ratio, never a count."""
        return bool(self.nouns & {"times", "time", "fold", "倍"})

    @property
    def kind(self) -> frozenset[str]:
        return frozenset({"$" + self.money}) if self.money else self.nouns

    @property
    def per_keys(self) -> frozenset[frozenset[str]]:
        return frozenset(k for k, _ in self.per)


def _canon(word: str) -> str:
    w = word.lower().strip("-")
    if w.endswith("ies") and len(w) > 4:
        return w[:-3] + "y"
    if w.endswith("s") and len(w) > 3 and not w.endswith("ss"):
        return w[:-1]
    return w


def noun_keys(text: str, pos: int) -> tuple[frozenset[str], str, Fraction, int]:
    """(noun keys, currency, unit factor, end) of the words right after a number at ``pos``."""
    for regex, code in _MONEY_WORDS:
        m = regex.match(text, pos)
        if m:
            return frozenset(), code, Fraction(1), m.end()
    found = match_unit(text, pos)
    if found is not None and not found[0].startswith(("usd", "cny", "percent")):
        name, unit_factor, end = found
        if name.endswith("_per_s") and (cut := re.search(r"\s{0,2}(?:/|per\s|每)", text[pos:end])):
            # "1,750 tokens per second": tokens counted, the "per second" is read as its rate (``_per_after``)
            name, end = name.removesuffix("_per_s"), pos + cut.start()
        if dim := dimension(name):  # "44.8 kW" is watts, times 1000
            return frozenset({dim[0]}), "", Fraction(unit_factor * dim[1]), end
        measure = text[pos:end].lstrip()[:1]
        extra = {_PEOPLE.get(measure, measure)} if measure in _CJK_MEASURE and measure not in GENERIC_MEASURE else set()
        return frozenset({name} | extra), "", Fraction(unit_factor), end  # "16 台服务器" is a node and a 台
    nxt = text[pos : pos + 2].lstrip()[:1]
    if nxt and "\u4e00" <= nxt <= "\u9fff":
        m = re.match(rf"\s?(?P<m>[{_CJK_MEASURE}])?\s?(?P<n>[A-Za-z][A-Za-z0-9]*|[\u4e00-\u9fff])?", text[pos:])
        if m is None or not (m.group("m") or m.group("n")):
            return frozenset(), "", Fraction(1), pos
        noun = m.group("n") or ""
        if noun in _JOINERS and m.group("m"):  # "35 万台和 48 万台": a conjunction, not what is counted
            return _obj_keys("", m.group("m")), "", Fraction(1), pos + m.start("n")
        if noun and not m.group("m") and not _obj_keys(noun) & _KNOWN:
            return frozenset(), "", Fraction(1), pos  # "300 万翻了一番": a verb, not what is counted
        return _obj_keys(noun, m.group("m")), "", Fraction(1), pos + m.end()
    m = re.match(r"(?:-|\s)(?P<w>[A-Za-z][A-Za-z0-9]*)(?:\s(?P<w2>[A-Za-z][A-Za-z0-9]*))?", text[pos:])
    if not m:
        return frozenset(), "", Fraction(1), pos
    words = [w for w in (m.group("w"), m.group("w2")) if w and w.lower() not in _EN_STOP]
    if not words or m.group("w").lower() in _EN_STOP:
        return frozenset(), "", Fraction(1), pos
    end = pos + (m.end("w2") if m.group("w2") and m.group("w2").lower() not in _EN_STOP else m.end("w"))
    return frozenset(_canon(w) for w in words), "", Fraction(1), end


_JOINERS = frozenset("和及与或到至、")
_PEOPLE = {"名": "人", "位": "人", "个人": "人"}  # measure words that count people count 人
_ALIASES = {"卡": "gpu", "显卡": "gpu", "月": "month", "年": "year", "天": "day", "日": "day", "时": "hour",
            "秒": "second", "周": "week"}  # fmt: skip
_KNOWN = frozenset(["gpu", "node", "token", "hour", "day", "week", "month", "year", "second", "byte", "param",
                    "gpu_hour", "watt", "watt_hour", "flop", "flop_per_s", "byte_per_s", "times", "人"])  # fmt: skip


_MEASURES = frozenset({"byte", "watt", "watt_hour", "second", "flop", "flop_per_s", "byte_per_s"})


def measure_unit(text: str, pos: int) -> tuple[str, Fraction] | None:
    """The physical unit right after a number at ``pos`` with its factor to the base unit ("kW": watt, 1000;
    "GB": byte, 10^9; "ms": second, 1/1000), or None when it names none."""
    nouns, money, factor, _ = noun_keys(text, pos)
    dims = nouns & _MEASURES
    return (next(iter(dims)), factor) if len(dims) == 1 and not money else None


def _obj_keys(obj: str, measure: str | None = None) -> frozenset[str]:
    """Keys of what a count counts: a canonical unit where ``tools.units`` knows it, else the noun (first
    character of a Chinese one) and a specific measure word."""
    for probe in ((measure or "") + obj, obj):
        found = match_unit(" " + probe, 0) if probe else None
        if found is not None and not found[0].startswith(("usd", "cny", "percent")):
            return frozenset({(dimension(found[0]) or found)[0]})  # "per kW" is per watt, as "3 kW" is watts
    if re.fullmatch(chip_pattern(), obj):
        return frozenset({"gpu"})  # "each H100", "每张 H800": a chip is counted as a GPU
    if obj in _ALIASES or obj[:1] in _ALIASES:
        return frozenset({_ALIASES.get(obj, _ALIASES.get(obj[:1], ""))})
    if re.match(r"[\u4e00-\u9fff]", obj):
        keys = {_canon(obj[0])}
        if measure and measure not in GENERIC_MEASURE:
            keys.add(_PEOPLE.get(measure, measure))
        return frozenset(keys)
    if measure and not obj:
        return frozenset({_PEOPLE.get(measure, measure)})
    return frozenset({_canon(obj.split()[-1])})


def _obj_factor(obj: str, measure: str | None = None) -> Fraction:
    """The factor of what a rate is per to its base unit ("per minute": 60 seconds, "per kW": 1,000 watts), as
    ``_obj_keys`` names it by the base unit; 1 for anything else."""
    for probe in ((measure or "") + obj, obj):
        found = match_unit(" " + probe, 0) if probe else None
        if found is not None and not found[0].startswith(("usd", "cny", "percent")):
            dim = dimension(found[0])
            return Fraction(found[1] * dim[1]) if dim else Fraction(1)
    return Fraction(1)


def _per_after(text: str, pos: int, stop: int) -> tuple[list[tuple[frozenset[str], Fraction]], int]:
    out: list[tuple[frozenset[str], Fraction]] = []
    while pos < stop:
        m = _PER_AFTER.match(text, pos, stop)
        if not m:
            break
        if m.group("each"):
            out.append((frozenset({"*"}), Fraction(1)))
        else:
            obj = m.group("obj") or m.group("objs")
            scale = Fraction(1)
            obj = re.sub(r"^1\s([KkMB])\b", r"1\1", obj)  # "per 1 K tokens" as "per 1K tokens"
            first = obj.split()[0].lower()
            if first in _PER_SCALES and " " in obj:
                scale, obj = Fraction(_PER_SCALES[first]), obj.split(" ", 1)[1]
            head = re.match(r"[A-Za-z]+\s+([A-Za-z]+)", text[m.end() - len(obj) : m.end() + 24])
            if head and head.group(1).lower() not in _EN_STOP and not match_unit(" " + obj, 0):
                obj = head.group(1)  # "per million input tokens": the noun after an adjective
            if obj.lower() in _EN_STOP or (m.group(0).strip()[:1] in "aA" and not match_unit(" " + obj, 0)):
                break  # "a 12x jump", "an average": not "a month"
            if re.match(r"\s+(?:ago|earlier|before|later)\b", text[m.end() : m.end() + 10], re.IGNORECASE):
                break  # "900 million a year ago": a date, not "a year"
            out.append((_obj_keys(obj), scale * _obj_factor(obj)))
        pos = m.end()
    return out, pos


def _per_before(text: str, lo: int, pos: int) -> list[tuple[frozenset[str], Fraction]]:
    out: list[tuple[frozenset[str], Fraction]] = []
    stretch = text[lo:pos]
    if _EACH_WORD.search(stretch):  # "单价 2.5 美元": a price of one, whatever is counted
        return [(frozenset({"*"}), Fraction(1))]
    if _PER_HEAD.search(stretch):  # "人均 20 万元", "per capita"
        return [(frozenset({"人"}), Fraction(1))]
    for m in _PER_BEFORE_ZH.finditer(stretch):
        obj = m.group("obj")
        measure = m.group("m")
        if measure and obj and re.match(r"[\u4e00-\u9fff]", obj) and len(obj) > 1 and obj[0] in "成为是放插跑":
            obj = ""
        scale = Fraction(_PER_SCALES[m.group("scale")]) if m.group("scale") else Fraction(1)
        short = obj[:2] if obj and CJK_RE.match(obj) else obj
        keys = _obj_keys(short or "", measure) if obj or measure else frozenset()
        if keys:
            out.append((keys, scale * _obj_factor(short or "", measure)))
    for m in _PER_BEFORE_EN.finditer(stretch):
        if m.group("obj").lower() not in _EN_STOP:
            out.append((_obj_keys(m.group("obj")), Fraction(1)))
    for word, unit in _TIME_ADJ.items():
        if re.search(rf"(?<![A-Za-z]){word}(?![A-Za-z])", stretch, re.IGNORECASE):
            out.append((frozenset({unit}), Fraction(1)))
    return out


def read_quantities(
    text: str, toks: list[Tok], lo: int, hi: int, skip: list[tuple[int, int]], ranges: bool = False
) -> list[Qty]:
    """The quantities of ``text[lo:hi]`` (one sentence), in order. Numbers inside ``skip`` spans are left out, and
    the ends of a range ("10 到 20 个") unless ``ranges``."""
    nums: list[Tok] = [t for t in toks if t.kind == "num" and lo <= t.start and t.end <= hi]
    for m in _WORD_NUMBER.finditer(text, lo, hi):
        n = _EN_NUMBERS.get((m.group("en") or "").lower()) or _ZH_NUMBERS.get(m.group("zh") or "", 0)
        if n and not any(t.start < m.end() and m.start() < t.end for t in nums):
            nums.append(Tok("num", m.group(0), m.start(), m.end(), Fraction(n), Fraction(1), Fraction(1)))
    for m in _MULT_WORD.finditer(text, lo, hi):  # "twice the", "triple its": a multiple written as a word
        if not any(t.start < m.end() and m.start() < t.end for t in nums):
            said = m.group(0).split()[-1].lstrip(",，(—")
            start = m.end() - len(said)
            nums.append(Tok("num", said, start, m.end(), Fraction(_MULT_VALUES[said.lower()]), Fraction(1), Fraction(1)))
    nums.sort(key=lambda t: t.start)
    out: list[Qty] = []
    last_reach = lo
    for t in nums:
        if any(a <= t.start < b for a, b in skip):
            continue
        if _is_date(text, t) or (_in_range(text, t) and not ranges) or _list_marker(text, t):
            continue
        if out and out[-1].per and t.start < last_reach:
            continue  # "$0.002 per 1K tokens": the 1K says what the price is per, it is no count
        cur = re.match(r"(US\$|\$|€|£|¥|￥)", t.text)
        money = _CURRENCY_SIGNS[cur.group(1)] if cur else ""
        end = t.end
        nouns: frozenset[str] = frozenset()
        factor = Fraction(1)
        if not t.pct and not cur:  # "$35.6 billion made up": after a currency sign the words are not a unit
            nouns, code, factor, end = noun_keys(text, t.end)
            money = money or code
            if money:
                nouns = frozenset()
        clause_lo = max([lo] + [m.end() for m in _CLAUSE_BREAK.finditer(text, lo, t.start)])
        per_after, reach = _per_after(text, end, hi)
        # "per"/"每" before the number, after the figure before it: "每张卡每小时 1.8 美元", not "2 bytes per parameter … 140 GB"
        own_lo = max(clause_lo, last_reach if last_reach <= t.start else clause_lo)
        last_reach = reach
        per = _per_before(text, own_lo, t.start) + per_after
        if out and out[-1].start >= clause_lo and _EACH_OF.search(text, clause_lo, out[-1].start) and out[-1].nouns:
            per.append((out[-1].nouns, Fraction(1)))  # "Each of the 16 nodes holds 8 GPUs": 8 GPUs per node
        word = t.kind == "num" and not t.text[:1].isdigit() and not cur and t.text[:1] not in ".$"
        tok = t
        if factor != 1:
            tok = Tok("num", t.text, t.start, t.end, t.value * factor, t.ulp * factor, t.sig_ulp * factor, t.pct)
        hedged = bool(_HEDGE_BEFORE.search(text[clause_lo : t.start]))
        if t.text.lower() in _MULT_VALUES:
            nouns, per = frozenset({"times"}), []
        out.append(Qty(tok, t.start, end, nouns, money, per, hedged, word, factor))
    return _priced_per_count(text, out)


# "每 1,000 次查询", "每处理 100 万个 token": a count after 每 (and a verb of at most two characters)
_PER_COUNT_BEFORE = re.compile(r"每\s*[\u4e00-\u9fff]{0,2}\s*$")


def _priced_per_count(text: str, qs: list[Qty]) -> list[Qty]:
    """A count after 每 followed, in its clause, by a price ("每 1,000 次查询花费 1.5 美元") says what the price is
    per, like "per 1K queries": the price is per that many, and the count is no quantity of its own. Before any
    other figure ("每 1 万次请求中有 35 次超时") the count stays: it is the whole of what follows."""
    out: list[Qty] = []
    for i, q in enumerate(qs):
        nxt = qs[i + 1] if i + 1 < len(qs) else None
        if (
            nxt is not None and nxt.money and not nxt.per and not q.money and not q.tok.pct and q.nouns
            and _PER_COUNT_BEFORE.search(text, max(0, q.start - 4), q.start) and not _CLAUSE_BREAK.search(text, q.end, nxt.start)
        ):  # fmt: skip
            nxt.per.append((q.nouns, q.value))
            continue
        out.append(q)
    return out


def _is_date(text: str, t: Tok) -> bool:
    """A year ("2024", "2024 年") or a month/day written with a number ("3 月", "11月")."""
    raw = t.text.strip()
    after = text[t.end : t.end + 2].lstrip()
    if re.fullmatch(r"(?:19|20)\d\d", raw) and not after.startswith(("%", "万", "亿")):
        unit = match_unit(text, t.end)  # "1979 TFLOPS", "2048 张卡": a count, not a year
        return unit is None or unit[0] in {"year", "month", "day", "date"}
    return bool(re.fullmatch(r"\d{1,2}", raw)) and after[:1] in {"月", "日", "号"} and not after.startswith("月租")


def _in_range(text: str, t: Tok) -> bool:
    """One end of a range ("2-3倍", "10 到 20 个", "5~8%"), which no relation reads exactly."""
    before = text[max(0, t.start - 3) : t.start]
    after = text[t.end : t.end + 3]
    joint = r"\s?(?:-|–|~|～|到|至)\s?"
    return bool(re.search(rf"\d{joint}$", before) or re.match(rf"{joint}\d", after))


def _list_marker(text: str, t: Tok) -> bool:
    """ "1. " or "2) " opening a line, or a reference marker ("[22]")."""
    if text[t.start - 1 : t.start] == "[" or text[t.end : t.end + 1] == "]":
        return True
    line_start = text.rfind("\n", 0, t.start) + 1
    return not text[line_start : t.start].strip() and bool(re.match(r"[.)、]\s", text[t.end : t.end + 2]))
