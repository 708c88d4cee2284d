"""Question analysis: the asked kind of figure, the focus phrase, key terms and names (zh and en)."""

from __future__ import annotations

import pytest

from assistant.ask.analyze import analyze, asked_kind
from assistant.ask.matching import MatchText
from assistant.ask.terms import Term, forms_of, key_terms, names_in


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("DeepSeek-V3 总共有多少参数？", "param"),
        ("How many GPU hours did DeepSeek-V3's context length extension take?", "gpu_hour"),
        ("Llama 3.1 405B 用了多少GPU小时？", "gpu_hour"),
        ("What rental price per GPU hour did DeepSeek assume for the H800?", "money"),
        ("谷歌TPU v7的单价是多少？", "money"),
        ("一共要多少钱？", "money"),
        ("How much does it cost to train DeepSeek-V3?", "money"),
        ("How much faster than the H100 is Blackwell at FP8 inference?", "times"),
        ("Blackwell 比 H100 快多少倍？", "times"),
        ("DeepSeek-V2 把 KV cache 减少了多少？", "change"),
        ("By how much did DeepSeek-V2 reduce the KV cache?", "change"),
        ("Which vendor won the largest share of China's AI computing center tenders?", "ratio"),
        ("英伟达的毛利率是多少？", "ratio"),
        ("On DeepSeek's cluster, how many days does training on one trillion tokens take?", "duration"),
        ("What was the peak number of H800 nodes occupied by the inference service?", "node"),
        ("每个 H800 节点每秒平均输出多少 token？", "token"),
        ("Kimi K2 was trained on how many tokens?", "token"),
        ("What is the H800's memory bandwidth?", "bandwidth"),
        ("H800 的显存有多大？", "memory"),
        ("How many Intel Gaudi 3 accelerators were sold in 2025?", "gpu"),
        ("软件调优后会有多少张卡成为溢出供应？", "gpu"),
        ("When was the H20 banned?", "date"),
        ("H20 何时被禁售？", "date"),
        ("What is MLA?", None),
        ("DeepSeek 为什么成本这么低？", None),
        # a score has no unit: a kind word elsewhere in the question ("model card") is not what is asked
        ("What did the pretrained Zorblax 70B score on KnotBench in the Zorblax model card?", None),
        ("How many GPUs did the top-scoring team use?", "gpu"),
    ],
)
def test_asked_kind(question: str, kind: str | None) -> None:
    _, found = asked_kind(question)
    assert (found.name if found else None) == kind


def test_focus_phrase_marks_and_boosts_terms() -> None:
    a = analyze("How many GPU hours did DeepSeek-V3's context length extension take?")
    assert a.focus == "GPU hours"
    focus = {t.text for t in a.terms if t.focus}
    assert focus == {"gpu hours"}  # a glossary phrase is one term
    weights = {t.text: t.weight for t in a.terms}
    assert weights["gpu hours"] == 2 * weights["context length"]


@pytest.mark.parametrize(
    ("question", "names"),
    [
        ("How many Intel Gaudi 3 accelerators were sold in 2025?", ["Intel", "Gaudi 3"]),
        ("谷歌TPU v7的单价是多少？", ["TPU v7"]),
        ("If H100 rent falls from $4.50 to $3.80 an hour", ["H100"]),
        ("What did DeepSeek-V3 and Llama 3.1 cost on GPU clusters?", ["DeepSeek-V3", "Llama 3.1"]),
        ("How much AI compute does a GPU have?", []),
        # a lower-case name joined to its version by a hyphen; a hyphenated word without one is no name
        ("What MMLU-Pro score does the phi-4 model card report?", ["phi-4", "MMLU-Pro"]),
        ("Is gpt-4o cheaper than deepseek-v3?", ["gpt-4o", "deepseek-v3"]),
        ("What is the state-of-the-art score?", []),
    ],
)
def test_names_in_question(question: str, names: list[str]) -> None:
    assert names_in(question) == names


def test_key_terms_drop_question_words_and_keep_names_whole() -> None:
    terms = key_terms("How many H100 GPU hours did Llama 4 training use?")
    assert [t.text for t in terms] == ["h100", "llama4", "gpu hours", "training"]
    assert [t.name for t in terms] == [True, True, False, False]


@pytest.mark.parametrize(
    ("term", "text", "found"),
    [
        ("参数", "671B total parameters", True),  # glossary: zh term, en evidence
        ("parameters", "拥有6710亿参数的旗舰模型", True),
        ("costing", "our total training costs amount to", True),  # crude stem
        ("occupied", "the peak node occupancy reached 278", True),
        ("1024", "needed 10240 GPUs", False),  # numbers match whole
        ("sold", "Intel Gaudi3 supports FP8", False),
    ],
)
def test_term_matching_across_languages(term: str, text: str, found: bool) -> None:
    t = Term(text=term, forms=forms_of(term), weight=1.0)
    assert MatchText(text).has(t) is found


def test_a_user_vocabulary_file_maps_names_across_languages(user_vocabulary: None) -> None:
    t = Term(text="谷歌", forms=forms_of("谷歌"), weight=1.0)
    assert MatchText("Google TPU v7 Ironwood").has(t)


def test_company_names_are_not_in_the_builtin_vocabulary() -> None:
    t = Term(text="谷歌", forms=forms_of("谷歌"), weight=1.0)
    assert not MatchText("Google TPU v7 Ironwood").has(t)


@pytest.mark.parametrize(
    ("name", "text", "found"),
    [
        ("gaudi 3", "Intel Gaudi3 cache specification", True),
        ("tpu v7", "Google disclosed that TPUv7 is 29.3x more efficient", True),
        ("h800", "NVIDIA H8000 board", False),
        ("v3", "deepseek/DeepSeek_V3.pdf", True),
        ("v3", "DeepSeek-V32 preview", False),
        ("llama 3", "The Meta Llama 3.3 multilingual model", False),  # a minor version is another model
        ("deepseek v3", "DeepSeek-V3.2-Exp", False),
        ("llama 3", "Llama 3-8B and Llama 3.1", True),
        ("llama 3", "we trained Llama 3. Then", True),
    ],
)
def test_name_matching(name: str, text: str, found: bool) -> None:
    key = name.replace(" ", "")
    t = Term(text=key, forms=(key, name), weight=1.0, name=True)
    assert MatchText(text).has(t) is found


@pytest.mark.parametrize(
    ("text", "count", "sibling"),
    [
        ("Llama 3.3 is new. Llama 3.3 beats Llama 3. Llama 3.3 70B.", 1, True),
        ("Llama 3 comes in 8B and 70B. Llama 3 uses GQA; unlike Llama 3.1.", 2, False),
        ("No model named here.", 0, False),
    ],
)
def test_a_document_naming_a_later_version_more_often_is_not_about_the_name(
    text: str, count: int, sibling: bool
) -> None:
    from assistant.ask.subjects import about_a_sibling

    t = Term(text="llama3", forms=("llama3", "llama 3"), weight=1.0, name=True)
    assert MatchText(text).count(t) == count
    assert about_a_sibling(MatchText(text), t) is sibling


def test_the_focus_after_duoshao_keeps_latin_words_whole() -> None:
    assert asked_kind("Llama 3 的训练一共用了多少 H100 GPU 小时？")[0] == "H100 GPU 小时"
    assert asked_kind("Llama 3 的训练一共用了多少 H100 GPU 小时？")[1].name == "gpu_hour"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "question",
    [
        "At $2 per GPU hour, what would roughly 7,000,000 GPU hours cost?",  # commas inside a number
        "At $2 per GPU hour, what would 7 million GPU hours cost?",
    ],
)
def test_a_cost_question_after_a_rate_asks_for_money(question: str) -> None:
    asked = asked_kind(question)[1]
    assert asked is not None and asked.name == "money"


def test_answer_language_follows_the_question() -> None:
    assert analyze("DeepSeek-V3 总共有多少参数？").answer_language == "zh"
    assert analyze("What is the H800's memory bandwidth?").answer_language == "en"
