"""Run the ```pycon examples of the tools README section, so the outputs shown there stay true."""

from __future__ import annotations

import doctest
import re
from pathlib import Path

import pytest

DOC = Path(__file__).resolve().parents[1] / "README.md"


def test_readme_examples_run_as_shown() -> None:
    if not DOC.exists():
        pytest.skip("README.md not present")
    text = DOC.read_text(encoding="utf-8")
    blocks = re.findall(r"```pycon\n(.*?)```", text, flags=re.S)
    assert len(blocks) >= 8
    parser, globs = doctest.DocTestParser(), {}  # type: ignore[var-annotated]
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    for i, block in enumerate(blocks):
        test = parser.get_doctest(block, globs, f"{DOC.name}[{i}]", str(DOC), 0)
        runner.run(test, clear_globs=False)
        globs.update(test.globs)  # later blocks use names bound in earlier ones
    results = runner.summarize(verbose=False)
    assert results.failed == 0
    assert results.attempted >= 25
