"""Vocabulary of the question analysis: bilingual domain words, question words, and generic capitalised words.

Data only. The glossary groups words that mean the same here, in Chinese and English, so a Chinese question
finds its evidence in an English passage and the other way round. English entries are matched as word
prefixes, so a stem ("reduc") covers "reduce", "reduced", "reduction".
"""

from __future__ import annotations

# Groups of words that mean the same thing here, in Chinese and English. Domain vocabulary only: these let a
# Chinese question find its evidence in an English passage and the other way round.
GLOSSARY: tuple[tuple[str, ...], ...] = (
    ("参数", "parameter", "params"),
    ("gpu小时", "卡时", "gpu hour", "gpu-hour", "gpu hours"),
    ("训练", "train", "pre-train", "预训练"),
    ("成本", "cost", "费用", "花费", "开销"),
    ("价格", "price", "单价", "售价", "定价", "pricing", "价"),
    ("租金", "rent", "租赁", "租用", "rental"),
    ("token", "词元", "tokens"),
    ("推理", "inference", "serving", "解码", "decoding"),
    ("节点", "node"),
    ("带宽", "bandwidth"),
    ("显存", "memory", "hbm", "内存"),
    (
        "减少",
        "reduc",
        "降低",
        "下降",
        "节省",
        "saving",
        "decreas",
        "lower",
        "cut",
        "下调",
        "下跌",
        "fall",
        "fell",
        "drop",
        "declin",
    ),
    ("年底", "end of", "year-end", "年末"),
    ("指导", "guide", "guidance"),
    ("以来", "since"),
    ("增加", "increas", "提升", "提高", "增长", "boost", "grow", "rise"),
    ("份额", "share", "占比", "市场份额"),
    ("芯片", "chip", "加速器", "accelerator", "加速卡"),
    ("卡", "gpu", "显卡", "card"),
    ("销量", "sold", "sales", "出货", "shipment", "卖出", "销售"),
    ("收入", "revenue", "营收"),
    ("毛利率", "gross margin", "利润率", "margin"),
    ("利润", "profit"),
    ("出口", "export"),
    ("管制", "control", "限制", "restriction"),
    ("禁售", "ban", "禁令", "banned", "禁止"),
    ("吞吐", "throughput", "吞吐量"),
    ("读取", "read"),
    ("写入", "write"),
    ("收购", "acqui", "buy", "bought", "purchase"),
    ("支付", "pay", "paid", "花了"),
    ("输出", "output"),
    ("输入", "input"),
    ("倍", "times", "faster", "speedup", "speed-up", "fold"),
    ("上下文", "context"),
    ("扩展", "extension", "extend"),
    ("集群", "cluster"),
    ("模型", "model"),
    ("数据中心", "data center", "datacenter"),
    ("稀疏", "sparse"),
    ("专家", "expert"),
    ("招标", "tender", "procurement", "bid"),
    ("智算中心", "computing center", "computing centre", "算力中心"),
    ("市场", "market"),
    ("算力", "compute", "computing power"),
    ("峰值", "peak"),
    ("平均", "average", "mean"),
    ("每秒", "per second", "/s"),
    ("天", "day"),
    ("小时", "hour"),
    ("年", "year"),
    ("月", "month"),
    ("利用率", "utilization", "utilisation", "mfu"),
    ("英伟达", "nvidia"),
    ("谷歌", "google"),
    ("华为", "huawei"),
    ("昇腾", "ascend"),
    ("寒武纪", "cambricon"),
    ("英特尔", "intel"),
    ("阿里巴巴", "阿里", "alibaba"),
    ("百度", "baidu"),
    ("字节跳动", "字节", "bytedance"),
    ("腾讯", "tencent"),
    ("月之暗面", "moonshot", "kimi"),
    ("智谱", "zhipu", "glm"),
    ("通义千问", "千问", "qwen"),
    ("深度求索", "deepseek"),
    ("财新", "caixin"),
    ("美国", "u.s", "united states", "american"),
    ("中国", "china", "chinese"),
    ("政府", "government"),
    ("微调", "fine-tun", "finetun"),
    ("融资", "funding", "financing", "fundrais", "raised"),
    ("生成式", "generative"),
    ("人工智能", "artificial intelligence"),
    ("交易", "deal", "宗数", "transaction"),
    ("同比", "year-on-year", "year over year", "yoy"),
    ("估值", "valuation"),
    ("市值", "market value", "market cap"),
    ("股价", "share price", "stock price"),
    ("财报", "earnings", "quarterly report"),
    ("财年", "fiscal year", "fiscal", "fy"),
    ("季度", "quarter"),
    # periods: "first half of 2024" is "2024年上半年", "fiscal third quarter" is "第三季度" (years are digits in both)
    ("上半年", "first half", "h1"),
    ("下半年", "second half", "h2"),
    ("第一季度", "first quarter", "一季度", "q1"),
    ("第二季度", "second quarter", "二季度", "q2"),
    ("第三季度", "third quarter", "三季度", "q3"),
    ("第四季度", "fourth quarter", "四季度", "q4"),
    ("指导价", "guide price", "list price", "报价"),
    ("二级市场", "secondary market"),
    ("研发", "r&d", "research and development"),
    ("机遇", "opportunit", "机会"),
    ("开源", "open-source", "open source", "open-weight"),
    ("激活", "activat", "active"),
    ("总参数", "total parameter"),
    ("上下文长度", "context length", "context window"),
    ("强化学习", "reinforcement learning", "rl"),
    ("吞吐率", "throughput"),
    ("延迟", "latency"),
    ("峰值性能", "peak performance"),
    ("利润率", "profit margin"),
    ("系列", "series", "family"),
    ("首次", "first"),
    ("盈利", "profitab", "profit"),
    ("节点数", "node count", "number of nodes"),
    ("周", "week"),
    ("万亿", "trillion"),
    ("亿", "hundred million"),
    ("每", "each", "every"),
    ("溢出", "overflow", "surplus"),
    ("每天", "一天", "每日", "daily", "per day", "a day"),
    ("服务", "service"),
    ("维持", "keep", "kept", "maintain", "保持"),
    ("跳涨", "jump", "surge", "soar", "spike", "飙升", "激增", "暴涨"),
    ("供应", "supply"),
)


# Words that only shape a question ("how many", "多少"): never evidence.
def _words(text: str) -> list[str]:
    return text.split()


QUESTION_WORDS = frozenset(
    _words(
        "how many much does did do is was were what which who whose when where why take took takes use used "
        "according article report paper say says said tell total about approximately roughly exactly please "
        "there any some get got per number s reach reached reaches achieve achieved attain report reported "
        "state stated claim claimed mention mentioned show shows given need needed require required"
    )
) | frozenset(
    _words(
        "多少 总共 一共 共 请问 大约 大概 约 根据 文章 报道 据 称 有 是 要 需要 会 能 可以 哪 哪家 谁 几 达到 达 到 用了 用 多大"
    )
)

# Capitalised words that name a category, not one product or company.
GENERIC_CAPS = frozenset(
    _words(
        "gpus cpus tpus npus llms apis fp8/fp4 china chinese english united states tflops pflops flops tops gflops "
        "llm api moe mla mtp roi tco cto ceo cfo ssd cpu tpu npu nic ram pue sla qps ttft tpot usd rmb cny faq"
    )
)
