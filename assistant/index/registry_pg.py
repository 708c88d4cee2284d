"""The document registry on PostgreSQL: the same records and write protocol as the SQLite registry, shared by
every API and ingest process on any host.

Connections come from a psycopg pool; each method is one transaction. The writer lock is a session advisory
lock held on a connection of its own: when a writer dies (even by kill -9) its socket closes, PostgreSQL ends
the session and the lock is free for the next writer, which rolls back the dead one's pending vectors.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

import numpy as np

from assistant.errors import NotFoundError, StoreError
from assistant.index.migrations import migrate
from assistant.index.registry import _DOC_COLUMNS, _VERSION, _chunk, _doc
from assistant.models import Chunk, Document

log = logging.getLogger(__name__)

_WRITER_KEY = "hashtext(current_schema() || ':assistant-writer')"


class PgRegistry:
    """PostgreSQL registry behind a connection pool. Safe to share between threads."""

    def __init__(self, url: str, *, pool_size: int = 8) -> None:
        from psycopg_pool import ConnectionPool

        self.url = url
        self.path = None  # no file: callers that show where the registry lives use ``where``
        self.where = _redacted(url)
        try:
            self._pool = ConnectionPool(url, min_size=1, max_size=pool_size, open=True, name="assistant-registry")
            self._pool.wait(timeout=30)
            with self._pool.connection() as con:
                migrate(con)
        except Exception as exc:  # psycopg.Error, pool timeouts: either way the database is out of reach
            raise StoreError(f"cannot open the registry database {self.where}: {exc}") from exc
        self._lock_con: Any = None
        self._lock_mutex = threading.Lock()

    # --- connections ----------------------------------------------------------------------------
    @contextmanager
    def _tx(self) -> Iterator[Any]:
        """One transaction on a pooled connection (committed on leaving, rolled back on an exception)."""
        with self._pool.connection() as con:
            yield con

    def _rows(self, sql: str, params: tuple | list = ()) -> list[tuple]:
        with self._tx() as con:
            return con.execute(sql, params).fetchall()

    def _one(self, sql: str, params: tuple | list = ()) -> tuple | None:
        with self._tx() as con:
            return con.execute(sql, params).fetchone()

    def connection(self) -> Any:
        """A pooled connection as a context manager (one transaction), for the job queue."""
        return self._pool.connection()

    def close(self) -> None:
        with self._lock_mutex:
            if self._lock_con is not None:
                self._lock_con.close()
                self._lock_con = None
        self._pool.close()

    @contextmanager
    def writer_lock(self, *, blocking: bool = True) -> Iterator[bool]:
        """The database-wide writer lock (a session advisory lock), for one writer at a time on any host."""
        import psycopg

        with self._lock_mutex:
            if self._lock_con is None or self._lock_con.closed:
                self._lock_con = psycopg.connect(self.url, autocommit=True)
            con = self._lock_con
        if blocking:
            con.execute(f"SELECT pg_advisory_lock({_WRITER_KEY})")
        else:
            got = con.execute(f"SELECT pg_try_advisory_lock({_WRITER_KEY})").fetchone()
            if not got or not got[0]:
                yield False
                return
        try:
            yield True
        finally:
            con.execute(f"SELECT pg_advisory_unlock({_WRITER_KEY})")

    # --- meta -----------------------------------------------------------------------------------
    def get_meta(self, key: str) -> str | None:
        row = self._one("SELECT value FROM meta WHERE key = %s", (key,))
        return None if row is None else str(row[0])

    def set_meta(self, key: str, value: str) -> None:
        with self._tx() as con:
            con.execute(
                "INSERT INTO meta VALUES (%s, %s) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value", (key, value)
            )

    def generation(self) -> int:
        return int(self.get_meta("generation") or 0)

    # --- documents ------------------------------------------------------------------------------
    def documents(self) -> list[Document]:
        return [_doc(r) for r in self._rows(f"SELECT {_DOC_COLUMNS} FROM documents ORDER BY source_path")]

    def document(self, doc_id: str) -> Document:
        row = self._one(f"SELECT {_DOC_COLUMNS} FROM documents WHERE id = %s", (doc_id,))
        if row is None:
            raise NotFoundError(f"no document with id {doc_id!r}")
        return _doc(row)

    def document_by_hash(self, content_hash: str) -> Document | None:
        row = self._one(f"SELECT {_DOC_COLUMNS} FROM documents WHERE content_hash = %s LIMIT 1", (content_hash,))
        return None if row is None else _doc(row)

    def state_by_path(self) -> dict[str, tuple[str, str, int | None, int | None]]:
        """source_path -> (doc id, content hash, size, mtime_ns) for every document."""
        rows = self._rows("SELECT source_path, id, content_hash, size, mtime_ns FROM documents")
        return {r[0]: (r[1], r[2], r[3], r[4]) for r in rows}

    def text(self, doc_id: str) -> str:
        row = self._one("SELECT text FROM texts WHERE doc_id = %s", (doc_id,))
        if row is None:
            raise NotFoundError(f"no document with id {doc_id!r}")
        return str(row[0])

    def doc_versions(self) -> dict[str, str]:
        return {r[0]: r[1] for r in self._rows(f"SELECT d.id, {_VERSION} FROM documents d")}

    # --- chunks ---------------------------------------------------------------------------------
    def chunks_for(self, doc_ids: Iterable[str]) -> list[tuple[Chunk, str]]:
        rows = self._rows(
            'SELECT id, doc_id, ordinal, start, "end", page, row, dense, tokens FROM chunks '
            "WHERE doc_id = ANY(%s) ORDER BY doc_id, ordinal",
            (list(doc_ids),),
        )
        return [(_chunk(r, ""), r[8]) for r in rows]

    def chunk_rows(
        self, chunk_ids: Iterable[str], text_of: Callable[[str, str], str | None] | None = None
    ) -> dict[str, Chunk]:
        """Complete chunks by id with their text (see ``Registry.chunk_rows``)."""
        ids = list(dict.fromkeys(chunk_ids))
        rows = self._rows(
            'SELECT c.id, c.doc_id, c.ordinal, c.start, c."end", c.page, c.row, c.dense, ' + _VERSION + ' '
            "FROM chunks c JOIN documents d ON d.id = c.doc_id WHERE c.id = ANY(%s)",
            (ids,),
        )
        out: dict[str, Chunk] = {}
        missing = []
        for r in rows:
            text = text_of(r[1], r[8]) if text_of else None
            if text is not None:
                out[r[0]] = _chunk(r, text[r[3] : r[4]])
            else:
                missing.append(r)
        if missing:
            # one query for every slice not served from a cached text
            pieces = self._rows(
                'SELECT c.id, substr(t.text, c.start + 1, c."end" - c.start) FROM chunks c '
                "JOIN texts t ON t.doc_id = c.doc_id WHERE c.id = ANY(%s)",
                ([r[0] for r in missing],),
            )
            by_id = dict(pieces)
            for r in missing:
                if r[0] in by_id:
                    out[r[0]] = _chunk(r, by_id[r[0]])
        return out

    def text_version(self, doc_id: str) -> tuple[str, str]:
        row = self._one(
            f"SELECT t.text, {_VERSION} FROM texts t JOIN documents d ON d.id = t.doc_id WHERE t.doc_id = %s",
            (doc_id,),
        )
        if row is None:
            raise NotFoundError(f"no document with id {doc_id!r}")
        return str(row[0]), str(row[1])

    def chunk_count(self) -> int:
        row = self._one("SELECT count(*) FROM chunks")
        return int(row[0]) if row else 0

    # --- the write protocol -----------------------------------------------------------------------
    def begin_document(self, doc_id: str, chunk_ids: list[str]) -> None:
        with self._tx() as con:
            con.execute(
                "INSERT INTO pending VALUES (%s, %s, %s) ON CONFLICT (doc_id) DO UPDATE SET "
                "chunk_ids = EXCLUDED.chunk_ids, started_at = EXCLUDED.started_at",
                (doc_id, json.dumps(chunk_ids), datetime.now(UTC).isoformat()),
            )

    def commit_document(
        self, doc: Document, text: str, chunks: list[Chunk], tokens: list[str], size: int, mtime_ns: int
    ) -> list[str]:
        with self._tx() as con:
            self._bump(con)  # first: the generation row lock orders concurrent commits
            old = [r[0] for r in con.execute("SELECT id FROM chunks WHERE doc_id = %s", (doc.id,)).fetchall()]
            new_ids = {c.id for c in chunks}
            stale = [cid for cid in old if cid not in new_ids]
            _trash(con, stale)
            con.execute("DELETE FROM chunks WHERE doc_id = %s", (doc.id,))
            con.execute("DELETE FROM documents WHERE id = %s OR source_path = %s", (doc.id, doc.source_path))
            con.execute(
                f"INSERT INTO documents ({_DOC_COLUMNS}, size, mtime_ns) VALUES ({','.join(['%s'] * 14)})",
                (
                    doc.id, doc.title, doc.source_path, doc.url, doc.kind, doc.language, doc.date, doc.pages,
                    doc.chunks, doc.chars, doc.content_hash, doc.ingested_at.isoformat(), size, mtime_ns,
                ),
            )
            con.execute(
                "INSERT INTO texts VALUES (%s, %s) ON CONFLICT (doc_id) DO UPDATE SET text = EXCLUDED.text",
                (doc.id, text),
            )
            with con.cursor() as cur:
                cur.executemany(
                    'INSERT INTO chunks (id, doc_id, ordinal, start, "end", page, row, dense, tokens) '
                    "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)",
                    [
                        (c.id, c.doc_id, c.ordinal, c.start, c.end, c.page, c.row, c.dense, tok)
                        for c, tok in zip(chunks, tokens, strict=True)
                    ],
                )
            con.execute("DELETE FROM pending WHERE doc_id = %s", (doc.id,))
        return stale

    def touch_document(self, doc_id: str, size: int, mtime_ns: int) -> None:
        with self._tx() as con:
            con.execute("UPDATE documents SET size = %s, mtime_ns = %s WHERE id = %s", (size, mtime_ns, doc_id))

    def remove_document(self, doc_id: str) -> list[str]:
        with self._tx() as con:
            self._bump(con)
            old = [r[0] for r in con.execute("SELECT id FROM chunks WHERE doc_id = %s", (doc_id,)).fetchall()]
            _trash(con, old)
            con.execute("DELETE FROM chunks WHERE doc_id = %s", (doc_id,))
            con.execute("DELETE FROM texts WHERE doc_id = %s", (doc_id,))
            con.execute("DELETE FROM documents WHERE id = %s", (doc_id,))
        return old

    def pending(self) -> dict[str, list[str]]:
        return {r[0]: json.loads(r[1]) for r in self._rows("SELECT doc_id, chunk_ids FROM pending")}

    def live_chunk_ids(self, chunk_ids: Iterable[str]) -> set[str]:
        return {r[0] for r in self._rows("SELECT id FROM chunks WHERE id = ANY(%s)", (list(chunk_ids),))}

    def drop_pending(self, doc_id: str) -> None:
        with self._tx() as con:
            con.execute("DELETE FROM pending WHERE doc_id = %s", (doc_id,))

    def trash(self) -> list[str]:
        return [r[0] for r in self._rows("SELECT chunk_id FROM trash")]

    def empty_trash(self, chunk_ids: list[str]) -> None:
        with self._tx() as con:
            con.execute("DELETE FROM trash WHERE chunk_id = ANY(%s)", (chunk_ids,))

    def reset(self) -> None:
        with self._tx() as con:
            self._bump(con)
            con.execute("TRUNCATE documents, texts, chunks, pending, trash, embed_cache")
            con.execute("DELETE FROM meta WHERE key NOT IN ('schema', 'generation')")

    @staticmethod
    def _bump(con: Any) -> None:
        con.execute("UPDATE meta SET value = (value::bigint + 1)::text WHERE key = 'generation'")

    # --- embedding cache ------------------------------------------------------------------------
    def cached_vectors(self, text_hashes: list[str]) -> dict[str, np.ndarray]:
        rows = self._rows("SELECT text_hash, vector FROM embed_cache WHERE text_hash = ANY(%s)", (text_hashes,))
        return {h: np.frombuffer(bytes(blob), dtype=np.float32) for h, blob in rows}

    def cache_vectors(self, items: list[tuple[str, np.ndarray]]) -> None:
        with self._tx() as con, con.cursor() as cur:
            cur.executemany(
                "INSERT INTO embed_cache VALUES (%s, %s) ON CONFLICT (text_hash) DO NOTHING",
                [(h, np.asarray(v, dtype=np.float32).tobytes()) for h, v in items],
            )


def _trash(con: Any, chunk_ids: list[str]) -> None:
    if chunk_ids:
        con.execute(
            "INSERT INTO trash SELECT unnest(%s::text[]) ON CONFLICT (chunk_id) DO NOTHING", (chunk_ids,)
        )


def _redacted(url: str) -> str:
    """The database URL without its password, for messages and logs."""
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    netloc = f"{parts.username}:***@{host}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit(parts._replace(netloc=netloc))
