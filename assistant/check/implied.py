"""Relations a draft states in words between figures of one sentence, recomputed exactly; each kind of relation
is computed in one module, and this one runs them sentence by sentence, one relation per stated figure:

- lists (here): parts listed before a total cue ("together", "in all", "合计", "三轮累计融资") sum to it, before an
  average cue ("average", "平均") average to it; a bare item takes the scale and unit of the list's last item
  ("120、150 和 160 万台"); a bare total right after a count counts what it counts ("8 GPUs, 128 in total");
- rates times counts, GPUs × duration = GPU hours: ``rates``; an amount in another currency at a stated rate:
  ``exchange`` (a total stated as such may take its rate from the
  sentence before: "Each node has 8 GPUs. The 16 nodes hold 128 GPUs in total.");
- comparisons and restatements: ``changes``; a difference stated as a lead or gap: ``gaps``; restatements per another period: ``rates``; shares: ``shares``;
- speed-ups and "A is N times B": ``multiples``; named subjects compared: ``named``; ranges: ``ranges``; fractions
  in words, discounts, a share of the sentence before's whole: ``parts``.

A stated result is right when it equals the exact result rounded to the digits written, after a hedge ("about",
"约") 1% more, and within what the operands' own rounding allows (see ``recompute``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from fractions import Fraction

from assistant.check.changes import find_changes, find_restatements
from assistant.check.exchange import find_conversions
from assistant.check.expr import Tok, tokenize
from assistant.check.gaps import find_gaps
from assistant.check.multiples import find_multiples, find_speedups
from assistant.check.named import find_named
from assistant.check.nearmiss import find_near_misses, is_near
from assistant.check.parts import find_carried_shares, find_discounts, find_fractions, find_fractions_of_start
from assistant.check.quantities import Qty, read_quantities
from assistant.check.ranges import find_range_relations, find_ranges_in
from assistant.check.rates import (
    RESTATE_OPENER,
    TOTAL_AFTER,
    TOTAL_BEFORE,
    find_periods,
    gpu_hours,
    is_total,
    per_unit,
    rate_products,
)
from assistant.check.recompute import Check, half, ok_within, record, same_kind, show
from assistant.check.shares import find_shares

_AVERAGE_BEFORE = re.compile(
    r"(?:average(?:s|d)?(?: out)?(?: to| of| at)?|averaging|an average of|mean(?: of)?|平均(?:为|是|每\S{0,3})?|均值为?)"
    r"[^0-9$€£¥￥]{0,6}$",
    re.IGNORECASE,
)
_OF_WHICH = re.compile(r"\s*[,，:：]?\s*(?:其中|包括|of which|including)[^\d。;；]{0,12}$", re.IGNORECASE)
_IS_BEFORE = re.compile(r"[)）]?\s*(?:\bis|\bwas|\bequals|为|是|=)\s*(?:about\s+|约)?$", re.IGNORECASE)
# "三轮累计融资 19.5 亿元", "合计成本 …": a total cue, a noun of a few characters, then the total
_TOTAL_NAMED = re.compile(r"(?:累计|合计|总计|共计|总共|一共)[\u4e00-\u9fff]{1,4}\s*(?:为|是|约|达|达到)?\s*$")
_LIST_SEP = re.compile(r"\s*(?:[、,，]\s*(?:and\s+|和|及|以及)?|\s(?:and|plus)\s|和|及|以及|与)\s*$")


# --- lists ------------------------------------------------------------------------------------------------------


def _inherit(text: str, qs: list[Qty]) -> None:
    """A bare item of a list takes the unit and scale of the item after it ("120、150 和 160 万台")."""
    for i in range(len(qs) - 2, -1, -1):
        a, b = qs[i], qs[i + 1]
        if not a.bare or b.bare or a.word or not _LIST_SEP.search(text[a.end : b.start] + " "):
            continue
        if not re.fullmatch(r"\s*(?:[、,，]\s*(?:and\s+|和|及)?|\s(?:and|plus)\s|和|及|与)\s*", text[a.end : b.start]):
            continue
        factor = b.tok.scale if a.tok.scale == 1 and b.tok.scale != 1 else Fraction(1)
        t = a.tok
        a.tok = Tok("num", t.text, t.start, t.end, t.value * factor, t.ulp * factor, t.sig_ulp * factor, t.pct)
        a.tok.scale = t.scale * factor
        a.nouns, a.money = b.nouns, b.money


def _inherit_total(text: str, qs: list[Qty]) -> None:
    """A bare total right after a counted figure counts what it counts: "holds 8 GPUs, 128 in total"."""
    for a, b in zip(qs, qs[1:], strict=False):
        counted = not a.bare and not a.tok.pct and not a.money and not a.multiple
        if counted and b.bare and not b.word and re.fullmatch(r"\s*[,，]\s*", text[a.end : b.start]) and TOTAL_AFTER.match(text, b.end):
            b.nouns = a.nouns


def _listed_with(text: str, a: Qty, b: Qty) -> bool:
    """``a`` and ``b`` are neighbours in a list: a separator and a few words between them ("$12.4B), devices
    ($3.1B", "532.8 万美元，上下文扩展 23.8 万美元"), no sentence break."""
    between = text[a.end : b.start]
    return len(between) <= 24 and bool(re.search(r"[、,，;；]|\band\b|\bplus\b|和|及|与|加上", between)) and not re.search(
        r"[。!?！？]|\.\s", between
    )


def _parts_after(text: str, rest: list[Qty], t: Qty) -> list[Qty]:
    """The parts a total lists right after it: "累计融资 35 亿元，其中 A 公司 20 亿元、B 公司 10 亿元", "$5.6B in total,
    of which $3.1B …"."""
    if not rest or not _OF_WHICH.match(text, t.end, rest[0].start):
        return []
    parts = [rest[0]] if same_kind(rest[0], t) and not rest[0].per else []
    for q in rest[1:]:
        if not parts or not same_kind(q, t) or q.per or not _listed_with(text, parts[-1], q):
            break
        parts.append(q)
    return parts


def _lists(text: str, qs: list[Qty]) -> tuple[list[Check], set[int]]:
    out: list[Check] = []
    listed: set[int] = set()
    for i, t in enumerate(qs):
        before = text[max(0, t.start - 30) : t.start]
        # "平均每季度 145 万台"; "The average of the five scores (71, 74, 78, 80, 82) is 77"
        average = bool(_AVERAGE_BEFORE.search(before)) or bool(
            _IS_BEFORE.search(before) and re.search(r"\baverage\b|\bmean\b|平均", text[max(0, t.start - 90) : t.start], re.I)
        )
        total = bool(TOTAL_BEFORE.search(before) or TOTAL_AFTER.match(text, t.end) or _TOTAL_NAMED.search(before))
        breakdown = bool(re.search(r"(?:总|累计|total)[^，,。;；\d]{0,20}$", before, re.I)) and bool(  # "累计融资 35 亿元，其中…"
            _OF_WHICH.match(text, t.end, qs[i + 1].start if i + 1 < len(qs) else t.end)
        )
        if not (average or total or breakdown):
            continue
        if t.tok.pct or t.multiple:
            continue
        parts: list[Qty] = []
        for q in reversed(qs[:i] if average or total else []):
            if same_kind(q, t) and not q.per and not q.tok.pct and not q.multiple:
                if parts and not _listed_with(text, q, parts[-1]):
                    break
                parts.append(q)
            elif q.word or (not same_kind(q, t) and parts and q.value == len(parts) and not q.per):
                continue  # "三项", "the three benchmarks": the list's own count
            elif parts:
                break
        if len(parts) < 2 and breakdown:
            parts = _parts_after(text, qs[i + 1 :], t)
        else:
            parts.reverse()
        if len(parts) < 2:
            continue
        low, high = min(q.value for q in parts), max(q.value for q in parts)
        if (average and not low / 2 <= t.value <= high * 2) or (not average and (low < 0 or t.value <= high)):
            continue  # a total smaller than a part, an average far outside the parts: another quantity
        counted = [q for q in qs[:i] if q not in parts and q.value == len(parts) and not same_kind(q, t)]
        if average and counted == [] and not re.search(r"average|平均|均值|mean", before, re.I):
            continue
        summed = sum((q.value for q in parts), Fraction(0))
        computed = summed / len(parts) if average else summed
        shown = " + ".join(show(q, text) for q in parts)
        shown = f"({shown}) / {len(parts)}" if average else shown
        slack = sum((half(q) for q in parts), Fraction(0)) / (len(parts) if average else 1)
        ok = ok_within(computed, t, slack)
        out.append(record(text, [*parts, t], t, computed, "sum", shown, ok))
        listed.update(q.start for q in [*parts, t])
    return out, listed


# --- changes, shares, restatements ------------------------------------------------------------------------------


def find_implied(
    text: str, sentences: Sequence[tuple[int, int]], skip: Sequence[tuple[int, int]] = ()
) -> list[Check]:
    """Every relation above in ``text``, one sentence at a time; figures inside ``skip`` take part in none."""
    toks = tokenize(text)
    out: list[Check] = []
    before: list[Qty] = []  # the previous sentence's figures, when it runs on into this one
    last_hi = last_lo = -1
    for lo, hi in _joined(text, sentences):
        qs = read_quantities(text, toks, lo, hi, list(skip))
        prev = before if last_hi >= 0 and "\n" not in text[last_hi:lo] and lo - last_hi < 4 else []
        prev_lo = last_lo if prev else lo
        before, last_hi, last_lo = qs, hi, lo
        if len(qs) < 2 and not (qs and prev) and not re.search(r"\d\s?(?:-|–|~|～|到|至)\s?\d", text[lo:hi]):
            continue
        _inherit(text, qs)
        _inherit_total(text, qs)
        # a range computed from a range ("$25,000 to $30,000 … $25M to $30M") reads the range ends the others skip
        every = read_quantities(text, toks, lo, hi, list(skip), ranges=True)
        found = find_range_relations(text, every, lo)
        ends = {q.start for r in find_ranges_in(text, every, lo) for q in r}
        qs = [q for q in qs if q.start not in ends]  # a range's ends are no single quantity of another relation
        more, listed = _lists(text, qs)
        found += more
        found += per_unit(text, qs, listed)
        if prev:  # "Each node has 8 GPUs. The 16 nodes hold 128 GPUs in total.": a rate said the sentence before
            totals = {q.start for q in qs if is_total(text, q)}  # across sentences only for a stated total
            opens = bool(RESTATE_OPENER.match(text, lo))  # "That works out to $140,000 per day."
            found += [c for c in per_unit(text, prev + qs, listed) if (c[1] in totals or opens) and min(c[2]) < lo]
        found += find_conversions(text, qs)  # "at 7.2 yuan to the dollar, 7.2 billion yuan is about $1 billion"
        found += gpu_hours(text, qs)
        found += rate_products(text, qs, listed)
        named, unread = find_named(text, prev + qs, prev_lo)  # "A 的价格比 B 低 50%": each name's own figure
        found += named
        found += find_changes(text, qs, lo, hi)
        found += find_gaps(text, qs, lo)  # "A 领先 8.7 分", "a gap of 3.6 points": the difference of two figures
        found += find_shares(text, qs, lo)
        found += find_fractions(text, qs, lo)
        found += find_discounts(text, qs, lo)
        found += find_fractions_of_start(text, qs, lo, hi)  # "从 60 元降到 4 元，只相当于原来的十分之一"
        if prev:  # "全球共部署 5,000 台机器人。其中 1,250 台…，占比 25%": the whole said the sentence before
            found += find_carried_shares(text, prev, qs, lo)
        found += find_restatements(text, qs)
        found += find_periods(text, prev[-1:] + qs if prev else qs, prev_lo)
        found += find_speedups(text, qs, prev)
        # a multiple already an operand of a change ("提高到原来的 3 倍，即每秒 100 个") states nothing more
        found += [c for c in find_multiples(text, qs, lo) if not any(c[1] in used for _, _, used in found)]
        # a figure presented as a result that no rule above read: the readings its type allows (``nearmiss``)
        near, right = find_near_misses(text, qs, lo, hi)
        # a flag far from its figure (no slip) was a misreading of the figures when a reading makes the figure
        # right exactly, or comes near it: that reading is the calculation meant
        misread = right | {at for _, at, _ in near}
        found = [c for c in found if c[0].consistent or c[1] not in misread or is_near(c[0].computed, c[0].stated)]
        taken = set(unread) | {q for _, _, used in found for q in used}
        found += [c for c in near if c[1] not in taken]
        stated: set[int] = set(unread)
        for check, at, used in found:
            if at not in stated:  # one relation per stated figure: the first kind that reads it
                stated.add(at)
                out.append((check, at, used))
    return out


def _joined(text: str, sentences: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sentences with the ones a semicolon ends joined to the next: "…即 144 张卡；每张卡放 2 个专家…" is one
    thought."""
    out: list[tuple[int, int]] = []
    for lo, hi in sentences:
        if out and text[out[-1][0] : out[-1][1]].rstrip()[-1:] in {"；", ";"} and "\n" not in text[out[-1][1] : lo]:
            out[-1] = (out[-1][0], hi)
        else:
            out.append((lo, hi))
    return out
