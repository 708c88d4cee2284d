"""Calculators, chip tables and the figure parser. Imports nothing heavier than pydantic.

    >>> from tools import training_cost
    >>> training_cost(gpu_hours=2.788e6, usd_per_gpu_hour=2).render()
    'Training cost: $5.576M (2.788M GPU hours × $2/GPU·h)\\n  Formula: 2,788,000 GPU·h × $2/GPU·h = $5,576,000'

Every calculator returns a pydantic model (inputs, outputs, a one-line ``formula`` and ``sources``) with
``.render(lang="en"|"zh")``. Data files are read on first use, never at import.
"""

from tools.chips import ChipSpec, chip_specs
from tools.cost import TrainingCost, training_cost
from tools.figures import Figure, parse_duration, parse_figures, parse_number
from tools.prices import ImpliedChange, PriceProjection, implied_change, project_rental_price
from tools.registry import FILE_ARGUMENTS, TOOLS, run_tool
from tools.results import Source, ToolResult
from tools.scaling import GpusNeeded, SpeedupImplied, gpus_needed, speedup_implied
from tools.shares import ShareRow, ShareTable, chip_share, load_shares

__all__ = [
    "FILE_ARGUMENTS",
    "TOOLS",
    "ChipSpec",
    "Figure",
    "GpusNeeded",
    "ImpliedChange",
    "PriceProjection",
    "ShareRow",
    "ShareTable",
    "Source",
    "SpeedupImplied",
    "ToolResult",
    "TrainingCost",
    "chip_share",
    "chip_specs",
    "gpus_needed",
    "implied_change",
    "load_shares",
    "parse_duration",
    "parse_figures",
    "parse_number",
    "project_rental_price",
    "run_tool",
    "speedup_implied",
    "training_cost",
]
