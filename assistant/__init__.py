"""AI-industry research assistant: the library API.

    from assistant import Assistant
    a = Assistant.open("./data")
    a.ingest(["corpus/"])
    print(a.ask("DeepSeek-V3 的训练成本是多少？").text)

Nothing heavy happens at import time: models and stores are built by ``Assistant.open``.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.domain import use_data_dir
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
    from assistant.ask.followup import Turn
    from assistant.index.base import Embedder
    from assistant.index.store import Index

__all__ = ["Assistant", "Settings"]

ProgressFn = Callable[[str, int, int], None]
AskProgressFn = Callable[[str, Any], None]


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
        use_data_dir(settings.data_dir)  # the user's vocabulary files in <data dir>/domain/
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

    def ask(
        self,
        question: str,
        *,
        filters: SearchFilters | dict | None = None,
        history: Sequence[dict | Turn] | None = None,
        progress: AskProgressFn | None = None,
    ) -> Answer:
        """Answer a question: computed by a tool, or quoted from cited passages, or ``not_found``.

        ``history`` holds the conversation's earlier turns, oldest first, as ``{"question": ..., "answer": ...}``
        (the answer as its text): a follow-up ("它的激活参数呢？", "And Qwen3?") is read with them, and
        ``Answer.read_as`` shows how. ``progress(stage, detail)`` is called as the work goes: ``"read"`` with the
        question as read, ``"found"`` with the number of passages each search returned.
        """
        from assistant.ask import answer_question
        from assistant.ask.followup import parse_history, resolve

        _check_length(question, self.settings.max_question_chars, "question")
        turns = parse_history(history, max_question_chars=self.settings.max_question_chars)
        t0 = time.perf_counter()
        read = resolve(question, turns) if turns else question
        resolve_ms = round((time.perf_counter() - t0) * 1000, 3)
        if progress is not None:
            progress("read", read)
        retriever: Any = self.index if progress is None else _Reporting(self.index, progress)
        answer = answer_question(
            read, retriever=retriever, settings=self.settings, llm=self.llm, filters=_filters(filters)
        )
        if turns:
            answer.timings_ms["followup"] = resolve_ms
        if read != question:
            answer = answer.model_copy(update={"question": question, "read_as": read})
        return answer

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


class _Reporting:
    """The index, telling ``progress`` how many passages each search found (everything else passes through)."""

    def __init__(self, index: Any, progress: AskProgressFn) -> None:
        self._index = index
        self._progress = progress

    def search(self, *args: Any, **kwargs: Any) -> list[Passage]:
        found = self._index.search(*args, **kwargs)
        self._progress("found", len(found))
        return found

    def __getattr__(self, name: str) -> Any:
        return getattr(self._index, name)


def _filters(filters: SearchFilters | dict | None) -> SearchFilters | None:
    if filters is None or isinstance(filters, SearchFilters):
        return filters
    try:
        return SearchFilters.model_validate(filters)
    except ValueError as exc:
        raise InputError(f"bad filters: {exc}") from exc


def _check_length(text: str, limit: int, what: str) -> None:
    from assistant.text import check_length

    check_length(text, limit, what)
