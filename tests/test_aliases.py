"""Cross-script name aliases learned from the indexed documents (``assistant.index.aliases``) and their use on a
question's terms (``assistant.ask.indexnames.with_aliases``)."""

from __future__ import annotations

import pytest

from assistant.ask.indexnames import names_written, with_aliases
from assistant.ask.terms import Term, about, key_terms, translated_query
from assistant.index import aliases
from assistant.index.aliases import AliasTable, table_for
from tests.ask_fakes import FakeRetriever

# Invented firms, so no pair can come from the seed vocabulary.
_FILLER = "这是一段在中国写的普通说明文字，用来凑够篇幅。\n"
DOCS = [
    (
        "d1",
        "星云科技 2024 年营收增长三成",
        "docs/Nebulatech_results_news_zh.md",
        "# 星云科技 2024 年营收增长三成\n星云科技今天发布年报。公司营收 12.5 亿元。星云科技表示明年继续扩产。\n"
        + _FILLER,
    ),
    (
        "d2",
        "Aurora-7B 模型说明",
        "docs/Aurora-7B_README_zh.md",
        "Aurora-7B 是由极光智能（Borealis）训练的模型。极光智能成立于 2019 年。\n"
        "模型采用混合专家（MoE）架构，把三个权重合并成一个矩阵（Wqkv），矩阵乘法更快，大矩阵也一样。\n"
        "量化效果（Evaluation）见下表。evaluation 的方法和 evaluation 的数据另见附录。\n" + _FILLER,
    ),
    (
        "d3",
        "Qilin report",
        "docs/Qilin_report_zh.md",
        "麒麟光电（Qilin Photonics）发布新品。麒麟光电的营收为 3 亿元。" + _FILLER,
    ),
    ("d4", "中国算力报告", "docs/Compute_report_zh.md", "# 中国算力报告\n中国的算力规模达到 280 EFLOPS。中国领先。"),
    ("d5", "Notes", "docs/notes_en.md", "China and 中国 in an English note. Another 中国 mention. 中国 again."),
]


@pytest.fixture(autouse=True)
def _fresh_tables() -> None:
    aliases._tables.clear()


def _mined() -> set[tuple[str, str]]:
    r = FakeRetriever(DOCS)
    docs = r.documents()
    return set(aliases.mine(docs, [r.document_text(d.id) for d in docs]))


def test_a_chinese_word_beside_several_names_is_no_alias() -> None:
    pairs = [("Orbit 3", "说明书"), ("Orbit 3.1", "说明书"), ("Borealis", "极光智能"), ("Borealis", "极光")]
    assert aliases.one_to_one(pairs) == [("Borealis", "极光智能"), ("Borealis", "极光")]


@pytest.mark.parametrize(
    ("pair", "mined"),
    [
        (("Nebulatech", "星云科技"), True),  # a file-name word the text never writes; the headline's name
        (("Borealis", "极光智能"), True),  # a bracketed Latin name after its Chinese name (after a particle)
        (("Qilin Photonics", "麒麟光电"), True),  # two Latin words, four Chinese characters
        (("MoE", "混合专家"), False),  # a bracketed abbreviation
        (("Wqkv", "矩阵"), False),  # the end of a longer phrase, cut after no particle
        (("Evaluation", "量化效果"), False),  # a word the documents write in lower case
        (("Compute", "中国"), False),  # a headline word many documents write
    ],
)
def test_mined_pairs(pair: tuple[str, str], mined: bool) -> None:
    assert (pair in _mined()) is mined


def test_only_mined_pairs() -> None:
    assert _mined() == {("Nebulatech", "星云科技"), ("Borealis", "极光智能"), ("Qilin Photonics", "麒麟光电")}


def test_table_both_ways_and_by_key() -> None:
    t = AliasTable([("Moore Threads", "摩尔线程"), ("MooreThreads", "摩尔线程"), ("A", "B")])
    assert t.of("Moore Threads") == ("摩尔线程",)
    assert t.of("moore-threads") == ("摩尔线程",)
    assert t.of("摩尔线程") == ("moore threads", "moorethreads")
    assert t.of("A") == ()  # same script: no alias


@pytest.mark.parametrize(
    ("question", "found"),
    [
        ("What did Moore Threads earn?", [("moorethreads", ("摩尔线程",))]),
        ("What did MooreThreads earn?", [("moorethreads", ("摩尔线程",))]),
        ("摩尔线程的营收是多少？", [("摩尔线程", ("moore threads",))]),
        ("what did moore threads earn?", []),  # not written as a name
        ("每个参数占 2 摩尔线程", []),  # a unit after a number
        ("What did Moorethreadsx earn?", []),  # inside a longer word
    ],
)
def test_names_written(question: str, found: list[tuple[str, tuple[str, ...]]]) -> None:
    assert names_written(question, AliasTable([("Moore Threads", "摩尔线程")])) == found


def test_question_terms_take_the_mined_aliases() -> None:
    r = FakeRetriever(DOCS)
    terms = with_aliases(key_terms("What revenue did Nebulatech report?"), "What revenue did Nebulatech report?", r)
    neb = next(t for t in terms if t.text == "nebulatech")
    assert neb.aliases == ("星云科技",)
    assert neb.forms == ("nebulatech", "星云科技")
    assert all(not t.aliases for t in terms if t.text != "nebulatech")


def test_a_name_of_two_words_goes_to_both() -> None:
    r = FakeRetriever(DOCS)
    q = "What revenue did Qilin Photonics report?"
    terms = {t.text: t.aliases for t in with_aliases(key_terms(q), q, r)}
    assert terms["qilin"] == ("麒麟光电",)
    assert terms["photonics"] == ("麒麟光电",)


def test_a_longer_name_is_another_thing() -> None:
    r = FakeRetriever(DOCS)
    q = "What did Qilin Photonics-Pro cost?"
    terms = {t.text: t.aliases for t in with_aliases(key_terms(q), q, r)}
    assert terms["photonicspro"] == ()


@pytest.mark.parametrize(
    ("word", "aliases"),
    [
        ("星云科技公司", ("nebulatech",)),  # a Chinese word starting with the name: the firm with what it is
        ("星云科技", ("nebulatech",)),
        ("新星云科技", ()),  # holding it elsewhere: another name
    ],
)
def test_a_chinese_word_starting_with_the_name_takes_it(word: str, aliases: tuple[str, ...]) -> None:
    r = FakeRetriever(DOCS)
    term = Term(text=word, label=word, forms=(word,), weight=4.0)
    assert with_aliases([term], f"{word} 2024 年营收是多少？", r)[0].aliases == aliases


def test_table_is_cached_by_state(tmp_path) -> None:  # type: ignore[no-untyped-def]
    r = FakeRetriever(DOCS)
    first = table_for(r)
    assert table_for(r) is first
    changed = FakeRetriever(DOCS[:1])
    assert table_for(changed) is not first
    assert table_for(changed).of("nebulatech") == ("星云科技",)
    assert table_for(changed).of("borealis") == ()


def test_disk_cache_is_keyed_by_state(tmp_path) -> None:  # type: ignore[no-untyped-def]
    docs = FakeRetriever(DOCS).documents()
    aliases._write_cache(tmp_path, "s1", [("Nebulatech", "星云科技")])
    assert aliases._read_cache(tmp_path, "s1") == [("Nebulatech", "星云科技")]
    assert aliases._read_cache(tmp_path, "s2") is None
    assert aliases.state_of(docs) != aliases.state_of(docs[:2])


def test_titles_and_queries_use_aliases() -> None:
    t = Term(text="nebulatech", label="Nebulatech", forms=("nebulatech", "星云科技"), weight=2, name=True,
             aliases=("星云科技",))
    assert about([t], "星云科技 2024 年营收增长三成", "docs/x.md") == 1.0
    assert about([t.model_copy(update={"aliases": ()})], "星云科技 2024 年营收增长三成", "docs/x.md") == 0.0
    assert translated_query([t]) == "Nebulatech 星云科技"
