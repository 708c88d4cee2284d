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

from assistant.text import CJK

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
    zh = bool(re.search(f"[{CJK}]", question))
    frag = _fragment(question, zh)
    if not frag:
        return None
    text = previous
    changed = False
    sizes = list(SIZE.finditer(frag))
    if sizes:
        new_size = sizes[0].group().replace(" ", "")
        old = next(SIZE.finditer(previous), None)
        if old is not None:
            text = previous[: old.start()] + new_size + previous[old.end() :]
        elif subject and (at := previous.find(subject[0])) >= 0:
            end = at + len(subject[0])
            text = previous[:end] + " " + new_size + previous[end:]
        else:
            return None
        frag = (frag[: sizes[0].start()] + frag[sizes[0].end() :]).strip(" 的")
        changed = True
    for group in ROLES:
        new_word = _word_of(group, frag)
        if new_word is None:
            continue
        shown = _cased(new_word, frag)
        old_word = next((w for w in group if w != new_word and _find(text, w) is not None), None)
        if old_word is not None:
            m = _find(text, old_word)
            assert m is not None
            text = text[: m.start()] + shown + text[m.end() :]
        elif group is _VARIANTS and subject and (at := text.find(subject[0])) >= 0:
            end = at + len(subject[0])
            text = text[:end] + "-" + shown + text[end:]
        else:
            continue
        frag = _remove(frag, new_word)
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
    if re.search(f"[{CJK}]", word):
        return re.search(re.escape(word), text)
    return re.search(r"(?<![A-Za-z0-9])" + re.escape(word) + r"(?![A-Za-z0-9])", text, re.I)


def _word_of(group: tuple[str, ...], frag: str) -> str | None:
    hits = [(m.start(), w) for w in group if (m := _find(frag, w)) is not None]
    return min(hits)[1] if hits else None


def _remove(frag: str, word: str) -> str:
    m = _find(frag, word)
    return (frag[: m.start()] + frag[m.end() :]).strip() if m else frag


def _cased(word: str, like: str) -> str:
    """``word`` written as the text it comes from writes it ("Air" from "Air 版本", "medium" in lower case)."""
    m = _find(like, word)
    return m.group() if m else word


def _contained(rest: str, text: str) -> bool:
    low = text.lower()
    parts = re.findall(rf"[A-Za-z0-9][\w.\-]*|[{CJK}]+", rest.lower())
    return all(p in low for p in parts)


def _with_qualifier(text: str, rest: str, zh: bool) -> str:
    """The qualifier kept beside the question it narrows: "…是多少？（峰值时）", "…?, at 4 bits"."""
    body = text.rstrip(" ？?")
    return f"{body}（{rest}）？" if zh else f"{body} ({rest})?"
