"""training_cost: the three routes, stages, cited defaults and bad input."""

from __future__ import annotations

import math
from decimal import Decimal

import pytest

from tools import training_cost


def test_gpu_hours_route_is_exact() -> None:
    r = training_cost(gpu_hours=2.788e6, usd_per_gpu_hour=2)
    assert r.cost_usd == Decimal("5576000")
    assert isinstance(r.cost_usd, Decimal)
    assert (r.method, r.sources) == ("gpu_hours", [])
    assert r.formula == "2,788,000 GPU·h × $2/GPU·h = $5,576,000"
    assert r.render() == (
        "Training cost: $5.576M (2.788M GPU hours × $2/GPU·h)\n  Formula: 2,788,000 GPU·h × $2/GPU·h = $5,576,000"
    )
    assert r.render("zh").splitlines()[0] == "训练成本：557.6万美元（278.8万 GPU小时 × 2美元/GPU·小时）"


def test_cluster_route() -> None:
    r = training_cost(gpus=2048, days=60, usd_per_gpu_hour=1.8)
    assert r.cost_usd == Decimal("5308416")
    assert r.cost_usd == Decimal(2048 * 24 * 60) * Decimal("1.8")
    assert (r.gpu_hours, r.days, r.gpus) == (2_949_120.0, 60.0, 2048)
    assert r.formula == "2,048 GPUs × 60 days × 24 h × $1.8/GPU·h = $5,308,416"


def test_flops_route_deepseek_v3_on_h800() -> None:
    r = training_cost(
        params=37e9, tokens=14.8e12, chip="H800", utilization=0.4, usd_per_gpu_hour=2, gpus=2048
    )
    assert r.peak_flops_per_s == 989.5e12
    assert r.flops == pytest.approx(6 * 37e9 * 14.8e12)
    assert abs(r.gpu_hours - 2.31e6) / 2.31e6 < 0.02
    assert r.gpu_hours == pytest.approx(6 * 37e9 * 14.8e12 / (989.5e12 * 0.4) / 3600)
    assert r.days == pytest.approx(r.gpu_hours / 2048 / 24)
    assert r.chip == "NVIDIA H800 SXM5"
    assert r.sources[0].value == "BF16 989.5 TFLOP/s (dense peak)"


def test_flops_route_70b_dense_on_h100() -> None:
    r = training_cost(params=70e9, tokens=15e12, chip="H100", utilization=0.4, usd_per_gpu_hour=2)
    assert r.gpu_hours == pytest.approx(4.42e6, rel=0.005)
    assert r.peak_flops_per_s == 989.4e12


def test_precision_fp8_halves_the_hours() -> None:
    bf16 = training_cost(params=37e9, tokens=14.8e12, chip="H800", utilization=0.4, usd_per_gpu_hour=2)
    fp8 = training_cost(
        params=37e9, tokens=14.8e12, chip="H800", utilization=0.4, usd_per_gpu_hour=2, precision="FP8"
    )
    assert fp8.peak_flops_per_s == 1979e12
    assert fp8.gpu_hours == pytest.approx(bf16.gpu_hours * 989.5 / 1979)


def test_stages_are_summed_and_shown() -> None:
    stages = {"pre-training": 2664e3, "context extension": 119e3, "post-training": 5e3}
    r = training_cost(stages=stages, usd_per_gpu_hour=2)
    assert (r.method, r.gpu_hours, r.cost_usd) == ("stages", 2.788e6, Decimal("5576000"))
    assert r.stage_costs == {
        "pre-training": Decimal("5328000"),
        "context extension": Decimal("238000"),
        "post-training": Decimal("10000"),
    }
    assert r.formula == "2,664,000 + 119,000 + 5,000 = 2,788,000 GPU·h × $2/GPU·h = $5,576,000"
    assert "  context extension: 119K GPU hours, $238K" in r.render().splitlines()


def test_stages_must_agree_with_gpu_hours() -> None:
    with pytest.raises(ValueError, match="disagrees with the sum of stages"):
        training_cost(gpu_hours=3e6, stages={"a": 1e6}, usd_per_gpu_hour=2)


def test_cited_default_price_for_h800() -> None:
    r = training_cost(gpu_hours=2.788e6, chip="h800")
    assert r.usd_per_gpu_hour == Decimal(2)
    assert r.cost_usd == Decimal("5576000")
    (src,) = r.sources
    assert (src.document, src.path, src.page, src.value) == (
        "DeepSeek-V3 Technical Report",
        "deepseek/DeepSeek_V3.pdf",
        5,
        "$2/GPU·h",
    )
    assert (
        src.quote
        == "Table 1 | Training costs of DeepSeek-V3, assuming the rental price of H800 is $2 per GPU hour."
    )
    assert "Source: $2/GPU·h — DeepSeek-V3 Technical Report, p.5" in r.render()


def test_default_price_used_on_flops_route_lists_both_sources() -> None:
    r = training_cost(params=37e9, tokens=14.8e12, chip="H800 SXM5", utilization=0.4)
    assert [s.document for s in r.sources][0] == "DeepSeek-V3 Technical Report"
    assert len(r.sources) == 2


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"gpu_hours": 2.788e6}, "usd_per_gpu_hour is required"),
        ({"gpu_hours": 2.788e6, "chip": "H100"}, "usd_per_gpu_hour is required"),
        ({"gpus": 2048, "days": 60, "chip": "H800"}, "usd_per_gpu_hour is required"),
        ({"gpu_hours": -5, "usd_per_gpu_hour": 2}, "gpu_hours must be > 0"),
        ({"gpu_hours": math.nan, "usd_per_gpu_hour": 2}, "gpu_hours must be a finite number"),
        ({"gpu_hours": 1e6, "usd_per_gpu_hour": -2}, "usd_per_gpu_hour must be > 0"),
        ({"gpu_hours": 1e6, "usd_per_gpu_hour": math.inf}, "usd_per_gpu_hour must be a finite number"),
        ({"gpus": 2048, "usd_per_gpu_hour": 2}, "needs both gpus and days"),
        ({"gpus": 0, "days": 3, "usd_per_gpu_hour": 2}, "gpus must be a whole number >= 1"),
        ({"gpus": 10.5, "days": 3, "usd_per_gpu_hour": 2}, "gpus must be a whole number >= 1"),
        ({"gpus": 8, "days": 0, "usd_per_gpu_hour": 2}, "days must be > 0"),
        (
            {"params": 37e9, "tokens": 1e12, "chip": "H800", "utilization": 1.5},
            r"utilization must be in \(0, 1\]",
        ),
        ({"params": 37e9, "tokens": 1e12, "chip": "H800", "utilization": 0}, "utilization must be > 0"),
        ({"params": 37e9, "tokens": 1e12, "chip": "H800"}, "utilization is required"),
        ({"params": 37e9, "tokens": 1e12, "utilization": 0.4}, "chip is required"),
        ({"params": 37e9, "tokens": 1e12, "chip": "H900", "utilization": 0.4}, "unknown chip 'H900'"),
        ({"params": 37e9, "tokens": 1e12, "chip": "910B", "utilization": 0.4}, "has no BF16 peak"),
        (
            {"params": 37e9, "tokens": 1e12, "chip": "H800", "utilization": 0.4, "precision": "int3"},
            "precision",
        ),
        ({}, "give gpu_hours"),
    ],
)
def test_bad_input_names_the_field(kwargs: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        training_cost(**kwargs)


def test_result_round_trips_as_json() -> None:
    r = training_cost(gpu_hours=2.788e6, chip="H800")
    again = type(r).model_validate_json(r.model_dump_json())
    assert again == r
    assert r.model_dump(mode="json")["cost_usd"] == "5576000"
