"""An answer as Markdown to carry into a draft: the text with its [n] markers, then numbered source notes.

    answer_markdown(answer) ->
        DeepSeek-V3 was pre-trained on 14.8T tokens [1].

        Sources
        - [1] DeepSeek-V3 Technical Report, p. 5: “DeepSeek-V3 was pre-trained on 14.8 trillion tokens.” (DeepSeek_V3.pdf)

The CLI (``assistant ask --markdown``) and the web page's "Copy as Markdown" print this same text.
"""

from __future__ import annotations

from assistant.models import Answer, Citation
from assistant.text import has_cjk

QUOTE_CHARS = 400

_LABELS = {
    "en": {"sources": "Sources", "related": "Closest passages", "read_as": "Read as", "page": "p.", "row": "row",
           "tool": "Calculation"},
    "zh": {"sources": "来源", "related": "最接近的段落", "read_as": "理解为", "page": "第", "row": "行",
           "tool": "计算"},
}  # fmt: skip


def _one_line(text: str, limit: int | None = None) -> str:
    text = " ".join(text.split())
    if limit is not None and len(text) > limit:
        text = text[: limit - 1] + "…"
    return text


def source_note(c: Citation, lang: str = "en") -> str:
    """``- [n] Title, p. 3: “quote” (source)`` (in Chinese: ``第3页``)."""
    words = _LABELS["zh" if lang == "zh" else "en"]
    if lang == "zh":
        where = f"，第{c.page}页" if c.page else f"，第{c.row}行" if c.row else ""
        return f"- [{c.number}] {_one_line(c.title)}{where}：“{_one_line(c.quote, QUOTE_CHARS)}”（{c.source}）"
    where = f", {words['page']} {c.page}" if c.page else f", {words['row']} {c.row}" if c.row else ""
    return f"- [{c.number}] {_one_line(c.title)}{where}: “{_one_line(c.quote, QUOTE_CHARS)}” ({c.source})"


def answer_markdown(answer: Answer) -> str:
    """The answer as Markdown: how the question was read (for a follow-up), the text, each calculation's
    formula, and numbered source notes (title, page or row, quote, source)."""
    lang = "zh" if answer.language == "zh" or (answer.language == "mixed" and has_cjk(answer.text)) else "en"
    words = _LABELS[lang]
    out: list[str] = []
    if answer.read_as:
        out += [f"*{words['read_as']}: {_one_line(answer.read_as)}*", ""]
    out.append(answer.text.strip())
    for call in answer.tool_calls:
        formula = call.result.get("formula") if isinstance(call.result, dict) else None
        if formula:
            out += ["", f"{words['tool']} ({call.name}): `{_one_line(str(formula)).replace('`', '')}`"]
    notes, title = (answer.citations, words["sources"]) if answer.citations else (answer.related, words["related"])
    if notes:
        out += ["", f"**{title}**", ""]
        out += [source_note(c, lang) for c in notes]
    return "\n".join(out).rstrip() + "\n"
