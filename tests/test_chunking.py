"""Chunking: exact spans, sentence-aligned boundaries and overlap, pages and rows never crossed, stable ids."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from assistant.errors import DocumentError
from assistant.ingest.chunking import chunk_document, chunk_id
from assistant.ingest.ignore import iter_files
from assistant.ingest.loaders import load_document
from assistant.models import Chunk, LoadedDocument, PageSpan, RowSpan
from assistant.settings import DENSE_CSV_ROWS, Settings
from assistant.text import split_sentences

CORPUS = Path(__file__).resolve().parent / "data" / "corpus"
SHARED_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"


def _settings(tmp_path: Path, chars: int = 100, overlap: int = 40) -> Settings:
    return Settings(data_dir=tmp_path / "idx", chunk_chars=chars, chunk_overlap=overlap)


def check_invariants(doc: LoadedDocument, chunks: list[Chunk], settings: Settings, doc_id: str = "d") -> None:
    """What every chunking of every document must satisfy."""
    text = doc.text
    assert [c.ordinal for c in chunks] == list(range(len(chunks)))
    assert len({c.id for c in chunks}) == len(chunks)
    for c in chunks:
        assert c.text == text[c.start : c.end]
        assert c.text and c.text == c.text.strip()
        assert c.doc_id == doc_id
        short_csv = doc.kind == "csv" and len(doc.rows) <= settings.dense_csv_rows
        assert c.dense == (doc.kind in settings.dense_kinds or short_csv)
        if doc.pages:
            [page] = [
                p for p in doc.pages if p.start <= c.start and c.end <= p.end
            ]  # inside exactly one page
            assert c.page == page.page
        else:
            assert c.page is None
        if doc.rows:
            [row] = [r for r in doc.rows if r.start <= c.start and c.end <= r.end]
            assert c.row == row.row
        else:
            assert c.row is None
    # nothing is lost: every non-space character lies in some chunk
    covered = bytearray(len(text))
    for c in chunks:
        covered[c.start : c.end] = b"\x01" * (c.end - c.start)
    assert all(covered[i] or text[i].isspace() for i in range(len(text)))


@pytest.mark.parametrize(("chars", "overlap"), [(100, 40), (500, 60), (100, 0)])
def test_invariants_on_test_corpus(tmp_path: Path, chars: int, overlap: int) -> None:
    settings = _settings(tmp_path, chars, overlap)
    files = list(iter_files([CORPUS]))
    assert len(files) == 7
    for path in files:
        doc = load_document(path, settings)
        check_invariants(doc, chunk_document("d", "h", doc, settings), settings)


def test_pdf_chunks_exact(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    doc = load_document(CORPUS / "report.pdf", settings)
    chunks = chunk_document("doc1", "hash1", doc, settings)
    assert [(c.page, c.text) for c in chunks] == [
        (1, "Tiny Test Report"),
        (
            1,
            "The cluster used 2,048 H800 GPUs for the pre-training stage, which ran for 2.788M GPU hours in total, "
            "i.e. about two months of wall-clock time.",
        ),
        (
            1,
            "See Fig. 3 for the breakdown of costs across the stages of the interconnect and the training run, "
            "where the interconnect was NVLink.",
        ),
        (1, "Prices are quoted in U.S. dollars."),
        # the heading goes with the text it introduces, not at the end of the previous chunk
        (
            1,
            "2 Method\n\nWe train a mixture-of-experts model with 671B parameters, of which only 37B are activated "
            "for each token; the design keeps inference cheap.",
        ),
        (2, "The second page reports the wall-clock totals."),
        (2, "The training cost $5.576M, assuming a rental price of $2 per GPU hour.\n\nStage Hours Cost"),
        (2, "Stage Hours Cost\nPre-training 2664K $5.328M"),  # overlap: the previous chunk's last line
    ]
    first = chunks[0]
    assert (first.start, first.end) == (0, 16)
    assert first.id == hashlib.sha1(b"doc1:hash1:0:16").hexdigest()[:24] == chunk_id("doc1", "hash1", 0, 16)
    assert all(c.dense for c in chunks)


def test_chinese_chunks_exact(tmp_path: Path) -> None:
    settings = _settings(tmp_path, 100, 40)
    doc = load_document(CORPUS / "zh" / "deepseek_utf8.txt", settings)
    chunks = chunk_document("d", "h", doc, settings)
    assert [(c.start, c.end, c.text) for c in chunks] == [
        (
            0,
            111,
            "DeepSeek冲击波\n\n\u3000\u30002025年1月，DeepSeek发布了R1模型。分析师说：“这是一次效率革命。”"
            "英伟达股价随后大跌17%。\n\n\u3000\u3000据报道，V3的训练只用了2048块H800芯片；总成本约为557.6万美元……",
        ),
        (
            72,
            138,
            "据报道，V3的训练只用了2048块H800芯片；总成本约为557.6万美元……这一数字引发了广泛讨论！业内人士问：成本真的这么低吗？",
        ),
    ]


def test_csv_one_chunk_per_row_and_long_rows_split(tmp_path: Path) -> None:
    settings = _settings(tmp_path, 100, 40)
    doc = load_document(CORPUS / "chips.csv", settings)
    chunks = chunk_document("d", "h", doc, settings)
    assert [c.row for c in chunks] == [1, 2, 3, 3, 3, 3, 3]
    assert chunks[0].text == doc.text[doc.rows[0].start : doc.rows[0].end]  # 156 chars <= 2 x target: whole
    assert (
        chunks[2].text
        == "Hardware name: TPU v5p; Manufacturer: Google; Memory (GB): 95; Release date: 2023-12-06;"
    )
    assert chunks[3].text.startswith("Notes: Long free-text note")
    assert all(len(c.text) <= 100 for c in chunks[2:])


@pytest.mark.parametrize(
    ("dense_csv_rows", "dense_kinds", "dense"),
    [
        (DENSE_CSV_ROWS, ["pdf", "html", "markdown", "text"], True),  # a short CSV's rows get vectors (the default)
        (3, ["pdf", "html", "markdown", "text"], True),  # chips.csv has exactly 3 rows
        (2, ["pdf", "html", "markdown", "text"], False),  # a longer CSV is found by its words only
        (0, ["pdf", "html", "markdown", "text"], False),
        (0, ["csv"], True),  # csv among the dense kinds: every CSV, whatever its length
    ],
)
def test_csv_rows_dense_when_the_file_is_short(
    tmp_path: Path, dense_csv_rows: int, dense_kinds: list[str], dense: bool
) -> None:
    settings = Settings(
        data_dir=tmp_path / "idx", chunk_chars=100, chunk_overlap=40, dense_csv_rows=dense_csv_rows,
        dense_kinds=dense_kinds,  # type: ignore[arg-type]
    )
    chunks = chunk_document("d", "h", load_document(CORPUS / "chips.csv", settings), settings)
    assert len(chunks) == 7
    assert [c.dense for c in chunks] == [dense] * 7


def _doc(text: str, **kw: object) -> LoadedDocument:
    return LoadedDocument(text=text, kind="text", title="t", **kw)  # type: ignore[arg-type]


def test_overlap_is_whole_trailing_sentences(tmp_path: Path) -> None:
    settings = _settings(tmp_path, 100, 40)
    text = " ".join(f"Sentence number {i} is here." for i in range(1, 13))  # 27-28 chars each
    chunks = chunk_document("d", "h", _doc(text), settings)
    starts = {a for a, _ in split_sentences(text)}
    ends = {b for _, b in split_sentences(text)}
    for prev, nxt in zip(chunks, chunks[1:], strict=False):
        assert nxt.start in starts and prev.end in ends
        assert 0 < prev.end - nxt.start <= 40  # overlap of whole sentences within the budget
    assert all(len(c.text) <= 100 for c in chunks)
    assert (
        chunks[0].text == "Sentence number 1 is here. Sentence number 2 is here. Sentence number 3 is here."
    )
    assert chunks[1].text.startswith("Sentence number 3 is here. Sentence number 4")


def test_no_overlap_when_disabled(tmp_path: Path) -> None:
    settings = _settings(tmp_path, 100, 0)
    text = " ".join(f"Sentence number {i} is here." for i in range(1, 13))
    chunks = chunk_document("d", "h", _doc(text), settings)
    assert all(prev.end < nxt.start for prev, nxt in zip(chunks, chunks[1:], strict=False))


@pytest.mark.parametrize(
    ("text", "max_len"),
    [
        (" ".join(["alpha"] * 200) + ".", 100),  # 1200-char sentence: cut at spaces
        ("训练" * 300 + "。", 100),  # no spaces at all: cut between Chinese characters
        ("x" * 450, 100),  # nothing to cut at: hard cut at the target
    ],
)
def test_over_long_sentence_is_cut(tmp_path: Path, text: str, max_len: int) -> None:
    settings = _settings(tmp_path, 100, 40)
    doc = _doc(text)
    chunks = chunk_document("d", "h", doc, settings)
    check_invariants(doc, chunks, settings)
    assert len(chunks) > 1 and all(len(c.text) <= max_len for c in chunks)
    if " " in text:
        assert all(not c.text.startswith("lpha") for c in chunks)  # never inside a word


def test_sentence_up_to_twice_the_target_stays_whole(tmp_path: Path) -> None:
    settings = _settings(tmp_path, 100, 40)
    sentence = "word " * 38 + "end."  # 194 chars
    chunks = chunk_document("d", "h", _doc(sentence), settings)
    assert [c.text for c in chunks] == [sentence]


def test_pages_are_never_crossed(tmp_path: Path) -> None:
    settings = _settings(tmp_path, 500, 60)
    page1, page2 = "Short page one.", "Short page two. It continues."
    text = page1 + "\n\n" + page2
    doc = LoadedDocument(
        text=text,
        kind="pdf",
        title="t",
        pages=[PageSpan(page=1, start=0, end=15), PageSpan(page=2, start=17, end=len(text))],
    )
    chunks = chunk_document("d", "h", doc, settings)
    assert [(c.page, c.text) for c in chunks] == [(1, page1), (2, page2)]


def test_empty_pages_and_rows_yield_no_chunks(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    doc = LoadedDocument(
        text="a: 1\n\nb: 2",
        kind="csv",
        title="t",
        rows=[RowSpan(row=1, start=0, end=4), RowSpan(row=3, start=6, end=10)],
    )
    assert [(c.row, c.text) for c in chunk_document("d", "h", doc, settings)] == [(1, "a: 1"), (3, "b: 2")]


def test_ids_are_stable_and_depend_on_content_hash(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    doc = load_document(CORPUS / "brief.md", settings)
    first = [c.id for c in chunk_document("d", "h1", doc, settings)]
    assert first == [c.id for c in chunk_document("d", "h1", doc, settings)]
    assert not set(first) & {c.id for c in chunk_document("d", "h2", doc, settings)}


_PIECES = st.sampled_from(
    [
        "Hello world",
        "2.788M GPU hours",
        "e.g.",
        "U.S.",
        "。",
        "！",
        ". ",
        "? ",
        "\n",
        "\n\n",
        "  ",
        "训练成本",
        "”",
        "# H",
        "- item",
        "x" * 30,
    ]
)


@hsettings(max_examples=300, deadline=None, derandomize=True)
@given(
    parts=st.lists(_PIECES, max_size=80),
    chars=st.sampled_from([100, 150]),
    overlap=st.sampled_from([0, 40, 90]),
)
def test_invariants_hold_for_any_text(parts: list[str], chars: int, overlap: int) -> None:
    text = "".join(parts)
    settings = Settings(data_dir=Path("unused"), chunk_chars=chars, chunk_overlap=overlap)
    doc = _doc(text)
    chunks = chunk_document("d", "h", doc, settings)
    check_invariants(doc, chunks, settings)
    # a sentence up to twice the target stays whole, and a short heading may lead it
    assert all(len(c.text) <= 2 * chars + chars // 2 for c in chunks)


@pytest.mark.slow
def test_invariants_on_shared_corpus(tmp_path: Path) -> None:
    if not SHARED_CORPUS.is_dir():
        pytest.skip("../shared/corpus is not present")
    settings = Settings(data_dir=tmp_path / "idx")
    kinds: dict[str, int] = {}
    for path in iter_files([SHARED_CORPUS]):
        try:
            doc = load_document(path, settings)
        except DocumentError as exc:  # pragma: no cover - reported with the file name
            pytest.fail(f"{path.name}: {exc}")
        check_invariants(doc, chunk_document("d", "h", doc, settings), settings)
        kinds[doc.kind] = kinds.get(doc.kind, 0) + 1
    assert kinds == {"text": 1, "csv": 5, "markdown": 39, "pdf": 8}


TABLE_DOC = (
    "# Library\n\nIntro.\n\n## Performance\n\n```bash\n# not a heading\n```\n\n### Low-latency kernels\n\n"
    "| EP | Latency |\n|:--:|:--:|\n| 8 | 77 us |\n| 64 | 173 us |\n\nAfter the table.\n"
)


@pytest.mark.parametrize(
    ("at", "context"),
    [
        ("| 64 | 173 us |", "Library\nPerformance\nLow-latency kernels\n| EP | Latency |"),  # a row below the header
        ("| 8 | 77 us |", "Library\nPerformance\nLow-latency kernels\n| EP | Latency |"),
        ("| EP | Latency |", ""),  # the chunk starts at the header row itself
        ("After the table.", ""),  # prose
        ("Intro.", ""),
    ],
)
def test_table_context(at: str, context: str) -> None:
    from assistant.ingest.chunking import table_context

    assert table_context(TABLE_DOC, TABLE_DOC.index(at)) == context


def test_table_context_of_a_headingless_table_is_its_header() -> None:
    from assistant.ingest.chunking import table_context

    text = "| 模型 | 得分 |\n|---|---|\n| A | 1 |\n| B | 2 |"
    assert table_context(text, text.index("| B")) == "| 模型 | 得分 |"
