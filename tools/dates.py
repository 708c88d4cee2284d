"""Dates written in Chinese or English: "2024年12月", "January 2025", "2025-04", "2025年上半年", "Q1 2025".

A date's value is year*100+month (202412) when the month is known, else the year (2025). Halves and quarters carry
their first and last month as low/high (2025年上半年 -> 2025, low 202501, high 202506). A month without a year
("3月") has the month number (3) as its value.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

__all__ = ["MONTHS", "find_dates"]

# English month names and abbreviations -> month number.
MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4, "may": 5,
    "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9, "sept": 9, "sep": 9,
    "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}  # fmt: skip
_MONTH_ALT = "|".join(sorted(MONTHS, key=len, reverse=True))
_Y = r"(?P<y>(?:19|20)\d{2})"
_CN_PART = r"上半年|下半年|第?[一二三四1-4]季度|Q[1-4]|H[12]|年初|年底|年末|年中|初|底|末|中"
_PATTERNS = [
    re.compile(
        rf"(?<![\dA-Za-z.]){_Y}\s?年\s?(?:(?P<m>1[0-2]|0?[1-9])\s?月(?:\s?(?P<d>[12]\d|3[01]|0?[1-9])\s?[日号])?"
        rf"|(?P<part>{_CN_PART}))?"
    ),
    re.compile(
        rf"(?<![\dA-Za-z.]){_Y}[-/.](?P<m>1[0-2]|0[1-9])(?:[-/.](?P<d>[12]\d|3[01]|0[1-9]))?(?![\d.])"
    ),
    re.compile(
        rf"(?<![A-Za-z])(?:(?P<d>[12]\d|3[01]|0?[1-9])\s)?(?P<mon>{_MONTH_ALT})\.?\s(?:(?P<d2>[12]\d|3[01]|0?[1-9]),?\s)?"
        rf"{_Y}(?!\d)",
        re.IGNORECASE,
    ),
    re.compile(rf"(?<![A-Za-z\d])(?P<part>Q[1-4]|H[12]|FY)\s?{_Y}(?!\d)"),
    re.compile(
        rf"(?<![A-Za-z])(?:the\s)?(?P<part>first|second)\s(?P<what>half|quarter)\sof\s{_Y}(?!\d)", re.I
    ),
    re.compile(r"(?<![\d年个.])(?P<m>1[0-2]|0?[1-9])月(?:(?P<d>[12]\d|3[01]|0?[1-9])[日号])?(?!份?额)"),
]
_QUARTER = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}


def _part_months(part: str, what: str | None) -> tuple[int, int] | None:
    """First and last month of a half or quarter, or None for parts without a month range (年底, FY)."""
    p = part.lower()
    if p in ("上半年", "h1") or (p == "first" and what and what.lower() == "half"):
        return 1, 6
    if p in ("下半年", "h2") or (p == "second" and what and what.lower() == "half"):
        return 7, 12
    if what and what.lower() == "quarter":
        q = 1 if p == "first" else 2
        return 3 * q - 2, 3 * q
    if m := re.fullmatch(r"第?([一二三四1-4])季度|q([1-4])", p):
        q = _QUARTER[m[1] or m[2]]
        return 3 * q - 2, 3 * q
    return None


def find_dates(text: str) -> Iterator[tuple[int, int, float, float | None, float | None]]:
    """Yield (start, end, value, low, high) for each date in ``text``, non-overlapping, in pattern order."""
    taken: list[tuple[int, int]] = []
    for pattern in _PATTERNS:
        for m in pattern.finditer(text):
            if any(s < m.end() and m.start() < e for s, e in taken):
                continue
            groups = m.groupdict()
            year = int(groups["y"]) if groups.get("y") else None
            month = groups.get("m")
            if groups.get("mon"):
                month = str(MONTHS[groups["mon"].lower()])
            low = high = None
            if year is None:
                value = float(int(month or 0))
            elif month:
                value = float(year * 100 + int(month))
            else:
                value = float(year)
                if groups.get("part") and (months := _part_months(groups["part"], groups.get("what"))):
                    low, high = float(year * 100 + months[0]), float(year * 100 + months[1])
            taken.append((m.start(), m.end()))
            yield m.start(), m.end(), value, low, high
