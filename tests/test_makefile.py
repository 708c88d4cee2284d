"""The Makefile: every target named in .PHONY exists, and `make run` installs no test tools (dry runs only)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")


def _phony() -> list[str]:
    text = (REPO / "Makefile").read_text(encoding="utf-8")
    m = re.search(r"^\.PHONY:(.*)$", text, re.M)
    assert m is not None
    return m.group(1).split()


def _dry_run(target: str, tmp_path: Path) -> str:
    # a fresh venv path, so every install step shows up in the dry run and nothing touches the real one
    done = subprocess.run(
        ["make", "-n", "-C", str(REPO), target, f"VENV={tmp_path / 'venv'}", f"DATA_DIR={tmp_path / 'data'}"],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_phony_names_the_targets() -> None:
    assert _phony() == ["setup", "setup-dev", "run", "test", "lint", "typecheck", "bench", "eval", "clean"]


@pytest.mark.parametrize("target", _phony())
def test_every_phony_target_has_a_recipe(target: str, tmp_path: Path) -> None:
    assert _dry_run(target, tmp_path).strip()


@pytest.mark.parametrize(
    ("target", "dev_tools"),
    [("run", False), ("setup", False), ("bench", False), ("eval", False), ("test", True), ("typecheck", True)],
)
def test_only_the_test_targets_install_the_dev_extras(target: str, dev_tools: bool, tmp_path: Path) -> None:
    out = _dry_run(target, tmp_path)
    assert ("'.[dev,server]'" in out) is dev_tools
    assert "pip install -q -e '.[server]'" in out
