"""Questions asking two figures under one question word, and answering a question of several parts.

"营收和同比增速分别是多少", "How many layers and key-value heads does it have?", "What are its total and active
parameter counts?" ask two figures with one question word: the conjunction joins two measures. Each measure makes a
part, the whole question with the other measure left out ("营收是多少", "同比增速是多少"), so each part keeps the
question's subject and scene. Names joined by a conjunction are ``assistant.ask.parts``'s (one part per name);
a measure of two things ("the ratio of X and Y", "X 和 Y 之比", "in total") is one figure, not two.

A question of several parts is answered part by part, with the whole question as the parts' witness: the line that
answers the whole question also stands for each part (a part's own candidate in that line passes on the strength of
the whole's answer, as it does beside another part's answer in ``assistant.ask.partfill``), a part answered is kept
when another is not, and when no part is answered the whole question is answered as one.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from assistant.ask.analyze import AUX, QuestionAnalysis, analyze
from assistant.ask.candidate import Scored, failing_rules
from assistant.ask.kindtable import COUNT, match_kind
from assistant.ask.partfill import WORDING_RULES, companions, fill_parts, focus_unit, together
from assistant.index.base import Retriever
from assistant.text import _jieba

# A conjunction joining two measures.
_CONJ = re.compile(r"\s*(?:以及|和|与|及|、)\s*|\s+(?:and|as\s+well\s+as|&)\s+", re.IGNORECASE)
# Where the second measure ends: the verb or question word after it, or the phrase's end.
_ZH_END = re.compile(r"分别|各自|各是|各为|各有|各|是|为|有|达到|达|多少|几|占|呢|[？?，,。；;]|$")
_EN_END = re.compile(
    rf"\s+(?:{AUX}|of|for|in|on|at|to|according|that|respectively|across|per|under|with)\b|\s*[?,;]|$",
    re.IGNORECASE,
)
# Where the first measure starts: after the question word, a possessive, an article, a name or a time.
_ZH_START = re.compile(r"的|[，,？?：:\s]|季度|年度?|月|多少|几|什么|哪些?")
_EN_START = re.compile(
    r"(?:\b(?:how\s+(?:many|much)|what(?:\s+(?:is|are|was|were))?|which|the|its|their|both)\b|['’]s\b|[,:])\s*",
    re.IGNORECASE,
)
# A measure of the two together ("之比", "the ratio of", "in total"): one figure.
_ONE_OF_TWO = re.compile(
    r"之(?:比|和|差|间)|的(?:比|差|和)|合计|总和|一共|总共|加起来|相加|\b(?:between|ratio|sum|difference|combined|"
    r"together|in\s+total|altogether)\b",
    re.IGNORECASE,
)
# Words saying each of the joined measures gets its own figure; dropped from the parts.
_EACH = re.compile(r"\s*(?:分别|各自|各)(?=是|为|有|达|多少|几)|,?\s+respectively\b|\bboth\s+", re.IGNORECASE)
# A phrase ending in one of these names a measure, whatever it measures ("vocabulary size", "上下文长度").
_MEASURE_NOUN = re.compile(
    r"\b(?:size|length|count|number|width|depth|dimension|rate|ratio|price|score)s?$|大小|长度|数量|规模|个数|数$",
    re.IGNORECASE,
)
# A second measure with its own determiner is a noun phrase of its own ("its context length and its window size").
_OWN_DETERMINER = re.compile(r"(?:its|their|the)\s", re.IGNORECASE)
_LEADING = re.compile(r"^(?:its|their|the|his|her)\s+", re.IGNORECASE)
# The longest a measure may be (characters; English words): longer runs are clauses, not noun phrases.
MEASURE_CHARS = 40
EN_WORDS = 3


def coordinated_parts(analysis: QuestionAnalysis, retriever: Retriever | None = None) -> list[QuestionAnalysis]:
    """Two parts for a question asking two measures joined by a conjunction under one question word (each part the
    whole question with the other measure left out); ``[analysis]`` for any other question."""
    q = analysis.question
    if _ONE_OF_TWO.search(q):
        return [analysis]
    figure = analysis.wants_figure or analysis.asked is not None
    names = [t.label or t.text for t in analysis.terms if t.name]
    for m in _CONJ.finditer(q):
        spans = _measures(q, m.start(), m.end(), names)
        if spans is None:
            continue
        (a0, a1), (b0, b1) = spans
        first, second = q[a0:a1], q[b0:b1]
        if any(n in first or n in second for n in names):
            return [analysis]  # names joined: one part per name (``parts._each_name``), or a name beside a measure
        first = _completed(first, _LEADING.sub("", second))
        if not (figure or (_MEASURE_NOUN.search(first) and _MEASURE_NOUN.search(second))):
            return [analysis]  # no figure asked ("the strengths and weaknesses")
        if not _two_measures(q, first, second):
            continue
        second = _LEADING.sub("", second)
        texts = [_EACH.sub("", f"{q[:a0]}{x}{q[b1:]}") for x in (first, second)]
        parts = [analyze(t, retriever) for t in texts]
        if all(p.asked is None for p in parts) and analysis.asked is not None:
            return [analysis]  # neither measure names a kind the whole question did not: no two figures read
        return parts
    return [analysis]


def _measures(q: str, c0: int, c1: int, names: Sequence[str]) -> tuple[tuple[int, int], tuple[int, int]] | None:
    """The spans of the two measures a conjunction at ``q[c0:c1]`` joins, or None when it joins no two."""
    zh = not q[c0:c1].strip().isascii()
    end = (_ZH_END if zh else _EN_END).search(q, c1)
    b1 = end.start() if end else len(q)
    starts = [x.end() for x in (_ZH_START if zh else _EN_START).finditer(q, 0, c0)]
    starts += [i + len(n) for n in names for i in _find_all(q, n) if i + len(n) <= c0]
    a0 = max([s for s in starts if s <= c0], default=0)
    if zh:  # as many words before the conjunction as the second measure has ("员工总数和研发人员")
        a0 = c0 - _last_words(q[a0:c0], len(_words(q[c1:b1])))
    first, second = q[a0:c0].strip(), q[c1:b1].strip()
    if not first or not second or len(first) > MEASURE_CHARS or len(second) > MEASURE_CHARS:
        return None
    if not zh and (len(first.split()) > EN_WORDS or len(second.split()) > EN_WORDS + 1):
        return None  # a clause ("revenue came from servers"), not a measure
    if re.search(r"[？?，,。；;]", first + second):
        return None
    a0 += len(q[a0:c0]) - len(q[a0:c0].lstrip())
    return (a0, c0), (c1, b1)


def _words(text: str) -> list[str]:
    """The words of a Chinese phrase (jieba's precise cut, without spaces)."""
    return [w for w in _jieba().lcut(text) if w.strip()]


def _last_words(text: str, n: int) -> int:
    """How many characters from its end ``text``'s last ``n`` words take."""
    cut = _jieba().lcut(text)
    taken, count = 0, 0
    for w in reversed(cut):
        if count >= n:
            break
        taken += len(w)
        count += bool(w.strip())
    return taken


def _find_all(text: str, word: str) -> list[int]:
    out, i = [], text.find(word)
    while i >= 0 and word:
        out.append(i)
        i = text.find(word, i + 1)
    return out


def _completed(first: str, second: str) -> str:
    """The first measure with the head noun the two share when it writes only its modifier ("total and active
    parameters": "total parameters"; "输入和输出价格": "输入价格")."""
    if first.isascii():
        words = second.split()
        modifier = " " not in first and not first.lower().endswith("s")  # "total", "input"; not "layers"
        if modifier and len(words) > 1 and match_kind(first.lower()) is None:
            return f"{first} {' '.join(words[1:])}"
        return first
    if len(first) <= 2 < len(second) and match_kind(first) is None and match_kind(second) is not None:
        return first + second[len(first) :]
    return first


def _two_measures(q: str, first: str, second: str) -> bool:
    """Whether two joined phrases ask two figures: each of them is read as its own kind, or the question says each
    gets its own ("分别", "respectively"), or "how many" counts both."""
    if _EACH.search(q) or _OWN_DETERMINER.match(second):
        return True
    if match_kind(first.lower()) is not None and match_kind(second.lower()) is not None:
        return True
    return bool(re.search(rf"\bhow\s+many\s+{re.escape(first)}\s+and\b", q, re.IGNORECASE))


def answered_parts(
    found: Sequence[tuple[QuestionAnalysis, list[Scored]]],
    ranked: Sequence[Sequence[Scored]],
    whole: tuple[QuestionAnalysis, list[Scored]],
    whole_ranked: Sequence[Scored],
    *,
    read_whole: bool,
) -> list[tuple[QuestionAnalysis, list[Scored]]]:
    """``found`` with the whole question standing for each part: a part with nothing usable takes its own candidate
    in the passage that answers the whole question (when only wording rules bar it), else the whole's best lines
    read again for a figure of its kind. Two parts are answered from one line when that is the better answer
    (``partfill.together``); when none answers them all, from the whole question's best line if it gives each part
    a figure of its kind. When a part is still empty, the question is answered as one (``read_whole``: the
    parts were read from one question word, ``coordinated_parts``) or not at all (every part stays empty)."""
    out = companions(fill_parts(found), ranked)
    if any(not usable for _, usable in out) and whole[1]:
        n = len(out)
        out = companions([*out, whole], [*ranked, whole_ranked])[:n]
        out = fill_parts([*out, whole])[:n]
    out = together(out)  # two parts are best answered from one line ...
    lines = {(usable[0].passage, usable[0].start) for _, usable in out if usable}
    if whole[1] and len(lines) > 1:
        out = _on_whole_line(out, ranked, whole[1][0])  # ... else the line answering the whole question may
    if all(usable for _, usable in out):
        return out
    # a part answered alone is half an answer, too often to a question the documents do not answer at all ("how
    # many GPUs ..., and for how many days?" of a card giving neither): the question is answered as before
    # the split, as one when it was one (``read_whole``), else not at all
    return [whole] if read_whole and whole[1] else [(part, []) for part, _ in out]


def _on_whole_line(
    found: Sequence[tuple[QuestionAnalysis, list[Scored]]], ranked: Sequence[Sequence[Scored]], line: Scored
) -> list[tuple[QuestionAnalysis, list[Scored]]]:
    """``found`` with each part's own candidate on ``line`` (the whole question's best) moved first, when that line
    gives every part a figure of the kind it asks, each a different figure, barred at most by wording rules ("AI
    服务器业务收入达到 30.2 亿元，占公司总营收的 62.1%" for "收入是多少，占总营收的比例是多少", not another
    document's share)."""
    picks: list[Scored] = []
    for (part, _), cands in zip(found, ranked, strict=True):
        own = next((c for c in cands if (c.passage, c.start) == (line.passage, line.start)), None)
        if (
            own is None
            or part.asked is None
            or own.figure is None
            or (own.kind_hit < 1.0 and part.asked.name != COUNT)  # a figure in the asked unit (a count has none)
            or not set(failing_rules(own, part.asked, wants_figure=True)) <= WORDING_RULES
            or any(p.figure is not None and p.figure.text == own.figure.text for p in picks)
            or (unit := focus_unit(part.focus)) is not None and own.figure.unit != unit  # "多少小时" is no "1 month"
        ):
            return list(found)
        picks.append(own)
    return [(part, [pick, *(u for u in usable if u is not pick)]) for (part, usable), pick in zip(found, picks, strict=True)]
