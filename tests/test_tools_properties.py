"""Property-based tests for the calculators: linearity, monotonicity, round trips, inverses."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from tools import gpus_needed, implied_change, project_rental_price, speedup_implied, training_cost
from tools.figures import parse_figures
from tools.fmt import compact

hours = st.integers(min_value=1, max_value=10**9)
cents = st.integers(min_value=1, max_value=100_000).map(lambda c: Decimal(c) / 100)  # $0.01 .. $1000
small_int = st.integers(min_value=2, max_value=50)
rates = st.decimals(min_value=Decimal("-0.5"), max_value=Decimal("0.5"), places=4)
periods = st.integers(min_value=1, max_value=60)
prices = st.decimals(min_value=Decimal("0.1"), max_value=Decimal("100"), places=3)

settings.register_profile("tools", max_examples=200, deadline=None)
settings.load_profile("tools")


@given(hours, cents, small_int)
def test_cost_is_linear_in_hours(h: int, price: Decimal, k: int) -> None:
    one = training_cost(gpu_hours=h, usd_per_gpu_hour=price).cost_usd
    assert training_cost(gpu_hours=h * k, usd_per_gpu_hour=price).cost_usd == one * k


@given(hours, cents, small_int)
def test_cost_is_linear_in_price(h: int, price: Decimal, k: int) -> None:
    one = training_cost(gpu_hours=h, usd_per_gpu_hour=price).cost_usd
    assert training_cost(gpu_hours=h, usd_per_gpu_hour=price * k).cost_usd == one * k
    assert one == Decimal(h) * price


@given(st.integers(1, 100_000), st.integers(1, 3650), cents)
def test_cluster_route_equals_hours_route(gpus: int, days: int, price: Decimal) -> None:
    a = training_cost(gpus=gpus, days=days, usd_per_gpu_hour=price).cost_usd
    assert a == training_cost(gpu_hours=gpus * 24 * days, usd_per_gpu_hour=price).cost_usd


@given(prices, rates, rates, periods)
def test_projection_is_monotone_in_the_rate(start: Decimal, r1: Decimal, r2: Decimal, n: int) -> None:
    lo, hi = sorted((r1, r2))
    a = project_rental_price(start_usd_per_hour=start, change=lo, periods=n).final_usd_per_hour
    b = project_rental_price(start_usd_per_hour=start, change=hi, periods=n).final_usd_per_hour
    assert a <= b


@given(prices, rates, periods, st.sampled_from(["month", "year"]))
def test_implied_change_round_trips_a_projection(start: Decimal, rate: Decimal, n: int, per: str) -> None:
    end = project_rental_price(start_usd_per_hour=start, change=rate, periods=n, per=per).final_usd_per_hour
    back = implied_change(start_usd_per_hour=start, end_usd_per_hour=end, periods=n, per=per).change
    assert abs(back - rate) < Decimal("1e-20")


@given(prices, rates, periods)
def test_path_is_compound(start: Decimal, rate: Decimal, n: int) -> None:
    path = project_rental_price(start_usd_per_hour=start, change=rate, periods=n).path
    assert path[0] == start
    for a, b in zip(path, path[1:], strict=False):
        assert abs(b - a * (1 + rate)) <= abs(b) * Decimal("1e-25")


@given(st.integers(1, 100_000), st.decimals(min_value=Decimal("0"), max_value=Decimal("5"), places=3))
def test_gpus_needed_and_speedup_are_inverse_within_rounding(gpus: int, s: Decimal) -> None:
    r = gpus_needed(gpus=gpus, speedup=s)
    assert r.gpus_needed - 1 < r.gpus_needed_exact <= r.gpus_needed
    back = speedup_implied(gpus_before=gpus, gpus_after=r.gpus_needed).speedup
    # Rounding the GPU count up can only lose speed: the implied gain lies between the gain one GPU more would
    # need and the gain asked for.
    assert back <= s
    assert back >= Decimal(gpus) / (r.gpus_needed_exact + 1) - 1


@given(st.integers(1, 100_000), st.integers(1, 100_000))
def test_speedup_then_gpus_needed_recovers_the_count(before: int, after: int) -> None:
    s = speedup_implied(gpus_before=before, gpus_after=after).speedup
    assert gpus_needed(gpus=before, speedup=s).gpus_needed == after


@given(st.integers(min_value=1, max_value=10**13))
def test_compact_renders_parse_back(n: int) -> None:
    for lang in ("en", "zh"):
        text = compact(n, lang)
        (fig,) = parse_figures(text)
        assert abs(fig.value - n) <= n * 5e-4
