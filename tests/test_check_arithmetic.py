"""The draft's own arithmetic: sums, products, speedups, percentage changes, ratios and restatements."""

from __future__ import annotations

import pytest

from assistant.check.arithmetic import find_relations
from assistant.check.claims import find_claims
from assistant.check.consistency import restatements


def relations(text: str) -> list[tuple[str, float, float, bool]]:
    claims, contexts, sentences = find_claims(text)
    checks = find_relations(text, contexts, sentences) + restatements(text, claims)
    for c in checks:
        assert text[c.start : c.end] == c.text
    return [(c.relation, c.stated, round(c.computed, 4), c.consistent) for c in checks]


# (draft, [(relation, stated, computed, consistent)])
CASES = [
    # sums: parts then a total; rounding allowed 1% (3% when hedged)
    ("Stage A cost $1.2M, stage B $0.3M and stage C $0.5M, so the total is $2.0M.",
     [("sum", 2.0e6, 2.0e6, True)]),
    ("Stage A cost $1.2M, stage B $0.3M and stage C $0.5M, so the total is $2.4M.",
     [("sum", 2.4e6, 2.0e6, False)]),
    # a hedge allows 1% beyond the written digits, not 3%: "about $2.06M" writes three digits of a $2.0M total
    ("Stage A cost $1.2M, stage B $0.3M and stage C $0.5M, for a total of about $2.06M.",
     [("sum", 2.06e6, 2.0e6, False)]),
    ("Stage A cost $1.2M, stage B $0.3M and stage C $0.5M, for a total of about $2.01M.",
     [("sum", 2.01e6, 2.0e6, True)]),
    ("Stage A cost $1.2M, stage B $0.3M and stage C $0.5M, for a total of $2.03M.",
     [("sum", 2.03e6, 2.0e6, False)]),
    ("三项费用分别为100万元、200万元和300万元，合计600万元。", [("sum", 6.0e6, 6.0e6, True)]),
    # products: hours x price, GPUs x days x 24 x price, GPUs x days x 24
    ("It used 1.5M GPU hours at $2 per GPU hour, which cost $3M.", [("product", 3.0e6, 3.0e6, True)]),
    ("It used 1.5M GPU hours at $2 per GPU hour, which cost $4M.", [("product", 4.0e6, 3.0e6, False)]),
    ("1000张H100，每卡每小时3美元，运行10天，总租金约72万美元。", [("product", 7.2e5, 7.2e5, True)]),
    ("2048张H800，每卡每小时2美元，连续运行30天，总租金约为147万美元。", [("product", 1.47e6, 2949120.0, False)]),
    ("512 GPUs running for 10 days add up to 122,880 GPU hours.", [("product", 122880.0, 122880.0, True)]),
    # speedup: K GPUs / (1 + gain), across two sentences too
    ("软件优化带来30%的性能提升。原本需要1024张卡的任务，现在700张卡就能完成。",
     [("speedup", 700.0, 787.6923, False)]),
    ("With a 30% speedup, a job that needed 1024 GPUs now needs 788 GPUs.", [("speedup", 788.0, 787.6923, True)]),
    ("A job that needed 1000 GPUs needs only 500 after a 30% efficiency gain.", [("speedup", 500.0, 769.2308, False)]),
    # percentage change: from X to Y, a Z% change; direction must agree
    ("The price fell from $4.5 to $3.6 per hour, a 20% drop.", [("percentage_change", 0.2, 0.2, True)]),
    ("The price fell from $4.5 to $3.6 per hour, a 30% drop.", [("percentage_change", 0.3, 0.2, False)]),
    ("Revenue rose from $10B to $13B, up 30%.", [("percentage_change", 0.3, 0.3, True)]),
    ("价格从每小时4.5美元降至每小时3.6美元，降幅为20%。", [("percentage_change", 0.2, 0.2, True)]),
    ("营收从100亿元增长到130亿元，下降了30%。", [("percentage_change", 0.3, 0.3, False)]),
    # ratios: N times, and a share
    ("Llama 3.1 used 39.3M GPU hours, about 14 times DeepSeek-V3's 2.788M GPU hours.",
     [("ratio", 14.0, 14.0961, True)]),
    ("Llama 3.1 used 39.3M GPU hours, about 20 times DeepSeek-V3's 2.788M GPU hours.",
     [("ratio", 20.0, 14.0961, False)]),
    ("华为出货80万张卡，占总出货量100万张卡的80%。", [("ratio", 0.8, 0.8, True)]),
    # one quantity stated twice
    ("DeepSeek-V3 used 2.788M GPU hours for its full training. Analysts were surprised. "
     "DeepSeek-V3 used 3.5M GPU hours for its full training, the report says.",
     [("restatement", 3.5e6, 2.788e6, False)]),
    ("DeepSeek-V3 used 2.788M GPU hours for its full training. Later, DeepSeek-V3's full training is put at "
     "约278.8万GPU小时.", []),
    # the gain the counts are tied to is the one in their own sentence, not a margin in the sentence before
    ("英伟达毛利率为 85%。一家公司称优化后性能提升 30%，原来要 1024 张卡的任务现在只需 700 张。",
     [("speedup", 700.0, 787.6923, False)]),
    ("该公司净利率为 40%。经过调优，推理速度提升 60%，原先需要 1600 张卡，现在 1000 张就够了。",
     [("speedup", 1000.0, 1000.0, True)]),
    ("Gross margin was 62%. After tuning, throughput rose 25%, so a job that took 800 GPUs now needs 500 GPUs.",
     [("speedup", 500.0, 640.0, False)]),
    # figures about different subjects are not one quantity restated
    ("Charlie's NVIDIA cluster has 3x as many GPUs as last year. James's NVIDIA cluster has 4x as many GPUs as "
     "last year.", []),
    ("Charlie uses 512 H100 GPUs for training. James uses 1024 H100 GPUs for training.", []),
    ("甲公司用 512 张 H100 训练模型。乙公司用 1024 张 H100 训练模型。", []),
    # a total does not sum parts from another line
    ("Stephen's bill is $7023116.\nExtra fees are $1755779, $3.00 and $4.00.\nThe total price is $8778902.", []),
    # no relation: unrelated figures side by side
    ("DeepSeek-V3 has 671B parameters and was trained on 14.8T tokens.", []),
]  # fmt: skip


@pytest.mark.parametrize(("draft", "expected"), CASES)
def test_relations(draft: str, expected: list[tuple[str, float, float, bool]]) -> None:
    got = relations(draft)
    assert [(r, s, c, ok) for r, s, c, ok in got] == [
        (r, pytest.approx(s), pytest.approx(c, rel=1e-4), ok) for r, s, c, ok in expected
    ]


def test_caixin_style_speedup_is_explained_with_the_calculator() -> None:
    text = "通过软件调优可以榨取比以往高出30%的性能。“这意味着原本需要1024张卡完成的微调任务，现在700张卡就能在同样的时间内跑完。"
    claims, contexts, sentences = find_claims(text)
    (check,) = find_relations(text, contexts, sentences)
    assert check.relation == "speedup"
    assert not check.consistent
    assert check.explanation.startswith("1,024 / (1 + 30%) = 787.692 → 788 GPUs；草稿写的是700张卡")
    assert check.explanation.endswith("相当于提速46.3%")  # a Chinese draft gets a Chinese explanation
