"""Training cost: from GPU-hours, from a cluster size and duration, or from parameters and tokens (6·N·D FLOPs)."""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Any, Literal

from pydantic import Field

from tools import fmt
from tools.chips import chip_specs, normalise_precision, peak_flops
from tools.results import Source, ToolResult, check_count, check_fraction, check_positive, to_decimal
from tools.vocab import default_prices

__all__ = ["TrainingCost", "training_cost", "default_prices"]

def __getattr__(name: str) -> Any:
    # ``DEFAULT_PRICES`` used to be a constant; it is read from tools/data/figures.toml on first use now
    if name == "DEFAULT_PRICES":
        return default_prices()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


Method = Literal["gpu_hours", "stages", "cluster", "flops"]


class TrainingCost(ToolResult):
    """The cost of one training run and how it was computed."""

    tool: str = "training_cost"
    method: Method
    gpu_hours: float = Field(description="Total GPU-hours (computed or given).")
    usd_per_gpu_hour: Decimal | None = Field(description="None only on the FLOPs route when no price was given.")
    cost_usd: Decimal | None = Field(description="None when no price was given (FLOPs route): GPU-hours only.")
    gpus: int | None = None
    days: float | None = Field(default=None, description="Wall-clock days: given, or gpu_hours / gpus / 24.")
    params: float | None = None
    tokens: float | None = None
    chip: str | None = Field(default=None, description="Canonical chip name from the chip table.")
    precision: str | None = None
    utilization: float | None = None
    peak_flops_per_s: float | None = None
    flops: float | None = Field(default=None, description="Training FLOPs, 6 × params × tokens.")
    stages: dict[str, float] | None = Field(default=None, description="GPU-hours per stage, when given.")
    stage_costs: dict[str, Decimal] | None = None

    def render(self, lang: str = "en") -> str:
        zh = lang == "zh"
        if self.cost_usd is None or self.usd_per_gpu_hour is None:
            lines = [
                f"训练需要 {fmt.compact(self.gpu_hours, 'zh')} GPU小时（未给出价格，不计成本）"
                if zh
                else f"Training needs {fmt.compact(self.gpu_hours)} GPU hours (no price given, so no cost)"
            ]
            return "\n".join(lines + self._details(lang))
        price = fmt.rate(self.usd_per_gpu_hour, lang)
        if zh:
            lines = [
                f"训练成本：{fmt.money(self.cost_usd, 'zh')}（{fmt.compact(self.gpu_hours, 'zh')} GPU小时 × {price}）"
            ]
        else:
            lines = [
                f"Training cost: {fmt.money(self.cost_usd)} ({fmt.compact(self.gpu_hours)} GPU hours × {price})"
            ]
        return "\n".join(lines + self._details(lang))

    def _details(self, lang: str) -> list[str]:
        zh = lang == "zh"
        lines = []
        if self.stages and self.stage_costs:
            for name, hours in self.stages.items():
                cost = fmt.money(self.stage_costs[name], lang)
                lines.append(
                    f"  {name}: {fmt.compact(hours, lang)} {'GPU小时' if zh else 'GPU hours'}, {cost}"
                )
        if self.flops is not None:
            flop = f"{self.flops:.3e}"
            lines.append(f"  {'训练计算量' if zh else 'Compute'}: {flop} FLOP")
        if self.days is not None and self.gpus:
            days = fmt.sig(self.days, 3)
            lines.append(
                f"  {self.gpus:,} 张卡约 {days} 天" if zh else f"  {days} days on {self.gpus:,} GPUs"
            )
        lines.append(("  公式：" if zh else "  Formula: ") + self.formula)
        for s in self.sources:
            page = f", p.{s.page}" if s.page else ""
            lines.append(f"  {'来源' if zh else 'Source'}: {s.value} — {s.document}{page}")
        return lines


def training_cost(
    gpu_hours: float | None = None,
    usd_per_gpu_hour: float | None = None,
    gpus: int | None = None,
    days: float | None = None,
    params: float | None = None,
    tokens: float | None = None,
    chip: str | None = None,
    utilization: float | None = None,
    precision: str = "bf16",
    stages: dict[str, float] | None = None,
) -> TrainingCost:
    """Cost of a training run in US dollars, by one of three routes.

    - GPU-hours: ``training_cost(gpu_hours=2.788e6, usd_per_gpu_hour=2)``; or per stage,
      ``stages={"pre-training": 2664e3, "context extension": 119e3, "post-training": 5e3}`` (summed).
    - Cluster: ``training_cost(gpus=2048, days=60, usd_per_gpu_hour=1.8)`` = gpus × 24 × days × price.
    - FLOPs: ``training_cost(params=37e9, tokens=14.8e12, chip="H800", utilization=0.4, usd_per_gpu_hour=2)``
      uses 6 × params × tokens FLOPs and the chip's dense peak at ``precision`` (bf16, fp16, fp8, fp4);
      ``params`` is the number of parameters active per token. Give ``gpus`` to get wall-clock days.

    ``usd_per_gpu_hour`` may be left out on the GPU-hour routes only for a chip with a cited default price
    (H800: $2/GPU-hour, the DeepSeek-V3 report's assumption); the result then lists it in ``sources``. On the
    FLOPs route without a price (and no default) the result gives GPU-hours and days, with ``cost_usd=None``.
    """
    sources: list[Source] = []
    spec_name = chip_specs(chip).name if chip is not None else None  # unknown chips fail here, by name
    method: Method
    if stages is not None:
        method = "stages"
        if not isinstance(stages, dict) or not stages:
            raise ValueError("stages must be a non-empty mapping of stage name to GPU-hours")
        stage_hours = {
            str(k): check_positive(f"stages[{k!r}]", v, allow_zero=True) for k, v in stages.items()
        }
        total = sum(stage_hours.values())
        if gpu_hours is not None and not math.isclose(
            check_positive("gpu_hours", gpu_hours), total, rel_tol=1e-3
        ):
            raise ValueError(f"gpu_hours={gpu_hours:g} disagrees with the sum of stages ({total:g})")
        hours = total
    elif gpu_hours is not None:
        method = "gpu_hours"
        hours = check_positive("gpu_hours", gpu_hours)
    elif params is not None or tokens is not None:
        method = "flops"
    elif gpus is not None or days is not None:
        method = "cluster"
    else:
        raise ValueError(
            "give gpu_hours, stages, gpus and days, or params and tokens (with chip and utilization)"
        )

    n_gpus = check_count("gpus", gpus) if gpus is not None else None
    flops = peak = util = None
    prec = None
    if method == "cluster":
        if n_gpus is None or days is None:
            raise ValueError("the cluster route needs both gpus and days")
        wall_days = check_positive("days", days)
        hours = n_gpus * 24 * wall_days
    elif method == "flops":
        n = check_positive("params", params)
        d = check_positive("tokens", tokens)
        if chip is None:
            raise ValueError("chip is required for the FLOPs route (a name from the chip table)")
        if utilization is None:
            raise ValueError("utilization is required for the FLOPs route (a fraction in (0, 1], e.g. 0.4)")
        util = check_fraction("utilization", utilization)
        prec = normalise_precision(precision)
        peak, spec = peak_flops(chip, prec)
        used = f"{prec.upper()} {fmt.sig(peak / 1e12, 5)} TFLOP/s (dense peak)"
        sources.extend(src.model_copy(update={"value": used}) for src in spec.sources)
        flops = 6 * n * d
        hours = flops / (peak * util) / 3600

    price: Decimal | None
    defaults = default_prices()
    if usd_per_gpu_hour is None and method == "flops" and spec_name not in defaults:
        price = None  # the FLOPs route answers in GPU-hours on its own; a cost needs a price
    elif usd_per_gpu_hour is None:
        if method == "cluster" or spec_name not in defaults:
            raise ValueError(
                "usd_per_gpu_hour is required"
                + (
                    ""
                    if method == "cluster"
                    else f" (a cited default exists only for: {', '.join(sorted(defaults)) or 'no chip'})"
                )
            )
        price, source = defaults[spec_name]
        sources.insert(0, source)
    else:
        price = to_decimal("usd_per_gpu_hour", usd_per_gpu_hour)
        check_positive("usd_per_gpu_hour", price)

    hours_dec = to_decimal("gpu_hours", hours)
    cost = None if price is None else hours_dec * price
    wall: float | None = None
    if method != "cluster" and n_gpus is not None:
        wall = hours / n_gpus / 24
    elif method == "cluster" and days is not None:
        wall = float(days)
    stage_costs = (
        {k: to_decimal(k, v) * price for k, v in stage_hours.items()}
        if method == "stages" and price is not None
        else None
    )
    return TrainingCost(
        method=method,
        gpu_hours=hours,
        usd_per_gpu_hour=price,
        cost_usd=cost,
        gpus=n_gpus,
        days=wall,
        params=params,
        tokens=tokens,
        chip=spec_name,
        precision=prec,
        utilization=util,
        peak_flops_per_s=peak,
        flops=flops,
        stages=stage_hours if method == "stages" else None,
        stage_costs=stage_costs,
        formula=_formula(method, hours, price, cost, n_gpus, wall, params, tokens, flops, peak, util, stages),
        sources=sources,
    )


def _formula(
    method: str,
    hours: float,
    price: Decimal | None,
    cost: Decimal | None,
    gpus: int | None,
    days: float | None,
    params: float | None,
    tokens: float | None,
    flops: float | None,
    peak: float | None,
    util: float | None,
    stages: dict[str, float] | None,
) -> str:
    """One line with the real numbers, e.g. "2,788,000 GPU·h × $2/GPU·h = $5,576,000"."""
    if price is None or cost is None:
        tail = f"{fmt.grouped(hours)} GPU·h"
    else:
        tail = f"{fmt.grouped(hours)} GPU·h × {fmt.rate(price)} = {fmt.money(cost, short=False)}"
    if method == "stages" and stages:
        return " + ".join(fmt.grouped(v) for v in stages.values()) + " = " + tail
    if method == "cluster" and price is not None and cost is not None:
        return f"{gpus:,} GPUs × {fmt.sig(days or 0, 6)} days × 24 h × {fmt.rate(price)} = {fmt.money(cost, short=False)}"
    if method == "flops" and flops is not None and peak is not None and util is not None:
        return (
            f"6 × {fmt.compact(params or 0)} params × {fmt.compact(tokens or 0)} tokens = {flops:.4g} FLOP; "
            f"{flops:.4g} / ({fmt.sig(peak / 1e12, 5)} TFLOP/s × {fmt.percent(util)}) / 3600 s = " + tail
        )
    return tail
