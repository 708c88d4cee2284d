"""An operation told in words on the result just stated: "Dividing this by 110, we get 8706257",
"Adding 1,250 to that gives 4,656", "除以 12，得到每月 560 万元".

Read only where the reference is unambiguous: the phrase names the previous result ("this", "that", "it", "the
result", "the total"; in Chinese the clause starts with the operation), one number is the operand, and a result
word ("we get", "gives", "results in", 得到, 得; a restating 即, 折合, 平均: "除以 86,400 秒，平均每秒 5,000 次") is
followed by the stated number in the same sentence. The
previous result is the last number written before the phrase, at most one sentence back.

A result just written out ("87.3 − 78.8 = 8.5 points") may then be put as a share of a base: "relative to 78.8
that is an improvement of 10.8%", "相对于 80 提升了 13.1%": the result divided by the base.
"""

from __future__ import annotations

import re
from fractions import Fraction

from assistant.check.expr import Tok

_REF = r"(?:this|that|it|the (?:result|total|sum|product|amount))"
_VERB = r"(?P<verb>multiply(?:ing)?|multiplied|divid(?:e|ing)|divided|add(?:ing)?|added|subtract(?:ing)?|subtracted)"
_RESULT = r"(?:we (?:get|have|obtain|find)|(?:this |which |that )?(?:gives|giving|yields|results in|comes to)|to get)"
_EN = re.compile(
    rf"\b{_VERB}\b(?P<mid>[^.;:!?\n]{{1,80}}?),?\s+{_RESULT}\s+(?P<hedge>(?:about|approximately|roughly|around)\s+)?",
    re.IGNORECASE,
)
_ZH = re.compile(
    r"(?:^|(?<=[。，,；;：:\n]))\s*(?:再|然后|将其|把它|用它|将结果|把结果)?\s*(?P<verb>乘以|除以|加上|减去)"
    r"(?P<mid>[^。；;！？!?\n]{1,30}?)[，,]?\s*(?:可)?(?:得到|得出|得|结果为|结果是|即|相当于|折合|平均)(?P<hedge>约|大约)?"
)
# the previous result as a share of a base: "relative to 78.8 that is an improvement of 10.8%", "相对于 78.8，提升了 10.8%"
_RELATIVE = re.compile(
    r"(?P<verb>\brelative to|\bcompared (?:with|to)|相对于?|相比于?)(?P<mid>\s*(?:US)?[$€£¥￥]?\d[\d,]*(?:\.\d+)?(?![\d.])\s*[^\s\d,，。;；]{0,6})\s*[,，]?\s*"
    r"(?:(?:that|this|it|which)\s+(?:is|was|represents|means|amounts to)\s+(?:an?\s+[a-z]+\s+of\s+)?|"
    r"(?:这|即|也就是)?(?:相当于|是|为)?(?:提升|提高|增长|增加|下降|降低|减少)?了?\s*)"
    r"(?P<hedge>about\s+|roughly\s+|约|大约)?(?=\d)",
    re.IGNORECASE,
)
_ZH_OPS = {"乘以": "*", "除以": "/", "加上": "+", "减去": "-"}
_GAP = 90  # characters between the previous result and the phrase
_RESULT_BEFORE = re.compile(r"[=＝]\s*(?:about\s+|约)?$|(?:等于|得到|gives|comes to)\s*$", re.IGNORECASE)


def _op(verb: str) -> str:
    v = verb.lower()
    if v in _ZH_OPS:
        return _ZH_OPS[v]
    return {"m": "*", "d": "/", "a": "+", "s": "-"}[v[0]]


def find_worded(text: str, toks: list[Tok]) -> list[tuple[Tok, str, Tok, Tok, bool, Fraction, bool]]:
    """(previous result, operator, operand, stated result, hedged, recomputed value, operand first) per phrase.
    "operand first" is set for "subtracting this from N" (N - previous)."""
    nums = [t for t in toks if t.kind == "num"]
    out = []
    for m in list(_EN.finditer(text)) + list(_ZH.finditer(text)) + list(_RELATIVE.finditer(text)):
        verb, mid = m.group("verb"), m.group("mid")
        zh = verb in _ZH_OPS
        relative = m.re is _RELATIVE
        if not zh and not relative and not re.search(rf"\b{_REF}\b", mid, re.IGNORECASE):
            continue
        before = [t for t in nums if t.end <= m.start("verb")]
        inside = [t for t in nums if m.start("mid") <= t.start and t.end <= m.end("mid")]
        after = [t for t in nums if t.start >= m.end() and t.start - m.end() <= 3]
        if not before or len(inside) != 1 or not after:
            continue
        prev, operand, stated = before[-1], inside[0], after[0]
        gap = text[prev.end : m.start("verb")]
        if len(gap) > _GAP or sum(gap.count(c) for c in ".。!?！？\n") > 1 or prev.pct != stated.pct and not relative:
            continue
        if relative and (prev.pct or not stated.pct or not _RESULT_BEFORE.search(text, max(0, prev.start - 12), prev.start)):
            continue  # only a result the draft just stated ("87.3 - 78.8 = 8.5 points, and relative to 78.8 …")
        op = "/" if relative else _op(verb)
        ref = re.search(rf"\b{_REF}\b", mid, re.IGNORECASE)
        reversed_ = bool(op == "-" and not zh and ref and ref.start() < mid.find(operand.text.strip()))
        a, b = (operand.value, prev.value) if reversed_ else (prev.value, operand.value)
        if op == "/" and b == 0:
            continue
        value = a * b if op == "*" else a / b if op == "/" else a + b if op == "+" else a - b
        out.append((prev, op, operand, stated, bool(m.group("hedge")), value, reversed_))
    return out
