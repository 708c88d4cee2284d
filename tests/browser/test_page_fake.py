"""The page in headless Chromium against fixed answers: citations, calculator charts, verdict colours, history,
language, and untrusted text staying text everywhere."""

from __future__ import annotations

import re

import pytest
from pagedata import CORPUS, XSS
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

V3_QUOTE = "DeepSeek-V3 was pre-trained on 14.8 trillion tokens."


def ask(page: Page, question: str) -> None:
    page.fill("#question", question)
    page.press("#question", "Enter")
    expect(page.locator(".msg.assistant.pending")).to_have_count(0, timeout=15_000)


def test_cited_answer_opens_the_highlighted_passage(page: Page, fake_server: str, page_errors, shot) -> None:
    page.goto(fake_server)
    expect(page.locator(".welcome")).to_be_visible()
    ask(page, "How many tokens was DeepSeek-V3 pre-trained on?")
    answer = page.locator(".msg.assistant").last
    expect(answer.locator(".answer-text")).to_have_text(f"According to the source: {V3_QUOTE} 1")
    answer.locator("button.cite", has_text="1").click()
    panel = page.locator("#panel")
    expect(panel).to_be_visible()
    expect(panel.locator("#panel-title")).to_have_text("DeepSeek-V3 training notes")
    expect(panel.locator("mark#panel-quote")).to_have_text(V3_QUOTE)
    # The highlight sits inside the surrounding text, which is the document itself.
    expect(panel.locator(".passage")).to_have_text(CORPUS["v3.md"])
    shot(page, "fake-citation-panel")
    page.keyboard.press("Escape")
    expect(panel).to_be_hidden()
    assert page_errors == []


def test_progress_shows_while_the_answer_is_worked_on(
    page: Page, fake_server: str, page_errors, shot
) -> None:
    page.goto(fake_server)
    page.fill("#question", "Answer slowly: how many tokens was DeepSeek-V3 pre-trained on?")
    page.press("#question", "Enter")
    stage = page.locator(".msg.assistant.pending .stage")
    # (the seconds shown depend on when the once-a-second event fires: any count will do)
    expect(stage).to_have_text(re.compile(r"^Searching the documents · \d+ s$"), timeout=5_000)
    shot(page, "fake-streaming")
    expect(page.locator(".msg.assistant.pending")).to_have_count(0, timeout=10_000)
    expect(page.locator(".msg.assistant .answer-text")).to_have_text(f"According to the source: {V3_QUOTE} 1")
    assert page_errors == []


def test_calculator_results_are_tables_with_charts(page: Page, fake_server: str, page_errors, shot) -> None:
    page.set_viewport_size({"width": 1280, "height": 1300})
    page.goto(fake_server)
    ask(page, "Project the H100 rental price")
    card = page.locator(".tool-card").last
    expect(card.locator(".tool-head")).to_have_text("Calculation · project_rental_price")
    expect(card.locator(".formula code")).to_have_text("$2.00 × (1 - 2%)^12 = $1.57")
    chart = card.locator("svg.chart")
    expect(chart.locator("polyline")).to_have_count(3)  # low, mid, high paths
    expect(chart.locator("polygon.band")).to_have_count(1)
    expect(chart.locator("text.legend")).to_have_text(["high 1.77", "mid 1.57", "low 1.39"])  # top to bottom
    expect(card.locator(".table-block .grid-table tbody tr")).to_have_count(3)  # the scenarios table
    card.scroll_into_view_if_needed()
    shot(card, "fake-tool-projection")
    ask(page, "Training cost by stage")
    card = page.locator(".tool-card").last
    bars = card.locator("svg.chart rect.bar")
    expect(bars).to_have_count(3)
    expect(card.locator("svg.chart text.legend").first).to_have_text("5,328,000 (95.6%)")
    expect(card.locator(".kv").last).to_contain_text("5,576,000")
    # GPU-hours and cost per stage side by side.
    expect(card.locator(".tool-tables .grid-table tbody tr").first).to_have_text(
        "pre-training2,664,0005,328,000"
    )
    card.scroll_into_view_if_needed()
    shot(card, "fake-tool-stages")
    assert page_errors == []


def test_draft_check_marks_each_figure(page: Page, fake_server: str, page_errors, shot) -> None:
    page.goto(fake_server + "/#check")
    draft = "DeepSeek-V3 was pre-trained on 14.8 trillion tokens. H100 NVLink 带宽 is 700 GB/s. Mars has 42 moons."
    page.fill("#draft", draft)
    page.click("#check-button")
    marks = page.locator(".draft-marked mark.fig")
    expect(marks).to_have_count(3)
    expect(marks.nth(0)).to_have_class(re.compile(r"\bv-supported\b"))
    expect(marks.nth(1)).to_have_class(re.compile(r"\bv-contradicted\b"))
    expect(marks.nth(2)).to_have_class(re.compile(r"\bv-unverifiable\b"))
    expect(page.locator(".draft-marked")).to_have_text(draft)
    expect(page.locator(".check-summary")).to_have_text("1 supported · 1 contradicted · 1 unverifiable")
    colours = [m.evaluate("e => getComputedStyle(e).color") for m in marks.all()]
    assert colours == ["rgb(31, 122, 69)", "rgb(179, 38, 30)", "rgb(107, 114, 128)"]
    marks.nth(1).click()
    expect(page.locator("#claim-1")).to_have_class(re.compile(r"\bfocus\b"))
    expect(page.locator("#claim-1 .claim-source strong")).to_have_text("900")
    shot(page, "fake-check")
    assert page_errors == []


def test_history_and_language_survive_a_reload(page: Page, fake_server: str, shot) -> None:
    page.goto(fake_server)
    ask(page, "How many tokens was DeepSeek-V3 pre-trained on?")
    page.reload()
    expect(page.locator("#history-list .history-item")).to_have_text(
        ["How many tokens was DeepSeek-V3 pre-trained on?"]
    )
    page.locator("#history-list .history-item").first.click()
    expect(page.locator(".msg.user .bubble")).to_have_text("How many tokens was DeepSeek-V3 pre-trained on?")
    expect(page.locator(".msg.assistant button.cite")).to_have_count(1)
    page.click("#lang-toggle")
    expect(page.locator("#tab-chat")).to_have_text("问答")
    expect(page.locator(".sources-title")).to_have_text("出处")
    page.reload()
    expect(page.locator("#tab-check")).to_have_text("核查草稿")
    shot(page, "fake-chat-zh")
    page.click("#lang-toggle")
    expect(page.locator("#tab-check")).to_have_text("Check a draft")
    page.locator(".history-delete").first.click(force=True)
    expect(page.locator("#history-list .history-item")).to_have_count(0)


def _assert_not_executed(page: Page) -> None:
    assert page.evaluate("window.__pwned") is None
    # Our own markup has no <img> and only the one module script.
    assert page.locator("img").count() == 0
    assert page.locator("script").count() == 1


def test_untrusted_text_stays_text_everywhere(page: Page, fake_server: str, page_errors, shot) -> None:
    page.goto(fake_server + "/#docs")
    body = f"# Payload {XSS}\n\nThe payload sentence mentions zebrafish: {XSS}\n"
    page.set_input_files(
        "#upload-input", files=[{"name": f"{XSS}.md", "mimeType": "text/markdown", "buffer": body.encode()}]
    )
    expect(page.locator("#upload-status .ok")).to_have_text(f"Indexed: Payload {XSS}")
    row = page.locator("#doc-rows tr", has_text="Payload")
    expect(row.locator(".doc-title")).to_have_text(f"Payload {XSS}")
    # The "/" of </script> makes everything before it a "directory", which is dropped; Chromium sends '"' as %22.
    expect(row.locator(".doc-source")).to_have_text("↑ script><img src=x onerror=%22window.__pwned=2%22>.md")
    row.locator(".doc-title").click()
    expect(page.locator("#panel .passage")).to_have_text(body)
    _assert_not_executed(page)
    shot(page, "fake-xss-documents")

    page.click("#tab-chat")
    ask(page, f"zebrafish payload {XSS}")
    expect(page.locator(".msg.user .bubble").last).to_have_text(f"zebrafish payload {XSS}")
    answer = page.locator(".msg.assistant").last
    expect(answer.locator(".quote-preview")).to_have_text(f"The payload sentence mentions zebrafish: {XSS}")
    answer.locator("button.cite").first.click()
    expect(page.locator("mark#panel-quote")).to_have_text(f"The payload sentence mentions zebrafish: {XSS}")
    # Conversation titles are the first 80 characters of the first question.
    expect(page.locator("#history-list .history-item").first).to_have_text(f"zebrafish payload {XSS}"[:80])
    _assert_not_executed(page)

    page.click("#tab-check")
    page.fill("#draft", f"{XSS} costs 3 dollars.")
    page.click("#check-button")
    expect(page.locator(".draft-marked")).to_have_text(f"{XSS} costs 3 dollars.")
    _assert_not_executed(page)
    shot(page, "fake-xss-check")
    assert page_errors == []
