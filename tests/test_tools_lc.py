"""The langchain StructuredTool wrappers: schemas come from the functions, calls return the same results."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tools import TOOLS

pytest.importorskip("langchain_core")

from assistant.ask.lc_tools import langchain_tools  # noqa: E402


def test_one_tool_per_calculator_with_schema_from_signature() -> None:
    lc = langchain_tools()
    assert [t.name for t in lc] == list(TOOLS)
    by_name = {t.name: t for t in lc}
    assert set(by_name["gpus_needed"].args) == {"gpus", "speedup"}
    assert by_name["gpus_needed"].args["gpus"]["type"] == "integer"
    assert set(by_name["training_cost"].args) >= {
        "gpu_hours",
        "usd_per_gpu_hour",
        "chip",
        "utilization",
        "stages",
    }
    assert by_name["chip_specs"].description.startswith("Look up an accelerator by name or alias")


def test_invoking_a_tool_returns_the_result_model() -> None:
    (tool,) = langchain_tools(["training_cost"])
    result = tool.invoke({"gpu_hours": 2.788e6, "usd_per_gpu_hour": 2})
    assert result.cost_usd == Decimal("5576000")
    assert str(result).startswith("Training cost: $5.576M")


def test_unknown_name() -> None:
    with pytest.raises(ValueError, match="unknown tool"):
        langchain_tools(["nope"])
