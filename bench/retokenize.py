"""Recompute the stored lexical tokens of every chunk in an index folder with the current tokenizer.

The BM25 tokens of a chunk are computed at ingest (title tokens + chunk text tokens) and stored in the registry;
a change of the tokenizer's word list (the domain pack's ``tokenizer_words``) leaves older chunks tokenized the
old way. This measurement helper brings a copy of an index in line without re-embedding anything:

    PYTHONPATH=. python bench/retokenize.py DATA_DIR
"""

from __future__ import annotations

import sqlite3
import sys
import time
from pathlib import Path

from assistant.text import tokenize


def retokenize(data_dir: Path) -> int:
    """Rewrite ``chunks.tokens`` for every chunk; bump the registry generation so open indexes reload. Returns
    the number of chunks rewritten."""
    con = sqlite3.connect(data_dir / "registry.sqlite3")
    try:
        titles = dict(con.execute("SELECT id, title FROM documents"))
        texts = dict(con.execute("SELECT doc_id, text FROM texts"))
        rows = con.execute('SELECT id, doc_id, start, "end" FROM chunks').fetchall()
        title_tokens = {d: tokenize(t) for d, t in titles.items()}
        updates = [
            (" ".join(title_tokens[d] + tokenize(texts[d][s:e])), cid) for cid, d, s, e in rows if d in texts
        ]
        with con:
            con.executemany("UPDATE chunks SET tokens = ? WHERE id = ?", updates)
            con.execute("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'generation'")
        return len(updates)
    finally:
        con.close()


if __name__ == "__main__":
    t0 = time.perf_counter()
    n = retokenize(Path(sys.argv[1]))
    print(f"{n} chunks retokenized in {time.perf_counter() - t0:.1f} s")
