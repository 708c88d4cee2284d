"""Whose figure a figure is, without a vocabulary: index names (rare words of document titles and file names),
variant parts of names, sizes beside a generation, and the evidence they let through or keep out."""

from __future__ import annotations

from typing import Any

import pytest
from helpers import OneChunkRetriever

from assistant.check import check_text
from assistant.check.align import Aligner
from assistant.check.claims import find_claims
from assistant.check.entities import find_entities, versions_compatible
from assistant.check.evidence import EvidenceFinder, _whole_words
from assistant.check.figures import read_figures
from assistant.check.match import _distinctive_equal
from assistant.check.owners import has_name, name_suffixes, variant_parts, variants_conflict
from assistant.check.tables import in_header_row
from assistant.settings import Settings
from assistant.text import tokenize


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("Yi-34B-Chat-4bits needs # GB", {"b": {"34b"}, "bits": {"4bits"}}),
        ("Gemma 2 9B 在 HumanEval 上得分 #", {"b": {"9b"}}),
        ("HumanEval Gemma 2 2B PT", {"b": {"2b"}}),
        ("Mixtral 8x7B", {"xb": {"8x7b"}}),
        ("GSM8K InternLM2-Chat-20B", {"b": {"20b"}}),  # words with a digit inside name things, not variants
        ("MMLU (5-shot)", {}),
        ("trained with a batch size of 4M tokens across", {}),  # an amount with its unit
        ("Phi-3-mini 3.8B", {"b": {"3.8b"}}),
        ("DeepSeek-V3 和 V2", {"v": {"v3", "v2"}}),
        ("2024 年 2.5 倍", {}),
    ],
)
def test_variant_parts(text: str, parts: dict[str, set[str]]) -> None:
    assert variant_parts(text) == parts


@pytest.mark.parametrize(
    ("claim", "source", "conflict"),
    [
        ("Yi-34B-Chat-4bits", "Yi-34B-Chat-8bits 最低显存", True),
        ("Yi-34B-Chat-4bits", "Yi-34B-Chat-4bits 最低显存", False),
        ("Gemma 2 9B", "HumanEval Gemma 2 2B PT", True),
        ("Gemma 2 9B", "HumanEval Gemma 2 9B PT", False),
        ("Gemma 2 9B", "MMLU Mixtral 8x7B", False),  # another kind of part: the entities decide
        ("Gemma 2 9B", "HumanEval", False),
    ],
)
def test_variants_conflict(claim: str, source: str, conflict: bool) -> None:
    assert variants_conflict(variant_parts(claim), variant_parts(source)) is conflict


@pytest.mark.parametrize(
    ("name", "text", "found"),
    [
        ("dbrx", "DBRX's 70.1 on HumanEval", True),
        ("yi", "the yield of the run", False),
        ("gemma", "ShieldGemma classifiers", False),
        ("百川", "Baichuan 2 百川大模型第二代", True),
        ("internlm2", "| InternLM2-20B | 2.3T |", True),
    ],
)
def test_has_name(name: str, text: str, found: bool) -> None:
    assert has_name(name, text) is found


@pytest.mark.parametrize(
    ("text", "entities"),
    [
        ("Gemma 2 9B 在 HumanEval 上得分 50.2", [("gemma", "2-9b")]),
        ("MiniCPM-2B has 2.4 billion", [("minicpm", "2b")]),
        ("Baichuan 2-13B-Base scored 42.77", [("baichuan", "2-13b-base")]),
        ("See Table 2 for details", []),
        ("the Gemma 2 27B PT model", [("gemma", "2-27b")]),
    ],
)
def test_shape_names_with_generation_and_size(text: str, entities: list[tuple[str, str]]) -> None:
    found = [(e.family, e.version) for e in find_entities(text) if e.cls == "model"]
    assert found == entities


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("2-9b", "9b", True),  # "Gemma 2 9B" and the row "9B" of Gemma's own table
        ("2-13b-base", "13b", True),
        ("2-9b", "2b", False),
        ("3", "3-70b", False),  # the generation alone is not one of its sizes
        ("v3", "v3-0324", False),
        ("2-7b-chat", "2-7b-base", False),  # a tuned checkpoint is not its base model
        ("34b-chat", "34b-instruct", True),
        ("2-7b-chat", "2-7b", True),
    ],
)
def test_versions_compatible(a: str, b: str, same: bool) -> None:
    assert versions_compatible(a, b) is same


@pytest.mark.parametrize(
    ("draft", "version"),
    [
        ("The 7B InternLM2 base model was pre-trained on 2.6T tokens.", "2-7b"),
        ("InternLM2 7B scored 70.8 on GSM8K.", "2-7b"),
        ("Llama 3.1 的训练估计排放了 11,390 吨二氧化碳当量。", "3.1"),
    ],
)
def test_size_beside_generation(draft: str, version: str) -> None:
    claims, _, _ = find_claims(draft)
    assert {e.version for c in claims for e in c.subjects if e.cls == "model"} == {version}


@pytest.mark.parametrize(
    ("draft", "figures"),
    [
        ("With XTuner, QLoRA fine-tuning of the 7B InternLM2 model needs 8GB of GPU memory.", ["8GB"]),
        ("DeepSeek-V3 has 671B parameters.", ["671B parameters"]),
        ("Mixtral 8x7B scored 70.6 on MMLU.", ["70.6"]),
        ("零一万物的 34B 基座模型在 C-Eval 上得分 81.4。", ["81.4"]),  # a name, a size: one claim
        ("The 70B version needs 140GB.", ["140GB"]),
    ],
)
def test_size_before_a_name_is_not_a_claim(draft: str, figures: list[str]) -> None:
    claims, _, _ = find_claims(draft)
    assert [c.ctx.figure.text for c in claims] == figures


@pytest.mark.parametrize(
    ("text", "suffixes"),
    [
        ("Phi-3-small is a 40-layer model.", {"-phi": {"small"}}),
        ("Layers Phi-3-medium", {"-phi": {"medium"}}),
        ("Llama-2-70b-chat-hf", {"-llama": {"tuned"}}),
        ("MiniCPM-2B-dpo", {"-minicpm": {"dpo"}}),
        ("GLM-4.5-Air", {"-glm": {"air"}}),
        ("Qwen3-8B-FP8", {}),
        ("Phi-3 is small", {}),
    ],
)
def test_name_suffixes(text: str, suffixes: dict[str, set[str]]) -> None:
    assert name_suffixes(text) == suffixes


@pytest.mark.parametrize(
    ("text", "figures"),
    [
        ("Gemma 2 9B is a 42-layer model.", [("42", None)]),
        ("a 16-expert MoE layer", [("16", None)]),
        ("MMLU (5-shot) is 71.3", [("71.3", None)]),
        ("MiniCPM-2B has 2.4 billion non-embedding parameters.", [("2.4 billion non-embedding parameters", "param")]),
        ("2.4 billion well-off people", [("2.4 billion", None)]),
    ],
)
def test_hyphenated_counts_and_modifiers(text: str, figures: list[tuple[str, str | None]]) -> None:
    assert [(f.text, f.unit) for f in read_figures(text)] == figures


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("122,753", "122753", True),
        ("92544", "92,544", True),
        ("4096", "4096", False),  # four significant digits: too common to say one quantity
        ("2.6万亿", "2.6T", False),
        ("100352", "100353", False),
    ],
)
def test_distinctive_equal(a: str, b: str, same: bool) -> None:
    assert _distinctive_equal(a, b) is same


def test_table_header_row_and_cut_numbers() -> None:
    text = "| Benchmark | Phi-3-mini 3.8B |\n|---|---|\n| MMLU | 68.8 |\n| HumanEval | 40.2 |"
    assert in_header_row(text, text.index("3.8B")) is True
    assert in_header_row(text, text.index("68.8")) is False
    cut = text.index("40.2") + 1  # a window ending inside "40.2" is widened to the whole number
    assert text[slice(*_whole_words(text, 0, cut))].endswith("40.2")


class _IndexFake(OneChunkRetriever):
    """The one-chunk fake with the index's statistics: a word is rare (idf 2.0) when at most one document has
    it, and an unseen word has idf 2.0."""

    def __init__(self, docs: dict[str, tuple[str, str, str]]) -> None:
        super().__init__(docs)
        self.lexical: list[str] = []
        self._df: dict[str, int] = {}
        for text in self.texts.values():
            for word in set(tokenize(text)):
                self._df[word] = self._df.get(word, 0) + 1

    def term_idf(self, terms: list[str]) -> dict[str, float]:
        return {t: 2.0 if self._df.get(t, 0) <= 1 else 0.1 for t in terms}

    def search_lexical(self, query: str, *, k: int = 8, filters: Any = None) -> list[Any]:
        self.lexical.append(query)
        return self.search(query, k=k, filters=filters)


DOCS = {
    "qzx": (
        "QZX release notes",
        "news/QZX_news_en.md",
        "QZX was pretrained on 12 trillion tokens of text and code. Its tokenizer holds 100,352 entries.",
    ),
    "orbo": ("ORBO model notes", "cards/ORBO_README.md", "ORBO was pretrained on 9 trillion tokens of text and code."),
    "filler": ("Market notes", "news/market.md", "Chips were scarce; tokens of text and code were cheap."),
    "zh": ("星阶智能宣布年内收入有望近 10 亿元", "news/xingjie_zh.md", "星阶智能表示全年收入有望接近 10 亿元。"),
}


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("QZX was pretrained on 9 trillion tokens.", ["qzx"]),
        ("qzx was pretrained on 9 trillion tokens.", []),  # written as a word, not a name
        ("The model was pretrained on 9 trillion tokens.", []),
        # a headline's measure word is what is measured, not whose figure it is
        ("英伟达的收入同比增长 56%。", []),
    ],
)
def test_index_names(text: str, names: list[str]) -> None:
    aligner = Aligner.for_retriever(_IndexFake(DOCS))
    assert aligner.index_names(text) == names


@pytest.mark.parametrize(
    ("draft", "verdict", "source_value", "doc"),
    [
        # QZX is named by no vocabulary: its index name makes it the owner, so a figure of its own document
        # contradicts the claim in other words or the other language (without it: unverifiable), and ORBO's
        # 9 trillion never supports it
        ("QZX was pretrained on 9 trillion tokens.", "contradicted", 12e12, "qzx"),
        ("The QZX corpus came to 9 trillion tokens.", "contradicted", 12e12, "qzx"),
        ("QZX 的预训练数据为 9 万亿 token。", "contradicted", 12e12, "qzx"),
        ("QZX was pretrained on 12 trillion tokens.", "supported", None, "qzx"),
        ("ORBO was pretrained on 9 trillion tokens.", "supported", None, "orbo"),
        # five significant digits in QZX's own document say the same quantity in any words or language
        ("QZX 的词表共有 100,352 个词条。", "supported", None, "qzx"),
        ("QZX 的词表共有 100,353 个词条。", "unverifiable", None, ""),
    ],
)
def test_index_name_owns_the_evidence(
    draft: str, verdict: str, source_value: float | None, doc: str, tmp_path: Any
) -> None:
    report = check_text(draft, retriever=_IndexFake(DOCS), settings=Settings(data_dir=tmp_path))
    claim = report.claims[0]
    assert claim.verdict == verdict
    assert {c.doc_id for c in claim.evidence} == ({doc} if doc else set())
    if source_value is not None:
        assert claim.source_figure is not None and claim.source_figure.value == source_value


def test_one_search_cache_for_figures_and_substitutions() -> None:
    retriever = _IndexFake(DOCS)
    finder = EvidenceFinder(retriever, k=2, exclude_sources=["orbo"])
    first = finder.passages("pretrained tokens", lexical=True)
    again = finder.passages("pretrained tokens", lexical=True)
    hybrid = finder.passages("pretrained tokens")
    assert [p.document.id for p in first] == [p.document.id for p in again] == ["qzx", "filler"]
    assert "orbo" not in {p.document.id for p in hybrid}
    assert retriever.lexical == ["pretrained tokens"] and finder.searches == 2
