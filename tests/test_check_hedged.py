"""How far a hedged round figure may be from the value it states: its order within a tenth, never a fifth off."""

from __future__ import annotations

from fractions import Fraction

import pytest

from assistant.check.expr import Tok
from assistant.check.written import stated_tolerance


@pytest.mark.parametrize(
    ("value", "ulp", "sig_ulp", "pct", "hedged", "tolerance"),
    [
        (10_000_000, 10_000, 10_000_000, False, True, 1_000_000),  # "约 1000 万": a tenth, not 500 万
        (3000, 1, 1000, False, True, 300),  # "about 3,000": 2,800 is about 3,000; 2,600 is not
        (3300, 1, 100, False, True, 50),  # "about 3,300": half its last significant digit, as before
        (Fraction(3, 10), Fraction(1, 100), Fraction(1, 10), True, True, Fraction(1, 40)),  # "约 30%": as before
        (142_587, 1, 1, False, True, 1),  # four significant digits state their precision
        (3000, 1, 1000, False, False, Fraction(1, 2)),  # unhedged: half the last written digit
    ],
)
def test_hedged_tolerance(
    value: Fraction, ulp: Fraction, sig_ulp: Fraction, pct: bool, hedged: bool, tolerance: Fraction
) -> None:
    tok = Tok("num", str(value), 0, 1, Fraction(value), Fraction(ulp), Fraction(sig_ulp), pct)
    assert stated_tolerance(tok, hedged) == Fraction(tolerance)
