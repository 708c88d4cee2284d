"""Retrieval for answering: interleaving with per-document caps, documents about a name, sentence-complete edges,
and the translated query."""

from __future__ import annotations

from assistant.ask.analyze import analyze
from assistant.ask.retrieve import complete_edges, documents_about, merge, retrieve, widen
from assistant.ask.terms import translated_query
from assistant.models import Passage
from assistant.settings import Settings
from tests.ask_fakes import FakeRetriever, LexicalFakeRetriever

CARD = (
    "Llama 3.1 is a collection of multilingual models. Training utilized a cumulative of 39.3M GPU hours of "
    "computation on H100-80GB hardware. The models were pretrained on about 15 trillion tokens."
)
TABLE = "\n".join(
    f"Model: Llama 3.1 variant {i}; Base model: Llama 3.1; Training hardware: H100" for i in range(6)
)
ARTICLE = "英伟达以200亿美元收购推理芯片公司Groq。数据中心收入依然高达512亿美元。"


def retriever(chunk_chars: int = 60) -> FakeRetriever:
    return FakeRetriever(
        [
            ("card", "Llama llama3 1 MODEL CARD", "other_labs/Llama_llama3_1_MODEL_CARD.md", CARD),
            ("rows", "epoch notable ai models", "datasets/epoch_notable.csv", TABLE),
            ("news", "算力天花板的裂缝", "articles/caixin.txt", ARTICLE),
        ],
        chunk_chars=chunk_chars,
        overlap=10,
    )


def passages(r: FakeRetriever, doc_id: str) -> list[Passage]:
    return [
        Passage(chunk=c, document=r.docs[doc_id], score=1.0 / (1 + c.ordinal))
        for c in r.chunks
        if c.doc_id == doc_id
    ]


def test_merge_interleaves_and_caps_documents_and_tables() -> None:
    r = retriever()
    rows, card = passages(r, "rows"), passages(r, "card")
    assert len(rows) >= 3 and len(card) >= 4
    merged = merge([rows, card], limit=20, per_document=3, per_table=2)
    assert [p.chunk.id for p in merged] == ["rows:0", "card:0", "rows:1", "card:1", "card:2"]
    owned = merge([rows, card], limit=20, per_document=2, per_table=2, own={"card"})
    assert [p.chunk.doc_id for p in owned].count("card") == 4
    assert len(merge([rows, card, card], limit=3)) == 3
    # the first list's top results are kept whatever their document: the question's own search is not thinned
    kept = merge([card, rows], limit=20, per_document=2, per_table=2, keep_first=3)
    assert [p.chunk.id for p in kept] == ["card:0", "rows:0", "card:1", "rows:1", "card:2"]


def test_documents_about_match_title_or_file_name_not_a_longer_version() -> None:
    r = retriever()
    assert documents_about(analyze("How many GPU hours did Llama 3.1 use?"), r) == ["card"]
    assert documents_about(analyze("How many GPU hours did Llama 3 use?"), r) == []  # "3" is not "3.1"
    assert documents_about(analyze("How many GPU hours were used?"), r) == []


def test_edges_are_widened_to_whole_sentences() -> None:
    r = retriever(chunk_chars=70)
    sentence = "Training utilized a cumulative of 39.3M GPU hours of computation on H100-80GB hardware."
    at = CARD.index(sentence)
    (cut,) = [p for p in passages(r, "card") if p.chunk.start < CARD.index("39.3M") < p.chunk.end]
    assert sentence not in cut.chunk.text  # the chunk boundary falls inside the sentence
    (whole,) = complete_edges([cut], r)
    assert whole.chunk.start <= at and whole.chunk.end >= at + len(sentence)
    assert whole.chunk.text == CARD[whole.chunk.start : whole.chunk.end]
    assert complete_edges([whole], r)[0].chunk == whole.chunk  # already whole: unchanged


class LexicalFake(FakeRetriever):
    """Also offers BM25-only search; records which search served which query."""

    def __init__(self) -> None:
        super().__init__(
            [
                ("news", "算力天花板的裂缝", "articles/caixin.txt", ARTICLE),
                ("card", "Llama llama3 1 MODEL CARD", "other_labs/Llama_llama3_1_MODEL_CARD.md", CARD),
            ],
            chunk_chars=200,
        )
        self.lexical_queries: list[str] = []

    def search_lexical(self, query, *, k=8, filters=None):  # type: ignore[no-untyped-def]
        self.lexical_queries.append(query)
        hits = self.search(query, k=k, filters=filters)
        self.searches.pop()
        return [p.model_copy(update={"lexical_score": p.score}) for p in hits]


def test_translated_query_reaches_the_other_language_lexically() -> None:
    a = analyze("How much did NVIDIA pay to acquire Groq?")
    assert translated_query(a.terms) == "NVIDIA Groq 支付 花了 收购"
    r = LexicalFake()
    first = retrieve(a, r, Settings(top_k=4))
    # the question as asked, then its names with what it asks (the asked words' glossary forms included)
    assert r.searches == ["How much did NVIDIA pay to acquire Groq?"]
    assert r.lexical_queries == [
        "NVIDIA Groq pay 支付 paid 花了 acquire acquir 收购 acqui buy bought purchase"
    ]
    wider = widen(a, first, r, Settings(top_k=4))
    assert wider is not None
    assert r.lexical_queries[1:] == ["NVIDIA Groq 支付 花了 收购"]
    assert any(p.chunk.doc_id == "news" for p in wider)


SPECS = (
    "Peak dense throughput of current accelerators.\n\n"
    "| Accelerator | fp32 | bf16 | fp8 |\n| :-- | --: | --: | --: |\n"
    "| NVIDIA H100 SXM | 67.0 | 989 | 1979 |\n| AMD MI300X | 163.4 | 1300 | 2610 |\n"
    "| Intel Gaudi3 | 229.0 | 1677 | 1677 |\n"
)


class DenseMisses(LexicalFakeRetriever):
    """The question's own search misses the specs table (as dense retrieval does for a row among many alike);
    only the lexical search reaches it."""

    def search(self, query, *, k=8, filters=None):  # type: ignore[no-untyped-def]
        return [p for p in super().search(query, k=k, filters=filters) if p.chunk.doc_id != "specs"]

    def search_lexical(self, query, *, k=8, filters=None):  # type: ignore[no-untyped-def]
        hits = FakeRetriever.search(self, query, k=len(self.chunks))
        self.searches.pop()
        return [p.model_copy(update={"lexical_score": p.score}) for p in hits[:k]]


def test_the_named_row_of_a_document_titled_after_something_else_is_read() -> None:
    # no document is titled after the MI300X: the search of its names finds the table, read with its header
    r = DenseMisses(
        [
            ("card", "Llama llama3 1 MODEL CARD", "other_labs/Llama_llama3_1_MODEL_CARD.md", CARD),
            ("specs", "Accelerators", "hardware/accelerators.md", SPECS),
        ],
        chunk_chars=60,
        overlap=10,
    )
    found = retrieve(analyze("What is the bf16 TFLOPS of the AMD MI300X?"), r, Settings(top_k=4))
    rows = [p for p in found if "| AMD MI300X | 163.4 | 1300 | 2610 |" in p.chunk.text]
    assert rows and {p.chunk.doc_id for p in rows} == {"specs"}
    assert "| Accelerator | fp32 | bf16 | fp8 |" in rows[0].chunk.text
    assert rows[0].chunk.text == SPECS[rows[0].chunk.start : rows[0].chunk.end]
    # without the names search nothing of the table would be there: the question's own search skips it
    assert all(p.chunk.doc_id != "specs" for p in r.search("What is the bf16 TFLOPS of the AMD MI300X?", k=20))
