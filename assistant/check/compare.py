"""Do two figures state the same value? Allowing each side's rounding, hedges (about, more than, up to) and ranges.

``compare_values`` answers "match" (the source bears the claim out), "mismatch" (it cannot be both) or
"compatible" (no conflict, but no confirmation either: the claim says "more than 4" and the source says 9).
"""

from __future__ import annotations

import math
import re
from typing import Literal

from tools.figures import Figure
from tools.units import dimension

Outcome = Literal["match", "mismatch", "compatible"]

_CORE_NUMBER = re.compile(r"\d[\d,]*(?:\.(\d+))?")
_NOISE = 0.001  # floating point and unit-conversion noise, relative
_EXACT_CAP = 0.05  # an unhedged figure may round at most this far ("3M" is not 2.788M)
_HEDGED_FLOOR = 0.03  # "about X" allows at least this much
_HEDGED_CAP = 0.10
# Units that describe one kind of quantity: an hourly rental price is the same whether per GPU or per card.
_UNIT_GROUP = {
    "usd_per_gpu_hour": "usd_rate",
    "usd_per_hour": "usd_rate",
    "cny_per_gpu_hour": "cny_rate",
    "cny_per_hour": "cny_rate",
}


def unit_group(unit: str | None) -> str | None:
    """The kind of quantity a unit measures: an hourly rate per currency, a physical dimension ("megawatt" and
    "gigawatt" are both power), else the unit itself."""
    if (dim := dimension(unit)) is not None:
        return dim[0]
    return _UNIT_GROUP.get(unit or "", unit)


def units_compatible(a: str | None, b: str | None) -> bool:
    """Same kind of quantity: identical canonical units, two hourly rates in one currency, or two units of one
    physical dimension ("0.3 GW" and "300 MW")."""
    return unit_group(a) == unit_group(b)


def in_base_unit(fig: Figure) -> Figure:
    """``fig`` in its dimension's base unit ("0.56 TWh" as 5.6e11 watt-hours), so figures written in different
    prefixes compare; a figure of no physical dimension, or already in the base unit, is returned as it is."""
    dim = dimension(fig.unit)
    if dim is None or dim[1] == 1:
        return fig
    k = float(dim[1])
    return fig.model_copy(
        update={
            "unit": dim[0],
            "value": fig.value * k,
            "low": None if fig.low is None else fig.low * k,
            "high": None if fig.high is None else fig.high * k,
        }
    )


def half_unit(fig: Figure) -> float:
    """Half of the last written digit's place, in the figure's normalised scale ("2.79M" -> 5000).

    Trailing zeros of a whole number count as written digits, except under a hedge: "约300万" rounds to the
    hundred-ten-thousand, "300万" states all three digits.
    """
    m = _CORE_NUMBER.search(fig.text)
    if m is None:
        return 0.5 * _scale_guess(fig)  # a Chinese numeral or a word: exact to its own unit
    decimals = len(m.group(1) or "")
    try:
        core = float(m.group(0).replace(",", ""))
    except ValueError:
        return 0.0
    if core == 0:
        return 0.0
    scale = abs(fig.value) / core if fig.low is None else 1.0
    place = 10.0 ** (-decimals)
    if fig.hedge == "about" and decimals == 0:
        digits = m.group(0).replace(",", "")
        place = 10.0 ** (len(digits) - len(digits.rstrip("0")))
    return 0.5 * place * scale


def _scale_guess(fig: Figure) -> float:
    v = abs(fig.value)
    if v == 0:
        return 0.0
    if fig.unit == "percent":
        return 0.01 if v >= 0.01 else v
    place = 1.0
    while place * 10 <= v and v % (place * 10) == 0:
        place *= 10
    return place


def tolerance(fig: Figure) -> float:
    """How far the true value may sit from what is written and still be a fair rounding of it (absolute)."""
    v = abs(fig.value)
    half = half_unit(fig)
    if fig.hedge == "about":
        return max(_HEDGED_FLOOR * v, min(half, _HEDGED_CAP * v))
    return max(_NOISE * v, min(half, _EXACT_CAP * v))


def _bounds(fig: Figure) -> tuple[float, float, str]:
    """(low, high, kind) with kind point | lower | upper; 'up to' reads as the stated value itself."""
    lo = fig.low if fig.low is not None else fig.value
    hi = fig.high if fig.high is not None else fig.value
    if fig.hedge == "more_than":
        return lo, hi, "lower"
    if fig.hedge == "less_than":
        return lo, hi, "upper"
    return lo, hi, "point"


def restated_threshold(claim: Figure, source: Figure) -> bool:
    """Two thresholds of one kind ("more than 70 million" / "more than 700 million") that differ beyond their
    precision. In a restated sentence (a licence's condition, a rule) a threshold is the figure itself, not a
    bound on an unknown quantity, so a different one is wrong even when it is implied by the source's."""
    kind_c, kind_s = _bounds(claim)[2], _bounds(source)[2]
    if kind_c == "point" or kind_c != kind_s:
        return False
    return abs(claim.value - source.value) > max(tolerance(claim), tolerance(source))


def compare_values(claim: Figure, source: Figure, *, end: str | None = None) -> Outcome:
    """Compare two figures of compatible units (see module doc). Dates compare as year-month ranges.

    A single value against a source's range ("1.37x to 5.07x") is borne out by an end of the range, the one the
    claim names when it says which (``end`` "low" for "最低为", "high" for "up to"); a value strictly inside it
    is only compatible: the source does not say that value was reached."""
    if claim.unit == "date" or source.unit == "date":
        return _compare_dates(claim, source)
    if claim.unit != source.unit:
        claim, source = in_base_unit(claim), in_base_unit(source)
    tol = max(tolerance(claim), tolerance(source))
    c_lo, c_hi, c_kind = _bounds(claim)
    s_lo, s_hi, s_kind = _bounds(source)
    if c_kind == "point" and s_kind == "point" and c_lo == c_hi and s_hi - s_lo > tol:
        end = end or ("high" if claim.hedge == "up_to" else None)
        ends = [s_lo] if end == "low" else [s_hi] if end == "high" else [s_lo, s_hi]
        if any(abs(c_lo - e) <= tol for e in ends):
            return "match"
        if end is None and s_lo < c_lo < s_hi:
            return "compatible"
        return "compatible" if _scale_slip(claim, source) else "mismatch"
    if c_kind == "point" and s_kind == "point":
        if c_lo - tol <= s_hi and s_lo <= c_hi + tol:
            return "match"
        if _scale_slip(claim, source):
            return "compatible"
        return "mismatch"
    if c_kind == "lower":  # the claim says "more than c"
        if s_hi < c_lo - tol:
            return "mismatch"
        if s_kind == "upper":
            return "compatible"
        if s_kind == "lower":
            # two thresholds of one quantity ("more than 700 million users"): a far lower one is true but is not
            # the figure the source states
            return "match" if c_lo <= s_lo + tol and s_lo <= 3 * c_lo else "compatible"
        return "match" if s_lo <= 3 * c_lo else "compatible"
    if c_kind == "upper":  # the claim says "less than c"
        if s_lo > c_hi + tol:
            return "mismatch"
        if s_kind == "lower":
            return "compatible"
        if s_kind == "upper":
            return "match" if c_hi >= s_hi - tol and s_hi >= c_hi / 3 else "compatible"
        return "match" if s_hi >= c_hi / 3 else "compatible"
    # the claim is a point, the source a bound
    if s_kind == "lower":
        if c_hi < s_lo - tol:
            return "mismatch"
        return "match" if abs(c_lo - s_lo) <= tol else "compatible"
    if c_lo > s_hi + tol:
        return "mismatch"
    return "match" if abs(c_hi - s_hi) <= tol else "compatible"


def _scale_slip(claim: Figure, source: Figure) -> bool:
    """Same digits a thousandfold or more apart because a scale word one side lost ("3550" beside "3550亿"), not
    a different statement. When both sides state their scale ("$455 million" against "$455 billion", "17.74 万元"
    against "17.74 亿元"), the scale itself is what differs: that is a wrong figure (``scale_error``)."""
    return _power_apart(claim.value, source.value) is not None and not scale_error(claim, source)


def _power_apart(a: float, b: float) -> int | None:
    """The power of ten between two values with the same digits, when it is a thousandfold or more."""
    if a == 0 or b == 0:
        return None
    exponent = math.log10(max(abs(a), abs(b)) / min(abs(a), abs(b)))
    if exponent >= 2.9 and abs(exponent - round(exponent)) < 1e-3:
        return round(exponent)
    return None


_SCALE_ERROR_POWERS = {3, 4}  # one scale word for another: thousand/million/billion/trillion, 万/亿


def written_scale(fig: Figure) -> bool:
    """The figure's value carries a scale beyond its written digits ("455 million", "17.74 亿", or a cell read
    with its header's "$bn"), so which scale it means is stated, not lost."""
    m = _CORE_NUMBER.search(fig.text)
    if m is None or fig.unit == "percent":
        return False
    try:
        core = float(m.group(0).replace(",", ""))
    except ValueError:
        return False
    return core != 0 and abs(fig.value) / core >= 10**2.9


def scale_error(claim: Figure, source: Figure) -> bool:
    """The same digits at one scale word apart (10^3 or 10^4), with both sides stating their scale: "$455
    million" for the source's "$455 billion" is the source's figure at the wrong scale, a contradiction."""
    power = _power_apart(claim.value, source.value)
    return power in _SCALE_ERROR_POWERS and written_scale(claim) and written_scale(source)


def _date_range(fig: Figure) -> tuple[int, int] | None:
    if fig.low is not None and fig.high is not None:
        return int(fig.low), int(fig.high)
    v = int(fig.value)
    if v >= 100000:
        return v, v
    if 1900 <= v <= 2100:
        return v * 100 + 1, v * 100 + 12
    return None  # a month without a year


def _compare_dates(claim: Figure, source: Figure) -> Outcome:
    if claim.unit != source.unit:
        return "compatible"
    c, s = _date_range(claim), _date_range(source)
    if c is None or s is None:
        if c is None and s is None:
            return "match" if int(claim.value) == int(source.value) else "mismatch"
        return "compatible"
    if c[1] < s[0] or s[1] < c[0]:
        return "mismatch"
    if c[0] <= s[0] and s[1] <= c[1]:
        return "match"  # the claim is as coarse as or coarser than the source ("2025" vs "April 2025")
    return "compatible"
