"""project_rental_price and implied_change."""

from __future__ import annotations

import math
from decimal import Decimal

import pytest

from tools import implied_change, project_rental_price


def test_monthly_decline_ends_at_353() -> None:
    r = project_rental_price(start_usd_per_hour=4.5, change=-0.02, per="month", periods=12)
    assert r.final_usd_per_hour == Decimal("4.5") * Decimal("0.98") ** 12
    assert r.final_usd_per_hour.quantize(Decimal("0.01")) == Decimal("3.53")
    assert len(r.path) == 13
    assert (r.path[0], r.path[1]) == (Decimal("4.5"), Decimal("4.410"))
    assert (
        r.render().splitlines()[0]
        == "$4.50/h changing -2% per month for 12 months: $3.53/h (-21.53% in total)"
    )
    assert (
        r.render("zh").splitlines()[0]
        == "每小时4.50美元，每月变化-2%，12个月后为每小时3.53美元（累计-21.53%）"
    )
    assert r.formula == "$4.50 × (1 - 2%)^12 = $3.53"


def test_yearly_decline() -> None:
    r = project_rental_price(start_usd_per_hour=2, change=-0.10, per="year", periods=3)
    assert r.final_usd_per_hour == Decimal("1.458")
    assert r.total_change == Decimal("-0.271")


def test_change_range_gives_three_scenarios() -> None:
    r = project_rental_price(start_usd_per_hour=4.5, per="year", periods=1, change_range=(-0.12, -0.18))
    assert [(s.name, s.change, s.final_usd_per_hour) for s in r.scenarios] == [
        ("low", Decimal("-0.18"), Decimal("3.690")),
        ("mid", Decimal("-0.15"), Decimal("3.825")),
        ("high", Decimal("-0.12"), Decimal("3.960")),
    ]
    assert r.change == Decimal("-0.15")
    assert r.final_usd_per_hour == Decimal("3.825")


def test_implied_change_between_two_prices() -> None:
    r = implied_change(start_usd_per_hour=4.5, end_usd_per_hour=3.8, periods=12, per="month")
    assert float(r.change) == pytest.approx(-0.01399, abs=5e-6)
    assert float(r.change) == pytest.approx((3.8 / 4.5) ** (1 / 12) - 1, rel=1e-12)
    assert float(r.annualized_change) == pytest.approx(3.8 / 4.5 - 1, rel=1e-12)
    assert r.formula == "(3.8 / 4.5)^(1/12) - 1 = -1.399%"


def test_implied_yearly_rate() -> None:
    r = implied_change(start_usd_per_hour=2, end_usd_per_hour=1.458, periods=3, per="year")
    assert float(r.change) == pytest.approx(-0.1, rel=1e-12)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"start_usd_per_hour": 4.5, "change": -0.02, "periods": 0}, "periods must be a whole number >= 1"),
        ({"start_usd_per_hour": 4.5, "change": -0.02, "periods": 2.5}, "periods must be a whole number >= 1"),
        ({"start_usd_per_hour": -4.5, "change": -0.02}, "start_usd_per_hour must be > 0"),
        ({"start_usd_per_hour": math.nan, "change": -0.02}, "start_usd_per_hour must be a finite number"),
        ({"start_usd_per_hour": 4.5, "change": -1.0}, "change must be greater than -1"),
        ({"start_usd_per_hour": 4.5, "change": math.nan}, "change must be a finite number"),
        ({"start_usd_per_hour": 4.5, "change": -0.02, "per": "week"}, "per must be 'month' or 'year'"),
        ({"start_usd_per_hour": 4.5}, "give change"),
        ({"start_usd_per_hour": 4.5, "change_range": (-0.1,)}, "change_range must be a pair"),
    ],
)
def test_projection_rejects_bad_input(kwargs: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        project_rental_price(**kwargs)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"start_usd_per_hour": 4.5, "end_usd_per_hour": 3.8, "periods": 0}, "periods must be"),
        ({"start_usd_per_hour": 0, "end_usd_per_hour": 3.8}, "start_usd_per_hour must be > 0"),
        ({"start_usd_per_hour": 4.5, "end_usd_per_hour": -1}, "end_usd_per_hour must be > 0"),
    ],
)
def test_implied_change_rejects_bad_input(kwargs: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        implied_change(**kwargs)
