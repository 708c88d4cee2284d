"""Written calculations found in a text: runs of numbers and operators ("segments") joined by "=" words ("chains").

A segment is read from ``expr.tokenize`` tokens: numbers, operators and brackets, with the unit words after a
number skipped ("2048张卡 × 30天", "5179161 cups * 185 days", "3 miles/hour"), and so are a rate's per words before
its number after an operator or "=" ("2,048 卡 × 每卡每小时 2 美元 × 24 小时 = 每天 98,304 美元"). Units join a calculation only when an
operator, a closing bracket or "=" follows them; a lone number takes at most one unit word before "=" ("640 GB =
0.64 TB", not "4,506,000 Total Parameters = ..."). Not segments one can recompute: a letter used as a variable
("16n", "p × 3B", "D / 6"), a range ("2-7B"), adding different units ("1 week + 25 hours"). A segment right after an
operator, a number or a function name ("sqrt(...)") continues something unreadable and is marked ``partial``.
A list bullet ("- 353 million") is not a minus sign.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from fractions import Fraction

from assistant.check.bindings import REACH
from assistant.check.expr import Tok
from assistant.text import CJK_RE

_UNIT_LETTERS = set(
    "WVAGhsmglLdt"
)  # written against a number these are units ("700W", "5h"); others are variables
_MAX_UNIT_WORDS = 3
_CJK = CJK_RE
_CURRENCY = re.compile(r"US\$|\$|€|£|¥|￥")
MONEY_WORD = re.compile(r"(?:美元|美金|元|人民币|欧元|dollars?|usd|rmb|cny|yuan|euros?)", re.IGNORECASE)
# a rate's own words before its number ("× 每卡每小时 2 美元", "= 每天 49,152 美元"): what the number is per
_PER_WORD = re.compile(r"(?:每|单)[\u4e00-\u9fff]{1,5}")


@dataclass
class Segment:
    """A run of numbers, operators and brackets (units between them skipped), as written at ``start:end``."""

    toks: list[Tok]  # what ``evaluate`` reads
    start: int
    end: int
    has_var: bool = False
    unit: str = ""  # currency or the first word after a lone number, for "640 GB = 0.64 TB"
    leading: Tok | None = None
    units: bool = False  # an expression with unit words inside ("390 TFLOP/s * 5 million hours")
    money: bool = False  # a currency on one of its numbers ("278.8 万 × 2 美元")
    partial: bool = False  # continues something unreadable before it ("sqrt(", "... / (1 + 2)")

    @property
    def is_expr(self) -> bool:
        return any(t.kind in {"op", "of"} and not (i == 0 and t.op in "+-") for i, t in enumerate(self.toks))

    @property
    def number(self) -> Tok | None:
        """The number when the segment is one signed number, with its value signed."""
        nums = [t for t in self.toks if t.kind == "num"]
        if self.is_expr or len(nums) != 1 or any(t.kind in {"lp", "rp"} for t in self.toks):
            return None
        n = nums[0]
        if self.toks[0].kind == "op" and self.toks[0].op == "-":
            return Tok("num", n.text, n.start, n.end, -n.value, n.ulp, n.sig_ulp, n.pct)
        return n


@dataclass
class _Link:
    hedged: bool


@dataclass
class Chain:
    """Segments joined by "=" words, in order."""

    segments: list[Segment] = field(default_factory=list)
    hedged: list[bool] = field(default_factory=list)  # per segment: was the "=" before it hedged


def _operand_ahead(toks: list[Tok], i: int) -> bool:
    while i < len(toks) and toks[i].kind == "op" and toks[i].op in "+-":
        i += 1
    return i < len(toks) and (toks[i].kind in {"num", "lp"} or _is_var(toks[i]) or _per_word(toks, i))


def _is_var(t: Tok) -> bool:
    return t.kind == "letter" and not (t.attached and t.text in _UNIT_LETTERS)


_STOP_WORDS = {
    "with", "and", "or", "for", "in", "on", "at", "to", "from", "the", "an", "as", "that", "which", "this", "when",
    "if", "then", "so", "but", "than", "is", "are", "was", "be", "we", "it", "gives", "get", "makes",
}  # fmt: skip
_TITLE = re.compile(r"[A-Z][a-z]+")


def _unit_word(t: Tok) -> bool:
    """A word that can name a unit after a number: "GPUs", "hours", "张卡", "TFLOP/s"; not a sentence's next word
    ("Training", "with")."""
    if _CJK.match(t.text):
        return len(t.text) <= 4
    return (
        len(t.text) <= 15
        and "_" not in t.text
        and not _TITLE.fullmatch(t.text)
        and t.text.lower() not in _STOP_WORDS
    )


def _skip_units(toks: list[Tok], i: int, in_expr: bool) -> tuple[int, str]:
    """After a number: (index after its unit words, the first unit word). The words count as part of the
    calculation only when an operator or a closing bracket follows them, or "=" (after a lone number only one
    word: "640 GB = 0.64 TB", not "4,506,000 Total Parameters = ..."); otherwise the index is unchanged."""
    j, words = i, 0
    first = ""
    while j < len(toks) and words < _MAX_UNIT_WORDS:
        t = toks[j]
        unit = (t.kind == "word" and _unit_word(t)) or (t.kind == "letter" and t.text in _UNIT_LETTERS)
        if unit or (t.kind == "of" and words and j + 1 < len(toks) and toks[j + 1].kind == "word"):
            pass  # "GPUs", "h", "sheets of paper"
        elif t.kind == "op" and t.op == "/" and j + 1 < len(toks) and toks[j + 1].kind in {"word", "letter"}:
            j += 1  # "miles/hour": the slash belongs to the unit
        else:
            break
        first = first or toks[j].text
        words += 1
        j += 1
    if j == i:
        return i, ""
    nxt = toks[j] if j < len(toks) else None
    joins = nxt is not None and (
        (nxt.kind in {"op", "of"} and _operand_ahead(toks, j + 1))
        or nxt.kind == "rp"
        or (nxt.kind == "eq" and (in_expr or words == 1))
        or (nxt.kind == "letter" and nxt.text in "xX" and _operand_ahead(toks, j + 1))
    )
    return (j if joins else i), first.lower()


def _bound(t: Tok, value: Tok) -> Tok:
    """The number a bound variable stands for, at the variable's place."""
    return Tok("num", t.text, t.start, t.end, value.value, value.ulp, value.sig_ulp, value.pct, scale=value.scale)


def _read_segment(toks: list[Tok], i: int, bound: dict[str, Tok] | None = None) -> tuple[Segment | None, int]:
    bound = {k: v for k, v in (bound or {}).items() if abs(v.start - toks[i].start) <= REACH}
    out: list[Tok] = []
    start = toks[i].start
    end = start
    has_var = units = False
    unit = ""
    num_units: list[str] = []
    depth = 0
    expect_operand = True
    while i < len(toks):
        t = toks[i]
        if expect_operand:
            if t.kind == "op" and t.op in "+-" and _operand_ahead(toks, i + 1):
                if not out and toks[i + 1].start != t.end:
                    break  # "- 353 million": a list bullet, not a sign
                out.append(t)
            elif t.kind == "lp":
                out.append(t)
                depth += 1
            elif _per_word(toks, i) and out and out[-1].kind == "op":
                units = True  # "2,048 卡 × 每卡每小时 2 美元": the operand's per words, skipped like its unit
            elif t.kind == "num" or _is_var(t):
                if t.kind == "num" and t.scale != 1 and t.text[-1:] in bound:
                    # "9k" with k = 7 stated in the text: 9 times k, not nine thousand
                    base = Tok("num", t.text[:-1], t.start, t.end - 1, t.value / t.scale, t.ulp / t.scale,
                               t.sig_ulp / t.scale)  # fmt: skip
                    letter = Tok("letter", t.text[-1], t.end - 1, t.end)
                    out += [base, Tok("op", "", t.end - 1, t.end - 1, op="*"), _bound(letter, bound[letter.text])]
                elif t.kind == "num":
                    out.append(t)
                    cur = _CURRENCY.match(t.text)
                    unit = cur.group(0) if cur else ""
                elif t.text in bound:
                    out.append(_bound(t, bound[t.text]))
                else:
                    has_var = True
                    out.append(Tok("num", t.text, t.start, t.end, Fraction(1), Fraction(1), Fraction(1)))
                end = t.end
                i += 1
                if i < len(toks) and toks[i].kind == "letter" and toks[i].attached:
                    a = toks[i]
                    if a.text in "xX" and a.text not in bound and i + 1 < len(toks) and toks[i + 1].kind in {"num", "lp"}:
                        out.append(Tok("op", a.text, a.start, a.end, op="*"))
                        end = a.end
                        i += 1
                        continue
                    if a.text in bound:  # "20x" with x = 420706 stated in the text
                        out.append(Tok("op", "", a.start, a.start, op="*"))
                        out.append(_bound(a, bound[a.text]))
                    elif a.text in _UNIT_LETTERS:
                        units = True
                    elif not (a.text in "xX" and _times_suffix(toks, i)):
                        has_var = True  # "16n", "20x", "10^8D"; but "≈ 3.2x." is a multiple
                    end = a.end
                    i += 1
                in_expr = any(x.kind in {"op", "of"} for x in out[1:])
                j, word = _skip_units(toks, i, in_expr)
                if j > i and any(x.kind == "letter" and x.text in bound for x in toks[i:j]):
                    j, word = i, ""  # "l/k" with k bound: a division, not a unit "miles/hour"
                num_units.append(unit or word)
                unit = unit or word
                if j > i:
                    end = toks[j - 1].end
                    units = True
                i = j
                expect_operand = False
                continue
            else:
                break
            i += 1
            continue
        if t.kind == "rp" and depth > 0:
            out.append(t)
            depth -= 1
            end = t.end
        elif t.kind == "op" and _operand_ahead(toks, i + 1):
            if _is_range(out, t, toks[i + 1]):
                has_var = True  # "2-7B", "10-20%": a range, not a subtraction
            out.append(t)
            expect_operand = True
        elif t.kind == "letter" and t.text in "xX" and t.text not in bound and _operand_ahead(toks, i + 1):
            out.append(Tok("op", t.text, t.start, t.end, op="*"))
            expect_operand = True
        elif t.kind == "of" and _operand_ahead(toks, i + 1) and _fraction_or_pct(out):
            out.append(t)
            expect_operand = True
        elif t.kind == "letter" and t.start == end and t.text in bound and out and out[-1].kind == "rp":
            out.append(Tok("op", "", t.start, t.start, op="*"))  # "(13/4)x" with x bound
            out.append(_bound(t, bound[t.text]))
            end = t.end
        elif t.kind == "lp" and t.start == end:  # 3(4): multiplication; "12 (2.5 hours)" is an aside
            out.append(t)
            depth += 1
            expect_operand = True
        else:
            break
        i += 1
    while out and (out[-1].kind in {"op", "of", "lp"}):
        out.pop()
    while depth > 0 and out and out[0].kind == "lp":
        out.pop(0)
        depth -= 1
    if not out:
        return None, i
    if (
        any(t.kind == "op" and t.op in "+-" for t in out[1:])
        and len({u.rstrip("s") for u in num_units if u}) > 1
    ):
        has_var = True  # "1 week + 25 hours": adding different units cannot be recomputed
    seg = Segment(out, out[0].start, max(end, out[-1].end), has_var, unit)
    seg.money = any(_CURRENCY.match(u) or MONEY_WORD.fullmatch(u) for u in num_units if u)
    seg.leading = next((t for t in out if t.kind == "num"), None)
    if seg.is_expr:
        seg.unit = ""
        seg.units = units
    return seg, i


def _per_word(toks: list[Tok], i: int) -> bool:
    """The word at ``i`` says what the number right after it is per ("每卡每小时 2 美元")."""
    t = toks[i]
    return t.kind == "word" and bool(_PER_WORD.fullmatch(t.text)) and i + 1 < len(toks) and toks[i + 1].kind == "num"


def _times_suffix(toks: list[Tok], i: int) -> bool:
    """The "x" at ``i`` ends a result ("989 / 312 ≈ 3.2x."): it follows "=" and a number, and nothing computes on."""
    after = toks[i + 1] if i + 1 < len(toks) else None
    k = i - 2
    while k >= 0 and toks[k].kind == "hedge":
        k -= 1
    return (after is None or after.kind in {"break", "word"}) and k >= 0 and toks[k].kind == "eq"


def _is_range(out: list[Tok], op: Tok, nxt: Tok) -> bool:
    left = out[-1] if out else None
    return (
        op.op == "-" and left is not None and left.kind == "num" and nxt.kind == "num"
        and left.end == op.start and op.end == nxt.start
        and left.scale == 1 and not left.pct and (nxt.scale != 1 or nxt.pct)
    )  # fmt: skip


def _fraction_or_pct(out: list[Tok]) -> bool:
    """ "of" multiplies after a percentage ("20% of 6,500") or a fraction ("1/3 of 2317809")."""
    return bool(out) and (out[-1].kind == "num" and out[-1].pct or (len(out) >= 3 and out[-2].op == "/"))


# "half of", "20% of", "3 times of": an amount taken of the expression after "of", which is then only part of the
# calculation; "a rate of", "a total of" name what the expression computes
_FRACTION_WORD = re.compile(r"half|thirds?|quarters?|fifths?|tenths?|twice|double|triple|times|percent", re.IGNORECASE)


def _of_an_amount(toks: list[Tok], k: int) -> bool:
    """Whether ``toks[k]`` is an "of" after a number or a fraction word."""
    if k < 1 or toks[k].kind != "of":
        return False
    before = toks[k - 1]
    return before.kind == "num" or (before.kind in {"word", "letter"} and bool(_FRACTION_WORD.fullmatch(before.text)))


def find_chains(toks: list[Tok], bound: dict[str, Tok] | None = None) -> list[Chain]:
    """Every chain of two or more segments, at least one of them an expression, in text order. A letter in
    ``bound`` stands for its number (see ``bindings``)."""
    items: list[Segment | _Link | None] = []
    i = 0
    while i < len(toks):
        t = toks[i]
        if (
            t.kind in {"num", "lp"}
            or _is_var(t)
            or (t.kind == "op" and t.op in "+-" and _operand_ahead(toks, i + 1))
        ):
            before = toks[i - 1] if i > 0 else None
            bullet = before is not None and before.kind == "op" and (i == 1 or toks[i - 2].kind == "break")
            of_amount = _of_an_amount(toks, i - 1)
            seg, j = _read_segment(toks, i, bound)
            i = max(j, i + 1)  # always move on, even past a lone bullet "-"
            if seg is not None and before is not None:
                glued = before.kind == "word" and before.end == seg.start and seg.toks[0].kind == "lp"
                # "14 745 600 000 * 2": spaced digits; but "- 353 million" after a line break is a list bullet
                seg.partial = (before.kind in {"op", "num"} and not bullet) or glued or of_amount
            items.append(seg)
            continue
        if t.kind == "eq":
            hedged = t.hedged
            i += 1
            while i < len(toks) and toks[i].kind == "hedge":
                hedged = True
                i += 1
            items.append(_Link(hedged))
            continue
        if not (_per_word(toks, i) and items and isinstance(items[-1], _Link)):
            items.append(None)  # "= 每天 49,152 美元": the result's per word keeps the chain going
        i += 1
    chains: list[Chain] = []
    cur: Chain | None = None
    for k, item in enumerate(items):
        if isinstance(item, Segment):
            linked = (
                cur is not None
                and k >= 2
                and isinstance(items[k - 1], _Link)
                and items[k - 2] is cur.segments[-1]
            )
            if linked and cur is not None:
                link = items[k - 1]
                assert isinstance(link, _Link)
                cur.segments.append(item)
                cur.hedged.append(link.hedged)
            else:
                cur = Chain([item], [False])
                chains.append(cur)
        elif isinstance(item, _Link):
            continue
        else:
            cur = None
    return [c for c in chains if len(c.segments) >= 2 and any(s.is_expr for s in c.segments)]
