"""A CSV's rows in the dense ranking: one per document, the nearest kept (``rows_thinned``)."""

from __future__ import annotations

import pytest

from assistant.index.store import rows_thinned
from assistant.models import Chunk


def _chunk(cid: str, doc: str, row: int | None) -> Chunk:
    return Chunk(id=cid, doc_id=doc, ordinal=0, text="x", start=0, end=1, page=None, row=row, dense=True)


CHUNKS = {
    "csv1": _chunk("csv1", "provinces.csv", 1),
    "csv2": _chunk("csv2", "provinces.csv", 2),
    "csv3": _chunk("csv3", "provinces.csv", 3),
    "other1": _chunk("other1", "survey.csv", 7),
    "prose1": _chunk("prose1", "story.md", None),
    "prose2": _chunk("prose2", "story.md", None),
}


@pytest.mark.parametrize(
    ("dense", "per_document", "kept"),
    [
        (["csv2", "prose1", "csv1", "csv3", "prose2"], 1, ["csv2", "prose1", "prose2"]),
        (["csv2", "prose1", "csv1", "csv3", "prose2"], 2, ["csv2", "prose1", "csv1", "prose2"]),
        (["csv1", "other1", "csv2"], 1, ["csv1", "other1"]),  # one row of each CSV
        (["prose1", "prose2"], 1, ["prose1", "prose2"]),  # passages of prose are never thinned
        (["unknown", "csv1"], 1, ["unknown", "csv1"]),  # a candidate without a stored chunk passes as it is
    ],
)
def test_rows_thinned(dense: list[str], per_document: int, kept: list[str]) -> None:
    scored = [(c, 1.0 - i / 10) for i, c in enumerate(dense)]
    out = rows_thinned(scored, CHUNKS, per_document)
    assert [c for c, _ in out] == kept
    assert all(dict(scored)[c] == s for c, s in out)  # scores unchanged
