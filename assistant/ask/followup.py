"""Follow-up questions: read a question in the light of the conversation's earlier turns.

    resolve("它的激活参数呢？", [Turn(question="Kimi K2 模型的总参数量是多少？", answer="…1 万亿…")])
    -> "Kimi K2的激活参数是多少？"

A follow-up leaves out what the previous turn said: its subject ("它", "it", "And Qwen3?" keeps the quantity and
swaps the subject), its quantity ("它的激活参数呢？" keeps the subject and swaps the quantity), or its figures
("如果用 30 天呢？", "按这个价格…", "what would that cost?"). The reading is rebuilt from the structure of the previous
question (its names outside the asked-for phrase are its subject, the asked-for phrase and kind are its quantity,
its parsed figures are its inputs) and the figures of the previous answer, never from a list of entities. A
question that stands on its own (its own subject and quantity, no pronoun) is left exactly as it is.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from pydantic import BaseModel, Field

from assistant.ask.analyze import AUX, KINDS, AskedKind, asked_kind, kind, match_kind
from assistant.ask.terms import names_in
from assistant.ask.turns import MAX_ANSWER_CHARS, MAX_TURNS, Turn, parse_history
from assistant.ask.variants import is_variant, vary
from assistant.text import CJK, CJK_RE
from tools.figures import Figure, parse_figures
from tools.units import DURATION_UNITS, MONEY_UNITS, dimension

__all__ = ["MAX_ANSWER_CHARS", "MAX_TURNS", "Turn", "parse_history", "resolve"]

# Only the latest turns shape a reading; older ones were already folded into them.
USED_TURNS = 6

# A pronoun standing for the previous subject (a model, a company, a chip).
_ZH_SUBJECT_PRONOUN = re.compile(r"它们|它|(?<![尤极与])其(?![他它中余实次])|该模型|这个模型|此模型|这款模型")
_EN_SUBJECT_PRONOUN = re.compile(r"\b(?:its|their|it|they|them|this model|that model|this one|that one)\b", re.I)
# "of them" / "其中": a part of the previous quantity ("how many of them are activated").
_ZH_PART = re.compile(r"其中的?")
_EN_PART = re.compile(r"\bof (?:them|these|those|it)\b", re.I)
# "how many" with no counted noun before its verb counts what the previous question counted ("And how many are
# active per token?"): read like "how many of them".
# The word that makes a previous quantity a whole ("total parameters", "总参数"), left out when a part is asked.
_WHOLE = re.compile(r"^\s*(?:(?:total|overall|entire|whole)\s+|总)", re.I)
_EN_UNCOUNTED = re.compile(rf"\bhow\s+(?:many|much)\b(?=\s+{AUX}\b)", re.I)
# A demonstrative standing for a figure: "that", "这个价格", "这些".
_ZH_DEMONSTRATIVE = re.compile(rf"(?:这个|这些|那个|那些|上述|同样的?|这一|该|此|这|那)(?P<noun>[{CJK}]{{0,4}})")
_EN_DEMONSTRATIVE = re.compile(r"\b(?:the same|that same|this|that|these|those)\b(?:\s+(?P<noun>[a-z]+))?", re.I)
# The elliptical shapes: "Qwen3 呢？", "And Qwen3?", "What about Llama 4?"
_ZH_ELLIPSIS = re.compile(r"呢\s*[？?]?\s*$")
_EN_ELLIPSIS = re.compile(
    r"(?:^|[,;]\s*)(?:and|also|then|so|what about|how about|and what about|and for|same for|what of)\b", re.I
)
_EN_LEAD = re.compile(r"^\s*(?:and|also|then|so)?\s*(?:what about|how about|for)?\s*", re.I)
_ZH_LEAD = re.compile(r"^\s*(?:那么|那|还有|另外|再问一下|再看)\s*[，,]?\s*")
_WHAT_IF = re.compile(r"\s*(?:and\s+)?what\s+if\b", re.I)
_HOW_MUCH = re.compile(r"how\s+(?:many|much|long)|多少|几|多大|多久|多长", re.I)
_EN_QUESTION_WORD = re.compile(r"^\s*(?:how|what|which|who|when|where|why|is|are|was|were|does|did|do|can|will)\b", re.I)
_ZH_QUESTION_WORD = re.compile(r"多少|几|什么|哪|吗|如何|怎么|多大|多久|多长")


class _Frame(BaseModel):
    """What a resolved earlier question asked: its subject names, asked phrase and kind, its figures."""

    question: str
    subject: list[str]
    phrase: str = Field("", description="The first subject name with the possessive phrase it heads.")
    focus: str
    asked: AskedKind | None
    figures: list[Figure]
    answer_figures: list[Figure]

    @classmethod
    def of(cls, question: str, answer: str) -> _Frame:
        focus, asked = asked_kind(question)
        # with no name outside the asked phrase, the names inside it are its subject ("the daily cost of
        # DeepSeek's inference service", "Phi-3-mini's MMLU score")
        subject = _subject_names(question, focus) or _grammar_subject(question, focus) or names_in(focus)
        return cls(
            question=question,
            subject=subject,
            phrase=_subject_phrase(question, subject[0]) if subject else "",
            focus=focus,
            asked=asked,
            figures=parse_figures(question),
            answer_figures=parse_figures(_strip_markers(answer)),
        )


def resolve(question: str, history: Sequence[Turn]) -> str:
    """The question as it reads on its own, given the earlier turns (unchanged when it already stands alone)."""
    frame: _Frame | None = None
    for turn in history[-USED_TURNS:]:
        frame = _Frame.of(_resolve_one(turn.question, frame), turn.answer)
    return _resolve_one(question, frame)


def _resolve_one(question: str, prev: _Frame | None) -> str:
    q = question.strip()
    if prev is None or not q:
        return question
    zh = bool(CJK_RE.search(q))
    elliptical = bool(_ZH_ELLIPSIS.search(q) or _EN_ELLIPSIS.search(q))
    # "按这个价格算…" names the figure it reuses, not what it asks: that phrase does not decide the asked kind
    focus, asked = asked_kind(_without_figure_references(q, prev, zh))
    # without an asked kind the "focus" is only the words after "what": the names there are the subject
    names = [n for n in _subject_names(q, focus if asked is not None else "") if not is_variant(n)]
    figures = parse_figures(q)

    # new inputs to the previous question's computation: "如果用 30 天呢？", "And at $3 per GPU hour?"
    if elliptical or (asked is None and not names):
        swapped = _swap_figures(prev, [_unhedged(q, f) for f in figures])
        if swapped is not None:
            return swapped
    # a new subject for the previous quantity: "And Qwen3?", "Llama 3 呢？", "How many did Llama 3 use?"
    if names and asked is None and (elliptical or _HOW_MUCH.search(q)) and prev.asked is not None:
        return _swap_subject(prev, names, zh)
    # one part of the previous question changed: "那 70B 的呢？", "And the medium one?", "峰值的时候呢？"
    if not names and asked is None and _fragmentary(q, elliptical):
        varied = vary(q, prev.question, prev.subject)
        if varied is not None:
            return varied
    # the previous subject, a new quantity or computation: "它的激活参数呢？", "How many weeks did it take?"
    # a possessive names the previous subject even beside other names ("its price in R1 terms"); a bare "it"
    # may be a dummy ("how much did it cost to train X")
    possessive = re.search(r"它的|其|\b(?:its|their)\b", q, re.I) is not None
    if (not names or possessive) and prev.subject:
        carried = _carry_subject(q, prev, asked, elliptical, zh)
        if carried is not None:
            return _with_figures(carried, prev, asked, names)
    return _with_figures(q, prev, asked, names)


def _fragmentary(q: str, elliptical: bool) -> bool:
    """A fragment that changes a condition or a variant ("What if …", "那 Air 版本呢？"), not a question of its own."""
    if _HOW_MUCH.search(q) or _ZH_QUESTION_WORD.search(q) or _ZH_SUBJECT_PRONOUN.search(q):
        return False
    what_if = _WHAT_IF.match(q) is not None
    if _EN_SUBJECT_PRONOUN.search(q) and not what_if:
        return False
    if match_kind(q.lower()) is not None:
        return False  # a quantity of its own ("它的激活参数呢？"): the previous subject is carried instead
    return elliptical or what_if


def _subject_names(question: str, focus: str) -> list[str]:
    """Names of the question outside its asked-for phrase: in "how many H800 GPUs did MiniMax-M1 use" the
    subject is MiniMax-M1, and H800 is part of what is counted."""
    return [n for n in dict.fromkeys(names_in(question)) if n not in focus]


_EN_CLAUSE_SUBJECT = re.compile(
    r"\b(?:did|does|do|was|were|is|are|has|have|had)\s+(?P<s>[^?,;]{2,40}?)\s+[a-z-]+(?:\s+(?:on|in|for|with|to|at))?"
    r"\s*\?\s*$",
    re.I,
)
_ZH_TOPIC = re.compile(r"^\s*(?P<s>[^，。？?！,;；的]{2,12}?)\s*的")


def _grammar_subject(question: str, focus: str) -> list[str]:
    """A subject that is no name, from the sentence's shape: "how many GPUs did **the cluster** use?",
    "**中国智算中心**的租金是多少？" (the topic before the first 的)."""
    m = _EN_CLAUSE_SUBJECT.search(question) or _ZH_TOPIC.search(question)
    if m is None:
        return []
    subject = m.group("s").strip()
    if not subject or (focus and subject in focus) or _ZH_QUESTION_WORD.search(subject):
        return []
    return [subject]


# Where a subject's phrase ends: a verb or a function word ("MiniMax-M1's reinforcement learning | use").
_EN_PHRASE_END = re.compile(
    r"\b(?:use|used|uses|take|took|takes|need|needed|have|has|had|cost|costs|run|reach|require|consume|is|was|are|"
    r"were|be|been|on|in|at|for|with|to|of|and|or|by|from|than|compared)\b|[?,;.]"
)
_ZH_PHRASE_END = re.compile(r"[用耗花需有是为达共一总多几在和与比，。？?、,]")


def _subject_phrase(question: str, name: str) -> str:
    """A name with the possessive phrase it heads: "MiniMax-M1's reinforcement learning", "MiniMax-M1 的强化学习训练"."""
    at = question.find(name)
    if at < 0:
        return name
    rest = question[at + len(name) :]
    m = re.match(r"(?:'s|’s)\s+", rest) or re.match(rf"\s*的(?=[{CJK}])", rest)
    if m is None:
        return name
    tail = rest[m.end() :]
    end = (_ZH_PHRASE_END if "的" in m.group() else _EN_PHRASE_END).search(tail)
    words = tail[: end.start() if end else 0].strip()
    if not words or len(words) > 30:
        return name
    return question[at : at + len(name) + m.end()] + words


def _strip_markers(text: str) -> str:
    return re.sub(r"\[\d+(?:\s*[,，、]\s*\d+)*\]", " ", text)


def _family(unit: str | None) -> str | None:
    """What a figure's unit can be swapped with: money for money, a span of time for a span of time, a unit of one
    dimension for another of it ("30 MW" for "1.2 GW")."""
    if unit is None:
        return None
    if unit in MONEY_UNITS or unit.startswith(tuple(f"{u}_" for u in MONEY_UNITS)):
        return "usd"
    if unit in DURATION_UNITS:
        return "hour"
    dim = dimension(unit)
    return dim[0] if dim else unit


def _swap_figures(prev: _Frame, figures: list[Figure]) -> str | None:
    """The previous question with its figures replaced by the new ones of the same unit family (None: none fit)."""
    if not figures or not prev.figures:
        return None
    text = prev.question
    used: set[int] = set()
    replacements: list[tuple[Figure, Figure]] = []
    for new in figures:
        fam = _family(new.unit)
        if fam is None:
            continue
        # the same unit first, then the same family ("$3 per GPU hour" for "$2.50 per GPU hour")
        candidates = sorted(
            (i for i, old in enumerate(prev.figures) if i not in used and _family(old.unit) == fam),
            key=lambda i: prev.figures[i].unit != new.unit,
        )
        if candidates:
            used.add(candidates[0])
            replacements.append((prev.figures[candidates[0]], new))
    if not replacements:
        return None
    for old, new in sorted(replacements, key=lambda r: -r[0].start):
        text = text[: old.start] + new.text + text[old.end :]
    return text


def _unhedged(q: str, fig: Figure) -> Figure:
    """The figure without the "about" of "what about 20%": that is the question's shape, not a hedge."""
    m = re.match(r"(?:about|around)\s+", fig.text, re.I)
    if m and re.search(r"\b(?:what|how)\s*$", q[: fig.start], re.I):
        return fig.model_copy(update={"text": fig.text[m.end() :], "hedge": None})
    return fig


def _swap_subject(prev: _Frame, names: list[str], zh: bool) -> str:
    """The previous question about the new subject."""
    new = " ".join(names)
    if prev.subject:
        old = prev.subject[0]
        return re.sub(r"(?<![A-Za-z0-9])" + re.escape(old) + r"(?![A-Za-z0-9])", lambda _: new, prev.question)
    phrase = prev.focus or (prev.asked.name if prev.asked else "")
    return f"{new}的{phrase}是多少？" if zh else f"What is {new}'s {phrase}?"


def _carry_subject(q: str, prev: _Frame, asked: AskedKind | None, elliptical: bool, zh: bool) -> str | None:
    """The question with the previous subject put where its pronoun (or nothing) stands."""
    subject = " ".join(prev.subject)
    part = (_ZH_PART if zh else _EN_PART).search(q)
    uncounted = None if zh or part is not None else _EN_UNCOUNTED.search(q)
    pronoun = (_ZH_SUBJECT_PRONOUN if zh else _EN_SUBJECT_PRONOUN).search(q)
    if (part is not None or uncounted is not None) and prev.focus:
        # "how many of them are activated" -> "how many of Kimi K2's total parameters are activated"
        if subject in prev.focus:
            return None  # "the total parameter count of MiniMax-M1": the figure it gave stands for "them"
        # the part is asked, not the whole: "total" would make the total's figure the answer
        counted = _WHOLE.sub("", prev.focus) or prev.focus
        whole = f"{subject}的{counted}中" if zh else f"of {subject}'s {counted}"
        if part is not None:
            q = q[: part.start()] + whole + q[part.end() :]
        elif uncounted is not None:
            q = q[: uncounted.end()] + " " + whole + q[uncounted.end() :]
        asked = asked or prev.asked
    elif pronoun is not None:
        word = pronoun.group().lower()
        # "its X" / "它的X" names its own part; a bare "it" / "它" stands for the whole phrase
        possessive = word in ("its", "their") or q[pronoun.end() :].lstrip().startswith("的")
        repl = f"{subject}'s" if word in ("its", "their") else subject if possessive else prev.phrase or subject
        q = q[: pronoun.start()] + repl + q[pronoun.end() :]
    elif elliptical or _bare(q):
        q = _ZH_LEAD.sub("", q) if zh else q
        q = f"{subject} {q}" if zh else q
        if not zh:
            rest = _EN_LEAD.sub("", q).rstrip(" ?")
            q = f"What is {subject}'s {rest}?"
    else:
        return None
    if zh:
        q = _ZH_LEAD.sub("", q)
        if _ZH_ELLIPSIS.search(q) and not _ZH_QUESTION_WORD.search(q):
            q = _ZH_ELLIPSIS.sub("", q).rstrip() + "是多少？"
    elif _EN_QUESTION_WORD.search(rest := _EN_LEAD.sub("", q)):
        q = rest[:1].upper() + rest[1:]  # "And how many of them …" reads "How many of … …"
    elif _EN_ELLIPSIS.search(q) or not _EN_QUESTION_WORD.search(q):
        q = f"What is {rest.rstrip(' ?')}?"
    return q


def _bare(q: str) -> bool:
    """A short question naming nothing but what it asks: "用了几周？", "How long did training take?"."""
    words = re.findall(rf"[A-Za-z][A-Za-z'-]*|[{CJK}]", q)
    return len(words) <= (8 if CJK_RE.search(q) else 6)


def _with_figures(q: str, prev: _Frame, asked: AskedKind | None, names: list[str]) -> str:
    """Demonstratives standing for a figure replaced by it: "按这个价格" -> "按每 GPU 小时 2 美元",
    "what would that cost" -> "what would 39.3M GPU hours cost"."""
    zh = bool(CJK_RE.search(q))
    for m in (_ZH_DEMONSTRATIVE if zh else _EN_DEMONSTRATIVE).finditer(q):
        noun = (m.group("noun") or "").lower()
        noun_kind, length = _kind_of(noun)
        if noun_kind is not None and (fig := _figure_of(prev, noun_kind)) is not None:
            return q[: m.start()] + fig.text + q[m.start("noun") + length :]
        bare = not names and _stands_for_figure(m, zh) and prev.asked is not None and asked != prev.asked
        if bare and (fig := _figure_of(prev, prev.asked)) is not None:
            return q[: m.start()] + fig.text + q[m.start() + _demonstrative_length(m.group(), zh) :]
    return q


def _without_figure_references(q: str, prev: _Frame, zh: bool) -> str:
    """The question without "这个价格" / "that price" where the previous turn has such a figure to stand for."""
    out = q
    for m in reversed(list((_ZH_DEMONSTRATIVE if zh else _EN_DEMONSTRATIVE).finditer(q))):
        noun_kind, length = _kind_of((m.group("noun") or "").lower())
        if noun_kind is not None and _figure_of(prev, noun_kind) is not None:
            out = out[: m.start()] + " " + out[m.start("noun") + length :]
    return out


def _kind_of(noun: str) -> tuple[AskedKind | None, int]:
    """The kind of figure a noun after a demonstrative names, and how much of the noun names it ("价格算" -> 2)."""
    for n in range(1, len(noun) + 1) if CJK_RE.search(noun) else (len(noun),):
        for k in KINDS:
            if noun[:n] and re.search(k.pattern, noun[:n]):
                return k, n
    return None, 0


def _demonstrative_length(text: str, zh: bool) -> int:
    if zh:
        m = re.match(r"这个|这些|那个|那些|这|那", text)
        return len(m.group()) if m else len(text)
    return len(text.split()[0])


def _stands_for_figure(m: re.Match[str], zh: bool) -> bool:
    """A bare demonstrative as a figure ("what would that cost", "这需要多少钱"), not "this year" or "that model"."""
    noun = (m.group("noun") or "").lower()
    if zh:
        return bool(re.match(r"这些?|那些?", m.group())) and not re.match(r"[个款家种年月天次位]", noun)
    word = m.group().split()[0].lower()
    return word in ("that", "this", "these", "those") and not re.match(
        r"(?:model|one|year|month|week|day|company|lab|chip|paper|report|article|version)", noun
    )


def _figure_of(prev: _Frame, wanted: AskedKind | None) -> Figure | None:
    """The previous turn's figure of the wanted kind: what the answer found first, then what the question gave.
    A rate beats a total for a price ("这个价格" is per hour)."""
    if wanted is None:
        return None
    pool = [f for f in (*prev.answer_figures, *prev.figures) if f.unit in wanted.units]
    if not pool:
        return None
    pool.sort(key=lambda f: "_per_" not in (f.unit or "") if wanted is kind("money") else False)
    return pool[0]
