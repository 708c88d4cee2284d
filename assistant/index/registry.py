"""The document registry: one SQLite file holding documents, their extracted text, chunk rows and index state.

It is the source of truth. A chunk is visible to readers only once its document row is committed as
complete; the vector store may briefly hold vectors of chunks that are not (yet, or no longer) listed here,
and readers ignore those. See ``assistant.ingest.pipeline`` for the write protocol.
"""

from __future__ import annotations

import fcntl
import json
import os
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from assistant.errors import NotFoundError, StoreError
from assistant.models import Chunk, Document

SCHEMA_VERSION = "1"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS documents (
    id TEXT PRIMARY KEY, source_path TEXT NOT NULL UNIQUE, title TEXT NOT NULL, url TEXT, kind TEXT NOT NULL,
    language TEXT NOT NULL, date TEXT, pages INTEGER, chunks INTEGER NOT NULL, chars INTEGER NOT NULL,
    content_hash TEXT NOT NULL, ingested_at TEXT NOT NULL, size INTEGER, mtime_ns INTEGER
);
CREATE TABLE IF NOT EXISTS texts (doc_id TEXT PRIMARY KEY, text TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS chunks (
    id TEXT PRIMARY KEY, doc_id TEXT NOT NULL, ordinal INTEGER NOT NULL, start INTEGER NOT NULL,
    "end" INTEGER NOT NULL, page INTEGER, row INTEGER, dense INTEGER NOT NULL, tokens TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS chunks_doc ON chunks(doc_id);
CREATE TABLE IF NOT EXISTS pending (doc_id TEXT PRIMARY KEY, chunk_ids TEXT NOT NULL, started_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS trash (chunk_id TEXT PRIMARY KEY);
CREATE TABLE IF NOT EXISTS embed_cache (text_hash TEXT PRIMARY KEY, vector BLOB NOT NULL);
"""

# A document version as readers compare it: the file's bytes and when they were last read into text, so a
# re-read of unchanged bytes by a newer loader is noticed too.
_VERSION = "d.content_hash || ':' || d.ingested_at"

_DOC_COLUMNS = "id, title, source_path, url, kind, language, date, pages, chunks, chars, content_hash, ingested_at"


def _chunk(r: tuple, text: str) -> Chunk:
    """A chunk from a row starting (id, doc_id, ordinal, start, end, page, row, dense)."""
    return Chunk(
        id=r[0], doc_id=r[1], ordinal=r[2], start=r[3], end=r[4], page=r[5], row=r[6], dense=bool(r[7]), text=text
    )


def _doc(row: sqlite3.Row | tuple) -> Document:
    keys = [c.strip() for c in _DOC_COLUMNS.split(",")]
    return Document.model_validate(dict(zip(keys, row, strict=True)))


class Registry:
    """SQLite registry. One connection per thread; writes are serialised by SQLite (WAL mode)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._local = threading.local()
        self._con().executescript(_SCHEMA)
        with self._tx() as con:
            con.execute("INSERT OR IGNORE INTO meta VALUES ('schema', ?)", (SCHEMA_VERSION,))
            con.execute("INSERT OR IGNORE INTO meta VALUES ('generation', '0')")

    # --- connections ----------------------------------------------------------------------------
    def _con(self) -> sqlite3.Connection:
        con = getattr(self._local, "con", None)
        if con is None:
            try:
                con = sqlite3.connect(self.path, timeout=60, isolation_level=None, check_same_thread=False)
            except sqlite3.Error as exc:
                raise StoreError(f"cannot open registry {self.path}: {exc}") from exc
            con.execute("PRAGMA journal_mode=WAL")
            con.execute("PRAGMA synchronous=NORMAL")
            self._local.con = con
        return con

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        con = self._con()
        con.execute("BEGIN IMMEDIATE")
        try:
            yield con
        except BaseException:
            con.execute("ROLLBACK")
            raise
        else:
            con.execute("COMMIT")

    def _select_in(self, sql: str, ids: list[str]) -> Iterator[tuple]:
        """Rows of ``sql`` whose ``{marks}`` placeholder is an IN list over ``ids``, 500 ids a query."""
        for i in range(0, len(ids), 500):
            part = ids[i : i + 500]
            yield from self._con().execute(sql.format(marks=",".join("?" * len(part))), part).fetchall()

    @contextmanager
    def writer_lock(self, *, blocking: bool = True) -> Iterator[bool]:
        """The data folder's writer lock: an flock on ``writer.lock`` beside the registry, for other processes."""
        fd = os.open(self.path.parent / "writer.lock", os.O_RDWR | os.O_CREAT, 0o600)
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | (0 if blocking else fcntl.LOCK_NB))
            except BlockingIOError:
                yield False
                return
            yield True
        finally:
            os.close(fd)

    def close(self) -> None:
        con = getattr(self._local, "con", None)
        if con is not None:
            con.close()
            self._local.con = None

    # --- meta -----------------------------------------------------------------------------------
    def get_meta(self, key: str) -> str | None:
        row = self._con().execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def set_meta(self, key: str, value: str) -> None:
        with self._tx() as con:
            con.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))

    def generation(self) -> int:
        return int(self.get_meta("generation") or 0)

    # --- documents ------------------------------------------------------------------------------
    def documents(self) -> list[Document]:
        rows = self._con().execute(f"SELECT {_DOC_COLUMNS} FROM documents ORDER BY source_path").fetchall()
        return [_doc(r) for r in rows]

    def document(self, doc_id: str) -> Document:
        row = self._con().execute(f"SELECT {_DOC_COLUMNS} FROM documents WHERE id = ?", (doc_id,)).fetchone()
        if row is None:
            raise NotFoundError(f"no document with id {doc_id!r}")
        return _doc(row)

    def document_by_hash(self, content_hash: str) -> Document | None:
        """A document with exactly these bytes, if one is indexed."""
        row = self._con().execute(
            f"SELECT {_DOC_COLUMNS} FROM documents WHERE content_hash = ? LIMIT 1", (content_hash,)
        ).fetchone()
        return None if row is None else _doc(row)

    def state_by_path(self) -> dict[str, tuple[str, str, int | None, int | None]]:
        """source_path -> (doc id, content hash, size, mtime_ns) for every document."""
        rows = self._con().execute("SELECT source_path, id, content_hash, size, mtime_ns FROM documents")
        return {r[0]: (r[1], r[2], r[3], r[4]) for r in rows}

    def text(self, doc_id: str) -> str:
        row = self._con().execute("SELECT text FROM texts WHERE doc_id = ?", (doc_id,)).fetchone()
        if row is None:
            raise NotFoundError(f"no document with id {doc_id!r}")
        return str(row[0])

    def doc_versions(self) -> dict[str, str]:
        """doc id -> version (content hash and ingest time), for noticing what changed since the last look."""
        return dict(self._con().execute(f"SELECT d.id, {_VERSION} FROM documents d").fetchall())

    # --- chunks ---------------------------------------------------------------------------------
    def chunks_for(self, doc_ids: Iterable[str]) -> list[tuple[Chunk, str]]:
        """Chunks (without text) and their stored tokens for the given documents."""
        sql = (
            'SELECT id, doc_id, ordinal, start, "end", page, row, dense, tokens FROM chunks '
            "WHERE doc_id IN ({marks}) ORDER BY doc_id, ordinal"
        )
        return [(_chunk(r, ""), r[8]) for r in self._select_in(sql, list(doc_ids))]

    def chunk_rows(
        self, chunk_ids: Iterable[str], text_of: Callable[[str, str], str | None] | None = None
    ) -> dict[str, Chunk]:
        """Complete chunks by id with their text. ``text_of(doc_id, version)`` may serve the document text
        of exactly that version from a cache (None: not cached); otherwise the slice is read from SQLite. Unknown
        ids are left out."""
        sql = (
            'SELECT c.id, c.doc_id, c.ordinal, c.start, c."end", c.page, c.row, c.dense, ' + _VERSION + ' '
            "FROM chunks c JOIN documents d ON d.id = c.doc_id WHERE c.id IN ({marks})"
        )
        out: dict[str, Chunk] = {}
        for r in self._select_in(sql, list(dict.fromkeys(chunk_ids))):
            text = text_of(r[1], r[8]) if text_of else None
            if text is not None:
                piece = text[r[3] : r[4]]
            else:
                got = self._con().execute(
                    "SELECT substr(text, ? + 1, ? - ?) FROM texts WHERE doc_id = ?", (r[3], r[4], r[3], r[1])
                ).fetchone()
                if got is None:
                    continue
                piece = got[0]
            out[r[0]] = _chunk(r, piece)
        return out

    def text_version(self, doc_id: str) -> tuple[str, str]:
        """A document's text and the content hash of that version, read together."""
        row = self._con().execute(
            f"SELECT t.text, {_VERSION} FROM texts t JOIN documents d ON d.id = t.doc_id WHERE t.doc_id = ?",
            (doc_id,),
        ).fetchone()
        if row is None:
            raise NotFoundError(f"no document with id {doc_id!r}")
        return str(row[0]), str(row[1])

    def chunk_count(self) -> int:
        return int(self._con().execute("SELECT count(*) FROM chunks").fetchone()[0])

    # --- the write protocol -----------------------------------------------------------------------
    def begin_document(self, doc_id: str, chunk_ids: list[str]) -> None:
        """Step 1: remember the chunk ids about to be written to the vector store, so a crash can undo them."""
        with self._tx() as con:
            con.execute(
                "INSERT OR REPLACE INTO pending VALUES (?, ?, ?)",
                (doc_id, json.dumps(chunk_ids), datetime.now(UTC).isoformat()),
            )

    def commit_document(
        self, doc: Document, text: str, chunks: list[Chunk], tokens: list[str], size: int, mtime_ns: int
    ) -> list[str]:
        """Step 3: make the new version visible in one transaction; return the old chunk ids now in the trash."""
        with self._tx() as con:
            old = [r[0] for r in con.execute("SELECT id FROM chunks WHERE doc_id = ?", (doc.id,))]
            new_ids = {c.id for c in chunks}
            stale = [cid for cid in old if cid not in new_ids]
            con.executemany("INSERT OR IGNORE INTO trash VALUES (?)", [(cid,) for cid in stale])
            con.execute("DELETE FROM chunks WHERE doc_id = ?", (doc.id,))
            con.execute("DELETE FROM documents WHERE id = ? OR source_path = ?", (doc.id, doc.source_path))
            con.execute(
                f"INSERT INTO documents ({_DOC_COLUMNS}, size, mtime_ns) VALUES ({','.join('?' * 14)})",
                (
                    doc.id, doc.title, doc.source_path, doc.url, doc.kind, doc.language, doc.date, doc.pages,
                    doc.chunks, doc.chars, doc.content_hash, doc.ingested_at.isoformat(), size, mtime_ns,
                ),
            )
            con.execute("INSERT OR REPLACE INTO texts VALUES (?, ?)", (doc.id, text))
            con.executemany(
                'INSERT OR REPLACE INTO chunks (id, doc_id, ordinal, start, "end", page, row, dense, tokens) '
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (c.id, c.doc_id, c.ordinal, c.start, c.end, c.page, c.row, int(c.dense), tok)
                    for c, tok in zip(chunks, tokens, strict=True)
                ],
            )
            con.execute("DELETE FROM pending WHERE doc_id = ?", (doc.id,))
            self._bump(con)
        return stale

    def touch_document(self, doc_id: str, size: int, mtime_ns: int) -> None:
        """Record a new size/mtime for a document whose content did not change."""
        with self._tx() as con:
            con.execute("UPDATE documents SET size = ?, mtime_ns = ? WHERE id = ?", (size, mtime_ns, doc_id))

    def remove_document(self, doc_id: str) -> list[str]:
        """Remove a document; its chunk ids go to the trash for the vector store to delete."""
        with self._tx() as con:
            old = [r[0] for r in con.execute("SELECT id FROM chunks WHERE doc_id = ?", (doc_id,))]
            con.executemany("INSERT OR IGNORE INTO trash VALUES (?)", [(cid,) for cid in old])
            con.execute("DELETE FROM chunks WHERE doc_id = ?", (doc_id,))
            con.execute("DELETE FROM texts WHERE doc_id = ?", (doc_id,))
            con.execute("DELETE FROM documents WHERE id = ?", (doc_id,))
            self._bump(con)
        return old

    def pending(self) -> dict[str, list[str]]:
        rows = self._con().execute("SELECT doc_id, chunk_ids FROM pending").fetchall()
        return {r[0]: json.loads(r[1]) for r in rows}

    def live_chunk_ids(self, chunk_ids: Iterable[str]) -> set[str]:
        return {r[0] for r in self._select_in("SELECT id FROM chunks WHERE id IN ({marks})", list(chunk_ids))}

    def drop_pending(self, doc_id: str) -> None:
        with self._tx() as con:
            con.execute("DELETE FROM pending WHERE doc_id = ?", (doc_id,))

    def trash(self) -> list[str]:
        return [r[0] for r in self._con().execute("SELECT chunk_id FROM trash")]

    def empty_trash(self, chunk_ids: list[str]) -> None:
        with self._tx() as con:
            con.executemany("DELETE FROM trash WHERE chunk_id = ?", [(c,) for c in chunk_ids])

    def reset(self) -> None:
        """Forget every document (for a re-index with another embedder)."""
        with self._tx() as con:
            for table in ("documents", "texts", "chunks", "pending", "trash", "embed_cache"):
                con.execute(f"DELETE FROM {table}")
            con.execute("DELETE FROM meta WHERE key NOT IN ('schema', 'generation')")
            self._bump(con)

    @staticmethod
    def _bump(con: sqlite3.Connection) -> None:
        con.execute("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'generation'")

    # --- embedding cache ------------------------------------------------------------------------
    def cached_vectors(self, text_hashes: list[str]) -> dict[str, np.ndarray]:
        sql = "SELECT text_hash, vector FROM embed_cache WHERE text_hash IN ({marks})"
        return {h: np.frombuffer(blob, dtype=np.float32) for h, blob in self._select_in(sql, text_hashes)}

    def cache_vectors(self, items: list[tuple[str, np.ndarray]]) -> None:
        with self._tx() as con:
            con.executemany(
                "INSERT OR REPLACE INTO embed_cache VALUES (?, ?)",
                [(h, np.asarray(v, dtype=np.float32).tobytes()) for h, v in items],
            )
