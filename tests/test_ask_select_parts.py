"""Selection details that carry an answer across a question's parts, a table's headers and a code block's printout.

Made-up text (names of no real model), table-driven, exact values.
"""

from __future__ import annotations

import pytest

from assistant.ask.analyze import analyze
from assistant.ask.candidate import Scored, weakness
from assistant.ask.compose import answer_text
from assistant.ask.partfill import fill_parts, focus_unit
from assistant.ask.spans import heading_path, headings, sentence_spans
from assistant.ask.surround import is_product_id
from assistant.ask.table import answering_cell
from assistant.ask.terms import key_terms
from assistant.models import Citation
from tools.figures import parse_figures


def _cand(text: str, figure_text: str | None = None, **scores: float | bool) -> Scored:
    figure = next((f for f in parse_figures(text) if f.text == figure_text), None) if figure_text else None
    return Scored(passage=0, start=0, end=len(text), text=text, quote=text, figure=figure, **scores)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("first_q", "first_line", "first_figure", "second_q", "expected"),
    [
        # the row answering the first part holds the second part's figure too
        (
            "Zorblax-7B 每秒能解码多少个 token？",
            "| Zorblax-7B | 50.2 (2.6x) | 0.3 |",
            "50.2",
            "比基线快了几倍？",
            "2.6x",
        ),
        (
            "How many GPUs did Quillon-12B train on?",
            "Quillon-12B trained on 512 GPUs for 21 days.",
            "512 GPUs",
            "and for how many days?",
            "21 days",
        ),
        # a duration in another unit than the one named does not answer ("how many days" is no seconds)
        (
            "How many GPUs did Quillon-12B train on?",
            "It ran on 8 GPUs in about 35 seconds.",
            "8 GPUs",
            "and for how many days?",
            None,
        ),
        # nothing of the asked kind beside the first figure
        (
            "How many GPUs did Quillon-12B train on?",
            "Quillon-12B trained on 512 GPUs.",
            "512 GPUs",
            "and for how many days?",
            None,
        ),
    ],
)
def test_a_part_is_read_from_the_line_answering_another(
    first_q: str, first_line: str, first_figure: str, second_q: str, expected: str | None
) -> None:
    first, second = analyze(first_q), analyze(second_q)
    filled = fill_parts([(first, [_cand(first_line, first_figure, kind_hit=1.0)]), (second, [])])
    got = filled[1][1]
    assert (got[0].figure.text if got and got[0].figure else None) == expected
    assert all(c.borrowed for c in got)
    assert filled[0][1][0].borrowed is False


@pytest.mark.parametrize(
    ("focus", "unit"),
    [("days", "day"), ("倍", "times"), ("seconds", "second"), ("平均降", None), ("", None)],
)
def test_the_unit_a_focus_names(focus: str, unit: str | None) -> None:
    assert focus_unit(focus) == unit


@pytest.mark.parametrize(
    ("label", "is_id"),
    [
        ("Qwen-Max", True),
        ("H100", True),
        ("GLM-4.5", True),
        ("Alibaba", False),
        ("Cloud", False),
        ("IEA", False),
    ],
)
def test_product_ids(label: str, is_id: bool) -> None:
    assert is_product_id(label) is is_id


PRICES = (
    "| 模型 | 降价前输入价 | 降价后输入价 | 降价后输出价 | 输入降幅 |\n"
    "|---|---|---|---|---|\n"
    "| Zorblax-Max | 0.12 | 0.04 | 0.12 | 67% |\n"
)


@pytest.mark.parametrize(
    ("question", "value"),
    [
        # a percentage asked: the cell written in percent answers, not the first price column
        ("By what percentage was the input price of Zorblax-Max cut?", "67%"),
    ],
)
def test_cell_of_a_chinese_price_table(question: str, value: str) -> None:
    analysis = analyze(question)
    start = PRICES.index("| Zorblax-Max")
    cell = answering_cell(
        PRICES,
        (start, len(PRICES) - 1),
        (0, PRICES.index("\n")),
        analysis.terms,
        kind_cues=analysis.asked.cues if analysis.asked else (),
        kind_units=analysis.asked.units if analysis.asked else frozenset(),
    )
    assert cell is not None and cell.value == value


def test_training_is_not_named_inside_pretraining() -> None:
    text = "| Stage | 预训练 | 训练总计 |\n|---|---|---|\n| GPU 小时 | 1.2M | 1.4M |\n"
    terms = key_terms("Zorblax 训练用了多少 GPU 小时？")
    start = text.index("| GPU")
    cell = answering_cell(text, (start, len(text) - 1), (0, text.index("\n")), terms)
    assert cell is not None and cell.value.startswith("1.4M")


REPORT = (
    "## 单并发测试\n\n### 命令\n\n```bash\npython bench.py --max-concurrency 1 \\\n --num-prompts 8\n```\n\n"
    "### 结果\n\n```\nSuccessful requests:           8\nTotal token throughput (tok/s):   494.13\n"
    "max_tokens: 256\n```\n\n## 高并发测试\n\n### 结果\n\n```\nTotal token throughput (tok/s):   1600.62\n```\n"
)


def test_a_printout_in_a_code_block_is_read_line_by_line() -> None:
    spans = sentence_spans(REPORT)
    lines = [REPORT[s.start : s.end] for s in spans if not REPORT[s.start : s.end].startswith("#")]
    assert lines == [
        "Successful requests:           8",
        "Total token throughput (tok/s):   494.13",
        "Total token throughput (tok/s):   1600.62",
    ]
    # the command and a one-word setting ("max_tokens: 256") are no report lines; each line is read under its test
    heads = headings(REPORT, spans, "")
    by_line = {REPORT[s.start : s.end]: h for s, h in zip(spans, heads, strict=True)}
    assert by_line["Total token throughput (tok/s):   494.13"] == "单并发测试 - 结果"
    assert by_line["Total token throughput (tok/s):   1600.62"] == "高并发测试 - 结果"


@pytest.mark.parametrize(
    ("path", "repeated", "expected"),
    [
        ([(1, "Report"), (2, "Test A"), (3, "Results")], {"Results"}, "Test A - Results"),
        ([(1, "Report"), (2, "Test A"), (3, "Architecture")], set(), "Architecture"),
        ([(1, "Report")], set(), "Report"),
        ([], set(), ""),
    ],
)
def test_heading_path(path: list[tuple[int, str]], repeated: set[str], expected: str) -> None:
    assert heading_path(path, repeated) == expected


ASKED = analyze("What share of the computation does Zorblax-7B need?").asked


@pytest.mark.parametrize(
    ("scores", "reason"),
    [
        # the closest in meaning, every name, a figure in the asked unit: the question's other words need not be in it
        ({"kind_hit": 1.0, "closeness": 1.0, "window": 0.36, "names": 1.0}, None),
        # ... but not far from the closest
        ({"kind_hit": 1.0, "closeness": 0.5, "window": 0.36, "names": 1.0}, "weak"),
        # ... nor with a bare number by a cue word only
        ({"kind_hit": 0.8, "closeness": 1.0, "window": 0.36, "names": 1.0}, "weak"),
        # ... nor with too few of the words
        ({"kind_hit": 1.0, "closeness": 1.0, "window": 0.2, "names": 1.0}, "weak"),
        ({"kind_hit": 1.0, "closeness": 1.0, "window": 0.36, "names": 0.5}, "missing_names"),
    ],
)
def test_closest_in_meaning_needs_fewer_words(scores: dict[str, float], reason: str | None) -> None:
    cand = _cand("With only 39.6% of computations, Zorblax-7B matches its dense peer.", "39.6%", **scores)
    assert weakness(cand, ASKED, wants_figure=True) == reason


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        (
            "Zorblax-7B achieves a Pass@1 score that surpasses larger models.",
            "weak",
        ),  # "@1" is part of a name
        ("Zorblax-7B achieves a Pass@1 score of 81.1.", None),
    ],
)
def test_a_number_in_a_name_is_no_figure(text: str, reason: str | None) -> None:
    cand = _cand(text, names=1.0, window=1.0, content=1.0)
    assert weakness(cand, None, wants_figure=True) == reason


def test_a_wrapped_lead_is_one_line() -> None:
    cite = Citation(number=1, doc_id="d", title="T", source="s", start=0, end=10, quote="约为\n0.2 美元左右")
    assert answer_text("zh", [cite], "约为\n0.2 美元").splitlines()[0] == "约为 0.2 美元 [1]"


@pytest.mark.parametrize(
    ("label", "text", "found"),
    [
        ("IEA", "and the International Energy Agency projects", True),
        ("IEA", "in every area", False),
        ("IEA", "Into each application", False),
        ("IEA", "the IEA said", True),
        ("H100s", "| Zorblax-Air | FP8 | H100 x 4 |", True),
        ("H100s", "an H1000 board", False),
    ],
)
def test_acronyms_and_plural_ids(label: str, text: str, found: bool) -> None:
    from assistant.ask.matching import MatchText
    from assistant.ask.terms import Term

    term = Term(text=label.lower(), label=label, forms=(label.lower(),), weight=1.0, name=True)
    assert MatchText(text).has(term) is found


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("Zorblax-7B 支持多长的上下文？", "token"),
        ("Zorblax 系列模型的上下文窗口最长能到多少 token？", "token"),
        ("Zorblax-7B 的输入价格是多少？", "money"),
    ],
)
def test_context_length_is_counted_in_tokens(question: str, kind: str) -> None:
    asked = analyze(question).asked
    assert asked is not None and asked.name == kind


@pytest.mark.parametrize(
    ("text", "units", "expected"),
    [
        ("Zorblax-Long 的输入价格从每千 tokens 0.02 元降到 0.0005 元，降幅达 97%", {"cny"}, "0.0005 元"),
        ("The price fell from $2.99 to $1.65, then held.", {"usd"}, "$1.65"),
        ("GSM8K 由 60.3 提高到 72.4。", {"percent"}, "72.4"),
        ("It costs 0.02 元 and 0.04 元 a day.", {"cny"}, "0.02 元"),  # no change written: the first stays
    ],
)
def test_a_change_from_x_to_y_answers_with_y(text: str, units: set[str], expected: str) -> None:
    from assistant.ask.figurepass import changed_to

    figures = parse_figures(text)
    assert changed_to(text, figures[0], figures, units).text == expected


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # a header with a currency sign holds prices, whatever they are per ("$/GPU-hour" is no GPU-hour count)
        ("What is the per-GPU-hour list price of a Zorblax-8 instance on Vantor Cloud?", "11.03"),
    ],
)
def test_a_price_column_per_gpu_hour(question: str, expected: str) -> None:
    from assistant.ask.kinds import kind_hit

    header = "| Provider | Instance | GPUs | On-demand $/hour | $/GPU-hour |"
    row = "| Vantor Cloud | zorblax-8 | 8 | 88.25 | 11.03 |"
    analysis = analyze(question)
    assert analysis.asked is not None
    focus = [t for t in analysis.terms if not t.name]
    strength, figure = kind_hit(
        analysis.asked, parse_figures(row), row, [], cues=("gpu-hour",), terms=focus, header=header
    )
    assert figure is not None and figure.text == expected and strength >= 0.8
