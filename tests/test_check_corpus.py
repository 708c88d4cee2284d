"""The checker on real documents of ../shared/corpus, with a retriever that hands over every chunk.

Retrieval quality is the index's business; here every chunk is evidence, so these tests pin down the
"same quantity" test and the verdicts on real, messy text (Markdown tables, bold figures, Chinese news).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from assistant.check import check_text
from assistant.models import Chunk, Document, Passage, SearchFilters
from assistant.settings import Settings

pytestmark = pytest.mark.slow  # reads the shared corpus and judges every chunk (about 20 s)

FILES = {
    "caixin": "articles/caixin_2025_deepseek_nvidia_zh.txt",
    "v3": "deepseek/DeepSeek-V3_README.md",
    "v2": "deepseek/DeepSeek-V2_README.md",
    "llama4": "other_labs/Llama_llama4_MODEL_CARD.md",
    "llama3": "other_labs/Llama_llama3_MODEL_CARD.md",
}
CHUNK = 500


class AllChunks:
    """A retriever that returns every chunk of its documents (minus excluded ones), in document order."""

    def __init__(self, root: Path) -> None:
        self.texts = {d: (root / p).read_text(encoding="utf-8") for d, p in FILES.items()}
        self.docs = {
            d: Document(
                id=d, title=Path(p).stem, source_path=p, kind="text", language="unknown", chunks=1,
                chars=len(self.texts[d]), content_hash=d, ingested_at=datetime(2025, 1, 1),
            )
            for d, p in FILES.items()
        }  # fmt: skip
        self.chunks = [
            Chunk(
                id=f"{d}#{i}", doc_id=d, ordinal=i, text=t[s : s + CHUNK], start=s, end=min(len(t), s + CHUNK)
            )
            for d, t in self.texts.items()
            for i, s in enumerate(range(0, len(t), CHUNK))
        ]

    def search(self, query: str, *, k: int = 8, filters: SearchFilters | None = None) -> list[Passage]:
        excluded = set(filters.exclude_doc_ids or []) if filters else set()
        return [
            Passage(chunk=c, document=self.docs[c.doc_id], score=1.0)
            for c in self.chunks
            if c.doc_id not in excluded
        ]

    def document(self, doc_id: str) -> Document:
        return self.docs[doc_id]

    def document_text(self, doc_id: str) -> str:
        return self.texts[doc_id]

    def documents(self) -> list[Document]:
        return list(self.docs.values())


@pytest.fixture(scope="module")
def retriever() -> AllChunks:
    root = Path(__file__).resolve().parents[2] / "shared" / "corpus"
    if not root.is_dir():
        pytest.skip("../shared/corpus is not present")
    return AllChunks(root)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path)


# (claim, expected verdict, the source's value when contradicted, the document it must cite)
CLAIMS = [
    ("DeepSeek-V3 required 2.788M H800 GPU hours for its full training.", "supported", None, "v3"),
    ("DeepSeek-V3 required 3.2M H800 GPU hours for its full training.", "contradicted", 2.788e6, "v3"),
    ("DeepSeek-V2 reduces the KV cache by 63.3%.", "contradicted", 0.933, "v2"),
    ("DeepSeek-V2 saves 42.5% of training costs compared with DeepSeek 67B.", "supported", None, "v2"),
    ("Llama 4 training used 7.38M GPU hours.", "supported", None, "llama4"),  # bold figure, table below it
    ("Llama 4 Maverick training used 2.38M GPU hours.", "supported", None, "llama4"),  # a table row
    ("Llama 4 Scout training used 6.0M GPU hours.", "contradicted", 5.0e6, "llama4"),
    ("Llama 3 pretraining used 7.7M GPU hours.", "supported", None, "llama3"),
    ("Llama 3.1 pretraining used 7.7M GPU hours.", "unverifiable", None, None),  # Llama 3's figure, not 3.1's
    ("英伟达数据中心收入高达412亿美元。", "contradicted", 5.12e10, "caixin"),
    ("华为昇腾系列在政府主导的智算中心招标中拿下了近60%的市场份额。", "contradicted", 0.8, "caixin"),
    ("寒武纪在2025年一季度营收激增逾40倍。", "supported", None, "caixin"),
    ("Meta raised $50 billion for AI data centers in 2025.", "unverifiable", None, None),
]


@pytest.mark.parametrize(("claim", "verdict", "value", "doc"), CLAIMS)
def test_claims_on_real_documents(
    claim: str, verdict: str, value: float | None, doc: str | None, retriever: AllChunks, settings: Settings
) -> None:
    report = check_text(claim, retriever=retriever, settings=settings)
    assert report.overall == verdict
    judged = next(c for c in report.claims if c.verdict == verdict)
    if value is not None:
        assert judged.source_figure is not None
        assert judged.source_figure.value == pytest.approx(value)
    if doc is not None:
        assert judged.evidence[0].doc_id == doc
        cite = judged.evidence[0]
        assert retriever.texts[doc][cite.start : cite.end] == cite.quote


def test_caixin_article_against_the_other_documents(retriever: AllChunks, settings: Settings) -> None:
    text = retriever.texts["caixin"]
    report = check_text(text, retriever=retriever, settings=settings, exclude_sources=["caixin_2025"])
    speedups = [a for a in report.arithmetic if a.relation == "speedup"]
    assert [(a.stated, round(a.computed, 2), a.consistent) for a in speedups] == [(700.0, 787.69, False)]
    by_figure = {c.figure.text: c for c in report.claims}
    assert by_figure["约14.8万亿Token"].verdict == "supported"
    assert by_figure["约278.8万GPU小时"].verdict == "supported"
    assert by_figure["6710亿参数"].verdict == "supported"
    assert all(c.evidence == [] or c.evidence[0].doc_id != "caixin" for c in report.claims)
    assert [c.figure.text for c in report.claims if c.verdict == "contradicted"] == []
