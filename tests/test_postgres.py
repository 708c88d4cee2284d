"""The registry on PostgreSQL: migrations, one index seen by several processes, the writer lock."""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest
from helpers import assert_consistent

from assistant import Assistant
from assistant.index.migrations import MIGRATIONS, migrate
from assistant.index.registry_pg import PgRegistry, _redacted
from assistant.settings import Settings

pytestmark = pytest.mark.postgres

NOTE = "# Orion cluster note\n\nThe Orion cluster holds 4096 Blackwell accelerators in Reykjavik.\n"
ZH_NOTE = "# 青松数据中心\n\n青松数据中心部署了八千张推理加速卡。\n"


def _settings(tmp_path: Path, pg_url: str, name: str) -> Settings:
    # separate data folders: nothing is shared through the file system, only through the database
    return Settings(data_dir=tmp_path / name, embedder="hash", database_url=pg_url, collection="shared")


def test_migrations_apply_once_in_order(pg_url: str) -> None:
    with psycopg.connect(pg_url) as con:
        assert migrate(con) == [v for v, _, _ in MIGRATIONS]
        assert migrate(con) == []
        rows = con.execute("SELECT version FROM schema_migrations ORDER BY version").fetchall()
    assert [r[0] for r in rows] == [1, 2]
    registry = PgRegistry(pg_url, pool_size=2)  # opening an up-to-date database changes nothing
    assert (registry.get_meta("schema"), registry.generation()) == ("1", 0)
    registry.close()


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("postgresql://app:s3cret@db.internal:5432/assistant", "postgresql://app:***@db.internal:5432/assistant"),
        ("postgresql://app@127.0.0.1/assistant", "postgresql://app@127.0.0.1/assistant"),
    ],
)
def test_messages_never_show_the_password(url: str, shown: str) -> None:
    assert _redacted(url) == shown


def test_a_document_written_by_one_process_is_found_by_another(tmp_path: Path, pg_url: str) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "orion.md").write_text(NOTE, encoding="utf-8")
    (docs / "qingsong.md").write_text(ZH_NOTE, encoding="utf-8")
    # two Assistants over one database stand for two API processes; each keeps its own BM25 in memory.
    # The vectors live in each one's embedded Chroma here, so only the lexical side is compared.
    with (
        Assistant.open(settings=_settings(tmp_path, pg_url, "a")) as a,
        Assistant.open(settings=_settings(tmp_path, pg_url, "b")) as b,
    ):
        assert b.index.search_lexical("Orion Reykjavik") == []
        report = a.ingest([docs])
        assert (report.added, report.failed) == (2, [])
        hits = b.index.search_lexical("Orion Reykjavik accelerators", k=3)
        assert [h.document.title for h in hits] == ["Orion cluster note"]
        assert "4096 Blackwell" in hits[0].chunk.text
        zh = b.index.search_lexical("青松数据中心 推理加速卡", k=3)
        assert [h.document.title for h in zh] == ["青松数据中心"]
        assert {d.title for d in b.documents()} == {"Orion cluster note", "青松数据中心"}

        (docs / "orion.md").unlink()
        assert a.ingest([docs], prune=True).removed == 1
        assert b.index.search_lexical("Orion Reykjavik accelerators", k=3) == []
        assert [d.title for d in b.documents()] == ["青松数据中心"]
        assert_consistent(a)


def test_the_writer_lock_spans_processes(tmp_path: Path, pg_url: str) -> None:
    with (
        Assistant.open(settings=_settings(tmp_path, pg_url, "a")) as a,
        Assistant.open(settings=_settings(tmp_path, pg_url, "b")) as b,
    ):
        with a.index.writer() as mine:
            assert mine is True
            with b.index.writer(blocking=False) as theirs:
                assert theirs is False
        with b.index.writer(blocking=False) as theirs:
            assert theirs is True
