"""The reporter's chat in headless Chromium: follow-ups, the PDF page as printed, Markdown to take away, and the
projection chart inside its axes."""

from __future__ import annotations

import json
import re

import pytest
from pagedata import ask
from playwright.sync_api import Page, expect

from assistant.markdown import answer_markdown
from assistant.models import Answer

pytestmark = pytest.mark.browser

PDF_QUOTE = "The cluster used 2,048 H800 GPUs for the pre-training stage, which ran for 2.788M GPU hours in total"


def stored_answers(page: Page) -> list[dict]:
    conversations = json.loads(page.evaluate("localStorage.getItem('ra.conversations.v1')"))
    return [m["answer"] for m in conversations[0]["messages"] if m["role"] == "assistant"]


@pytest.mark.parametrize(
    ("first", "first_says", "second", "read_as", "second_says"),
    [
        (
            "How many tokens was DeepSeek-V3 pre-trained on?",
            "14.8 trillion tokens",
            "And Qwen3?",
            "How many tokens was Qwen3 pre-trained on?",
            "36 trillion tokens",
        ),
        ("Kimi K2 的总参数量是多少？", "1 万亿", "它的激活参数呢？", "Kimi K2的激活参数是多少？", "320 亿"),
    ],
    ids=["en", "zh"],
)
def test_two_turn_conversation(
    page: Page, page_errors, shot, first: str, first_says: str, second: str, read_as: str, second_says: str
) -> None:
    page.goto("/")
    ask(page, first)
    expect(page.locator(".msg.assistant .answer-text").first).to_contain_text(first_says)
    ask(page, second)
    answer = page.locator(".msg.assistant").last
    expect(answer.locator(".read-as span")).to_have_text(read_as)
    expect(answer.locator(".answer-text").first).to_contain_text(second_says)
    # the follow-up went out with the first turn as its history, and the answer records how it was read
    assert stored_answers(page)[-1]["read_as"] == read_as
    shot(page, f"chat-followup-{'zh' if re.search(r'[一-鿿]', second) else 'en'}")
    assert page_errors == []


def test_pdf_citation_opens_the_page_with_the_span_marked(page: Page, page_errors, shot) -> None:
    page.set_viewport_size({"width": 1400, "height": 1000})
    page.goto("/")
    ask(page, "How many H800 GPUs did the cluster use for the pre-training stage?")
    answer = page.locator(".msg.assistant").last
    expect(answer.locator(".answer-text").first).to_contain_text("2,048 H800 GPUs")
    with page.expect_response(re.compile(r"/api/documents/\w+/pages/1\?start=\d+&end=\d+$")) as got:
        answer.locator("button.cite").first.click()
    assert got.value.status == 200 and got.value.headers["content-type"] == "image/png"
    panel = page.locator("#panel")
    expect(panel.locator(".page-image figcaption")).to_have_text("Page 1 as printed")
    image = panel.locator(".page-image img")
    expect(image).to_have_attribute("src", re.compile(r"^data:image/png;base64,"))
    expect(panel.locator(".extracted mark#panel-quote")).to_contain_text(PDF_QUOTE)
    # the marked span is on the image: yellow highlighter pixels, in the upper part of the page where it is printed
    rows = image.evaluate(
        """img => {
            const c = document.createElement("canvas");
            c.width = img.naturalWidth; c.height = img.naturalHeight;
            const g = c.getContext("2d"); g.drawImage(img, 0, 0);
            const d = g.getImageData(0, 0, c.width, c.height).data;
            const rows = new Set();
            for (let i = 0; i < d.length; i += 4) {
                if (d[i] > 200 && d[i + 1] > 150 && d[i + 2] < d[i] - 60) rows.add(Math.floor(i / 4 / c.width));
            }
            return [...rows].sort((a, b) => a - b);
        }"""
    )
    # the quoted lines are printed at baselines y=700..672 pt of a 792 pt page, rendered at 1.5 px per point
    assert rows and rows[0] >= (792 - 712) * 1.5 and rows[-1] <= (792 - 666) * 1.5
    shot(page, "chat-pdf-page")
    assert page_errors == []


def test_copy_as_markdown_yields_the_citations(page: Page, page_errors) -> None:
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto("/")
    ask(page, "How many tokens was DeepSeek-V3 pre-trained on?")
    answer = page.locator(".msg.assistant").last
    answer.locator("button.copy-md").click()
    expect(answer.locator("button.copy-md")).to_have_text("Copied")
    copied = page.evaluate("navigator.clipboard.readText()")
    stored = Answer.model_validate(stored_answers(page)[-1])
    assert copied == answer_markdown(stored)  # the same text as `assistant ask --markdown`
    notes = [line for line in copied.splitlines() if line.startswith("- [")]
    assert notes[0].startswith(
        "- [1] DeepSeek-V3 training notes: “DeepSeek-V3 was pre-trained on 14.8 trillion tokens.” ("
    )
    assert len(notes) == len(stored.citations)
    assert page_errors == []


def test_projection_points_stay_inside_the_plot_area(page: Page, fake_server: str, page_errors, shot) -> None:
    page.goto(fake_server)
    page.fill("#question", "$4.50 falling 15% a year for 3 years")
    page.press("#question", "Enter")
    chart = page.locator(".tool-card svg.chart").last
    expect(chart.locator("circle.dot")).to_have_count(4, timeout=15_000)
    plot = chart.locator("rect.plot-area").evaluate(
        "r => [r.x.baseVal.value, r.y.baseVal.value, r.width.baseVal.value, r.height.baseVal.value]"
    )
    x0, y0, w, h = plot
    points = chart.locator("circle.dot").evaluate_all("cs => cs.map(c => [c.cx.baseVal.value, c.cy.baseVal.value])")
    assert [(x0 <= x <= x0 + w, y0 <= y <= y0 + h) for x, y in points] == [(True, True)] * 4
    # the top tick is at or above the first price, so $4.50 is drawn under the top gridline
    ticks = chart.locator("text.axis[text-anchor='end']").all_text_contents()
    assert float(ticks[-1]) >= 4.5
    shot(chart, "chart-projection-inside")
    assert page_errors == []
