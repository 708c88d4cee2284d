"""A small in-memory stand-in for the Assistant facade, for the API tests and the page tests.

It keeps the facade's method names and error behaviour, answers by picking the sentence sharing the most words
with the question, and checks a draft by looking for each figure in the documents. Canned tool results let the
page's tables and charts be tested without the calculators.
"""

from __future__ import annotations

import hashlib
import re
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from assistant.check.written import find_written
from assistant.errors import InputError, NotFoundError, TooLargeError
from assistant.models import (
    Answer,
    CheckReport,
    Citation,
    Claim,
    Document,
    DocumentText,
    IngestFailure,
    IngestReport,
    StatedFigure,
    ToolCall,
)
from assistant.settings import Settings

_WORD = re.compile(r"[a-z0-9][a-z0-9.\-]*[a-z0-9]|[\u4e00-\u9fff]{2}", re.I)
_SENTENCE = re.compile(r"(?:[^.!?。！？\n]|[.!?](?![\s]|$))+[.!?。！？]?")
_NUMBER = re.compile(r"(?<![\w.-])\d+(?:\.\d+)?(?!\w)")
_STOP = {"the", "was", "what", "how", "many", "much", "did", "does", "and", "for", "with", "is"}

# Calculator calls the fake makes for questions that mention them, with the real calculators' results.
TOOL_CALLS: dict[str, tuple[str, dict[str, Any]]] = {
    "project": (
        "project_rental_price",
        {"start_usd_per_hour": 2.0, "change_range": (-0.03, -0.01), "periods": 12},
    ),
    "falling": (
        "project_rental_price",
        {"start_usd_per_hour": 4.5, "change": -0.15, "per": "year", "periods": 3},
    ),
    "stage": (
        "training_cost",
        {
            "stages": {"pre-training": 2_664_000, "context extension": 119_000, "post-training": 5_000},
            "usd_per_gpu_hour": 2.0,
        },
    ),
}


def _words(text: str) -> set[str]:
    return {w.lower() for w in _WORD.findall(text) if w.lower() not in _STOP}


class FakeAssistant:
    """Same surface as ``assistant.Assistant`` (ingest, documents, document_text, ask, check, close)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.docs: dict[str, tuple[Document, str]] = {}
        self.closed = False
        self.fail_next: Exception | None = None

    # --- documents --------------------------------------------------------------------------------------
    def ingest(self, paths: Any, *, prune: bool = False, progress: Any = None) -> IngestReport:
        report = IngestReport()
        for path in map(Path, paths):
            files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
            for file in files:
                self._ingest_file(file, report)
        return report

    def _ingest_file(self, file: Path, report: IngestReport) -> None:
        raw = file.read_bytes()
        if b"\x00" in raw:
            report.failed.append(IngestFailure(path=str(file), error="binary content"))
            return
        text = raw.decode("utf-8", "replace")
        heading = re.search(r"^#\s+(.+)$", text, re.M)
        title = heading.group(1).strip() if heading else file.stem
        doc_id = hashlib.sha1(str(file.resolve()).encode()).hexdigest()[:16]
        doc = Document(
            id=doc_id,
            title=title,
            source_path=str(file.resolve()),
            kind="markdown" if file.suffix in (".md", ".markdown") else "text",
            language="zh" if re.search(r"[\u4e00-\u9fff]", text) else "en",
            chunks=1,
            chars=len(text),
            content_hash=hashlib.sha256(raw).hexdigest(),
            ingested_at=datetime(2025, 1, 1, tzinfo=UTC),
        )
        report.added += 1
        self.docs[doc_id] = (doc, text)

    def documents(self) -> list[Document]:
        return [doc for doc, _ in self.docs.values()]

    def document_text(self, doc_id: str, start: int | None = None, end: int | None = None) -> DocumentText:
        if doc_id not in self.docs:
            raise NotFoundError(f"no document with id {doc_id!r}")
        doc, text = self.docs[doc_id]
        lo = min(start or 0, len(text))
        hi = max(lo, min(len(text) if end is None else end, len(text)))
        return DocumentText(
            doc_id=doc_id,
            title=doc.title,
            source=doc.source_path,
            start=lo,
            end=hi,
            text=text[lo:hi],
            total_chars=len(text),
        )

    # --- answering --------------------------------------------------------------------------------------
    def _raise_pending(self) -> None:
        if self.fail_next is not None:
            exc, self.fail_next = self.fail_next, None
            raise exc

    def _check(self, text: str, limit: int, what: str) -> None:
        if not text.strip():
            raise InputError(f"{what} is empty")
        if len(text) > limit:
            raise TooLargeError(f"{what} has {len(text)} characters; the limit is {limit}")

    def _best_sentence(self, query: str) -> tuple[Document, int, int, str] | None:
        wanted = _words(query)
        best: tuple[int, Document, int, int, str] | None = None
        for doc, text in self.docs.values():
            for m in _SENTENCE.finditer(text):
                sentence = m.group(0).strip()
                score = len(wanted & _words(sentence))
                if sentence and score and (best is None or score > best[0]):
                    start = m.start() + m.group(0).index(sentence)
                    best = (score, doc, start, start + len(sentence), sentence)
        return None if best is None else best[1:]

    def _citation(self, number: int, doc: Document, start: int, end: int, quote: str) -> Citation:
        return Citation(
            number=number,
            doc_id=doc.id,
            title=doc.title,
            source=doc.source_path,
            start=start,
            end=end,
            quote=quote,
        )

    def ask(self, question: str, *, filters: Any = None, history: Any = None, progress: Any = None) -> Answer:
        from assistant.ask.followup import parse_history, resolve

        self._check(question, self.settings.max_question_chars, "question")
        turns = parse_history(history, max_question_chars=self.settings.max_question_chars)
        asked = question
        question = resolve(question, turns) if turns else question
        if progress is not None:
            progress("read", question)
        answer = self._answer(question, progress)
        if question != asked:
            answer = answer.model_copy(update={"question": asked, "read_as": question})
        return answer

    def _answer(self, question: str, progress: Any) -> Answer:
        self._raise_pending()
        if "slowly" in question:
            time.sleep(2.6)  # long enough for at least one of the stream's once-a-second progress events, under load too
        lang = "zh" if re.search(r"[\u4e00-\u9fff]", question) else "en"
        for word, (name, args) in TOOL_CALLS.items():
            if word in question.lower():
                import tools

                result = tools.run_tool(name, **args)
                call = ToolCall(
                    name=name, arguments=args, result=result.model_dump(mode="json"), text=result.render(lang)
                )
                return Answer(
                    question=question,
                    status="answered",
                    route="tool",
                    text=result.render(lang).split("\n")[0],
                    tool_calls=[call],
                    language=lang,
                )
        found = self._best_sentence(question)
        if progress is not None:
            progress("found", int(found is not None))
        if found is None:
            return Answer(
                question=question, status="not_found", route="retrieval", text="Not found.", language=lang
            )
        doc, start, end, quote = found
        return Answer(
            question=question,
            status="answered",
            route="retrieval",
            text=f"According to the source: {quote} [1]",
            citations=[self._citation(1, doc, start, end, quote)],
            language=lang,
        )

    def check(self, text: str) -> CheckReport:
        self._check(text, self.settings.max_check_chars, "text")
        self._raise_pending()
        claims: list[Claim] = []
        for sm in _SENTENCE.finditer(text):
            sentence = sm.group(0)
            for nm in _NUMBER.finditer(sentence):
                claims.append(self._claim(sentence, sm.start(), nm))
        arithmetic = find_written(text)  # the real written-calculation checker: no index needed
        return CheckReport(claims=claims, arithmetic=arithmetic, language="en")

    def _claim(self, sentence: str, offset: int, nm: re.Match[str]) -> Claim:
        figure = StatedFigure(
            text=nm.group(0), value=float(nm.group(0)), start=offset + nm.start(), end=offset + nm.end()
        )
        base: dict[str, Any] = {
            "text": sentence.strip(),
            "start": offset,
            "end": offset + len(sentence),
            "figure": figure,
        }
        found = self._best_sentence(sentence)
        if found is None:
            return Claim(**base, subject="", verdict="unverifiable", reason="no source mentions this")
        doc, start, end, quote = found
        evidence = [self._citation(1, doc, start, end, quote)]
        numbers = _NUMBER.findall(quote)
        if nm.group(0) in numbers:
            return Claim(
                **base, subject=quote[:40], verdict="supported", evidence=evidence, reason="the source agrees"
            )
        if numbers:
            source = StatedFigure(text=numbers[0], value=float(numbers[0]), start=start, end=end)
            return Claim(
                **base,
                subject=quote[:40],
                verdict="contradicted",
                source_figure=source,
                evidence=evidence,
                reason=f"the source says {numbers[0]}",
            )
        return Claim(**base, subject="", verdict="unverifiable", reason="the source gives no figure")

    def close(self) -> None:
        self.closed = True
