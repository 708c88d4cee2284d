"""A small in-memory retriever for the answering tests: fixed-size chunks with overlap, token-overlap scoring."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime

from assistant.models import Chunk, Document, Passage, SearchFilters
from assistant.text import detect_language, tokenize


class FakeRetriever:
    """Implements the Retriever protocol over a few short texts. ``chunk_chars`` small enough to cut sentences."""

    def __init__(
        self, docs: list[tuple[str, str, str, str]], *, chunk_chars: int = 400, overlap: int = 40
    ) -> None:
        self.docs: dict[str, Document] = {}
        self.texts: dict[str, str] = {}
        self.chunks: list[Chunk] = []
        self.searches: list[str] = []
        for doc_id, title, path, text in docs:
            kind = "csv" if path.endswith(".csv") else "text"
            spans = []
            start = 0
            while start < len(text):
                end = min(len(text), start + chunk_chars)
                spans.append((start, end))
                if end == len(text):
                    break
                start = end - overlap
            for n, (s, e) in enumerate(spans):
                self.chunks.append(
                    Chunk(id=f"{doc_id}:{n}", doc_id=doc_id, ordinal=n, text=text[s:e], start=s, end=e)
                )
            lang = detect_language(text)
            self.docs[doc_id] = Document(
                id=doc_id,
                title=title,
                source_path=path,
                kind=kind,
                language=lang if lang != "unknown" else "en",
                chunks=len(spans),
                chars=len(text),
                content_hash=doc_id,
                ingested_at=datetime(2025, 1, 1, tzinfo=UTC),
            )
            self.texts[doc_id] = text
        self._tokens = [Counter(tokenize(c.text)) for c in self.chunks]

    def search(self, query: str, *, k: int = 8, filters: SearchFilters | None = None) -> list[Passage]:
        self.searches.append(query)
        q = set(tokenize(query))
        scored = [(sum(1 for t in q if t in toks), i) for i, toks in enumerate(self._tokens)]
        scored = sorted((s for s in scored if s[0] > 0), key=lambda x: (-x[0], x[1]))[:k]
        return [
            Passage(
                chunk=self.chunks[i],
                document=self.docs[self.chunks[i].doc_id],
                score=float(s),
                lexical_rank=r,
            )
            for r, (s, i) in enumerate(scored, start=1)
        ]

    def document(self, doc_id: str) -> Document:
        return self.docs[doc_id]

    def document_text(self, doc_id: str) -> str:
        return self.texts[doc_id]

    def documents(self) -> list[Document]:
        return list(self.docs.values())


class LexicalFakeRetriever(FakeRetriever):
    """Also offers lexical-only search (the same word overlap), honouring the document and language filters."""

    def search_lexical(
        self, query: str, *, k: int = 8, filters: SearchFilters | None = None
    ) -> list[Passage]:
        hits = self.search(query, k=len(self.chunks))
        self.searches.pop()
        if filters is not None and filters.doc_ids:
            hits = [p for p in hits if p.chunk.doc_id in filters.doc_ids]
        if filters is not None and filters.language:
            hits = [p for p in hits if p.document.language == filters.language]
        return [p.model_copy(update={"lexical_score": p.score}) for p in hits[:k]]
