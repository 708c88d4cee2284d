"""Figures told apart by what they count, table cells by their column's model or a bare size, and the figures of a
sentence that copies a source sentence with one figure changed: against a small fake index."""

from __future__ import annotations

import pytest
from helpers import OneChunkRetriever

from assistant.check import check_text
from assistant.check.claims import find_claims
from assistant.check.counted import counted_noun
from assistant.settings import Settings

# Short sources in the shape of model cards (our own wording). One chunk per document.
DOCS = {
    "kimi": (
        "Kimi K2 README",
        "other_labs/Kimi-K2_README.md",
        "## Model Summary\n\n| | |\n|:---:|:---:|\n| **Number of Layers** | 61 |\n"
        "| **Number of Attention Heads** | 64 |\n| **Number of Experts** | 384 |\n"
        "| **Number of Shared Experts** | 1 |\n| **Selected Experts per Token** | 8 |\n",
    ),
    "pythia": (
        "Pythia: a suite of models",
        "newdocs/Pythia_README_en.md",
        "## Models\n\n| Params | n_layers | n_heads |\n| ------ | -------- | ------- |\n| 410M | 24 | 16 |\n"
        "| 1B | 16 | 8 |\n",
    ),
    "grok": (
        "Grok-1",
        "newdocs/Grok-1_README_en.md",
        "Grok-1 is currently designed with the following specifications:\n\n- **Layers:** 64\n"
        "- **Maximum Sequence Length (context):** 8,192 tokens\n",
    ),
    "minimax": (
        "MiniMax-M1",
        "other_labs/MiniMax-M1_README.md",
        "MiniMax-Text-01 has 456 billion parameters in total, with 45.9 billion parameters activated per token.",
    ),
    "glm": (
        "GLM-4.7 README",
        "zh/GLM-4.7_README_zh.md",
        "GLM-4.7 在数学和推理能力上实现了大幅提升，在 HLE 基准测试中相比 GLM-4.6 取得了（42.8%，+12.4%）的成绩。",
    ),
    "llama4": (
        "Llama 4 model card",
        "other_labs/Llama_llama4_MODEL_CARD.md",
        "Llama 4 Scout was pretrained on ~40 trillion tokens and Llama 4 Maverick was pretrained on ~22 trillion "
        "tokens of multimodal data.",
    ),
}


def FakeRetriever() -> OneChunkRetriever:
    """Every document's single chunk; no embedder and no idf, so only the words decide."""
    return OneChunkRetriever(DOCS)


@pytest.fixture
def settings(tmp_path) -> Settings:
    return Settings(data_dir=tmp_path)


@pytest.mark.parametrize(
    ("draft", "counted"),
    [
        ("Kimi K2 共有 512 个专家。", {"experts"}),
        ("Pythia-1B has 24 layers.", {"layers"}),
        ("xAI 的 Grok-1 共有 48 层。", {"layers"}),
        ("Skywork-13B uses 40 attention heads.", {"heads"}),
        ("Kimi K2 使用 32 个注意力头。", {"heads"}),
        ("Grok-1 is a mixture of 8 experts.", {"experts"}),
        ("Skywork-13B-Base scored 60.6 on C-Eval.", set()),
    ],
)
def test_counted_noun(draft: str, counted: set[str]) -> None:
    claims, _, _ = find_claims(draft)
    assert counted_noun(claims[0].ctx) == counted


# (draft, verdict of each figure in order, the source's figure for each contradicted one)
VERDICTS = [
    ("Kimi K2 共有 512 个专家。", ["contradicted"], [384.0]),
    ("Kimi K2 has 384 experts.", ["supported"], [None]),
    ("Kimi K2 使用 32 个注意力头。", ["contradicted"], [64.0]),
    ("Kimi K2 has 61 layers.", ["supported"], [None]),
    ("Pythia-1B has 24 layers.", ["contradicted"], [16.0]),
    ("Pythia-410M has 24 layers.", ["supported"], [None]),
    ("xAI 的 Grok-1 共有 48 层。", ["contradicted"], [64.0]),
    ("Grok-1 的最大序列长度为 4,096 个 token。", ["contradicted"], [8192.0]),
    ("Grok-1 has a maximum sequence length of 8,192 tokens.", ["supported"], [None]),
    (
        "MiniMax-Text-01 has 456 billion parameters in total, with 35.9 billion parameters activated per token.",
        ["supported", "contradicted"],
        [None, 45.9e9],
    ),
    (
        "MiniMax-Text-01 has 456 billion parameters in total, with 45.9 billion parameters activated per token.",
        ["supported", "supported"],
        [None, None],
    ),
    (
        "MiniMax-Text-01 has 456 billion parameters in total, of which 35.9 billion are activated per token.",
        ["supported", "contradicted"],
        [None, 45.9e9],
    ),
    # a signed figure is a change, and the model after "相比" is the baseline, not the owner
    ("GLM-4.7 在 HLE 基准测试中取得了 52.8% 的成绩。", ["contradicted"], [0.428]),
    ("GLM-4.7 在 HLE 基准测试中取得了 42.8% 的成绩。", ["supported"], [None]),
    ("Llama 4 Scout was pretrained on ~22 trillion tokens.", ["contradicted"], [40e12]),
    ("Llama 4 Maverick was pretrained on ~22 trillion tokens.", ["supported"], [None]),
]


@pytest.mark.parametrize(("draft", "verdicts", "values"), VERDICTS)
def test_verdicts(draft: str, verdicts: list[str], values: list[float | None], settings: Settings) -> None:
    report = check_text(draft, retriever=FakeRetriever(), settings=settings)
    assert [c.verdict for c in report.claims] == verdicts
    shown = [c.source_figure.value if c.source_figure is not None else None for c in report.claims]
    assert shown == [pytest.approx(v) if v is not None else None for v in values]
