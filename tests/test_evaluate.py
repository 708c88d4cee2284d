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
from assistant.models import (
    Answer,
    ArithmeticCheck,
    CheckReport,
    Chunk,
    Citation,
    Claim,
    Document,
    Passage,
    StatedFigure,
    ToolCall,
)


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
        "lead": True,
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


# --- lead, retrieval hit, history ------------------------------------------------------------------------


def _passage(text: str, source: str) -> Passage:
    from datetime import UTC, datetime

    doc = Document(
        id="d", title=source, source_path=f"docs/{source}.md", kind="markdown", language="en", chunks=1,
        chars=len(text), content_hash="h", ingested_at=datetime(2025, 1, 1, tzinfo=UTC),
    )
    return Passage(chunk=Chunk(id="c", doc_id="d", ordinal=0, text=text, start=0, end=len(text)), document=doc, score=1)


@pytest.mark.parametrize(
    ("text", "lead"),
    [
        ("It took 2.788M GPU hours [1]. Pre-training alone: 2.664M.", True),
        ("Pre-training took 2.664M GPU hours [1]. In total 2.788M.", False),
        ("总计278.8万GPU小时[1]。其中预训练266.4万。", True),
        ("预训练266.4万GPU小时\n总计278.8万GPU小时", False),
    ],
)
def test_lead_right_needs_the_figure_in_the_first_sentence(text: str, lead: bool) -> None:
    case = QACase(id="q", question="q", expect_numbers=[2.788e6], source="V3")
    result = score_qa(case, answer(text, source="corpus/V3.pdf"))
    assert result.passed and result.checks["lead"] is lead


def test_retrieval_hit_needs_the_figure_from_the_expected_source() -> None:
    case = QACase(id="q", question="q", expect_numbers=[65536.0], source="Skywork")
    miss = answer("not found", status="not_found")
    assert score_qa(case, miss, [_passage("vocabulary of 65,536 tokens", "Skywork_README")]).checks["retrieval_hit"]
    assert not score_qa(case, miss, [_passage("vocabulary of 65,536 tokens", "Other")]).checks["retrieval_hit"]
    assert not score_qa(case, miss, [_passage("vocabulary of 32,000", "Skywork_README")]).checks["retrieval_hit"]
    assert "retrieval_hit" not in score_qa(case, miss).checks
    found = score_qa(case, miss, [_passage("vocabulary of 65,536 tokens", "Skywork_README")])
    assert found.outcome == "retrieval/not_found -lead +hit"  # the gap, on the case's own line


class HistoryAssistant(ScriptedAssistant):
    def __init__(self) -> None:
        super().__init__()
        self.histories: list[list] = []

    def ask(self, question: str, history: list | None = None) -> Answer:  # type: ignore[override]
        self.histories.append(history or [])
        return super().ask(question)


def test_earlier_turns_go_to_ask_and_an_ask_without_history_is_a_clear_error(tmp_path: Path) -> None:
    turns = [{"question": "Who?", "answer": "DeepSeek."}]
    path = write(tmp_path, [{"id": "h1", "question": "And the hours?", "expect_numbers": [119000], "history": turns}])
    bot = HistoryAssistant()
    evaluate(bot, path, warmup=False)
    assert bot.histories == [turns]
    with pytest.raises(InputError, match="case h1 has earlier turns"):
        evaluate(ScriptedAssistant(), path, warmup=False)


# --- FacTool worked calculations ---------------------------------------------------------------------------


def _arith(text: str, stated: float, consistent: bool, at: str) -> ArithmeticCheck:
    start = text.index(at)
    return ArithmeticCheck(
        text=at, start=start, end=start + len(at), relation="product", stated=stated, computed=0,
        consistent=consistent, explanation="",
    )


CALC_TEXT = "Half: 10 / 2 = 5\nTotal = 10 + 5 = 16\nSo $16 in all."
CALC = {
    "id": "f1",
    "text": CALC_TEXT,
    "consistent": False,
    "calculations": [
        {"expression": "10 / 2", "stated": "5", "right": True},
        {"expression": "10 + 5", "stated": "16", "right": False},
    ],
}


@pytest.mark.parametrize(
    ("checks", "counts", "passed"),
    [
        ([_arith(CALC_TEXT, 16, False, "Total = 10 + 5 = 16")], (1, 0), True),
        # the stated value alone does not bind a flag written elsewhere
        ([_arith(CALC_TEXT, 16, False, "So $16 in all.")], (0, 0), False),
        ([_arith(CALC_TEXT, 5, False, "10 / 2 = 5"), _arith(CALC_TEXT, 16, True, "10 + 5 = 16")], (0, 1), False),
        ([_arith(CALC_TEXT, 16, False, "Half: 10 / 2 = 5\nTotal = 10 + 5 = 16")], (1, 0), True),
        ([], (0, 0), False),
    ],
)
def test_written_calculations_are_matched_by_place_and_stated_value(checks: list, counts: tuple, passed: bool) -> None:
    from assistant.evaluate import CalcCase, score_calculations

    case = CalcCase.model_validate(CALC)
    result = score_calculations(case, CheckReport(arithmetic=checks))
    assert (result.counts["wrong_flagged"], result.counts["right_flagged"]) == counts
    assert result.passed is passed


def test_calculation_totals_count_flags(tmp_path: Path) -> None:
    path = write(tmp_path, [CALC])

    class Flagger(ScriptedAssistant):
        def check(self, text: str) -> CheckReport:
            return CheckReport(arithmetic=[_arith(text, 16, False, "10 + 5 = 16")])

    report = evaluate(Flagger(), path)
    assert report.totals["wrong calculations flagged"].model_dump() == {"correct": 1, "total": 1, "accuracy": 1.0}
    assert report.totals["right calculations flagged"].model_dump() == {"correct": 0, "total": 1, "accuracy": 0.0}


# --- RGB formats (synthetic lines in the same shape) ---------------------------------------------------


def test_rgb_lines_are_recognised_and_answers_normalised(tmp_path: Path) -> None:
    from assistant.evaluate import RgbFactCase, RgbQueryCase

    path = write(
        tmp_path,
        [
            {"id": 7, "query": "谁主演?", "answer": ["甲", ["乙", "乙二"]], "positive": ["p"], "negative": []},
            {"id": 8, "query": "Who?", "answer": "Ann Lee", "fakeanswer": "Bo", "positive_wrong": ["Bo did"],
             "positive": ["Ann Lee did"], "negative": ["x"]},
            {"id": "f", "text": "1 + 1 = 2", "consistent": True, "calculations": []},
        ],
    )
    q, f, c = load_cases(path)
    assert isinstance(q, RgbQueryCase) and q.id == "7" and q.answer == [["甲"], ["乙", "乙二"]]
    assert isinstance(f, RgbFactCase) and f.answer == [["Ann Lee"]]
    assert type(c).__name__ == "CalcCase"


@pytest.mark.parametrize(
    ("text", "passed"),
    [
        ("主演是甲和乙二。", True),
        ("主演是甲。", False),
        ("The cast: 甲, 乙.", True),
    ],
)
def test_rgb_answer_needs_every_gold_answer(text: str, passed: bool) -> None:
    from assistant.evaluate import RgbQueryCase, score_rgb_query

    case = RgbQueryCase(id="1", query="q", answer=["甲", ["乙", "乙二"]])
    assert score_rgb_query(case, answer(text)).passed is passed


def test_rgb_fact_needs_the_planted_figure_contradicted_with_the_truth() -> None:
    from assistant.evaluate import RgbFactCase, score_rgb_fact

    text = "东盟共有64个成员国。"
    case = RgbFactCase(id="1", query="q", answer="10", fakeanswer="64", positive_wrong=[text])
    at = text.index("64个")
    planted = StatedFigure(text="64个", value=64, start=at, end=at + 3)
    truth = StatedFigure(text="10个", value=10, start=0, end=3)

    def claim(verdict: str, source: StatedFigure | None) -> Claim:
        return Claim(text=text, start=0, end=len(text), figure=planted, subject="成员国", verdict=verdict,
                     source_figure=source)

    assert score_rgb_fact(case, text, CheckReport(claims=[claim("contradicted", truth)])).passed
    unverifiable = score_rgb_fact(case, text, CheckReport(claims=[claim("unverifiable", None)]))
    assert unverifiable.checks == {"planted_found": True, "contradicted": False, "true_shown": False}
    wrong = score_rgb_fact(case, text, CheckReport(claims=[claim("contradicted", truth.model_copy(update={"value": 9, "text": "9个"}))]))
    assert wrong.checks == {"planted_found": True, "contradicted": True, "true_shown": False}
    assert not score_rgb_fact(case, text, CheckReport()).checks["planted_found"]


def test_rgb_sets_index_their_own_passages_per_case(tmp_path: Path) -> None:
    """Each case is answered from its own passages only, in an index apart from the user's."""
    from assistant import Assistant, Settings

    rows = [
        {"id": 1, "query": "Orion 探测器搭载了多少台相机？", "answer": ["12台"],
         "positive": ["Orion 探测器共搭载了12台相机。"], "negative": ["天气晴朗。"]},
        {"id": 2, "query": "Orion 探测器搭载了多少台相机？", "answer": ["30台"],
         "positive": ["Orion 探测器共搭载了30台相机。"], "negative": []},
    ]
    path = write(tmp_path, rows)
    settings = Settings(data_dir=tmp_path / "data", embedder="hash")
    with Assistant.open(settings=settings) as bot:
        report = evaluate(bot, path, work_dir=tmp_path / "work")
        assert bot.documents() == []  # the user's index holds none of the set's passages
    assert [(c.id, c.passed) for c in report.cases] == [("1", True), ("2", True)]
    assert report.totals["RGB answer accuracy"].correct == 2
    assert report.totals["gold in text, any status"].correct == 2
    assert sorted(p.name for p in (tmp_path / "work" / "files" / "case-1").iterdir()) == ["neg-001.txt", "pos-001.txt"]


def test_docs_are_ingested_before_the_questions(tmp_path: Path) -> None:
    from assistant import Assistant, Settings

    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "Zephyr_README.md").write_text("# Zephyr\n\nZephyr-7Q was trained on 3.3 trillion tokens.\n")
    path = write(tmp_path, [{"id": "z", "question": "How many tokens was Zephyr-7Q trained on?",
                             "expect_numbers": [3.3e12], "source": "Zephyr"}])
    from assistant.evaluate import docs_beside

    assert docs_beside(path) == docs
    with Assistant.open(settings=Settings(data_dir=tmp_path / "data", embedder="hash")) as bot:
        report = evaluate(bot, path, docs=[docs])
        assert [d.title for d in bot.documents()] == ["Zephyr"]
    assert report.cases[0].checks["retrieval_hit"] is True


@pytest.mark.parametrize(
    ("extra", "message"),
    [(["--limit", "0"], "--limit must be at least 1"), (["--docs", "no/such/docs"], "no such documents folder")],
)
def test_cli_eval_bad_options_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], extra: list[str], message: str
) -> None:
    from assistant.cli import main

    path = write(tmp_path, [{"id": "q1", "question": "How many?", "kind": "not_found"}])
    code = main(["eval", str(path), "--data-dir", str(tmp_path / "d"), "--embedder", "hash", *extra])
    assert code == 2
    assert message in capsys.readouterr().err
