"""A one-off percentage change: a price or an amount after it rises or falls by a given share once."""

from __future__ import annotations

from decimal import Decimal
from typing import Literal, get_args

from pydantic import Field

from tools import fmt
from tools.results import ToolResult, to_decimal

__all__ = ["ChangedValue", "apply_change"]

Unit = Literal["usd", "usd_per_hour", "usd_per_gpu_hour", "cny", "cny_per_hour", "cny_per_gpu_hour", "number"]
UNITS: tuple[str, ...] = get_args(Unit)


class ChangedValue(ToolResult):
    """A value before and after one change by a fraction."""

    tool: str = "apply_change"
    value: Decimal = Field(description="The value before the change.")
    change: Decimal = Field(description="The change as a signed fraction (-0.15 = falls 15%).")
    unit: Unit = "number"
    result: Decimal = Field(description="value × (1 + change), exact.")

    def _show(self, value: Decimal, lang: str) -> str:
        currency = "cny" if self.unit.startswith("cny") else "usd"
        if self.unit in ("usd", "cny"):
            return fmt.money(value, lang, currency=currency)
        if self.unit != "number":
            per = "GPU·h" if self.unit.endswith("gpu_hour") else "h"
            return fmt.rate(value, lang, per=per, currency=currency)
        return fmt.sig(value, 6)

    def render(self, lang: str = "en") -> str:
        a, b = self._show(self.value, lang), self._show(self.result, lang)
        pct = fmt.percent(abs(self.change))
        if lang == "zh":
            verb = "下降" if self.change < 0 else "上升"
            return f"{a}{verb}{pct}后为{b}\n  公式：{self.formula}"
        verb = "falls" if self.change < 0 else "rises"
        return f"{a} {verb} {pct} to {b}\n  Formula: {self.formula}"


def apply_change(value: float, change: float, unit: str = "number") -> ChangedValue:
    """A value after one change by the fraction ``change``: value × (1 + change).

    ``change`` is signed: -0.15 means the value falls 15%, 0.2 that it rises 20% (it must be > -1). ``unit`` only
    sets how the figures are written: "usd", "usd_per_hour", "usd_per_gpu_hour" (or the cny ones), or "number".
    Example: $4.50/h falling 15% is $3.825/h.
    """
    v = to_decimal("value", value)
    c = to_decimal("change", change)
    if c <= -1:
        raise ValueError(f"change must be greater than -1 (a fraction: -0.15 is -15%), got {change!r}")
    if unit not in UNITS:
        raise ValueError(f"unit must be one of {', '.join(UNITS)}, got {unit!r}")
    result = v * (1 + c)
    formula = f"{_plain(v)} × (1 {'-' if c < 0 else '+'} {fmt.percent(abs(c), 4)}) = {_plain(result)}"
    return ChangedValue(value=v, change=c, unit=unit, result=result, formula=formula)


def _plain(d: Decimal) -> str:
    text = fmt.grouped(d, 6)
    return text.rstrip("0").rstrip(".") if "." in text else text
