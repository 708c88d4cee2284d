"""The unit words the figure parser recognises after a number, in Chinese and English, and their canonical names.

Each entry is a regular expression tried at the position right after a number (and its scale), in order: longer
and more specific forms come first so that "GPU hours" wins over "GPU" and "美元/小时" over "美元".
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import cache
from typing import Any

from tools.vocab import chip_pattern

__all__ = [
    "MONEY_UNITS", "CURRENCY_CODES", "DURATION_UNITS", "SECOND_UNITS", "TIME_UNITS", "POWER_UNITS", "ENERGY_UNITS", "PRICE_PER_HOUR_UNITS",
    "CANONICAL_UNITS", "DIMENSIONS", "chip_pattern", "units", "match_unit", "match_rate_suffix", "dimension",
]  # fmt: skip

CANONICAL_UNITS = (
    "usd",
    "cny",
    "percent",
    "percentage_point",
    "times",
    "gpu_hour",
    "hour",
    "day",
    "week",
    "month",
    "year",
    "second",
    "minute",
    "token",
    "param",
    "flop",
    "flop_per_s",
    "byte",
    "byte_per_s",
    "gpu",
    "node",
    "watt",
    "kilowatt",
    "megawatt",
    "gigawatt",
    "terawatt",
    "watt_hour",
    "kilowatt_hour",
    "megawatt_hour",
    "gigawatt_hour",
    "terawatt_hour",
    "usd_per_gpu_hour",
    "usd_per_hour",
    "cny_per_gpu_hour",
    "cny_per_hour",
    "date",
)
# The currencies the parser reads ("$", "美元", "元", "RMB"); a price per hour is one of them per hour.
MONEY_UNITS = frozenset({"usd", "cny"})
# Every currency code a figure may carry (a table or caption can name one the parser does not read itself).
CURRENCY_CODES = frozenset({"usd", "cny", "eur", "gbp", "jpy", "hkd"})
DURATION_UNITS = frozenset({"hour", "day", "week", "month", "year"})
# Seconds measure latencies ("120 毫秒", "35 ms"), not the spans the calculators project over.
SECOND_UNITS = frozenset({"second"})
# A span of time in any unit: what "how long" asks for.
TIME_UNITS = DURATION_UNITS | SECOND_UNITS | {"minute"}
# Power and energy keep the number as written ("835 MW" is 835 megawatt, as a reader quotes it); what one unit is
# worth in another is in ``DIMENSIONS``.
_POWER_PREFIXES = (
    # (unit name, symbol prefix, Chinese word, English word, factor to the watt)
    ("", "", "瓦特?", "watt", 1),
    ("kilo", "[kK]", "千瓦", "kilowatt", 10**3),
    ("mega", "M", "兆瓦", "megawatt", 10**6),
    ("giga", "G", "吉瓦|千兆瓦", "gigawatt", 10**9),
    ("tera", "T", "太瓦", "terawatt", 10**12),
)
POWER_UNITS = frozenset(f"{p}watt" for p, *_ in _POWER_PREFIXES)
ENERGY_UNITS = frozenset(f"{p}watt_hour" for p, *_ in _POWER_PREFIXES)
# What each unit measures and its factor to that dimension's base unit, for units whose figures are not already
# in the base unit. Bytes and seconds are scaled when read ("80 GB" is 8e10 byte), so they map to themselves;
# hours, days and the longer spans stay units of their own (the calculators project over them).
DIMENSIONS: dict[str, tuple[str, Decimal]] = {
    "byte": ("byte", Decimal(1)),
    "second": ("second", Decimal(1)),
    "minute": ("second", Decimal(60)),
    **{f"{p}watt": ("watt", Decimal(f)) for p, _, _, _, f in _POWER_PREFIXES},
    **{f"{p}watt_hour": ("watt_hour", Decimal(f)) for p, _, _, _, f in _POWER_PREFIXES},
}
# Money per hour of a GPU or a machine: a price or a rent, not an amount.
PRICE_PER_HOUR_UNITS = frozenset({"usd_per_gpu_hour", "usd_per_hour", "cny_per_gpu_hour", "cny_per_hour"})

_NOLETTER = r"(?![A-Za-z])"
_GPU_HOUR = r"(?:GPU|gpu|卡)\s{0,2}[-·‐ ]?\s{0,2}(?:hours?|hrs?|h|小时|时)" + _NOLETTER

_SI = {"K": 10**3, "M": 10**6, "G": 10**9, "T": 10**12, "P": 10**15, "E": 10**18}
_SI_WORDS = {"kilo": 10**3, "mega": 10**6, "giga": 10**9, "tera": 10**12, "peta": 10**15, "exa": 10**18}
_BIN = {"K": 2**10, "M": 2**20, "G": 2**30, "T": 2**40, "P": 2**50}


def _u(
    pattern: str, unit: str, factor: int | Decimal = 1, flags: int = 0
) -> tuple[re.Pattern[str], str, Decimal]:
    return re.compile(pattern, flags), unit, Decimal(factor)


def _build() -> list[tuple[re.Pattern[str], str, Decimal]]:
    CHIP = chip_pattern()  # read from tools/data/names.toml
    units = []
    # Rates first: they start with the currency word that would otherwise match alone.
    for cur, unit in ((r"美元|美金|dollars?|USD", "usd"), (r"元|人民币|yuan|RMB|CNY", "cny")):
        units.append(
            _u(
                rf"\s{{0,2}}(?:{cur})\s{{0,2}}(?:/|每|per\s)\s{{0,2}}(?:{CHIP}\s{{0,2}})?{_GPU_HOUR}",
                f"{unit}_per_gpu_hour",
            )
        )
        units.append(
            _u(
                rf"\s{{0,2}}(?:{cur})\s{{0,2}}(?:/|每|per\s)\s{{0,2}}(?:卡|GPU)\s{{0,2}}(?:/|每|per\s)?\s{{0,2}}(?:小时|hour)",
                f"{unit}_per_gpu_hour",
            )
        )
        units.append(
            _u(
                rf"\s{{0,2}}(?:{cur})\s{{0,2}}(?:/|每|per\s|an\s|a\s)\s{{0,2}}(?:hours?|hr|h|小时){_NOLETTER}",
                f"{unit}_per_hour",
            )
        )
    units += [
        _u(r"\s{0,2}(?:美元|美金)", "usd"),
        _u(r"\s{0,2}(?:US\s{0,2}dollars?|dollars?|USD)" + _NOLETTER, "usd"),
        _u(r"\s{0,2}(?:US\s{0,2})?(?:cents?|¢)" + _NOLETTER, "usd", Decimal("0.01")),  # "15 cents" is $0.15
        _u(r"\s{0,2}(?:元人民币|元|人民币)", "cny"),
        _u(r"\s{0,2}(?:yuan|RMB|CNY)" + _NOLETTER, "cny"),
        _u(r"\s{0,2}(?:%|％|percent|per\scent)" + _NOLETTER, "percent", Decimal("0.01")),
        _u(r"\s{0,2}(?:%|％)", "percent", Decimal("0.01")),
        _u(
            r"\s{0,2}(?:个百分点|percentage\spoints?|pp|pts?)" + _NOLETTER,
            "percentage_point",
            Decimal("0.01"),
        ),
        _u(r"成(?![本功为立熟长果员都交就绩型分品])", "percent", Decimal("0.1")),
        _u(r"半(?![年月天小个])", "percent", Decimal("0.5")),
        _u(r"\s{0,2}(?:倍)", "times"),
        _u(r"\s{0,2}(?:times|-?fold)" + _NOLETTER, "times"),
        _u(rf"\s{{0,2}}[x×]\s{{0,2}}{CHIP}(?![A-Za-z0-9])", "gpu"),
        _u(r"[x×X](?=\s|$|[,.;:)，。；）])", "times"),
        _u(rf"\s{{0,2}}(?:{CHIP}\s{{0,2}})?{_GPU_HOUR}", "gpu_hour"),
        _u(r"\s{0,2}卡时", "gpu_hour"),
        _u(r"\s{0,2}(?:个)?(?:小时)", "hour"),
        _u(r"[- ]?(?:hours?|hrs?)" + _NOLETTER, "hour"),
        _u(r"\s{0,2}毫秒", "second", Decimal("0.001")),
        _u(r"\s{0,2}(?:milliseconds?|msecs?|ms)" + _NOLETTER, "second", Decimal("0.001")),
        _u(r"\s{0,2}秒(?![杀钟表])", "second"),
        _u(r"[- ]?(?:seconds?|secs?)" + _NOLETTER, "second"),
        _u(r"\s{0,2}分钟", "minute"),
        _u(r"[- ]?(?:minutes?|mins?)" + _NOLETTER, "minute"),
        # "24h", "3 h": a lower-case h alone ("H100", "1H 2024" are no hours)
        _u(r" ?h(?![A-Za-z0-9])", "hour"),
        _u(r"\s{0,2}(?:天)", "day"),
        _u(r"[- ]?(?:days?)" + _NOLETTER, "day"),
        # "三周", "两个星期"; not "三周年" (an anniversary), "周岁" (an age) or "周期" (a period)
        _u(r"\s{0,2}(?:个)?(?:星期|周)(?![年岁期刊末])", "week"),
        _u(r"[- ]?(?:weeks?|wks?)" + _NOLETTER, "week"),
        _u(r"\s{0,2}(?:个月)", "month"),
        _u(r"[- ]?(?:months?)" + _NOLETTER, "month"),
        _u(r"\s{0,2}年(?![代级度份])", "year"),
        _u(r"[- ]?(?:years?|yrs?)" + _NOLETTER, "year"),
        _u(r"(?:\s|-)?(?:个)?(?:tokens?|Tokens?|词元)" + _NOLETTER, "token"),
        _u(r"\s{0,2}(?:个)?(?:激活|活跃)?(?:参数)", "param"),
        _u(r"[- ]?(?:(?:total|active|activated)\s)?(?:parameters?|params?)" + _NOLETTER, "param"),
    ]
    units += _power_units()
    for prefix, factor in _SI.items():
        # tables often write the rate in lower case ("tflops"); the scale letter is then lower case too
        units.append(
            _u(
                rf"\s{{0,2}}(?:{prefix}(?:FLOP/s|FLOPs/s|Flop/s|Flops/s|FLOPS|FLOPs|flops|flop/s)|{prefix.lower()}flops)" + _NOLETTER,
                "flop_per_s",
                factor,
            )
        )
    for word, factor in _SI_WORDS.items():
        # "7.5 petaflops", "190 exaFLOPS", "a 20-teraflop chip": the prefix written out
        units.append(_u(rf"[\s-]{{0,2}}(?i:{word})(?:flops?|FLOPS?|FLOP/s|flop/s)" + _NOLETTER, "flop_per_s", factor))
    units.append(_u(r"\s{0,2}(?:FLOP/s|flop/s)", "flop_per_s"))
    units.append(_u(r"\s{0,2}(?:FLOPs?|FLOPS|flops?)" + _NOLETTER, "flop"))
    for prefix in _BIN:
        # "3.35 TB/s", and "4.80 TBps" as hardware tables write it (capital B: bytes, not "Gbps" bits)
        units.append(_u(rf"\s{{0,2}}{prefix}i?(?:B/s(?:ec)?|Bps)" + _NOLETTER, "byte_per_s", _SI[prefix]))
        units.append(_u(rf"\s{{0,2}}{prefix}iB" + _NOLETTER, "byte", _BIN[prefix]))
        units.append(_u(rf"\s{{0,2}}{prefix}B" + _NOLETTER, "byte", _SI[prefix]))
    units.append(_u(r"\s{0,2}(?:[Bb]ytes?|字节)" + _NOLETTER, "byte"))
    units += [
        _u(rf"\s{{0,2}}(?:张|块|颗|片)(?:{CHIP}\s{{0,2}})?(?:GPU|卡|加速卡|芯片|显卡)?", "gpu"),
        _u(rf"\s{{0,2}}(?:{CHIP}\s{{0,2}})?(?:GPUs?|cards?|accelerators?|chips?)" + _NOLETTER, "gpu"),
        _u(r"\s{0,2}(?:H|A|B)\d{2,3}s(?![A-Za-z])", "gpu"),
        _u(r"\s{0,2}(?:个)?(?:节点|台服务器|台机器)", "node"),
        _u(r"[- ]?(?:nodes?|servers?)" + _NOLETTER, "node"),
    ]
    return units


def _power_units() -> list[tuple[re.Pattern[str], str, Decimal]]:
    """Energy first ("MWh", "千瓦时" start with a power unit), then power; "度电" is the kilowatt hour of Chinese
    news (a bare "度" is as often a degree)."""
    out = [_u(r"\s{0,2}度电", "kilowatt_hour")]
    for name, sym, zh, en, _ in _POWER_PREFIXES:
        out.append(
            _u(rf"\s{{0,2}}(?:(?:{zh})(?:小?时)|{sym}Wh|{en}[- ]?hours?)" + _NOLETTER, f"{name}watt_hour")
        )
    for name, sym, zh, en, _ in _POWER_PREFIXES:
        out.append(_u(rf"\s{{0,2}}(?:(?:{zh})(?!小?时)|{sym}W|{en}s?)" + _NOLETTER, f"{name}watt"))
    return out


def dimension(unit: str | None) -> tuple[str, Decimal] | None:
    """What ``unit`` measures and its factor to the base unit of that dimension ("megawatt": ("watt", 10^6)),
    or None for a unit of no physical dimension (a currency, a count, a GPU)."""
    return DIMENSIONS.get(unit or "")


@cache
def units() -> list[tuple[re.Pattern[str], str, Decimal]]:
    """The unit patterns, in the order they are tried (built on first use from the names vocabulary)."""
    return _build()


@cache
def _rate_suffixes() -> list[tuple[re.Pattern[str], str, Decimal]]:
    CHIP = chip_pattern()
    return [
        _u(rf"\s{{0,2}}(?:/|per\s|每)\s{{0,2}}(?:{CHIP}\s{{0,2}})?{_GPU_HOUR}", "per_gpu_hour"),
        _u(
            r"\s{0,2}(?:/|per\s|每)\s{0,2}(?:GPU|卡)\s{0,2}(?:/|每|per\s)\s{0,2}(?:小时|hour)" + _NOLETTER,
            "per_gpu_hour",
        ),
        _u(r"\s{0,2}(?:/|per\s|an\s|a\s|每)\s{0,2}(?:hours?|hr|h|小时)" + _NOLETTER, "per_hour"),
    ]


def __getattr__(name: str) -> Any:
    # ``UNITS`` and ``CHIP`` were built at import; they come from data files now, read on first use
    if name == "UNITS":
        return units()
    if name == "CHIP":
        return chip_pattern()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def match_unit(text: str, pos: int) -> tuple[str, Decimal, int] | None:
    """The unit starting at ``pos``: (canonical unit, multiplier, end offset) or None."""
    for pattern, unit, factor in units():
        m = pattern.match(text, pos)
        if m and m.end() > pos:
            return unit, factor, m.end()
    return None


def match_rate_suffix(text: str, pos: int) -> tuple[str, int] | None:
    """After a currency amount ("$2"), a rate suffix such as "/GPU hour" or "per hour": (suffix kind, end)."""
    for pattern, kind, _ in _rate_suffixes():
        m = pattern.match(text, pos)
        if m and m.end() > pos:
            return kind, m.end()
    return None
