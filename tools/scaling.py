"""GPU counts after a speed gain: how many GPUs the same job needs, and the gain two GPU counts imply."""

from __future__ import annotations

from decimal import ROUND_CEILING, Decimal

from pydantic import Field

from tools import fmt
from tools.results import ToolResult, check_count, to_decimal

__all__ = ["GpusNeeded", "SpeedupImplied", "gpus_needed", "speedup_implied"]


class GpusNeeded(ToolResult):
    """GPUs needed for the same job in the same time after a per-GPU speed gain."""

    tool: str = "gpus_needed"
    gpus: int = Field(description="GPUs before the gain.")
    speedup: Decimal = Field(description="Per-GPU speed gain as a fraction (0.30 = 30% faster).")
    gpus_needed: int = Field(description="Rounded up: a fraction of a GPU is a whole GPU.")
    gpus_needed_exact: Decimal = Field(description="gpus / (1 + speedup), unrounded.")
    gpus_freed: int

    def render(self, lang: str = "en") -> str:
        gain = fmt.percent(self.speedup)
        if lang == "zh":
            return (f"速度提升{gain}后，原需{self.gpus:,}张卡的任务在同样时间内需要{self.gpus_needed:,}张卡"
                    f"（精确值{fmt.sig(self.gpus_needed_exact, 6)}），可腾出{self.gpus_freed:,}张\n  公式：{self.formula}")  # fmt: skip
        return (f"With a {gain} speed gain, a job that needed {self.gpus:,} GPUs needs {self.gpus_needed:,} "
                f"(exactly {fmt.sig(self.gpus_needed_exact, 6)}) in the same time, freeing {self.gpus_freed:,}\n"
                f"  Formula: {self.formula}")  # fmt: skip


class SpeedupImplied(ToolResult):
    """The per-GPU speed gain implied when fewer GPUs do the same job in the same time."""

    tool: str = "speedup_implied"
    gpus_before: int
    gpus_after: int
    speedup: Decimal = Field(description="gpus_before / gpus_after - 1, as a fraction.")

    def render(self, lang: str = "en") -> str:
        gain = fmt.percent(self.speedup)
        if lang == "zh":
            return (f"从{self.gpus_before:,}张卡减到{self.gpus_after:,}张卡完成同样任务，意味着单卡速度提升{gain}"
                    f"\n  公式：{self.formula}")  # fmt: skip
        return (f"Doing the same job on {self.gpus_after:,} GPUs instead of {self.gpus_before:,} implies a "
                f"{gain} per-GPU speed gain\n  Formula: {self.formula}")  # fmt: skip


def gpus_needed(gpus: int, speedup: float) -> GpusNeeded:
    """GPUs needed for the same job in the same time after each GPU gets ``speedup`` faster.

    ``speedup`` is a fraction: 0.30 means 30% faster, so 1024 GPUs become 1024 / 1.3 = 787.69, rounded up to 788.
    A negative ``speedup`` (a slowdown, > -1) means more GPUs.
    """
    n = check_count("gpus", gpus)
    s = to_decimal("speedup", speedup)
    if s <= -1:
        raise ValueError(f"speedup must be greater than -1 (a fraction: 0.3 is 30% faster), got {speedup!r}")
    exact = Decimal(n) / (1 + s)
    # Decimal division leaves noise in the 28th digit (220.00...0022); it must not cost a whole extra GPU.
    needed = int(exact.quantize(Decimal("1e-12")).to_integral_value(rounding=ROUND_CEILING))
    formula = f"{n:,} / (1 + {fmt.percent(s, 4)}) = {fmt.sig(exact, 6)} → {needed:,} GPUs"
    return GpusNeeded(
        gpus=n, speedup=s, gpus_needed=needed, gpus_needed_exact=exact, gpus_freed=n - needed, formula=formula
    )


def speedup_implied(gpus_before: int, gpus_after: int) -> SpeedupImplied:
    """The per-GPU speed gain implied when ``gpus_after`` GPUs do in the same time what ``gpus_before`` did.

    Example: 1024 -> 700 GPUs implies 1024 / 700 - 1 = 46.29% faster per GPU.
    """
    before = check_count("gpus_before", gpus_before)
    after = check_count("gpus_after", gpus_after)
    s = Decimal(before) / Decimal(after) - 1
    formula = f"{before:,} / {after:,} - 1 = {fmt.percent(s, 2)}"
    return SpeedupImplied(gpus_before=before, gpus_after=after, speedup=s, formula=formula)
