"""The page in headless Chromium against the real app (hash embedder, tiny corpus seeded on start)."""

from __future__ import annotations

import re

import pytest
from pagedata import XSS, ask
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

QUOTE = "DeepSeek-V3 was pre-trained on 14.8 trillion tokens."


def test_question_citation_and_draft_check(page: Page, page_errors, shot) -> None:
    page.goto("/")
    ask(page, "How many tokens was DeepSeek-V3 pre-trained on?")
    answer = page.locator(".msg.assistant").last
    expect(answer.locator(".answer-text").first).to_contain_text("14.8 trillion tokens")
    cite = answer.locator("button.cite").first
    expect(cite).to_have_text("1")
    cite.click()
    expect(page.locator("#panel-title")).to_have_text("DeepSeek-V3 training notes")
    expect(page.locator("mark#panel-quote")).to_have_text(QUOTE)
    shot(page, "real-citation")

    page.click("#tab-check")
    expect(page.locator("#panel")).to_be_hidden()
    page.fill(
        "#draft",
        "DeepSeek-V3 was pre-trained on 14.8 trillion tokens. The full training took 3.1 million H800 GPU hours.",
    )
    page.click("#check-button")
    marks = page.locator(".draft-marked mark.fig")
    expect(marks).to_have_text(["14.8 trillion tokens", "3.1 million H800 GPU hours"], timeout=30_000)
    expect(marks.nth(0)).to_have_class(re.compile(r"\bv-supported\b"))
    expect(marks.nth(1)).to_have_class(re.compile(r"\bv-contradicted\b"))
    expect(page.locator("#claim-1 .claim-source strong")).to_have_text("2.788 million H800 GPU hours")
    page.locator("#claim-1 .source-link").first.click()
    expect(page.locator("mark#panel-quote")).to_contain_text("2.788 million H800 GPU hours")
    shot(page, "real-check")
    assert page_errors == []


def test_uploaded_markup_is_shown_as_text(page: Page, page_errors, shot) -> None:
    page.goto("/#docs")
    sentence = f"The payload sentence mentions zebrafish count 77 {XSS}."
    body = f"# Payload {XSS}\n\n{sentence}\n"
    page.set_input_files(
        "#upload-input", files=[{"name": "payload.md", "mimeType": "text/markdown", "buffer": body.encode()}]
    )
    expect(page.locator("#upload-status .ok")).to_have_text(f"Indexed: Payload {XSS}", timeout=30_000)
    expect(page.locator("#doc-rows .doc-title", has_text="Payload")).to_have_text(f"Payload {XSS}")
    page.click("#tab-chat")
    ask(page, "What does the payload sentence say about zebrafish count?")
    answer = page.locator(".msg.assistant").last
    answer.locator(".source-link", has_text="Payload").first.click()
    expect(page.locator("mark#panel-quote")).to_have_text(sentence)
    assert page.evaluate("window.__pwned") is None
    assert page.locator("img").count() == 0
    assert page.locator("script").count() == 1
    shot(page, "real-xss")
    assert page_errors == []
