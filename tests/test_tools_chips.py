"""chip_specs: aliases, figures and the data file's integrity."""

from __future__ import annotations

import csv
from importlib import resources

import pytest

from tools import chip_specs
from tools.chips import known_chips, peak_flops

# (query, canonical name, bf16 TFLOP/s or None, memory GB, bandwidth TB/s)
CHIPS = [
    ("H100", "NVIDIA H100 SXM5 80GB", 989.4, 80, 3.35),
    ("h100 sxm", "NVIDIA H100 SXM5 80GB", 989.4, 80, 3.35),
    ("H800", "NVIDIA H800 SXM5", 989.5, 80, 3.36),
    ("h800", "NVIDIA H800 SXM5", 989.5, 80, 3.36),
    ("H800 SXM5", "NVIDIA H800 SXM5", 989.5, 80, 3.36),
    ("NVIDIA H800", "NVIDIA H800 SXM5", 989.5, 80, 3.36),
    ("英伟达H800", "NVIDIA H800 SXM5", 989.5, 80, 3.36),
    ("H20", "NVIDIA HGX H20", 148, 96, 4.0),
    ("A100", "NVIDIA A100 SXM4 80 GB", 312, 80, 2.039),
    ("B200", "NVIDIA B200", 2250, 180, 7.7),
    ("Ascend 910B", "Huawei Ascend 910B", None, 32, 1.228),
    ("昇腾910C", "Huawei Ascend 910C", 800, 128, 3.2),
    ("910C", "Huawei Ascend 910C", 800, 128, 3.2),
    ("mi300x", "AMD Instinct MI300X", 1307.4, 192, 5.3),
]


@pytest.mark.parametrize(("query", "name", "bf16", "mem_gb", "bw_tbs"), CHIPS, ids=[c[0] for c in CHIPS])
def test_chip_specs(query: str, name: str, bf16: float | None, mem_gb: float, bw_tbs: float) -> None:
    spec = chip_specs(query)
    assert spec.name == name
    assert spec.peak_flops.get("bf16") == (bf16 * 1e12 if bf16 else None)
    assert spec.memory_bytes == mem_gb * 1e9
    assert spec.memory_bandwidth == pytest.approx(bw_tbs * 1e12)
    assert spec.sources and spec.sources[0].path == "datasets/epoch_ml_hardware_2026-03_capstone.csv"


def test_h800_render() -> None:
    assert (
        chip_specs("H800")
        .render()
        .startswith(
            "NVIDIA H800 SXM5 (NVIDIA, released 2023-03-21): dense peak BF16 989.5 TFLOP/s, FP16 989.5 TFLOP/s, "
            "FP8 1979 TFLOP/s; memory 80 GB, bandwidth 3.36 TB/s."
        )
    )


def test_910b_has_fp16_only() -> None:
    assert peak_flops("910B", "fp16")[0] == 376e12
    with pytest.raises(ValueError, match="has no BF16 peak"):
        peak_flops("910B")


@pytest.mark.parametrize("bad", ["H900", "", "GPU"])
def test_unknown_chip(bad: str) -> None:
    with pytest.raises(ValueError, match="chip"):
        chip_specs(bad)


def test_required_chips_present() -> None:
    names = known_chips()
    for needed in ("H100 SXM5", "H800", "H20", "A100", "B200", "Ascend 910B", "Ascend 910C", "MI300X"):
        assert any(needed in n for n in names), needed


def test_data_file_rows_are_sourced_and_aliases_unique() -> None:
    text = resources.files("tools").joinpath("data/chips.csv").read_text(encoding="utf-8")
    rows = list(csv.DictReader(text.splitlines()))
    seen: set[str] = set()
    for row in rows:
        assert row["source"] and row["source_detail"], row["name"]
        for alias in row["aliases"].split("|"):
            assert alias.lower() not in seen, alias
            seen.add(alias.lower())
        for col in ("bf16_flops", "fp16_flops", "fp8_flops", "fp4_flops", "memory_bytes", "memory_bandwidth"):
            assert row[col] == "" or float(row[col]) > 0


def test_epoch_figures_match_the_corpus() -> None:
    corpus = __import__("pathlib").Path(__file__).resolve().parents[2] / "shared" / "corpus"
    path = corpus / "datasets" / "epoch_ml_hardware_2026-03_capstone.csv"
    if not path.exists():
        pytest.skip("shared corpus not available")
    epoch = {r["Hardware name"]: r for r in csv.DictReader(path.open(encoding="utf-8"))}
    pairs = [("NVIDIA H100 SXM5 80GB", "H100"), ("NVIDIA HGX H20", "H20"), ("NVIDIA B200", "B200"),
             ("Huawei Ascend 910C", "910C"), ("AMD Instinct MI300X", "MI300X")]  # fmt: skip
    for epoch_name, query in pairs:
        spec, row = chip_specs(query), epoch[epoch_name]
        assert spec.peak_flops["bf16"] == float(row["Tensor-FP16/BF16 performance (FLOP/s)"]), query
        assert spec.memory_bandwidth == float(row["Memory bandwidth (byte/s)"]), query
        assert spec.release_date == row["Release date"], query
    assert chip_specs("H800").peak_flops["bf16"] == float(
        epoch["NVIDIA GH100"]["Tensor-FP16/BF16 performance (FLOP/s)"]
    )
