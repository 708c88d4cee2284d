"""What a passage's document says about a question's subject: names a short single-subject document supplies
to each of its passages, and the Chinese subject words a document must write to be about the question's subject.

Selection (``assistant.ask.select``) asks these per passage; they read whole documents, prepared once per selection.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Sequence

from assistant.ask.matching import MatchText
from assistant.ask.terms import RARE_WEIGHT, Term
from assistant.models import Passage
from assistant.text import CJK_RE, record_key

# A short single-subject document (a model card, an article) is context for every passage of it: a name the
# question qualifies the figure with ("H100 GPU hours") may stand elsewhere in it. Longer documents and tables
# cover many subjects, so there only the passage itself counts.
DOC_CONTEXT_CHARS = 30_000
# ... but only for a name the document is about (named in its opening or repeatedly): a news article naming a company once in passing (寒武纪, Groq)
# does not make its every figure one about that company.
SUBJECT_MENTIONS = 3
# A word some document's title is made of names a subject when this rare (half the weight of a word found in a
# chunk or two: in about one chunk of fifty at most).
TITLED_WEIGHT = RARE_WEIGHT / 2
# A name in the document's opening (its heading, its first lines) is what the document is about.
LEAD_CHARS = 500


def names_in_document(
    name_at: dict[str, int | None],
    names: Sequence[Term],
    passage: Passage,
    whole: Callable[[str], MatchText | None],
    *,
    about: bool = False,
) -> None:
    """Names missing from a passage that its document supplies: in a short single-subject document, a name in
    its opening or repeated; in a document named after one of the question's names (its model card, its
    README), any mention ("EleutherAI" in the Pythia README)."""
    doc = passage.document
    if doc.kind == "csv":
        _names_in_record(name_at, names, passage, whole)
        return
    if doc.chars > DOC_CONTEXT_CHARS and not about:
        return
    text = whole(doc.id)
    if text is None:  # the passage alone is still evidence
        return
    for t in names:
        if name_at[t.text] is None and text.has(t) and (
            about or (0 <= text.find(t) < LEAD_CHARS or _mentions(text, t) >= SUBJECT_MENTIONS)
            and not about_a_sibling(text, t)
        ):
            name_at[t.text] = -1


def _names_in_record(
    name_at: dict[str, int | None],
    names: Sequence[Term],
    passage: Passage,
    whole: Callable[[str], MatchText | None],
) -> None:
    """A chunk cut from inside a long CSV record is about its record's key ("Model: Falcon-180B"), which only the
    record's first chunk writes: a name the key holds counts as the passage's own."""
    text = whole(passage.document.id)
    if text is None:
        return
    span = record_key(text.low, passage.chunk.start)
    if span is None:
        return
    key = text.part(*span)
    for t in names:
        if name_at[t.text] is None and key.has(t):
            name_at[t.text] = -1


def whole_documents(document_text: Callable[[str], str] | None) -> Callable[[str], MatchText | None]:
    """Each passage's whole document prepared for term look-up, once per document for one selection (None when
    it cannot be read)."""
    prepared: dict[str, MatchText | None] = {}

    def whole(doc_id: str) -> MatchText | None:
        if doc_id not in prepared:
            try:
                prepared[doc_id] = MatchText(document_text(doc_id)) if document_text is not None else None
            except Exception:  # without the document, the passage alone is evidence
                prepared[doc_id] = None
        return prepared[doc_id]

    return whole


def subject_words(terms: Sequence[Term]) -> list[Term]:
    """Chinese words of a question that say what it is about without being a listed name, neither what is asked
    (the focus) nor a name: about as rare as a word can be in the index ("智谱" in "智谱 2025 年的营收"), or rare and
    a word some document is named by ("百川" of "Baichuan 2 百川大模型第二代")."""
    return [
        t
        for t in terms
        if not t.name
        and not t.focus
        and (t.weight >= RARE_WEIGHT or t.titled and t.weight >= TITLED_WEIGHT)
        and len(CJK_RE.findall(t.text)) >= 2
    ]


def subject_elsewhere(
    subjects: Sequence[Term],
    passage: Passage,
    whole: Callable[[str], MatchText | None],
    written_in: Callable[[Term, str], bool],
    *,
    lang: str,
) -> bool:
    """Whether a document lacks a subject word of the question that other documents write: its figures are
    then about something else (the revenue of 海光 is no answer about 智谱, which other documents name). A
    Chinese document needs the word when any document writes it; an English one only when English documents
    write it (else it is written there in other words). A word no document writes (a tokenizer's fragment, an
    unknown company) proves nothing."""
    if lang not in ("zh", "en") or passage.document.kind == "csv":
        return False
    text = whole(passage.document.id)
    if text is None:
        return False
    return any(
        not text.has(t) and (written_in(t, "en") or lang == "zh" and written_in(t, "zh")) for t in subjects
    )


def subject_at(subjects: Sequence[Term], body: MatchText, title: str, document: MatchText | None) -> int | None:
    """Where a passage first writes a subject word of the question: -1 when its title or its document's opening
    does (the document is about it), None when neither the passage nor those do."""
    heading = MatchText(title)
    if any(heading.has(t) for t in subjects) or (
        document is not None and any(0 <= document.find(t) < LEAD_CHARS for t in subjects)
    ):
        return -1
    found = [i for t in subjects if (i := body.find(t)) >= 0]
    return min(found) if found else None


def about_a_sibling(text: MatchText, term: Term) -> bool:
    """Whether a document names a later version of ``term`` more often than ``term`` itself: the Llama 3.3
    model card mentions "Llama 3" in passing, but it is about "Llama 3.3"."""
    forms = [f for f in term.forms if f[-1:].isdigit() and f.isascii()] if term.name else []
    if not forms:
        return False
    later = sum(len(_later_version(f).findall(text.low)) for f in forms)
    return later > text.count(term)


@functools.lru_cache(maxsize=1024)
def _later_version(form: str) -> re.Pattern[str]:
    return re.compile(r"(?<![a-z0-9])" + re.escape(form) + r"\.\d")




def _mentions(text: MatchText, term: Term) -> int:
    """How often any form of ``term`` occurs in ``text`` (substring count: a cheap upper bound)."""
    return sum(text.low.count(f) for f in term.forms if f) or int(text.has(term))
