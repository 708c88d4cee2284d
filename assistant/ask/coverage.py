"""How much of a question a candidate covers: weighted shares of its terms and names, read per span.

A name counts where it is written in the span or before it in its passage (a heading, a title), but a table row
is not named by an earlier row's label; terms are looked for only in the script a text is written in.
"""

from __future__ import annotations

from collections.abc import Sequence

from assistant.ask.candidate import MIN_CONTENT, Scored
from assistant.ask.crossing import column_named
from assistant.ask.matching import MatchText
from assistant.ask.spans import Span
from assistant.ask.terms import Term
from assistant.text import CJK_RE

# Marks a name found in a table row or its header (in the per-span sets of terms present).
ROW_NAME = "\x00row:"


def complete_with_neighbour(
    cand: Scored, spans: Sequence[Span], present: Sequence[set[str]], j: int, terms: Sequence[Term]
) -> None:
    """Window coverage, and the quote span widened to the neighbour sentence when the sentence alone is too thin
    ("...1024张卡的任务，现在700张卡就能跑完。剩下的300张卡，就成了溢出供应。")."""
    here = present[j]
    best_gain, best = 0.0, None
    union = set(here)
    for k in (j - 1, j + 1):
        if 0 <= k < len(spans) and spans[k].kind == spans[j].kind == "sentence":
            union |= present[k]
            gain = share(terms, present[k] | here) - cand.content
            if gain > best_gain:
                best_gain, best = gain, k
    cand.window = share(terms, union)
    if cand.content < MIN_CONTENT and best is not None:
        cand.quote_start = min(cand.start, spans[best].start)
        cand.quote_end = max(cand.end, spans[best].end)


_CJK = CJK_RE
# Below this share of the question's term weight, the checkable terms are too few to judge by.
MIN_CHECKABLE = 0.4


def is_cjk(text: str) -> bool:
    return len(_CJK.findall(text)) * 3 > len(text)


def written_in_script(term: Term, *, cjk: bool) -> bool:
    return any(bool(_CJK.search(f)) == cjk or f[:1].isdigit() for f in term.forms)


def checkable(terms: Sequence[Term], *, cjk: bool) -> list[Term]:
    """The terms that can appear in a text of this script: some form in it, or a number. All terms when
    those would carry too little of the weight to judge by."""
    keep = [t for t in terms if written_in_script(t, cjk=cjk)]
    total = sum(t.weight for t in terms)
    if total and sum(t.weight for t in keep) < MIN_CHECKABLE * total:
        return list(terms)
    return keep


def first_at(body: MatchText, term: Term) -> int | None:
    i = body.find(term)
    if i >= 0:
        return i
    return 0 if body.has(term) else None


def share(terms: Sequence[Term], present: set[str]) -> float:
    """Weighted share of ``terms`` whose text is in ``present`` (1.0 when there is nothing to cover)."""
    total = sum(t.weight for t in terms)
    if total <= 0:
        return 1.0
    return sum(t.weight for t in terms if t.text in present) / total


def share_partial(
    terms: Sequence[Term], present: set[str], name_at: dict[str, int | None], sp: Span, supplied: set[str]
) -> float:
    """Coverage of all key terms; a name found only before the sentence (heading, title) counts at 70%, and
    fully when it is in the same table record or row header."""
    total = sum(t.weight for t in terms)
    if total <= 0:
        return 1.0
    got = 0.0
    for t in terms:
        if t.text in present:
            got += t.weight
        elif t.name and (at := name_at.get(t.text)) is not None and names_span(sp, at, False):
            inside = sp.head is not None and at >= sp.head[0]
            got += (1.0 if inside else 0.7) * t.weight
        elif t.text in supplied:
            got += 0.7 * t.weight  # named by its document only
    return got / total


def names_span(sp: Span, at: int | None, in_span: bool) -> bool:
    """Whether a name first written at ``at`` (-1: title or heading) is what ``sp`` is about: written in it or
    before it, but for a table row not only in an earlier row (that row's label is another record's)."""
    if in_span:
        return True
    if at is None or at >= sp.end:
        return False
    return not (sp.kind == "row" and sp.head is not None and sp.head[1] <= at < sp.start)


def terms_present(
    text: str,
    body: MatchText | None,
    spans: Sequence[Span],
    in_chunk: Sequence[Term],
    names: Sequence[Term],
    content_terms: Sequence[Term],
    name_at: dict[str, int | None],
    headings: Sequence[str],
    captions: Sequence[str],
) -> list[set[str]]:
    """For each span, the texts of the question's terms (``in_chunk``: those its passage holds) it holds: in itself, for a table row also in its header
    (what its columns measure; a name there and another in the row mark a crossing, ``ROW_NAME``), and in its
    section heading and table caption. A name first found in a column header is placed there in ``name_at``.
    ``body``: the passage's ``MatchText`` when its offsets are the text's (else each span is read on its own)."""
    present = []
    for j, sp in enumerate(spans):
        part = body.part(sp.start, sp.end) if body is not None else MatchText(text[sp.start : sp.end])
        here = {t.text for t in in_chunk if part.has(t)}
        if sp.kind == "row" and sp.head is not None:
            head = body.part(*sp.head) if body is not None else MatchText(text[sp.head[0] : sp.head[1]])
            here |= {t.text for t in in_chunk if not t.name and head.has(t)}  # a row is about its columns
            in_row = {t.text for t in names if t.text in here}
            in_head = {t.text for t in names if head.has(t) or column_named(text[sp.head[0] : sp.head[1]], t)}
            for t in names:  # a column header naming it in another order ("InternLM2-Chat-20B")
                if t.text in in_head and name_at[t.text] is None:
                    name_at[t.text] = sp.head[0]
            if in_row and in_head - in_row:  # the row names one thing and a column another: a crossing
                here |= {f"{ROW_NAME}{t}" for t in in_row | in_head}
        if headings[j] or captions[j]:
            # a list item, a row or a sentence of a headed section is about its heading (a row: and its caption)
            titled = MatchText(f"{headings[j]} {captions[j]}")
            here |= {t.text for t in content_terms if titled.has(t)}
        present.append(here)
    return present
