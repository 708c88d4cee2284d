"""The calculators by name, for the server's POST /api/tools/{name}, the router and the LLM tool schemas."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

from tools.chips import chip_specs
from tools.cost import training_cost
from tools.prices import implied_change, project_rental_price
from tools.results import ToolResult
from tools.scaling import gpus_needed, speedup_implied
from tools.shares import chip_share

__all__ = ["FILE_ARGUMENTS", "TOOLS", "run_tool"]

TOOLS: dict[str, Callable[..., ToolResult]] = {
    "training_cost": training_cost,
    "project_rental_price": project_rental_price,
    "implied_change": implied_change,
    "gpus_needed": gpus_needed,
    "speedup_implied": speedup_implied,
    "chip_specs": chip_specs,
    "chip_share": chip_share,
}

# Arguments that name a file on the machine running the tool. The library and the CLI may pass them; faces that
# take arguments from someone else (the HTTP API, a chat model) must not, or they would read any file they name.
FILE_ARGUMENTS: dict[str, frozenset[str]] = {"chip_share": frozenset({"extra_csv"})}


def run_tool(name: str, /, **kwargs: Any) -> ToolResult:
    """Call the calculator ``name`` with keyword arguments; ValueError for an unknown name or argument.

    ``name`` is positional-only, so ``run_tool("chip_specs", name="H800")`` passes ``name`` to the tool.
    """
    func = TOOLS.get(name)
    if func is None:
        raise ValueError(f"unknown tool {name!r}; tools: {', '.join(TOOLS)}")
    try:
        inspect.signature(func).bind(**kwargs)
    except TypeError as exc:
        raise ValueError(f"{name}: {exc}") from exc
    return func(**kwargs)
