"""Variables a text binds to one number ("x = 420706", "let n be 12", "设 x 为 5", "令 k = 7").

A later or earlier calculation with that letter ("20x = 8414125", "4n + 100 = 1,200") is then recomputed with the
number put in. Only an explicit symbol binding counts: a single letter, then "=" / "be" / 为 / 是, then one number
that is not the start of an expression ("p = 4(9913180) + 22" binds nothing). A letter bound to two different
numbers, or with a hedged "≈", stays a variable, so its calculations are still skipped; a binding reaches only
``REACH`` characters either way (a table of unrelated rows is not one worked answer).
"""

from __future__ import annotations

from assistant.check.expr import Tok

REACH = 600
_BE_WORDS = {"be", "is", "为", "是", "等于"}
_LEAD_WORDS = {"let", "set", "设", "令", "取"}


def _ends_binding(toks: list[Tok], j: int) -> bool:
    """Nothing after the number at ``j - 1`` continues it as an expression."""
    if j >= len(toks):
        return True
    t = toks[j]
    if t.kind in {"op", "lp", "of", "eq"}:
        return False
    return not (t.kind == "letter" and t.attached)


def find_bindings(toks: list[Tok]) -> dict[str, Tok]:
    """Each letter bound to exactly one number in ``toks``, with the number's token (its value and precision)."""
    values: dict[str, list[Tok]] = {}
    for i, t in enumerate(toks):
        if t.kind != "letter" or t.attached or i + 2 >= len(toks):
            continue
        before = toks[i - 1] if i else None
        if before is not None and (before.kind in {"num", "rp", "op", "lp", "of"} or before.kind == "letter"):
            continue  # "(13/4)x", "2 + x", "3 x": part of an expression, not a name being set
        link, num = toks[i + 1], toks[i + 2]
        led = before is not None and before.kind == "word" and before.text.lower() in _LEAD_WORDS
        if link.kind == "eq" and link.text in {"is", "是", "为"} and not led:
            continue  # "x is 5" only after "let"; "so x is 5" too loose
        is_link = (link.kind == "eq" and not link.hedged) or (
            led and link.kind == "word" and link.text in _BE_WORDS
        )
        if is_link and num.kind == "num" and not num.pct and _ends_binding(toks, i + 3):
            values.setdefault(t.text, []).append(num)
    return {name: nums[0] for name, nums in values.items() if len({n.value for n in nums}) == 1}
