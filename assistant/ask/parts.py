"""The parts of a question asking for two figures or more, each analysed on its own.

"模型多大？用了多少 token 训练？" divides at its question marks, commas and "and" before another question word;
"A 和 B 分别得了多少分" asks its question of each name it joins.
"""

from __future__ import annotations

import re

from assistant.ask.analyze import AUX, QuestionAnalysis, analyze
from assistant.ask.matching import MatchText
from assistant.ask.terms import Term
from assistant.index.base import Retriever

# Where a question asking for two figures divides: after a question mark followed by more, at a comma or "and"
# followed by another question word.
_PART_BREAK = re.compile(
    r"(?<=[？?])\s*(?=\S)|[，,;；、]\s*(?=[^，,;；、。？?]*?(?:多少|几|什么|哪|多大|多长|多高|多快))"
    r"|[,;]\s*(?=(?:and\s+)?(?:\w+\s+){0,2}(?:how|what|which)\b)|,?\s+and\s+(?=(?:how|what|which|when)\b)",
    re.IGNORECASE,
)
_ASKS = re.compile(r"多少|几|什么|哪|多大|多长|多高|多快|多久|\b(?:how|what|which|when)\b", re.IGNORECASE)
# A piece opening with a subordinating word and not closed by a question mark sets a condition for the piece
# after it ("When Phi-3-mini runs on a phone, how many tokens per second ..."): it asks nothing itself.
# ("When was it released, and ..." asks: an auxiliary follows). The condition holds for every later piece.
_CONDITION = re.compile(
    rf"^(?:(?:when|whenever)\b(?!\s+{AUX}\b)"
    r"|(?:if|once|while|after|before)\b|当|如果|假如|若)[^?？]*$",
    re.I,
)


# A later part that names no measure of its own: a question word followed by a preposition ("how much for
# fine-tuning"), or a Chinese "again / and what about" (又是多少, 呢).
_ELLIPTIC = re.compile(
    r"\bhow\s+(?:much|many)\s+(?:for|in|on|at|with|during|after|under|when)\b|又[是要有]?(?:多少|几)|多少呢|呢[？?]?$",
    re.I,
)


# A later part counting some of what the part before it counted ("其中几个", "how many of them").
_OF_THEM = re.compile(r"其中(?:的)?\s*(?:多少|几)|\bhow\s+many\s+of\s+(?:them|these|those)\b", re.I)


def question_parts(analysis: QuestionAnalysis, retriever: Retriever | None = None) -> list[QuestionAnalysis]:
    """The parts of a question that asks for two (or more) figures, each analysed on its own ("模型多大？用了多少
    token 训练？"); ``[analysis]`` for a question asking one thing. A later part inherits the names of the parts
    before it (its subject: "...Hunyuan-Large 做全参数微调，最少要多少张卡？LoRA 微调最少又要几张？")."""
    q = analysis.question
    pieces, pos = [], 0
    for m in _PART_BREAK.finditer(q):
        pieces.append(q[pos : m.start()])
        pos = m.end()
    pieces.append(q[pos:])
    pieces = [p.strip() for p in pieces if p.strip()]
    # a piece without a question word belongs to the next one ("在 H20 上做全参数微调，最少要多少张卡")
    merged: list[tuple[str, str]] = []  # (what sets the part's scene, the whole part)
    carry = condition = ""
    for p in pieces:
        if _CONDITION.match(p):
            condition = (condition + " " + p).strip()
        elif _ASKS.search(p):
            scene = " ".join(x for x in (condition, carry) if x)
            merged.append((scene, f"{scene} {p}".strip()))
            carry = ""
        else:
            carry = (carry + " " + p).strip()
    if carry and merged:
        merged[-1] = (merged[-1][0], merged[-1][1] + " " + carry)
    if len(merged) < 2:
        return _each_name(analysis, retriever)
    parts: list[QuestionAnalysis] = []
    names: list[Term] = []
    scenes = ""
    for scene, text in merged:
        scenes = f"{scenes} {scene}"
        part = analyze(text, retriever)
        # "每个 token 会用到其中几个？" counts what the part before it counted, whatever other words it holds
        anaphoric = bool(parts) and _OF_THEM.search(text) is not None
        if (part.asked is None or anaphoric) and parts and parts[-1].asked is not None and (
            anaphoric or _ELLIPTIC.search(text)
        ):
            # "..., and how much for fine-tuning?" asks for the same kind of figure as the part before it, and for
            # the same measure ("GPU memory")
            own_words = {t.text for t in part.terms}
            measure = [t for t in parts[-1].terms if t.focus and not t.name and t.text not in own_words]
            part = part.model_copy(update={"asked": parts[-1].asked, "terms": part.terms + measure})
        own = {t.text for t in part.terms}
        inherited = [t for t in names if t.text not in own]
        if any(t.name for t in part.terms) and not _ELLIPTIC.search(text):
            # a whole question of its own about another name ("..., and what did Llama-3-8B-Instruct score?")
            # keeps only the scene set before the parts ("On the MATH benchmark"), not the other part's subject
            in_scene = MatchText(scenes)
            inherited = [t for t in inherited if in_scene.has(t)]
        # the subject a later part refers back to: names and identifying qualifiers ("the 12B model")
        names += [
            t
            for t in part.terms
            if (t.name or any(c.isdigit() for c in t.text)) and t.text not in {n.text for n in names}
        ]
        subject = " ".join(t.label or t.text for t in inherited)
        update = {"terms": part.terms + inherited, "question": f"{subject} {text}".strip()}
        parts.append(part.model_copy(update=update))
    # "How many attention heads and how many layers does Skywork-13B have?": the subject comes last, and an
    # earlier part naming nothing is about it too
    for k, part in enumerate(parts[:-1]):
        if any(t.name for t in part.terms):
            continue
        later = next((p for p in parts[k + 1 :] if any(t.name for t in p.terms)), None)
        if later is not None:
            own = {t.text for t in part.terms}
            borrowed = [t for t in later.terms if t.name and t.text not in own]
            subject = " ".join(t.label or t.text for t in borrowed)
            parts[k] = part.model_copy(
                update={"terms": part.terms + borrowed, "question": f"{subject} {part.question}".strip()}
            )
    return parts


# "GLM-4.5 和 GLM-4.5-Air 分别得了多少分", "what did A and B score, respectively": one figure for each name.
_EACH = re.compile(r"分别|各自|各是|respectively", re.IGNORECASE)
# How far after the joined names a Chinese 分别 may stand and still be said of them ("A 和 B 在 MMLU 上分别…").
EACH_REACH = 12
_JOINED = r"\s*(?:和|与|及|、|,|，|\band\b)\s*"


def _each_name(analysis: QuestionAnalysis, retriever: Retriever | None) -> list[QuestionAnalysis]:
    """One part for each of two or more names the question joins ("A 和 B 分别 …"), each asking the whole
    question of its name alone; ``[analysis]`` when the question does not ask so."""
    q = analysis.question
    names = [t for t in analysis.terms if t.name and (t.label or t.text) in q]
    if len(names) < 2:
        return [analysis]
    labels = sorted({t.label or t.text for t in names}, key=lambda x: q.find(x))
    run: list[str] = []
    for label in labels:  # the first names written one after another, joined by 和 / and
        gap = q[q.find(run[-1]) + len(run[-1]) : q.find(label)] if run else ""
        if run and re.fullmatch(_JOINED, gap):
            run.append(label)
        elif len(run) < 2:
            run = [label]
    if len(run) < 2:
        return [analysis]
    start, end = q.find(run[0]), q.find(run[-1]) + len(run[-1])
    each = _EACH.search(q, end)
    if each is None or (
        not each.group().isascii()
        and (each.start() - end > EACH_REACH or re.search(r"[，,。；;]", q[end : each.start()]) is not None)
    ):
        return [analysis]  # "把 A 和 B 混在一起的模型，X 和 Y 各是多少" asks each measure, not each name
    parts = []
    for label in run:
        text = q[:start] + label + q[end:]
        part = analyze(text, retriever)
        parts.append(part if part.asked is not None or analysis.asked is None else part.model_copy(
            update={"asked": analysis.asked}
        ))
    return parts
