"""Claim extraction, subjects, entities, metric concepts and value comparison for the draft checker."""

from __future__ import annotations

import pytest

from assistant.check.claims import find_claims
from assistant.check.compare import compare_values, tolerance, units_compatible
from assistant.check.entities import find_entities, versions_compatible
from assistant.check.figures import read_figures
from assistant.check.lexicon import find_concepts
from tools.figures import parse_figures

# (draft, [(figure text, value, unit, hedge)])
CLAIMS = [
    (
        "DeepSeek-V3 required 2.788M H800 GPU hours for its full training.",
        [("2.788M H800 GPU hours", 2.788e6, "gpu_hour", None)],
    ),
    (
        "DeepSeek-V3在约14.8万亿Token上完成预训练，仅消耗了约278.8万GPU小时。",
        [("约14.8万亿Token", 1.48e13, "token", "about"), ("约278.8万GPU小时", 2.788e6, "gpu_hour", "about")],
    ),
    ("英伟达数据中心收入高达512亿美元。", [("高达512亿美元", 5.12e10, "usd", "up_to")]),
    ("H100的租金是每小时2.5美元。", [("每小时2.5美元", 2.5, "usd_per_hour", None)]),
    (
        "Assuming $2 per GPU hour, it cost $5.576M.",
        [("$2 per GPU hour", 2.0, "usd_per_gpu_hour", None), ("$5.576M", 5.576e6, "usd", None)],
    ),  # fmt: skip
    ("华为昇腾拿下了近80%的份额。", [("近80%", 0.8, "percent", "about")]),
    ("营收激增逾40倍。", [("逾40倍", 40.0, "times", "more_than")]),
    ("Its share rose to 八成.", [("八成", 0.8, "percent", None)]),
    ("DeepSeek-V3 was released in December 2024.", [("December 2024", 202412.0, "date", None)]),
    ("2024年12月，DeepSeek发布了V3模型。", [("2024年12月", 202412.0, "date", None)]),
    ("The H20 ban lasted three months.", [("three months", 3.0, "month", None)]),
    (
        "Intel sold one million Gaudi 3 accelerators in 2025.",
        [("one million Gaudi 3 accelerators", 1e6, "gpu", None)],
    ),
    ("GLM-4.5拥有3550亿总参数量。", [("3550亿总参数量", 3.55e11, "param", None)]),
    ("Llama 4 used **7.38M** GPU hours.", [("7.38M** GPU hours", 7.38e6, "gpu_hour", None)]),
    ("价格下调了12%—18%。", [("12%—18%", 0.15, "percent", None)]),
    # counts with a measure word or a counted noun, unitless scores, dates of events
    ("第六届立法会共有170个议席。", [("170", 170.0, None, None)]),
    ("Kimi K2 共有 384 个专家。", [("384", 384.0, None, None)]),
    ("The 3FS read test ran on 180 storage nodes.", [("180", 180.0, None, None)]),
    ("Grok-1 has 64 layers.", [("64", 64.0, None, None)]),
    ("Baichuan 2 scored about 83 on CMMLU.", [("about 83", 83.0, None, "about")]),
    ("Skywork-13B-Base 在 CMMLU 上得分约 71。", [("约 71", 71.0, None, "about")]),
    ("腾讯混元 Hunyuan-Large 总参数约 3890 亿。", [("约 3890 亿", 3.89e11, "param", "about")]),
    ("Llama 3.1 was released on July 23, 2024.", [("July 23, 2024", 202407.0, "date", None)]),
    # a generation number after a name and a metric's "@1" are no figures; a number grouped by thousands is one
    ("StarCoder2-7B scores 35.4 pass@1 on HumanEval.", [("35.4", 35.4, None, None)]),
    ("百川 2 的社区许可要求日活跃用户低于 1000 万才能免费商用。", [("低于 1000 万", 1e7, None, "less_than")]),
    ("Gemma 2 系列模型的词表大小是 128,064。", [("128,064", 128064.0, None, None)]),
    ("七七事变发生于1937年7月7日。", [("1937年7月7日", 193707.0, "date", None)]),
    ("飞船于2006年1月17日07时30分31秒成功发射。", [("2006年1月17日", 200601.0, "date", None)]),
]

NOT_CLAIMS = [
    "See Section 3.2 and Table 4 for the 2nd stage of Llama 3.1 training.",
    "第三章介绍了DeepSeek-V3的架构。",
    "DeepSeek-V3 and Qwen3 are open models; V3 came first.",
    "寒武纪（688256.SH）在过去两年里发展迅速。",
    "融资数亿、甚至数十亿美元的公司。",
    "NVIDIA的销量是否会缩减九成？",
    "两年前价值很高。",
    "In a 2025 meeting, Huang talked about inference.",
    "这是为了防止某一天出现问题，用好每一颗晶体管。",
    "Table 4 lists the results of Llama 3.1.",
    "详见第3章中 DeepSeek-V3 的介绍。",
    "In 2025 the firm grew.",
]


@pytest.mark.parametrize(("draft", "expected"), CLAIMS)
def test_claims_found_with_normalised_values(draft: str, expected: list[tuple]) -> None:
    claims, _, _ = find_claims(draft)
    got = [(c.ctx.figure.text, c.ctx.figure.value, c.ctx.figure.unit, c.ctx.figure.hedge) for c in claims]
    assert [(t, u, h) for t, _, u, h in got] == [(t, u, h) for t, _, u, h in expected]
    for (_, value, _, _), (_, want, _, _) in zip(got, expected, strict=True):
        assert value == pytest.approx(want, rel=1e-9)
    for c in claims:
        assert draft[c.ctx.figure.start : c.ctx.figure.end] == c.ctx.figure.text
        assert draft[c.ctx.sentence[0] : c.ctx.sentence[1]] == c.ctx.sentence_text


@pytest.mark.parametrize("draft", NOT_CLAIMS)
def test_not_claims(draft: str) -> None:
    claims, _, _ = find_claims(draft)
    assert [c.ctx.figure.text for c in claims] == []


# (draft, figure text, subject entity keys, subject text)
SUBJECTS = [
    (
        "DeepSeek-V3 required 2.788M H800 GPU hours for its full training.",
        "2.788M H800 GPU hours",
        ["deepseek:v3", "chip:h800"],
        "DeepSeek-V3 · H800 · GPU hours · full training",
    ),
    (
        "华为昇腾在招标中拿下了近80%的市场份额，寒武纪营收激增逾40倍。",
        "逾40倍",
        ["cambricon"],
        "寒武纪 · 营收",
    ),
    (
        "DeepSeek-V3的出现是一个反例。这一旗舰模型仅消耗了约278.8万GPU小时。",
        "约278.8万GPU小时",
        ["deepseek:v3"],
        "DeepSeek-V3 · GPU小时",
    ),
    ("2025财年，NVIDIA的毛利率维持在75%左右。", "75%左右", ["nvidia"], "NVIDIA · 毛利率 · 2025"),
    (
        "DeepSeek assumed an H800 rental price of $3 per GPU hour.",
        "$3 per GPU hour",
        ["deepseek", "chip:h800"],
        "DeepSeek · H800 · rental",
    ),  # fmt: skip
]


@pytest.mark.parametrize(("draft", "figure", "keys", "subject"), SUBJECTS)
def test_subjects(draft: str, figure: str, keys: list[str], subject: str) -> None:
    claims, _, _ = find_claims(draft)
    claim = next(c for c in claims if c.ctx.figure.text == figure)
    assert [e.key for e in claim.subjects] == keys
    assert claim.subject_text == subject


ENTITIES = [
    ("DeepSeek-V3 vs DeepSeek-V2", ["deepseek:v3", "deepseek:v2"]),
    ("DeepSeek\ufffeV3 in a PDF", ["deepseek:v3"]),
    ("Llama 4 and Llama 3.1 and llama3_2", ["llama:4", "llama:3.1", "llama:3.2"]),
    ("英伟达H20与华为昇腾", ["nvidia", "chip:h20", "huawei", "chip:ascend"]),
    ("Qwen3-235B-A22B on GB200", ["qwen:3-235b-a22b", "chip:gb200"]),
    ("V3模型", []),  # a bare version names DeepSeek only when DeepSeek is mentioned
    ("DeepSeek发布了V3模型", ["deepseek", "deepseek:v3"]),
    ("metadata of Meta", ["meta"]),
    # names read by their shape, in no vocabulary
    ("Skywork-13B-Base scored 61.8", ["skywork:13b-base"]),
    ("源2.0-102B 的精度", ["源:2.0-102b"]),
    ("Yuan 2.0-2B supports", ["yuan:2.0-2b"]),
    ("Hunyuan-Large and Qwen2.5-72B", ["hunyuan:large", "qwen:2.5-72b"]),
    ("XVERSE-13B beside FP8 and MMLU-Pro", ["xverse:13b"]),
    ("Zorblax-7B, then Zorblax-7B-Chat and M2", ["zorblax:7b", "zorblax:7b-chat", "zorblax:m2"]),
    ("FY2025 Q1 H1 revenue", []),
]


@pytest.mark.parametrize(("text", "keys"), ENTITIES)
def test_entities(text: str, keys: list[str]) -> None:
    assert [e.key for e in find_entities(text)] == keys


def test_bare_version_takes_the_family_of_its_context() -> None:
    context = find_entities("Zorblax-7B is new.")
    assert [e.key for e in find_entities("V3模型", 100, context=context)] == ["zorblax:v3"]


VERSIONS = [
    ("13b", "13b-base", True),
    ("2.0-2b", "2.0-2b", True),
    ("3.1", "3.1-405b", False),
    ("4", "4-scout", False),
    ("a52b-instruct-fp8", "a52b", True),
]


@pytest.mark.parametrize(("a", "b", "same"), VERSIONS)
def test_versions_compatible(a: str, b: str, same: bool) -> None:
    assert versions_compatible(a, b) is same


CONCEPTS = [
    ("saves 42.5% of training costs", {"reduce", "train", "cost"}),
    ("reduces the KV cache by 93.3%", {"reduce", "kv_cache"}),
    ("仅消耗了约278.8万GPU小时", {"gpu_hours"}),
    ("其总训练成本约为557.6万美元", {"total", "train", "cost"}),
    ("the pre-training of DeepSeek-V3", {"pretrain", "train"}),
    ("shared experts", {"experts"}),
    ("数据中心收入", {"data_center", "revenue"}),
    ("算力租金", {"price"}),
    ("| 词表大小 |", {"vocab"}),
    ("a vocabulary of 32,000 tokens", {"vocab", "tokens"}),
    ("the hidden dimension is 4,096", {"hidden"}),
    ("| 隐藏层维度 |", {"hidden"}),
    ("| hidden_dim (expert FFN) |", {"experts"}),  # the experts' width, not the model's hidden size
]


@pytest.mark.parametrize(
    ("text", "objects", "unit"),
    [
        ("Skywork-13B uses a vocabulary of 32,000 tokens.", {"vocab"}, None),  # entries, not data
        ("Skywork-13B was trained on 3.2T tokens.", {"tokens"}, "token"),
    ],
)
def test_a_vocabulary_counts_entries(text: str, objects: set[str], unit: str | None) -> None:
    claim = find_claims(text)[0][0]
    assert (claim.ctx.objects, claim.ctx.figure.unit) == (objects, unit)


@pytest.mark.parametrize(("text", "ids"), CONCEPTS)
def test_concepts_both_languages(text: str, ids: set[str]) -> None:
    assert set(find_concepts(text)) == ids


def _fig(text: str):
    return parse_figures(text)[0]


# (claim, source, outcome): rounding, hedges, percent vs fraction, ranges, dates, scale words across scripts
COMPARISONS = [
    ("2.79M GPU hours", "2.788M GPU hours", "match"),
    ("约278.8万GPU小时", "2.788M GPU hours", "match"),
    ("2.8 million GPU hours", "2,788K GPU hours", "match"),
    ("3M GPU hours", "2.788M GPU hours", "mismatch"),  # unhedged rounding may not stretch 7.6%
    ("about 3M GPU hours", "2.788M GPU hours", "match"),
    ("近300万GPU小时", "2.788M GPU hours", "match"),
    ("$3 per GPU hour", "$2 per GPU hour", "mismatch"),
    ("63.3%", "93.3%", "mismatch"),
    ("八成", "80%", "match"),
    ("0.8成", "8%", "match"),
    ("每小时4.5美元以上", "4.5美元/小时以上", "match"),
    ("more than 40 times", "逾40倍", "match"),
    ("more than 50 times", "40倍", "mismatch"),
    ("less than 10%", "8%", "match"),
    ("less than 10%", "12%", "mismatch"),
    ("more than 70 million", "more than 700 million", "compatible"),  # true, but not the source's threshold
    ("more than 600 million", "more than 700 million", "match"),
    ("低于 1000 万", "低于 100 万", "compatible"),
    ("up to 30 times", "最高可达30倍", "match"),
    ("约18.4万亿Token", "14.8T tokens", "mismatch"),
    ("12%-18%", "15%", "match"),
    ("412亿美元", "$51.2 billion", "mismatch"),
    ("557.6万美元", "$5.576M", "match"),
    ("2025年4月", "April 2025", "match"),
    ("2025年", "2025年4月", "match"),
    ("2025年6月", "2025年4月", "mismatch"),
    ("2025年4月", "2025年", "compatible"),
    ("3550亿", "3550", "compatible"),  # a lost scale word is not a different statement
    ("5.07x", "1.37x to 5.07x", "match"),  # an end of the source's range
    ("3x", "1.37x to 5.07x", "compatible"),  # inside it: the source never says 3x was reached
    ("8x", "1.37x to 5.07x", "mismatch"),
    ("up to 3x", "1.37x to 5.07x", "mismatch"),  # "up to" names the high end
]


@pytest.mark.parametrize(
    ("claim", "end", "outcome"),
    [("2.37 倍", "low", "mismatch"), ("1.37 倍", "low", "match"), ("5.07 倍", "low", "mismatch")],
)
def test_compare_with_a_named_end_of_a_range(claim: str, end: str, outcome: str) -> None:
    assert compare_values(_fig(claim), _fig("1.37x to 5.07x"), end=end) == outcome


@pytest.mark.parametrize(("claim", "source", "outcome"), COMPARISONS)
def test_compare_values(claim: str, source: str, outcome: str) -> None:
    assert compare_values(_fig(claim), _fig(source)) == outcome


def test_tolerance_follows_written_precision_and_hedge() -> None:
    assert tolerance(_fig("2.79M GPU hours")) == pytest.approx(5000)
    assert tolerance(_fig("about 3M GPU hours")) == pytest.approx(300000)
    assert tolerance(_fig("3M GPU hours")) == pytest.approx(150000)


def test_units_compatible() -> None:
    assert units_compatible("usd_per_gpu_hour", "usd_per_hour")
    assert not units_compatible("usd", "cny")
    assert not units_compatible("percent", "percentage_point")
    assert not units_compatible("gpu", "node")


def test_read_figures_keeps_offsets_through_markdown() -> None:
    text = "GLM-4.5拥有 **3550** 亿总参数量，Training utilized **39.3**M GPU hours."
    figs = read_figures(text)
    assert [(f.text, f.value, f.unit) for f in figs] == [
        ("3550** 亿总参数量", 3.55e11, "param"),
        ("39.3**M GPU hours", 3.93e7, "gpu_hour"),
    ]
    assert all(text[f.start : f.end] == f.text for f in figs)


# A Chinese measure word between a number and its unit word; money words after one are not a unit ("个词元")
MEASURE_WORDS = [
    ("最大序列长度为 4,096 个 token。", [("4,096 个 token", 4096.0, "token")]),
    ("训练用了 8 块 GPU", [("8 块", 8.0, "gpu")]),
    ("每个 token 选择 3 个词元", [("3 个词元", 3.0, "token")]),
    ("Kimi K2 共有 512 个专家", [("512", 512.0, None)]),
]


@pytest.mark.parametrize(("text", "expected"), MEASURE_WORDS)
def test_read_figures_unit_after_measure_word(text: str, expected: list[tuple[str, float, str | None]]) -> None:
    figs = read_figures(text)
    assert [(f.text, f.value, f.unit) for f in figs] == expected
    assert all(text[f.start : f.end] == f.text for f in figs)


@pytest.mark.parametrize(
    ("draft", "figure", "keys"),
    [
        ("Qwen3 在 GSM8K 上得到 79.6 分，超过了 GPT-3.5。", "79.6", ["qwen:3", "gsm8k"]),  # a baseline
        ("Qwen3 scores 79.6 on GSM8K and outperforms GPT-3.5.", "79.6", ["qwen:3", "gsm8k"]),
        ("Qwen3 在 MMLU 上得到 73.7 分，高于 GPT-3.5 的 70.0 分。", "70.0", ["gpt:3.5"]),  # its own figure
    ],
)
def test_an_entity_after_a_comparative_is_a_baseline_unless_it_owns_the_figure(
    draft: str, figure: str, keys: list[str]
) -> None:
    claims, _, _ = find_claims(draft)
    claim = next(c for c in claims if c.ctx.figure.text == figure)
    assert [e.key for e in claim.subjects] == keys
