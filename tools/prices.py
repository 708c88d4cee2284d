"""GPU rental prices under compound change: project a price forward, or find the rate between two prices."""

from __future__ import annotations

from decimal import Decimal, localcontext
from typing import Literal

from pydantic import BaseModel, Field

from tools import fmt
from tools.results import ToolResult, check_count, to_decimal

__all__ = ["PriceProjection", "ImpliedChange", "Scenario", "project_rental_price", "implied_change"]

Per = Literal["month", "year"]
_PER = {"month": "month", "monthly": "month", "mo": "month", "月": "month", "year": "year", "yearly": "year",
        "annual": "year", "annually": "year", "yr": "year", "年": "year"}  # fmt: skip
_PER_ZH = {"month": "个月", "year": "年"}
_EACH_ZH = {"month": "每月", "year": "每年"}


class Scenario(BaseModel):
    """One rate of change and where it leaves the price."""

    name: Literal["low", "mid", "high"]
    change: Decimal = Field(description="Change per period as a fraction (-0.02 = -2%).")
    final_usd_per_hour: Decimal
    total_change: Decimal


class PriceProjection(ToolResult):
    """A rental price path under a compound change per period."""

    tool: str = "project_rental_price"
    start_usd_per_hour: Decimal
    change: Decimal = Field(
        description="Change per period as a fraction; the mid scenario when a range is given."
    )
    per: Per
    periods: int
    path: list[Decimal] = Field(
        description="Price at period 0 (the start) through period ``periods``, exact."
    )
    final_usd_per_hour: Decimal = Field(description="Exact; the render rounds to cents.")
    total_change: Decimal = Field(description="final / start - 1.")
    scenarios: list[Scenario] = Field(default_factory=list)

    def render(self, lang: str = "en") -> str:
        start, end = fmt.money(self.start_usd_per_hour, lang), fmt.money(self.final_usd_per_hour, lang)
        step, total = fmt.percent(self.change, signed=True), fmt.percent(self.total_change, signed=True)
        if lang == "zh":
            lines = [f"每小时{start}，{_EACH_ZH[self.per]}变化{step}，{self.periods}{_PER_ZH[self.per]}后为"
                     f"每小时{end}（累计{total}）"]  # fmt: skip
            lines += [f"  {_name_zh(s.name)}：{_EACH_ZH[self.per]}{fmt.percent(s.change, signed=True)} → "
                      f"{fmt.money(s.final_usd_per_hour, 'zh')}" for s in self.scenarios]  # fmt: skip
            return "\n".join([*lines, "  公式：" + self.formula])
        plural = "s" if self.periods != 1 else ""
        lines = [f"{start}/h changing {step} per {self.per} for {self.periods} {self.per}{plural}: "
                 f"{end}/h ({total} in total)"]  # fmt: skip
        lines += [f"  {s.name}: {fmt.percent(s.change, signed=True)} per {self.per} → "
                  f"{fmt.money(s.final_usd_per_hour)}/h" for s in self.scenarios]  # fmt: skip
        return "\n".join([*lines, "  Formula: " + self.formula])


class ImpliedChange(ToolResult):
    """The compound change per period that takes one price to another."""

    tool: str = "implied_change"
    start_usd_per_hour: Decimal
    end_usd_per_hour: Decimal
    periods: int
    per: Per
    change: Decimal = Field(description="Compound change per period as a fraction.")
    total_change: Decimal
    annualized_change: Decimal = Field(description="The per-period change compounded over one year.")

    def render(self, lang: str = "en") -> str:
        a, b = fmt.money(self.start_usd_per_hour, lang), fmt.money(self.end_usd_per_hour, lang)
        rate, total = fmt.percent(self.change, 3, signed=True), fmt.percent(self.total_change, signed=True)
        year = fmt.percent(self.annualized_change, signed=True)
        if lang == "zh":
            return (f"{self.periods}{_PER_ZH[self.per]}内从每小时{a}到{b}：{_EACH_ZH[self.per]}复合变化{rate}"
                    f"（累计{total}，折合每年{year}）\n  公式：{self.formula}")  # fmt: skip
        span = f"{self.periods} {self.per}{'s' if self.periods != 1 else ''}"
        return (f"{a}/h to {b}/h over {span}: {rate} per {self.per} compounded "
                f"({total} in total, {year} per year)\n  Formula: {self.formula}")  # fmt: skip


def _name_zh(name: str) -> str:
    return {"low": "低", "mid": "中", "high": "高"}[name]


def _per(per: str) -> Per:
    p = _PER.get(str(per).strip().lower())
    if p is None:
        raise ValueError(f"per must be 'month' or 'year', got {per!r}")
    return p  # type: ignore[return-value]


def _change(name: str, value: float | Decimal) -> Decimal:
    d = to_decimal(name, value)
    if d <= -1:
        raise ValueError(f"{name} must be greater than -1 (a fraction: -0.02 is -2%), got {value!r}")
    return d


# The projection lists the price at every period; a century of months is far beyond any question, and an
# unbounded count (periods=10**9) would build a list of a billion prices.
MAX_PERIODS = 1200


def _periods(value: int) -> int:
    n = check_count("periods", value)
    if n > MAX_PERIODS:
        raise ValueError(f"periods must be at most {MAX_PERIODS} (a century of months), got {value!r}")
    return n


def _start(name: str, value: float | Decimal) -> Decimal:
    d = to_decimal(name, value)
    if d <= 0:
        raise ValueError(f"{name} must be > 0, got {value!r}")
    return d


def project_rental_price(
    start_usd_per_hour: float,
    change: float | None = None,
    per: str = "month",
    periods: int = 12,
    change_range: tuple[float, float] | None = None,
) -> PriceProjection:
    """Project a GPU rental price under a compound change per period.

    ``change`` is a fraction per ``per`` ("month" or "year"): -0.02 means the price falls 2% each month.
    ``periods`` is how many months or years to run (>= 1). ``change_range=(-0.18, -0.12)`` gives low, mid and
    high scenarios; the main path then follows the mid rate. Example: $4.5/h falling 2% a month for 12 months
    ends at $3.53/h.
    """
    start = _start("start_usd_per_hour", start_usd_per_hour)
    unit = _per(per)
    n = _periods(periods)
    scenarios: list[Scenario] = []
    if change_range is not None:
        if len(change_range) != 2:
            raise ValueError("change_range must be a pair (low, high)")
        lo, hi = sorted(
            (_change("change_range[0]", change_range[0]), _change("change_range[1]", change_range[1]))
        )
        named: list[tuple[Literal["low", "mid", "high"], Decimal]] = [
            ("low", lo),
            ("mid", (lo + hi) / 2),
            ("high", hi),
        ]
        for name, c in named:
            final = start * (1 + c) ** n
            scenarios.append(
                Scenario(name=name, change=c, final_usd_per_hour=final, total_change=final / start - 1)
            )
        rate = (lo + hi) / 2 if change is None else _change("change", change)
    elif change is None:
        raise ValueError("give change (a fraction per period, e.g. -0.02) or change_range")
    else:
        rate = _change("change", change)
    with localcontext() as ctx:
        ctx.prec = 34
        path = [start * (1 + rate) ** k for k in range(n + 1)]
    final = path[-1]
    formula = f"{fmt.money(start)} × (1 {'-' if rate < 0 else '+'} {fmt.percent(abs(rate), 4)})^{n} = {fmt.money(final)}"
    return PriceProjection(
        start_usd_per_hour=start,
        change=rate,
        per=unit,
        periods=n,
        path=path,
        final_usd_per_hour=final,
        total_change=final / start - 1,
        scenarios=scenarios,
        formula=formula,
    )


def implied_change(
    start_usd_per_hour: float,
    end_usd_per_hour: float,
    periods: int = 12,
    per: str = "month",
) -> ImpliedChange:
    """The compound change per period between two observed prices: (end / start)^(1 / periods) - 1.

    Example: $4.5/h to $3.8/h over 12 months is about -1.399% per month.
    """
    start = _start("start_usd_per_hour", start_usd_per_hour)
    end = _start("end_usd_per_hour", end_usd_per_hour)
    unit = _per(per)
    n = _periods(periods)
    with localcontext() as ctx:
        ctx.prec = 34
        rate = (end / start) ** (Decimal(1) / n) - 1
        yearly = (1 + rate) ** (12 if unit == "month" else 1) - 1
    formula = f"({fmt.sig(end, 6)} / {fmt.sig(start, 6)})^(1/{n}) - 1 = {fmt.percent(rate, 3)}"
    return ImpliedChange(
        start_usd_per_hour=start,
        end_usd_per_hour=end,
        periods=n,
        per=unit,
        change=rate,
        total_change=end / start - 1,
        annualized_change=yearly,
        formula=formula,
    )
