"""Routing and argument extraction: which questions go to which calculator, with which arguments (zh and en)."""

from __future__ import annotations

import pytest

from assistant.ask.analyze import analyze
from assistant.ask.arguments import extract_arguments, in_periods
from assistant.ask.route import plan_tool
from tools.figures import parse_duration, parse_figures


def _args(question: str):  # type: ignore[no-untyped-def]
    return extract_arguments(question, parse_figures(question))


@pytest.mark.parametrize(
    ("question", "rate", "period"),
    [
        ("H100租金每小时3美元，每月下降2%", -0.02, "month"),
        ("the price falls 10% a year", -0.10, "year"),
        ("rents rise 5% per month", 0.05, "month"),
        ("价格每年上涨8%", 0.08, "year"),
        ("prices decline 3% monthly", -0.03, "month"),
    ],
)
def test_rate_of_change_with_sign_and_period(question: str, rate: float, period: str) -> None:
    a = _args(question)
    assert a.rate is not None
    assert a.rate.value == pytest.approx(rate)
    assert a.rate_period == period


@pytest.mark.parametrize(
    ("question", "value", "unit", "role"),
    [
        ("what will it cost in 3 years?", 3, "year", "horizon"),
        ("两年后是多少？", 2, "year", "horizon"),
        ("6个月后的价格", 6, "month", "horizon"),
        ("from $4.50 to $3.80 an hour over 12 months", 12, "month", "span"),
        ("租2048张卡用60天", 60, "day", "usage"),
        ("2048 GPUs for 30 days", 30, "day", "usage"),
    ],
)
def test_durations_by_role(question: str, value: float, unit: str, role: str) -> None:
    fig = getattr(_args(question), role)
    assert fig is not None
    assert (fig.value, fig.unit) == (value, unit)


@pytest.mark.parametrize(
    ("question", "field", "value"),
    [
        ("at $2 per GPU hour", "price_per_gpu_hour", 2.0),
        ("H800每卡每小时1.8美元", "price_per_gpu_hour", 1.8),
        ("rents for $2 an hour", "price_per_gpu_hour", 2.0),
        ("at 40% utilization", "utilization", 0.4),
        ("算力利用率为35%", "utilization", 0.35),
        ("a new kernel makes it 25% faster", "speedup", 0.25),
        ("提速30%", "speedup", 0.3),
        ("a 70B dense model", "params", 70e9),
        ("on 15T tokens", "tokens", 15e12),
        ("1 million GPU hours", "gpu_hours", 1e6),
        ("租2048张卡", "gpus", 2048),
    ],
)
def test_argument_roles(question: str, field: str, value: float) -> None:
    fig = getattr(_args(question), field)
    assert fig is not None
    assert fig.value == pytest.approx(value)


@pytest.mark.parametrize(("text", "months"), [("两年后", 24), ("in 3 years", 36), ("over 18 months", 18)])
def test_durations_in_months(text: str, months: float) -> None:
    fig = parse_duration(text)
    assert fig is not None
    assert in_periods(fig, "month") == months


@pytest.mark.parametrize(
    ("question", "tool", "arguments"),
    [
        (
            "What does 1 million GPU hours cost at $2.50 per GPU hour?",
            "training_cost",
            {"gpu_hours": 1e6, "usd_per_gpu_hour": 2.5},
        ),
        (
            "训练用了200万GPU小时，按每GPU小时2美元算要花多少钱？",
            "training_cost",
            {"gpu_hours": 2e6, "usd_per_gpu_hour": 2.0},
        ),
        (
            "H800每卡每小时1.8美元，租2048张卡用60天，一共要多少钱？",
            "training_cost",
            {"gpus": 2048, "days": 60.0, "usd_per_gpu_hour": 1.8},
        ),
        (
            "How much does renting 512 GPUs for 21 days cost at $2 per GPU hour?",
            "training_cost",
            {"gpus": 512, "days": 21.0, "usd_per_gpu_hour": 2.0},
        ),
        (
            "If an H800 rents for $2 an hour and the price falls 10% a year, what will it cost in 3 years?",
            "project_rental_price",
            {"start_usd_per_hour": 2.0, "change": -0.1, "per": "year", "periods": 3},
        ),
        (
            "H100租金每小时3美元，每月下降2%，两年后是多少？",
            "project_rental_price",
            {"start_usd_per_hour": 3.0, "change": -0.02, "per": "month", "periods": 24},
        ),
        (
            "If H100 rent falls from $4.50 to $3.80 an hour over 12 months, what monthly rate of decline does that "
            "imply?",
            "implied_change",
            {"start_usd_per_hour": 4.5, "end_usd_per_hour": 3.8, "periods": 12, "per": "month"},
        ),
        (
            "H100租金从每小时4.5美元降到3.8美元，经过12个月，每月下降多少？",
            "implied_change",
            {"start_usd_per_hour": 4.5, "end_usd_per_hour": 3.8, "periods": 12, "per": "month"},
        ),
        (
            "A training run takes 2000 GPUs; if a new kernel makes it 25% faster, how many GPUs finish it in the "
            "same time?",
            "gpus_needed",
            {"gpus": 2000, "speedup": 0.25},
        ),
        ("原来需要1024张卡，提速30%后需要多少张卡？", "gpus_needed", {"gpus": 1024, "speedup": 0.3}),
        (
            "If 1024 GPUs can be replaced by 700 GPUs, how much faster is each GPU?",
            "speedup_implied",
            {"gpus_before": 1024, "gpus_after": 700},
        ),
        (
            "How many H100 GPU hours does training a 70B dense model on 15T tokens take at 40% utilization?",
            "training_cost",
            {"params": 70e9, "tokens": 15e12, "chip": "H100", "utilization": 0.4},
        ),
        (
            "Which vendor won the largest share of China's government-led AI computing center tenders?",
            "chip_share",
            {"market": "tender"},
        ),
        ("华为昇腾在智算中心招标中的份额是多少？", "chip_share", {"market": "tender", "vendor": "华为昇腾"}),
    ],
)
def test_routes_to_tool(question: str, tool: str, arguments: dict) -> None:
    plan = plan_tool(analyze(question))
    assert plan is not None
    assert plan.name == tool
    assert (
        plan.arguments == pytest.approx(arguments)
        if all(isinstance(v, int | float) for v in arguments.values())
        else plan.arguments == arguments
    )


@pytest.mark.parametrize(
    "question",
    [
        # lookups that mention numbers but ask for a stated figure
        "原本需要1024张卡完成的微调任务，软件调优后会有多少张卡成为溢出供应？",
        "On DeepSeek's 2048-GPU cluster, how many days does training on one trillion tokens take?",
        "What rental price per GPU hour did DeepSeek assume for the H800 when costing V3's training?",
        "How many GPU hours did DeepSeek-V3's context length extension take?",
        "DeepSeek-V3 总共有多少参数？",
        "What is the H800's memory bandwidth?",
        "How much faster than the H100 is Blackwell at FP8/FP4 inference?",
        # computations with an input missing and nothing to look it up by
        "How much would 2048 GPUs for 60 days cost?",
        "What will an H100 cost in 3 years?",
        "How many GPU hours does training a 70B model on 15T tokens take?",
    ],
)
def test_not_a_confident_computation(question: str) -> None:
    assert plan_tool(analyze(question)) is None


def test_missing_price_is_looked_up_when_the_question_points_to_it() -> None:
    plan = plan_tool(analyze("At DeepSeek's assumed H800 rental price, what would 1 million GPU hours cost?"))
    assert plan is not None and plan.name == "training_cost"
    assert plan.arguments == {"gpu_hours": 1e6}
    assert [f.argument for f in plan.fills] == ["usd_per_gpu_hour"]
    assert "DeepSeek" in plan.fills[0].query


@pytest.mark.parametrize(
    ("question", "tool", "arguments"),
    [
        # one-off changes: one amount and one change with no period, horizon or span
        (
            "If an H100 rents for $4.50 an hour and the price falls 15%, what is the new hourly price?",
            "apply_change",
            {"value": 4.5, "change": -0.15, "unit": "usd_per_hour"},
        ),
        ("A cluster costing $8 million gets 25% more expensive. What does it cost now?", "apply_change",
         {"value": 8e6, "change": 0.25, "unit": "usd"}),
        ("每卡每小时2美元的价格下调20%后是多少？", "apply_change",
         {"value": 2.0, "change": -0.2, "unit": "usd_per_gpu_hour"}),
        # FLOPs estimates in any order, asked with no question word, or with the asked word naming an input
        (
            "Estimate the training cost of a model with 37B active parameters trained on 14.8T tokens on H800 GPUs "
            "at 40% utilization and $2 per GPU hour",
            "training_cost",
            {"params": 37e9, "tokens": 14.8e12, "chip": "H800", "utilization": 0.4, "usd_per_gpu_hour": 2.0},
        ),
        (
            "At $3 per GPU hour and 30% utilization on H100 GPUs, what would a 9B model on 2T tokens cost?",
            "training_cost",
            {"params": 9e9, "tokens": 2e12, "chip": "H100", "utilization": 0.3, "usd_per_gpu_hour": 3.0},
        ),
        (
            "一个激活参数 300 亿的模型在 A100 上训练 3 万亿 token，MFU 为 45%，需要多少 GPU 小时？",
            "training_cost",
            {"params": 30e9, "tokens": 3e12, "chip": "A100", "utilization": 0.45},
        ),
        # the one plain count is of what is asked
        ("If a new kernel makes training 60% faster, how many GPUs would do the work of 800?", "gpus_needed",
         {"gpus": 800, "speedup": 0.6}),
    ],
)
def test_routes_from_the_roles_of_the_figures(question: str, tool: str, arguments: dict) -> None:
    plan = plan_tool(analyze(question))
    assert plan is not None and plan.name == tool
    assert plan.arguments == arguments


@pytest.mark.parametrize(
    "question",
    [
        # the amount is where the change ended, not where it starts
        "DeepSeek cut its API price by 50% to $0.14 per million tokens; what was the old price?",
        "英伟达营收同比增长 94%，达到 351 亿美元，上一年同期是多少？",
        # the amount given is the changed one
        "After a 20% rise an H100 rents for $3 an hour; what was the price before?",
        "涨价 20% 后每小时 3 美元，原价是多少？",
        # a stated change, asked as a lookup
        "By how much did H100 rental prices fall in 2024?",
        "How many tokens was the 37B-active-parameter model trained on?",
    ],
)
def test_changes_and_figures_that_are_not_computations(question: str) -> None:
    assert plan_tool(analyze(question)) is None


def test_flops_estimate_looks_up_the_price_a_report_assumes() -> None:
    plan = plan_tool(
        analyze(
            "Estimate the cost to train a 70B model on 15T tokens on H800s at 40% utilization at the GPU-hour "
            "price the DeepSeek-V3 report assumes."
        )
    )
    assert plan is not None and plan.name == "training_cost"
    assert plan.arguments == {"params": 70e9, "tokens": 15e12, "chip": "H800", "utilization": 0.4}
    assert [f.query for f in plan.fills] == ["H800 DeepSeek-V3 rental price per GPU hour"]


def test_the_lookup_names_whose_figure_not_the_first_word_or_the_unit() -> None:
    plan = plan_tool(
        analyze(
            "Using the per-GPU-hour price assumed in the DeepSeek-V3 technical report, how much would 3 million "
            "GPU hours cost?"
        )
    )
    assert plan is not None and plan.arguments == {"gpu_hours": 3e6}
    assert [f.query for f in plan.fills] == ["DeepSeek-V3 rental price per GPU hour"]
