"""gpus_needed and speedup_implied."""

from __future__ import annotations

import math
from decimal import Decimal

import pytest

from tools import gpus_needed, speedup_implied


def test_gpus_needed_rounds_up() -> None:
    r = gpus_needed(gpus=1024, speedup=0.30)
    assert (r.gpus_needed, r.gpus_freed) == (788, 236)
    assert round(r.gpus_needed_exact, 2) == Decimal("787.69")
    assert r.formula == "1,024 / (1 + 30%) = 787.692 → 788 GPUs"


@pytest.mark.parametrize(
    ("gpus", "speedup", "needed"),
    [(130, 0.3, 100), (100, 0, 100), (100, 1, 50), (101, 1, 51), (100, -0.5, 200), (1, 10, 1)],
)
def test_gpus_needed_table(gpus: int, speedup: float, needed: int) -> None:
    assert gpus_needed(gpus=gpus, speedup=speedup).gpus_needed == needed


def test_speedup_implied() -> None:
    r = speedup_implied(gpus_before=1024, gpus_after=700)
    assert r.speedup == Decimal(1024) / Decimal(700) - 1
    assert r.formula == "1,024 / 700 - 1 = 46.29%"
    assert "46.29%" in r.render("zh")


@pytest.mark.parametrize(
    ("func", "kwargs", "message"),
    [
        (gpus_needed, {"gpus": 0, "speedup": 0.3}, "gpus must be a whole number >= 1"),
        (gpus_needed, {"gpus": 1024, "speedup": -1}, "speedup must be greater than -1"),
        (gpus_needed, {"gpus": 1024, "speedup": math.nan}, "speedup must be a finite number"),
        (speedup_implied, {"gpus_before": 1024, "gpus_after": 0}, "gpus_after must be"),
        (speedup_implied, {"gpus_before": -3, "gpus_after": 10}, "gpus_before must be"),
    ],
)
def test_bad_input(func, kwargs: dict, message: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError, match=message):
        func(**kwargs)
