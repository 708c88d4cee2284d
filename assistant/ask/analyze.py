"""Question analysis: language, what kind of figure is asked for, key terms, and the figures given.

The asked kind comes from the question's *focus*, the words after "how many" / "what is the" / "多少" or
before "是多少", matched against a small table of kinds (money, GPU hours, parameters, days, percent...).
The table of kinds, with the units that answer each and the cue words a unit-less figure needs, is in
``assistant.ask.kindtable``.
"""

from __future__ import annotations

import re

from pydantic import BaseModel, Field

from assistant.ask.admitted import admitted_kinds
from assistant.ask.glossary import QUESTION_WORDS
from assistant.ask.indexnames import dates_are_not_names, initial_word, mark_titled, with_aliases
from assistant.ask.kindtable import (
    COUNT,
    KINDS,
    AskedKind,
    count_kind,
    earliest_kind,
    kind,
    match_kind,
)
from assistant.ask.matching import MatchText
from assistant.ask.terms import Term, corpus_idf, key_terms
from assistant.index.base import Retriever
from assistant.models import Language
from assistant.text import CJK_RE, detect_language, has_cjk, tokenize
from tools.figures import Figure, parse_figures
from tools.units import DURATION_UNITS

# the kind table lived here; its names stay importable from this module
__all__ = ["COUNT", "KINDS", "AskedKind", "count_kind", "kind", "match_kind", "QuestionAnalysis", "analyze", "asked_kind"]


# English auxiliary verbs: where a question's noun phrase ends, and what makes "When was ..." a question.
AUX = r"(?:did|does|do|is|was|were|are|will|would|can|could|has|have|had)"
# The focus phrase: what follows a question word up to the verb, or what precedes 是多少.
_EN_FOCUS = re.compile(
    r"\b(?:how\s+(?:many|much)|what(?:'s|\s+is|\s+was|\s+are|\s+were)?(?:\s+the)?|which)\s+"
    rf"(?!{AUX}\b)(?P<focus>.{{1,90}}?)(?=\s+(?:{AUX}|by|for|when|in|"
    r"on|at|to|that|according|if|with|from|under)\b|[?,;]|$)",
    re.IGNORECASE,
)
_EN_HOW_ADJ = re.compile(
    r"\bhow\s+(?P<focus>much\s+(?:faster|slower|cheaper|more|less|quicker)|long|fast|large|big)\b",
    re.IGNORECASE,
)
# up to ten characters after 多少/几, a Latin word counting as one ("多少 H100 GPU 小时")
# 几 asks "how many" but for 几乎 ("almost"), the one common word it begins.
HOW_FEW = r"几(?!乎)"
_ZH_AFTER = re.compile(
    rf"(?:多少|{HOW_FEW})\s*(?P<focus>(?:[A-Za-z0-9][\w.\-]*\s*|[^，。？?！,;；、\sA-Za-z0-9]\s*){{0,10}})"
)
_ZH_BEFORE = re.compile(
    r"(?P<focus>[^\s，。？?！,;；、的]{1,8})\s*(?:是|为|有|达到|达|约)?(?:多少|几何|多大|多高|多快|多久)"
)
# "模型多大？" / "How big is the BitNet model?": the size of a model, asked as such, is its parameter count.
_MODEL_SIZE = re.compile(
    r"模型\s*(?:有|是)?\s*多大(?=\s*[？?，,。]|$)|模型(?:的)?(?:大小|规模)(?:是|为|有)?多少|"
    r"\bhow\s+(?:big|large)\s+is\s+(?:the\s+|this\s+|its\s+)?(?:[\w.-]+\s+){0,4}?model(?=\s*[?,]|$)|\bmodel\s+size\b",
    re.IGNORECASE,
)
# "How long a prompt can it take?": the length of a text, counted in tokens.
_TEXT_LENGTH = re.compile(
    r"\bhow\s+long\s+(?:an?\s+|the\s+|of\s+an?\s+)?(?:prompt|context|input|sequence|text|document|conversation)s?\b|"
    r"多长的?(?:上下文|序列|提示词?)|(?:上下文|序列)(?:窗口|长度)?(?:最长)?(?:有|是|为|能到|支持)?多(?:长|少)",
    re.IGNORECASE,
)
_ZH_VERB_HOW_MUCH = re.compile(
    r"(?P<focus>(?:减少|降低|下降|节省|节约|压缩|提升|提高|增长|增加|上涨|下调|上调)了?)多少"
)


class QuestionAnalysis(BaseModel):
    """What the answering pipeline needs to know about a question."""

    question: str
    language: Language
    answer_language: str = Field(description="'zh' or 'en': the language of the answer's frame.")
    focus: str = Field("", description="The phrase naming what is asked, as found.")
    wants_figure: bool = Field(False, description="The answer is a figure (a count, a score, an amount).")
    asked: AskedKind | None = Field(
        None, description="The kind of figure asked for; None for non-quantity questions."
    )
    admitted: tuple[AskedKind, ...] = Field(
        (), description="Further kinds the question's structure admits, by preference (``assistant.ask.admitted``)."
    )
    terms: list[Term] = Field(default_factory=list)
    figures: list[Figure] = Field(default_factory=list, description="Figures written in the question.")


def analyze(question: str, retriever: Retriever | None = None) -> QuestionAnalysis:
    """Analyse a question. ``retriever`` is used only for term statistics (corpus IDF) when it keeps them."""
    language = detect_language(question)
    answer_language = "zh" if has_cjk(question) and language != "en" else "en"
    focus, named = asked_kind(question)
    asked, admitted = admitted_kinds(question, focus, named)
    idf = corpus_idf(retriever, tokenize(question)) if retriever is not None else {}
    terms = mark_focus(
        key_terms(question, idf, extra_stop=how_words(question)), focus
    )
    figures = parse_figures(question)
    terms = dates_are_not_names(terms, [question[f.start : f.end] for f in figures if f.unit == "date"])
    if retriever is not None:
        terms = mark_titled(terms, retriever)
        terms = with_aliases(terms, question, retriever)
        terms = initial_word(terms, question, retriever)
    return QuestionAnalysis(
        question=question,
        language=language,
        answer_language=answer_language,
        focus=focus,
        asked=asked,
        admitted=admitted,
        terms=terms,
        figures=figures,
        wants_figure=named is not None or bool(_WANTS_FIGURE.search(question)),
    )


def weigh(analysis: QuestionAnalysis, retriever: Retriever) -> QuestionAnalysis:
    """The analysis with term weights from the corpus statistics (IDF), when the retriever has them."""
    idf = corpus_idf(retriever, tokenize(analysis.question))
    if not idf or len(set(idf.values())) <= 1:
        return analysis  # no statistics, or none loaded yet: the shape heuristic stands
    terms = mark_focus(
        key_terms(
            analysis.question,
            idf,
            extra_stop=how_words(analysis.question),
        ),
        analysis.focus,
    )
    return analysis.model_copy(update={"terms": terms})


# The word "how" governs (but for the quantifiers "much" and "many"): an adjective or adverb of degree.
_HOW_ADJ = re.compile(r"\bhow\s+(?!much\b|many\b)([a-z]+)\b", re.IGNORECASE)


def how_words(question: str) -> list[str]:
    """The adjective of "how large" / "how fast": it only shapes the question ("how large was the revenue",
    "how fast is NVLink"), and the evidence says the measure instead ("160 GB/s"), not the adjective."""
    return [m.group(1).lower() for m in _HOW_ADJ.finditer(question)]


# Terms naming what is asked ("GPU hours", "溢出供应", "单价") weigh this much more than the rest.
FOCUS_BOOST = 2.0


def mark_focus(terms: list[Term], focus: str) -> list[Term]:
    """Mark the terms found in the focus phrase and raise their weight."""
    if not focus.strip():
        return terms
    text = MatchText(focus)
    return [
        t.model_copy(update={"focus": True, "weight": t.weight * FOCUS_BOOST}) if text.has(t) else t
        for t in terms
    ]


def asked_kind(question: str) -> tuple[str, AskedKind | None]:
    """The focus phrase of a question and the kind of figure it asks for (None: not a quantity question)."""
    q = question.strip()
    # a time the question gives ("after 18 months", "in 2025") is not what it asks for
    for f in reversed(parse_figures(q)):
        if f.unit in DURATION_UNITS or f.unit == "date":
            q = q[: f.start] + " " * (f.end - f.start) + q[f.end :]
    low = q.lower()
    if m := _MODEL_SIZE.search(q):
        return m.group(0).strip(), kind("param")  # a model's size is its parameter count
    if m := _TEXT_LENGTH.search(q):
        return "", kind("token")  # a prompt's length is counted in tokens (whatever the text is called)
    candidates: list[str] = []
    if m := _ZH_VERB_HOW_MUCH.search(q):
        candidates.append(m["focus"])
    for rx in (_EN_HOW_ADJ, _EN_FOCUS):
        candidates += [_counted_phrase(m) for m in rx.finditer(q)]
    after = [m["focus"] for m in _ZH_AFTER.finditer(q) if m["focus"].strip()]
    candidates += after
    # "两年后是多少" asks for the value after two years, not for a duration
    named = ""
    for m in _ZH_BEFORE.finditer(q):
        focus = re.sub(r"(?:是|为|有|约|达到了?|达|到了?|了)$", "", m["focus"])
        if focus and not re.search(r"[后时]$", focus):
            candidates.append(focus)
            named = named or focus
    for focus in candidates:
        found = match_kind(focus.lower())
        if found is not None:
            return focus.strip(), found
    if not _asks_quantity(low):
        return (candidates[0].strip() if candidates else ""), None
    if _ASKS_SCORE.search(low):
        # "what did X score on MMLU in the model card": a score has no unit; a kind word elsewhere ("card") is
        # not what is asked
        return (candidates[0].strip() if candidates else ""), None
    if len(CJK_RE.findall(named)) >= 2 and not after:
        # "平均困惑度是多少" names its measure, one of no listed kind: a kind word elsewhere in the question
        # ("天工" holds 天) is not what is asked
        return named.strip(), None
    # a quantity question whose focus named no kind ("what will it cost in 3 years"): scan the clause holding
    # the question word first, then the whole question
    focus = candidates[0].strip() if candidates else ""
    for clause in re.split(r"(?<!\d)[,;，；]|[,;，；](?!\d)|\band\b", low):  # not inside "7,000,000"
        if _asks_quantity(clause.strip()) and (found := match_kind(clause)) is not None:
            return focus, found
    found = earliest_kind(low)
    if found is None and (noun := _counted_noun(q)):
        return noun, count_kind(noun)
    return focus, found


def _counted_phrase(m: re.Match[str]) -> str:
    """A focus phrase; after "how many", cut after its first plural noun ("storage nodes", not "storage nodes
    made up the cluster": a verb there is no part of what is counted), unless a "per" follows ("tokens per
    second")."""
    focus = m["focus"]
    if not m.group(0).lower().startswith("how many"):
        return focus
    if cut := _PLURAL_END.search(focus):
        return focus[: cut.end()]
    return focus


# The first plural word of a phrase (three characters or more, not ending "-ss") not followed by "per".
_PLURAL_END = re.compile(r"\b[A-Za-z0-9][\w-]*[A-Ra-rT-Zt-z0-9]s\b(?!\s+per\b)(?=\s)")


# "how many separate web pages does ...": the phrase's last word before the verb is its noun
_HOW_MANY_NOUN = re.compile(
    r"\bhow\s+many\s+(?:[a-z][a-z-]*\s+){0,2}?([a-z][a-z-]{2,})"
    rf"(?=\s+{AUX}\b|\s*[?,.]|$)",
    re.IGNORECASE,
)
_HOW_MANY_WORD = re.compile(r"\bhow\s+many\s+([a-z][a-z-]{2,})\b", re.IGNORECASE)
_ZH_HOW_MANY_NOUN = re.compile(
    rf"(?:多少|{HOW_FEW})(?:个|名|位|家|张|块|台|种|项|条)?([\u4e00-\u9fff]{{1,4}}?)(?=[？?，,。]|$)"
)


def _counted_noun(question: str) -> str:
    """The noun a "how many" question counts ("experts", "层"), or "" when it counts none."""
    m = (
        _HOW_MANY_NOUN.search(question)
        or _HOW_MANY_WORD.search(question)
        or _ZH_HOW_MANY_NOUN.search(question)
    )
    noun = m.group(1).lower() if m else ""
    return "" if noun in QUESTION_WORDS or noun in _NOT_NOUNS else noun  # "how many did Llama 3 use"


# Words after "how many" that are no counted noun (besides the question words).
_NOT_NOUNS = frozenset(
    {"of", "more", "times", "the", "these", "those", "them", "they", "other", "such", "in"}
)


_QUANTITY = re.compile(
    r"how\s+(?:many|much|long|fast|large|big|high|huge|small|low)\b|多少|几(?!乎)|多大|多高|多快|多久|what\s+(?:is|was|are|were)\s+the\s+\w+|"
    r"what\s+(?:does|did|do|will|would)\b|^when\b|\bwhen\s+(?:did|was|were|will)\b|何时|什么时候|哪一?年"
)


# A question whose answer is a figure: a score or a measured value asked by name ("what is its C-Eval score",
# "得了几分"), a count or a size ("how many", "有多大").
_WANTS_FIGURE = re.compile(
    r"\bscor(?:e|ed|es)\b|\baccuracy\b|\bhow\s+(?:many|much|big|large|long)\b|得分|分数|几分|准确率|精度|多少|"
    r"几[个分张倍层次天年]|多大|多长|多高|多快|多久",
    re.IGNORECASE,
)


_ASKS_SCORE = re.compile(r"\bscor(?:e|ed|es|ing)\b|\baccuracy\b|得分|分数|几分|多少分|准确率", re.IGNORECASE)


def _asks_quantity(low: str) -> bool:
    return bool(_QUANTITY.search(low))


def question_parts(analysis: QuestionAnalysis, retriever: Retriever | None = None) -> list[QuestionAnalysis]:
    """The parts of a question that asks for two (or more) figures (see ``assistant.ask.parts``)."""
    from assistant.ask.parts import question_parts as parts

    return parts(analysis, retriever)
