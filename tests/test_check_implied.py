"""Relations a draft states in words between its figures: per unit, lists, comparisons, shares, restatements."""

from __future__ import annotations

from fractions import Fraction

import pytest

from assistant.check.expr import tokenize
from assistant.check.implied import find_implied
from assistant.check.quantities import read_quantities
from assistant.text import split_sentences


def implied(text: str) -> list[tuple[str, float, float, bool]]:
    out = []
    for check, _, _ in find_implied(text, split_sentences(text)):
        assert text[check.start : check.end] == check.text
        out.append((check.relation, check.stated, round(check.computed, 4), check.consistent))
    return out


# (draft, [(relation, stated, computed, consistent)]); each wrong draft beside the right one it was made from
CASES = [
    # per unit: the rate's "per" matches what the count counts; the figure written last is the stated one
    ("每台服务器插 8 张卡，一共 45 台，合计 360 张 GPU。", [("product", 360.0, 360.0, True)]),
    ("每台服务器插 8 张卡，一共 45 台，合计 380 张 GPU。", [("product", 380.0, 360.0, False)]),
    ("Each node processes 73,700 tokens per second, so 12 nodes handle 884,400 tokens per second.",
     [("product", 884400.0, 884400.0, True)]),
    ("Each node processes 73,700 tokens per second, so 12 nodes handle 874,400 tokens per second.",
     [("product", 874400.0, 884400.0, False)]),
    ("A $3.6M order for 1,200 GPUs works out to $3,000 per GPU.", [("product", 3000.0, 3000.0, True)]),
    ("A $3.6M order for 1,200 GPUs works out to $3,500 per GPU.", [("product", 3500.0, 3000.0, False)]),
    ("Split evenly, $10M among 3 teams leaves roughly $3.3M each.", [("product", 3.3e6, 3333333.3333, True)]),
    ("Split evenly, $10M among 3 teams leaves roughly $3.1M each.", [("product", 3.1e6, 3333333.3333, False)]),
    ("每百万 token 收费 2 元，处理 3.5 亿 token 需要 700 元。", [("product", 700.0, 700.0, True)]),
    ("每秒生成 2,400 个 token，一小时约 864 万个 token。", [("product", 8.64e6, 8.64e6, True)]),
    ("每秒生成 2,400 个 token，一小时约 1,200 万个 token。", [("product", 1.2e7, 8.64e6, False)]),
    ("A budget of €120,000 at €1.50 per GPU-hour buys 90,000 GPU hours.", [("product", 90000.0, 80000.0, False)]),
    ("The team of 12 engineers costs $2.4M a year, i.e. $200,000 per engineer.",
     [("product", 200000.0, 200000.0, True)]),
    ("16 台服务器，每台 8 张 H100，共 136 张卡。", [("product", 136.0, 128.0, False)]),
    ("Each of the 24 racks draws 40 kW, so the hall needs 1,060 kW.", [("product", 1.06e6, 9.6e5, False)]),
    ("The API charges $0.60 per million input tokens; 500 million tokens cost $30.", [("product", 30.0, 300.0, False)]),
    ("每名工程师年薪 60 万元，团队 25 人，年人力成本合计 1,500 万元。", [("product", 1.5e7, 1.5e7, True)]),
    ("With 3,000 H100s at 700 W each, the GPUs alone draw 2.4 MW.", [("product", 2.4e6, 2.1e6, False)]),
    # a figure after a comparison's base is neither a count nor a base ("比 2021 年同期（7 天）")
    ("春运 40 天共发送旅客 14.6 亿人次，日均发送 3650 万人次，比 2021 年同期（7 天）增长 10%。",
     [("product", 3.65e7, 3.65e7, True)]),
    ("单价 2.5 美元，采购 4,000 件，总价 1.2 万美元。", [("product", 1.2e4, 1.0e4, False)]),
    ("团队 40 人，全年预算 800 万元，人均 25 万元。", [("product", 2.5e5, 2.0e5, False)]),
    ("A team of 6 annotators labels 1,200 samples a day, 250 per annotator.", [("product", 250.0, 200.0, False)]),
    # a total counts what the rate counts, not what it is per; a bare rate is one written "N per X"
    ("16 个小组的赛制尚未敲定，12 个小组每个小组 4 支球队。", []),
    # a rate said the sentence before, for a total stated as such
    ("Each node has 8 GPUs. The 16 nodes hold 144 GPUs in total.", [("product", 144.0, 128.0, False)]),
    ("That branch has 128 experts. Each holds about 3.66 billion parameters; the network holds roughly 480 billion.",
     []),
    # GPUs × duration = GPU hours, whichever is written last
    ("Spreading 1.2 million GPU hours over 30 days means about 1,667 GPUs running around the clock.",
     [("product", 1667.0, 1666.6667, True)]),
    ("Spreading 1.2 million GPU hours over 30 days means about 1,250 GPUs running around the clock.",
     [("product", 1250.0, 1666.6667, False)]),
    # lists: a total cue sums the parts before it, an average cue averages them; bare items share the last unit
    ("The cluster has 256 A100s, 512 H100s and 128 H200s, 896 GPUs in all.", [("sum", 896.0, 896.0, True)]),
    ("The cluster has 256 A100s, 512 H100s and 128 H200s, 1,024 GPUs in all.", [("sum", 1024.0, 896.0, False)]),
    ("三个数据中心分别有 4,096、2,048 和 1,024 张卡，共计 8,192 张。", [("sum", 8192.0, 7168.0, False)]),
    ("四个季度的出货量分别为 120、150、130 和 160 万台，平均每季度 140 万台。", [("sum", 1.4e6, 1.4e6, True)]),
    ("Scores of 82, 76 and 91 on the three benchmarks average out to 85.", [("sum", 85.0, 83.0, False)]),
    ("The average of the five scores (71, 74, 78, 80, 82) is 79.", [("sum", 79.0, 77.0, False)]),
    # a total broken down right after it
    ("上半年累计融资 38 亿元，其中 A 公司 20 亿元、B 公司 10 亿元、C 公司 5 亿元。", [("sum", 3.8e9, 3.5e9, False)]),
    ("Total funding reached $5.6B, of which $3.1B came from Alpha and $2.5B from Beta.", [("sum", 5.6e9, 5.6e9, True)]),
    # a total cue must be right before its figure; a "total" smaller than a part totals something else
    ("期间召开会商 3 次，省市会商 2 次；期间共发布短信 7 次。", []),
    ("共有 32 支球队参加，欧洲地区一共有 12 支球队，亚太地区一共有 8 支球队。", []),
    # an unlabelled figure between a count and its rate leaves the product unread
    ("Pre-training took 2.4M GPU hours and fine-tuning another 0.3M, 2.7M in total; at $2 per GPU hour that "
     "comes to $5.4M.", []),
    # comparisons: from X to Y, against a base (than, 比, up N% from), in points, as multiples
    ("日活用户从 4,000 万降到 3,400 万，下降了 15%。", [("percentage_change", 0.15, 0.15, True)]),
    ("日活用户从 4,000 万降到 3,400 万，下降了 20%。", [("percentage_change", 0.2, 0.15, False)]),
    ("营收从100亿元增长到130亿元，下降了30%。", [("percentage_change", 0.3, 0.3, False)]),
    ("Revenue was $13M in 2024, up 20% from $10M a year earlier.", [("percentage_change", 0.2, 0.3, False)]),
    ("今年营收 15 亿元，比去年的 10 亿元增长 50%。", [("percentage_change", 0.5, 0.5, True)]),
    ("The H200 offers 4.8 TB/s, 60% more than the H100's 3.35 TB/s.",
     [("percentage_change", 0.6, 0.4328, False)]),
    ("Market share slipped from 42% to 37%, a fall of 5 percentage points.", [("percentage_change", 5.0, 5.0, True)]),
    ("Market share slipped from 42% to 37%, a fall of 7 percentage points.", [("percentage_change", 7.0, 5.0, False)]),
    ("The model scored 85.2 on MMLU, 4.1 points above the previous version's 82.1.",
     [("percentage_change", 4.1, 3.1, False)]),
    ("The parameter count rose from 7B to 70B, a 12x jump.", [("ratio", 12.0, 10.0, False)]),
    ("营收从 40 亿元增长了 1.5 倍，达到 100 亿元。", [("ratio", 1.0e10, 1.0e10, True)]),
    ("推理速度从每秒 40 个 token 提高到原来的 3 倍，即每秒 100 个 token。", [("ratio", 100.0, 120.0, False)]),
    ("集群算力从 500 PFLOPS 翻了两番，达到 2,000 PFLOPS。", [("ratio", 2.0e18, 2.0e18, True)]),
    ("注册用户从 300 万翻了一番，达到 900 万。", [("ratio", 9.0e6, 6.0e6, False)]),
    ("Users doubled from 50 million to 120 million in a year.", [("ratio", 1.2e8, 1.0e8, False)]),
    # the first end of the next comparison is not this one's result
    ("准确率从 61.5% 提升至 62.8%，GSM8K 的测试精度从 70.2% 提升至 77.7%。", []),
    # a rounded operand: $1.92 billion may be $1.915 billion, so 737% is fair
    ("Revenue reached $1.92 billion in 2024, up 737% from $229 million.",
     [("percentage_change", 7.37, 7.3843, True)]),
    # compound growth: a rate a year over whole years
    ("Revenue of $10M growing 20% a year for two years reaches $14.4M.",
     [("percentage_change", 1.44e7, 1.44e7, True)]),
    ("市场规模 100 亿元，若年均增长 30%，三年后将达到 190 亿元。", [("percentage_change", 1.9e10, 2.197e10, False)]),
    ("Going from $2B to $8B in two years implies a compound annual growth rate of 100%.",
     [("percentage_change", 1.0, 1.0, True)]),
    # shares
    ("全年营收 250 亿元，其中海外收入 95 亿元，占比 38%。", [("ratio", 0.38, 0.38, True)]),
    ("Of the 1,600 employees, 480 work in research, which is 35% of the staff.", [("ratio", 0.35, 0.3, False)]),
    ("The MoE model activates 37B of its 671B parameters, about 15% of the total.",
     [("ratio", 0.15, 0.0551, False)]),
    ("训练预算 3.2 亿元，其中 40% 用于算力租赁，也就是 1.28 亿元。", [("ratio", 1.28e8, 1.28e8, True)]),
    ("训练预算 3.2 亿元，其中 40% 用于算力租赁，也就是 1.5 亿元。", [("ratio", 1.5e8, 1.28e8, False)]),
    ("该公司研发投入 45 亿元，占营收的 15%，营收约为 350 亿元。", [("ratio", 3.5e10, 3.0e10, False)]),
    ("The dataset has 1.2 million images; 80% go to training, i.e. 900,000 images.", [("ratio", 9.0e5, 9.6e5, False)]),
    # the share is of the figure right before it: the one after it is neither the whole nor the part
    ("全市男性人口 1623.17 万人，占总人口的 50.5%，女性人口 1590.17 万人。", []),
    ("汽车保有量 1310 万辆，占汽车总量的 4.10%，比 2021 年增加 526 万辆。", []),
    # 同比, 环比, 占比, 之比 name no base; a figure after 较…少 is a difference
    ("CPI 同比上涨 0.3%，环比上涨 0.2%，涨幅较上月扩大 0.1 个百分点。", []),
    ("常住人口 539,852 人，较户籍人口少 27,116 人，占全国人口之 2.15%。", []),
    # one quantity in two scales; K after a count of tokens may be 1,024
    ("The context window is 128K tokens, i.e. 131,072 tokens.", [("restatement", 131072.0, 128000.0, True)]),
    ("The context window is 128K tokens, i.e. 140,000 tokens.", [("restatement", 140000.0, 128000.0, False)]),
    ("公司估值 3,500 亿元，也就是 3.5 万亿元。", [("restatement", 3.5e12, 3.5e11, False)]),
    ("Downloads reached 1,800 million, or 1.8 billion.", [("restatement", 1.8e9, 1.8e9, True)]),
    # a share between its part and the whole named after "of": the share is the figure computed
    ("Search ads earned $6.3 billion, 30% of the firm's $21 billion in revenue.", [("ratio", 0.3, 0.3, True)]),
    ("Search ads earned $6.3 billion, 25% of the firm's $21 billion in revenue.", [("ratio", 0.25, 0.3, False)]),
    ("Subscriptions brought in $4.2 billion, 9% of total revenue of $46.5 billion.", [("ratio", 0.09, 0.0903, True)]),
    # a thousands separator ends no clause; a possessive before the whole; a generic measure word is unlabelled
    ("该园区入驻企业 1,250 家，占全省 5,000 家的 25%。", [("ratio", 0.25, 0.25, True)]),
    ("该园区入驻企业 1,250 家，占全省 5,000 家的 30%。", [("ratio", 0.3, 0.25, False)]),
    ("Of the team's 400 GPUs, 60 are reserved for evaluation, or 15% of the pool.", [("ratio", 0.15, 0.15, True)]),
    ("Of the team's 400 GPUs, 60 are reserved for evaluation, or 20% of the pool.", [("ratio", 0.2, 0.15, False)]),
    ("今年共上线 40 个应用，其中付费 10 个，付费比例为 25%。", [("ratio", 0.25, 0.25, True)]),
    ("今年共上线 40 个应用，其中付费 10 个，付费比例为 20%。", [("ratio", 0.2, 0.25, False)]),
    # an amount in another currency at a rate the sentence states; amounts not linked as one are left alone
    ("At 7 yuan to the dollar, a 700 million yuan deal is worth about $100 million.", [("product", 1e8, 1e8, True)]),
    ("At 7 yuan to the dollar, a 700 million yuan deal is worth about $150 million.", [("product", 1.5e8, 1e8, False)]),
    ("按 1 美元兑 7.2 元人民币计算，72 亿元约合 10 亿美元。", [("product", 1e9, 1e9, True)]),
    ("按 1 美元兑 7.2 元人民币计算，72 亿元约合 1 亿美元。", [("product", 1e8, 1e9, False)]),
    ("The €90 million grant, or about $120 million at $1.10 per euro, funds three labs.", [("product", 1.2e8, 9.9e7, False)]),
    ("At 7.2 yuan to the dollar, the firm earned 720 million yuan and spent $20 million on chips.", []),
    # a fraction in words of where a change began
    ("推理价格从每百万 token 60 元降到 6 元，只相当于原来的十分之一。", [("ratio", 0.1, 0.1, True)]),
    ("推理价格从每百万 token 60 元降到 4 元，只相当于原来的十分之一。", [("ratio", 0.1, 0.0667, False)]),
    ("The price fell from $60 to $4 per million tokens, about one tenth of the original.", [("ratio", 0.1, 0.0667, False)]),
    ("单价从 60 元降到 15 元，只有原来的四分之一。", [("ratio", 0.25, 0.25, True)]),
    # a multiple written as a word ("twice the", "triple the"); a bare figure after it counts what the other does
    ("Sales reached 4.5 million units, triple the 1.5 million of last year.", [("ratio", 3.0, 3.0, True)]),
    ("Sales reached 4.5 million units, twice the 1.5 million of last year.", [("ratio", 2.0, 3.0, False)]),
    ("The new cluster has 24,000 GPUs, twice as many as the old one's 8,000.", [("ratio", 2.0, 3.0, False)]),
    ("The startup's valuation of $80 billion is 40 times its $2.5 billion annual revenue.", [("ratio", 40.0, 32.0, False)]),
    # a round hedged multiple says its order within a fifth; a Chinese hedge before the figure's verb
    ("Nvidia's market value of $2.1 trillion is about 10 times Intel's $200 billion.", [("ratio", 10.0, 10.5, True)]),
    ("Nvidia's market value of $3 trillion is about 10 times Intel's $200 billion.", [("ratio", 10.0, 15.0, False)]),
    ("若每秒处理 120 万个 token，一天约处理 1,000 亿个 token。", [("product", 1e11, 1.0368e11, True)]),
    # a share in brackets or a bare clause after a part-of word ("of which", "其中")
    ("Revenue was 3.5 billion yuan, of which 700 million yuan (20%) came from abroad.", [("ratio", 0.2, 0.2, True)]),
    ("Revenue was 3.5 billion yuan, of which 700 million yuan (2%) came from abroad.", [("ratio", 0.02, 0.2, False)]),
    ("The model has 1.8 trillion parameters, of which 280 billion are active per token, about 1.5%.",
     [("ratio", 0.015, 0.1556, False)]),
    # a gap with its scale slipped is a slip, not another quantity
    ("平台月活 12 亿，比一年前的 9 亿增加 3 亿。", [("sum", 3e8, 3e8, True)]),
    ("平台月活 12 亿，比一年前的 9 亿增加 3,000 万。", [("sum", 3e7, 3e8, False)]),
    ("每处理 1,000 次查询花费 1.5 美元，300 万次查询共花费 4,500 美元。", [("product", 4500.0, 4500.0, True)]),
    ("每处理 1,000 次查询花费 1.5 美元，300 万次查询共花费 45,000 美元。", [("product", 45000.0, 4500.0, False)]),
    ("The lab spent twice the $2 million budget on compute and $500,000 on data.", []),
    # a change's two ends are one quantity, no rate and total
    ("单价从 100 元降到 25 元，只有原来的四分之一，而销量从 10 万台增至 40 万台。", [("ratio", 0.25, 0.25, True)]),
    # numbers that are no calculation
    ("Llama 3 was released in April 2024 in 8B and 70B sizes, trained on over 15T tokens.", []),
    ("2023 年 11 月，该公司发布了 340 亿参数的模型，上下文长度 200K。", []),
    ("The 2025 survey lists 12 labs, 7 of them in the US, and 40 models released since 2023.", []),
    ("1. 训练完成的速度，因为如果训练时间比计划长2-3倍，成本也随之上升。", []),
]  # fmt: skip


@pytest.mark.parametrize(("draft", "expected"), CASES)
def test_implied(draft: str, expected: list[tuple[str, float, float, bool]]) -> None:
    assert implied(draft) == [(r, pytest.approx(s), pytest.approx(c, rel=1e-4), ok) for r, s, c, ok in expected]


# (sentence, [(number as written, value, what it counts, currency, what it is per)])
QUANTITIES = [
    ("每张卡每小时 1.8 美元", [("1.8", Fraction(9, 5), set(), "usd", [{"gpu"}, {"hour"}])]),
    ("8 nodes together produce 118,400 tokens per second",
     [("8", 8, {"node"}, "", []), ("118,400", 118400, {"token"}, "", [{"second"}])]),
    ("$1,750, or $3.75 per hour", [("$1,750", 1750, set(), "usd", []), ("$3.75", Fraction(15, 4), set(), "usd", [{"hour"}])]),
    ("Five runs took 2,350 GPU hours", [("Five", 5, {"run"}, "", []), ("2,350", 2350, {"gpu_hour"}, "", [])]),
    ("每个团队约 333 万元", [("333 万", 3330000, set(), "cny", [{"团"}])]),
    ("about 140 GB", [("140", 140 * 10**9, {"byte"}, "", [])]),
    ("单卡功耗 700 瓦", [("700", 700, {"watt"}, "", [{"gpu"}])]),
    ("300 万翻了一番", [("300 万", 3000000, set(), "", [])]),
    # "a year ago" dates a figure, it is no rate; "twice the" is a multiple
    # a count after 每 before a price says what the price is per; before another figure it stays the whole
    ("每处理 1,000 次查询花费 1.5 美元", [("1.5", Fraction(3, 2), set(), "usd", [{"次", "查"}])]),
    ("每 1 万次请求中有 35 次超时", [("1 万", 10000, {"次", "请"}, "", []), ("35", 35, {"次", "超"}, "", [])]),
    ("900 million users a year ago", [("900 million", 900000000, {"user"}, "", [])]),
    ("twice the 1.5 million", [("twice", 2, {"times"}, "", []), ("1.5 million", 1500000, set(), "", [])]),
    ("于 2024 年 3 月量产", []),
]  # fmt: skip


@pytest.mark.parametrize(("sentence", "expected"), QUANTITIES)
def test_quantities(sentence: str, expected: list[tuple[str, Fraction, set[str], str, list[set[str]]]]) -> None:
    got = read_quantities(sentence, tokenize(sentence), 0, len(sentence), [])
    assert [(q.tok.text.strip(), q.value, set(q.nouns), q.money, [set(k) for k, _ in q.per]) for q in got] == [
        (t, Fraction(v), n, m, p) for t, v, n, m, p in expected
    ]
