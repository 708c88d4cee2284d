"""What every calculator returns: a pydantic model with its inputs, outputs, a one-line formula and its sources.

Also the input checks shared by the calculators, so a bad argument fails loudly with the field's name instead of
producing a number nobody should trust.
"""

from __future__ import annotations

import math
from decimal import Decimal, InvalidOperation
from typing import Any

from pydantic import BaseModel, Field

__all__ = ["Source", "ToolResult", "check_positive", "check_fraction", "to_decimal", "check_count"]


class Source(BaseModel):
    """Where a default figure the calculator pulled from a table comes from."""

    figure: str = Field(description="What the figure is, e.g. 'the GPU rental price a training report assumed'.")
    value: str = Field(description="The figure as used, e.g. '$2/GPU·h' or '989.5 TFLOP/s'.")
    document: str = Field(description="Document title.")
    path: str | None = Field(
        default=None, description="Path within the corpus, e.g. 'reports/technical_report.pdf'."
    )
    url: str | None = None
    page: int | None = None
    quote: str | None = Field(
        default=None, description="The passage quoted verbatim from the corpus, when quotable."
    )


class ToolResult(BaseModel):
    """Base of every calculator result."""

    tool: str
    formula: str = Field(description="One line showing the arithmetic with the actual numbers.")
    sources: list[Source] = Field(default_factory=list)

    def render(self, lang: str = "en") -> str:
        """The result as short text in English ("en") or Chinese ("zh")."""
        raise NotImplementedError

    def __str__(self) -> str:
        return self.render("en")


def to_decimal(name: str, value: Any) -> Decimal:
    """``value`` as an exact Decimal (floats go through their shortest repr: 1.8 -> Decimal('1.8'))."""
    if isinstance(value, bool) or value is None:
        raise ValueError(f"{name} must be a number, got {value!r}")
    if isinstance(value, float) and value.is_integer():
        return Decimal(int(value))  # 2.788e6 -> Decimal('2788000'), not Decimal('2788000.0')
    try:
        d = value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError) as exc:
        raise ValueError(f"{name} must be a number, got {value!r}") from exc
    if not d.is_finite():
        raise ValueError(f"{name} must be a finite number, got {value!r}")
    return d


def check_positive(name: str, value: Any, allow_zero: bool = False) -> float:
    """A finite number > 0 (or >= 0), else ValueError naming ``name``."""
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise ValueError(f"{name} must be a number, got {value!r}")
    f = float(value)
    if math.isnan(f) or math.isinf(f):
        raise ValueError(f"{name} must be a finite number, got {value!r}")
    if f < 0 or (f == 0 and not allow_zero):
        bound = ">= 0" if allow_zero else "> 0"
        raise ValueError(f"{name} must be {bound}, got {value!r}")
    return f


def check_count(name: str, value: Any) -> int:
    """A whole number >= 1 (a count of GPUs or periods)."""
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise ValueError(f"{name} must be a whole number >= 1, got {value!r}")
    f = float(value)
    if math.isnan(f) or f < 1 or f != int(f):
        raise ValueError(f"{name} must be a whole number >= 1, got {value!r}")
    return int(f)


def check_fraction(name: str, value: Any) -> float:
    """A utilisation-like fraction in (0, 1]."""
    f = check_positive(name, value)
    if f > 1:
        raise ValueError(f"{name} must be in (0, 1] (a fraction, 0.4 for 40%), got {value!r}")
    return f
