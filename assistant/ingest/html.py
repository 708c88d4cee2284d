"""HTML main-text extraction with trafilatura (offline), with a plain body-text fallback."""

from __future__ import annotations

import logging
from typing import Any

from assistant.errors import DocumentError

logger = logging.getLogger(__name__)

_BLOCK_TAGS = (
    "p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "br", "section", "article", "nav", "header",
    "footer", "main", "aside", "table", "ul", "ol", "blockquote", "pre", "figcaption", "dd", "dt",
)  # fmt: skip


def _is_row(line: str) -> bool:
    return len(line) > 1 and line.startswith("|") and line.endswith("|")


def _paragraphs(text: str) -> str:
    """One paragraph per line from the extractor becomes blank-line separated paragraphs; the rows of a pipe
    table (trafilatura writes tables so) stay on consecutive lines, so the table reads as one block."""
    lines = [line for line in (" ".join(raw.split()) for raw in text.splitlines()) if line]
    out: list[str] = []
    for i, line in enumerate(lines):
        if i:
            out.append("\n" if _is_row(line) and _is_row(lines[i - 1]) else "\n\n")
        out.append(line)
    return "".join(out)


def _fallback_text(data: bytes) -> tuple[str, str | None]:
    """Visible text of <body> (scripts, styles and templates dropped) and the <title>."""
    import lxml.etree
    import lxml.html

    try:
        root = lxml.html.document_fromstring(data)
    except (lxml.etree.ParserError, ValueError) as exc:
        raise DocumentError(f"unreadable HTML ({exc})") from None
    title_el = root.find(".//title")
    title = " ".join(title_el.text_content().split()) if title_el is not None else None
    for bad in root.xpath("//script|//style|//noscript|//template|//head"):
        bad.drop_tree()
    body = root.find(".//body")
    blocks = body if body is not None else root
    # text_content() would glue blocks together; separate block-level elements with newlines
    for el in blocks.iter(*_BLOCK_TAGS):
        el.tail = "\n" + (el.tail or "")
    return _paragraphs(blocks.text_content()), title


def extract_html(data: bytes) -> tuple[str, str | None, str | None, str | None]:
    """Main text (paragraphs separated by blank lines), title, date and canonical URL of an HTML page.

    Never touches the network. Raises ``DocumentError`` for HTML that cannot be parsed or is nested too deeply.
    """
    import trafilatura

    try:
        result: Any = trafilatura.bare_extraction(
            data, with_metadata=True, include_comments=False, include_tables=True, favor_recall=True
        )
        text = _paragraphs(result.text or "") if result is not None else ""
        title = result.title if result is not None else None
        date = result.date if result is not None else None
        url = result.url if result is not None else None
        if not text:
            text, fallback_title = _fallback_text(data)
            title = title or fallback_title
    except RecursionError:
        raise DocumentError("HTML nested too deeply") from None
    if not text:
        raise DocumentError("no text in HTML page")
    if url and not url.startswith(("http://", "https://")):
        url = None
    return text, title or None, date, url
