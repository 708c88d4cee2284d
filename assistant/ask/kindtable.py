"""The kinds of figure a question can ask for (money, GPU hours, parameters, power, days, percent...).

Each kind lists the parsed units (``tools.units``) that answer it, the cue words that make a unit-less number
(a table cell, "reached 278") count, and the pattern of words that asks for it. A word is read as itself, not
inside a longer one: English stems start at a word boundary ("valuation" is money, "evaluation" is not; "ratio" is
not the end of "duration"), but for nouns that head compounds ("superchips", "supernodes", "petaflops",
"tenfold"); a Chinese measure word (张, 块, 颗) or one-character unit (天, 瓦) counts only right after a number, 多少 or 几
("多少块 GPU"; not the 块 of 模块, the 天 of 今天).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from pydantic import BaseModel, Field

from tools.units import ENERGY_UNITS, MONEY_UNITS, POWER_UNITS, PRICE_PER_HOUR_UNITS, TIME_UNITS


class AskedKind(BaseModel):
    """A kind of figure a question can ask for."""

    name: str
    units: frozenset[str] = Field(description="Parsed units that answer the question.")
    cues: tuple[str, ...] = Field((), description="Lowercase words that make a unit-less number count.")
    pattern: str = Field(description="Regex over the lowered focus phrase (or question) selecting this kind.")


_MONEY_UNITS = MONEY_UNITS | PRICE_PER_HOUR_UNITS
# Right after a count: the start of a focus phrase (which begins after 多少/几), 多少, 几, a digit or a numeral.
AFTER_COUNT = r"(?:^|(?<=多少)|(?<=几)|(?<=\d)|(?<=[一二两三四五六七八九十百千万]))\s*"
_C = AFTER_COUNT

# Order matters: the first kind whose pattern matches the focus wins ("price per GPU hour" is money).
KINDS: tuple[AskedKind, ...] = (
    AskedKind(
        name="times",
        units=frozenset({"times", "percent"}),
        cues=("times", "faster", "倍"),
        pattern=r"\b(?:faster|quicker|slower|speed-?up|times\b)|fold\b|倍|快多少|快了多少|性能.*多少",
    ),
    AskedKind(
        name="change",
        units=frozenset({"percent", "times", "percentage_point"}),
        cues=("%",),
        pattern=r"\b(?:reduc|cut|sav|lower|decreas|declin|increas|grow|rise|fall|drop|improv|shrink|boost)\w*|"
        r"\b(?:fell|fallen|rose|risen|grew|grown|shrank|shrunk)\b|"
        r"(?:减少|降低|下降|节省|节约|压缩|提升|提高|增长|增加|上涨|下调|上调)了?|涨幅|跌幅|涨了|跌了|降了",
    ),
    AskedKind(
        name="ratio",
        units=frozenset({"percent", "percentage_point"}),
        cues=("%", "percent", "成", "百分之"),
        pattern=r"\b(?:percent|share|margin|proportion|portion|fraction|utili[sz]ation)|"
        r"份额|占比|比例|比重|利润率|毛利率|利用率|百分|几成",
    ),
    AskedKind(
        name="money",
        units=_MONEY_UNITS,
        cues=("usd", "$", "美元", "元", "钱", "price", "cost"),
        pattern=r"\b(?:price|cost|rent(?:s|al|als|ed|ing)?\b|spend|spent|pay(?:s|ing|ment|ments)?\b|paid|revenue|"
        r"dollar|money|expens|budget|(?<!-)valu|fees?\b|profit|net (?:loss|income)|earnings)|"
        r"价格|价钱|单价|售价|报价|成本|费用|花费|租金|钱|收入|营收|美元|投资|估值|开销|资金|定价|收费|利润|亏损|净利|股价|"
        r"(?<![单多公纪])元(?!素)|charg",
    ),
    AskedKind(
        name="gpu_hour",
        units=frozenset({"gpu_hour"}),
        cues=("gpu hour", "gpu-hour", "gpu小时", "卡时"),
        pattern=r"\bgpu[\s-]?hours?|gpu\s?小时|卡时|机时",
    ),
    AskedKind(
        name="param", units=frozenset({"param"}), cues=("parameter", "参数", "params"), pattern=r"\bparam|参数"
    ),
    AskedKind(
        name="token",
        units=frozenset({"token"}),
        cues=("token", "词元", "context length", "上下文长度"),
        pattern=r"\btokens?\b|\btoken(?![a-z])|词元",
    ),
    AskedKind(
        name="percent",
        units=frozenset({"percent", "percentage_point"}),
        cues=("%", "percent", "成"),
        pattern=r"\bratio\b|\brate\b|比率|增速|增幅|降幅",
    ),
    AskedKind(
        name="energy",
        units=ENERGY_UNITS,
        # the unit words themselves, as a question writes them ("多少兆瓦时", "in MWh"): a figure in the unit names it
        cues=("wh", "kwh", "mwh", "gwh", "twh", "watt-hour", "watt hour", "energy", "electricity", "用电", "耗电",
              "电量", "瓦时", "千瓦时", "兆瓦时", "度电"),  # fmt: skip
        pattern=r"\b(?:kilo|mega|giga|tera)?watt[\s-]?hours?\b|\b[kmgt]?wh\b|\belectricity\b|"
        r"\b(?:energy|power)\s+(?:use|usage|consumption|consumed|used)\b|瓦小?时|度电|用电|耗电|电耗|能耗|发电量",
    ),
    AskedKind(
        name="power",
        units=POWER_UNITS,
        cues=("watt", "watts", "kilowatt", "kilowatts", "megawatt", "megawatts", "gigawatt", "gigawatts", "kw",
              "mw", "gw", "power", "tdp", "功率", "功耗", "瓦", "千瓦", "兆瓦", "吉瓦", "电力"),  # fmt: skip
        pattern=r"\b(?:kilo|mega|giga|tera)?watts?\b|\b[kmgt]w\b|(?<!compute )(?<!computing )\bpower\b|"
        r"\bt[dgb]p\b|(?:千|兆|吉|太|千兆)瓦(?!小?时)|" + _C + r"瓦(?!小?时)|功率|功耗|电力|供电|装机",
    ),
    AskedKind(
        name="duration",
        units=TIME_UNITS,
        cues=("day", "hour", "week", "month", "year", "second", "minute", "天", "小时", "周", "星期", "月", "年", "秒",
              "分钟"),  # fmt: skip
        pattern=r"\bdays?\b|\bhours?\b|\bmonths?\b|\byears?\b|\bweeks?\b|\bminutes?\b|how long|"
        rf"{_C}(?:天|个?小时|个月|分钟)|天数|小时数|多久|多长时间|几年"
        r"|(?:几|多少)个?(?:周|星期)|\b(?:milli)?seconds?\b|毫秒|多少秒",
    ),
    AskedKind(
        name="node",
        units=frozenset({"node"}),
        cues=("node", "节点", "server", "服务器"),
        pattern=r"nodes?\b|servers?\b|machines?\b|节点|服务器|台机器",
    ),
    AskedKind(
        name="bandwidth",
        units=frozenset({"byte_per_s"}),
        cues=("bandwidth", "带宽", "gb/s", "tb/s"),
        pattern=r"\bbandwidth|带宽",
    ),
    AskedKind(
        name="throughput",
        units=frozenset({"byte_per_s", "token", "token_per_s", "flop_per_s"}),
        cues=("throughput", "吞吐", "/s", "per second", "每秒"),
        pattern=r"\bthroughput|吞吐|速率|读取速度|写入速度",
    ),
    AskedKind(
        name="memory",
        units=frozenset({"byte"}),
        cues=("memory", "显存", "内存", "hbm", "gb"),
        pattern=r"\b(?:memory|hbm)|显存|内存",
    ),
    AskedKind(
        name="flops",
        units=frozenset({"flop_per_s", "flop"}),
        cues=("flop", "flops", "tflops", "算力"),
        pattern=r"flop|算力|\bcompute|\bperformance|性能",
    ),
    AskedKind(
        name="gpu",
        units=frozenset({"gpu"}),
        cues=("gpu", "card", "chip", "accelerator", "卡", "芯片"),
        pattern=r"(?:gpus?|cards?|chips?|accelerators?|devices?)\b|" + _C + r"(?:张|块|颗)|卡|芯片",
    ),
    AskedKind(
        name="date",
        units=frozenset({"date"}),
        cues=(),
        pattern=r"^when\b|what year|which year|何时|什么时候|哪一?年",
    ),
)
_KIND_BY_NAME = {k.name: k for k in KINDS}
_COMPILED = [(k, re.compile(k.pattern)) for k in KINDS]

# The kind of a "how many <noun>" question whose noun is no listed measure.
COUNT = "count"


def kind(name: str) -> AskedKind:
    """The asked kind called ``name`` (KeyError if none)."""
    return _KIND_BY_NAME[name]


def count_kind(noun: str) -> AskedKind:
    """The kind asked by "how many <noun>" when the noun is no listed measure: a bare count that the noun (in a
    sentence, a row label or a column header) stands beside ("384" in "| Number of Experts | 384 |")."""
    stem = re.sub(r"(?<!s)s$", "", re.sub(r"ies$", "y", noun)) if noun.isascii() and len(noun) > 4 else noun
    return AskedKind(name=COUNT, units=frozenset(), cues=tuple(dict.fromkeys((noun, stem))), pattern="")


def match_kind(text: str) -> AskedKind | None:
    """The first kind (in ``KINDS`` order) whose pattern occurs in the lowered ``text``."""
    for k, rx in _COMPILED:
        if rx.search(text):
            return k
    return None


def earliest_kind(text: str) -> AskedKind | None:
    """The kind whose word comes first: in "租金每小时3美元，每月下降2%，两年后是多少" the rent is asked about."""
    found = [(m.start(), i, k) for i, (k, rx) in enumerate(_COMPILED) if (m := rx.search(text))]
    return min(found, key=lambda x: (x[0], x[1]))[2] if found else None


# A bare number answering a count asked in the other script's words: weaker than one its cue word stands by.
BARE_COUNT = 0.4
_CJK_CHAR = re.compile(r"[\u4e00-\u9fff]")


def cues_unreadable(cues: Sequence[str], low: str) -> bool:
    """Whether none of a kind's cue words is written in the script of ``low`` (a Chinese noun, English text)."""
    cjk = len(_CJK_CHAR.findall(low)) * 3 > len(low)
    return bool(cues) and all(bool(_CJK_CHAR.search(c)) != cjk for c in cues)
