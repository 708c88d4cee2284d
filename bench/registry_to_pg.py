"""Copy a data folder's SQLite registry into a PostgreSQL database (for measuring the server setup on an index
already built; the data folder's embedded Chroma store keeps serving the vectors).

    python bench/registry_to_pg.py DATA_DIR postgresql://USER@HOST:PORT/DB
"""

from __future__ import annotations

import argparse
import sqlite3
from pathlib import Path

from assistant.index.registry_pg import PgRegistry

TABLES = {
    "documents": "id, source_path, title, url, kind, language, date, pages, chunks, chars, content_hash, "
    'ingested_at, size, mtime_ns',
    "texts": "doc_id, text",
    "chunks": 'id, doc_id, ordinal, start, "end", page, row, dense, tokens',
    "embed_cache": "text_hash, vector",
    "meta": "key, value",
}


def copy(data_dir: Path, url: str) -> dict[str, int]:
    """Replace the database's registry rows with the SQLite file's; return rows copied per table."""
    source = sqlite3.connect(data_dir / "registry.sqlite3")
    target = PgRegistry(url, pool_size=2)
    counts = {}
    with target.connection() as con:
        con.execute("TRUNCATE documents, texts, chunks, embed_cache, meta, pending, trash")
        for table, columns in TABLES.items():
            rows = source.execute(f"SELECT {columns} FROM {table}").fetchall()
            if table == "chunks":
                rows = [(*r[:7], bool(r[7]), r[8]) for r in rows]
            marks = ",".join(["%s"] * len(columns.split(",")))
            with con.cursor() as cur:
                cur.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)
            counts[table] = len(rows)
    target.close()
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("url")
    args = parser.parse_args()
    print(copy(args.data_dir, args.url))


if __name__ == "__main__":
    main()
