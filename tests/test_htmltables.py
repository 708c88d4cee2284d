"""HTML tables inside Markdown become pipe tables: exact output per case, then through a real ingest."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import assert_consistent

from assistant import Assistant
from assistant.ingest import chunking, htmltables, loaders
from assistant.ingest.htmltables import rewrite_html_tables, table_markdown
from assistant.ingest.versions import outdated_kinds
from assistant.settings import Settings

TABLES = [
    (
        "simple, first row is the header",
        "<table><tr><td>Model</td><td>MMLU</td></tr><tr><td>Llama 3 8B</td><td>66.6</td></tr></table>",
        "| Model | MMLU |\n| --- | --- |\n| Llama 3 8B | 66.6 |",
    ),
    (
        "th header in thead, tbody rows",
        "<table><thead><tr><th>Benchmark</th><th>Kimi K2</th></tr></thead>"
        "<tbody><tr><td>AIME 2025</td><td>49.5</td></tr></tbody></table>",
        "| Benchmark | Kimi K2 |\n| --- | --- |\n| AIME 2025 | 49.5 |",
    ),
    (
        "rowspan repeats the model name down the rows",
        '<table><tr><td></td><td>Params</td><td>Tokens</td></tr><tr><td rowspan="2">Llama 3</td><td>8B</td>'
        '<td rowspan="2">15T+</td></tr><tr><td>70B</td></tr></table>',
        "|  | Params | Tokens |\n| --- | --- | --- |\n| Llama 3 | 8B | 15T+ |\n| Llama 3 | 70B | 15T+ |",
    ),
    (
        "colspan repeats the cell across the columns",
        '<table><tr><th>Task</th><th>A</th><th>B</th><th>C</th></tr><tr><td>ChartQA</td>'
        '<td colspan="2">n/a</td><td>83.4</td></tr></table>',
        "| Task | A | B | C |\n| --- | --- | --- | --- |\n| ChartQA | n/a | n/a | 83.4 |",
    ),
    (
        "a full-width row is a section label, named once",
        "<table><tr><th>Task</th><th>A</th><th>B</th></tr><tr><td colspan=9><b>Coding</b></td></tr>"
        "<tr><td>OJBench</td><td>27.1</td><td>24.0</td></tr></table>",
        "| Task | A | B |\n| --- | --- | --- |\n| Coding |  |  |\n| OJBench | 27.1 | 24.0 |",
    ),
    (
        "stacked th rows merge into one header; a th section row stays a row",
        '<table><tr><th rowspan="2">Model</th><th colspan="2">Kernel</th></tr><tr><th>I2_S</th><th>TL1</th></tr>'
        '<tr><th colspan="3">Official</th></tr><tr><td>BitNet</td><td>&#9989;</td><td>&#10060;</td></tr></table>',
        "| Model | Kernel I2_S | Kernel TL1 |\n| --- | --- | --- |\n| Official |  |  |\n| BitNet | ✅ | ❌ |",
    ),
    (
        "inline tags stripped, entities decoded, br and p break words, sup kept apart from a figure",
        '<table><tr><th><sup>Qwen3</sup><br><sup>(non-thinking)</sup></th><th>Math &amp; STEM</th></tr>'
        '<tr><td><a href="x"><strong>85</strong>.7</a><sup>1</sup></td><td>Emissions<p>(tons)</td></tr></table>',
        "| Qwen3 (non-thinking) | Math & STEM |\n| --- | --- |\n| 85.7 1 | Emissions (tons) |",
    ),
    (
        "a star after a figure stays attached; comments are dropped; a bar is escaped",
        "<table><tr><td>Name</td><td>Score</td></tr><!--<tr><td>hidden</td></tr>-->"
        "<tr><td>a|b</td><td>72.7<sup>*</sup></td></tr></table>",
        "| Name | Score |\n| --- | --- |\n| a\\|b | 72.7* |",
    ),
    (
        "an unclosed td closes at the next cell; an unclosed tr at the next row",
        "<table><tr><td>Total<td>39.3M<td>11,390<tr><td>Llama<td>1.46M<td>420</table>",
        "| Total | 39.3M | 11,390 |\n| --- | --- | --- |\n| Llama | 1.46M | 420 |",
    ),
    (
        "a nested table's text joins the cell holding it",
        "<table><tr><td>Model</td><td>Notes</td></tr><tr><td>X</td>"
        "<td><table><tr><td>fast</td><td>small</td></tr></table></td></tr></table>",
        "| Model | Notes |\n| --- | --- |\n| X | fast small |",
    ),
    (
        "a rowspan past the last row stops at the table's end",
        '<table><tr><td>Cat</td><td>Lang</td></tr><tr><td rowspan="9">General</td><td>German</td></tr>'
        '<tr><td>Thai</td></tr></table>',
        "| Cat | Lang |\n| --- | --- |\n| General | German |\n| General | Thai |",
    ),
    (
        "a full-width row before the header is a line above the table",
        '<table><tr><td colspan="2">Download Models</td></tr><tr><td>Models</td><td>URL</td></tr>'
        "<tr><td>A52B</td><td>link</td></tr></table>",
        "Download Models\n\n| Models | URL |\n| --- | --- |\n| A52B | link |",
    ),
    (
        "a caption is a line above the table",
        "<table><caption>Results</caption><tr><th>Model</th><th>Score</th></tr><tr><td>M</td><td>1.5</td></tr></table>",
        "Results\n\n| Model | Score |\n| --- | --- |\n| M | 1.5 |",
    ),
    (
        "a row cut short by a rowspan above it still gets all its cells",
        '<table><tr><td rowspan="2">A</td><td>B</td></tr><tr><td>C</td><td>D</td></tr></table>',
        "| A | B |  |\n| --- | --- | --- |\n| A | C | D |",
    ),
    (
        "a one-column table (a boxed note) becomes paragraphs",
        "<table><tr><th>System Prompt</th></tr><tr><td>You are helpful.</td></tr></table>",
        "System Prompt\n\nYou are helpful.",
    ),
]


@pytest.mark.parametrize(("case", "html", "expected"), TABLES, ids=[t[0] for t in TABLES])
def test_table_markdown(case: str, html: str, expected: str) -> None:
    assert table_markdown(html) == expected


UNREADABLE = [
    ("no closing tag", "<table><tr><td>a</td></tr>"),
    ("no cells", "<table><tr></tr></table>"),
    ("only empty cells", "<table><tr><td> </td><td></td></tr></table>"),
    ("too wide", "<table><tr>" + "<td>x</td>" * (htmltables.MAX_COLUMNS + 1) + "</tr></table>"),
]


@pytest.mark.parametrize(("case", "html"), UNREADABLE, ids=[u[0] for u in UNREADABLE])
def test_unreadable_table_is_none(case: str, html: str) -> None:
    assert table_markdown(html) is None


REWRITES = [
    (
        "a table between paragraphs is set off by blank lines",
        "Intro text.\n<table><tr><td>A</td><td>B</td></tr><tr><td>1</td><td>2</td></tr></table>\nAfter.",
        "Intro text.\n\n| A | B |\n| --- | --- |\n| 1 | 2 |\n\nAfter.",
    ),
    (
        "two tables, the second with its own wrapper",
        '<table><tr><td>A</td><td>B</td></tr></table>\n\n<div align="center"><table><tr><td>C</td><td>D</td>'
        "</tr></table></div>\n",
        '| A | B |\n| --- | --- |\n\n<div align="center">\n\n| C | D |\n| --- | --- |\n\n</div>\n',
    ),
    (
        "an unclosed table is left as it was",
        "Text\n<table><tr><td>A</td><td>B</td>\nmore",
        "Text\n<table><tr><td>A</td><td>B</td>\nmore",
    ),
    (
        "a stray closing tag is left as it was",
        "Text </table> more",
        "Text </table> more",
    ),
    (
        "a table inside a code fence is an example, not content",
        "```html\n<table><tr><td>A</td><td>B</td></tr></table>\n```\n",
        "```html\n<table><tr><td>A</td><td>B</td></tr></table>\n```\n",
    ),
    (
        "a tag in inline code or a comment is prose; the table after it is still read",
        "Write `<table>` or <!-- <table> --> then:\n<table><tr><td>A</td><td>B</td></tr></table>",
        "Write `<table>` or <!-- <table> --> then:\n\n| A | B |\n| --- | --- |",
    ),
    (
        "no table: the very same text",
        "# Title\n\n| A | B |\n|---|---|\n| 1 | 2 |\n",
        "# Title\n\n| A | B |\n|---|---|\n| 1 | 2 |\n",
    ),
]


@pytest.mark.parametrize(("case", "text", "expected"), REWRITES, ids=[r[0] for r in REWRITES])
def test_rewrite_html_tables(case: str, text: str, expected: str) -> None:
    assert rewrite_html_tables(text) == expected


CARD = """# Model card

Benchmarks of the pretrained models.

<table>
  <tr><td><strong>Benchmark</strong></td><td><strong>Llama 3 8B</strong></td><td><strong>Llama 3 70B</strong></td></tr>
  <tr><td rowspan="1">MMLU (5-shot)</td><td>66.6</td><td>79.5</td></tr>
</table>

That is all.
"""
ROW = "| MMLU (5-shot) | 66.6 | 79.5 |"


def _settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path / "idx", embedder="hash")


def test_ingest_stores_pipe_rows(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "card.md").write_text(CARD, encoding="utf-8")
    with Assistant.open(settings=_settings(tmp_path)) as a:
        a.ingest([tmp_path / "docs"])
        (doc,) = a.documents()
        text = a.index.document_text(doc.id)
        assert "<td" not in text
        assert "| Benchmark | Llama 3 8B | Llama 3 70B |\n| --- | --- | --- |\n" + ROW in text
        assert ROW in a.search("MMLU 5-shot Llama 3 70B", k=1)[0].chunk.text


def test_changed_loader_reingests_unchanged_bytes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An index built by the loader before tables were rewritten: the next ingest of the same folder re-reads
    the Markdown files, re-indexes the one whose text changed and keeps the others; the one after that is a
    no-op again."""
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "card.md").write_text(CARD, encoding="utf-8")
    (docs / "plain.md").write_text("# Plain\n\nNo tables here, 12 GPUs.\n", encoding="utf-8")
    (docs / "notes.txt").write_text("Plain text notes.\n", encoding="utf-8")
    with monkeypatch.context() as old:
        old.setattr(htmltables, "rewrite_html_tables", lambda text: text)
        old.setattr(loaders, "LOADER_VERSIONS", {**loaders.LOADER_VERSIONS, "markdown": 1, "html": 1})
        with Assistant.open(settings=_settings(tmp_path)) as a:
            first = a.ingest([docs])
            assert (first.added, first.updated, first.unchanged) == (3, 0, 0)
            card = next(d for d in a.documents() if d.title == "Model card")
            assert "<table>" in a.index.document_text(card.id)
    with Assistant.open(settings=_settings(tmp_path)) as a:
        again = a.ingest([docs])
        assert (again.added, again.updated, again.unchanged) == (0, 1, 2)
        assert ROW in a.index.document_text(card.id)
        assert ROW in a.search("MMLU 5-shot Llama 3 70B", k=1)[0].chunk.text
        assert_consistent(a)
        third = a.ingest([docs])
        assert (third.added, third.updated, third.unchanged) == (0, 0, 3)


PROSE = "The pretrained models were evaluated on standard benchmarks with the internal library. " * 5 + "All scores follow."
SCORES = "| Model | MMLU |\n|---|---|\n| Llama 3 8B | 66.6 |\n| Llama 3 70B | 79.5 |\n"


def test_changed_chunker_reingests_unchanged_text(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Chunks cut by the chunker before a table's header row led its rows: the next ingest re-cuts them."""
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "scores.md").write_text(f"# Scores\n\n{PROSE.strip()}\n\n{SCORES}", encoding="utf-8")
    with monkeypatch.context() as old:
        old.setattr(chunking, "CHUNKING_VERSION", 1)
        old.setattr(chunking, "_is_heading", lambda text, span: text[span[0]] == "#")
        with Assistant.open(settings=_settings(tmp_path)) as a:
            a.ingest([docs])
            (doc,) = a.documents()
            rows = a.index.registry.chunk_rows(c.id for c, _ in a.index.registry.chunks_for([doc.id]))
            texts = [c.text for c in rows.values()]
            assert any(t.endswith("| Model | MMLU |\n|---|---|") for t in texts)  # the header cut from its rows
    with Assistant.open(settings=_settings(tmp_path)) as a:
        again = a.ingest([docs])
        assert (again.updated, again.unchanged) == (1, 0)
        rows = a.index.registry.chunk_rows(c.id for c, _ in a.index.registry.chunks_for([doc.id]))
        assert not any(t.text.endswith("|---|---|") for t in rows.values())
        assert [t.text for t in rows.values() if "79.5" in t.text] == [f"All scores follow.\n\n{SCORES.strip()}"]
        assert_consistent(a)


LONG_SCORES = "| Model | MMLU |\n|---|---|\n" + "".join(f"| Model-{i} | {50 + i}.5 |\n" for i in range(90))


def test_table_context_added_later_reindexes_unchanged_spans(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An index built before a chunk cut from inside a table carried the table's header row (same spans, other
    tokens and vectors): the next ingest re-indexes it, so its rows are found by the header's words."""
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "scores.md").write_text(f"# Scores\n\n{LONG_SCORES}", encoding="utf-8")
    with monkeypatch.context() as old:
        old.setattr(chunking, "CHUNKING_VERSION", chunking.CHUNKING_VERSION - 1)
        old.setattr(chunking, "table_context", lambda text, start: "")
        with Assistant.open(settings=_settings(tmp_path)) as a:
            a.ingest([docs])
            (doc,) = a.documents()
            before = [t for _, t in a.index.registry.chunks_for([doc.id])]
    assert len(before) > 1 and "mmlu" not in before[-1].lower()
    with Assistant.open(settings=_settings(tmp_path)) as a:
        again = a.ingest([docs])
        assert (again.updated, again.unchanged) == (1, 0)
        after = [t for _, t in a.index.registry.chunks_for([doc.id])]
        assert len(after) == len(before) and "mmlu" in after[-1].lower()
        assert_consistent(a)
        third = a.ingest([docs])
        assert (third.updated, third.unchanged) == (0, 1)


def test_a_folder_left_out_is_read_again_next_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    for folder in (first, second):
        folder.mkdir()
        (folder / "card.md").write_text(CARD, encoding="utf-8")
    with monkeypatch.context() as old:
        old.setattr(htmltables, "rewrite_html_tables", lambda text: text)
        old.setattr(loaders, "LOADER_VERSIONS", {**loaders.LOADER_VERSIONS, "markdown": 1})
        with Assistant.open(settings=_settings(tmp_path)) as a:
            a.ingest([first, second])
    with Assistant.open(settings=_settings(tmp_path)) as a:
        assert "markdown" in outdated_kinds(a.index)
        assert a.ingest([first]).updated == 1
        assert "markdown" in outdated_kinds(a.index)  # the card in b/ is still the old reading
        assert a.ingest([second]).updated == 1
        assert outdated_kinds(a.index) == set()
        assert a.ingest([first, second]).unchanged == 2


PAGE = b"""<html><head><title>Results</title></head><body><article><h1>Results</h1>
<p>Our new model was measured on several public benchmarks, and the results are shown in the table below.</p>
<table><tr><th>Model</th><th>MMLU</th></tr><tr><td>Big</td><td>80.1</td></tr><tr><td>Small</td><td>70.0</td></tr></table>
<p>That is all we have to say about the model for now; thank you for reading this short article today.</p>
</article></body></html>"""


def test_html_page_table_rows_stay_together() -> None:
    from assistant.ingest.html import extract_html

    text = extract_html(PAGE)[0]
    assert "\n\n| Model | MMLU |\n|---|---|\n| Big | 80.1 |\n| Small | 70.0 |\n\n" in text
