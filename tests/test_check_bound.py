"""Relations bound by a sentence's words: shares beside their operands, one quantity said twice then its change,
a figure restated per another period, worded products; and figures the words do not bind."""

from __future__ import annotations

import pytest

from assistant.check.changes import CHANGE_WORDS
from assistant.check.clauses import own_subject, parallel
from assistant.check.expr import tokenize
from assistant.check.implied import find_implied
from assistant.check.quantities import Qty, read_quantities
from assistant.check.written import find_written
from assistant.text import split_sentences


def relations(text: str) -> list[tuple[str, float, float, bool]]:
    out = []
    checks = find_written(text) + [c for c, _, _ in find_implied(text, split_sentences(text))]
    for check in sorted(checks, key=lambda c: c.start):
        assert text[check.start : check.end] == check.text
        out.append((check.relation, check.stated, round(check.computed, 4), check.consistent))
    return out


# (draft, [(relation, stated, computed, consistent)]); a wrong draft beside the right one where both are written
CASES = [
    # a share beside its part and whole: cue before or after the percentage, the part nearest before it
    ("Vendor A sold 3.1M of the 4.5M accelerators shipped, a 69% share.", [("ratio", 0.69, 0.6889, True)]),
    ("Vendor A sold 3.1M of the 4.5M accelerators shipped, a 58% share.", [("ratio", 0.58, 0.6889, False)]),
    ("模型总参数 6710 亿，每个 token 激活 370 亿，激活比例约为 5.5%。", [("ratio", 0.055, 0.0551, True)]),
    ("模型总参数 6710 亿，每个 token 激活 370 亿，激活比例约为 8.5%。", [("ratio", 0.085, 0.0551, False)]),
    ("测试集 5,000 道题，模型答对 4,120 道，准确率 84.2%。", [("ratio", 0.842, 0.824, False)]),
    ("Of the 2,400 GPUs in the cluster, 1,560 were busy at peak, a utilization of 65%.", [("ratio", 0.65, 0.65, True)]),
    # a margin: the profit's share of revenue, or the rest's share when the part is the cost
    # (the difference "minus … leaves" is a relation of its own, read beside the margin)
    ("Revenue of $30.0B minus $7.5B cost of sales leaves $22.5B of gross profit, a 75% gross margin.",
     [("sum", 22.5e9, 22.5e9, True), ("ratio", 0.75, 0.75, True)]),
    ("Revenue of $30.0B minus $7.5B cost of sales leaves $22.5B of gross profit, a 70% gross margin.",
     [("sum", 22.5e9, 22.5e9, True), ("ratio", 0.7, 0.75, False)]),
    ("毛利 18 亿元，营收 40 亿元，毛利率 40%。", [("ratio", 0.4, 0.45, False)]),
    # the whole a share implies, the part it implies
    ("HBM sales of $17B were 21% of DRAM revenue, which puts total DRAM revenue at about $61B.",
     [("ratio", 61e9, 80952380952.381, False)]),
    ("海外收入 36 亿元，占总收入的 24%，据此总收入约为 150 亿元。", [("ratio", 1.5e10, 1.5e10, True)]),
    ("云厂商资本开支 1,800 亿美元，其中 AI 占 62%，即约 1,216 亿美元。", [("ratio", 1.216e11, 1.116e11, False)]),
    # one quantity said twice, then the change between them
    ("去年收入 2.5 亿元，今年 3.5 亿元，同比增长 40%。", [("percentage_change", 0.4, 0.4, True)]),
    ("去年收入 2.5 亿元，今年 3.5 亿元，同比增长 28.6%。", [("percentage_change", 0.286, 0.4, False)]),
    ("Quarterly bookings were $820M in Q1 and $1,030M in Q2, a 21% sequential increase.",
     [("percentage_change", 0.21, 0.2561, False)]),
    ("去年单卡租金每小时 2.8 美元，今年每小时 2.1 美元，同比下降 25%。", [("percentage_change", 0.25, 0.25, True)]),
    ("Sales: $4.0B in 2023, $5.0B in 2024, +30%.", [("percentage_change", 0.3, 0.25, False)]),
    # restated per another period, or in another unit of time
    ("年化收入 36 亿元，折合每月约 3.5 亿元。", [("restatement", 3.5e8, 3e8, False)]),
    ("An annual run rate of $3.6B works out to $300M a month.", [("restatement", 3e8, 3e8, True)]),
    ("The job ran for 864,000 seconds, i.e. about 12 days.", [("restatement", 12.0, 10.0, False)]),
    ("每周新增 3.5 万名付费用户，相当于每天约 5,000 名。", [("restatement", 5000.0, 5000.0, True)]),
    ("At 1,750 tokens per second, the node produces about 126 million tokens a day.",
     [("restatement", 1.26e8, 1.512e8, False)]),
    ("年租金 1,440 万元，折合每月 150 万元。", [("restatement", 1.5e6, 1.2e6, False)]),
    # a product whose operands carry their per words
    ("H800 集群 2,048 卡 × 每卡每小时 2 美元 × 24 小时 = 每天 98,304 美元。", [("written", 98304.0, 98304.0, True)]),
    ("H800 集群 2,048 卡 × 每卡每小时 2 美元 × 24 小时 = 每天 49,152 美元。", [("written", 49152.0, 98304.0, False)]),
    # not bound: parallel figures are no part and whole; a clause with its own subject; a whole no figure carries;
    # "其中 38%" with no part stated; operands of a formula
    ("A 芯片功耗 700 瓦，B 芯片 1,000 瓦；B 芯片的良率为 60%。", []),
    ("Revenue grew to $13.5B from $7.2B a year ago, and data center revenue was 78% of the total.", []),
    ("模型上下文从 32K 扩展到 128K，推理成本下降了 40%。", []),
    ("The startup raised $600M at a $4B valuation, and 70% of its engineers work on inference.", []),
    ("该数据中心 IT 负载 20 兆瓦，总功耗 26 兆瓦，其中 38% 来自光伏。", []),
    ("2024 年出货 380 万台，2025 年预计 450 万台，毛利率维持在 42%。", []),
    ("去年营收 100 亿元，今年利润 20 亿元，同比增长 15%。", []),
    ("Revenue was $10B in 2023 and $12B in 2024, and headcount grew 5%.", []),
    ("2 * (grok3/1.1) in the high case (rl is 10% of grok 3)", []),
    # a ratio of other figures ("资产负债率"); a gross margin is no share of net profit
    ("公司现金储备 500 亿元，较年初增加 80 亿元，资产负债率 45%。", []),
    ("公司营收 1,520 亿元，同比增长 10.5%；净利润 320 亿元，同比增长 47%；毛利率 53%。", []),
]


@pytest.mark.parametrize(("draft", "expected"), CASES)
def test_bound(draft: str, expected: list[tuple[str, float, float, bool]]) -> None:
    assert relations(draft) == [(r, pytest.approx(s), pytest.approx(c, rel=1e-4), ok) for r, s, c, ok in expected]


def _qs(text: str) -> list[Qty]:
    return read_quantities(text, tokenize(text), 0, len(text), [])


# (sentence, index of the first figure, of the second, parallel)
PARALLEL = [
    ("去年收入 2.5 亿元，今年 3.5 亿元", 0, 1, True),
    ("$820M in Q1 and $1,030M in Q2", 0, 1, True),
    ("A 芯片功耗 700 瓦，B 芯片 1,000 瓦", 0, 1, True),
    ("营业利润 9 亿元，营收 60 亿元", 0, 1, False),
    ("公司 2,000 名员工中有 340 名研究员", 0, 1, False),
    ("Of the 2,400 GPUs in the cluster, 1,560 were busy", 0, 1, False),
    ("solved 243 of 300 tasks", 0, 1, False),
]


@pytest.mark.parametrize(("sentence", "i", "j", "expected"), PARALLEL)
def test_parallel(sentence: str, i: int, j: int, expected: bool) -> None:
    qs = _qs(sentence)
    assert parallel(sentence, qs[i], qs[j], 0) is expected


# (sentence, whether the percentage's clause has a subject of its own)
OWN_SUBJECT = [
    ("模型上下文从 32K 扩展到 128K，推理成本下降了 40%", True),
    ("去年收入 2.5 亿元，今年 3.5 亿元，同比增长 28.6%", False),
    ("Revenue was $10B in 2023 and $12B in 2024, and headcount grew 5%", True),
    ("Revenue was $10B in 2023 and $12B in 2024, a 20% increase", False),
]


@pytest.mark.parametrize(("sentence", "expected"), OWN_SUBJECT)
def test_own_subject(sentence: str, expected: bool) -> None:
    qs = _qs(sentence)
    assert own_subject(sentence, 0, qs[-2].end, qs[-1].start, CHANGE_WORDS) is expected
