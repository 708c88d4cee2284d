"""What surrounds a candidate answer and decides how it is read: the caption of its table, its row's label,
the language it is written in, and the question's names it cannot show.

A table's caption often says what its cells measure ("inference speed (tokens/s) under different batch sizes");
a row labelled with the question's own words is the row asked about, beside its variants; a sentence's language
is read from its own words, not from its passage (a Chinese sentence in a README full of English links); and a
name written only in the question's script ("Inspur" beside a Chinese README that says 浪潮) is not required of
a document that cannot write it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from assistant.ask.matching import MatchText
from assistant.ask.spans import Span, cells, demark
from assistant.ask.terms import Term, compact
from assistant.models import Passage
from assistant.text import CJK_RE, detect_language
from tools.figures import Figure

# A row whose label is this much the question's own words is the row asked about, beside its variants.
LABEL_COVER = 0.85
# The end of a table's caption read as its rows' context.
MAX_CAPTION = 300
# Prose this long at least decides a passage's language.
MIN_PROSE = 40
# Across languages, names with no form in the passage's script may be this share of the name weight at most.
FOREIGN_SHARE = 0.4


def label_is_asked(text: str, sp: Span, terms: Sequence[Term]) -> bool:
    """Whether a row's label (its first cell) is made of the question's own words, with little else."""
    first = next(((a, b) for a, b in cells(text, sp.start, sp.end) if b > a), None)
    if first is None:
        return False
    label = compact(demark(text[first[0] : first[1]]))
    if not label:
        return False
    covered = [False] * len(label)
    for t in terms:
        for f in {compact(x) for x in t.forms}:
            i = label.find(f) if f else -1
            while i >= 0:
                covered[i : i + len(f)] = [True] * len(f)
                i = label.find(f, i + 1)
    return sum(covered) >= LABEL_COVER * len(label)


def label_names(text: str, sp: Span, names: Sequence[Term]) -> float:
    """Weighted share of the question's names a row's own label (its first cell) writes: of two rows of one table,
    "| Orion-14B-Chat-Int4 |" says more of "the Int4 version of Orion-14B-Chat" than "| Orion-14B-Chat (BF16) |"."""
    total = sum(t.weight for t in names)
    first = next(((a, b) for a, b in cells(text, sp.start, sp.end) if b > a), None)
    if total <= 0 or first is None:
        return 0.0
    label = MatchText(demark(text[first[0] : first[1]]))
    return sum(t.weight for t in names if label.has(t)) / total


def labels_left_out(text: str, spans: Sequence[Span], names: Sequence[Term]) -> list[float]:
    """For each span, the share of the question's names (``label_names``) its table's best-labelled row writes and
    its own label does not (0 for sentences and for a table whose rows all write the same)."""
    out = [0.0] * len(spans)
    if not names:
        return out
    shares = {j: label_names(text, sp, names) for j, sp in enumerate(spans) if sp.kind == "row"}
    best: dict[tuple[int, int] | None, float] = {}
    for j, share in shares.items():
        best[spans[j].head] = max(best.get(spans[j].head, 0.0), share)
    for j, share in shares.items():
        if spans[j].head is not None:
            out[j] = best[spans[j].head] - share
    return out


def captions(text: str, spans: Sequence[Span]) -> list[str]:
    """For each table row, the table's caption: the sentence right above its header row, which often says what
    the cells measure ("... inference speed (tokens/s) under different batch sizes"); "" for other spans."""
    out = [""] * len(spans)
    ends = {sp.end: k for k, sp in enumerate(spans) if sp.kind == "sentence"}
    for j, sp in enumerate(spans):
        if sp.kind != "row" or sp.head is None:
            continue
        before = text[: sp.head[0]].rstrip()
        k = ends.get(len(before))
        if k is None or before.endswith("|") or text[spans[k].start : spans[k].start + 1] == "#":
            continue
        out[j] = text[spans[k].start : spans[k].end][-MAX_CAPTION:]
    return out


def crosses(span: str, question_cjk: bool, passage_cross: bool) -> bool:
    """Whether a span is written in the other language than the question: by its own words when it has enough
    of them (a Chinese sentence in a README full of English links), else as its passage is."""
    if len(span) < MIN_PROSE or span.lstrip().startswith("|"):
        return passage_cross
    lang = detect_language(span)
    return lang in ("zh", "en") and (lang == "zh") != question_cjk


def prose(text: str) -> str:
    """``text`` without its Markdown table lines (a table of figures and model names says little of the passage's
    language), unless it is nothing but a table."""
    lines = [x for x in text.splitlines() if not x.lstrip().startswith("|")]
    rest = "\n".join(lines)
    return rest if len(rest.strip()) >= MIN_PROSE else text


def foreign_names(
    name_at: dict[str, int | None],
    names: Sequence[Term],
    passage: Passage,
    whole: Callable[[str], MatchText | None],
    written_in: Callable[[Term, str], bool],
    *,
    lang: str,
) -> None:
    """Across languages, a name written only in the question's script ("Inspur" beside a Chinese README that says
    浪潮) cannot be looked for in a document of the other script. When no document of the passage's language
    writes it (names such as "MMLU" are written as they are in both languages, and then their absence counts)
    and the other names, holding most of the name weight, are there, it is not counted as missing."""
    cjk = lang == "zh"
    missing = [t for t in names if name_at[t.text] is None]
    foreign = [t for t in missing if not any(bool(CJK_RE.search(f)) == cjk for f in t.forms)]
    total = sum(t.weight for t in names)
    if not foreign or len(foreign) < len(missing):
        return
    # a product id the passage writes ("Qwen-Max") is written alike in both languages and says what is meant; the
    # maker's plain name beside it ("Alibaba Cloud") is what a document of the other language writes its own way
    anchored = any(name_at[t.text] is not None and is_product_id(t.label or t.text) for t in names) and all(
        _PLAIN_WORDS.fullmatch(t.label or t.text) for t in foreign
    )
    if sum(t.weight for t in foreign) > FOREIGN_SHARE * total and not anchored:
        return
    text = whole(passage.document.id)
    if text is None:  # without the document the name stays missing
        return
    if any(text.has(t) or written_in(t, lang) for t in foreign):
        return
    for t in foreign:
        name_at[t.text] = -1


# A name of plain words only, no digit nor hyphen ("Alibaba Cloud", not "Llama 4").
_PLAIN_WORDS = re.compile(r"[A-Za-z]+(?:[ '&.][A-Za-z]+)*")
_ID_SHAPE = re.compile(r"[A-Za-z][A-Za-z0-9.]*(?:-[A-Za-z0-9.]+)+|[A-Za-z]+\d|\d[A-Za-z]")


def is_product_id(label: str) -> bool:
    """Whether a name is written as a product id ("Qwen-Max", "H100", "GLM-4.5"), not as a plain word."""
    return bool(_ID_SHAPE.search(label))


# A product id: letters and digits in one token ("MI355X", "GLM-4.5", "DeepSeek-V2", "Qwen2.5-72B").
# (Latin letters and digits only: "GLM-4.5拥有" writes the id GLM-4.5, "发布GLM-4.5" too)
_PRODUCT_ID = re.compile(
    r"(?<![A-Za-z0-9_.-])[A-Za-z][A-Za-z-]*\d[A-Za-z0-9_.-]*[A-Za-z0-9_]|(?<![A-Za-z0-9_.-])[A-Za-z][A-Za-z-]*\d(?![A-Za-z0-9_.])"
)
_LETTERS = re.compile(r"^[a-z]+")


def names_a_sibling(text: str, names: Sequence[Term], present: set[str], *, extensions: bool = True) -> bool:
    """Whether ``text`` names another member of a question's product family instead of the question's own
    ("AMD publishes 2.5 PFLOPS for MI355X" when MI300X is asked; "GLM-4.5 activates 32B" when GLM-4.5-Air is;
    "DeepSeek-R1-Zero improves ..." when DeepSeek-R1 is): an id sharing the name's leading letters (two or
    more) but not the name, while the name itself is not in the text (``present``: the question's terms found
    in it; a name found only inside a longer id, "DeepSeek-R1" in "DeepSeek-R1-Zero", is not). Without
    ``extensions``, only a member that does not extend the name counts (MI355X for MI300X, not Qwen3-235B-A22B for
    Qwen3: a family's name may be asked of its flagship)."""
    if not names:
        return False
    ids = product_ids(text)
    for t in names:
        name = compact(t.label or t.text)
        if not any(c.isdigit() for c in name):
            if extensions and t.text in present and _only_extended(text, t.label or t.text):
                return True  # "MMLU-Pro" is not "MMLU", "Gemma-Pro" not "Gemma"
            continue
        if name in ids:
            continue
        if t.text in present and not any(i != name and i.startswith(name) for i in ids):
            continue  # written in another way ("Llama 3.1"), not as a longer id
        lead = _LETTERS.match(name)
        if lead is None or len(lead.group(0)) < 2:
            continue
        if any(i != name and i[:3] == name[:3] and (extensions or not i.startswith(name)) for i in ids):
            return True
    return False


def _only_extended(text: str, label: str) -> bool:
    """Whether every mention of ``label`` in ``text`` is the start of a longer hyphenated name ("MMLU-Pro")."""
    found = list(re.finditer(rf"(?<![\w-]){re.escape(label)}(-[A-Za-z][\w]*)?(?![\w])", text, re.IGNORECASE))
    return bool(found) and all(m.group(1) for m in found)


def product_ids(text: str) -> list[str]:
    """The product ids written in ``text``, compacted ("MI355X" -> "mi355x", "GLM-4.5-Air" -> "glm4.5air")."""
    return [compact(m.group(0)).rstrip(".") for m in _PRODUCT_ID.finditer(text)]


def local_subject(text: str, start: int, reach: int) -> str:
    """The last product id written in the ``reach`` characters before ``start`` (within its paragraph): what a
    sentence naming nothing itself speaks of ("DeepSeek-R1-Zero demonstrates ... Notably, the score jumps ...")."""
    lo = max(0, start - reach)
    para = max(text.rfind("\n\n", lo, start), text.rfind("|\n", lo, start))  # nor across a table
    window = text[para + 2 if para >= 0 else lo : start]
    found = list(_PRODUCT_ID.finditer(window))
    return found[-1].group(0) if found else ""



# The parts of a sentence that may speak of different members of a family: cut at sentence marks and at "while",
# "whereas", "but" (而, 但).
_PARTS = re.compile(r"[;；。]\s*|[,，]?\s+(?:while|whereas|but)\s+|而|但", re.IGNORECASE)


def own_part(text: str, figure: Figure, names: Sequence[Term]) -> str | None:
    """When ``figure`` sits in a part of ``text`` naming another member of the question's product family and not
    the asked one, the part naming the asked one (one line, for reading its figures), else None."""
    cuts = [0, *(m.end() for m in _PARTS.finditer(text)), len(text) + 1]
    parts = [(a, b) for a, b in zip(cuts, cuts[1:], strict=False) if b > a]
    at = next(((a, b) for a, b in parts if a <= figure.start < b), None)
    if at is None or len(parts) < 2:
        return None

    def sibling(part: str) -> bool:
        present = {t.text for t in names if MatchText(part).has(t)}
        return names_a_sibling(part, names, present)

    if not sibling(text[at[0] : at[1]]):
        return None
    for a, b in parts:
        part = text[a:b]
        if (a, b) != at and not sibling(part) and all(MatchText(part).has(t) for t in names):
            return " ".join(part.split())
    return None
