"""Names and dates swapped into a sentence the sources state: the aligned stretch, the guards, the verdicts."""

from __future__ import annotations

import pytest
from helpers import OneChunkRetriever

from assistant.check import check_text
from assistant.check.namedates import aliases, dates_conflict, dates_in
from assistant.check.substitute import align
from assistant.settings import Settings

# (draft sentence, source sentence, (draft stretch, source stretch) or None when nothing may be flagged)
ALIGN_CASES = [
    # a name or a place swapped, the rest copied
    ("Mistral AI, founded in 2023, is headquartered in Berlin and sells its models to banks.",
     "Mistral AI, founded in 2023, is headquartered in Paris and sells its models to banks.",
     ("Berlin", "Paris")),
    ("Since 2021 Anthropic is led by chief executive Mike Krieger, who co-founded it after leaving a rival.",
     "Since 2021 Anthropic is led by chief executive Dario Amodei, who co-founded it after leaving a rival.",
     ("Mike Krieger", "Dario Amodei")),
    ("Since his first election in February 2016, Roger Goodell's presidency has focused on reforms.",
     "Since his first election in February 2016, Gianni Infantino's presidency has focused on reforms.",
     ("Roger Goodell", "Gianni Infantino")),
    ("Introducing Nova 2, an untethered headset designed for field work in Chinese factories.",
     "Introducing Orion 2, an untethered headset designed for field work in Chinese factories.",
     ("Nova", "Orion")),
    ("The Nobel Prize for 2018 was awarded to the novelist Peter Handke",
     "The Nobel Prize for 2018 was awarded to the novelist Olga Tokarczuk for her narrative imagination",
     ("Peter Handke", "Olga Tokarczuk")),
    ("零一万物由创新工场董事长周鸿祎于2023年创办，主打开源模型。",
     "零一万物由创新工场董事长李开复于2023年创办，主打开源模型。",
     ("周鸿祎", "李开复")),
    ("2024世界人工智能大会在深圳世博中心开幕，500多家企业参展。",
     "2024世界人工智能大会在上海世博中心开幕，500多家企业参展。",
     ("深圳", "上海")),
    ("智谱源自北京大学知识工程实验室的技术成果转化。",
     "智谱源自清华大学知识工程实验室的技术成果转化。",
     ("北京大学", "清华大学")),
    ("亚足联宣布日本成为本届亚洲杯的主办国，这是日本第二次主办。",
     "亚足联宣布阿联酋成为本届亚洲杯的主办国，这是阿联酋第二次主办。",
     ("日本", "阿联酋")),
    ("是J·K·罗琳的短篇回忆录集，收录了J·K·罗琳在1928年间所写的回忆录十篇。",
     "是鲁迅的短篇回忆录集，收录了鲁迅在1928年间所写的回忆录十篇。",
     ("J·K·罗琳", "鲁迅")),
    ("The reigning champion remains Hideki Matsuyama of Ireland after the cancellation.",
     "The reigning champion remains Shane Lowry of Ireland after the cancellation.",
     ("Hideki Matsuyama", "Shane Lowry")),
    # dates
    ("The model was released on April 2, 2011, after a long public beta.",
     "The model was released on April 20, 2018, after a long public beta.",
     ("April 2, 2011", "April 20, 2018")),
    ("该模型于2018年6月6日正式发布，并开放下载。",
     "该模型于2019年2月5日正式发布，并开放下载。",
     ("2018年6月6日", "2019年2月5日")),
    # the same thing said otherwise: never flagged
    ("OpenAI chief executive Altman said the company would ship a new model soon.",
     "OpenAI chief executive Sam Altman said the company would ship a new model soon.", None),
    ("The lab was founded in 2023 by Wenfeng Liang, who also runs a hedge fund.",
     "The lab was founded in 2023 by Liang Wenfeng, who also runs a hedge fund.", None),
    ("The role went to Casey Affleck after a long search by the studio.",
     "The role went to Ben Affleck after a long search by the studio.", None),
    ("In July 2024 the company released Llama 3, including a very large model.",
     "In July 2024 the company released Llama 3.1, including a very large model.", None),
    ("零一万物是由李开复于2023年创办的大模型公司。",
     "零一万物是由创新工场董事长李开复于2023年创办的大模型公司。", None),
    ("他执导的三部电影位列票房最高的电影之中。卡梅隆",
     "他执导的三部电影位列票房最高的电影之中。詹姆斯·卡梅隆", None),
    ("The chatbot was launched as a research preview on 30 November 2022, and went viral.",
     "The chatbot was launched as a research preview on November 30, 2022, and went viral.", None),
    ("百度于3月16日在北京召开发布会，正式推出大语言模型产品。",
     "百度于2023年3月16日在北京召开发布会，正式推出大语言模型产品。", None),
    # not a name: a verb, a lowercase word, a plain number (the figure path checks numbers)
    ("The company said on Monday that its sales rose sharply in the quarter.",
     "The company stated on Monday that its sales rose sharply in the quarter.", None),
    ("百度推出了ERNIE产品，并开放企业用户申请测试。",
     "百度推出了文心一言产品，并开放企业用户申请测试。", None),
    ("公司表示，今年营收增长明显，利润率也有所提升。",
     "公司指出，今年营收增长明显，利润率也有所提升。", None),
    ("The cluster has 2048 GPUs spread over racks in two halls.",
     "The cluster has 4096 GPUs spread over racks in two halls.", None),
    # versions of one product repeat each other's sentences; labels are not names
    ("But Llama 3.3 is a new technology, and like any new technology, there are risks in its use.",
     "But Llama 3.2 is a new technology, and like any new technology, there are risks in its use.", None),
    ("Model weights of DeepSeek-V2 are released under the model license for commercial use.",
     "Model weights of DeepSeek-V3 are released under the model license for commercial use.", None),
    ("Summary: token counts refer to pretraining data only, not to fine-tuning.",
     "Note: token counts refer to pretraining data only, not to fine-tuning.", None),
    ("| **Selected Experts per Token** | 8 | 8 |", "| **Experts Active per Token** | 8 | 8 |", None),
    # the shared words name nothing: the sentence is true of many things
    ("The model supports commercial use once the license is accepted by the user.",
     "The other model supports commercial use once the license is accepted by the user.", None),
    ("The Skywork model supports commercial use once the license is accepted.",
     "The TeleChat model supports commercial use once the license is accepted.", None),
    ("Set `EP_JIT_DEBUG` to 1 to print debugging information for the kernels.",
     "Set `DG_JIT_DEBUG` to 1 to print debugging information for the kernels.", None),
    # more than one difference, or too little shared
    ("Apple hired Smith in Paris to lead its design work for phones.",
     "Google hired Smith in London to lead its design work for phones.", None),
    ("Paris hosts it.", "London hosts it.", None),
    ("Mistral AI is headquartered in Paris, France, and was founded in April 2023.",
     "Mistral AI is headquartered in Paris and was founded in April 2023.", None),
]  # fmt: skip


@pytest.mark.parametrize(("draft", "source", "expected"), ALIGN_CASES)
def test_align(draft: str, source: str, expected: tuple[str, str] | None) -> None:
    swap = align(draft, (0, len(draft)), source, (0, len(source)))
    got = None if swap is None else (swap.draft.text, swap.source.text)
    assert got == expected


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("Altman", "Sam Altman", True),
        ("Yifei Liu", "Liu Yifei", True),
        ("罗琳", "J·K·罗琳", True),
        ("Llama 3", "Llama 3.1", True),
        ("Nova 2", "Orion 2", False),
        ("Peter Handke", "Olga Tokarczuk", False),
        ("北京大学", "清华大学", False),
    ],
)
def test_aliases(a: str, b: str, expected: bool) -> None:
    assert aliases(a, b) is expected


@pytest.mark.parametrize(
    ("text", "fields"),
    [
        ("on April 18, 2024, and", [(2024, 4, 18)]),
        ("on 30 November 2022,", [(2022, 11, 30)]),
        ("于2023年3月16日在北京", [(2023, 3, 16)]),
        ("于3月16日在北京", [(None, 3, 16)]),
        ("苏联于1991年解体", [(1991, None, None)]),
        ("founded in 2015 by", [(2015, None, None)]),
        ("with 2048 GPUs", []),
    ],
)
def test_dates_in(text: str, fields: list[tuple[int | None, int | None, int | None]]) -> None:
    assert [d.date for d in dates_in(text, 0, len(text))] == fields


@pytest.mark.parametrize(
    ("a", "b", "conflict"),
    [
        ("April 18, 2024", "2024年4月18日", False),
        ("3月16日", "2023年3月16日", False),
        ("July 2024", "April 2024", True),
        ("2012年1月24日", "2020年11月24日", True),
    ],
)
def test_dates_conflict(a: str, b: str, conflict: bool) -> None:
    (da,), (db,) = dates_in(a, 0, len(a)), dates_in(b, 0, len(b))
    assert dates_conflict(da, db) is conflict


# --- through check_text, against a small fake index ---------------------------------------------------------

DOCS = {
    "summit": (
        "Summit report",
        "news/summit.md",
        "The AI Action Summit was held in Paris in February 2025, co-chaired by two countries. "
        "The previous summit took place at Bletchley Park in November 2023.",
    ),
    "lab": (
        "Lab profile",
        "news/lab.md",
        "DeepSeek is a Hangzhou-based AI lab founded in 2023 by Liang Wenfeng, who also co-founded a hedge fund.",
    ),
    "cup_a": ("Cup report A", "news/cup_a.md", "The 2031 cup final was played in Lisbon before a full stadium."),
    "cup_b": ("Cup report B", "news/cup_b.md", "The 2031 cup final was played in Madrid before a full stadium."),
    "rent": ("算力市场", "zh/rent.md", "2024年上半年，H100的算力租金一度涨到每小时4.5美元以上。"),
    "launch": ("Launch note", "news/launch.md", "百度于2023年3月16日在北京召开发布会，正式推出大语言模型产品文心一言。"),
}


def FakeRetriever() -> OneChunkRetriever:
    """Every document's single chunk, best word overlap first, shared characters breaking ties."""
    return OneChunkRetriever(DOCS, char_overlap=True)


# (draft, contradicted claims as (draft stretch, source stretch, cited document))
CHECK_CASES = [
    ("The AI Action Summit was held in Geneva in February 2025, co-chaired by two countries.",
     [("Geneva", "Paris", "summit")]),
    ("DeepSeek is a Hangzhou-based AI lab founded in 2023 by Yang Zhilin, who also co-founded a hedge fund.",
     [("Yang Zhilin", "Liang Wenfeng", "lab")]),
    ("百度于2022年11月8日在北京召开发布会，正式推出大语言模型产品文心一言。",
     [("2022年11月8日", "2023年3月16日", "launch")]),
    # true, or said otherwise: nothing contradicted
    ("The AI Action Summit was held in Paris in February 2025, co-chaired by two countries.", []),
    ("DeepSeek is a Hangzhou-based AI lab founded in 2023 by Wenfeng Liang, who also co-founded a hedge fund.", []),
    ("The previous summit took place at Bletchley Park in November 2023.", []),
    # a date that is the period of a figure in the sentence: the figure path judges it
    ("2023年上半年，H100的算力租金一度涨到每小时4.5美元以上。", []),
    # two sources disagree: the draft's version is stated by one of them
    ("The 2031 cup final was played in Lisbon before a full stadium.", []),
    ("The 2031 cup final was played in Madrid before a full stadium.", []),
]  # fmt: skip


@pytest.mark.parametrize(("draft", "expected"), CHECK_CASES)
def test_check_text_substitutions(draft: str, expected: list[tuple[str, str, str]]) -> None:
    report = check_text(draft, retriever=FakeRetriever(), settings=Settings())
    got = [
        (c.figure.text, c.source_figure.text if c.source_figure else "", c.evidence[0].doc_id)
        for c in report.claims
        if c.verdict == "contradicted"
    ]
    assert got == expected
    for c in report.claims:
        if c.verdict == "contradicted":
            quote = c.evidence[0]
            assert DOCS[quote.doc_id][2][quote.start : quote.end] == quote.quote
            assert c.source_figure is not None and c.source_figure.text in quote.quote
