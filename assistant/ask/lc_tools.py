"""The calculators as langchain ``StructuredTool``s, for the optional LLM path.

Each tool's JSON schema comes from the function's own signature and docstring, so the LLM sees exactly what the
router and the HTTP API call. langchain is imported only when the tools are asked for.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tools import TOOLS

if TYPE_CHECKING:
    from langchain_core.tools import StructuredTool

__all__ = ["langchain_tools"]


def langchain_tools(names: list[str] | None = None) -> list[StructuredTool]:
    """One ``StructuredTool`` per calculator in ``tools.TOOLS`` (or only ``names``), in registry order.

    A tool returns the calculator's result model; langchain turns it into message text with ``str()``, which is
    the English rendering (formula included). Raises ValueError for an unknown name.
    """
    from langchain_core.tools import StructuredTool

    wanted = list(TOOLS) if names is None else names
    unknown = [n for n in wanted if n not in TOOLS]
    if unknown:
        raise ValueError(f"unknown tool(s) {', '.join(unknown)}; tools: {', '.join(TOOLS)}")
    return [StructuredTool.from_function(TOOLS[name], name=name) for name in wanted]
