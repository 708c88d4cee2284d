"""Hand-written readers vs libraries: Chinese numerals (cn2an), English number words (text2num, word2number),
and the English stemmer of the question terms (snowballstemmer).

Prints how many figure-parser table cases (``tests/test_figures.py`` CASES, including its SPOKEN block) each
combination gets exactly right, and how many question-analysis tests pass with each stemmer.

    PYTHONPATH=. python bench/number_libs.py
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from unittest import mock

import pytest

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))

from test_figures import CASES, SPOKEN  # noqa: E402

import tools.figures as figures  # noqa: E402
import tools.numwords as numwords  # noqa: E402

# the English words the hand-written table knew before the library
_OLD_WORDS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "sixty": 60, "hundred": 100, "a hundred": 100, "a dozen": 12, "dozen": 12,
}  # fmt: skip


def _prefix_reader(parse: Callable[[str], Decimal]) -> Callable[[str], tuple[Decimal, int] | None]:
    def read(text: str) -> tuple[Decimal, int] | None:
        cuts = [m.start() for m in numwords._EN_SPLIT.finditer(text)] + [len(text)]
        for cut in reversed(cuts):
            with contextlib.suppress(ValueError, IndexError, KeyError):
                return parse(text[:cut]), cut
        return None

    return read


def _old(text: str) -> Decimal:
    word = " ".join(text.lower().split())
    if word not in _OLD_WORDS:
        raise ValueError(text)
    return Decimal(_OLD_WORDS[word])


def _w2n(text: str) -> Decimal:
    from word2number import w2n

    word = " ".join(text.lower().split())
    if word in numwords.EN_WORDS:
        return Decimal(numwords.EN_WORDS[word])
    return Decimal(str(w2n.word_to_num(word)))


ENGLISH = {
    "hand-written": _prefix_reader(_old),
    "word2number": _prefix_reader(_w2n),
    "text2num": numwords.read_english_number,
}


@contextlib.contextmanager
def _variant(chinese: str, english: str) -> Iterator[None]:
    patches = [mock.patch.object(figures, "read_english_number", ENGLISH[english])]
    if chinese == "hand-written":
        patches.append(mock.patch.object(numwords, "_cn2an_value", lambda text: None))
    with contextlib.ExitStack() as stack:
        for p in patches:
            stack.enter_context(p)
        yield


def _right(cases: list[tuple[str, list[tuple[str, float, str | None, str | None, str]]]]) -> int:
    ok = 0
    for text, expected in cases:
        try:
            got = [(f.text, f.value, f.unit, f.hedge, f.kind) for f in figures.parse_figures(text)]
        except Exception:
            continue
        ok += got == expected
    return ok


# word runs that are no single number: a reader should not turn them into one ("one two" is not 3)
NOT_ONE_NUMBER = ["one two", "seventy seventy", "five four three", "twenty fifteen", "one hundred two hundred"]


def strictness_table() -> None:
    print(f"\n{'English words':<14} runs read as one number (of {len(NOT_ONE_NUMBER)}; fewer is better)")
    for name, read in ENGLISH.items():
        wrong = sum(1 for run in NOT_ONE_NUMBER if (got := read(run)) is not None and got[1] == len(run))
        print(f"{name:<14} {wrong}")


def figure_table() -> None:
    print(f"{'Chinese numerals':<18} {'English words':<14} {'CASES right':>12} {'SPOKEN right':>13}")
    for chinese in ("hand-written", "cn2an"):
        for english in ENGLISH:
            with _variant(chinese, english):
                print(
                    f"{chinese:<18} {english:<14} {_right(CASES):>7}/{len(CASES):<4} "
                    f"{_right(SPOKEN):>8}/{len(SPOKEN)}"
                )


class _Stemmer:
    def __init__(self, use_snowball: bool) -> None:
        self.use_snowball = use_snowball
        self.failed: list[str] = []
        self.passed = 0

    def pytest_configure(self, config: pytest.Config) -> None:
        if self.use_snowball:
            import snowballstemmer

            from assistant.ask import terms

            english = snowballstemmer.stemmer("english")
            terms.stem = lambda word: english.stemWord(word.lower())  # type: ignore[assignment]

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        if report.when == "call":
            if report.passed:
                self.passed += 1
            else:
                self.failed.append(report.nodeid.split("::")[-1])


def stemmer_table() -> None:
    files = [str(REPO / "tests" / f) for f in ("test_ask_analyze.py", "test_ask_crosslang.py", "test_ask_answer.py")]
    print(f"\n{'stemmer':<16} {'ask tests passed':>17}  failed")
    for name, snowball in (("hand-written", False), ("snowballstemmer", True)):
        plugin = _Stemmer(snowball)
        pytest.main(["-q", "-p", "no:cacheprovider", "--no-header", "-o", "addopts=", *files], plugins=[plugin])
        total = plugin.passed + len(plugin.failed)
        print(f"{name:<16} {plugin.passed:>10}/{total:<6}  {', '.join(plugin.failed) or '-'}")


if __name__ == "__main__":
    figure_table()
    strictness_table()
    if "--figures-only" not in sys.argv:
        stemmer_table()
