"""The evaluation module: case loading, figure matching in both languages, per-case scoring, totals, table."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.errors import InputError
from assistant.evaluate import (
    ArithCase,
    ClaimCase,
    QACase,
    answer_values,
    evaluate,
    load_cases,
    matches,
    render_table,
    score_arith,
    score_claim,
    score_qa,
)
from assistant.models import Answer, ArithmeticCheck, CheckReport, Citation, Claim, StatedFigure, ToolCall


def answer(
    text: str, *, status: str = "answered", route: str = "retrieval", source: str = "", tools=()
) -> Answer:
    cites = (
        [Citation(number=1, doc_id="d", title="T", source=source, start=0, end=1, quote="x")]
        if source
        else []
    )
    return Answer(
        question="q",
        status=status,
        route=route,
        text=text,
        citations=cites,
        tool_calls=list(tools),
        language="en",
    )


def write(tmp_path: Path, rows: list[dict | str]) -> Path:
    path = tmp_path / "cases.jsonl"
    path.write_text(
        "\n".join(r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in rows) + "\n"
    )
    return path


def test_load_cases_recognises_the_three_formats(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        [
            {"id": "q1", "question": "How many?", "expect_numbers": [1], "kind": "lookup"},
            {"id": "c1", "claim": "It costs $3.", "verdict": "contradicted", "correct": [2]},
            {"id": "a1", "text": "1 + 1 = 2", "consistent": True},
            "",
        ],
    )
    cases = load_cases(path)
    assert [type(c) for c in cases] == [QACase, ClaimCase, ArithCase]
    assert cases[0].tolerance == 0.005 and cases[1].correct == [2]


@pytest.mark.parametrize(
    "bad", ["{not json", json.dumps({"id": "x", "foo": 1}), json.dumps({"question": "no id"})]
)
def test_a_bad_line_is_reported_with_its_number(tmp_path: Path, bad: str) -> None:
    path = write(tmp_path, [{"id": "q1", "question": "ok"}, bad])
    with pytest.raises(InputError, match=r"cases\.jsonl:2:"):
        load_cases(path)


@pytest.mark.parametrize(
    ("expected", "text", "tolerance", "found"),
    [
        (5.576e6, "The total is $5.576M.", 0.005, True),
        (5.576e6, "总成本约为557.6万美元。", 0.005, True),
        (0.8, "拿下了近80%的市场份额", 0.005, True),
        (0.8, "拿下了八成的份额", 0.005, True),
        (0.01399, "-1.4% per month", 0.02, True),  # sign ignored, within 2%
        (0.01399, "-1.4% per month", 0.0001, False),
        (3.36e12, "Memory bandwidth (byte/s): 3360000000000.0", 0.005, True),
        (0.12, "下调了12%—18%", 0.005, True),  # a range gives both ends
        (2, "$3 per GPU hour", 0.005, False),
    ],
)
def test_expected_figures_match_in_either_language(
    expected: float, text: str, tolerance: float, found: bool
) -> None:
    assert any(matches(v, expected, tolerance) for v in answer_values(answer(text))) is found


def test_tool_result_numbers_count() -> None:
    call = ToolCall(
        name="implied_change", arguments={}, result={"change": "-0.0139909", "periods": 12}, text=""
    )
    values = answer_values(answer("See the formula.", route="tool", tools=[call]))
    assert any(matches(v, 0.01399, 0.02) for v in values)


def test_score_lookup_needs_figures_and_source() -> None:
    case = QACase(id="d1", question="q", expect_numbers=[119000.0], source="DeepSeek_V3|caixin")
    good = score_qa(case, answer("119K GPU hours [1]", source="corpus/deepseek/DeepSeek_V3.pdf"))
    assert good.passed and good.checks == {
        "routing": True,
        "not_found": None,
        "answered": True,
        "numbers": True,
        "source": True,
    }
    wrong_source = score_qa(case, answer("119K GPU hours [1]", source="corpus/other.md"))
    assert not wrong_source.passed and wrong_source.detail == "no citation from DeepSeek_V3|caixin"
    wrong_number = score_qa(case, answer("5K GPU hours [1]", source="corpus/deepseek/DeepSeek_V3.pdf"))
    assert not wrong_number.passed and wrong_number.detail == "missing 119000"


def test_any_means_one_figure_suffices() -> None:
    case = QACase(id="d10", question="q", expect_numbers=[3.35e12, 2.0e12], any=True)
    assert score_qa(case, answer("3.35 TB/s")).passed
    assert not score_qa(case.model_copy(update={"any": False}), answer("3.35 TB/s")).passed


def test_not_found_and_routing() -> None:
    case = QACase(id="d18", question="q", kind="not_found")
    assert score_qa(case, answer("No.", status="not_found")).passed
    assert not score_qa(case, answer("42 units")).passed
    tool_case = QACase(id="d14", question="q", expect_numbers=[1.458], kind="tool:rental_projection")
    call = ToolCall(name="project_rental_price", arguments={}, result={"final_usd_per_hour": "1.458"})
    result = score_qa(tool_case, answer("$1.46/h", route="tool", tools=[call]))
    assert result.passed and result.checks["routing"] and result.checks["tool_name"]
    by_retrieval = score_qa(tool_case, answer("$1.458 [1]"))
    assert by_retrieval.passed and by_retrieval.checks["routing"] is False


def _claim(verdict: str, source_value: float | None = None) -> Claim:
    fig = StatedFigure(text="$3", value=3, unit="usd", start=0, end=2)
    src = StatedFigure(text="$2", value=source_value, unit="usd", start=0, end=2) if source_value else None
    return Claim(text="t", start=0, end=1, figure=fig, subject="price", verdict=verdict, source_figure=src)


def test_claim_scoring_needs_the_source_value_for_a_contradiction() -> None:
    case = ClaimCase(id="c", claim="x", verdict="contradicted", correct=[2])
    assert score_claim(case, CheckReport(claims=[_claim("supported"), _claim("contradicted", 2)])).passed
    shown_wrong = score_claim(case, CheckReport(claims=[_claim("contradicted", 2.5)]))
    assert not shown_wrong.passed and shown_wrong.checks["correct_shown"] is False
    unverifiable = ClaimCase(id="u", claim="x", verdict="unverifiable")
    assert score_claim(unverifiable, CheckReport()).passed


def _check(consistent: bool) -> ArithmeticCheck:
    return ArithmeticCheck(
        text="t",
        start=0,
        end=1,
        relation="product",
        stated=1,
        computed=1,
        consistent=consistent,
        explanation="",
    )


@pytest.mark.parametrize(
    ("expected", "checks", "passed"),
    [
        (True, [_check(True)], True),
        (True, [], False),
        (True, [_check(True), _check(False)], False),
        (False, [_check(False)], True),
        (False, [_check(True)], False),
    ],
)
def test_arithmetic_scoring(expected: bool, checks: list, passed: bool) -> None:
    case = ArithCase(id="a", text="t", consistent=expected)
    assert score_arith(case, CheckReport(arithmetic=checks)).passed is passed


class ScriptedAssistant:
    def __init__(self) -> None:
        self.asked: list[str] = []

    def ask(self, question: str) -> Answer:
        self.asked.append(question)
        return answer("It took 119K GPU hours [1].", source="DeepSeek_V3.pdf")

    def check(self, text: str) -> CheckReport:
        return CheckReport(arithmetic=[_check(False)])


def test_evaluate_runs_every_case_and_renders_a_table(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        [
            {"id": "q1", "question": "How many?", "expect_numbers": [119000], "source": "DeepSeek_V3"},
            {"id": "q2", "question": "Which?", "kind": "not_found"},
            {"id": "a1", "text": "2 x 2 = 5", "consistent": False},
        ],
    )
    bot = ScriptedAssistant()
    report = evaluate(bot, path)
    assert bot.asked == ["How many?", "How many?", "Which?"]  # one warm-up ask
    assert [(c.id, c.passed) for c in report.cases] == [("q1", True), ("q2", False), ("a1", True)]
    assert report.totals["answer accuracy"].correct == 1 and report.totals["answer accuracy"].total == 2
    assert report.totals["arithmetic accuracy"].accuracy == 1.0
    assert set(report.latency_ms) == {"p50", "p95", "max"}
    table = render_table(report)
    assert table.splitlines()[0].split() == ["case", "type", "result", "outcome", "ms", "detail"]
    assert next(line for line in table.splitlines() if line.startswith("q2")).split()[:4] == [
        "q2",
        "qa",
        "FAIL",
        "retrieval/answered",
    ]
    assert "answer accuracy            1/2  50%" in table
    assert json.loads(report.model_dump_json())["accuracy"] == pytest.approx(2 / 3)
