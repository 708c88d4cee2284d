"""What a chunk is embedded and lexically indexed with (``assistant.ingest.context``): its title, the headings
above it and, inside a table, the table's caption and header row; the stored chunk itself never changes."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import assert_consistent

from assistant import Assistant
from assistant.ingest import context
from assistant.ingest.chunking import chunk_document
from assistant.ingest.context import CONTEXT_CHARS, represent
from assistant.ingest.loaders import load_document
from assistant.ingest.pipeline import _hash_file, _text_hash, document_id, embed_ahead
from assistant.ingest.versions import outdated_kinds, reembed_kinds
from assistant.models import Chunk
from assistant.settings import Settings
from assistant.text import tokenize

TITLE = "Model card"


def _chunk_at(text: str, starts_with: str) -> Chunk:
    """A chunk from where ``starts_with`` first occurs to the end of its paragraph."""
    a = text.index(starts_with)
    b = text.find("\n\n", a)
    b = len(text) if b < 0 else b
    return Chunk(id="c", doc_id="d", ordinal=0, text=text[a:b], start=a, end=b)


# (document text, where the chunk starts, the context lines after the title)
CASES = [
    # the H1 repeats the title and is left out; the rest is the chain outermost first
    ("# Model card\n\n## Evaluation\n\n### Base models\n\nIt was trained on 2T tokens.", "It was", ["Evaluation > Base models"]),
    # a sibling section closes the one before it
    ("## Training\n\n### Data\n\nWeb text.\n\n## Evaluation\n\nScores follow.", "Scores", ["Evaluation"]),
    # a chunk that starts with its heading carries no copy of it
    ("## Training\n\n### Data\n\nWeb text.", "### Data", ["Training"]),
    # a heading the chunk text already names is not repeated
    ("## Training data\n\nThe training data is 2T tokens.", "The training", []),
    # "#" lines in fenced code are comments, not headings
    ("## Usage\n\n```bash\n# install\npip install x\n```\n\nThen run it.", "Then run", ["Usage"]),
    # setext headings, links and emphasis reduced to words
    ("Results\n=======\n\n## [Base](#base) **models**\n\nMMLU 66.3.", "MMLU", ["Results > Base models"]),
    # "---" under a list item or a table row is no heading
    ("- item\n---\n\nText here.", "Text here", []),
    # a row inside a table gets the table's header row
    ("## Scores\n\n| Model | MMLU |\n|---|---|\n| A | 60.1 |\n| B | 70.2 |", "| B |", ["Scores", "| Model | MMLU |"]),
    # a chunk starting at the header row already has it
    ("## Scores\n\n| Model | MMLU |\n|---|---|\n| A | 60.1 |", "| Model |", ["Scores"]),
    # a one-line paragraph right above the table is its caption
    ("Table 2: base models.\n\n| Model | MMLU |\n|---|---|\n| A | 60.1 |\n| B | 70.2 |", "| B |", ["Table 2: base models.", "| Model | MMLU |"]),
    # the last line of a longer paragraph is not
    ("We compare\nthe base models.\n\n| Model | MMLU |\n|---|---|\n| A | 60.1 |\n| B | 70.2 |", "| B |", ["| Model | MMLU |"]),
    # rows without a rule line above are no table body
    ("| a | b |\n| c | d |", "| c |", []),
    # Chinese headings and headers the same way
    ("## 性能评测\n\n### 基座模型\n\n| 评测集 | InternLM2-7B |\n|---|---|\n| MMLU | 65.8 |\n| CMMLU | 66.2 |", "| CMMLU", ["性能评测 > 基座模型", "| 评测集 | InternLM2-7B |"]),
    # no headings: exactly the old representation, title and text
    ("Plain prose with 12 GPUs.", "Plain", []),
]


@pytest.mark.parametrize(("text", "start", "lines"), CASES)
def test_context_lines(text: str, start: str, lines: list[str]) -> None:
    chunk = _chunk_at(text, start)
    (rep,) = represent(TITLE, text, [chunk])
    assert rep.prefix == "\n".join([TITLE, *lines])
    assert rep.text == chunk.text
    assert rep.embedded == f"{rep.prefix}\n{chunk.text}"


def test_context_is_capped_innermost_heading_and_header_kept() -> None:
    chain = "".join(f"{'#' * (i + 2)} Section number {i} with a rather long descriptive name\n\n" for i in range(4))
    header = "| Model | " + " | ".join(f"Benchmark {i}" for i in range(20)) + " |"
    text = f"{chain}{header}\n|---|\n| A | 1 |\n| B | 2 |"
    (rep,) = represent(TITLE, text, [_chunk_at(text, "| B |")])
    lines = rep.prefix.split("\n")[1:]
    assert len("\n".join(lines)) <= CONTEXT_CHARS
    assert lines[0] == "Section number 3 with a rather long descriptive name"
    assert lines[1] == "| Model | " + " | ".join(f"Benchmark {i}" for i in range(9)) + " |"


CARD = """# Model card

## Architecture

The model is a decoder-only transformer. It was trained on 2T tokens of web text and code in total.

## Evaluation

| Benchmark | Small | Large |
|---|---|---|
""" + "".join(f"| Task {i} | {40 + i}.1 | {60 + i}.2 |\n" for i in range(40))


def _settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path / "idx", embedder="hash", chunk_chars=300, chunk_overlap=0)


def _card_folder(tmp_path: Path) -> tuple[Path, Settings]:
    """A folder holding the model card, and settings for an index beside it."""
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "card.md").write_text(CARD, encoding="utf-8")
    return docs, _settings(tmp_path)


def test_stored_chunks_unchanged_and_rows_found_by_their_header(tmp_path: Path) -> None:
    docs, settings = _card_folder(tmp_path)
    loaded = load_document(docs / "card.md", settings)
    cut = chunk_document("d", "h", loaded, settings)
    with Assistant.open(settings=settings) as a:
        a.ingest([docs])
        (doc,) = a.documents()
        stored = [(c, t) for c, t in a.index.registry.chunks_for([doc.id])]
        rows = a.index.registry.chunk_rows(c.id for c, _ in stored)
        # the same spans and texts as the chunker cut, each the document text at its offsets
        assert [(rows[c.id].start, rows[c.id].end, rows[c.id].text) for c, _ in stored] == [
            (c.start, c.end, c.text) for c in cut
        ]
        assert_consistent(a)
        # the lexical tokens stay title + text; the vector is the one of the text with its context
        row = next(c for c, _ in stored if rows[c.id].text.startswith("| Task 3"))
        assert dict((c.id, t) for c, t in stored)[row.id] == " ".join(tokenize("Model card") + tokenize(rows[row.id].text))
        (rep,) = represent(doc.title, a.index.document_text(doc.id), [rows[row.id]])
        assert rep.prefix == "Model card\nEvaluation\n| Benchmark | Small | Large |"
        assert _stored_vector(a, row.id) == pytest.approx(a.index.embedder.embed_passages([rep.embedded])[0])


def _stored_vector(a: Assistant, chunk_id: str) -> list[float]:
    got = a.index.vectors._collection.get(ids=[chunk_id], include=["embeddings"])
    return [float(x) for x in got["embeddings"][0]]


def test_embed_ahead_fills_the_cache_ingest_uses(tmp_path: Path) -> None:
    docs, settings = _card_folder(tmp_path)
    with Assistant.open(settings=settings) as a:
        computed = embed_ahead(a.index, docs / "card.md")
        report = a.ingest([docs])
    assert computed == report.chunks_added
    assert report.chunks_embedded == 0


def test_embedded_texts_are_the_cache_keys(tmp_path: Path) -> None:
    docs, settings = _card_folder(tmp_path)
    loaded = load_document(docs / "card.md", settings)
    chunks = chunk_document(document_id(docs / "card.md"), _hash_file(docs / "card.md"), loaded, settings)
    texts = [r.embedded for r in represent(loaded.title, loaded.text, chunks)]
    with Assistant.open(settings=settings) as a:
        a.ingest([docs])
        cached = a.index.registry.cached_vectors([_text_hash(t) for t in texts])
    assert len(cached) == len(set(texts)) == len(chunks)


def test_changed_context_reembeds_unchanged_chunks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An index whose chunks were embedded with the title only: the next ingest of the same folder re-indexes
    its documents with the same spans, embedding only the chunks whose text now has a context (the others' vectors
    come from the cache); the ingest after that is a no-op."""
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "card.md").write_text(CARD, encoding="utf-8")
    (docs / "plain.txt").write_text("Plain notes on 12 GPUs.\n", encoding="utf-8")
    settings = _settings(tmp_path)

    def titled_only(title: str, text: str, chunks: list[Chunk]) -> list[context.Represented]:
        return [context.Represented(prefix=title, text=c.text) for c in chunks]

    with monkeypatch.context() as before:
        before.setattr(context, "CONTEXT_VERSION", 0)
        before.setattr(context, "represent", titled_only)
        with Assistant.open(settings=settings) as a:
            a.ingest([docs])
            (card,) = [d for d in a.documents() if d.kind == "markdown"]
            spans = [(c.start, c.end) for c, _ in a.index.registry.chunks_for([card.id])]
    with Assistant.open(settings=settings) as a:
        assert reembed_kinds(a.index) == {"markdown", "text", "pdf", "html", "csv"}
        again = a.ingest([docs])
        assert (again.updated, again.unchanged) == (2, 0)
        rows = a.index.registry.chunk_rows(c.id for c, _ in a.index.registry.chunks_for([card.id]))
        assert sorted((c.start, c.end) for c in rows.values()) == spans
        reps = represent(card.title, a.index.document_text(card.id), sorted(rows.values(), key=lambda c: c.start))
        assert again.chunks_embedded == sum(r.prefix != card.title for r in reps) == len(spans) - 1
        for chunk, rep in zip(sorted(rows.values(), key=lambda c: c.start), reps, strict=True):
            assert _stored_vector(a, chunk.id) == pytest.approx(a.index.embedder.embed_passages([rep.embedded])[0])
        assert_consistent(a)
        assert outdated_kinds(a.index) == reembed_kinds(a.index) == set()
        third = a.ingest([docs])
        assert (third.updated, third.unchanged, third.chunks_embedded) == (0, 2, 0)
