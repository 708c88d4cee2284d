"""Rendering numbers in English and Chinese."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tools.fmt import compact, grouped, money, percent, rate, sig


@pytest.mark.parametrize(
    ("value", "lang", "text"),
    [
        (2_788_000, "en", "2.788M"),
        (2_788_000, "zh", "278.8万"),
        (180_000, "en", "180K"),
        (6.71e11, "en", "671B"),
        (6.71e11, "zh", "6710亿"),
        (1.48e13, "en", "14.8T"),
        (1.48e13, "zh", "14.8万亿"),
        (5000, "zh", "5000"),
        (787.6923, "en", "787.7"),
        (0.01399, "en", "0.014"),
    ],
)
def test_compact(value: float, lang: str, text: str) -> None:
    assert compact(value, lang) == text


@pytest.mark.parametrize(
    ("value", "lang", "short", "text"),
    [
        (Decimal("5576000"), "en", True, "$5.576M"),
        (Decimal("5576000"), "en", False, "$5,576,000"),
        (Decimal("5576000"), "zh", True, "557.6万美元"),
        (Decimal("5308416"), "en", False, "$5,308,416"),
        (Decimal("3.5312252568066"), "en", True, "$3.53"),
        (Decimal("3.535"), "zh", True, "3.54美元"),
        (Decimal("-1200000"), "en", True, "-$1.2M"),
        (5e10, "zh", True, "500亿美元"),
    ],
)
def test_money(value: Decimal, lang: str, short: bool, text: str) -> None:
    assert money(value, lang, short=short) == text


def test_other_formats() -> None:
    assert grouped(5576000) == "5,576,000"
    assert grouped(Decimal("787.6923"), 2) == "787.69"
    assert sig(Decimal("5.5760")) == "5.576"
    assert sig(123456) == "123500"
    assert rate(2) == "$2/GPU·h"
    assert rate(Decimal("1.8"), "zh") == "1.8美元/GPU·小时"
    assert rate(4.5, per="h") == "$4.5/h"
    assert percent(-0.0139909, 3) == "-1.399%"
    assert percent(0.3, signed=True) == "+30%"
    assert percent(0.8) == "80%"
