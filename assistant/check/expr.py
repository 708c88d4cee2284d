"""Written calculations, tokenised: numbers (with currency, scale and percent), operators, brackets, "=" words.

``tokenize`` turns Chinese or English text into ``Tok`` records with exact offsets; ``evaluate`` computes a run of
number/operator/bracket tokens exactly (``Fraction``) by recursive descent. Nothing here evaluates text as code.

Numbers: "1,024", "3.5", ".5", "1e6", "8.4×10^22", "$1.2M", "¥3,000", "26亿", "4320万", "50K", "2.5T", "3 billion",
"15%". Operators: + - − – × x X * · ⋅ ÷ / ^, "times", "plus", "minus", "multiplied by", "divided by", "of" (after a
percentage or a fraction), 乘以/乘/除以/加/加上/减/减去; a number or ")" directly before "(" multiplies ("3(4)").
Results: = ≈ ≒ is equals "equal to" "comes to" 等于 约等于 约为 约合; "about", "~", 约 after them loosen the comparison.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction
from typing import Literal

from assistant.text import CJK_RE

Kind = Literal["num", "op", "lp", "rp", "eq", "hedge", "letter", "word", "break", "of"]


@dataclass
class Tok:
    """One token. For numbers: ``value`` (percent already divided by 100), the place of the last written digit
    (``ulp``), that place when trailing zeros of a whole number are not significant (``sig_ulp``), ``pct``."""

    kind: Kind
    text: str
    start: int
    end: int
    value: Fraction = Fraction(0)
    ulp: Fraction = Fraction(0)
    sig_ulp: Fraction = Fraction(0)
    pct: bool = False
    op: str = ""
    hedged: bool = False  # an "=" word that itself hedges (≈, 约为)
    attached: bool = False  # a letter written against the number before it ("16n")
    scale: Fraction = Fraction(1)  # the written scale (万, M, billion, ×10^9), 1 when none


_SCALES = {
    "万亿": 10**12, "千亿": 10**11, "百亿": 10**10, "亿": 10**8, "千万": 10**7, "百万": 10**6, "万": 10**4,
    "千": 10**3, "k": 10**3, "K": 10**3, "M": 10**6, "B": 10**9, "T": 10**12, "bn": 10**9, "mn": 10**6,
    "thousand": 10**3, "million": 10**6, "billion": 10**9, "trillion": 10**12,
}  # fmt: skip
_SUP = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺", "0123456789-+")
_NUM = re.compile(
    r"(?P<cur>US\$|\$|€|£|¥|￥)?[ \t]?"
    r"(?:(?P<ten>10)[ \t]?(?:\^|\*\*)[ \t]?(?P<texp>[-+]?\d{1,3})(?![\d.])|"
    r"(?P<num>\d{1,3}(?:,\d{3})+(?!\d|,\d)(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)"
    r"(?:[eE](?P<e>[-+]?\d{1,3})(?![A-Za-z])"
    r"|[ \t]?[×xX*·][ \t]?10[ \t]?(?:\^|\*\*)[ \t]?(?P<p>[-+]?\d{1,3})"
    r"|[ \t]?[×xX*·][ \t]?10(?P<sup>[⁻⁺]?[⁰¹²³⁴⁵⁶⁷⁸⁹]{1,3}))?)"
    r"(?P<scale>[ \t]?(?:万亿|千亿|百亿|亿|千万|百万|万|千)|(?:[kKMBT]|bn|mn)(?![A-Za-z])"
    r"|[ \t-](?:thousand|million|billion|trillion)(?![A-Za-z]))?"
    r"(?P<pct>[ \t]?[%％]|[ \t]percent(?![A-Za-z]))?"
)
_WORD = re.compile(r"[A-Za-z](?:[A-Za-z0-9_'’]|[-.](?=[A-Za-z0-9]))*")
_CJK = CJK_RE
_CJK_WORDS: list[tuple[str, Kind, str]] = [
    ("约等于", "eq", "≈"), ("等于", "eq", "="), ("约为", "eq", "≈"), ("约合", "eq", "≈"),
    ("乘以", "op", "*"), ("除以", "op", "/"), ("加上", "op", "+"), ("减去", "op", "-"),
    ("乘", "op", "*"), ("加", "op", "+"), ("减", "op", "-"), ("大约", "hedge", ""), ("约", "hedge", ""),
]  # fmt: skip
_OPERAND_AHEAD = re.compile(r"[ \t]?(?:[\d.(（$€£¥￥]|US\$)")
_SYMBOL_OPS = {
    "+": "+", "＋": "+", "-": "-", "−": "-", "–": "-", "×": "*", "✕": "*", "*": "*", "·": "*", "⋅": "*",
    "∙": "*", "÷": "/", "/": "/", "∕": "/", "^": "^",
}  # fmt: skip
_EQ_SYMBOLS = {"=": False, "＝": False, "≈": True, "≒": True, "≅": True}
_HEDGE_WORDS = {"about", "approximately", "approx", "roughly", "around", "nearly", "almost", "circa"}
_BREAKS = set(",，;；:：。!！?？、\n|\"“”'‘’「」『』【】<>{}[]")


def _number(m: re.Match[str], start: int) -> Tok:
    if m["ten"]:  # "10^20": one significant digit
        digits, exp = "1", m["texp"]
    else:
        digits = m["num"].replace(",", "")
        exp = m["e"] or m["p"] or (m["sup"].translate(_SUP) if m["sup"] else None)
    whole, _, frac = digits.partition(".")
    value = Fraction(digits)
    place = Fraction(1, 10 ** len(frac))
    sig = place
    if not frac and whole.strip("0"):
        sig = Fraction(10 ** (len(whole) - len(whole.rstrip("0"))))
    mult = Fraction(10) ** int(exp) if exp else Fraction(1)
    if m["scale"]:
        mult *= _SCALES[m["scale"].strip(" \t-")]
    scale = mult
    if m["pct"]:
        mult /= 100
    tok = Tok("num", m.group(0), start, m.end(), value * mult, place * mult, sig * mult, pct=bool(m["pct"]))
    tok.scale = scale
    return tok


def _after_name(text: str, i: int) -> bool:
    """A digit at ``i`` continues a name ("GPT-4", "H800", "Llama-3.1") rather than starting a number."""
    j = i - 1
    if j >= 0 and text[j] in "-.":
        j -= 1
    return j >= 0 and (text[j].isalpha() and text[j].isascii() or text[j] == "_")


def tokenize(text: str) -> list[Tok]:
    """Every token of ``text`` in order; spaces, Markdown emphasis and backticks are skipped."""
    toks: list[Tok] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch in " \t\r\u3000`_" or (text.startswith("**", i) and not _power_sign(text, i)):
            i += 2 if text.startswith("**", i) else 1
            continue
        m = _NUM.match(text, i)
        if m and not _after_name(text, i):
            toks.append(_number(m, i))
            i = m.end()
            continue
        if ch.isascii() and ch.isalpha():
            i = _latin(text, i, toks)
            continue
        if ch.isdigit():  # part of a name ("H800"): swallow the digits as a word
            j = i
            while j < n and (text[j].isalnum() or text[j] in "-."):
                j += 1
            toks.append(Tok("word", text[i:j], i, j))
            i = j
            continue
        if _CJK.match(ch):
            i = _cjk(text, i, toks)
            continue
        if text.startswith("**", i):
            toks.append(Tok("op", "**", i, i + 2, op="^"))
            i += 2
        elif ch in _SYMBOL_OPS:
            hyphen = ch == "-" and i > 0 and text[i - 1].isalpha()
            toks.append(Tok("word" if hyphen else "op", ch, i, i + 1, op=_SYMBOL_OPS[ch]))
            i += 1
        elif ch in _EQ_SYMBOLS:
            toks.append(Tok("eq", ch, i, i + 1, hedged=_EQ_SYMBOLS[ch]))
            i += 1
        elif ch == "~" or ch == "∼":
            toks.append(Tok("hedge", ch, i, i + 1))
            i += 1
        elif ch in "(（":
            toks.append(Tok("lp", ch, i, i + 1))
            i += 1
        elif ch in ")）":
            toks.append(Tok("rp", ch, i, i + 1))
            i += 1
        elif ch == "." and (i + 1 >= n or not text[i + 1].isalnum()):
            toks.append(Tok("break", ch, i, i + 1))
            i += 1
        else:
            toks.append(Tok("break" if ch in _BREAKS or not ch.isalnum() else "word", ch, i, i + 1))
            i += 1
    return toks


def _power_sign(text: str, i: int) -> bool:
    """ "**" between a number or bracket and a number or bracket is a power ("2**30", ")**(1/3)"); elsewhere it
    is Markdown emphasis."""
    return (
        i > 0 and (text[i - 1].isdigit() or text[i - 1] == ")") and text[i + 2 : i + 3] in set("0123456789(")
    )


def _latin(text: str, i: int, toks: list[Tok]) -> int:
    m = _WORD.match(text, i)
    assert m is not None
    word = m.group(0)
    if len(word) > 1 and word[0] in "xX" and word[1].isdigit():  # "2048x60x24": the x is a sign
        toks.append(Tok("letter", word[0], i, i + 1, attached=i > 0 and text[i - 1].isdigit()))
        return i + 1
    low = word.lower()
    end = m.end()
    follow = text[end : end + 16].lower()
    if low in {"is", "equals"} or (low in {"equal", "comes"} and follow.startswith(" to")):
        stop = end + 3 if low in {"equal", "comes"} else end
        if low == "is" and follow.startswith(" equal to"):
            stop = end + 9
        toks.append(Tok("eq", text[i:stop], i, stop))
        return stop
    if low in {"times", "plus", "minus"}:
        toks.append(Tok("op", word, i, end, op={"times": "*", "plus": "+", "minus": "-"}[low]))
        return end
    if low in {"multiplied", "divided"} and follow.startswith(" by"):
        toks.append(Tok("op", text[i : end + 3], i, end + 3, op="*" if low == "multiplied" else "/"))
        return end + 3
    if low == "of":
        toks.append(Tok("of", word, i, end, op="*"))
        return end
    if low.rstrip(".") in _HEDGE_WORDS:
        toks.append(Tok("hedge", word, i, end))
        return end
    if len(word) == 1:
        toks.append(Tok("letter", word, i, end, attached=i > 0 and text[i - 1].isdigit()))
        return end
    toks.append(Tok("word", word, i, end))
    return end


def _cjk(text: str, i: int, toks: list[Tok]) -> int:
    j = i
    while j < len(text) and _CJK.match(text[j]):
        for word, kind, op in _CJK_WORDS:
            if text.startswith(word, j) and (kind != "op" or _OPERAND_AHEAD.match(text, j + len(word))):
                if j > i:
                    toks.append(Tok("word", text[i:j], i, j))
                toks.append(Tok(kind, word, j, j + len(word), op=op, hedged=op == "≈"))
                return j + len(word)
        j += 1
    toks.append(Tok("word", text[i:j], i, j))
    return j


# --- evaluation ------------------------------------------------------------------------------------------------


class NotComputable(ValueError):
    """The tokens do not form an expression that can be computed exactly (or safely)."""


@dataclass
class _Val:
    v: Fraction
    pct: bool = False  # a bare percentage, for "price + 15%" meaning price × 1.15


_MAX_EXP = 64
_MAX_BITS = 4096


def evaluate(toks: list[Tok]) -> Fraction:
    """The exact value of number/operator/bracket tokens (``op`` tokens carry + - * / ^).

    Precedence: brackets, unary minus, ^ (right-associative), × ÷ (and implicit "3(4)"), + −. "A + 15%" adds 15%
    of A. Raises ``NotComputable`` for malformed input, division by zero or a power that would be too large."""
    parser = _Parser(toks)
    out = parser.expr()
    if parser.i != len(toks):
        raise NotComputable(f"unexpected {toks[parser.i].text!r}")
    return out.v


class _Parser:
    def __init__(self, toks: list[Tok]) -> None:
        self.toks = toks
        self.i = 0

    def _peek(self) -> Tok | None:
        return self.toks[self.i] if self.i < len(self.toks) else None

    def expr(self) -> _Val:
        left = self.term()
        while (t := self._peek()) is not None and t.kind == "op" and t.op in "+-":
            self.i += 1
            right = self.term()
            sign = 1 if t.op == "+" else -1
            if right.pct and not left.pct:
                left = _Val(left.v * (1 + sign * right.v))
            else:
                left = _Val(left.v + sign * right.v, left.pct and right.pct)
        return left

    def term(self) -> _Val:
        left = self.unary()
        while (t := self._peek()) is not None:
            if t.kind in {"op", "of"} and t.op in "*/":
                self.i += 1
                right = self.unary()
                if t.op == "*":
                    left = _Val(left.v * right.v)
                elif right.v == 0:
                    raise NotComputable("division by zero")
                else:
                    left = _Val(left.v / right.v)
            elif (
                t.kind in {"lp", "num"}
                and self.toks[self.i - 1].kind in {"rp", "num"}
                and (self.toks[self.i - 1].end == t.start)
            ):
                if t.kind == "num" and self.toks[self.i - 1].kind == "num":
                    raise NotComputable("two numbers in a row")
                left = _Val(left.v * self.unary().v)  # 3(4), (2)(3), (2)3
            else:
                break
        _check_size(left.v)
        return left

    def unary(self) -> _Val:
        t = self._peek()
        if t is not None and t.kind == "op" and t.op in "+-":
            self.i += 1
            inner = self.unary()
            return _Val(-inner.v if t.op == "-" else inner.v, inner.pct)
        return self.power()

    def power(self) -> _Val:
        base = self.atom()
        t = self._peek()
        if t is not None and t.kind == "op" and t.op == "^":
            self.i += 1
            exp = self.unary().v
            if exp.denominator != 1 or abs(exp) > _MAX_EXP or (base.v == 0 and exp < 0):
                raise NotComputable("exponent out of range")
            value = base.v ** int(exp)
            _check_size(value)
            return _Val(value)
        return base

    def atom(self) -> _Val:
        t = self._peek()
        if t is None:
            raise NotComputable("expression ends early")
        self.i += 1
        if t.kind == "num":
            return _Val(t.value, t.pct)
        if t.kind == "lp":
            inner = self.expr()
            close = self._peek()
            if close is None or close.kind != "rp":
                raise NotComputable("unbalanced bracket")
            self.i += 1
            return _Val(inner.v)
        raise NotComputable(f"unexpected {t.text!r}")


def _check_size(v: Fraction) -> None:
    if v.numerator.bit_length() > _MAX_BITS or v.denominator.bit_length() > _MAX_BITS:
        raise NotComputable("number too large")
