"""The calculators by name, for the server's POST /api/tools/{name}, the router and the LLM tool schemas.

Adding a calculator is one module in ``tools/`` plus one ``register(...)`` line below. The registration says what
the question router needs: which kinds of figure the result answers (``answers``: "money", "gpu_hour",
"change"...) and which role of a question's figure fills each argument (``roles``: "amount", "once", "rate",
"params", "tokens", "chip", "utilization", "gpus", "gpu_hours", "speedup", "usage", "horizon", "span"; see
``assistant.ask.arguments``; "amount.unit" passes that figure's unit). The HTTP API and the LLM schemas come from the function's signature and docstring;
the web page draws a chart from the result's shape (a ``path`` list, or a name -> number mapping), so neither
needs anything per calculator.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from tools.change import apply_change
from tools.chips import chip_specs
from tools.cost import training_cost
from tools.prices import implied_change, project_rental_price
from tools.results import ToolResult
from tools.scaling import gpus_needed, speedup_implied
from tools.shares import chip_share

__all__ = ["FILE_ARGUMENTS", "REGISTRY", "ROLES", "TOOLS", "ToolSpec", "describe", "register", "run_tool"]

# The roles a question's figure can play (assistant.ask.arguments sorts figures into them).
ROLES = frozenset(
    {
        "amount", "price_per_gpu_hour", "once", "rate", "params", "tokens", "chip", "utilization", "gpus",
        "gpu_hours", "speedup", "usage", "horizon", "span",
    }
)  # fmt: skip


@dataclass(frozen=True)
class ToolSpec:
    """A registered calculator and what the router needs to call it from a question."""

    name: str
    function: Callable[..., ToolResult]
    answers: frozenset[str] = frozenset()
    roles: Mapping[str, str] = field(default_factory=dict)
    file_arguments: frozenset[str] = frozenset()

    @property
    def required(self) -> list[str]:
        """Arguments without a default: the question must fill each of them."""
        params = inspect.signature(self.function).parameters.values()
        return [p.name for p in params if p.default is p.empty and p.kind is not p.VAR_KEYWORD]


REGISTRY: dict[str, ToolSpec] = {}
TOOLS: dict[str, Callable[..., ToolResult]] = {}
# Arguments that name a file on the machine running the tool. The library and the CLI may pass them; faces that
# take arguments from someone else (the HTTP API, a chat model) must not, or they would read any file they name.
FILE_ARGUMENTS: dict[str, frozenset[str]] = {}


def register(
    function: Callable[..., ToolResult],
    *,
    name: str | None = None,
    answers: tuple[str, ...] = (),
    roles: Mapping[str, str] | None = None,
    file_arguments: tuple[str, ...] = (),
) -> ToolSpec:
    """Add ``function`` to the registry (under its own name unless ``name`` is given) and return its spec.

    ``roles`` maps an argument to the role of the question's figure that fills it; a calculator with ``answers``
    and ``roles`` covering its required arguments is routed to by the generic planner of ``assistant.ask``.
    Raises ValueError for an unknown role or argument, or a name already taken.
    """
    spec = ToolSpec(
        name=name or function.__name__,
        function=function,
        answers=frozenset(answers),
        roles=dict(roles or {}),
        file_arguments=frozenset(file_arguments),
    )
    if spec.name in REGISTRY:
        raise ValueError(f"a calculator named {spec.name!r} is already registered")
    params = inspect.signature(function).parameters
    role_names = {r.removesuffix(".unit") for r in spec.roles.values()}
    unknown = sorted(set(spec.roles) - set(params)) + sorted(role_names - ROLES)
    if unknown:
        raise ValueError(f"{spec.name}: unknown argument or role {', '.join(unknown)}")
    REGISTRY[spec.name] = spec
    TOOLS[spec.name] = function
    if spec.file_arguments:
        FILE_ARGUMENTS[spec.name] = spec.file_arguments
    return spec


# Order matters where a question could fit two calculators: the first registered is tried first.
register(training_cost, answers=("money", "gpu_hour", "duration"))
register(project_rental_price, answers=("money",))
register(implied_change, answers=("change", "percent", "ratio"))
register(gpus_needed, answers=("gpu",))
register(speedup_implied, answers=("times", "ratio", "percent", "change"))
register(chip_specs)
register(chip_share, answers=("ratio",), file_arguments=("extra_csv",))
register(apply_change, answers=("money",), roles={"value": "amount", "change": "once", "unit": "amount.unit"})


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


def describe() -> str:
    """One line per registered calculator: its name, required arguments, the kinds it answers and its roles."""
    lines = []
    for spec in REGISTRY.values():
        roles = ", ".join(f"{a}<-{r}" for a, r in spec.roles.items()) or "own planner"
        answers = ", ".join(sorted(spec.answers)) or "-"
        lines.append(f"{spec.name}({', '.join(spec.required)}) answers {answers}; {roles}")
    return "\n".join(lines)
