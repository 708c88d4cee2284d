"""The passages of an RGB set: every passage a text file of its case's folder, all in one index of their own.

One shared index, each case scoped to its own documents, rather than an index per case: the embedder is loaded
once, re-runs embed nothing (unchanged files are skipped, vectors are cached by text hash), and a case still sees
only its own passages, as in RGB, where each question comes with its own noisy passages. The index lives apart
from the user's (``<work_dir>/index``), so the user's documents never mix with the benchmark's.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from assistant.evaluate.cases import RgbFactCase, RgbQueryCase
from assistant.models import SearchFilters

log = logging.getLogger(__name__)

ProgressFn = Callable[[str, int, int], None]


def case_folder(case: RgbQueryCase) -> str:
    """The folder name of a case's passages (ids are safe as file names after this)."""
    safe = "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in case.id)
    return f"case-{safe}"


def passages_of(case: RgbQueryCase) -> list[tuple[str, str]]:
    """(file name, text) of what gets indexed: positive and negative passages; never the planted ones."""
    out = [(f"pos-{i:03d}.txt", t) for i, t in enumerate(case.positive, start=1) if t.strip()]
    out += [(f"neg-{i:03d}.txt", t) for i, t in enumerate(case.negative, start=1) if t.strip()]
    return out


def write_passages(files_dir: Path, cases: Sequence[RgbQueryCase | RgbFactCase]) -> None:
    """Write each passage as a text file (rewritten only when its text changed, so ingest skips it)."""
    for case in cases:
        folder = files_dir / case_folder(case)
        folder.mkdir(parents=True, exist_ok=True)
        for name, text in passages_of(case):
            path = folder / name
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                path.write_text(text, encoding="utf-8")


class PassageIndex:
    """An ``Assistant`` over the set's passages and each case's document ids."""

    def __init__(self, assistant: Any, scopes: dict[str, list[str]]) -> None:
        self.assistant = assistant
        self.scopes = scopes

    @classmethod
    def build(
        cls, beside: Any, work_dir: Path, cases: Sequence[RgbQueryCase], progress: ProgressFn | None = None
    ) -> PassageIndex:
        """Write and ingest the passages of ``cases`` under ``work_dir``, reusing ``beside``'s settings and
        loaded embedder."""
        from assistant import Assistant

        files_dir = work_dir / "files"
        write_passages(files_dir, cases)
        settings = beside.settings.model_copy(update={"data_dir": work_dir / "index"})
        assistant = Assistant.open(settings=settings, embedder=beside.index.embedder)
        # only the folders of the cases run (a --limit run leaves the others indexed but unused)
        folders = list(dict.fromkeys(files_dir / case_folder(c) for c in cases))
        report = assistant.ingest(folders, prune=True, progress=progress)
        log.info("set passages: added %d, unchanged %d, failed %d", report.added, report.unchanged, len(report.failed))
        by_folder: dict[str, list[str]] = {}
        for doc in assistant.documents():
            path = Path(doc.source_path)
            if path.parent.parent == files_dir.resolve():
                by_folder.setdefault(path.parent.name, []).append(doc.id)
        return cls(assistant, {c.id: by_folder.get(case_folder(c), []) for c in cases})

    def filters(self, case: RgbQueryCase) -> SearchFilters:
        """Retrieval limited to the case's own passages."""
        return SearchFilters(doc_ids=self.scopes.get(case.id) or ["-"])

    def close(self) -> None:
        self.assistant.close()
