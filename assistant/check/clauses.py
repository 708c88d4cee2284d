"""Whether a sentence's words bind its figures to each other, for the relations that read a stated percentage
against two figures (``changes``, ``shares``):

- parallel figures: one quantity said twice, for two periods or two subjects ("去年 2.5 亿元，今年 3.5 亿元",
  "$820M in Q1 and $1,030M in Q2", "A 芯片 700 瓦，B 芯片 1,000 瓦"). The words between them are period words,
  names and connectives, or repeat the first figure's own label. Such a pair changes; it is never a part and its
  whole. A part-of word between or before them ("2,000 名员工中有 340 名", "Of the 2,400 GPUs") says they are not
  parallel;
- a clause's own subject: a percentage in a later clause that names something none of the sentence's earlier
  words name ("推理成本下降了 40%", ", and data center revenue was 78%") is said of that, not of the figures
  before it. The relation's own cue words (shares, margins, changes), periods, names and connectives name nothing.

The word lists are data: they say which words carry no subject, not which sentences hold a relation.
"""

from __future__ import annotations

import re

from assistant.check.quantities import Qty

# periods: years, quarters, halves, months, "last year", "去年", "上季度", "同期"
_PERIOD = re.compile(
    r"(?:19|20)\d\d\s*年?(?:度|底|初)?|\bQ[1-4]\b|\bH[12]\b|\bFY\s?\d{2,4}\b|第?[一二三四1-4]季度|[上下本今去明前后次]一?(?:个)?(?:财年|年度|年|季度|季|月份?|周|半年)|"
    r"同期|全年|年底|年初|上半年|下半年|"
    r"\b(?:last|this|next|previous|prior|past|same|a|the|that|each)\s+(?:year|quarter|month|week|period)s?(?:\s+(?:ago|earlier|before))?\b|"
    r"\b(?:year|quarter|month|week)s?\s+(?:ago|earlier|before|later)\b|\bin\s+(?:19|20)\d\d\b|"
    r"\b(?:january|february|march|april|may|june|july|august|september|october|november|december)\b",
    re.IGNORECASE,
)
# names: a capitalised word or a single capital ("Vendor A", "B 芯片"); Chinese company forms ("甲公司")
_NAME = re.compile(r"(?<![A-Za-z])[A-Z][A-Za-z0-9-]*|[甲乙丙丁](?:公司|厂|方)?")
_CONNECTIVE = re.compile(
    r"\b(?:and|or|to|was|were|is|are|be|been|the|a|an|then|while|with|came|in|at|for|on|by|its|their|it|"
    r"expected|forecast|estimated|projected|about|roughly|around|nearly|some|just|only|now|stood|reached|hit|"
    r"which|that|i\.e\.|so|still|hence|thus|therefore|puts?|putting|makes?|making|gives?|giving|brings?|bringing|"
    r"impl(?:y|ies|ying)|means?|meaning|suggests?|suggesting)\b|"
    r"据此|由此|因此|所以|因而|即|也就是|推算|估算|测算|可知|可得|意味着|说明|"
    r"[和及与而、，,;；:：()（）\-—为是达到至了的则约近预计期测估将仍已]",
    re.IGNORECASE,
)
_PART_MARK = re.compile(r"^\s*(?:of|out of)\s*[$€£¥￥]?$|中有?|其中|of which|of them|out of|among|including|包括|\bof\s+(?:the|its|their|our|all)\b", re.I)
# "Of the 1,600 employees", "of the lab's 640 GPUs": a possessive may stand before the whole
_OF_BEFORE = re.compile(
    r"(?:\bof|\bout of|\bamong)\s+(?:the\s+|its\s+|their\s+|our\s+)?(?:[A-Za-z][\w-]*['’]s?\s+)?[$€£¥￥]?$", re.IGNORECASE
)
_BREAK = re.compile(r"[，,；;：:]\s*")
_WORDS = re.compile(r"[A-Za-z][A-Za-z'-]*|[\u4e00-\u9fff]+")


def _strip(text: str, cues: re.Pattern[str] | None = None) -> str:
    for regex in (cues, _PERIOD, _NAME, _CONNECTIVE):
        if regex is not None:
            text = regex.sub(" ", text)
    return text


def _content(text: str) -> list[str]:
    """The words left that can name something: English words of three letters or more, Chinese runs of two
    characters or more."""
    return [w for w in _WORDS.findall(text) if len(w) >= (2 if "\u4e00" <= w[0] <= "\u9fff" else 3)]


def _named_in(word: str, earlier: str) -> bool:
    """``word`` is named in ``earlier``: a Chinese run as it is, an English word by its first five letters
    ("acceptance" by "accepted")."""
    if "\u4e00" <= word[0] <= "\u9fff":
        return word in earlier
    stem = word.lower()[:5]
    return any(w.lower().startswith(stem) for w in _WORDS.findall(earlier))


def operand(text: str, q: Qty) -> bool:
    """``q`` is an operand of a formula written out ("2 * (grok3/1.1)"): no quantity a sentence's words relate."""
    return bool(re.search(r"[*/×÷]\s*\(?\s*$", text[max(0, q.start - 4) : q.start])) or bool(
        re.match(r"\s*\)?\s*[*/×÷]", text[q.tok.end : q.tok.end + 4])
    )


def whole_named(text: str, q: Qty, lo: int) -> bool:
    """``q`` is introduced as a whole: "Of the 1,600 employees", "out of 200"."""
    clause_lo = max([lo] + [m.end() for m in _BREAK.finditer(text, lo, q.start)])
    return bool(_OF_BEFORE.search(text[clause_lo : q.start]))


def parallel(text: str, a: Qty, b: Qty, lo: int) -> bool:
    """``a`` and ``b`` (in this order) are one quantity said twice, for two periods or two subjects."""
    between = text[a.end : b.start]
    clause_lo = max([lo] + [m.end() for m in _BREAK.finditer(text, lo, a.start)])
    if _PART_MARK.search(between) or whole_named(text, a, lo):
        return False
    left = _content(_strip(between))
    if not left:
        return True
    label = _strip(text[clause_lo : a.start])
    return all(_named_in(w, label) for w in left)


def own_subject(text: str, lo: int, after: int, at: int, cues: re.Pattern[str]) -> bool:
    """The clause that ends at ``at`` (a percentage) and starts after ``after`` (the last figure it is read
    against) names something the sentence's words before that clause do not: its own subject."""
    breaks = list(_BREAK.finditer(text, after, at))
    if not breaks:
        return False
    start = breaks[-1].end()
    left = _content(_strip(text[start:at], cues))
    earlier = text[lo:start]
    return any(not _named_in(w, earlier) for w in left)


# a model or product named with a number glued to it ("星河-2", "Orca-3"), an ordinal or a reference ("第 4 页",
# "Table 2"): the number names something, it is no quantity
_GLUED = re.compile(
    r"[A-Za-z\u4e00-\u9fff][-‐]$|[A-Za-z]$|第\s?$|\b(?:page|pp?\.|section|table|figure|fig\.|chapter|no\.|#)\s?$",
    re.IGNORECASE,
)


def glued(text: str, q: Qty) -> bool:
    """``q`` is the number of a name, an ordinal or a reference ("星河-2", "H100", "第 4 页", "Table 2"): a Latin
    letter, a hyphen after any letter, 第 or a reference word right before it (a Chinese character alone is not:
    "得分86.1")."""
    return bool(_GLUED.search(text[max(0, q.start - 10) : q.start]))


def subjects_in(stretch: str) -> set[str]:
    """The names and periods a stretch of a sentence says (capitalised words, "甲公司", "Q3", "去年", "2024 年",
    names with a number glued on, "星河-2"), lower-cased: what a clause is about."""
    found = {m.group(0).strip().lower() for m in _PERIOD.finditer(stretch)}
    found |= {m.group(0).lower() for m in _NAME.finditer(stretch)}
    found |= {m.group(0).lower() for m in re.finditer(r"[A-Za-z\u4e00-\u9fff]{1,4}[-‐]\d+(?:\.\d+)?", stretch)}
    return {f for f in found if f}


def part_of(stretch: str) -> bool:
    """A part-of word in the stretch between two figures ("of which", "其中", "among"): the later is a part of the
    earlier, not a second quantity of its kind."""
    return bool(_PART_MARK.search(stretch))
