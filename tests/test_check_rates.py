"""Relations of rates, multiples and speed-ups (``rates``, ``multiples``), the shares and conversions ``changes``
reads, and the stated precision of written results: each wrong draft beside the right one it was made from."""

from __future__ import annotations

import pytest

from assistant.check.arithmetic import find_relations
from assistant.check.claims import find_claims
from assistant.check.expr import tokenize
from assistant.check.quantities import read_quantities
from assistant.check.written import find_written
from tests.test_check_implied import implied

# (draft, [(relation, stated, computed, consistent)])
CASES = [
    # speed-ups: the gain in the counts' own sentence, not a margin in the sentence before
    ("软件优化带来 25% 的性能提升，原来需要 800 张卡的任务现在只需 640 张。", [("speedup", 640.0, 640.0, True)]),
    ("该公司毛利率为 60%。新编译器让训练速度提升 25%，原先需要 800 张卡的任务现在只需 500 张。",
     [("speedup", 500.0, 640.0, False)]),
    ("Gross margin was 70%. The new kernels make training 60% faster, so a job that needed 2,000 GPUs now needs "
     "about 1,250.", [("speedup", 1250.0, 1250.0, True)]),
    ("Gross margin was 70%. The new kernels make training 60% faster, so a job that needed 2,000 GPUs now needs "
     "about 1,180.", [("speedup", 1180.0, 1250.0, False)]),
    # A is N times B
    ("甲厂出货 45 万片，乙厂出货 9 万片，甲厂是乙厂的 5 倍。", [("ratio", 5.0, 5.0, True)]),
    ("甲厂出货 45 万片，乙厂出货 9 万片，甲厂是乙厂的 4 倍。", [("ratio", 4.0, 5.0, False)]),
    ("该芯片 FP8 算力 1979 TFLOPS，是上一代 624 TFLOPS 的约 3.2 倍。", [("ratio", 3.2, 3.1715, True)]),
    ("该芯片 FP8 算力 1979 TFLOPS，是上一代 624 TFLOPS 的约 2.5 倍。", [("ratio", 2.5, 3.1715, False)]),
    # a rate per two things times a count of each; a rate per hour times GPU hours; hours per GPU times GPUs
    ("2048张H800，每卡每小时2美元，连续运行30天，总租金约为295万美元。", [("product", 2950000.0, 2949120.0, True)]),
    ("2048张H800，每卡每小时2美元，连续运行30天，总租金约为147万美元。", [("product", 1470000.0, 2949120.0, False)]),
    ("一次训练消耗 278.8 万 GPU 小时，按每小时 2 美元计，总成本约 557.6 万美元。", [("product", 5576000.0, 5576000.0, True)]),
    ("一次训练消耗 278.8 万 GPU 小时，按每小时 2 美元计，总成本约 5.576 亿美元。",
     [("product", 557600000.0, 5576000.0, False)]),
    ("总共 9,600 GPU 小时除以 48 张卡，相当于每张卡跑了 200 小时。", [("product", 200.0, 200.0, True)]),
    ("总共 9,600 GPU 小时除以 48 张卡，相当于每张卡跑了 250 小时。", [("product", 250.0, 200.0, False)]),
    # a year is twelve months; a chip name counts GPUs; "405-billion-parameter" is 405 billion parameters
    ("A 3-year lease of $1.08M works out to $30,000 a month.", [("product", 30000.0, 30000.0, True)]),
    ("A 3-year lease of $1.08M works out to $36,000 a month.", [("product", 36000.0, 30000.0, False)]),
    ("Each H100 rents for $2.50 an hour, so a 256-GPU cluster costs $640 an hour.", [("product", 640.0, 640.0, True)]),
    ("Each H100 rents for $2.50 an hour, so a 256-GPU cluster costs $540 an hour.", [("product", 540.0, 640.0, False)]),
    ("A 405-billion-parameter model at 1 byte per parameter in FP8 needs 405 GB for its weights.",
     [("product", 405e9, 405e9, True)]),
    ("A 405-billion-parameter model at 1 byte per parameter in FP8 needs 810 GB for its weights.",
     [("product", 810e9, 405e9, False)]),
    # a bare total right after a count counts what it counts
    ("Each of the 16 nodes holds 8 GPUs, 128 in total, and at 700 W apiece they draw 98.6 kW.",
     [("product", 128.0, 128.0, True), ("product", 98600.0, 89600.0, False)]),
    # one quantity in another unit of its dimension, in the stated figure's unit
    ("Expressed in terabytes, 36 PB of training data is 36,000 TB.", [("restatement", 36000.0, 36000.0, True)]),
    ("Expressed in terabytes, 36 PB of training data is 3,600 TB.", [("restatement", 3600.0, 36000.0, False)]),
    # a rate named before the percentage is a share; a total named after its cue
    ("The leaderboard entry solved 243 of 300 tasks, a success rate of 81%.", [("ratio", 0.81, 0.81, True)]),
    ("The leaderboard entry solved 243 of 300 tasks, a success rate of 84%.", [("ratio", 0.84, 0.81, False)]),
    ("该集群有 1.2 万张卡，若利用率为 85%，平均同时在用约 1.02 万张。", [("ratio", 10200.0, 10200.0, True)]),
    ("该集群有 1.2 万张卡，若利用率为 85%，平均同时在用约 1.1 万张。", [("ratio", 11000.0, 10200.0, False)]),
    ("GPU 利用率为 60%，1,000 张卡中实际在用 700 张。", [("ratio", 700.0, 600.0, False)]),
    ("A 轮融资 3 亿元、B 轮 5.5 亿元、C 轮 12 亿元，三轮累计融资 20.5 亿元。", [("sum", 2.05e9, 2.05e9, True)]),
    ("A 轮融资 3 亿元、B 轮 5.5 亿元、C 轮 12 亿元，三轮累计融资 19.5 亿元。", [("sum", 1.95e9, 2.05e9, False)]),
    # a change with "to" and no base word; a from-phrase that names what the price is per
    ("5.6 亿元的收入一年后变成 8.4 亿元，涨了 50%。", [("percentage_change", 0.5, 0.5, True)]),
    ("5.6 亿元的收入一年后变成 8.4 亿元，涨了 60%。", [("percentage_change", 0.6, 0.5, False)]),
    ("单价由每千 tokens 0.012 元降至 0.004 元，降幅约为 75%。", [("percentage_change", 0.75, 0.6667, False)]),
    # a price per 1K tokens; a margin is the rest's share of the price; halving said in words
    ("It costs $0.002 per 1K tokens, so 5 million tokens cost $10.", [("product", 10.0, 10.0, True)]),
    ("It costs $0.002 per 1K tokens, so 5 million tokens cost $12.", [("product", 12.0, 10.0, False)]),
    ("售价 199 元，成本 120 元，毛利率约 40%。", [("ratio", 0.4, 0.397, True)]),
    ("售价 199 元，成本 120 元，毛利率约 50%。", [("ratio", 0.5, 0.397, False)]),
    ("半年内价格下降了一半，从 20 元降到 10 元。", [("ratio", 10.0, 10.0, True)]),
    ("半年内价格下降了一半，从 20 元降到 8 元。", [("ratio", 8.0, 10.0, False)]),
    ("With 4 shards of 250 GB each, the dataset totals 1.2 TB.", [("product", 1.2e12, 1e12, False)]),
    # figures about different subjects, and a multiple that is an operator, state no relation
    ("Alice's cluster has 3x the GPUs of the lab's first cluster, and Bob's has 4x.", []),
    ("Eight nodes of 8 GPUs is 64 GPUs, and 64 times 700 W is 44.8 kW.", []),
    ("Instead of an 8-GPU node you get a 4-GPU node (with about 10% faster compute).", []),
    ("It has the same FLOPS but 2x everything, with 94GiB against 80GiB of memory.", []),
    ("A node of 8 GPUs at 700 W each draws 5.6 kW, or 5,600 W.", [("product", 5600.0, 5600.0, True), ("restatement", 5600.0, 5600.0, True)]),
]


@pytest.mark.parametrize(("draft", "expected"), CASES)
def test_relations(draft: str, expected: list[tuple[str, float, float, bool]]) -> None:
    assert implied(draft) == [(r, pytest.approx(s), pytest.approx(c, rel=1e-4), ok) for r, s, c, ok in expected]


def test_a_result_in_another_unit_is_shown_in_that_unit() -> None:
    text = "With 4 shards of 250 GB each, the dataset totals 1.2 TB."
    claims, contexts, sentences = find_claims(text)
    (check,) = find_relations(text, contexts, sentences)
    assert (check.computed_text, check.stated_text) == ("1 TB", "1.2 TB")
    assert check.explanation == "250 GB × 4 shards = 1 TB; the draft says 1.2 TB"


def test_find_relations_reports_each_relation_once() -> None:
    text = "With a 30% speedup, a job that needed 1024 GPUs now needs 700 GPUs."
    claims, contexts, sentences = find_claims(text)
    (check,) = find_relations(text, contexts, sentences)
    assert (check.relation, check.stated, check.consistent) == ("speedup", 700.0, False)
    assert check.explanation == "1,024 / (1 + 30%) = 787.692 → 788 GPUs; the draft says 700 GPUs, which would mean 46.3% faster"


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1979 TFLOPS", 1.979e15),  # a count with a unit, not the year 1979
        ("2048 张卡", 2048.0),
        ("2024 年", None),  # a year
    ],
)
def test_four_digit_counts_are_not_years(text: str, value: float | None) -> None:
    qs = read_quantities(text, tokenize(text), 0, len(text), [])
    assert [float(q.value) for q in qs] == ([] if value is None else [value])


# (text, [(stated, recomputed, consistent)]): the tolerance follows the stated precision
WRITTEN = [
    ("1,000,000 / 7 ≈ 142,857 tokens per shard.", [(142857.0, 142857.142857, True)]),
    ("1,000,000 / 7 ≈ 142,587 tokens per shard.", [(142587.0, 142857.142857, False)]),  # six digits, not 1%
    ("2,000 divided by 3 equals about 667.", [(667.0, 666.666667, True)]),
    ("Rounded, 22 / 7 = 3.14.", [(3.14, 3.142857, True)]),
    ("Rounded, 22 / 7 = 3.15.", [(3.15, 3.142857, False)]),  # a decimal is not rounded up
    ("6537761 / 3 = 2179254 people", [(2179254.0, 2179253.666667, True)]),  # a count may be
    # a result in another unit of the expression's dimension is compared in that unit
    ("64 times 700 W is 44.8 kW.", [(44.8, 44.8, True)]),
    ("64 times 700 W is 4.48 kW.", [(4.48, 44.8, False)]),
    ("The checkpoint is 405B params x 2 bytes = 810 GB.", [(810.0, 810.0, True)]),
    ("The checkpoint is 405B params x 2 bytes = 710 GB.", [(710.0, 810.0, False)]),
]


@pytest.mark.parametrize(("text", "expected"), WRITTEN)
def test_written_precision(text: str, expected: list[tuple[float, float, bool]]) -> None:
    got = [(c.stated, c.computed, c.consistent) for c in find_written(text)]
    assert got == [(s, pytest.approx(c, rel=1e-6), ok) for s, c, ok in expected]
