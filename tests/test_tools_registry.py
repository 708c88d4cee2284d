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
        "apply_change",
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
        ("apply_change", {"value": 4.5, "change": -0.15}, "4.5 × (1 - 15%) = 3.825"),
        ("apply_change", {"value": 12e6, "change": 0.2, "unit": "usd"}, "12,000,000 × (1 + 20%) = 14,400,000"),
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
        "apply_change": {"value": 4.5, "change": -0.15, "unit": "usd_per_hour"},
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


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"value": 1, "change": -1}, "change must be greater than -1"),
        ({"value": 1, "change": 0.1, "unit": "eur"}, "unit must be one of"),
        ({"value": "x", "change": 0.1}, "value must be a number"),
    ],
)
def test_apply_change_refuses_bad_input(kwargs: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        run_tool("apply_change", **kwargs)


def test_apply_change_renders_money_and_rates() -> None:
    assert run_tool("apply_change", value=4.5, change=-0.15, unit="usd_per_hour").render("en").splitlines()[0] == (
        "$4.5/h falls 15% to $3.825/h"
    )
    assert run_tool("apply_change", value=5e6, change=0.4, unit="usd").render("zh").splitlines()[0] == (
        "500万美元上升40%后为700万美元"
    )


@pytest.fixture
def toy_calculator():  # type: ignore[no-untyped-def]
    """A calculator registered for one test, then removed again."""
    from pydantic import BaseModel

    from tools import registry

    class GpuTime(BaseModel):
        tool: str = "gpu_time"
        formula: str
        gpu_hours: float
        sources: list = []

        def render(self, lang: str = "en") -> str:
            return f"{self.gpu_hours:g} GPU hours"

    def gpu_time(gpus: int, days: float) -> GpuTime:
        """GPU hours of ``gpus`` GPUs running for ``days`` days."""
        return GpuTime(formula=f"{gpus} × {days} × 24", gpu_hours=gpus * days * 24)

    spec = registry.register(gpu_time, answers=("gpu_hour",), roles={"gpus": "gpus", "days": "usage"})
    yield spec
    for table in (registry.REGISTRY, registry.TOOLS):
        table.pop("gpu_time")


def test_a_registered_calculator_is_routed_by_its_roles(toy_calculator) -> None:  # type: ignore[no-untyped-def]
    from assistant.ask.analyze import analyze
    from assistant.ask.route import plan_tool
    from tools import registry

    assert "gpu_time(gpus, days) answers gpu_hour; gpus<-gpus, days<-usage" in registry.describe()
    plan = plan_tool(analyze("How many GPU hours do 256 GPUs running for 10 days add up to?"))
    assert plan is not None and (plan.name, plan.arguments) == ("gpu_time", {"gpus": 256, "days": 10})
    assert run_tool("gpu_time", **plan.arguments).render() == "61440 GPU hours"


@pytest.mark.parametrize(
    ("roles", "message"),
    [({"cards": "gpus"}, "unknown argument or role cards"), ({"gpus": "cards"}, "unknown argument or role cards")],
)
def test_registration_names_known_arguments_and_roles(roles: dict, message: str) -> None:
    from tools.registry import register

    def f(gpus: int) -> None:
        """x"""

    with pytest.raises(ValueError, match=message):
        register(f, answers=("gpu",), roles=roles)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="already registered"):
        register(f, name="training_cost")  # type: ignore[arg-type]
