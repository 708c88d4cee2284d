"""Number words and scales in Chinese and English: ``parse_number`` and the tables it shares with the figure parser.

Values are computed through ``Decimal`` so that "5.576 million" becomes exactly 5576000.0, not 5576000.000000001.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

__all__ = [
    "parse_number",
    "parse_chinese_numeral",
    "FULLWIDTH",
    "CN_DIGITS",
    "CN_SCALES",
    "EN_SCALES",
    "EN_WORDS",
    "EN_PHRASE",
    "parse_english_number",
    "read_english_number",
]

# Full-width ASCII (！..～) maps one-to-one onto ASCII, so offsets into the translated text stay valid.
FULLWIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x2212: ord("-"), 0x3000: ord(" ")}

CN_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
CN_SMALL = {"十": 10, "百": 100, "千": 1000}
CN_BIG = {"万": 10**4, "亿": 10**8}
CN_SCALES = CN_SMALL | CN_BIG

EN_SCALES = {
    "k": 10**3,
    "thousand": 10**3,
    "m": 10**6,
    "mn": 10**6,
    "million": 10**6,
    "b": 10**9,
    "bn": 10**9,
    "billion": 10**9,
    "t": 10**12,
    "trillion": 10**12,
}

# Idioms a number-words parser does not know; every other English number phrase goes to ``text2num``.
EN_WORDS = {
    "a hundred": 100,
    "a dozen": 12,
    "dozen": 12,
}
# The words an English number phrase is made of below the scale words (which the scale suffix reads).
_EN_NUMBER_WORDS = (
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
    "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty", "thirty",
    "forty", "fifty", "sixty", "seventy", "eighty", "ninety", "hundred",
)
_EN_WORD = "|".join(sorted(_EN_NUMBER_WORDS, key=len, reverse=True))
# "seventy-five", "one hundred and twenty", "a dozen": a run of number words ("and" only after "hundred").
EN_PHRASE = (
    "|".join(re.escape(w).replace(r"\ ", r"\s") for w in sorted(EN_WORDS, key=len, reverse=True))
    + rf"|(?:{_EN_WORD})(?:(?:-|\s|(?<=hundred)\sand\s)(?:{_EN_WORD}))*"
)
_EN_SPLIT = re.compile(r"-|\s+(?:and\s+)?")


def parse_english_number(text: str) -> Decimal:
    """Value of an English number phrase: "seventy-five" -> 75, "one hundred and twenty" -> 120, "a dozen" -> 12.

    Uses ``text2num`` (strict: "twenty three hundred five" is an error); raises ValueError when ``text`` is not
    one number.
    """
    word = " ".join(text.lower().split())
    if word in EN_WORDS:
        return Decimal(EN_WORDS[word])
    if not word or any(w not in _EN_NUMBER_WORDS for w in _EN_SPLIT.split(word)):
        raise ValueError(f"not a number: {text!r}")
    from text_to_num import text2num

    try:
        return Decimal(text2num(word, "en"))
    except ValueError as exc:
        raise ValueError(f"not a number: {text!r}") from exc


def read_english_number(text: str) -> tuple[Decimal, int] | None:
    """The longest number at the start of ``text`` (a match of ``EN_PHRASE``): (value, characters used)."""
    cuts = [m.start() for m in _EN_SPLIT.finditer(text)] + [len(text)]
    for cut in reversed(cuts):
        try:
            return parse_english_number(text[:cut]), cut
        except ValueError:
            continue
    return None


_ARABIC = re.compile(
    r"(?P<sign>[-+])?\s*(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)(?:[eE](?P<exp>[-+]?\d+))?"
    r"\s*(?P<zh>[十百千万亿]*)\s*(?P<en>thousand|million|billion|trillion|mn|bn|[kKmMbBtT])?\s*(?P<pct>%|成)?"
)


def arabic_decimal(digits: str) -> Decimal:
    """'1,024' -> Decimal('1024'); commas are thousands separators only."""
    return Decimal(digits.replace(",", ""))


def scale_of(zh: str = "", en: str = "") -> Decimal:
    """The multiplier of a scale suffix: '万亿' -> 1e12, 'M' -> 1e6, '' -> 1."""
    factor = Decimal(1)
    for ch in zh:
        factor *= CN_SCALES[ch]
    if en:
        factor *= EN_SCALES[en.lower()]
    return factor


def parse_chinese_numeral(text: str) -> Decimal:
    """Value of a Chinese numeral: '六千七百一十亿' -> 671000000000, '两' -> 2, '二〇二四' -> 2024.

    Raises ValueError when ``text`` holds anything but Chinese numeral characters.
    """
    if not text or text[0] in CN_BIG or any(ch not in CN_DIGITS and ch not in CN_SCALES for ch in text):
        raise ValueError(f"not a number: {text!r} is not a Chinese numeral")
    value = _cn2an_value(text)
    return value if value is not None else _chinese_numeral_by_hand(text)


def _cn2an_value(text: str) -> Decimal | None:
    """``cn2an`` reads the colloquial forms too ("三万五" is 35000, "两千五" 2500); None where it gives up
    (a bare scale such as "百" or "千万", which the hand-written reader below takes)."""
    import cn2an

    try:
        return Decimal(str(cn2an.cn2an(text, "normal")))
    except (ValueError, KeyError, IndexError, TypeError):
        return None


def _chinese_numeral_by_hand(text: str) -> Decimal:
    if all(ch in CN_DIGITS for ch in text) and len(text) > 1:
        # A digit-by-digit reading such as 二〇二四 (years are written this way).
        return Decimal("".join(str(CN_DIGITS[ch]) for ch in text))
    total = Decimal(0)  # everything above the last 亿
    section = Decimal(0)  # the part below 亿 collected so far
    digit: Decimal | None = None
    for ch in text:
        if ch in CN_DIGITS:
            digit = Decimal(CN_DIGITS[ch])
        elif ch in CN_SMALL:
            section += (digit if digit is not None else Decimal(1)) * CN_SMALL[ch]
            digit = None
        elif ch == "万":
            section = (section + (digit or 0)) * CN_BIG["万"]
            digit = None
            if section == 0:
                section = Decimal(CN_BIG["万"])
        else:  # 亿
            base = total + section + (digit or 0)
            total = (base if base else Decimal(1)) * CN_BIG["亿"]
            section, digit = Decimal(0), None
    return total + section + (digit or 0)


def parse_number(text: str) -> float:
    """Parse one number written as digits or words, with an optional scale.

    Examples: "2.788M" -> 2788000.0, "14.8万亿" -> 1.48e13, "一千" -> 1000.0, "两" -> 2.0, "1e6" -> 1e6,
    "1,024" -> 1024.0, "5.576 million" -> 5576000.0, "thirty" -> 30.0, "80%" -> 0.8 and "八成" -> 0.8
    (percentages come back as fractions). Raises ValueError when ``text`` is not a number.
    """
    return float(parse_decimal(text))


def parse_decimal(text: str) -> Decimal:
    """As ``parse_number`` but returns the exact ``Decimal``."""
    if not isinstance(text, str):
        raise ValueError(f"not a number: {text!r}")
    s = text.translate(FULLWIDTH).strip()
    if not s:
        raise ValueError("not a number: empty text")
    m = _ARABIC.fullmatch(s)
    if m:
        try:
            value = arabic_decimal(m["num"])
        except InvalidOperation as exc:  # pragma: no cover - the regex admits only valid digits
            raise ValueError(f"not a number: {text!r}") from exc
        if m["exp"]:
            value = value.scaleb(int(m["exp"]))
        value *= scale_of(m["zh"] or "", m["en"] or "")
        if m["pct"] == "%":
            value /= 100
        elif m["pct"] == "成":
            value /= 10
        return -value if m["sign"] == "-" else value
    pct = ""
    if s.startswith("百分之"):
        s, pct = s[3:], "%"
    elif s.endswith("成") and len(s) > 1:
        s, pct = s[:-1], "成"
    if s and all(ch in CN_DIGITS or ch in CN_SCALES for ch in s):
        value = parse_chinese_numeral(s)
        return value / 100 if pct == "%" else value / 10 if pct == "成" else value
    return parse_english_number(s)
