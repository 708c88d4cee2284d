"""Vocabulary of the question analysis, read from the domain pack (``assistant/domain/data/*.toml``).

The glossary groups words that mean the same here, in Chinese and English, so a Chinese question finds its
evidence in an English passage and the other way round. English entries are matched as word prefixes, so a stem
("reduc") covers "reduce", "reduced", "reduction". The names ``GLOSSARY``, ``QUESTION_WORDS`` and
``GENERIC_CAPS`` read the active pack (built-in files plus the user's data folder) on each use; nothing is read
at import time.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from collections.abc import Set as AbstractSet
from typing import Any

from assistant.domain import active_pack

__all__ = ["GLOSSARY", "QUESTION_WORDS", "GENERIC_CAPS", "groups", "question_words", "generic_caps"]


def groups() -> tuple[tuple[str, ...], ...]:
    """Groups of words that mean the same thing here, in Chinese and English."""
    return active_pack().groups


def question_words() -> frozenset[str]:
    """Words that only shape a question ("how many", "多少"): never evidence."""
    return active_pack().question_words


def generic_caps() -> frozenset[str]:
    """Capitalised words that name a category, not one product or company (lowercased)."""
    return active_pack().generic_caps


class _LiveGroups(Sequence[tuple[str, ...]]):
    """``GLOSSARY``: the active pack's groups, read on each use (so a user's file counts once it is active)."""

    def __getitem__(self, i: Any) -> Any:
        return groups()[i]

    def __len__(self) -> int:
        return len(groups())


class _LiveWords(AbstractSet[str]):
    """``QUESTION_WORDS`` / ``GENERIC_CAPS``: a word list of the active pack, read on each use."""

    def __init__(self, read: Callable[[], frozenset[str]]) -> None:
        self._read = read

    def __contains__(self, word: object) -> bool:
        return word in self._read()

    def __iter__(self) -> Iterator[str]:
        return iter(self._read())

    def __len__(self) -> int:
        return len(self._read())

    @classmethod
    def _from_iterable(cls, it: Iterable[Any]) -> frozenset[Any]:
        return frozenset(it)


GLOSSARY: Sequence[tuple[str, ...]] = _LiveGroups()
QUESTION_WORDS: AbstractSet[str] = _LiveWords(question_words)
GENERIC_CAPS: AbstractSet[str] = _LiveWords(generic_caps)
