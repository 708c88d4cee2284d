"""Expand the paths given to ingest into files, honouring ``.assistantignore`` files (gitignore syntax)."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from pathlib import Path

from assistant.errors import NotFoundError
from assistant.ingest.loaders import SUPPORTED_SUFFIXES

logger = logging.getLogger(__name__)

IGNORE_FILE = ".assistantignore"

# (folder holding the ignore file, its compiled patterns); deeper folders come later in the list
_Rules = list[tuple[Path, object]]


def _load_rules(folder: Path) -> object | None:
    import pathspec

    try:
        lines = (folder / IGNORE_FILE).read_text(encoding="utf-8-sig").splitlines()
    except OSError as exc:
        logger.warning("cannot read %s: %s", folder / IGNORE_FILE, exc)
        return None
    return pathspec.GitIgnoreSpec.from_lines(lines)


def _ignored(path: Path, is_dir: bool, rules: _Rules) -> bool:
    """The deepest ignore file with a matching pattern decides, as in git (its ``!pattern`` re-includes)."""
    decision = False
    for base, spec in rules:
        rel = path.relative_to(base).as_posix() + ("/" if is_dir else "")
        include = spec.check_file(rel).include  # type: ignore[attr-defined]
        if include is not None:
            decision = include
    return decision


def _walk(folder: Path, rules: _Rules) -> Iterator[Path]:
    if (folder / IGNORE_FILE).is_file():
        spec = _load_rules(folder)
        if spec is not None:
            rules = [*rules, (folder, spec)]
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError as exc:
        logger.warning("cannot list %s: %s", folder, exc)
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        path = folder / entry.name
        if entry.is_dir(follow_symlinks=False):
            if not _ignored(path, True, rules):
                yield from _walk(path, rules)
        elif entry.is_symlink() and entry.is_dir():
            logger.debug("not following symlinked folder %s", path)
        elif (
            entry.is_file() and path.suffix.lower() in SUPPORTED_SUFFIXES and not _ignored(path, False, rules)
        ):
            yield path


def iter_files(paths: list[Path]) -> Iterator[Path]:
    """Files to ingest, in a deterministic order, each once.

    Folders are walked recursively in name order: hidden entries (".name") are skipped, symlinked folders
    are not followed, ``.assistantignore`` files apply to their folder and below, and only supported
    suffixes are kept. A file named explicitly is yielded as is (the loader decides). Raises
    ``NotFoundError`` for a path that does not exist.
    """
    seen: set[Path] = set()
    for given in paths:
        given = Path(given)
        if given.is_dir():
            candidates: Iterator[Path] = _walk(given, [])
        elif given.exists():
            candidates = iter([given])
        else:
            raise NotFoundError(f"no such file or folder: {given}")
        for path in candidates:
            key = path.resolve()
            if key not in seen:
                seen.add(key)
                yield path
