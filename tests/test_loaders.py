"""Loaders: exact text, titles, dates, page and row spans; bad files fail with a clear reason; ignore rules."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from assistant.errors import DocumentError, NotFoundError, UnsupportedTypeError
from assistant.ingest.ignore import iter_files
from assistant.ingest.loaders import date_from_name, load_document, parse_front_matter
from assistant.settings import Settings

DATA = Path(__file__).resolve().parent / "data"
CORPUS = DATA / "corpus"
BAD = DATA / "bad"
SHARED_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path / "idx")


def test_generated_files_are_up_to_date() -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_data", DATA / "make_data.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    for name, data in module.generated_files().items():
        assert (DATA / name).read_bytes() == data, f"run tests/data/make_data.py ({name} differs)"


# --- PDF ----------------------------------------------------------------------------------------------

PAGE_1 = (
    "Tiny Test Report\n"
    "The cluster used 2,048 H800 GPUs for the pre-training stage, which ran for 2.788M GPU hours in total, i.e. "
    "about two months of wall-clock time. See Fig. 3 for the breakdown of costs across the stages of the "
    "interconnect and the training run, where the interconnect was NVLink. Prices are quoted in U.S. dollars."
    "\n\n2 Method\n\n"
    "We train a mixture-of-experts model with 671B parameters, of which only 37B are activated for each token; "
    "the design keeps inference cheap."
)
PAGE_2 = (
    "The second page reports the wall-clock totals. The training cost $5.576M, assuming a rental price of $2 per "
    "GPU hour.\n\nStage Hours Cost\nPre-training 2664K $5.328M"
)


def test_pdf_text_pages_title_date(settings: Settings) -> None:
    doc = load_document(CORPUS / "report.pdf", settings)
    assert doc.kind == "pdf"
    assert doc.text == PAGE_1 + "\n\n" + PAGE_2
    assert [(p.page, p.start, p.end) for p in doc.pages] == [
        (1, 0, len(PAGE_1)),
        (2, len(PAGE_1) + 2, len(doc.text)),
    ]
    assert doc.text[doc.pages[1].start : doc.pages[1].end] == PAGE_2
    assert doc.title == "Tiny Test Report"  # from the metadata
    assert doc.date == "2025-01-15"  # the metadata creation date
    assert doc.language == "en"


def test_pdf_title_falls_back_to_first_line(settings: Settings) -> None:
    doc = load_document(BAD / "untitled.pdf", settings)  # metadata title is "untitled"
    assert doc.title == "The second page reports the wall-clock totals. The training cost $5.576M, assuming"
    assert doc.date is None
    assert [(p.page, p.start, p.end) for p in doc.pages] == [(1, 0, len(PAGE_2))]


# --- HTML, Markdown, text, CSV -----------------------------------------------------------------------


def test_html_main_text_title_date_url(settings: Settings) -> None:
    doc = load_document(CORPUS / "news.html", settings)
    assert doc.kind == "html"
    assert doc.title == "Chip stocks slide after DeepSeek release"
    assert doc.date == "2025-01-28"
    assert doc.url == "https://news.example.com/2025/01/28/chip-stocks-deepseek"
    assert doc.text.split("\n\n") == [
        "Chip stocks slide after DeepSeek release",
        "Nvidia shares fell 17% on Monday, wiping out about $589 billion of market value, after the Chinese lab "
        "DeepSeek showed a model trained for a fraction of the usual cost.",
        "DeepSeek said its V3 model needed 2.788M H800 GPU hours. Analysts at several U.S. banks questioned "
        "whether the figure covered research runs.",
        "Some investors argued that cheaper training would raise demand for inference chips instead.",
    ]
    assert "Copyright" not in doc.text and "Markets" not in doc.text and "analytics" not in doc.text


def test_html_falls_back_to_body_text(tmp_path: Path, settings: Settings) -> None:
    page = tmp_path / "tiny.htm"
    page.write_text("<html><head><title>Tiny</title></head><body><p>H20 ships.</p></body></html>", "utf-8")
    doc = load_document(page, settings)
    assert (doc.text, doc.title, doc.date) == ("H20 ships.", "Tiny", None)


def test_html_deeply_nested_does_not_crash(tmp_path: Path, settings: Settings) -> None:
    page = tmp_path / "deep.html"
    page.write_text(
        "<html><body>" + "<div>" * 50_000 + "lost" + "</div>" * 50_000 + "</body></html>", "utf-8"
    )
    with pytest.raises(DocumentError, match="^no text in HTML page$"):
        load_document(page, settings)


def test_markdown_front_matter(settings: Settings) -> None:
    doc = load_document(CORPUS / "brief.md", settings)
    assert (doc.kind, doc.title, doc.date, doc.language) == (
        "markdown",
        "DeepSeek-V3 cost brief",
        "2025-01-27",
        "en",
    )
    assert doc.url == "https://example.org/briefs/deepseek-v3"
    assert doc.text.startswith("# Training cost\n\nDeepSeek-V3 was trained on 14.8T tokens.")
    assert doc.text.endswith("Version 3.2 of the model followed in September.\n")
    assert "---" not in doc.text


@pytest.mark.parametrize(
    ("content", "title"),
    [
        ("# Fire-Flyer File System ##\n\nText.", "Fire-Flyer File System"),
        ('<div align="center"><img src="logo.svg"/></div>\n\n# DeepGEMM\n\nText.', "DeepGEMM"),
        ("Setext Title\n============\n\nText.", "Setext Title"),
        ("Some prose first.\n\n# Section\n", "My Notes_v2"),  # a later heading is a section, not the title
        ("---\ntitle: 'Quoted: yes'\n---\n# Heading\n", "Quoted: yes"),
    ],
)
def test_markdown_title(tmp_path: Path, settings: Settings, content: str, title: str) -> None:
    path = tmp_path / "My_Notes_v2.md"
    path.write_text(content, "utf-8")
    assert load_document(path, settings).title == title.replace("_", " ")


def test_parse_front_matter() -> None:
    block = 'title: "A: B"\nsource: https://x.org/a\n  nested: ignored\n# comment: no\ndate: 2025-01-27\nlanguage: zh-CN'
    assert parse_front_matter(block) == {
        "title": "A: B",
        "source": "https://x.org/a",
        "date": "2025-01-27",
        "language": "zh-CN",
    }


def test_gb18030_text(settings: Settings) -> None:
    doc = load_document(CORPUS / "zh" / "costs_gb18030.txt", settings)
    assert doc.kind == "text"
    assert doc.title == "成本说明"
    assert doc.language == "zh"
    assert doc.text == (
        "成本说明\n\n深度求索发布了DeepSeek-V3模型。该模型的训练共使用了278.8万H800 GPU小时！\n"
        "按每小时2美元计算，总成本约为557.6万美元。\n"
    )


def test_utf8_text_with_bom_and_crlf(tmp_path: Path, settings: Settings) -> None:
    path = tmp_path / "notes_2025年1月.txt"
    path.write_bytes("\ufeff英伟达财报\r\n\r\n收入增长。\r\n".encode())
    doc = load_document(path, settings)
    assert (doc.text, doc.title, doc.date, doc.language) == (
        "英伟达财报\n\n收入增长。\n",
        "英伟达财报",
        "2025-01",
        "zh",
    )


def test_long_first_line_is_not_a_title(tmp_path: Path, settings: Settings) -> None:
    path = tmp_path / "long_line.txt"
    path.write_text("word " * 40, "utf-8")
    assert load_document(path, settings).title == "long line"


CHIP_RECORDS = [
    "Hardware name: H800; Manufacturer: NVIDIA; Memory (GB): 80; Release date: 2023-03-21; Notes: China-market "
    "variant of the H100, with reduced NVLink bandwidth",
    "Hardware name: Ascend 910B; Manufacturer: Huawei; Memory (GB): 64",
    "Hardware name: TPU v5p; Manufacturer: Google; Memory (GB): 95; Release date: 2023-12-06; Notes: "
    + " ".join(["Long free-text note about pods and slices."] * 8),
]


def test_csv_records_and_rows(settings: Settings) -> None:
    doc = load_document(CORPUS / "chips.csv", settings)
    assert doc.kind == "csv"
    assert doc.title == "chips"
    assert doc.text == "\n".join(CHIP_RECORDS)  # BOM stripped, empty cells skipped, nothing truncated
    assert [(r.row, doc.text[r.start : r.end]) for r in doc.rows] == list(enumerate(CHIP_RECORDS, start=1))


@pytest.mark.parametrize(
    ("content", "records"),
    [
        ("a;b\n1;2\n", ["a: 1; b: 2"]),
        ("a\tb\n1\t2\n", ["a: 1; b: 2"]),
        ("name,,x\nn1,v,\n,,\nn2,,y\n", ["name: n1; Column 2: v", "name: n2; x: y"]),
    ],
)
def test_csv_dialects_and_blank_rows(
    tmp_path: Path, settings: Settings, content: str, records: list[str]
) -> None:
    path = tmp_path / "t.csv"
    path.write_text(content, "utf-8")
    doc = load_document(path, settings)
    assert doc.text == "\n".join(records)
    assert [doc.text[r.start : r.end] for r in doc.rows] == records


def test_csv_row_numbers_count_skipped_blank_rows(tmp_path: Path, settings: Settings) -> None:
    path = tmp_path / "t.csv"
    path.write_text("name,v\nA,1\n,\nB,2\n", "utf-8")
    assert [r.row for r in load_document(path, settings).rows] == [1, 3]


def test_large_csv_loads_quickly(tmp_path: Path, settings: Settings) -> None:
    path = tmp_path / "big.csv"
    header = ",".join(f"col{i}" for i in range(20))
    rows = "\n".join(",".join(f"r{r}c{c}" for c in range(20)) for r in range(12_000))
    path.write_text(header + "\n" + rows + "\n", "utf-8")
    start = time.perf_counter()
    doc = load_document(path, settings)
    assert len(doc.rows) == 12_000
    assert doc.text[doc.rows[-1].start : doc.rows[-1].end].startswith("col0: r11999c0; col1: r11999c1;")
    assert time.perf_counter() - start < 5  # generous: a regression to quadratic work would take minutes


# --- bad files ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("empty.txt", "empty file"),
        ("binary.txt", "binary file"),
        ("encrypted.pdf", "encrypted PDF"),
        ("no_text.pdf", "PDF has no extractable text (scanned images?)"),
        ("corrupt.pdf", "corrupt PDF (Failed to load document (PDFium: Data format error).)"),
    ],
)
def test_bad_files(settings: Settings, name: str, message: str) -> None:
    with pytest.raises(DocumentError) as info:
        load_document(BAD / name, settings)
    assert str(info.value) == message


def test_too_large_is_refused_before_reading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settings = Settings(data_dir=tmp_path / "idx", max_file_bytes=100)
    size = (CORPUS / "brief.md").stat().st_size
    monkeypatch.setattr(Path, "read_bytes", lambda self: pytest.fail("file was read"))
    with pytest.raises(DocumentError) as info:
        load_document(CORPUS / "brief.md", settings)
    assert str(info.value) == f"file too large: {size} bytes (limit 100)"


@pytest.mark.parametrize(
    ("limits", "message"),
    [
        ({"max_csv_columns": 4}, "CSV too wide: 5 columns (limit 4)"),
        ({"max_csv_rows": 2}, "CSV too long: more than 2 rows"),
    ],
)
def test_csv_limits(tmp_path: Path, limits: dict[str, int], message: str) -> None:
    settings = Settings(data_dir=tmp_path / "idx", **limits)
    with pytest.raises(DocumentError) as info:
        load_document(CORPUS / "chips.csv", settings)
    assert str(info.value) == message


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("whitespace.txt", b" \n\t\n", "no text in file"),
        (
            "latin1.txt",
            "caf\xe9 \xe0 la cr\xe8me".encode("latin-1"),
            "undecodable text (neither UTF-8 nor GB18030)",
        ),
        ("nul.md", b"# Title\x00\x00\x00", "binary file"),
        ("only_header.csv", b"a,b,c\n", "CSV has no data rows"),
        ("controls.txt", b"\x01\x02\x03\x04\x05 text \x06\x07\x08\x0e\x0f" * 20, "binary file"),
        ("utf16.txt", "英伟达".encode("utf-16"), None),
    ],
)
def test_bad_text_files(
    tmp_path: Path, settings: Settings, name: str, data: bytes, message: str | None
) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    if message is None:  # a control case: readable
        assert load_document(path, settings).text == "英伟达"
        return
    with pytest.raises(DocumentError) as info:
        load_document(path, settings)
    assert str(info.value) == message


def test_unreadable_path_is_a_document_error(tmp_path: Path, settings: Settings) -> None:
    folder = tmp_path / "folder.md"
    folder.mkdir()
    with pytest.raises(DocumentError, match="^cannot read file: Is a directory$"):
        load_document(folder, settings)


def test_unknown_suffix(tmp_path: Path, settings: Settings) -> None:
    path = tmp_path / "slides.pptx"
    path.write_bytes(b"PK")
    with pytest.raises(UnsupportedTypeError, match=r"^unsupported file type '\.pptx'"):
        load_document(path, settings)


@pytest.mark.parametrize(
    ("stem", "date"),
    [
        ("primeintellect_gpu_rental_prices_2025-10-19_to_2025-11-16", "2025-10-19"),
        ("epoch_notable_ai_models_2026-02", "2026-02"),
        ("FlashMLA_docs_20250422-new-kernel-deep-dive", "2025-04-22"),
        ("caixin_2025年1月_deepseek", "2025-01"),
        ("report_2025年1月27日", "2025-01-27"),
        ("caixin_2025_deepseek_nvidia_zh", None),
        ("DeepSeek-V3_README", None),
        ("model_202513", None),
        ("build_2025-13-01", None),
    ],
)
def test_date_from_name(stem: str, date: str | None) -> None:
    assert date_from_name(stem) == date


# --- iter_files and .assistantignore ------------------------------------------------------------------


def test_iter_files_honours_ignore_files() -> None:
    found = [p.relative_to(CORPUS).as_posix() for p in iter_files([CORPUS])]
    assert found == [
        "brief.md",
        "chips.csv",
        "news.html",
        "report.pdf",
        "sub/KEEP_LICENSE.md",  # re-included by sub/.assistantignore ("!KEEP_LICENSE.md")
        "zh/costs_gb18030.txt",
        "zh/deepseek_utf8.txt",
    ]  # not: MODEL_LICENSE.txt, SOURCES.md, drafts/, sub/OTHER_LICENSE.txt, settings.json


def test_iter_files_explicit_file_is_yielded_even_if_ignored_and_once() -> None:
    license_file = CORPUS / "MODEL_LICENSE.txt"
    assert list(iter_files([license_file, CORPUS / "settings.json", license_file])) == [
        license_file,
        CORPUS / "settings.json",
    ]
    assert list(iter_files([CORPUS / "brief.md", CORPUS]))[:2] == [CORPUS / "brief.md", CORPUS / "chips.csv"]


def test_iter_files_skips_hidden_and_symlinked_dirs(tmp_path: Path) -> None:
    root = tmp_path / "docs"
    (root / ".git").mkdir(parents=True)
    (root / ".git" / "notes.md").write_text("x", "utf-8")
    (root / ".hidden.md").write_text("x", "utf-8")
    (root / "a").mkdir()
    (root / "a" / "B.MD").write_text("x", "utf-8")
    os.symlink(root, root / "a" / "loop")  # would recurse forever if followed
    assert [p.relative_to(root).as_posix() for p in iter_files([root])] == ["a/B.MD"]


def test_iter_files_missing_path(tmp_path: Path) -> None:
    with pytest.raises(NotFoundError, match="no such file or folder"):
        list(iter_files([tmp_path / "nope"]))


def test_shared_corpus_ignore_file_is_honoured() -> None:
    if not SHARED_CORPUS.is_dir():
        pytest.skip("../shared/corpus is not present")
    found = [p.relative_to(SHARED_CORPUS).as_posix() for p in iter_files([SHARED_CORPUS])]
    assert not [n for n in found if "LICENSE" in n or n.endswith("SOURCES.md")]
    assert found[:3] == [
        "articles/caixin_2025_deepseek_nvidia_zh.txt",
        "datasets/epoch_large_scale_ai_models_2026-02.csv",
        "datasets/epoch_ml_hardware_2025-11_talmolab.csv",
    ]


@pytest.mark.slow
def test_shared_deepseek_v3_pdf_cost_sentence_on_page_5(settings: Settings) -> None:
    pdf = SHARED_CORPUS / "deepseek" / "DeepSeek_V3.pdf"
    if not pdf.is_file():
        pytest.skip("../shared/corpus is not present")
    doc = load_document(pdf, settings)
    assert len(doc.pages) == 53
    assert doc.title == "DeepSeek-V3 Technical Report"
    sentence = "DeepSeek-V3 costs only 2.788M GPU hours for its full training."
    at = doc.text.index(sentence)
    assert [p.page for p in doc.pages if p.start <= at and at + len(sentence) <= p.end] == [5]
