"""The PostgreSQL schema as numbered migrations, applied in order when a process opens the database.

A table of applied versions (``schema_migrations``) is all the machinery there is: the project has no ORM, so
Alembic would bring SQLAlchemy in for a list of SQL scripts. Every process runs ``migrate`` on start; a
transaction-scoped advisory lock makes concurrent starts apply each version exactly once. Versions are only
ever appended, never edited.
"""

from __future__ import annotations

import logging
from typing import Any

log = logging.getLogger(__name__)

MIGRATIONS: list[tuple[int, str, str]] = [
    (
        1,
        "registry: documents, texts, chunks, pending writes, trash, embedding cache",
        """
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE documents (
            id TEXT PRIMARY KEY, source_path TEXT NOT NULL UNIQUE, title TEXT NOT NULL, url TEXT,
            kind TEXT NOT NULL, language TEXT NOT NULL, date TEXT, pages INTEGER, chunks INTEGER NOT NULL,
            chars INTEGER NOT NULL, content_hash TEXT NOT NULL, ingested_at TEXT NOT NULL, size BIGINT,
            mtime_ns BIGINT
        );
        CREATE INDEX documents_hash ON documents(content_hash);
        CREATE TABLE texts (doc_id TEXT PRIMARY KEY, text TEXT NOT NULL);
        CREATE TABLE chunks (
            id TEXT PRIMARY KEY, doc_id TEXT NOT NULL, ordinal INTEGER NOT NULL, start INTEGER NOT NULL,
            "end" INTEGER NOT NULL, page INTEGER, row INTEGER, dense BOOLEAN NOT NULL, tokens TEXT NOT NULL
        );
        CREATE INDEX chunks_doc ON chunks(doc_id);
        CREATE TABLE pending (doc_id TEXT PRIMARY KEY, chunk_ids TEXT NOT NULL, started_at TEXT NOT NULL);
        CREATE TABLE trash (chunk_id TEXT PRIMARY KEY);
        CREATE TABLE embed_cache (text_hash TEXT PRIMARY KEY, vector BYTEA NOT NULL);
        INSERT INTO meta VALUES ('schema', '1'), ('generation', '0');
        """,
    ),
    (
        2,
        "ingest jobs: a queue with leases",
        """
        CREATE TABLE jobs (
            id BIGSERIAL PRIMARY KEY, name TEXT NOT NULL, path TEXT, payload BYTEA, content_hash TEXT,
            state TEXT NOT NULL DEFAULT 'queued', attempts INTEGER NOT NULL DEFAULT 0, worker TEXT,
            lease_until TIMESTAMPTZ, stage TEXT NOT NULL DEFAULT 'queued', done INTEGER NOT NULL DEFAULT 0,
            total INTEGER NOT NULL DEFAULT 0, doc_id TEXT, result TEXT, error TEXT,
            created_at TIMESTAMPTZ NOT NULL DEFAULT now(), updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
        );
        CREATE INDEX jobs_open ON jobs(id) WHERE state IN ('queued', 'running');
        -- one open job per uploaded content: two clients sending the same bytes wait on the same job
        CREATE UNIQUE INDEX jobs_open_content ON jobs(content_hash) WHERE state IN ('queued', 'running');
        """,
    ),
]


def migrate(con: Any) -> list[int]:
    """Apply the migrations this database lacks, in one transaction; return the versions applied."""
    applied: list[int] = []
    with con.transaction():
        con.execute("SELECT pg_advisory_xact_lock(hashtext(current_schema() || ':assistant-migrate'))")
        con.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations ("
            "version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())"
        )
        done = {r[0] for r in con.execute("SELECT version FROM schema_migrations").fetchall()}
        for version, description, sql in MIGRATIONS:
            if version in done:
                continue
            con.execute(sql)
            con.execute("INSERT INTO schema_migrations (version, description) VALUES (%s, %s)", (version, description))
            applied.append(version)
            log.info("applied database migration %d: %s", version, description)
    return applied
