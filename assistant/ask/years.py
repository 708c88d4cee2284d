"""The years a candidate sentence speaks of, for a question asking about a given year.

A question naming a year ("revenue for 2021", "2024 年全年的营收") is answered only by a figure of that year. A
sentence dates its figures itself ("2022 年至 2024 年营业收入分别为 …"), or takes its year from what comes
before it in its paragraph, its neighbour, its section heading, its table's header or caption, or the document's
title ("寒武纪 2024 年营收大增 65%"). A sentence stating other years only, or standing where no line names the
asked year, speaks of another year: its figure must not be lent to the one asked.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence, Set

from assistant.ask.spans import Span
from assistant.text import PREVIOUS_YEAR_EN, PREVIOUS_YEAR_ZH

# A calendar year as written in prose or tables (not "2048 tokens": years past the 2030s are read as numbers).
_YEAR = re.compile(r"(?<![\d.,])(19[5-9]\d|20[0-3]\d)(?![\d%]|\.\d|,\d)")
# "2022 年至 2024 年", "2022-2024", "from 2022 to 2024", "2022 through 2024": every year between counts.
_RANGE = re.compile(
    r"(?<![\d.,])(19[5-9]\d|20[0-3]\d)\s*(?:年)?\s*(?:至|到|-|–|—|~|to|through)\s*(19[5-9]\d|20[0-3]\d)(?!\d)",
    re.I,
)
# A part of a year ("first half of 2024", "2024 年第四季度", "Q3 2025"): its figures are not the year's.
PART_OF_YEAR = re.compile(
    r"\b(?:first|second|1st|2nd)[\s-]+half\b|\bh[12]\b|\bq[1-4]\b|\bquarter|\bnine months|\bsix months|"
    r"上半年|下半年|季度|一季|二季|三季|四季|单季|前三季|前两季|半年",
    re.I,
)
# A year named relative to another ("the same period a year earlier", "比上一年"): the year written is not it.
_RELATIVE_YEAR = re.compile(
    rf"{PREVIOUS_YEAR_ZH}|同期|同比|\b(?:{PREVIOUS_YEAR_EN})|year[- ]on[- ]year|year[- ]over[- ]year", re.I
)
# How near a year a part-of-year word qualifies it.
PART_REACH = 16
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
# How far back in its paragraph a sentence takes its year from.
PARAGRAPH_REACH = 600


def stated_years(text: str) -> set[str]:
    """The years ``text`` writes, with every year of a written range."""
    years = set(_YEAR.findall(text))
    for m in _RANGE.finditer(text):
        first, last = int(m.group(1)), int(m.group(2))
        if first < last <= first + 20:
            years |= {str(y) for y in range(first, last + 1)}
    return years


def asked_years(terms: Iterable[str], question: str) -> set[str]:
    """The calendar years among a question's terms ("2048" of "2048-GPU cluster" is a count, not a year); none
    when the question asks about a year relative to the one it names ("上年同期", "a year earlier")."""
    if _RELATIVE_YEAR.search(question):
        return set()
    return {t for t in terms if _YEAR.fullmatch(t)}


def asks_part_of_year(question: str) -> bool:
    """Whether a question asks about a part of a year (a half, a quarter)."""
    return bool(PART_OF_YEAR.search(question))


def _part_of_year(text: str, year: re.Match[str]) -> bool:
    near = text[max(0, year.start() - PART_REACH) : year.end() + PART_REACH]
    return bool(PART_OF_YEAR.search(near))


def paragraph_before(text: str, start: int) -> str:
    """The part of ``start``'s paragraph before it (at most ``PARAGRAPH_REACH`` characters)."""
    lo = max(0, start - PARAGRAPH_REACH)
    cut = text.rfind("\n\n", lo, start)
    return text[cut + 2 if cut >= 0 else lo : start]


def speaks_of_year(
    asked: Set[str],
    own: str,
    context: Sequence[Sequence[str]],
    *,
    has_figure: bool = False,
    figure_year: str | None = None,
    part_asked: bool = True,
) -> bool:
    """Whether a candidate (its text ``own``) can speak of one of the ``asked`` years: it writes one; or else its
    figure is dated to no year (``figure_year``: the year its sentence dates it to), or without a figure its
    sentence does not open with another year, and the first tier of its ``context`` that writes a year (the
    paragraph before it and its neighbours; its heading, header and title; the document's opening, its
    dateline) writes one asked. Where nothing writes a year, nothing says it is another.
    ("单季收入已接近 2024 年全年水平" compares with 2024; its figure belongs to the 2025 its paragraph names.)"""
    if not asked:
        return True
    written = stated_years(own)
    if written & asked:
        # "the first half of 2024" is not 2024 when the whole year is asked
        return part_asked or not all(_part_of_year(own, m) for m in _YEAR.finditer(own) if m.group(1) in asked)
    if figure_year is not None or (written and not has_figure and _dated_first(own)):
        return False
    for tier in context:
        years = set().union(*(stated_years(c) for c in tier if c))
        if years:
            return bool(years & asked)
    return True


def _dated_first(text: str) -> bool:
    """Whether a sentence writes a year before its first other number ("For the whole of 2023 it reported …")."""
    year = _YEAR.search(text)
    if year is None:
        return False
    number = next((m for m in _NUMBER.finditer(text) if not _YEAR.fullmatch(m.group())), None)
    return number is None or year.start() < number.start()


def year_context(text: str, spans: Sequence[Span], j: int, labels: Sequence[str], opening: str) -> list[list[str]]:
    """What dates span ``j`` of ``text`` when it writes no year, nearest first: the paragraph before it and its
    neighbour sentences; its ``labels`` (heading, caption, header row, the document's title); the document's
    ``opening`` (a news article's dateline)."""
    sp = spans[j]
    near = [
        text[spans[k].start : spans[k].end]
        for k in (j - 1, j + 1)
        if 0 <= k < len(spans) and spans[k].kind == sp.kind == "sentence"
    ]
    return [[paragraph_before(text, sp.start), *near], list(labels), [opening]]
