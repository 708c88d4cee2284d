"""Retrieve passages for a claim and read the figures they state, each in its sentence, with caching.

Many claims of one draft share a subject, so queries, document texts and the figures of each retrieved chunk are
cached for the whole check. Source figures are read from the document text around the chunk (sentences cross
chunk borders), so every citation quote is an exact slice of ``document_text``.
"""

from __future__ import annotations

import dataclasses
import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import PurePath

from assistant.check.align import Aligner
from assistant.check.context import (
    FigureContext,
    add_header_concepts,
    build_contexts,
    header_periods,
    normalise,
)
from assistant.check.entities import Entity, find_entities
from assistant.check.figures import read_figures
from assistant.check.tables import Cell, apply_header, in_header_row, record_cell, table_cell
from assistant.index.base import Retriever
from assistant.models import Citation, Document, Passage, SearchFilters
from assistant.text import record_bounds, split_sentences
from tools.figures import Figure

log = logging.getLogger(__name__)

_BEFORE = 800  # characters of document read before a chunk: the sentence it starts in and who it talks about
_AFTER = 200
_NEAR = 500
_HEAD = 300
_QUOTE_MAX = 320
_LIST_GAP = 12  # characters between names listed together ("H100及H800")
_SPILL = (
    700  # figures this far before a chunk still count: a table chunk follows the sentence giving its total
)


@dataclass(slots=True)
class SourceFigure:
    """A figure stated by a source passage, in context."""

    ctx: FigureContext
    passage: Passage
    rank: int


class EvidenceFinder:
    """Searches the index once per distinct query and parses each retrieved chunk once."""

    def __init__(
        self,
        retriever: Retriever,
        *,
        k: int,
        filters: SearchFilters | None = None,
        exclude_sources: Sequence[str] = (),
    ) -> None:
        self.retriever = retriever
        self.k = k
        self.excluded: set[str] = set()
        self.filters = self._with_exclusions(filters, exclude_sources)
        if self.filters is not None:  # the caller's own exclusions are dropped from hits searched unfiltered too
            self.excluded |= set(self.filters.exclude_doc_ids or [])
        self._queries: dict[tuple[str, int, bool, tuple[str, ...]], list[Passage]] = {}
        self._texts: dict[str, str] = {}
        self._chunks: dict[str, list[SourceFigure]] = {}
        self._doc_entities: dict[str, list[Entity]] = {}
        self._code_spans: dict[str, list[tuple[int, int]]] = {}
        self.searches = 0
        self.aligner = Aligner.for_retriever(retriever)

    def _with_exclusions(self, filters: SearchFilters | None, exclude: Sequence[str]) -> SearchFilters | None:
        """Turn source names to leave out (doc id, or a substring of path or title) into ``exclude_doc_ids``."""
        if not exclude:
            return filters
        needles = [e.casefold() for e in exclude if e.strip()]
        ids = [
            d.id
            for d in self.retriever.documents()
            if any(
                n == d.id.casefold() or n in d.source_path.casefold() or n in d.title.casefold()
                for n in needles
            )
        ]
        self.excluded = set(ids)
        base = filters.model_dump(exclude_none=True) if filters else {}
        base["exclude_doc_ids"] = sorted(set(base.get("exclude_doc_ids") or []) | set(ids))
        return SearchFilters.model_validate(base)

    def prefetch(self, queries: Iterable[str]) -> None:
        """Embed the queries about to be searched in one batch, when the index's embedder can."""
        embedder = getattr(self.retriever, "embedder", None)
        batch = getattr(embedder, "embed_queries", None)
        todo = [q.strip() for q in queries if q.strip() and (q.strip(), self.k, False, ()) not in self._queries]
        if batch is None or not todo:
            return
        try:
            batch(todo)
        except Exception:  # each search embeds its own query then
            log.warning("batched query embedding failed", exc_info=True)

    def passages(
        self, query: str, *, k: int | None = None, lexical: bool = False, within: Sequence[str] = ()
    ) -> list[Passage]:
        """The passages one search finds for ``query``, excluded documents dropped; each distinct search runs
        once per check, whichever part of the check asks (figures, or the substitution check's lexical look-up).

        ``lexical`` asks the index's BM25 side alone when it has one (the words in order are the signal and no
        query is embedded). There an exclusion alone is applied to the hits rather than as an index filter (it
        would mask every chunk), so a few more are fetched for the excluded documents to take. ``within`` searches
        those documents alone."""
        k = self.k if k is None else k
        key = (query, k, lexical, tuple(within))
        if key not in self._queries:
            self.searches += 1
            filters, fetch = self.filters, k
            if within:
                base = filters.model_dump(exclude_none=True) if filters is not None else {}
                base["doc_ids"] = [d for d in within if d in base.get("doc_ids", within)]
                filters = SearchFilters.model_validate(base)
            search = self.retriever.search
            if lexical:
                search = getattr(self.retriever, "search_lexical", None) or search
                f = filters
                if f is None or not f.model_dump(exclude_none=True, exclude={"exclude_doc_ids"}):
                    filters, fetch = None, k + 2 * min(len(self.excluded), 4)
            try:
                found = search(query, k=fetch, filters=filters)
            except Exception:  # a failing query must not sink the whole check
                log.exception("search failed for %r", query)
                found = []
            kept = [p for p in found if p.document.id not in self.excluded]
            self._queries[key] = kept[:k] if lexical else kept  # the lexical side fetched extra for exclusions
        return self._queries[key]

    def search(self, queries: Iterable[str]) -> list[Passage]:
        """Passages for all ``queries``, merged by chunk (best rank first), excluded documents dropped."""
        best: dict[str, tuple[int, Passage]] = {}
        for q in queries:
            q = q.strip()
            if not q:
                continue
            for rank, p in enumerate(self.passages(q)):
                if p.chunk.id not in best or rank < best[p.chunk.id][0]:
                    best[p.chunk.id] = (rank, p)
        # The same text often sits in several files (a README quoted in a dataset's abstract column): keep one.
        out, seen = [], set()
        for _, p in sorted(best.values(), key=lambda x: x[0]):
            key = " ".join(p.chunk.text.split())[:200]
            if key not in seen:
                seen.add(key)
                out.append(p)
        return out

    def where(self, source: SourceFigure) -> str:
        """The text that says what a source figure is about: its sentence, table header and row, document title."""
        doc = source.passage.document
        return f"{source.ctx.sentence_text} {source.ctx.header} {doc.title} {PurePath(doc.source_path).stem}"

    def text(self, doc_id: str) -> str:
        if doc_id not in self._texts:
            self._texts[doc_id] = self.retriever.document_text(doc_id)
        return self._texts[doc_id]

    def _code(self, doc_id: str) -> list[tuple[int, int]]:
        """The spans of a document's code: fenced blocks and inline code of Markdown."""
        if doc_id not in self._code_spans:
            self._code_spans[doc_id] = [m.span() for m in _CODE.finditer(self.text(doc_id))]
        return self._code_spans[doc_id]

    def doc_entities(self, doc: Document) -> list[Entity]:
        """Who a document is about: entities in its title, file name and opening lines."""
        if doc.id not in self._doc_entities:
            # Title and file name say what a document is about; its opening lines only when those name nothing
            # (a news story's first paragraph mentions many firms in passing).
            # "Llama_llama3_2_MODEL_CARD" names Llama 3.2; a title made from it may have lost the dot, so a
            # family the file name names is taken from the file name alone.
            stem = re.sub(r"(?<=\d)_(?=\d)", ".", PurePath(doc.source_path).stem).replace("_", " ")
            found = find_entities(stem, -1)
            families = {e.family for e in found}
            found += [e for e in find_entities(doc.title, -1) if e.family not in families]
            if not found:
                found = find_entities(self.text(doc.id)[:_HEAD], -1)
            self._doc_entities[doc.id] = found
        return self._doc_entities[doc.id]

    def figures(self, passage: Passage, rank: int) -> list[SourceFigure]:
        """The figures stated inside ``passage``'s chunk, each with its sentence context."""
        cid = passage.chunk.id
        if cid not in self._chunks:
            self._chunks[cid] = self._read_chunk(passage)
        return [SourceFigure(sf.ctx, passage, rank) for sf in self._chunks[cid]]

    def _read_chunk(self, passage: Passage) -> list[SourceFigure]:
        chunk = passage.chunk
        text = self.text(chunk.doc_id)
        start, end = chunk.start, chunk.end
        if chunk.row is not None:
            # a chunk of a data record is read as its whole record: the key naming the row ("Model: Falcon-180B")
            # starts it, and the field the claim is about may sit in another chunk of the record
            start, end = record_bounds(text, start, end)
        lo, hi = _whole_words(text, max(0, start - _BEFORE), min(len(text), end + _AFTER))
        window = text[lo:hi]
        # Figures just around the chunk count too: the sentence a table or paragraph chunk follows often holds it.
        figures, cells = [], {}
        implied: set[int] = set()
        code = self._code(chunk.doc_id)
        # the last sentence read is read whole: "On ScienceQA it scores 90.8, and on MathVista 44.5."
        stop = _sentence_end(text, end + _SPILL // 3, hi)
        for f in read_figures(text, lo, hi):
            if not start - _SPILL <= f.start < stop or in_header_row(text, f.start):
                continue
            if any(c0 <= f.start < c1 for c0, c1 in code):
                continue  # "--server-port 23333", "max_length=128": settings of a command, not reported facts
            # a data file's field ("power_kw: 29581") is a cell of its key's column and its record's row
            cell = record_cell(text, f) if chunk.row is not None else None
            if (cell := cell or table_cell(text, f)) is not None:
                headed = apply_header(f, cell)
                if headed.unit != f.unit and headed.value == f.value:
                    implied.add(f.start)
                f = headed
                cells[f.start] = cell
            figures.append(f)
        if not figures:
            return []
        sentences = split_sentences(text, lo, hi)
        if chunk.row is not None:
            # a data file's record per line ("rank: 9; system: Leonardo; ...; total_cores: 1824768"): a line
            # ends a sentence, and the figures of the chunk's own record are its only ones
            sentences = _lines(text, sentences)
            figures = [f for f in figures if start <= f.start < end]
            if not figures:
                return []
        doc_entities = self.doc_entities(passage.document)
        window_entities = find_entities(window, lo, context=doc_entities)
        near: dict[int, list[Entity]] = {}
        for s0, _ in sentences:
            if text.startswith("|", s0):
                near[s0] = []  # a table row is about its own first cell, or the document, not the row above
                continue
            before = [e for e in window_entities if s0 - _NEAR <= e.start and e.start + len(e.surface) <= s0]
            near[s0] = _closest_mentions(before)
        contexts = build_contexts(
            text,
            figures,
            sentences,
            near_entities=near,
            doc_entities=doc_entities,
            context_entities=window_entities + doc_entities,
        )
        stem = _stem_name(passage.document)
        for ctx in contexts:
            key = _KEY.match(text, ctx.sentence[0], ctx.figure.start)
            if key is not None and ctx.figure.start not in cells:
                # "- **Maximum Sequence Length (context):** 8,192 tokens": the key names the figure
                add_header_concepts(ctx, key.group(1))
            if (cell := cells.get(ctx.figure.start)) is not None:
                ctx.implied_unit = ctx.figure.start in implied
                add_header_concepts(ctx, cell.header.replace("_", " "))  # a data key: "power_kw"
                add_header_concepts(ctx, cell.caption, objects_only=True)  # "...full 128K context length:"
                # a cell is described by its row label and column header, not by the row's other numbers
                ctx.header = f"{cell.row_label} {cell.header}"
                if not ctx.periods:
                    # the column says which year the cell is ("| 2023 | 2024 |"): a claim's other year is not it
                    ctx.periods = header_periods(ctx.header.replace("_", " "))
                    ctx.header_dated = bool(ctx.periods)
                ctx.masked = normalise(f"{cell.row_label} {cell.header} #")
                named = _cell_entities(cell, doc_entities, stem, ctx.figure.start)
                ctx.clause_entities = ctx.clause_entities + named
                ctx.sentence_entities = ctx.sentence_entities + named
        return [SourceFigure(ctx, passage, 0) for ctx in contexts]


_CODE = re.compile(r"^\s*```.*?(?:^\s*```[^\n]*$|\Z)|`[^`\n]{1,200}`", re.DOTALL | re.MULTILINE)
_KEY = re.compile(r"[\s*_\-•]*([^:：\n|]{2,60}?)[*_\s]*[:：][*_\s]*$")
_SIZE = re.compile(r"\*{0,2}\s*(\d+(?:\.\d+)?[BMKT])\s*\*{0,2}", re.IGNORECASE)


_SENTENCE_END = re.compile(r"[。！？!?\n]|\.(?:\s|$)")


def _sentence_end(text: str, at: int, hi: int) -> int:
    """The end of the sentence ``at`` falls in, at most ``hi``."""
    m = _SENTENCE_END.search(text, min(at, hi), hi)
    return m.end() if m else hi


def _whole_words(text: str, lo: int, hi: int) -> tuple[int, int]:
    """``lo``/``hi`` moved out of any word or number they cut: a window ending inside "40.2" must not read "4"."""
    def inside(ch: str) -> bool:
        return ch.isalnum() or ch in ".,%"

    while 0 < lo < len(text) and inside(text[lo - 1]) and inside(text[lo]):
        lo -= 1
    while 0 < hi < len(text) and inside(text[hi - 1]) and inside(text[hi]):
        hi += 1
    return lo, hi


def _stem_name(doc: Document) -> str:
    """The first word of a document's file name, which for a model card or README is the model's name."""
    m = re.match(r"[A-Za-z][A-Za-z]{2,}(?=[_\-\s.]|$)", PurePath(doc.source_path).stem)
    return m.group(0) if m else ""


def _cell_entities(cell: Cell, doc_entities: list[Entity], stem: str, at: int) -> list[Entity]:
    """Who a table cell is about beyond its row's words: a model its column header names ("| 层数 | 40 | 52 |"
    under "| 模型结构 | Llama-2-13B | Skywork-13B |"), and a bare size in a model's own card ("| 1B | 16 |" in
    Pythia's README is Pythia-1B)."""
    found = [e for e in find_entities(cell.header, at) if e.cls in {"model", "company", "org"}]
    families = {(e.family, e.surface) for e in doc_entities if e.cls == "model" and not e.version}
    if not families and stem:
        families = {(stem.lower(), stem)}
    for label in (cell.row_label, cell.header):
        m = _SIZE.fullmatch(label.strip())
        if m and len(families) == 1:
            family, surface = next(iter(families))
            size = m.group(1)
            found.append(Entity(family, size.lower(), "model", f"{surface}-{size}", at))
    return found


def _closest_mentions(entities: list[Entity]) -> list[Entity]:
    """Per family, the last mention and any listed right before it ("H100及H800"): what a later figure refers to."""
    last: dict[str, int] = {}
    for e in entities:
        last[e.family] = e.start
    return [e for e in entities if e.start >= last[e.family] - _LIST_GAP]


def citation(number: int, source: SourceFigure, text: str) -> Citation:
    """A citation quoting the source sentence (or, for a very long one, the stretch around the figure)."""
    ctx = source.ctx
    s0, s1 = ctx.sentence
    if s1 - s0 > _QUOTE_MAX:
        c0, c1 = ctx.clause
        s0 = max(s0, min(c0, ctx.figure.start - _QUOTE_MAX // 2))
        s1 = min(s1, max(c1, ctx.figure.end + _QUOTE_MAX // 2), s0 + _QUOTE_MAX)
        s1 = max(s1, ctx.figure.end)
        while s0 < s1 and text[s0].isspace():
            s0 += 1
        while s1 > s0 and text[s1 - 1].isspace():
            s1 -= 1
    chunk = source.passage.chunk
    return Citation.quoting(number, source.passage.document, text, s0, s1, page=chunk.page, row=chunk.row)


_PERCENT_MAX = 100.0


def as_percent(claimed: Figure, sources: Sequence[SourceFigure]) -> list[SourceFigure]:
    """``sources`` with the bare table cells read as percentages when the claim states a percentage: a benchmark
    table writes "| HumanEval | 71.3 |" under a note that scores are percentages, and a draft writes "71.3%". A
    cell whose header writes a unit already has it; a number above a hundred is no percentage."""
    if claimed.unit != "percent" or claimed.kind not in {"number", "range"}:
        return list(sources)
    out = []
    for sf in sources:
        fig = sf.ctx.figure
        if sf.ctx.header and fig.unit is None and fig.kind == "number" and 0 <= fig.value <= _PERCENT_MAX:
            share = fig.model_copy(update={"unit": "percent", "value": fig.value / 100})
            sf = SourceFigure(dataclasses.replace(sf.ctx, figure=share, implied_unit=True), sf.passage, sf.rank)
        out.append(sf)
    return out


def _lines(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """``spans`` cut at every line break."""
    out = []
    for a, b in spans:
        start = a
        for i in range(a, b):
            if text[i] == "\n":
                if i > start:
                    out.append((start, i))
                start = i + 1
        if b > start:
            out.append((start, b))
    return out
