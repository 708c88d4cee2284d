"""Verdicts against a small fake index: supported, contradicted (with the source's figure), unverifiable."""

from __future__ import annotations

import pytest
from helpers import OneChunkRetriever

from assistant.check import check_text, render_markdown, render_text
from assistant.errors import InputError, TooLargeError
from assistant.settings import Settings

# Short sources written for these tests (facts from the corpus, our own wording). One chunk per document.
DOCS = {
    "v3": (
        "DeepSeek-V3 Technical Report",
        "deepseek/DeepSeek_V3.pdf",
        "Training DeepSeek-V3 took 2.788M H800 GPU hours for its full training. If renting an H800 costs "
        "$2 per GPU hour, the total training cost is only $5.576M. The pre-training of DeepSeek-V3 ran on "
        "14.8T tokens.",
    ),
    "v2": (
        "DeepSeek-V2 README",
        "deepseek/DeepSeek-V2_README.md",
        "Against DeepSeek 67B, DeepSeek-V2 saves 42.5% of training costs, cuts the KV cache by 93.3%, and "
        "lifts the maximum generation throughput to 5.76 times.",
    ),
    "llama4": (
        "Llama 4 model card",
        "other_labs/Llama_llama4_MODEL_CARD.md",
        "## Training\nModel pre-training used a cumulative 7.38M GPU hours on H100-80GB hardware.",
    ),
    "news": (
        "算力市场观察",
        "zh/market_news.md",
        "2024年上半年，H100的算力租金一度涨到每小时4.5美元以上。英伟达数据中心收入达到512亿美元。"
        "华为昇腾在智算中心招标中拿下了近80%的市场份额。2025年4月，美国政府对H20芯片实施临时禁售，"
        "三个月后予以恢复。"
        "微软向OpenAI追加投资100亿美元。",
    ),
    "moore": (
        "摩尔线程登陆科创板首日大涨",
        "zh/moore_threads_ipo.md",
        "摩尔线程上市首日股价大涨。英伟达的 H20 仍受出口管制。从收入结构看，AI 智算产品已成为第一大收入来源，"
        "贡献了约 94% 的营收。",
    ),
}


class FakeRetriever(OneChunkRetriever):
    """Returns every document's single chunk, best word overlap first; honours ``exclude_doc_ids``."""

    def __init__(self) -> None:
        super().__init__(DOCS)


@pytest.fixture
def retriever() -> FakeRetriever:
    return FakeRetriever()


@pytest.fixture
def settings(tmp_path) -> Settings:
    return Settings(data_dir=tmp_path)


# (draft, verdict, source value when contradicted, evidence doc)
VERDICTS = [
    ("DeepSeek-V3 needed 2.788M GPU hours for its full training.", "supported", None, "v3"),
    (
        "DeepSeek-V3 used about 2.79 million GPU hours for its full training.",
        "supported",
        None,
        "v3",
    ),  # rounded
    ("DeepSeek-V3的总训练成本约为557.6万美元。", "supported", None, "v3"),  # zh claim, en source
    ("DeepSeek assumed an H800 rental price of $3 per GPU hour.", "contradicted", 2.0, "v3"),
    ("DeepSeek-V3的预训练使用了18.4万亿个Token。", "contradicted", 1.48e13, "v3"),
    ("DeepSeek-V2 reduces the KV cache by 63.3%.", "contradicted", 0.933, "v2"),
    ("DeepSeek-V2 saves 42.5% of training costs compared with DeepSeek 67B.", "supported", None, "v2"),
    ("英伟达数据中心收入高达412亿美元。", "contradicted", 5.12e10, "news"),
    ("NVIDIA's data center revenue reached $51.2 billion.", "supported", None, "news"),  # en claim, zh source
    ("华为昇腾拿下了约八成的招标份额。", "supported", None, "news"),  # 八成 vs 近80%
    ("In the first half of 2024, H100 rent rose above $4.5 per hour.", "supported", None, "news"),
    ("Llama 4 pre-training used 7.38M GPU hours.", "supported", None, "llama4"),  # subject from the title
    ("Llama 4 pre-training used 9.1M GPU hours.", "contradicted", 7.38e6, "llama4"),
    ("2025年6月，美国政府对H20芯片实施临时禁售。", "contradicted", 202504.0, "news"),
    # a figure tying two named parties, both in the source's clause: one quantity whatever each side calls it
    ("Microsoft put $1 billion into OpenAI.", "contradicted", 1e10, "news"),
    ("Microsoft put $10 billion into OpenAI.", "supported", None, "news"),
    ("Microsoft put $1 billion into its cloud.", "unverifiable", None, None),  # one party: the metric is unknown
    # subject mismatch: another model, another version, another metric, another period -> unverifiable
    ("DeepSeek-V3 reduces the KV cache by 93.3%.", "unverifiable", None, None),
    ("Llama 3.1 pre-training used 7.38M GPU hours.", "unverifiable", None, None),
    ("DeepSeek-V2 improves inference latency by 93.3%.", "unverifiable", None, None),
    ("2023年上半年，H100的算力租金一度涨到每小时4.5美元以上。", "unverifiable", None, None),
    ("Meta raised $50 billion for AI data centers in 2025.", "unverifiable", None, None),
    # the sentence names nobody: its figure is the document's own firm's, not the one named lines before
    ("英伟达的收入同比增长 56%。", "unverifiable", None, None),
    ("摩尔线程的营收中有 84% 来自 AI 智算产品。", "contradicted", 0.94, "moore"),
]


@pytest.mark.parametrize(("draft", "verdict", "source_value", "doc"), VERDICTS)
def test_verdicts(
    draft: str,
    verdict: str,
    source_value: float | None,
    doc: str | None,
    retriever: FakeRetriever,
    settings: Settings,
) -> None:
    report = check_text(draft, retriever=retriever, settings=settings)
    assert len(report.claims) == 1
    claim = report.claims[0]
    assert claim.verdict == verdict
    assert (claim.text, claim.start, claim.end) == (draft, 0, len(draft))
    assert draft[claim.figure.start : claim.figure.end] == claim.figure.text
    if source_value is None:
        assert claim.source_figure is None
    else:
        assert claim.source_figure is not None
        assert claim.source_figure.value == pytest.approx(source_value)
    if doc is None:
        assert claim.evidence == []
    else:
        cite = claim.evidence[0]
        assert cite.doc_id == doc
        assert cite.quote == DOCS[doc][2][cite.start : cite.end]
        if claim.source_figure is not None:
            sf = claim.source_figure
            assert DOCS[doc][2][sf.start : sf.end] == sf.text
            assert cite.start <= sf.start and sf.end <= cite.end


def test_evidence_quotes_the_whole_source_sentence(retriever: FakeRetriever, settings: Settings) -> None:
    report = check_text(
        "DeepSeek assumed an H800 rental price of $3 per GPU hour.", retriever=retriever, settings=settings
    )
    cite = report.claims[0].evidence[0]
    assert cite.quote == "If renting an H800 costs $2 per GPU hour, the total training cost is only $5.576M."
    assert (cite.number, cite.title, cite.source) == (
        1,
        "DeepSeek-V3 Technical Report",
        "deepseek/DeepSeek_V3.pdf",
    )
    assert report.claims[0].source_figure.text == "$2 per GPU hour"


def test_mixed_draft_keeps_each_claims_span_and_order(retriever: FakeRetriever, settings: Settings) -> None:
    draft = "DeepSeek-V2 cuts the KV cache by 93.3%. 英伟达数据中心收入达到612亿美元。Intel sold one million Gaudi 3 accelerators."
    report = check_text(draft, retriever=retriever, settings=settings)
    assert [(c.figure.text, c.verdict) for c in report.claims] == [
        ("93.3%", "supported"),
        ("612亿美元", "contradicted"),
        ("one million Gaudi 3 accelerators", "unverifiable"),
    ]
    assert [draft[c.start : c.end] for c in report.claims] == [c.text for c in report.claims]
    assert report.language == "mixed"


def test_exclude_sources_leaves_a_document_out(retriever: FakeRetriever, settings: Settings) -> None:
    draft = "英伟达数据中心收入达到512亿美元。"
    assert check_text(draft, retriever=retriever, settings=settings).claims[0].verdict == "supported"
    report = check_text(draft, retriever=retriever, settings=settings, exclude_sources=["算力市场观察"])
    assert report.claims[0].verdict == "unverifiable"
    report = check_text(draft, retriever=retriever, settings=settings, exclude_sources=["zh/market_news"])
    assert report.claims[0].verdict == "unverifiable"


def test_queries_are_cached_and_figures_masked(retriever: FakeRetriever, settings: Settings) -> None:
    draft = "DeepSeek-V2 saves 42.5% of training costs. DeepSeek-V2 saves 42.5% of training costs."
    check_text(draft, retriever=retriever, settings=settings)
    assert len(retriever.queries) == len(set(retriever.queries))
    assert all("42.5" not in q for q in retriever.queries[:2])


def test_bad_input(retriever: FakeRetriever, settings: Settings) -> None:
    with pytest.raises(InputError):
        check_text("   ", retriever=retriever, settings=settings)
    small = settings.model_copy(update={"max_check_chars": 100})
    with pytest.raises(TooLargeError):
        check_text("x" * 101, retriever=retriever, settings=small)


def test_renderers(retriever: FakeRetriever, settings: Settings) -> None:
    draft = (
        "DeepSeek-V2 cuts the KV cache by 63.3%. It used 1.5M GPU hours at $2 per GPU hour, which cost $4M."
    )
    report = check_text(draft, retriever=retriever, settings=settings)
    text = render_text(report, draft)
    assert text.startswith("DeepSeek-V2 cuts the KV cache by 63.3% [✗1].")
    assert "which cost $4M [?4] [!A1]." in text
    assert "93.3%" in text and "DeepSeek-V2 README" in text
    assert "A1 ✗ product: $2 × 1.5M GPU hours = $3M; the draft says $4M" in text  # in the draft's own units
    md = render_markdown(report)
    assert "| 1 | ✗ contradicted | 63.3% | DeepSeek-V2 · KV cache | 93.3% | [1.1] |" in md
    assert "| A1 | ✗ | product | 4e+06 | 3e+06 |" in md


class BatchingEmbedder:
    """Records the query batches it is asked to embed ahead of the searches."""

    def __init__(self) -> None:
        self.batches: list[list[str]] = []

    def embed_queries(self, texts: list[str]) -> None:
        self.batches.append(list(texts))


def test_the_queries_of_all_claims_are_embedded_in_one_batch_first(
    retriever: FakeRetriever, settings: Settings
) -> None:
    embedder = BatchingEmbedder()
    retriever.embedder = embedder  # type: ignore[attr-defined]
    check_text("英伟达数据中心收入达到512亿美元。DeepSeek-V2 saves 42.5% of training costs.", retriever=retriever,
               settings=settings)  # fmt: skip
    assert len(embedder.batches) == 1
    assert set(embedder.batches[0]) <= set(retriever.queries)
    assert len(embedder.batches[0]) >= 2


def test_excluded_sources_are_remembered_by_the_finder(retriever: FakeRetriever, settings: Settings) -> None:
    from assistant.check.evidence import EvidenceFinder

    finder = EvidenceFinder(retriever, k=8, exclude_sources=["算力市场观察"])  # type: ignore[arg-type]
    assert finder.excluded == {d.id for d in retriever.documents() if d.title == "算力市场观察"}
