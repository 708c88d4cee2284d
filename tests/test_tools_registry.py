"""The tools package as a whole: light imports, the registry, and sources that quote the corpus."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import tools
from tools import TOOLS, run_tool
from tools.cost import DEFAULT_PRICES

REPO = Path(__file__).resolve().parents[1]


def test_import_tools_loads_nothing_heavy() -> None:
    code = (
        "import sys, json, tools; tools.training_cost(gpu_hours=1, usd_per_gpu_hour=1); tools.chip_specs('H800');"
        "tools.chip_share(); tools.parse_figures('约80%');"
        "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True)
    loaded = set(json.loads(out.stdout))
    heavy = {
        "torch",
        "chromadb",
        "langchain",
        "langchain_core",
        "numpy",
        "sentence_transformers",
        "assistant",
    }
    assert loaded & heavy == set()
    assert "pydantic" in loaded


def test_registry_names() -> None:
    assert list(TOOLS) == [
        "training_cost",
        "project_rental_price",
        "implied_change",
        "gpus_needed",
        "speedup_implied",
        "chip_specs",
        "chip_share",
    ]
    assert all(callable(f) and f.__doc__ for f in TOOLS.values())


@pytest.mark.parametrize(
    ("name", "kwargs", "formula"),
    [
        (
            "training_cost",
            {"gpu_hours": 2.788e6, "usd_per_gpu_hour": 2},
            "2,788,000 GPU·h × $2/GPU·h = $5,576,000",
        ),
        ("gpus_needed", {"gpus": 1024, "speedup": 0.3}, "1,024 / (1 + 30%) = 787.692 → 788 GPUs"),
        ("speedup_implied", {"gpus_before": 1024, "gpus_after": 700}, "1,024 / 700 - 1 = 46.29%"),
        (
            "implied_change",
            {"start_usd_per_hour": 4.5, "end_usd_per_hour": 3.8},
            "(3.8 / 4.5)^(1/12) - 1 = -1.399%",
        ),
        ("project_rental_price", {"start_usd_per_hour": 4.5, "change": -0.02}, "$4.50 × (1 - 2%)^12 = $3.53"),
        (
            "project_rental_price",
            {"start_usd_per_hour": 4.5, "change_range": [-0.18, -0.12], "per": "year", "periods": 1},
            "$4.50 × (1 - 15%)^1 = $3.83",
        ),  # fmt: skip
    ],
)
def test_run_tool(name: str, kwargs: dict, formula: str) -> None:
    result = run_tool(name, **kwargs)
    assert result.tool == name
    assert result.formula == formula
    assert json.loads(result.model_dump_json())["tool"] == name


def test_run_tool_errors() -> None:
    with pytest.raises(ValueError, match="unknown tool 'nope'"):
        run_tool("nope")
    with pytest.raises(ValueError, match="gpus_needed: got an unexpected keyword argument 'cards'"):
        run_tool("gpus_needed", gpus=8, speedup=0.1, cards=3)
    with pytest.raises(ValueError, match="missing a required argument: 'speedup'"):
        run_tool("gpus_needed", gpus=8)


def test_every_result_renders_in_both_languages() -> None:
    calls = {
        "training_cost": {"gpu_hours": 2.788e6, "chip": "H800"},
        "project_rental_price": {"start_usd_per_hour": 4.5, "change": -0.02},
        "implied_change": {"start_usd_per_hour": 4.5, "end_usd_per_hour": 3.8},
        "gpus_needed": {"gpus": 1024, "speedup": 0.3},
        "speedup_implied": {"gpus_before": 1024, "gpus_after": 700},
        "chip_specs": {"name": "H800"},
        "chip_share": {},
    }
    assert set(calls) == set(TOOLS)
    for name, kwargs in calls.items():
        result = run_tool(name, **kwargs)
        en, zh = result.render("en"), result.render("zh")
        assert en and zh and en != zh, name
        assert str(result) == en


def test_deepseek_default_price_quote_is_on_page_5() -> None:
    pdf = REPO.parent / "shared" / "corpus" / "deepseek" / "DeepSeek_V3.pdf"
    if not pdf.exists():
        pytest.skip("shared corpus not available")
    pdfium = pytest.importorskip("pypdfium2")
    _, source = DEFAULT_PRICES["NVIDIA H800 SXM5"]
    doc = pdfium.PdfDocument(str(pdf))
    page_text = " ".join(doc[source.page - 1].get_textpage().get_text_range().split())
    assert source.quote in page_text


def test_public_api_is_exported() -> None:
    for name in ("parse_figures", "parse_number", "parse_duration", "Figure", "load_shares", "run_tool"):
        assert hasattr(tools, name)
