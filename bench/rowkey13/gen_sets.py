"""Write the rowkey13 build/check sets from cells of the shared corpus's Epoch CSVs that sit deep in long rows.

Run once (python gen_sets.py CORPUS_DATASETS_DIR); the questions are template sentences in our own words, with
the cell's value as the expected figure. Build and check use other files, other rows, other columns, other
phrasings."""

import csv
import json
import random
import sys
from pathlib import Path

DATA = Path(sys.argv[1])
rng = random.Random(13)


def rows(name):
    with open(DATA / name, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def record_pos(row, col):
    """Characters before the field in the loader's "Column: value; ..." record."""
    pos = 0
    for k, v in row.items():
        v = " ".join((v or "").split())
        if not v:
            continue
        if k == col:
            return pos
        pos += len(k) + 2 + len(v) + 2
    return pos if col is None else -1


def num(v):
    try:
        return float(v.replace(",", ""))
    except ValueError:
        return None


def pick(table, key, cols, n, used, deep=520):
    out = []
    cands = []
    for r in table:
        name = r[key].strip()
        if not name or name in used or len(name) < 4:
            continue
        for c in cols:
            x = num(r.get(c) or "")
            if x and record_pos(r, c) > deep and record_pos(r, None) > 1000:
                cands.append((name, c, x))
    rng.shuffle(cands)
    seen = set()
    for name, c, x in cands:
        if name in seen:
            continue
        seen.add(name)
        used.add(name)
        out.append((name, c, x))
        if len(out) == n:
            break
    return out


def wrong(x):
    f = rng.choice([1.5, 0.6, 2.0, 0.75]) if x > 16 else 2.0
    y = x * f
    return float(f"{y:.3g}") if y != int(y) or y > 1e7 else float(int(y))


def fmt(x):
    if x == int(x) and x < 1e7:
        return f"{int(x):,}"
    return f"{x:.4g}" if x < 1e6 else f"{x:.3e}"


Q = {
    # build phrasings
    "b": {
        "Hardware quantity": ("How many chips did Epoch record for training {m}?", "Epoch 数据里 {m} 训练用了多少块芯片？"),
        "Training time (hours)": ("How long did {m}'s training run take, in hours, per Epoch?", "{m} 的训练时长是多少小时（Epoch 数据）？"),
        "Training compute cost (cloud)": ("What cloud compute cost does Epoch estimate for training {m}?", "Epoch 估算 {m} 的云端训练算力成本是多少？"),
        "Hardware utilization (MFU)": ("What model FLOPs utilization does Epoch give for {m}?", "{m} 训练时的 MFU 是多少？"),
        "TDP (W)": ("What is the TDP of the {m} in Epoch's hardware table?", "Epoch 硬件表里 {m} 的 TDP 是多少瓦？"),
        "Release price (USD)": ("At what price was the {m} released, per Epoch's hardware data?", "{m} 的发布价格是多少美元？"),
        "Die Size (mm^2)": ("How large is the {m}'s die, in square millimetres?", "{m} 的芯片面积是多少平方毫米？"),
        "Memory bandwidth (byte/s)": ("What memory bandwidth does Epoch list for the {m}?", "Epoch 列出的 {m} 显存带宽是多少？"),
    },
    # check phrasings
    "c": {
        "Hardware quantity": ("According to the Epoch notable-models data, what accelerator count was used for {m}?", "按 Epoch 的知名模型数据，{m} 用了多少张加速卡训练？"),
        "Training time (hours)": ("For how many hours was {m} trained according to Epoch?", "Epoch 记录的 {m} 训练耗时几个小时？"),
        "Training compute cost (2023 USD)": ("In 2023 dollars, what did training {m} cost by Epoch's estimate?", "以 2023 年美元计，{m} 的训练成本估计是多少？"),
        "Training power draw (W)": ("What power draw, in watts, does Epoch record for {m}'s training cluster?", "{m} 训练时的功耗是多少瓦？"),
        "TDP (W)": ("How many watts is the thermal design power of {m} in the capstone hardware file?", "{m} 的热设计功耗是多少瓦？"),
        "FP8 performance (FLOP/s)": ("What FP8 throughput does Epoch's hardware list give for {m}?", "{m} 的 FP8 算力是多少 FLOP/s？"),
        "Intranode bandwidth (byte/s)": ("What is the intranode bandwidth of {m}?", "{m} 的节点内带宽是多少？"),
        "Release price (USD)": ("What was {m}'s launch price in US dollars?", "{m} 的上市价格是多少美元？"),
    },
}
C = {
    "b": {
        "Hardware quantity": ("Epoch lists {m} as trained on {v} chips.", "Epoch 数据显示 {m} 的训练使用了 {v} 块芯片。"),
        "Training time (hours)": ("{m}'s training took {v} hours according to Epoch.", "据 Epoch，{m} 训练耗时 {v} 小时。"),
        "Training compute cost (cloud)": ("Epoch estimates the cloud cost of training {m} at ${v}.", "Epoch 估计 {m} 的云端训练成本为 {v} 美元。"),
        "Hardware utilization (MFU)": ("{m} reached an MFU of {v} in training, per Epoch.", "{m} 训练的 MFU 为 {v}。"),
        "TDP (W)": ("The {m} has a TDP of {v} W.", "{m} 的 TDP 为 {v} 瓦。"),
        "Release price (USD)": ("The {m} launched at ${v}.", "{m} 发布时售价 {v} 美元。"),
        "Die Size (mm^2)": ("The {m} die measures {v} mm².", "{m} 的芯片面积为 {v} 平方毫米。"),
        "Memory bandwidth (byte/s)": ("The {m} offers {v} byte/s of memory bandwidth.", "{m} 的显存带宽为 {v} byte/s。"),
    },
    "c": {
        "Hardware quantity": ("Training {m} used {v} accelerators, Epoch says.", "训练 {m} 动用了 {v} 张加速卡。"),
        "Training time (hours)": ("Epoch records a training time of {v} hours for {m}.", "Epoch 记录 {m} 训练了 {v} 个小时。"),
        "Training compute cost (2023 USD)": ("Training {m} cost about ${v} in 2023 dollars, per Epoch.", "按 2023 年美元计，{m} 的训练成本约为 {v} 美元。"),
        "Training power draw (W)": ("{m}'s training cluster drew {v} W.", "{m} 训练集群功耗为 {v} 瓦。"),
        "TDP (W)": ("Epoch's capstone table puts {m}'s TDP at {v} watts.", "{m} 的热设计功耗是 {v} 瓦。"),
        "FP8 performance (FLOP/s)": ("{m} delivers {v} FLOP/s at FP8.", "{m} 的 FP8 算力为 {v} FLOP/s。"),
        "Intranode bandwidth (byte/s)": ("{m} has an intranode bandwidth of {v} byte/s.", "{m} 的节点内带宽为 {v} byte/s。"),
        "Release price (USD)": ("{m} went on sale at ${v}.", "{m} 的上市价为 {v} 美元。"),
    },
}


def make(part, picks_q, picks_c):
    qa, claims = [], []
    for i, (name, col, x) in enumerate(picks_q):
        en, zh = Q[part][col]
        lang = "zh" if i % 3 == 2 else "en"
        q = (zh if lang == "zh" else en).format(m=name)
        qa.append({"id": f"rk{part}q{i + 1:02d}", "lang": lang, "question": q, "expect_numbers": [x],
                   "source": "epoch", "kind": "lookup", "column": col})
    for i, (name, col, x) in enumerate(picks_c):
        en, zh = C[part][col]
        lang = "zh" if i % 3 == 2 else "en"
        bad = i % 2 == 1
        v = wrong(x) if bad else x
        case = {"id": f"rk{part}c{i + 1:02d}", "lang": lang, "claim": (zh if lang == "zh" else en).format(m=name, v=fmt(v)),
                "verdict": "contradicted" if bad else "supported"}
        if bad:
            case["correct"] = [x]
        claims.append(case)
    return qa, claims


used: set[str] = set()
large = rows("epoch_large_scale_ai_models_2026-02.csv")
notable = rows("epoch_notable_ai_models_2026-02.csv")
hw_b = rows("epoch_ml_hardware_2025-11_talmolab.csv")
hw_c = rows("epoch_ml_hardware_2026-03_capstone.csv")
mcols_b = ["Hardware quantity", "Training time (hours)", "Training compute cost (cloud)", "Hardware utilization (MFU)"]
hcols_b = ["TDP (W)", "Release price (USD)", "Die Size (mm^2)", "Memory bandwidth (byte/s)"]
mcols_c = ["Hardware quantity", "Training time (hours)", "Training compute cost (2023 USD)", "Training power draw (W)"]
hcols_c = ["TDP (W)", "FP8 performance (FLOP/s)", "Intranode bandwidth (byte/s)", "Release price (USD)"]
bq = pick(large, "Model", mcols_b, 10, used) + pick(hw_b, "Hardware name", hcols_b, 8, used)
bc = pick(large, "Model", mcols_b, 10, used) + pick(hw_b, "Hardware name", hcols_b, 6, used)
hw = pick(hw_c, "Hardware name", hcols_c, 40, used, deep=400)
cq = pick(notable, "Model", mcols_c, 10, used) + hw[:8]
cc = pick(notable, "Model", mcols_c, 10, used) + hw[8:14]
for part, q, c in (("b", bq, bc), ("c", cq, cc)):
    qa, claims = make(part, q, c)
    stem = "build" if part == "b" else "check"
    Path(f"{stem}_qa.jsonl").write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in qa))
    Path(f"{stem}_claims.jsonl").write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in claims))
    print(stem, len(qa), len(claims))
