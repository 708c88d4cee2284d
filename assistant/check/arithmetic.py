"""The draft's own arithmetic: relations its figures imply, recomputed with the calculators in ``tools``.

Relations read from the words between figures (``implied``: per unit, lists, comparisons, shares, restatements)
come first; the finders below add relations on the figures they leave.

Relations found, each within one sentence or a sentence and the one before it:

- sum: parts followed by a total ("A, B and C, so the total is T", "合计/总计 T");
- product: GPU hours × price = cost, GPUs × duration × 24 × price = cost, GPUs × duration × 24 = GPU hours;
- speedup: "N% faster, so M GPUs instead of K" (``tools.scaling.gpus_needed``: K / (1 + N%));
- percentage_change: "from X to Y, a Z% drop";
- ratio: "A is N times B", "A is Z% of B".

A stated result may round: 3% relative for hedged figures (约, about), 1% otherwise, never less than the
stated figure's last digit.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from decimal import Decimal
from typing import Literal

from assistant.check.changes import YEARLY
from assistant.check.compare import half_unit, unit_group
from assistant.check.context import FigureContext
from assistant.check.implied import find_implied
from assistant.models import ArithmeticCheck
from assistant.text import detect_language
from tools.cost import training_cost
from tools.figures import Figure
from tools.scaling import gpus_needed, speedup_implied

log = logging.getLogger(__name__)

_TOTAL_CUE = re.compile(
    r"(?:in total|total(?:ling|ing)?|altogether|combined|sum|overall|总计|合计|共计|总共|一共|总额|总和|加起来|总成本|总租金|总训练成本|总计为)"
    r"[^0-9$¥]{0,14}$",
    re.IGNORECASE,
)
_SPEED_CUE = re.compile(
    r"faster|speed|efficien|throughput|gain|boost|性能|速度|效率|提升|提速|加速|高出|快", re.I
)
_CHANGE_DOWN = re.compile(
    r"drop|fall|fell|declin|decreas|down|cut|reduc|lower|下降|下调|降幅|降低|减少|下跌|下滑|缩减|降", re.I
)
_CHANGE_UP = re.compile(
    r"rise|rose|increas|grow|growth|\bup\b|gain|jump|surge|上涨|增长|涨幅|增加|提高|上升|增幅|涨", re.I
)
_FROM = re.compile(r"(?:from|从|由)\s*$", re.I)
_SHARE_CUE = re.compile(r"占|相当于|of\s+(?:the\s+)?$|accounting for|share of", re.I)
_COUNT_UNITS = {"gpu", "node"}
_HOURS = {"hour": 1.0, "day": 24.0, "week": 24.0 * 7, "month": 24.0 * 30, "year": 24.0 * 365}
_COST_UNITS = {"usd", "cny"}


def _tol(stated: Figure) -> float:
    rel = 0.03 if stated.hedge in {"about", "more_than", "less_than"} else 0.01
    return max(rel * abs(stated.value), half_unit(stated))


def _span(text: str, figs: Sequence[FigureContext]) -> tuple[int, int]:
    return min(f.sentence[0] for f in figs), max(f.sentence[1] for f in figs)


def _check(
    text: str,
    figs: Sequence[FigureContext],
    relation: Relation,
    stated: Figure,
    computed: float,
    explanation: str,
    tol: float | None = None,
) -> ArithmeticCheck:
    start, end = _span(text, figs)
    tolerance = _tol(stated) if tol is None else tol
    consistent = abs(stated.value - computed) <= tolerance
    if detect_language(text[start:end]) == "zh":
        explanation = explanation.replace("; the draft says ", "；草稿写的是").replace(
            ", which would mean ", "，相当于"
        )
        explanation = re.sub(r"(\d+(?:\.\d+)?)% faster$", r"提速\1%", explanation)
    return ArithmeticCheck(
        text=text[start:end],
        start=start,
        end=end,
        relation=relation,
        stated=stated.value,
        computed=computed,
        consistent=consistent,
        explanation=explanation,
    )


def _before(text: str, fig: Figure, n: int = 24) -> str:
    return text[max(0, fig.start - n) : fig.start]


def find_relations(
    text: str,
    contexts: Sequence[FigureContext],
    sentences: Sequence[tuple[int, int]],
    skip: Sequence[tuple[int, int]] = (),
) -> list[ArithmeticCheck]:
    """Every arithmetic relation the draft implies between its own figures, recomputed. Figures inside the
    ``skip`` spans (calculations the draft writes out, checked on their own) take part in none."""
    by_sentence: dict[tuple[int, int], list[FigureContext]] = {}
    for c in contexts:
        if not any(a <= c.figure.start < b for a, b in skip):
            by_sentence.setdefault(c.sentence, []).append(c)
    order = [s for s in sentences if s in by_sentence]
    out: list[ArithmeticCheck] = []
    used: set[frozenset[int]] = set()
    # relations read from the words between figures come first; the ones below only add figures they leave
    implied = find_implied(text, sentences, skip)
    stated = {at for _, _, used in implied for at in used}
    kept: set[int] = set()  # implied checks a finder below restates with the same result, through ``tools``

    def add(check: ArithmeticCheck | None, figs: Sequence[FigureContext]) -> None:
        key = frozenset(f.figure.start for f in figs)
        last = figs[-1].figure
        if check is None or key in used:
            return
        same = [k for k, (c, at, _) in enumerate(implied) if last.start <= at < last.end and _agree(c, check)]
        if same:  # the same stated figure and result: the calculator's formula is the one shown
            kept.update(same)
        elif any(last.start <= at < last.end for at in stated):
            return
        used.add(key)
        out.append(check)

    for i, sent in enumerate(order):
        own = by_sentence[sent]
        prev: list[FigureContext] = []
        if i > 0 and sent[0] - order[i - 1][1] < 400 and "\n" not in text[order[i - 1][1] : sent[0]]:
            prev = by_sentence[order[i - 1]]  # a line break ends a thought: lists and worked steps stay apart
        for finder in (_sum, _product, _speedup, _percentage_change, _ratio):
            try:
                found = finder(text, own, prev)
            except (ValueError, ArithmeticError) as exc:  # a calculator refusing odd inputs is not a failure
                log.debug("%s skipped: %s", finder.__name__, exc)
                continue
            if found is not None:
                add(*found)
    out += [check for k, (check, _, _) in enumerate(implied) if k not in kept]
    out.sort(key=lambda c: c.start)
    return out


def _agree(a: ArithmeticCheck, b: ArithmeticCheck) -> bool:
    close = abs(a.computed - b.computed) <= 1e-9 * max(abs(a.computed), 1.0)
    return a.stated == b.stated and close and a.consistent == b.consistent


Found = tuple[ArithmeticCheck, list[FigureContext]] | None
Relation = Literal["product", "sum", "ratio", "percentage_change", "speedup"]


def _sum(text: str, own: list[FigureContext], prev: list[FigureContext]) -> Found:
    for total in own:
        t = total.figure
        if t.unit in (None, "date") or not _TOTAL_CUE.search(_before(text, t, 30)):
            continue
        parts = [
            c for c in own if c.figure.start < t.start and unit_group(c.figure.unit) == unit_group(t.unit)
        ]
        if len(parts) < 2:
            parts = [c for c in prev if unit_group(c.figure.unit) == unit_group(t.unit)] + parts
        if len(parts) < 2:
            continue
        computed = float(sum(Decimal(str(p.figure.value)) for p in parts))
        terms = " + ".join(p.figure.text.strip() for p in parts)
        figs = [*parts, total]
        return _check(
            text, figs, "sum", t, computed, f"{terms} = {_fmt(computed)}; the draft says {t.text.strip()}"
        ), figs
    return None


def _one(cands: list[FigureContext]) -> FigureContext | None:
    return cands[0] if len(cands) == 1 else None


def _product(text: str, own: list[FigureContext], prev: list[FigureContext]) -> Found:
    window = prev + own

    def pick(units: set[str], pool: list[FigureContext]) -> FigureContext | None:
        return _one([c for c in pool if c.figure.unit in units])

    cost = _one([c for c in own if c.figure.unit in _COST_UNITS])
    rate = pick({"usd_per_gpu_hour", "usd_per_hour", "cny_per_gpu_hour", "cny_per_hour"}, window)
    hours = pick({"gpu_hour"}, window)
    gpus = pick(_COUNT_UNITS, window)
    duration = pick(set(_HOURS), window)
    same_currency = bool(cost and rate and (rate.figure.unit or "")[:3] == cost.figure.unit)
    if hours and rate and any(
        c.figure.unit is None and hours.figure.end <= c.figure.start < rate.figure.start for c in window
    ):
        return None  # "2.4M GPU hours and another 0.3M, 2.7M in total; at $2 per GPU hour": which hours is unclear
    if cost and rate and same_currency and (hours or (gpus and duration)):
        if hours:
            figs = [hours, rate, cost]
            gpu_hours = hours.figure.value
        else:
            assert gpus is not None and duration is not None
            figs = [gpus, duration, rate, cost]
            gpu_hours = gpus.figure.value * duration.figure.value * _HOURS[duration.figure.unit or "hour"]
        if cost.figure.unit == "usd":
            if hours:
                r = training_cost(gpu_hours=gpu_hours, usd_per_gpu_hour=rate.figure.value)
            else:
                assert gpus is not None and duration is not None
                days = duration.figure.value * _HOURS[duration.figure.unit or "hour"] / 24
                r = training_cost(gpus=int(gpus.figure.value), days=days, usd_per_gpu_hour=rate.figure.value)
            assert r.cost_usd is not None
            computed, formula = float(r.cost_usd), r.formula
        else:  # the same arithmetic in yuan; the calculator speaks dollars
            computed = gpu_hours * rate.figure.value
            formula = f"{_fmt(gpu_hours)} GPU·h × ¥{rate.figure.value:g}/GPU·h = ¥{_fmt(computed)}"
        expl = f"{formula}; the draft says {cost.figure.text.strip()}"
        return _check(text, figs, "product", cost.figure, computed, expl), figs
    hours_own = _one([c for c in own if c.figure.unit == "gpu_hour"])
    if hours_own and gpus and duration and not rate:
        computed = gpus.figure.value * duration.figure.value * _HOURS[duration.figure.unit or "hour"]
        figs = [gpus, duration, hours_own]
        expl = f"{gpus.figure.text.strip()} × {duration.figure.text.strip()} = {_fmt(computed)} GPU hours"
        return _check(text, figs, "product", hours_own.figure, computed, expl), figs
    return None


def _counts(own: list[FigureContext], prev: list[FigureContext]) -> list[FigureContext]:
    """GPU or node counts; a bare integer counts too when its sentence also counts GPUs ("1000 GPUs ... only 500")."""
    window = prev + own
    counted = [c for c in window if c.figure.unit in _COUNT_UNITS]
    if not counted:
        return []
    unit_sentences = {c.sentence for c in counted}
    bare = [
        c for c in window
        if c.figure.unit is None and c.sentence in unit_sentences and float(c.figure.value).is_integer() and c.figure.value > 1
    ]  # fmt: skip
    return sorted(counted + bare, key=lambda c: c.figure.start)


def _is_gain(text: str, c: FigureContext) -> bool:
    """A percentage or multiple described as a speed-up; the cue must be in the figure's own sentence."""
    lo, hi = max(c.sentence[0], c.figure.start - 20), min(c.sentence[1], c.figure.end + 16)
    return c.figure.unit in {"percent", "times"} and bool(_SPEED_CUE.search(text[lo:hi]))


def _speedup(text: str, own: list[FigureContext], prev: list[FigureContext]) -> Found:
    counts = _counts(own, prev)
    own_counts = [c for c in counts if c in own]
    if len(own_counts) >= 2:
        counts = own_counts
    if len(counts) < 2 or not any(c in own for c in counts[:2]):
        return None
    before, after = counts[0], counts[1]
    # the gain the counts are tied to: in their own sentence first, the nearest one; else the sentence before
    gains = [c for c in own if _is_gain(text, c)] or [c for c in prev if _is_gain(text, c)]
    if not gains:
        return None
    gain = min(gains, key=lambda c: abs(c.figure.start - before.figure.start))
    speed = gain.figure.value if gain.figure.unit == "percent" else gain.figure.value - 1
    if speed <= 0 or before.figure.value <= after.figure.value:
        return None
    need = gpus_needed(int(before.figure.value), speed)
    implied = speedup_implied(int(before.figure.value), int(after.figure.value))
    figs = [gain, before, after]
    stated = after.figure
    tol = max(_tol(stated), 1.0)  # whole GPUs: the ceiling may differ by one
    expl = (
        f"{need.formula}; the draft says {stated.text.strip()}, which would mean "
        f"{float(implied.speedup) * 100:.1f}% faster"
    )
    return _check(text, figs, "speedup", stated, float(need.gpus_needed_exact), expl, tol), figs


def _percentage_change(text: str, own: list[FigureContext], prev: list[FigureContext]) -> Found:
    if own and YEARLY.search(own[0].sentence_text):
        return None  # a rate per year compounds ("20% a year for two years"): see ``implied``
    for pct in own:
        p = pct.figure
        if p.unit != "percent" or p.low is not None:
            continue
        down = _direction(text, pct)
        if down is None:
            continue
        values = [
            c
            for c in own
            if c is not pct and c.figure.unit not in (None, "date", "percent") and c.figure.low is None
        ]
        groups: dict[str | None, list[FigureContext]] = {}
        for c in values:
            groups.setdefault(unit_group(c.figure.unit), []).append(c)
        pair = next((g for g in groups.values() if len(g) == 2), None)
        if pair is None:
            continue
        x, y = pair
        if _FROM.search(_before(text, y.figure, 8)):
            x, y = y, x
        if x.figure.value == 0:
            continue
        change = (y.figure.value - x.figure.value) / x.figure.value
        signed = -p.value if down else p.value
        tol = max(_tol(p), 0.002)
        figs = [x, y, pct]
        expl = f"({y.figure.text.strip()} − {x.figure.text.strip()}) / {x.figure.text.strip()} = {change * 100:+.2f}%; the draft says {'−' if down else '+'}{p.value * 100:g}%"
        check = _check(text, figs, "percentage_change", p, abs(change), expl, tol)
        if (change < 0) != (signed < 0):
            check.consistent = False
        return check, figs
    return None


def _direction(text: str, pct: FigureContext) -> bool | None:
    """True for a fall, False for a rise, None when unclear: the change word closest to the percentage, looked
    for in its own clause first ("增长到130亿元，下降了30%" says the draft claims a fall)."""
    p = pct.figure
    for lo, hi in (
        (pct.clause[0], pct.clause[1]),
        (max(pct.sentence[0], p.start - 16), min(pct.sentence[1], p.end + 10)),
    ):
        best: tuple[int, bool] | None = None
        for regex, is_down in ((_CHANGE_DOWN, True), (_CHANGE_UP, False)):
            for m in regex.finditer(text, lo, hi):
                dist = p.start - m.end() if m.end() <= p.start else m.start() - p.end
                if dist >= 0 and (best is None or dist < best[0]):
                    best = (dist, is_down)
        if best is not None:
            return best[1]
    return None


def _ratio(text: str, own: list[FigureContext], prev: list[FigureContext]) -> Found:
    for r in own:
        f = r.figure
        if f.unit == "times":
            if _is_gain(text, r) and _counts(own, prev):
                continue  # handled as a speedup
            computed_of = lambda a, b: max(a, b) / min(a, b)  # noqa: E731
        elif f.unit == "percent" and _SHARE_CUE.search(_before(text, f, 12)):
            computed_of = lambda a, b: min(a, b) / max(a, b)  # noqa: E731
        else:
            continue
        values = [c for c in own if c is not r and c.figure.unit not in (None, "date", "percent", "times")]
        groups: dict[str | None, list[FigureContext]] = {}
        for c in values:
            groups.setdefault(unit_group(c.figure.unit), []).append(c)
        pair = next((g for g in groups.values() if len(g) == 2), None)
        if pair is None or min(pair[0].figure.value, pair[1].figure.value) <= 0:
            continue
        a, b = pair
        computed = computed_of(a.figure.value, b.figure.value)
        figs = [a, b, r]
        expl = f"{a.figure.text.strip()} / {b.figure.text.strip()} = {_fmt(computed)}; the draft says {f.text.strip()}"
        tol = max(_tol(f), 0.03 * abs(f.value)) if f.hedge else _tol(f)
        return _check(text, figs, "ratio", f, computed, expl, tol), figs
    return None


def _fmt(x: float) -> str:
    if abs(x) >= 1e4:
        return f"{x:,.0f}"
    return f"{x:.4g}"
