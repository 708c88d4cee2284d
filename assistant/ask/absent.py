"""Qualifiers a question sets that a candidate does not give at all.

``assistant.ask.qualifiers`` refuses a candidate whose own qualifier contradicts the asked one (the third quarter
for the fourth, XH-200 for XH-300). A question may also constrain its figure by something the candidate never
writes: a configuration ("SM100, EP 8 x 4"), a coded variant or setting ("FP8", "on MI300X", "TP 8"), a basis of
a rate ("per GPU", "每块 GPU"). A figure with nothing of that constraint around it is a figure of some other case
(the BF16 row, the EP 8 row, the price per share): it does not answer.

What counts as such a constraint is read from the question's shape, with no list of words:

- *coded qualifiers*: the question's names that hold a digit ("FP8", "SM100", "TP 8", "MI300X"), other than the
  focus (what is asked: "几张 H100") and the first one written with the names joined to it, which is what the
  question is about ("Yuan 2.0-2B": its model card writes it "源2.0" in its title and "2B" in a row), and configurations "N x M" with the word before them ("EP 8 x 4",
  "64 x 400G"), read whole: "EP 8" does not give "EP 8 x 4";
- *the basis of a rate*: what follows "per" / "每" in the question ("per generated image", "每块 MI450 GPU").

Where they may be given is the candidate's scope, where a qualifier is implicit: its own text; for a table row its
header and the sentence introducing the table; for a sentence the part of its paragraph before it; its section
heading; its document's title and opening (a model card names its model there). Not the rest of the document: a
model card writing FP8 in one row does not make its BF16 row an FP8 figure.

A coded qualifier is absent when its scope writes it nowhere. A basis is absent when the clause of the candidate's
figure writes another basis of the same script ("$600 per share" for "每块 GPU"), or writes none while the scope
writes none of the basis' words either.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from assistant.ask.candidate import Scored
from assistant.ask.matching import MatchText
from assistant.ask.qualifiers import clause_span, document_reader
from assistant.ask.spans import demark
from assistant.ask.terms import Term, compact
from assistant.ask.years import paragraph_before
from assistant.models import Passage
from assistant.text import CJK_RE

# A configuration: a count times a count, with the word it counts before it ("EP 8 x 4", "TP 4 x 2", "64 x 400G").
_CONFIG = re.compile(r"(?<![A-Za-z0-9])(?:([A-Za-z]{1,6})\s*)?(\d+(?:\.\d+)?)\s*[x×]\s*(\d+(?:\.\d+)?[A-Za-z]{0,3})(?![A-Za-z0-9])")
# The basis of a rate as a question writes it: "per" and up to three words, "每" and what follows up to a particle.
_PER_EN = re.compile(r"\bper\s+((?:[A-Za-z0-9][\w.-]*\s+){0,2}[A-Za-z0-9][\w.-]*)", re.I)
_PER_ZH = re.compile(r"每\s*([^，。？?；;,的\s]?\s*(?:[A-Za-z0-9][\w.-]*\s*){0,2}(?:(?!的)[\u4e00-\u9fff]){0,3})")
# Where a candidate writes a basis: "per", "每", "/" before a word, "each", "apiece", "a piece".
_BASIS_MARK = re.compile(r"(?<![A-Za-z])per(?![A-Za-z])|每|/\s*[A-Za-z\u4e00-\u9fff]|\beach\b|\bapiece\b|单价|均价", re.I)
# Words of a basis that say nothing of what it is counted by.
_BASIS_STOP = frozenset({"the", "a", "an", "of", "in", "on", "at", "for", "with", "to", "one", "each", "and", "or"})
# Measure words of Chinese (每块, 每张, 每台): they count, they name no basis.
_MEASURE = frozenset("个块张台位颗名家次的")
# The opening of a document that names what it is about (its dateline, its model).
OPENING_CHARS = 300
# A clause: where a figure's basis is read.
_CLAUSE = re.compile(r"[,，;；。:：]|\band\b|\bwhile\b")


@dataclass(frozen=True, slots=True)
class Asked:
    """The qualifiers a question sets: coded names (as terms), configurations (compact, "ep8x4") and the basis of a
    rate (its Latin words and its Chinese characters)."""

    coded: tuple[Term, ...]
    configs: tuple[str, ...]
    basis_latin: frozenset[str]
    basis_cjk: frozenset[str]

    def __bool__(self) -> bool:
        return bool(self.coded or self.configs or self.basis_latin or self.basis_cjk)


def asked_qualifiers(question: str, names: Sequence[Term]) -> Asked:
    """The qualifiers of ``question`` whose absence bars a candidate (see the module's docstring)."""
    configs = []
    spans = []
    for m in _CONFIG.finditer(question):
        configs.append(compact(m.group(0)).replace("×", "x"))
        spans.append(m.span())
    low = question.lower()
    placed = []
    for t in names:
        label = t.label or t.text
        if not any(c.isdigit() for c in label):
            continue
        at = low.find(label.lower())
        if at >= 0:
            placed.append((at, at + len(label), t))
    placed.sort(key=lambda x: x[0])
    subject: tuple[int, int] | None = None
    coded = []
    for at, end, t in placed:
        if subject is None:
            subject = (at, end)  # the first coded name is what the question is about (its parts with it)
        elif at <= subject[1] + 1:
            subject = (subject[0], max(subject[1], end))
        elif not t.focus and any(c.isalpha() for c in t.label or t.text) and not any(s <= at < e for s, e in spans):
            coded.append(t)  # ("EP 8" of "EP 8 x 4": the configuration is read whole)
    latin, cjk = _basis_words(question)
    return Asked(tuple(coded), tuple(configs), frozenset(latin), frozenset(cjk))


def _basis_words(text: str) -> tuple[set[str], set[str]]:
    """The words of every basis ``text`` writes after per/每: Latin words, and Chinese characters but measure words."""
    latin: set[str] = set()
    cjk: set[str] = set()
    for m in _PER_EN.finditer(text):
        latin |= _latin_words(m.group(1))
    for m in _PER_ZH.finditer(text):
        latin |= _latin_words(m.group(1))
        cjk |= {ch for ch in CJK_RE.findall(m.group(1)) if ch not in _MEASURE}
    return latin, cjk


def _latin_words(text: str) -> set[str]:
    return {w.lower().rstrip("s") for w in re.findall(r"[A-Za-z][A-Za-z0-9.]*", text) if w.lower() not in _BASIS_STOP}


def _config_in(config: str, scope: str) -> bool:
    """Whether the compact ``scope`` writes the configuration's counts ("8x4" of "ep8x4"), not as part of longer
    numbers."""
    counts = config.lstrip("abcdefghijklmnopqrstuvwxyz")
    return re.search(rf"(?<![0-9.]){re.escape(counts)}(?![0-9])", scope) is not None


def _table_head(before: str) -> str:
    """What qualifies a table line read as a sentence among the lines before it: the prose and the table's first
    line (its header), not the other rows, which state other cases."""
    out, in_table = [], False
    for line in before.splitlines():
        row = line.lstrip().startswith("|")
        if not row or not in_table:
            out.append(line)
        in_table = row
    return "\n".join(out)


def _written(term: Term, matched: MatchText, flat: str, *, cjk: bool) -> bool:
    """Whether a coded name is written: as a name, inside a longer token ("CO2" in "tCO2eq"), or, in a Chinese text,
    by its code."""
    return matched.has(term) or compact(term.label or term.text) in flat or (cjk and _code_in(term, flat))


def _code_in(term: Term, scope: str) -> bool:
    """Whether the compact ``scope`` writes the code of a Latin name (its part from its first digit: "2.0" of
    "Yuan 2.0"): a Chinese text writes the name's word its own way ("源2.0")."""
    label = compact(term.label or term.text)
    m = re.search(r"\d", label)
    if m is None or not label[: m.start()].isascii() or m.start() == 0:
        return False
    code = label[m.start() :]
    return re.search(rf"(?<![0-9.]){re.escape(code)}(?![0-9])", scope) is not None


def basis_verdict(asked: Asked, clause: str, scope: str) -> bool | None:
    """Whether a candidate gives the basis asked: False when its figure's ``clause`` writes another basis of the
    same script, or none while its ``scope`` writes none of the basis' words; True when it writes the asked one;
    None when no basis is asked or the clause's basis is of the other script."""
    if not (asked.basis_latin or asked.basis_cjk):
        return None
    written_latin, written_cjk = _basis_words(clause)
    if written_latin or written_cjk:
        if _overlap(asked.basis_latin, written_latin) or asked.basis_cjk & written_cjk:
            return True
        same_script = (asked.basis_latin and written_latin) or (asked.basis_cjk and written_cjk)
        return False if same_script else None
    if _BASIS_MARK.search(scope):
        return None  # a basis written as "/hr" or in the header: not read here
    cjk = bool(CJK_RE.search(clause))
    if not (asked.basis_cjk if cjk else asked.basis_latin):
        return None  # the candidate writes the other script than the basis asked: its words are not compared
    low = scope.lower()
    if any(w in low for w in asked.basis_latin) or any(ch in scope for ch in asked.basis_cjk):
        return None
    return False


def _overlap(asked: frozenset[str], written: set[str]) -> bool:
    return any(a.startswith(w) or w.startswith(a) for a in asked for w in written if min(len(a), len(w)) >= 2)


def absent_verdict(asked: Asked, own: str, clause: str, scope: Sequence[str]) -> bool:
    """Whether a candidate (its text ``own``, its figure's ``clause``) and its ``scope`` leave out a qualifier the
    question sets."""
    texts = [own, *scope]
    joined = "\n".join(t for t in texts if t)
    matched = MatchText(joined)
    flat = compact(joined).replace("×", "x")
    cjk = bool(CJK_RE.search(own))
    if any(not _written(t, matched, flat, cjk=cjk) for t in asked.coded):
        return True
    if any(not _config_in(c, flat) for c in asked.configs):
        return True
    return basis_verdict(asked, clause, joined) is False


def mark_absent_qualifiers(
    question: str,
    names: Sequence[Term],
    kept: Sequence[Scored],
    passages: Sequence[Passage],
    document_text: Callable[[str], str] | None = None,
) -> None:
    """Mark each kept candidate whose scope gives no trace of a qualifier the question sets
    (``absent_qualifier``)."""
    asked = asked_qualifiers(question, names)
    if not asked:
        return
    read = document_reader(document_text)
    for c in kept:
        passage = passages[c.passage]
        text = passage.chunk.text
        own = c.said or demark(c.text)
        at = c.figure.start if c.figure is not None and c.said else None
        doc = read(passage.document.id)
        if c.kind == "sentence":
            before = paragraph_before(text, c.start)
            if doc[passage.chunk.start : passage.chunk.end] == text:
                before = paragraph_before(doc, passage.chunk.start + c.start)
            near = [_table_head(before) if own.lstrip().startswith("|") else before]
        else:
            near = [c.header, c.caption]
        opening = doc[:OPENING_CHARS] if doc else (text[:OPENING_CHARS] if passage.chunk.start == 0 else "")
        scope = [*near, c.heading, passage.document.title, opening]
        lo, hi = clause_span(own, at, _CLAUSE) if at is not None else (0, len(own))
        clause = own[lo:hi]
        if absent_verdict(asked, own, clause, scope):
            c.absent_qualifier = True
