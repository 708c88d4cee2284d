"""The domain pack: what the assistant knows about its field, as validated data.

The built-in files live in ``assistant/domain/data/*.toml``; a user adds to them with ``*.toml`` files of the same
shape in ``<data dir>/domain/`` (see README "Extending"). Every file may hold any of the keys below:

- ``groups``: lists of words that mean the same in Chinese and English (``[["租金", "rent", "rental"], ...]``);
- ``question_words``, ``generic_caps``, ``tokenizer_words``: word lists of the question analysis and tokenizer;
- ``[markets]``: market key -> words naming it.

A user file's groups are added after the built-in ones. A word may belong to one group only: a form already in
a group of another file is an error naming both places, unless the user's group is listed under ``override``,
which replaces every group sharing a form with it. Read once per user folder and cached; nothing happens at
import time.
"""

from __future__ import annotations

import logging
import re
import threading
import tomllib
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from assistant.errors import InputError

logger = logging.getLogger(__name__)

__all__ = ["DomainPack", "PackError", "load_pack", "active_pack", "use_data_dir", "BUILTIN_FILES"]

BUILTIN_FILES = ("terms.toml", "words.toml")
USER_FOLDER = "domain"


class PackError(InputError):
    """A vocabulary file is malformed or contradicts another one."""


def _clean(words: list[str]) -> list[str]:
    out = []
    for w in words:
        w = " ".join(w.split())
        if not w:
            raise ValueError("empty word")
        out.append(w)
    return out


class PackFile(BaseModel):
    """One vocabulary file as written (every key optional)."""

    model_config = ConfigDict(extra="forbid")

    groups: list[list[str]] = Field(default_factory=list, description="Bilingual groups of same-meaning words.")
    override: list[list[str]] = Field(
        default_factory=list, description="Groups that replace every built-in group sharing a form with them."
    )
    question_words: list[str] = Field(default_factory=list)
    generic_caps: list[str] = Field(default_factory=list)
    tokenizer_words: list[str] = Field(default_factory=list)
    markets: dict[str, list[str]] = Field(default_factory=dict)

    @field_validator("groups", "override")
    @classmethod
    def _groups(cls, groups: list[list[str]]) -> list[list[str]]:
        cleaned = []
        for g in groups:
            g = _clean(g)
            if len(g) < 2:
                raise ValueError(f"a group needs at least two words, got {g}")
            cleaned.append(g)
        return cleaned

    @field_validator("question_words", "generic_caps", "tokenizer_words")
    @classmethod
    def _words(cls, words: list[str]) -> list[str]:
        return _clean(words)

    @field_validator("markets")
    @classmethod
    def _markets(cls, markets: dict[str, list[str]]) -> dict[str, list[str]]:
        return {k: _clean(v) for k, v in markets.items()}


class DomainPack(BaseModel):
    """The merged vocabularies: built-in files first, then the user's."""

    model_config = ConfigDict(frozen=True)

    groups: tuple[tuple[str, ...], ...]
    question_words: frozenset[str]
    generic_caps: frozenset[str]
    tokenizer_words: tuple[str, ...]
    markets: dict[str, tuple[str, ...]]
    sources: tuple[str, ...] = Field(description="The files read, in order.")


def _read(text: str, origin: str) -> PackFile:
    try:
        return PackFile.model_validate(tomllib.loads(text))
    except tomllib.TOMLDecodeError as exc:
        raise PackError(f"{origin}: not valid TOML: {exc}") from exc
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"])
        raise PackError(f"{origin}: {where}: {err['msg']}") from exc


def _builtin() -> list[tuple[str, PackFile]]:
    folder = resources.files("assistant.domain").joinpath("data")
    return [(f"domain/data/{n}", _read(folder.joinpath(n).read_text(encoding="utf-8"), n)) for n in BUILTIN_FILES]


def _user_files(folder: Path) -> list[tuple[str, PackFile]]:
    if not folder.is_dir():
        return []
    out = []
    for path in sorted(folder.glob("*.toml")):
        if path.name == "figures.toml":
            continue  # the calculators' default figures: read by tools.vocab
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise PackError(f"{path.name}: cannot read: {exc}") from exc
        out.append((path.name, _read(text, path.name)))
    return out


def _merge(files: list[tuple[str, PackFile]]) -> DomainPack:
    groups: list[tuple[tuple[str, ...], str]] = []  # (forms, origin)
    owner: dict[str, int] = {}

    def add(forms: list[str], origin: str, index: int) -> None:
        for f in forms:
            key = f.lower()
            if key in owner and owner[key] != len(groups):
                other_forms, other_origin = groups[owner[key]]
                raise PackError(
                    f"{origin}: group {index + 1} ({', '.join(forms)}) repeats {f!r}, already in the group "
                    f"({', '.join(other_forms)}) of {other_origin}: a word may belong to one group only; "
                    "merge the groups, or list yours under 'override' to replace that group"
                )
            owner[key] = len(groups)
        groups.append((tuple(forms), origin))

    question: set[str] = set()
    caps: set[str] = set()
    words: dict[str, None] = {}
    markets: dict[str, tuple[str, ...]] = {}
    for origin, pf in files:
        for forms in pf.override:
            hit = {owner[f.lower()] for f in forms if f.lower() in owner}
            if not hit:
                raise PackError(f"{origin}: override group ({', '.join(forms)}) replaces no existing group")
            groups[:] = [g if i not in hit else ((), g[1]) for i, g in enumerate(groups)]
            for f in [k for k, i in owner.items() if i in hit]:
                del owner[f]
        for i, forms in enumerate(pf.override):
            add(forms, origin, i)
        for i, forms in enumerate(pf.groups):
            add(forms, origin, i)
        question |= {w.lower() for w in pf.question_words}
        caps |= {w.lower() for w in pf.generic_caps}
        words.update(dict.fromkeys(pf.tokenizer_words))
        markets.update({k: tuple(v) for k, v in pf.markets.items()})
    return DomainPack(
        groups=tuple(g for g, _ in groups if g),
        question_words=frozenset(question),
        generic_caps=frozenset(caps),
        tokenizer_words=tuple(words),
        markets=markets,
        sources=tuple(origin for origin, _ in files),
    )


@cache
def load_pack(user_folder: Path | None = None) -> DomainPack:
    """The built-in vocabularies merged with the ``*.toml`` files of ``user_folder`` (when given), cached.

    Raises ``PackError`` (an ``InputError``) naming the file and the entry when a file is malformed or a word
    sits in two groups.
    """
    files = _builtin() + (_user_files(user_folder) if user_folder is not None else [])
    pack = _merge(files)
    logger.debug("domain pack: %d groups from %s", len(pack.groups), ", ".join(pack.sources))
    return pack


_ACTIVE_LOCK = threading.Lock()
_active_folder: Path | None = None
_active: DomainPack | None = None  # the pack of _active_folder, once read


def use_data_dir(data_dir: Path | str | None) -> None:
    """Make ``<data_dir>/domain/`` the user's vocabulary folder for ``active_pack`` (``Assistant.open`` calls it).

    Also hands ``<data_dir>/domain/figures.toml``, when present, to the calculators as default-figure overrides.
    """
    global _active_folder, _active
    folder = None if data_dir is None else Path(data_dir) / USER_FOLDER
    with _ACTIVE_LOCK:
        _active_folder, _active = folder, None
    if folder is not None and (folder / "figures.toml").is_file():
        from tools.vocab import add_figures_file

        add_figures_file(folder / "figures.toml")


def active_pack() -> DomainPack:
    """The pack of the data folder last given to ``use_data_dir`` (built-in files only before that)."""
    global _active
    pack = _active  # read on every term lookup: no lock, no file system access once known
    if pack is not None:
        return pack
    with _ACTIVE_LOCK:
        if _active is None:
            folder = _active_folder
            _active = load_pack(folder if folder is not None and folder.is_dir() else None)
        return _active


def add_user_file(data_dir: Path | str, file: Path | str) -> Path:
    """Check ``file`` against the built-in pack and the user's other files, then copy it into
    ``<data_dir>/domain/`` (replacing a file of the same name). Returns the copy's path.

    A file named ``figures.toml`` holds default figures for the calculators (``tools/data/figures.toml`` shape).
    Raises ``PackError`` when the file is malformed or clashes, naming where.
    """
    src = Path(file)
    if src.suffix != ".toml" or not src.is_file():
        raise PackError(f"{src.name}: a vocabulary file is an existing .toml file")
    try:
        text = src.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise PackError(f"{src.name}: cannot read: {exc}") from exc
    folder = Path(data_dir) / USER_FOLDER
    if src.name == "figures.toml":
        from tools.vocab import check_figures_text

        try:
            check_figures_text(text, src.name)
        except ValueError as exc:
            raise PackError(str(exc)) from exc
    else:
        others = [f for f in _user_files(folder) if f[0] != src.name]
        _merge(_builtin() + others + [(src.name, _read(text, src.name))])
    folder.mkdir(parents=True, exist_ok=True)
    dest = folder / src.name
    dest.write_text(text, encoding="utf-8")
    global _active
    with _ACTIVE_LOCK:
        load_pack.cache_clear()
        _active = None
    return dest


def market_patterns() -> list[tuple[re.Pattern[str], str]]:
    """The active pack's markets as (pattern of the words naming it, market key), in file order."""
    return _market_patterns(tuple(active_pack().markets.items()))


@cache
def _market_patterns(markets: tuple[tuple[str, tuple[str, ...]], ...]) -> list[tuple[re.Pattern[str], str]]:
    return [(re.compile("|".join(re.escape(w) for w in words), re.IGNORECASE), key) for key, words in markets]


def as_dict(pack: DomainPack) -> dict[str, Any]:
    """The pack as plain data."""
    return pack.model_dump(mode="json")
