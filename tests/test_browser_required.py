"""CI sets ASSISTANT_REQUIRE_BROWSER=1: a missing browser then fails the run; a local run without one skips."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]

pytest.importorskip("playwright")


def run_browser_tests(**env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k != "ASSISTANT_REQUIRE_BROWSER"}
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/browser/test_page_chat.py"],
        cwd=REPO,
        env={**clean, "ASSISTANT_CHROMIUM": str(REPO / "no-such-browser"), **env},
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.mark.parametrize(
    ("env", "code", "says"),
    [
        ({}, 0, "5 skipped"),
        ({"ASSISTANT_REQUIRE_BROWSER": "1"}, 4, "ASSISTANT_REQUIRE_BROWSER=1 but"),
    ],
    ids=["local-skips", "ci-fails"],
)
def test_missing_browser(env: dict[str, str], code: int, says: str) -> None:
    done = run_browser_tests(**env)
    assert done.returncode == code, done.stdout[-2000:] + done.stderr[-2000:]
    assert says in done.stdout + done.stderr
