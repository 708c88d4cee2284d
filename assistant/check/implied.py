"""Relations a draft states in words between figures of one sentence, recomputed exactly.

- per unit: a quantity *per* something times a count of that thing is the total, matched by what the figures
  count (``quantities``), not by position ("每台 8 张卡 … 45 台 … 360 张", "$3,000 per GPU … 1,200 GPUs … $3.6M",
  "$3.1M each … 3 teams … $10M"); the figure written last is the stated result. A total stated as such may take
  its rate from the sentence before ("Each node has 8 GPUs. The 16 nodes hold 128 GPUs in total.");
- GPUs × duration = GPU hours;
- lists: parts listed before a total cue ("together", "in all", "合计") sum to it, before an average cue
  ("average", "平均") average to it; a bare item takes the scale and unit of the list's last item
  ("120、150 和 160 万台");
- comparisons, shares and restatements: see ``changes``.

A stated result is right when it equals the exact result rounded to the digits written, after a hedge ("about",
"约") 1% more, and within what the operands' own rounding allows (see ``recompute``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from fractions import Fraction

from assistant.check.changes import THAN, find_changes, find_restatements, find_shares
from assistant.check.expr import Tok, tokenize
from assistant.check.quantities import Qty, read_quantities
from assistant.check.recompute import Check, half, ok_within, record, rel, same_kind, show

_TAIL = r"(?:\s|[为是约达了有:：]|to\b|of\b|is\b|was\b|about\b|roughly\b|around\b|nearly\b|US|[$€£¥￥]|大约|高达|达到)*$"
_TOTAL_WORDS = (
    r"(?:in total|total(?:ling|ing|s)?|altogether|combined|together|sum(?:s)?|add(?:s|ing)? up|"
    r"总计|合计|共计|累计|总共|一共|总额|总和|加起来|共有|共|合共|总数)"
)
_TOTAL_BEFORE = re.compile(_TOTAL_WORDS + _TAIL, re.IGNORECASE)  # the cue right before the total: "共发布短信 7 次" is not the total of the figures before it
_TOTAL_AFTER = re.compile(r"\s*(?:in all|in total|altogether|combined|all told|between them)\b", re.IGNORECASE)
_AVERAGE_BEFORE = re.compile(
    r"(?:average(?:s|d)?(?: out)?(?: to| of| at)?|averaging|an average of|mean(?: of)?|平均(?:为|是|每\S{0,3})?|均值为?)"
    r"[^0-9$€£¥￥]{0,6}$",
    re.IGNORECASE,
)
_OF_WHICH = re.compile(r"\s*[,，:：]?\s*(?:其中|包括|of which|including)[^\d。;；]{0,12}$", re.IGNORECASE)
_IS_BEFORE = re.compile(r"[)）]?\s*(?:\bis|\bwas|\bequals|为|是|=)\s*(?:about\s+|约)?$", re.IGNORECASE)
_LIST_SEP = re.compile(r"\s*(?:[、,，]\s*(?:and\s+|和|及|以及)?|\s(?:and|plus)\s|和|及|以及|与)\s*$")


_SECONDS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400, "week": 604800}


def _matches_per(key: frozenset[str], n: Qty, p: Qty) -> Fraction | None:
    """The factor that turns ``n`` into units of ``key`` (1 when it counts the same thing; 3600 for hours against
    "per second"), or None when ``n`` does not count what ``p`` is per."""
    if n.tok.pct or n.money or not n.nouns:
        return None
    if key == frozenset({"*"}):
        return None if n.nouns & p.nouns else Fraction(1)
    if key & n.nouns:
        return Fraction(1)
    a = next((_SECONDS[k] for k in key if k in _SECONDS), None)
    b = next((_SECONDS[k] for k in n.nouns if k in _SECONDS), None)
    return Fraction(b, a) if a and b else None


def _is_total(text: str, t: Qty) -> bool:
    return bool(_TOTAL_BEFORE.search(text[max(0, t.start - 30) : t.start]) or _TOTAL_AFTER.match(text, t.end))


def _bare_rate(text: str, p: Qty) -> bool:
    """ "200 per annotator": a rate that names no unit, only what it is per, right after the number."""
    return bool(re.match(r"\s*(?:per|each|apiece|/)\b", text[p.tok.end : p.tok.end + 10], re.IGNORECASE))


def _gpu_hours(text: str, qs: list[Qty]) -> list[Check]:
    """GPUs × duration = GPU hours ("1,024 GPUs for 21 days … 516,096 GPU-hours", "Spreading 1.2 million GPU
    hours over 30 days means about 1,250 GPUs"); the figure written last is the stated one."""
    gpus = [q for q in qs if q.nouns == {"gpu"} and not q.per]
    spans = [q for q in qs if q.nouns & _SECONDS.keys() and not q.per and not q.money]
    hours = [q for q in qs if q.nouns == {"gpu_hour"} and not q.per and not q.money]
    if len(gpus) != 1 or len(spans) != 1 or len(hours) != 1:
        return []
    g, d, h = gpus[0], spans[0], hours[0]
    duration = d.value * Fraction(_SECONDS[next(k for k in d.nouns if k in _SECONDS)], 3600)
    stated = max((g, d, h), key=lambda q: q.start)
    if stated is h:
        computed, shown = g.value * duration, f"{show(g, text)} × {show(d, text)}"
    elif stated is g:
        computed, shown = h.value / duration, f"{show(h, text)} ÷ {show(d, text)}"
    else:
        computed = h.value / g.value * 3600 / _SECONDS[next(k for k in d.nouns if k in _SECONDS)]
        shown = f"{show(h, text)} ÷ {show(g, text)}"
    if computed == 0:
        return []
    ok = ok_within(computed, stated, rel(g, d, h, but=stated) * abs(computed))
    return [record(text, (g, d, h), stated, computed, "product", shown, ok)]


def _timed(q: Qty) -> bool:
    return bool(q.nouns & (_SECONDS.keys() | {"month", "year"})) and not q.per and not q.money


def _same_per(a: frozenset[frozenset[str]], b: frozenset[frozenset[str]]) -> bool:
    """Both sides are per the same things; a period may be said on one side only ("costs $2.4M a year, i.e.
    $200,000 per engineer", "每天标注 300 条 … 一天共标注 6,000 条")."""
    if a == b:
        return True
    timed_a = {k for k in a if k & _SECONDS.keys() or k & {"month", "year"}}
    timed_b = {k for k in b if k & _SECONDS.keys() or k & {"month", "year"}}
    return a - timed_a == b - timed_b and not (timed_a and timed_b)


def _per_unit(text: str, qs: list[Qty], listed: set[int]) -> list[Check]:
    out: list[Check] = []
    # a figure in a comparison ("比 2021 年同期（7 天", "than the 2023 budget") is not a count or a total here
    qs = [q for q in qs if not q.multiple and not THAN.search(text[max(0, q.start - 12) : q.start])]
    for p in qs:
        best: tuple[int, Qty, Qty, Fraction] | None = None
        for key, scale in p.per:
            rest = p.per_keys - {key}
            for n in qs:
                factor = None if n is p or n.start in listed else _matches_per(key, n, p)
                if factor is None:
                    continue
                for t in qs:
                    if t in (p, n) or t.start in listed or t.tok.pct or t.multiple:
                        continue
                    if t.nouns & key:
                        continue  # the total counts what the rate counts, not what it is per
                    if not (same_kind(t, p) and not t.bare) and not (p.bare and t.nouns and _bare_rate(text, p)) and not (
                        t.bare and _is_total(text, t) and t.start > max(p.start, n.start)
                    ):
                        continue  # "8 GPUs, 128 in total" counts what the rate counts, as the result
                    if not _same_per(t.per_keys, rest | n.per_keys) or key in t.per_keys:
                        continue
                    trio = (p, n, t)
                    if t.per_keys != rest | n.per_keys and any(_timed(q) for q in qs if q not in trio):
                        continue  # a period said on one side only, and a duration left over: more factors than three
                    lo, hi = min(q.start for q in trio), max(q.start for q in trio)
                    if any(q.bare and not q.word and lo < q.start < hi for q in qs if q not in trio):
                        continue  # an unlabelled figure in between may be the one meant ("… 0.3M, 2.7M in total")
                    if best is None or hi - lo < best[0]:
                        best = (hi - lo, n, t, scale / factor)
        if best is None:
            continue
        _, n, t, scale = best
        stated = max((p, n, t), key=lambda q: q.start)
        if stated is t:
            computed = p.value * n.value / scale
            shown = f"{show(p, text)} × {show(n, text)}"
        elif stated is p:
            computed = t.value * scale / n.value
            shown = f"{show(t, text)} ÷ {show(n, text)}"
        else:
            computed = t.value * scale / p.value
            shown = f"{show(t, text)} ÷ {show(p, text)}"
        ok = ok_within(computed, stated, rel(p, n, t, but=stated) * abs(computed))
        out.append(record(text, (p, n, t), stated, computed, "product", shown, ok))
    return out


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


def _listed_with(text: str, a: Qty, b: Qty) -> bool:
    """``a`` and ``b`` are neighbours in a list: a separator and a few words between them ("$12.4B), devices
    ($3.1B", "532.8 万美元，上下文扩展 23.8 万美元"), no sentence break."""
    between = text[a.end : b.start]
    return len(between) <= 24 and bool(re.search(r"[、,，;；]|\band\b|\bplus\b|和|及|与", between)) and not re.search(
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
        total = bool(_TOTAL_BEFORE.search(before) or _TOTAL_AFTER.match(text, t.end))
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
    last_hi = -1
    for lo, hi in _joined(text, sentences):
        qs = read_quantities(text, toks, lo, hi, list(skip))
        prev = before if last_hi >= 0 and "\n" not in text[last_hi:lo] and lo - last_hi < 4 else []
        before, last_hi = qs, hi
        if len(qs) < 2 and not (qs and prev):
            continue
        _inherit(text, qs)
        found, listed = _lists(text, qs)
        found += _per_unit(text, qs, listed)
        if prev:  # "Each node has 8 GPUs. The 16 nodes hold 128 GPUs in total.": a rate said the sentence before
            totals = {q.start for q in qs if _is_total(text, q)}  # across sentences only for a stated total
            found += [c for c in _per_unit(text, prev + qs, listed) if c[1] in totals and min(c[2]) < lo]
        found += _gpu_hours(text, qs)
        found += find_changes(text, qs, lo, hi)
        found += find_shares(text, qs, lo)
        found += find_restatements(text, qs)
        stated: set[int] = set()
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
