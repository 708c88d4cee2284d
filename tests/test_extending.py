"""README "Extending": a loader registered from a file reads a new file type; vocabulary files are checked."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant import Assistant
from assistant.domain import PackError, add_user_file
from assistant.errors import InputError
from assistant.settings import Settings

EXTENDING = Path(__file__).resolve().parent / "data" / "extending"
VOCAB = Path(__file__).resolve().parent / "data" / "vocab" / "domain" / "companies.toml"


def test_a_registered_loader_ingests_a_new_file_type(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "idx", embedder="hash", loaders=str(EXTENDING / "rst_loader.py"))
    with Assistant.open(settings=settings) as a:
        report = a.ingest([EXTENDING])
        assert (report.added, report.failed) == (1, [])
        (doc,) = a.documents()
        assert (doc.title, doc.kind, Path(doc.source_path).name) == ("Pilot line notes, May 2026", "text", "cell_notes.rst")
        (passage,) = [p for p in a.search("formation time", k=3) if "22 hours" in p.chunk.text]
        assert passage.chunk.text.endswith("from 22 hours to 14 hours.")


def test_a_missing_loader_file_is_the_callers_mistake(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "idx", embedder="hash", loaders=str(tmp_path / "nope.py"))
    with Assistant.open(settings=settings) as a, pytest.raises(InputError, match="loader file not found"):
        a.ingest([EXTENDING])


def test_vocabulary_files_are_checked_before_they_are_added(tmp_path: Path) -> None:
    assert add_user_file(tmp_path, VOCAB) == tmp_path / "domain" / "companies.toml"
    clash = tmp_path / "mine.toml"
    clash.write_text('groups = [["谷歌公司", "Google"]]\n', encoding="utf-8")
    with pytest.raises(PackError, match=r"^mine.toml: group 1 \(谷歌公司, Google\) repeats 'Google'.*companies.toml"):
        add_user_file(tmp_path, clash)
    assert not (tmp_path / "domain" / "mine.toml").exists()
    bad = tmp_path / "figures.toml"
    bad.write_text('[rental_price."X"]\nusd_per_gpu_hour = "-1"\n', encoding="utf-8")
    with pytest.raises(PackError, match=r"^figures.toml: rental_price.'X' is invalid"):
        add_user_file(tmp_path, bad)
