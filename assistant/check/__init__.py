"""Check a draft: find each checkable figure, look it up in the sources, and recompute the draft's own arithmetic.

from assistant.check import check_text, render_text
report = check_text(draft, retriever=index, settings=settings)
print(render_text(report, draft))
"""

from __future__ import annotations

from assistant.check.pipeline import check_text
from assistant.check.report import render_markdown, render_text

__all__ = ["check_text", "render_text", "render_markdown"]
