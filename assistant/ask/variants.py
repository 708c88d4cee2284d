"""Follow-ups that change one part of the previous question and keep the rest.

    vary("那 70B 的呢？", "Llama 3.1 405B 训练用了多少 GPU 小时？", ["Llama 3.1"])
    -> "Llama 3.1 70B 训练用了多少 GPU 小时？"

A reporter who has just asked about one model size, variant or condition asks about the next one with a fragment:
a size ("And the 70B model?"), a variant of the same family ("And the medium one?", "那 Air 版本呢？"), or a
qualifier that takes the place of one in the question ("峰值的时候呢？" after 平均, "What if it is quantised to 4
bits?" after bf16). The fragment's part replaces the part of the previous question with the same shape (a size
for a size) or the same role (a word of the same group in ``ROLES``); a variant word with nothing to replace is
joined to the subject's name ("GLM-4.5" -> "GLM-4.5-Air"). The groups are data that sharpen the reading: a
fragment with no size and no word of a group is kept as a qualifier of the previous question, so what the user
asked about is not lost.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from assistant.text import CJK, has_cjk

__all__ = ["ROLES", "SIZE", "is_variant", "vary"]

# A model size: "70B", "1.5B", "8x7B", "405 B"; "2-13B" keeps its family number apart.
SIZE = re.compile(r"(?<![\w.])(?:\d+x)?\d+(?:\.\d+)?\s?[BMT](?![A-Za-z0-9])")
# Words that play one role in a question about a model; a fragment's word replaces the question's word of its group.
ROLES: tuple[tuple[str, ...], ...] = (
    ("平均", "峰值", "最高", "最低", "average", "mean", "peak", "maximum", "minimum", "median"),
    ("bf16", "fp16", "fp32", "fp8", "int8", "int4", "8-bit", "4-bit", "8 bits", "4 bits", "16-bit", "16 bits"),
    ("base", "chat", "instruct", "基座", "对话", "指令"),
    ("mini", "small", "medium", "large", "nano", "tiny", "lite", "air", "flash", "pro", "plus", "turbo", "max"),
)
# The variant group: a word of it with nothing to replace is joined to the subject's name.
_VARIANTS = ROLES[-1]

_ZH_LEAD = re.compile(r"^\s*(?:那么|那|还有|另外|如果是?|要是)\s*[，,]?\s*")
_EN_LEAD = re.compile(
    r"^\s*(?:and|also|then|so)?\s*(?:what about|how about|what if|and if|if|for)?\s*(?:the|a|an)?\s+", re.I
)
_ZH_TAIL = re.compile(r"(?:的)?(?:版本|模型|版)?(?:的)?(?:时候|情况)?\s*(?:呢|吗)?\s*[？?]?\s*$")
_EN_TAIL = re.compile(r"\s*(?:one|model|version|variant|size)?\s*[?.!]?\s*$", re.I)
_EN_FILLER = re.compile(r"^(?:it|they|this|that)\s+(?:is|are|was|were|gets?)\s+", re.I)


def vary(question: str, previous: str, subject: Sequence[str]) -> str | None:
    """The previous question with the part the fragment ``question`` changes replaced; None when the fragment
    names nothing to change (no size, no word of a role group, no qualifier)."""
    zh = has_cjk(question)
    frag = _fragment(question, zh)
    if not frag:
        return None
    text = previous
    changed = False
    if size := SIZE.search(frag):
        new_size = size.group().replace(" ", "")
        old = SIZE.search(previous)
        if old is not None:
            text = previous[: old.start()] + new_size + previous[old.end() :]
        elif (joined := _after_subject(previous, subject, " " + new_size)) is not None:
            text = joined
        else:
            return None
        frag = (frag[: size.start()] + frag[size.end() :]).strip(" 的")
        changed = True
    for group in ROLES:
        new = _earliest(group, frag)
        if new is None:
            continue
        old = next((m for w in group if w.lower() != new.group().lower() and (m := _find(text, w))), None)
        if old is not None:
            text = text[: old.start()] + new.group() + text[old.end() :]
        elif group is _VARIANTS and (joined := _after_subject(text, subject, "-" + new.group())) is not None:
            text = joined
        else:
            continue
        frag = (frag[: new.start()] + frag[new.end() :]).strip()
        changed = True
    rest = frag.strip(" 的,，")
    # once a part is placed, what is left is its connective ("quantised to", "的时候"); otherwise it qualifies
    if rest and not changed and not _contained(rest, text):
        text = _with_qualifier(text, rest, zh)
        changed = True
    return text if changed and text != previous else None


def is_variant(name: str) -> bool:
    """Whether a capitalised word is a variant of a family ("Turbo", "Air"), not a name of its own."""
    return name.lower() in _VARIANTS


def _fragment(question: str, zh: bool) -> str:
    q = question.strip()
    if zh:
        q = _ZH_TAIL.sub("", _ZH_LEAD.sub("", q))
    else:
        q = _EN_TAIL.sub("", _EN_LEAD.sub(" ", " " + q))
        q = _EN_FILLER.sub("", q.strip())
    return q.strip(" ,，")


def _find(text: str, word: str) -> re.Match[str] | None:
    if has_cjk(word):
        return re.search(re.escape(word), text)
    return re.search(r"(?<![A-Za-z0-9])" + re.escape(word) + r"(?![A-Za-z0-9])", text, re.I)


def _earliest(words: tuple[str, ...], text: str) -> re.Match[str] | None:
    """The first place in ``text`` where one of ``words`` stands."""
    found = [m for w in words if (m := _find(text, w)) is not None]
    return min(found, key=lambda m: m.start()) if found else None


def _after_subject(text: str, subject: Sequence[str], addition: str) -> str | None:
    """``text`` with ``addition`` joined right after the subject's name ("GLM-4.5" -> "GLM-4.5-Air")."""
    at = text.find(subject[0]) if subject else -1
    if at < 0:
        return None
    end = at + len(subject[0])
    return text[:end] + addition + text[end:]


def _contained(rest: str, text: str) -> bool:
    low = text.lower()
    parts = re.findall(rf"[A-Za-z0-9][\w.\-]*|[{CJK}]+", rest.lower())
    return all(p in low for p in parts)


def _with_qualifier(text: str, rest: str, zh: bool) -> str:
    """The qualifier kept beside the question it narrows: "…是多少？（峰值时）", "…?, at 4 bits"."""
    body = text.rstrip(" ？?")
    return f"{body}（{rest}）？" if zh else f"{body} ({rest})?"
