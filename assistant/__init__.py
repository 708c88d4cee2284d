"""AI-industry research assistant: the library API.

    from assistant import Assistant
    a = Assistant.open("./data")
    a.ingest(["corpus/"])
    print(a.ask("DeepSeek-V3 的训练成本是多少？").text)

Nothing heavy happens at import time: models and stores are built by ``Assistant.open``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.errors import InputError
from assistant.models import (
    Answer,
    CheckReport,
    Document,
    DocumentText,
    IngestReport,
    Passage,
    SearchFilters,
)
from assistant.settings import Settings

if TYPE_CHECKING:
    from assistant.index.base import Embedder
    from assistant.index.store import Index

__all__ = ["Assistant", "Settings"]

ProgressFn = Callable[[str, int, int], None]


class Assistant:
    """The facade: open an index folder, ingest documents, ask questions, check drafts."""

    def __init__(self, settings: Settings, *, index: Index, llm: Any = None) -> None:
        self.settings = settings
        self.index = index
        self.llm = llm

    @classmethod
    def open(
        cls,
        data_dir: str | Path | None = None,
        *,
        settings: Settings | None = None,
        embedder: Embedder | None = None,
        llm: Any = None,
    ) -> Assistant:
        """Create or open the index folder ``data_dir`` (default: settings / ASSISTANT_DATA_DIR / user data dir).

        Raises ``IndexMismatchError`` when the folder was built with another embedder than the one configured.
        """
        from assistant.index.store import Index

        if settings is None:
            settings = Settings() if data_dir is None else Settings(data_dir=Path(data_dir))
        elif data_dir is not None:
            settings = settings.model_copy(update={"data_dir": Path(data_dir)})
        index = Index.open(settings, embedder=embedder)
        if llm is None and settings.llm_base_url:
            from assistant.ask.llm import make_chat_model

            llm = make_chat_model(settings)
        return cls(settings, index=index, llm=llm)

    def ingest(
        self, paths: Iterable[str | Path], *, prune: bool = False, progress: ProgressFn | None = None
    ) -> IngestReport:
        """Ingest files and folders (recursively, honouring ``.assistantignore``).

        Unchanged files embed nothing; changed files replace their chunks; with ``prune`` documents whose files
        are gone are removed. Bad files land in ``report.failed`` and the rest goes on.
        """
        from assistant.ingest.pipeline import ingest_paths

        return ingest_paths(self.index, [Path(p) for p in paths], prune=prune, progress=progress)

    def documents(self) -> list[Document]:
        """Every indexed document."""
        return self.index.documents()

    def document_text(self, doc_id: str, start: int | None = None, end: int | None = None) -> DocumentText:
        """A slice of one document's extracted text (the whole text without bounds)."""
        return self.index.text_slice(doc_id, start, end)

    def search(self, query: str, *, k: int | None = None, filters: SearchFilters | dict | None = None) -> list[Passage]:
        """Hybrid retrieval: the top ``k`` passages for ``query``."""
        return self.index.search(query, k=k or self.settings.top_k, filters=_filters(filters))

    def ask(self, question: str, *, filters: SearchFilters | dict | None = None) -> Answer:
        """Answer a question: computed by a tool, or quoted from cited passages, or ``not_found``."""
        from assistant.ask import answer_question

        _check_length(question, self.settings.max_question_chars, "question")
        return answer_question(
            question, retriever=self.index, settings=self.settings, llm=self.llm, filters=_filters(filters)
        )

    def check(self, text: str, *, exclude_sources: tuple[str, ...] | list[str] = ()) -> CheckReport:
        """Check every figure in a draft against the sources, and the draft's own arithmetic.

        ``exclude_sources`` (document ids, or substrings of a source path or title) leaves documents out of the
        evidence, e.g. the draft itself when it is indexed too.
        """
        from assistant.check import check_text

        _check_length(text, self.settings.max_check_chars, "text")
        return check_text(text, retriever=self.index, settings=self.settings, exclude_sources=tuple(exclude_sources))

    def close(self) -> None:
        self.index.close()

    def __enter__(self) -> Assistant:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _filters(filters: SearchFilters | dict | None) -> SearchFilters | None:
    if filters is None or isinstance(filters, SearchFilters):
        return filters
    try:
        return SearchFilters.model_validate(filters)
    except ValueError as exc:
        raise InputError(f"bad filters: {exc}") from exc


def _check_length(text: str, limit: int, what: str) -> None:
    from assistant.errors import TooLargeError

    if not isinstance(text, str) or not text.strip():
        raise InputError(f"{what} is empty")
    if len(text) > limit:
        raise TooLargeError(f"{what} has {len(text)} characters; the limit is {limit}")
