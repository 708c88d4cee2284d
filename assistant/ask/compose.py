"""Answer composition: a short frame in the question's language around quoted sentences, each with [n].

Numbers are never rewritten: the frame repeats at most the answering figure exactly as the source wrote it,
and every quote is the document's text at the citation's offsets (``quote == document_text[start:end]``).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from assistant.ask.candidate import Scored
from assistant.ask.spans import MAX_SENTENCE, demark
from assistant.index.base import Retriever
from assistant.models import Citation, Passage
from assistant.text import normalize_for_match, split_sentences

log = logging.getLogger(__name__)

# Frames of the answer text, by answer language. Kept together so a translation or a change of tone is one edit.
FRAMES: dict[str, dict[str, str]] = {
    "en": {
        "lead": "{figure} [{n}]",
        "quote": "“{quote}” [{n}] ({source})",
        "page": "{title}, p. {page}",
        "row": "{title}, row {row}",
        "not_found": "The indexed documents do not answer this question.",
        "missing_names": "No passage found says anything about {names} in this respect.",
        "missing_kind": "The closest passages give no {kind} figure for it.",
        "weak": "The closest passages do not cover what is asked.",
        "other_year": "The closest passages give figures of other years than the one asked.",
        "related": "Closest passages: {refs}.",
        "differ": "The sources differ: {figures}",
        "and": ", ",
    },
    "zh": {
        "lead": "{figure} [{n}]",
        "quote": "“{quote}” [{n}]（{source}）",
        "page": "{title}，第{page}页",
        "row": "{title}，第{row}行",
        "not_found": "资料库中的文档没有回答这个问题。",
        "missing_names": "没有找到关于{names}这方面的内容。",
        "missing_kind": "最接近的段落中没有相应的{kind}数字。",
        "weak": "最接近的段落没有涉及所问的内容。",
        "other_year": "最接近的段落给出的是其他年份的数字。",
        "related": "最接近的段落：{refs}。",
        "differ": "各来源的数字不一致：{figures}",
        "and": "，",
    },
}

# How each asked kind is named in a not-found explanation.
KIND_LABELS: dict[str, dict[str, str]] = {
    "en": {
        "money": "price or cost",
        "gpu_hour": "GPU-hour",
        "param": "parameter-count",
        "token": "token-count",
        "ratio": "percentage",
        "percent": "percentage",
        "change": "change",
        "times": "speed-up",
        "duration": "duration",
        "node": "node-count",
        "bandwidth": "bandwidth",
        "throughput": "throughput",
        "memory": "memory-size",
        "flops": "FLOPS",
        "gpu": "unit-count",
        "date": "date",
    },
    "zh": {
        "money": "价格或成本",
        "gpu_hour": "GPU小时",
        "param": "参数量",
        "token": "token数",
        "ratio": "百分比",
        "percent": "百分比",
        "change": "变化幅度",
        "times": "倍数",
        "duration": "时长",
        "node": "节点数",
        "bandwidth": "带宽",
        "throughput": "吞吐量",
        "memory": "显存容量",
        "flops": "算力",
        "gpu": "数量",
        "date": "日期",
    },
}


def frame(lang: str, key: str, **values: Any) -> str:
    """One frame of the answer text in ``lang`` ('zh' or 'en'), filled with ``values``."""
    return FRAMES["zh" if lang == "zh" else "en"][key].format(**values)


def cite(retriever: Retriever, passage: Passage, start: int, end: int, number: int) -> Citation:
    """A citation of ``passage.chunk.text[start:end]`` with absolute document offsets.

    A sentence cut by the chunk's edge is completed from the document text, so the quote is a whole sentence.
    """
    chunk, doc = passage.chunk, passage.document
    abs_start, abs_end = chunk.start + start, chunk.start + end
    quote = chunk.text[start:end]
    at_left = chunk.start > 0 and not chunk.text[:start].strip()
    at_right = chunk.end < doc.chars and not chunk.text[end:].strip()
    if (at_left or at_right) and end - start <= MAX_SENTENCE and not quote.startswith("|"):
        completed = _complete(retriever, doc.id, abs_start, abs_end)
        if completed is not None:
            abs_start, abs_end, quote = completed
    return Citation(
        number=number, doc_id=doc.id, title=doc.title, source=doc.url or doc.source_path, page=chunk.page,
        row=chunk.row, start=abs_start, end=abs_end, quote=quote,
    )


def _complete(retriever: Retriever, doc_id: str, start: int, end: int) -> tuple[int, int, str] | None:
    try:
        text = retriever.document_text(doc_id)
    except Exception:  # a quote inside the chunk is still a valid citation
        log.debug("document text of %s unavailable; quoting the chunk's part", doc_id, exc_info=True)
        return None
    lo, hi = max(0, start - MAX_SENTENCE), min(len(text), end + MAX_SENTENCE)
    spans = [(s, e) for s, e in split_sentences(text, lo, hi) if s < end and e > start]
    if not spans:
        return None
    s, e = min(s for s, _ in spans), max(e for _, e in spans)
    if e - s > 2 * MAX_SENTENCE or (s == lo and lo > 0) or (e == hi and hi < len(text)):
        return None  # no sentence end in reach: keep the shorter quote
    return s, e, text[s:e]


def source_label(c: Citation, lang: str) -> str:
    """'Title, p. 5' / '《Title》第5页' style label of a citation."""
    if c.page is not None:
        return frame(lang, "page", title=c.title, page=c.page)
    if c.row is not None:
        return frame(lang, "row", title=c.title, row=c.row)
    return c.title


def quote_citations(
    retriever: Retriever, passages: Sequence[Passage], chosen: Sequence[Scored], *, first_number: int = 1
) -> list[Citation]:
    """Citations for the chosen sentences, numbered from ``first_number``, without repeating a quote."""
    out: list[Citation] = []
    seen: set[str] = set()
    for cand in chosen:
        spans = [(cand.quote_start, cand.quote_end)]
        if cand.record_head is not None and cand.record_head[0] < cand.quote_start:
            spans.insert(0, cand.record_head)  # which record a table field belongs to
        for start, end in spans:
            c = cite(retriever, passages[cand.passage], start, end, first_number + len(out))
            key = normalize_for_match(c.quote)
            if key in seen or any(key in s or s in key for s in seen):
                continue
            seen.add(key)
            out.append(c)
    return out


def answer_text(
    lang: str, citations: Sequence[Citation], lead: str | Sequence[str] | None, *, lead_conflict: bool = False
) -> str:
    """The answer: the answering figure(s) as written (when one stands out), then each quote with its marker.
    ``lead_conflict``: the leads are one figure as different sources give it (said so)."""
    leads = [lead] if isinstance(lead, str) else list(lead or [])
    parts = []
    if leads and citations:
        marked = []
        for one in dict.fromkeys(leads):
            value = one.rsplit(": ", 1)[-1]  # a table cell's lead names its row and column before the value
            n = next((c.number for c in citations if value in demark(c.quote)), citations[0].number)
            # a figure the source wraps over two lines ("约为\n0.2 美元") is one line of the answer
            marked.append(frame(lang, "lead", figure=" ".join(one.split()), n=n))
        if len(marked) > 1 and lead_conflict:
            parts.append(frame(lang, "differ", figures="; ".join(marked)))
        else:
            # several figures asked are one lead line (a reader takes them in together), comma-joined
            parts.append(frame(lang, "and").join(marked))
    for c in citations:
        parts.append(frame(lang, "quote", quote=_one_line(c.quote), n=c.number, source=source_label(c, lang)))
    return "\n\n".join(parts)


def not_found_text(lang: str, reason: str, related: Sequence[Citation], **values: Any) -> str:
    """The not-found answer: the corpus does not answer, why, and which passages came closest."""
    parts = [frame(lang, "not_found")]
    if reason:
        parts.append(frame(lang, reason, **values))
    if related:
        refs = ", ".join(f"[{c.number}] {source_label(c, lang)}" for c in related)
        parts.append(frame(lang, "related", refs=refs))
    return " ".join(parts)


def kind_label(lang: str, kind_name: str) -> str:
    """How the asked kind is called in ``lang``."""
    return KIND_LABELS["zh" if lang == "zh" else "en"].get(kind_name, kind_name)


def _one_line(text: str) -> str:
    # The quote inside the answer text reads on one line and without Markdown emphasis ("**39.3**M" -> "39.3M");
    # the citation keeps the exact text.
    return " ".join(demark(text).split())
