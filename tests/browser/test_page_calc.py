"""The check view marks each written calculation in the draft with its recomputed value (text only)."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect


def test_written_calculation_shows_its_recomputed_value(page: Page, fake_server: str, page_errors) -> None:
    page.goto(fake_server + "/#check")
    draft = "Training took 2048 × 60 × 24 = 3,949,120 GPU hours. Each node: 8 × 80 = 640 GB."
    page.fill("#draft", draft)
    page.click("#check-button")
    badges = page.locator(".draft-marked .calc")
    expect(badges).to_have_count(2)
    expect(badges.nth(0)).to_have_text(" ≠ 2,949,120")
    expect(badges.nth(0)).to_have_class(re.compile(r"\bv-contradicted\b"))
    expect(badges.nth(1)).to_have_text(" ✓")
    expect(page.locator(".draft-marked")).to_have_text(
        "Training took 2048 × 60 × 24 = 3,949,120 ≠ 2,949,120 GPU hours. Each node: 8 × 80 = 640 ✓ GB."
    )
    expect(page.locator(".arithmetic li.bad .muted")).to_have_text(" — stated 3,949,120, computed 2,949,120")
    assert page_errors == []


def test_markup_in_a_calculation_stays_text(page: Page, fake_server: str, page_errors) -> None:
    page.goto(fake_server + "/#check")
    draft = "<b>x</b> 2 + 2 = 5 <img src=x onerror=alert(1)>"
    page.fill("#draft", draft)
    page.click("#check-button")
    expect(page.locator(".draft-marked .calc")).to_have_text(" ≠ 4")
    expect(page.locator(".draft-marked img")).to_have_count(0)
    expect(page.locator(".draft-marked b")).to_have_count(0)
    assert page_errors == []
