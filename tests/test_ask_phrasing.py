"""How a question's wording is read, whatever its subject: conditions, anaphora, short names, plural nouns,
per-unit figures, years and aliases a collection's own titles give. Offline; the names are invented."""

from __future__ import annotations

import pytest

from assistant.ask.analyze import analyze, asked_kind, question_parts
from assistant.ask.kinds import kind_hit
from assistant.ask.matching import MatchText
from assistant.ask.terms import key_terms, names_in, phrases_in
from tests.ask_fakes import LexicalFakeRetriever
from tools.figures import parse_figures


@pytest.mark.parametrize(
    ("question", "focus", "kind"),
    [
        # after "how many", the counted noun ends the focus: the verb after it is no part of what is asked
        ("How many storage nodes made up the cluster used in the read test?", "storage nodes", "node"),
        ("How many H100 GPUs went into training Zorblax?", "H100 GPUs", "gpu"),
        ("How many tokens per second does Zorblax-mini generate?", "tokens per second", "token"),
        # charging is pricing
        ("How much does Zorblax charge per million output tokens?", "", "money"),
    ],
)
def test_focus_and_kind(question: str, focus: str, kind: str) -> None:
    found_focus, found = asked_kind(question)
    assert (found_focus, found.name if found else None) == (focus, kind)


@pytest.mark.parametrize(
    ("question", "names"),
    [
        ("How many tokens were the Yi base models pretrained on?", ["Yi"]),  # a short name, not upper-case
        ("Which lab built Zorblax? Is AI cheaper now?", ["Zorblax"]),  # "AI": an abbreviation; "Is": a start
    ],
)
def test_short_names(question: str, names: list[str]) -> None:
    assert names_in(question) == names


def test_a_size_after_a_decimal_point_is_part_of_that_number() -> None:
    term = next(t for t in key_terms("How many parameters does Zorblax's 2B model have?") if t.text == "2b")
    assert MatchText("Zorblax-2B 有 24 亿参数").has(term)
    assert not MatchText("发布 Zorblax-1.2B（参数 12 亿）").has(term)


def test_a_hyphenated_glossary_stem_is_one_phrase() -> None:
    assert "fine-tun" in phrases_in("How much memory for fine-tuning?")


@pytest.mark.parametrize(
    ("question", "parts"),
    [
        # a condition ("When ..., ...") is no part of its own: every part asked under it carries it
        (
            "When Zorblax-mini runs on a phone in 4-bit, how many tokens per second does it generate and how "
            "much memory do the weights take?",
            [("token", "4-bit"), ("memory", "4-bit")],
        ),
        # "When was ..." asks
        ("When was Zorblax released, and how many parameters does it have?", [("date", "released"), ("param", "")]),
    ],
)
def test_conditions_hold_for_every_part(question: str, parts: list[tuple[str, str]]) -> None:
    found = question_parts(analyze(question))
    assert [(p.asked.name if p.asked else None) for p in found] == [kind for kind, _ in parts]
    for part, (_, words) in zip(found, parts, strict=True):
        assert words in part.question


def test_of_them_counts_what_the_part_before_counted() -> None:
    first, second = question_parts(analyze("Zorblax 的每个 MoE 层有多少个专家？每个 token 会用到其中几个？"))
    assert first.asked is not None and second.asked is not None
    assert second.asked.name == first.asked.name
    assert "专家" in {t.text for t in second.terms if t.focus}


def test_a_whole_later_question_about_another_name_keeps_only_the_scene() -> None:
    question = "On the KnotBench benchmark, what did Zorblax-9B score, and what did Quux-8B-Instruct score?"
    first, second = question_parts(analyze(question))
    assert {t.text for t in first.terms if t.name} >= {"knotbench", "zorblax9b"}
    assert {t.text for t in second.terms if t.name} == {"knotbench", "quux8binstruct"}


@pytest.mark.parametrize(
    ("question", "sentence", "strength", "figure"),
    [
        # a price per unit is asked: an amount without a "per" is no answer
        ("Zorblax 的 API 每百万 token 定价是多少美元？", "Training Zorblax cost roughly $10 million.", 0.0, None),
        ("Zorblax 的 API 每百万 token 定价是多少美元？", "Zorblax is priced at $2.19 per million output tokens.", 1.0, "$2.19"),
        # the whole is asked: a count per node is not it
        ("How many GPUs does the Zorblax cluster have?", "The cluster has 8 GPUs per node.", 0.6, "8 GPUs"),
        ("How many GPUs does the Zorblax cluster have?", "The cluster holds 2,048 GPUs in all.", 1.0, "2,048 GPUs"),
        # a figure dated to another year than the one asked is of another period
        ("What was Zorblax's revenue in 2023?", "Its revenue fell to $5 million in 2024.", 0.0, None),
        ("What was Zorblax's revenue in 2023?", "较 2024 年的 500 万美元", 0.0, None),
        ("What was Zorblax's revenue in 2023?", "In 2023 its revenue was $9 million.", 1.0, "$9 million"),
    ],
)
def test_figures_of_another_unit_or_period(question: str, sentence: str, strength: float, figure: str | None) -> None:
    from assistant.ask.kinds import YEAR, asks_per_unit, asks_rate

    a = analyze(question)
    assert a.asked is not None
    years = {t.text for t in a.terms if YEAR.fullmatch(t.text)}
    hit, found = kind_hit(
        a.asked,
        parse_figures(sentence),
        sentence,
        [],
        rate_asked=asks_rate(question),
        per_asked=asks_per_unit(question),
        years=years,
    )
    assert (hit, found.text if found else None) == (strength, figure)


def test_a_bilingual_title_gives_a_chinese_word_its_latin_name() -> None:
    readme = "百川 2 是新一代开源大语言模型。百川 2 包含两种规模。百川 2 的权重开放。Baichuan 2 was trained on 2.6T tokens. " * 3
    docs = [
        ("readme", "Baichuan 2 百川大模型第二代", "readmes/Baichuan2_README_zh.md", readme),
        ("news", "Step launches a model", "articles/step.txt", "The company raised $200 million. " * 3),
    ]
    analysis = analyze("百川的估值是多少？", LexicalFakeRetriever(docs))
    word = next(t for t in analysis.terms if t.text == "百川")
    assert word.titled and "baichuan" in word.forms
    assert MatchText("Baichuan 2 was trained on 2.6T tokens").has(word)


@pytest.mark.parametrize(
    ("text", "ids"),
    [
        ("Zorblax-4.5拥有 3550 亿总参数量", ["zorblax4.5"]),  # Chinese after a Latin id is no part of it
        ("发布Zorblax-4.5-Air模型", ["zorblax4.5air"]),
        ("MI355X and H100 compared", ["mi355x", "h100"]),
    ],
)
def test_product_ids_are_latin(text: str, ids: list[str]) -> None:
    from assistant.ask.surround import product_ids

    assert product_ids(text) == ids


@pytest.mark.parametrize(
    ("asked", "text", "sibling", "other_member"),
    [
        ("Zorblax-4.5", "Zorblax-4.6 activates 32B parameters.", True, True),  # another member
        ("Zorblax3", "The flagship, Zorblax3-235B-A22B, activates 22B.", True, False),  # extends the asked name
        ("Zorblax-4.5", "Zorblax-4.5拥有 320 亿活跃参数", False, False),  # the asked one
    ],
)
def test_another_member_and_an_extension(asked: str, text: str, sibling: bool, other_member: bool) -> None:
    from assistant.ask.surround import names_a_sibling

    names = [t for t in key_terms(f"How many parameters does {asked} activate?") if t.name]
    present = {t.text for t in names if MatchText(text).has(t)}
    assert names_a_sibling(text, names, present) is sibling
    assert names_a_sibling(text, names, present, extensions=False) is other_member


def test_the_row_of_the_case_the_question_sets_answers() -> None:
    from assistant.ask import answer_question
    from assistant.settings import Settings
    from tests.ask_fakes import FakeRetriever

    card = (
        "# Zorblax-9B\n\nRunning Zorblax-9B-Chat in BF16 takes about this much memory (batch size 1):\n\n"
        "| Prompt length | GPU memory | First token |\n|---|---|---|\n| 1000 | 19 GB | 0.2 s |\n"
        "| 8000 | 21 GB | 0.8 s |\n| 32000 | 28 GB | 4.3 s |\n| 128000 | 58 GB | 38 s |\n"
    )
    retriever = FakeRetriever([("card", "Zorblax-9B", "readmes/Zorblax-9B_README.md", card)], chunk_chars=800)
    question = "How much GPU memory does Zorblax-9B take in BF16 when the prompt is 128K tokens long?"
    answer = answer_question(question, retriever=retriever, settings=Settings(top_k=6))
    assert answer.status == "answered"
    assert answer.text.splitlines()[0].startswith("GPU memory: 58 GB")


def test_a_glossary_phrase_in_the_plural_leaves_no_word_of_its_own() -> None:
    terms = {t.text: t for t in key_terms("How many attention heads does Zorblax-13B have?")}
    assert "heads" not in terms and "attention head" in terms
    assert MatchText("| Attention头数 | 40 | 36 |").has(terms["attention head"])
