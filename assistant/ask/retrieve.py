"""Retrieval for answering: the question as asked, the documents named after its subject, and, when those do not
answer, its key terms in the other language.

A question about "Llama 3.1" is also searched inside the documents whose title or file name carries that name
(its model card), with just the words of what is asked. Dense retrieval across languages is weaker than within
one, and lexical search cannot cross at all, so when the first passages do not answer, a query made of the
question's names and its key terms translated through the glossary ("参数" -> "parameter", "faster" -> "倍")
lets an English question reach a Chinese article and the other way round. Result lists are interleaved, and no
document may fill more than ``PER_DOCUMENT`` places, so a large table whose rows all match a name cannot crowd
out the one paragraph that answers.
"""

from __future__ import annotations

import re

from assistant.ask.analyze import QuestionAnalysis
from assistant.ask.tablerows import named_rows
from assistant.ask.terms import Term, about, translated_query
from assistant.index.base import LexicalSearch, Retriever
from assistant.models import Passage, SearchFilters
from assistant.settings import Settings
from assistant.text import record_bounds, split_sentences, table_top

PER_DOCUMENT = 3
# How far back a chunk starting inside a Markdown table is widened to take in the table's header row.
TABLE_REACH = 3000
# A paragraph right above a table this long at most is its caption, read with it.
CAPTION_REACH = 400
# How far past a chunk's edge a cut sentence may be followed to its end.
EDGE_REACH = 300
# A name matching more documents than this (by title or file name) is too common to narrow a search.
MAX_ABOUT_DOCUMENTS = 6
# Rows of a data table share a few words with every question about a model or chip; they may fill this many
# places per table, so the prose that explains a figure is not pushed out by records that merely list it.
PER_TABLE = 2
# A chunk cut from inside a CSV record is read as its whole record (its key, the row's name, leads it) when the
# record is at most this long; the fields are scored one by one, so a longer passage costs little.


def retrieve(
    analysis: QuestionAnalysis, retriever: Retriever, settings: Settings, filters: SearchFilters | None = None
) -> list[Passage]:
    """Passages for the question: its own search and a search of the documents named after its subject,
    interleaved, at most ``PER_DOCUMENT`` per document (``PER_TABLE`` per data table)."""
    k = settings.top_k
    lists = [retriever.search(analysis.question, k=3 * k, filters=filters)]
    own = documents_about(analysis, retriever) if filters is None else []
    if own:
        # the documents named after what the question is about (its model card, its report) are searched for
        # what is asked: the focus and content words, without the names every passage of them shares
        query = " ".join(asked_words(analysis)) or analysis.question
        lists.append(_secondary(retriever, query, k, SearchFilters(doc_ids=own)))
    named = named_search(analysis, retriever, k, filters)
    if named:
        # the question's names with what it asks, without the words around them: a data table's record or a
        # row of a document titled after something else ranks low for the whole question's many words
        lists.append(named)
    limit = 2 * k + (k // 2 if named else 0)
    passages = complete_edges(merge(lists, limit=limit, own=set(own), keep_first=k), retriever)
    # a row of their tables where a row and a column the question names cross, when no passage holds it; the
    # tables read are those of the documents named after the subject, then of those the names search found
    readable = list(dict.fromkeys(own + [p.chunk.doc_id for p in named if p.document.kind != "csv"]))
    return passages + named_rows(analysis, retriever, readable[: 2 * MAX_ABOUT_DOCUMENTS], passages)


def named_search(
    analysis: QuestionAnalysis, retriever: Retriever, k: int, filters: SearchFilters | None
) -> list[Passage]:
    """Passages for the question's names and the words of what it asks (lexical), or none when it names
    nothing or the retriever has no lexical search."""
    names = [t for t in analysis.terms if t.name]
    if not names or not isinstance(retriever, LexicalSearch):
        return []
    query = " ".join(dict.fromkeys([n for t in names for n in (t.label or t.text, *t.aliases)] + asked_words(analysis)))
    # a passage none of whose words is a name the question gives only matched what is asked, which many
    # documents of the other language share through the glossary forms
    forms = {f.casefold() for t in names for f in (t.label or t.text, *t.forms)}
    hits = [
        p
        for p in _secondary(retriever, query, 3 * k, filters)
        if any(f in f"{p.chunk.text} {p.document.title}".casefold() for f in forms)
    ]
    return hits[: k // 2]


def asked_words(analysis: QuestionAnalysis) -> list[str]:
    """The words of what a question asks, each term with its forms, focus terms first, names left out (every
    passage of a document named after them shares them)."""
    words = [w for t in analysis.terms if t.focus and not t.name for w in (t.label, *t.forms)]
    words += [w for t in analysis.terms if not t.focus and not t.name for w in (t.label, *t.forms)]
    return list(dict.fromkeys(words))


def widen(
    analysis: QuestionAnalysis,
    passages: list[Passage],
    retriever: Retriever,
    settings: Settings,
    filters: SearchFilters | None = None,
) -> list[Passage] | None:
    """More passages from the question's terms in the other language, for when the first ones do not answer;
    None when there is nothing to translate."""
    second = translated_query(analysis.terms)
    if not second or second.strip().lower() == analysis.question.strip().lower():
        return None
    k = settings.top_k
    if filters is None:
        # prose only: table records match names in any language and would fill every place
        try:
            prose = [d.id for d in retriever.documents() if d.kind != "csv"]
        except Exception:  # a narrowing only; search everything instead
            prose = []
        filters = SearchFilters(doc_ids=prose) if prose else None
    more = complete_edges(_secondary(retriever, second, k, filters), retriever)
    return merge([passages, more], limit=3 * k)


def complete_edges(passages: list[Passage], retriever: Retriever) -> list[Passage]:
    """Passages whose first or last sentence is cut by the chunk's edge, widened to whole sentences; a chunk cut
    from a CSV record, widened to the record (once per record).

    A chunk boundary often falls inside the one sentence that answers ("Training utilized a cum" | "ulative of
    39.3M GPU hours"); the widened chunk keeps its invariant ``text == document_text[start:end]``.
    """
    texts: dict[str, str] = {}
    out = []
    records: set[tuple[str, int]] = set()
    for p in passages:
        c = p.chunk
        if p.document.kind == "csv" and c.row is None:
            out.append(p)
            continue
        try:
            text = texts.get(c.doc_id) or texts.setdefault(c.doc_id, retriever.document_text(c.doc_id))
        except Exception:  # the chunk as stored is still a passage
            out.append(p)
            continue
        if p.document.kind == "csv":
            start, end = record_bounds(text, c.start, c.end)
            if (c.doc_id, start) in records:
                continue  # another chunk of a record already read whole
            records.add((c.doc_id, start))
        else:
            start, end = _sentence_bounds(text, c.start, c.end)
            start = _table_start(text, start)
            end = _table_end(text, end)
        if (start, end) == (c.start, c.end):
            out.append(p)
        else:
            chunk = c.model_copy(update={"text": text[start:end], "start": start, "end": end})
            out.append(p.model_copy(update={"chunk": chunk}))
    return out


def _sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """``start`` moved back and ``end`` forward to the sentence boundaries around them (by at most EDGE_REACH)."""
    new_start, new_end = start, end
    if start > 0 and not _boundary_before(text, start):
        lo = max(0, start - EDGE_REACH)
        spans = split_sentences(text, lo, min(len(text), start + EDGE_REACH))
        hit = next(((s, e) for s, e in spans if s < start < e), None)
        if hit is not None and (hit[0] > lo or lo == 0):
            new_start = hit[0]
    if end < len(text) and not _boundary_after(text, end):
        hi = min(len(text), end + EDGE_REACH)
        spans = split_sentences(text, max(0, end - EDGE_REACH), hi)
        hit = next(((s, e) for s, e in spans if s < end < e), None)
        if hit is not None and (hit[1] < hi or hi == len(text)):
            new_end = hit[1]
    return new_start, new_end


def _table_start(text: str, start: int) -> int:
    """``start`` moved back to the header row of the Markdown table it falls in (by at most TABLE_REACH), so a
    row is never read without the column names that say what its figures are."""
    pos = table_top(text, start, TABLE_REACH)
    if pos is None:
        return start
    return _caption_start(text, pos)


def _caption_start(text: str, pos: int) -> int:
    """``pos`` (a table's header row) moved back to the paragraph right above the table, when that is short: the
    caption saying what the table measures ("inference speed (tokens/s) under different batch sizes")."""
    before = text[max(0, pos - CAPTION_REACH - 2) : pos]
    if before.strip() == "" or not before.endswith("\n"):
        return pos
    body = before.rstrip()
    block = body.rfind("\n\n")
    if block < 0 and pos - len(before) > 0:
        return pos  # the paragraph is longer than the reach
    para = body[block + 2 :] if block >= 0 else body
    if not para.strip() or para.lstrip().startswith(("|", "#", "<")):
        return pos
    return pos - len(before) + len(body) - len(para)


def _table_end(text: str, end: int) -> int:
    """``end`` moved forward to the last row of the Markdown table it falls in (by at most TABLE_REACH): a table
    cut by the chunk's edge keeps its rows with the header that names their columns, so the row that answers is
    read even when the index stored it in the next chunk."""
    line_start = text.rfind("\n", 0, max(0, end - 1)) + 1
    if not text[line_start:end].lstrip().startswith("|"):
        # a passage ending with a table's caption takes in the table it introduces
        ahead = text[end : end + 4]
        nxt = end + len(ahead) - len(ahead.lstrip())
        if "\n" not in text[end:nxt] or not text.startswith("|", nxt):
            return end
        end = text.find("\n", nxt)
        if end < 0:
            return len(text)
    hi = min(len(text), end + TABLE_REACH)
    pos = text.find("\n", end)
    if pos < 0:
        return len(text) if len(text) <= hi else end
    last = pos
    while pos < hi:
        nxt = text.find("\n", pos + 1)
        nxt = len(text) if nxt < 0 else nxt
        if nxt > hi or not text[pos + 1 : nxt].lstrip().startswith("|"):
            break
        last = pos = nxt
    return max(end, last)


def _boundary_before(text: str, start: int) -> bool:
    before = text[max(0, start - 2) : start]
    return not before.strip() or before.rstrip()[-1:] in "。！？.!?；;\n|"


def _boundary_after(text: str, end: int) -> bool:
    tail = text[max(0, end - 1) : end]
    return tail in "。！？.!?；;|" or text[end : end + 1].isspace() and tail in ".!?"


def _secondary(retriever: Retriever, query: str, k: int, filters: SearchFilters | None) -> list[Passage]:
    """A supporting query: lexical only when the retriever offers it (its words matter, and it saves embedding
    a second query), else the retriever's usual search."""
    if not isinstance(retriever, LexicalSearch):
        return list(retriever.search(query, k=k, filters=filters))
    # ordered by BM25 itself: a translated query's words are meant to match documents of the other language
    hits = list(retriever.search_lexical(query, k=3 * k, filters=filters))
    hits.sort(key=lambda p: -(p.lexical_score or 0.0))
    return hits[:k]


def documents_about(analysis: QuestionAnalysis, retriever: Retriever) -> list[str]:
    """Ids of the documents whose title or file name carries one of the question's names (few per name)."""
    names = [t for t in analysis.terms if t.name]
    if not names:
        return []
    try:
        docs = retriever.documents()
    except Exception:  # an optional narrowing; retrieval goes on without it
        return []
    out: list[str] = []
    for name in names:
        for key in (name, *_families(name)):
            hits = [d.id for d in docs if d.kind != "csv" and about([key], d.title, d.source_path) > 0]
            if hits:
                break  # the most specific name a document is titled after ("Phi-3-mini" in "Phi-3")
        if 0 < len(hits) <= MAX_ABOUT_DOCUMENTS:
            out.extend(h for h in hits if h not in out)
    return out[: 2 * MAX_ABOUT_DOCUMENTS]


_NAME_PART = re.compile(r"[\s\-_]+")


def _families(name: Term) -> list[Term]:
    """The family names a model name extends, longest first: "Phi-3-mini" -> "Phi-3", "Yi-34B-Chat" ->
    "Yi-34B", "Yi" (a document about the family covers its members)."""
    words = _NAME_PART.split((name.label or name.text).strip())
    out = []
    for n in range(len(words) - 1, 0, -1):
        if _VERSION.match(words[n]):
            break  # "Llama 3" is no member of a family "Llama": a version is what tells the documents apart
        prefix = " ".join(words[:n])
        if len(prefix) >= 2:
            out.append(Term(text=prefix.lower(), label=prefix, forms=(prefix.lower(),), weight=1.0, name=True))
    return out


# A version part of a name ("3", "3.1", "V3", "R1", "K2"), as opposed to a size or a variant ("34B", "mini").
_VERSION = re.compile(r"^[A-Za-z]?\d+(?:\.\d+)*$")


def merge(
    lists: list[list[Passage]],
    *,
    limit: int,
    per_document: int = PER_DOCUMENT,
    per_table: int = PER_TABLE,
    own: set[str] | None = None,
    keep_first: int = 0,
) -> list[Passage]:
    """Interleave ranked lists (first list first at each rank), dropping repeats and over-represented documents.

    A document in ``own`` (named after the question's subject) may fill twice ``per_document`` places. The first
    ``keep_first`` of the first list are kept whatever their document: the question's own top results are never
    dropped for variety (the fourth passage of the one document that answers is often the answer).
    """
    own = own or set()
    out: list[Passage] = []
    seen: set[str] = set()
    per_doc: dict[str, int] = {}
    depth = max((len(x) for x in lists), default=0)
    for rank in range(depth):
        for results in lists:
            if rank >= len(results):
                continue
            p = results[rank]
            cap = (
                per_table if p.document.kind == "csv" else per_document * (2 if p.chunk.doc_id in own else 1)
            )
            kept = results is lists[0] and rank < keep_first
            if p.chunk.id in seen or (per_doc.get(p.chunk.doc_id, 0) >= cap and not kept):
                continue
            seen.add(p.chunk.id)
            per_doc[p.chunk.doc_id] = per_doc.get(p.chunk.doc_id, 0) + 1
            out.append(p)
            if len(out) >= limit:
                return out
    return out
