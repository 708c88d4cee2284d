"""A CSV row's key: chosen from the file's own values, leading its record, carried by every chunk cut from inside
the record; a record's unit field and a wide file's period columns read by the check side."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.check.context import header_periods
from assistant.check.tables import apply_header, header_unit, record_cell
from assistant.ingest.chunking import chunk_document, record_context
from assistant.ingest.loaders import key_column, load_document
from assistant.ingest.pipeline import _chunk_tokens
from assistant.settings import Settings
from assistant.text import record_key
from tools.figures import parse_figures


@pytest.mark.parametrize(
    ("table", "expected"),
    [
        ([["Falcon-180B", "Language"], ["Llama 2-70B", "Language"]], 0),  # first column distinct and worded
        ([["1", "El Capitan"], ["2", "Frontier"]], 1),  # a rank names no row
        ([["2024-01-02", "A100", "PCIe"], ["2024-01-02", "H100", "SXM"]], 1),  # a repeated date, then names
        ([["x", "A100"], ["x", "A100"]], 0),  # no column tells the rows apart: the first
        ([["", "Kestrel"], ["b", "Lumen"]], 1),  # a column with a gap does not name every row
        ([["1", "a" * 200], ["2", "b" * 200]], 0),  # a long text is a description, not a name
    ],
)
def test_key_column(table: list[list[str]], expected: int) -> None:
    assert key_column(table, max(len(r) for r in table)) == expected


def test_the_key_leads_the_record_and_every_chunk_of_a_long_row_carries_it(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "idx", chunk_chars=100, chunk_overlap=40)
    path = tmp_path / "systems.csv"
    note = "A long free-text note that keeps going well past the chunk size so the record is cut. " * 3
    path.write_text(f"rank,system,note,power_kw\n1,El Capitan,{note},29581\n2,Frontier,short,24607\n", encoding="utf-8")
    doc = load_document(path, settings)
    assert doc.text.splitlines()[1] == "system: Frontier; rank: 2; note: short; power_kw: 24607"
    chunks = chunk_document("d", "h", doc, settings)
    first_row = [c for c in chunks if c.row == 1]
    assert len(first_row) > 2
    assert [record_context(doc.text, c.start) for c in first_row] == [""] + ["system: El Capitan"] * (
        len(first_row) - 1
    )
    assert record_context(doc.text, chunks[-1].start) == ""  # a row's own first chunk writes its key
    tokens = _chunk_tokens(doc, chunks)
    last = first_row[-1]
    assert "power_kw: 29581" in last.text and "capitan" in tokens[chunks.index(last)].split()


@pytest.mark.parametrize(
    ("text", "pos", "expected"),
    [
        ("Model: A; Task: b; Cost: 3", 19, "Model: A"),
        ("Model: A; Task: b\nModel: B; Cost: 3", 28, "Model: B"),
        ("Model: A; Task: b\nModel: B; Cost: 3", 18, None),  # a chunk starting its record
        ("no fields here", 5, None),
    ],
)
def test_record_key(text: str, pos: int, expected: str | None) -> None:
    span = record_key(text, pos)
    assert (text[span[0] : span[1]] if span else None) == expected


@pytest.mark.parametrize(
    ("header", "low", "high"),
    [
        ("Tencent 2024Q1", 202401, 202403),
        ("青岚算力 2024-Q3", 202407, 202409),
        ("rev 2025 Q2", 202504, 202506),
        ("Alphabet FY2023", 202301, 202312),
        ("Amazon 2022", 202201, 202212),
    ],
)
def test_header_periods_read_quarter_columns(header: str, low: int, high: int) -> None:
    (period,) = header_periods(header)
    assert (period.low, period.high) == (low, high)


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("(USD billion)", ("usd", 1e9)),
        ("(CNY billion)", ("cny", 1e9)),
        ("(USD million)", ("usd", 1e6)),
        ("(US$ million)", ("usd", 1e6)),
        ("(兆瓦)", ("megawatt", 1.0)),
        ("(company outlook)", None),
    ],
)
def test_header_unit_with_a_currency_code_before_its_scale(label: str, expected: tuple[str, float] | None) -> None:
    assert header_unit(label) == expected


@pytest.mark.parametrize(
    ("record", "cell", "value", "unit", "label"),
    [
        ("company: Alphabet; fiscal_year_end: December; unit: USD billion; FY2023: 32.3", "32.3", 32.3e9, "usd",
         "Alphabet December"),
        ("运营商: 青岚算力; 单位: 兆瓦; 2024Q1: 118; 2024Q2: 134", "134", 134.0, "megawatt", "青岚算力"),
        ("system: Frontier; rank: 2; power_kw: 24607", "24607", 24607.0, "kilowatt", "Frontier"),
    ],
)
def test_a_records_unit_field_is_the_unit_of_its_bare_cells(
    record: str, cell: str, value: float, unit: str, label: str
) -> None:
    fig = next(f for f in parse_figures(record) if f.text == cell)
    found = record_cell(record, fig)
    assert found is not None and found.row_label == label
    headed = apply_header(fig, found)
    assert (headed.unit, headed.value) == (unit, pytest.approx(value))


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (20, 30, (18, 45)),  # a chunk from inside the second record: the whole record
        (0, 17, (0, 17)),  # a whole record stays itself
        (50, 60, (50, 60)),  # a record past the reach keeps the chunk's own bounds
    ],
)
def test_a_chunk_cut_from_a_record_is_read_as_its_record(start: int, end: int, expected: tuple[int, int]) -> None:
    from assistant.text import record_bounds

    text = "Model: A; Task: b\nModel: B; Cost: 3; Hours: 4\n" + "x" * 12_000
    assert record_bounds(text, start, end) == expected


class _FirstChunks:
    """A retriever handing over only the chunks that start a CSV record (as a search on a row's name finds)."""

    def __init__(self, doc: object, chunks: list, text: str) -> None:
        self.doc, self.text = doc, text
        self.chunks = [c for c in chunks if c.start == 0 or text[c.start - 1] == "\n"]

    def search(self, query: str, *, k: int = 8, filters: object = None) -> list:
        from assistant.models import Passage

        return [Passage(chunk=c, document=self.doc, score=1.0) for c in self.chunks]  # type: ignore[arg-type]

    def document(self, doc_id: str) -> object:
        return self.doc

    def document_text(self, doc_id: str) -> str:
        return self.text

    def documents(self) -> list:
        return [self.doc]


@pytest.mark.parametrize(
    ("claim", "verdict", "value"),
    [
        ("Falcon-180B's training took 1,080 hours.", "supported", None),
        ("Falcon-180B's training took 4,000 hours.", "unverifiable", None),  # the other row's figure is not its
    ],
)
def test_check_reads_a_records_field_from_another_chunk_of_it(
    tmp_path: Path, claim: str, verdict: str, value: float | None
) -> None:
    from datetime import datetime

    from assistant.check import check_text
    from assistant.models import Document

    settings = Settings(data_dir=tmp_path / "idx", chunk_chars=120, chunk_overlap=0)
    path = tmp_path / "models.csv"
    note = "A free-text summary of the model that runs well past the size of one chunk of the index. " * 3
    path.write_text(
        f"Model,Summary,Training time (hours)\nFalcon-180B,{note},1080\nQwen2-72B,{note},4000\n", encoding="utf-8"
    )
    loaded = load_document(path, settings)
    chunks = chunk_document("m", "h", loaded, settings)
    assert not any("1080" in c.text and c.text.startswith("Model:") for c in chunks)  # the field is cut away
    doc = Document(
        id="m", title="models", source_path=str(path), kind="csv", language="en", chunks=len(chunks),
        chars=len(loaded.text), content_hash="h", ingested_at=datetime(2025, 1, 1),
    )  # fmt: skip
    report = check_text(claim, retriever=_FirstChunks(doc, chunks, loaded.text), settings=settings)  # type: ignore[arg-type]
    assert report.overall == verdict, report.claims[0].reason
    if value is not None:
        judged = next(c for c in report.claims if c.verdict == verdict)
        assert judged.source_figure is not None and judged.source_figure.value == pytest.approx(value)
