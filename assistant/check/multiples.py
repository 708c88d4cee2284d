"""Two relations on a multiple or a gain a sentence states between two of its figures, recomputed exactly.

- speed-up: a gain described as one ("30% faster", "性能提升 25%", "a 2x throughput boost") ties a count before
  to a count after: "a job that needed 1,000 GPUs now needs 770" (1,000 / (1 + 30%)). The gain is the one in the
  counts' own sentence nearest to them; only when that sentence has none, one in the sentence before ("Gross
  margin was 70%." is no gain);
- "A is N times B": a multiple ("4 倍", "2.5x", "3 times as much") with exactly two figures of one kind in its
  sentence compares the larger to the smaller ("甲厂出货 45 万片，乙厂出货 9 万片，甲厂是乙厂的 4 倍").

Comparisons with a base word ("from", "than", 比) are read by ``changes`` first; a figure it states is not read
again here.
"""

from __future__ import annotations

import re
from fractions import Fraction

from assistant.check.clauses import glued
from assistant.check.quantities import Qty
from assistant.check.recompute import Check, ok_within, record, rel, same_kind, show
from assistant.text import CJK_RE
from tools.scaling import gpus_needed, speedup_implied

_SPEED = re.compile(r"faster|speed|efficien|throughput|gain|boost|性能|速度|效率|提升|提速|加速|高出|快", re.I)
_SENTENCE_END = re.compile(r"[。！？!?；;]|\.\s")
_COUNTED = {"gpu", "node"}
# "是乙厂的 4 倍", "2.5x the", "3 times as many", "three times that of": a multiple that compares two figures
_COMPARES = re.compile(
    r"(?:的|是|为|达)\s*(?:约|大约)?\s*$", re.IGNORECASE
)
_COMPARES_AFTER = re.compile(
    r"\s*(?:as\b|that of\b|the\b|of\b|its\b|their\b|our\b|more than\b|higher than\b|larger than\b|bigger than\b|[\w.-]+['’]s\b)"
)  # "3 times as many", "2.25x the", "14 times DeepSeek-V3's"
_GROWTH_BEFORE = re.compile(r"(?:增长|增加|提高|提升|上涨|上升|扩大|翻)了?\s*(?:约|大约)?\s*$")


def _window(text: str, q: Qty, before: int, after: int) -> str:
    """The words around ``q``, not crossing a sentence end."""
    lo, hi = max(0, q.start - before), min(len(text), q.tok.end + after)
    left = text[lo : q.start]
    ends = list(_SENTENCE_END.finditer(left))
    if ends:
        left = left[ends[-1].end() :]
    right = text[q.tok.end : hi]
    stop = _SENTENCE_END.search(right)
    return left + " " + (right[: stop.start()] if stop else right)


def _is_gain(text: str, q: Qty) -> bool:
    return (q.tok.pct or q.multiple) and not q.per and bool(_SPEED.search(_window(text, q, 20, 16)))


def _compound(text: str, q: Qty) -> bool:
    return bool(re.match(r"-[A-Za-z]+\s+[a-z]", text[q.tok.end : q.tok.end + 30]))


def _counts(text: str, qs: list[Qty]) -> list[Qty]:
    """GPU or node counts; a bare whole number counts too when the sentence counts GPUs ("1000 GPUs … only 500")."""
    # "an 8-GPU node": a compound adjective names a kind of node, not GPUs a job needs
    counted = [q for q in qs if q.nouns & _COUNTED and not q.per and not q.money and not _compound(text, q)]
    if not counted:
        return []
    bare = [q for q in qs if q.bare and not q.word and q.value.denominator == 1 and q.value > 1]
    return sorted(counted + bare, key=lambda q: q.start)


def find_speedups(text: str, qs: list[Qty], prev: list[Qty]) -> list[Check]:
    counts = _counts(text, qs)
    if len(counts) < 2:
        return []
    before, after = counts[0], counts[1]
    if before.value <= after.value:
        return []
    gains = [q for q in qs if _is_gain(text, q)] or [q for q in prev if _is_gain(text, q)]
    if not gains:
        return []
    gain = min(gains, key=lambda q: abs(q.start - before.start))
    speed = gain.value if gain.tok.pct else gain.value - 1
    if speed <= 0:
        return []
    if before.value.denominator != 1 or after.value.denominator != 1:
        return []
    need = gpus_needed(int(before.value), float(speed))  # the calculator the answer side uses, formula and all
    computed = Fraction(need.gpus_needed_exact)
    # whole GPUs: the count needed may be the quotient rounded up
    ok = ok_within(computed, after, Fraction(1) + rel(before, gain) * computed)
    check, at, used = record(text, (gain, before, after), after, computed, "speedup", need.formula, ok)
    if not ok:
        implied = float(speedup_implied(int(before.value), int(after.value)).speedup) * 100
        said = text[after.start : after.end].strip()
        zh = bool(CJK_RE.search(check.text))
        check.explanation = (
            f"{need.formula}；草稿写的是{said}，相当于提速{implied:.1f}%" if zh
            else f"{need.formula}; the draft says {said}, which would mean {implied:.1f}% faster"
        )  # fmt: skip
    else:
        check.explanation = need.formula
    check.expression = f"{show(before, text)} / (1 + {show(gain, text)})"
    return [(check, at, used)]


def _bare_base(text: str, r: Qty, values: list[Qty]) -> bool:
    """The sentence's only two figures are one with a unit before the multiple and a bare one right after its
    compare word ("4.5 million units, triple the 1.5 million"): the bare one is the base, of the same kind."""
    if len(values) != 2 or any(q.per or glued(text, q) for q in values):
        return False
    a, b = values
    return not a.bare and b.bare and a.end <= r.start and b.start >= r.end and bool(
        re.fullmatch(r"\s*(?:as\s+\w+\s+as|that of|the|its|their|our)(?:\s+[A-Za-z][\w'’-]*){0,3}\s+", text[r.end : b.start])
    )


def find_multiples(text: str, qs: list[Qty], lo: int) -> list[Check]:
    out: list[Check] = []
    for r in qs:
        if not r.multiple or r.per or _is_gain(text, r) and _counts(text, qs):
            continue
        if re.match(r"\s*(?:times|x|×)\s*[\d$€£¥￥(]", text[r.tok.end : r.tok.end + 12], re.I):
            continue  # "64 times 700 W": an operator, not a multiple
        before = text[max(lo, r.start - 8) : r.start]
        if _GROWTH_BEFORE.search(before):
            continue  # "增长了 1.5 倍" is read as a change, with its base
        if not (_COMPARES.search(before) or _COMPARES_AFTER.match(text, r.end)):
            continue
        values = [q for q in qs if q is not r and not q.multiple and not q.tok.pct and not q.word and q.value > 0]
        groups: dict[frozenset[str], list[Qty]] = {}
        for q in values:
            if not q.bare:
                groups.setdefault(q.kind, []).append(q)
        pairs = [g for g in groups.values() if len(g) == 2]
        if not pairs and _bare_base(text, r, values):
            pairs = [values]  # "4.5 million units, triple the 1.5 million": the bare figure counts what the other does
        elif len(pairs) != 1 or not same_kind(*pairs[0]):
            continue
        if r.word and not (min(q.start for q in pairs[0]) < r.start < max(q.start for q in pairs[0])):
            continue  # "spent twice the $2M budget on compute and $500K on data": "twice" sits between what it compares
        a, b = sorted(pairs[0], key=lambda q: q.value, reverse=True)
        computed = a.value / b.value
        ok = ok_within(computed, r, computed * rel(a, b))
        out.append(record(text, (a, b, r), r, computed, "ratio", f"{show(a, text)} / {show(b, text)}", ok))
    return out
