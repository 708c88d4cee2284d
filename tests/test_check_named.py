"""Relations bound across a sentence's names, ranges, fractions in words and the sentence before: each wrong draft
beside the right one it was made from."""

from __future__ import annotations

import pytest

from assistant.check.implied import find_implied
from assistant.check.written import find_written
from assistant.text import split_sentences


def implied(text: str) -> list[tuple[str, float, float, bool]]:
    out = []
    for check, _, _ in find_implied(text, split_sentences(text)):
        assert text[check.start : check.end] == check.text
        out.append((check.relation, check.stated, round(check.computed, 4), check.consistent))
    return out


CASES = [
    # two named subjects: each name's own figure, the base after "than" / 比
    ("Vendor Lark charges $10 per hour and Vendor Wren charges $8, so Wren is 20% cheaper than Lark.",
     [("percentage_change", 0.2, 0.2, True)]),
    ("Vendor Lark charges $10 per hour and Vendor Wren charges $8, so Wren is 25% cheaper than Lark.",
     [("percentage_change", 0.25, 0.2, False)]),
    ("Alpha-3 scored 72 and Beta-1 scored 90; Alpha-3 is 20% lower than Beta-1.", [("percentage_change", 0.2, 0.2, True)]),
    ("Alpha-3 scored 72 and Beta-1 scored 90; Alpha-3 is 25% lower than Beta-1.",
     [("percentage_change", 0.25, 0.2, False)]),
    ("Rook used 8T tokens, while Pawn used 10T tokens, 25% more than Rook.", [("percentage_change", 0.25, 0.25, True)]),
    ("Rook used 8T tokens, while Pawn used 10T tokens, 20% more than Rook.", [("percentage_change", 0.2, 0.25, False)]),
    ("芯片 A 售价 2 万美元，芯片 B 售价 2.5 万美元，A 的价格比 B 低 20%。", [("percentage_change", 0.2, 0.2, True)]),
    ("芯片 A 售价 2 万美元，芯片 B 售价 2.5 万美元，A 的价格比 B 低 25%。", [("percentage_change", 0.25, 0.2, False)]),
    ("甲方案每月 40 万元，乙方案每月 50 万元，乙比甲贵 25%。", [("percentage_change", 0.25, 0.25, True)]),
    ("甲方案每月 40 万元，乙方案每月 50 万元，乙比甲贵 20%。", [("percentage_change", 0.2, 0.25, False)]),
    # the words must say the direction the figures have
    ("甲方案每月 40 万元，乙方案每月 50 万元，乙比甲便宜 25%。", [("percentage_change", 0.25, -0.25, False)]),
    ("X 公司营收 48 亿元，Y 公司 12 亿元，X 是 Y 的 4 倍。", [("ratio", 4.0, 4.0, True)]),
    ("X 公司营收 48 亿元，Y 公司 12 亿元，X 是 Y 的 5 倍。", [("ratio", 5.0, 4.0, False)]),
    ("Oak's corpus has 6 trillion tokens and Elm's has 1.5 trillion, so Oak's is four times the size of Elm's.",
     [("ratio", 4.0, 4.0, True)]),
    ("Falcon costs $18 per hour and Osprey costs $12 per hour; Osprey is 50% below Falcon.",
     [("percentage_change", 0.5, 0.3333, False)]),
    ("A 型号功耗 500 瓦，B 型号功耗 400 瓦，B 较 A 低 20%。", [("percentage_change", 0.2, 0.2, True)]),
    ("甲公司员工 800 人，乙公司员工 1,000 人，甲公司比乙公司少 25%。", [("percentage_change", 0.25, 0.2, False)]),
    ("Nova's revenue was $40M and Pulsar's $50M; Pulsar earned 25% more than Nova, and Nova 20% less than Pulsar.",
     [("percentage_change", 0.25, 0.25, True), ("percentage_change", 0.2, 0.2, True)]),
    ("Nova's revenue was $40M and Pulsar's $50M; Pulsar earned 25% more than Nova, and Nova 25% less than Pulsar.",
     [("percentage_change", 0.25, 0.25, True), ("percentage_change", 0.25, 0.2, False)]),
    # a quality the figures may measure inversely (watts for efficiency): read by no relation
    ("Titan draws 1,200 W and Atlas draws 900 W, which makes Atlas 33% more efficient than Titan.", []),
    # a name owning two figures of the kind, or no figure: not read
    ("Lark costs $10 and $12, Wren costs $8; Wren is 20% cheaper than Lark.", []),
    ("Wren is 20% cheaper than Lark.", []),
    # a range from a range, end by end
    ("Each board costs $4,000 to $5,000, so 200 boards cost $800,000 to $1,000,000.",
     [("ratio", 800000.0, 800000.0, True), ("ratio", 1e6, 1e6, True)]),
    ("Each board costs $4,000 to $5,000, so 200 boards cost $800,000 to $1,200,000.",
     [("ratio", 800000.0, 800000.0, True), ("ratio", 1.2e6, 1e6, False)]),
    ("每周成本 100 万美元，需 4 到 6 周，共 400 万到 600 万美元。", []),
    ("需要 4 到 6 周，每周成本 100 万美元，共 400 万到 700 万美元。",
     [("ratio", 4e6, 4e6, True), ("ratio", 7e6, 6e6, False)]),
    ("At 50-100 tokens per second, a 3,000-token report takes 30 to 60 seconds.",
     [("ratio", 30.0, 30.0, True), ("ratio", 60.0, 60.0, True)]),
    ("Between 10% and 20% of the 5,000 jobs failed, that is 500 to 1,000 jobs.",
     [("ratio", 500.0, 500.0, True), ("ratio", 1000.0, 1000.0, True)]),
    ("Prices range from $2 to $4 per hour, so a 100-hour job costs $200 to $500.",
     [("ratio", 200.0, 200.0, True), ("ratio", 500.0, 400.0, False)]),
    # a fraction in words, restated as the part
    ("Half of the 2,600 GPUs, some 1,300 units, serve inference.", [("ratio", 1300.0, 1300.0, True)]),
    ("Half of the 2,600 GPUs, some 1,500 units, serve inference.", [("ratio", 1500.0, 1300.0, False)]),
    ("实验室共 60 人，其中四分之一，即 15 人，做评测。", [("ratio", 15.0, 15.0, True)]),
    ("实验室共 60 人，其中四分之一，即 20 人，做评测。", [("ratio", 20.0, 15.0, False)]),
    # the whole said the sentence before; a restatement opening the sentence
    ("平台共有 8,000 家企业客户。其中 2,000 家来自金融业，占比 25%。", [("ratio", 0.25, 0.25, True)]),
    ("平台共有 8,000 家企业客户。其中 2,000 家来自金融业，占比 20%。", [("ratio", 0.2, 0.25, False)]),
    ("Revenue was $4B in 2023. Cloud revenue was $1.4B, 30% of the total.", [("ratio", 0.3, 0.35, False)]),
    ("Nvidia shipped 3.76 million GPUs in 2023. AMD sold 500,000, a 12% share of the market.", []),
    ("The project cost $3.6 million over 12 months. That works out to $300,000 per month.",
     [("product", 300000.0, 300000.0, True)]),
    ("The project cost $3.6 million over 12 months. That works out to $350,000 per month.",
     [("product", 350000.0, 300000.0, False)]),
    ("网关每天转发 8.64 亿次请求。换算下来，每秒约 1 万次。", [("restatement", 1e4, 1e4, True)]),
    ("网关每天转发 8.64 亿次请求。换算下来，每秒约 2 万次。", [("restatement", 2e4, 1e4, False)]),
    # a change word a little before its percentage, in its clause
    ("Paid seats grew from 1.2 million to 1.5 million, an increase of 25%.", [("percentage_change", 0.25, 0.25, True)]),
    ("Paid seats grew from 1.2 million to 1.5 million, an increase of 30%.", [("percentage_change", 0.3, 0.25, False)]),
    # the figure after a change that says by how much: its difference
    ("Weekly users rose from 3.2M to 4.0M, 0.8M more users than before.", [("sum", 8e5, 8e5, True)]),
    ("Weekly users rose from 3.2M to 4.0M, 1.2M more users than before.", [("sum", 1.2e6, 8e5, False)]),
    ("营收从 8 亿元增至 11 亿元，增加了 3 亿元。", [("sum", 3e8, 3e8, True)]),
    ("营收从 8 亿元增至 11 亿元，增加了 4 亿元。", [("sum", 4e8, 3e8, False)]),
    # an unhedged whole multiple states the ratio within a twentieth of itself; a hedged one within half a unit
    ("新卡带宽 9 TB/s，旧卡 3 TB/s，新卡是旧卡的 3 倍。", [("ratio", 3.0, 3.0, True)]),
    ("新卡带宽 7.5 TB/s，旧卡 3 TB/s，新卡是旧卡的 3 倍。", [("ratio", 3.0, 2.5, False)]),
    ("新卡带宽 8.7 TB/s，旧卡 3 TB/s，新卡约是旧卡的 3 倍。", [("ratio", 3.0, 2.9, True)]),
    # a price less a percentage off it
    ("The list price is $200, and at 15% off it costs $170.", [("percentage_change", 170.0, 170.0, True)]),
    ("单台报价 50 万元，优惠 8%，到手 45 万元。", [("percentage_change", 4.5e5, 4.6e5, False)]),
    # a change going on from where the one before ended; the same change between percentages in relative terms
    ("Prices fell from $0.80 to $0.40, a 50% cut, and then to $0.30, a further 25% cut.",
     [("percentage_change", 0.5, 0.5, True), ("percentage_change", 0.25, 0.25, True)]),
    ("Prices fell from $0.80 to $0.40, a 50% cut, and then to $0.30, a further 30% cut.",
     [("percentage_change", 0.5, 0.5, True), ("percentage_change", 0.3, 0.25, False)]),
    ("Usage rose from 20% to 30% of teams, 10 percentage points, or 60% in relative terms.",
     [("percentage_change", 0.6, 0.5, False), ("percentage_change", 10.0, 10.0, True)]),
    # a date, a hash: no range
    ("Released 2025-03-16 (commit 4c2fdb8f); 16 files changed.", []),
    # parts listed with "加上"
    ("GPU 功耗 3 千瓦加上 500 瓦的网络功耗，共计 3.5 千瓦。", [("sum", 3500.0, 3500.0, True)]),
    ("GPU 功耗 3 千瓦加上 500 瓦的网络功耗，共计 3.8 千瓦。", [("sum", 3800.0, 3500.0, False)]),
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_bound_relations(text: str, expected: list[tuple[str, float, float, bool]]) -> None:
    assert implied(text) == expected


# a result just written out, then put as a share of a base
RELATIVE = [
    ("Gap: 87.3 - 78.8 = 8.5 points, and relative to 78.8 that is an improvement of 10.8%.", [True, True]),
    ("Gap: 87.3 - 78.8 = 8.5 points, and relative to 78.8 that is an improvement of 12.8%.", [True, False]),
    ("分差：90.5 - 80 = 10.5 分，相对于 80 提升了 13.1%。", [True, True]),
    ("分差：90.5 - 80 = 10.5 分，相对于 80 提升了 15%。", [True, False]),
    ("Relative to 2023, revenue grew 40%.", []),
]


@pytest.mark.parametrize(("text", "expected"), RELATIVE)
def test_relative_to_a_written_result(text: str, expected: list[bool]) -> None:
    assert [c.consistent for c in find_written(text)] == expected
