"""Sentence selection inside the retrieved passages.

Each sentence is scored by how much of the question's weighted key terms it covers (terms naming what is
asked count double), whether it carries a figure of the asked kind (a "how many GPU hours" question wants a
GPU-hour figure, not any number), whether the names the question is about appear in it or before it in its
passage, and its passage's retrieval score. A sentence holding the right kind of figure *and* the key terms
beats one that merely shares words.

Tables are read as tables: a CSV record's fields are scored one by one (the record's name belongs to each),
and a Markdown table row is read with its header, so "| Total | 7.38M |" under "Training Time (GPU hours)" is
a GPU-hour figure. Two passes keep this cheap: every sentence gets the term scores, and only the best few are
parsed for figures.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from assistant.ask.analyze import QuestionAnalysis
from assistant.ask.candidate import MAY_HAVE_FIGURE, MIN_CONTENT, MIN_NAMES, Scored
from assistant.ask.kinds import (
    YEAR,
    asks_per_unit,
    asks_rate,
    close,
    dated_year,
    focus_cues,
    kind_hit,
    names_a_part,
)
from assistant.ask.matching import MatchText
from assistant.ask.meaning import by_meaning
from assistant.ask.spans import (
    MAX_SENTENCE,
    Span,
    demark,
    line_lead,
    outer_heading,
    sentence_spans,
    starts_in_code,
)
from assistant.ask.spans import headings as headings_of
from assistant.ask.subjects import (
    names_in_document,
    subject_at,
    subject_elsewhere,
    subject_words,
    whole_documents,
)
from assistant.ask.surround import (
    captions,
    crosses,
    foreign_names,
    label_is_asked,
    local_subject,
    names_a_sibling,
    prose,
)
from assistant.ask.table import CROSSING_BONUS, clear_crossings, column_named, crossing_hit
from assistant.ask.terms import Term, about, relative_scores
from assistant.ask.years import asked_years, asks_part_of_year, speaks_of_year, year_context
from assistant.models import Passage
from assistant.text import CJK_RE, detect_language
from tools.figures import parse_figures

# Sentences parsed for figures in the second pass.
SECOND_PASS = 16
# ... and this many more of those lacking a name (they only explain a not-found answer).
OTHERS_PARSED = 4
# Weights of (terms, focus terms, names, figure kind, retrieval) for quantity questions, and without a kind.
WEIGHTS_QUANTITY = (0.3, 0.2, 0.15, 0.25, 0.1)
WEIGHTS_OTHER = (0.45, 0.2, 0.2, 0.0, 0.15)
# A record of a data table quoting a paper ranks just below the paper saying the same.
TABLE_PENALTY = 0.03
LONG_PENALTY = 0.05
TOTAL_BONUS = 0.02
TOTAL_ASKED_BONUS = 0.15
LABEL_BONUS = 0.03
# A table row writing a figure the question gives (the case it sets: "when the prompt is 128K tokens") is the
# record of that case.
CONDITION_BONUS = 0.1
# A passage from the document about the question's subject (its model card, its report) beats one that
# mentions it in passing.
ABOUT_BONUS = 0.05
# A sentence naming another member of the question's product family (MI355X for MI300X), and not the asked one,
# is about that member, whatever the passage named before it.
SIBLING_PENALTY = 0.1
# How far back a sentence naming no product is read as speaking of the last one named (in its paragraph).
LOCAL_REACH = 400
# A document whose title carries this share of the question's name weight is about the question's subject:
# any name the question adds may be found anywhere in it (a model's README naming its lab once).
ABOUT_SHARE = 0.35
# How far into a Chinese question its subject word may start ("海光信息…", "「英伟达」…").
LEADING_SUBJECT = 2
# The opening of a document that dates what it says when nothing nearer does (a news article's dateline).
OPENING_CHARS = 300
# Marks a name found in a table row or its header (in the per-span sets of terms present).
ROW_NAME = "\x00row:"

_COMPARATIVE = re.compile(
    r"better|worse|more|less|fewer|faster|slower|cheaper|higher|lower|larger|smaller|bigger|longer|shorter", re.I
)
_LINK = re.compile(r"\bhttps?://\S+|\bwww\.\S+", re.I)
_ASKS_TOTAL = re.compile(r"\bin total\b|\btotal\b|\baltogether\b|\bin all\b|一共|总共|合计|总计|累计", re.I)
_TOTAL_ROW = re.compile(r"\|\s*\**(?:total|sum|overall|all|合计|总计|总和|全部)\b", re.I)


def select_sentences(
    analysis: QuestionAnalysis,
    passages: Sequence[Passage],
    *,
    limit: int = 12,
    document_text: Callable[[str], str] | None = None,
    similarity: Callable[[list[str]], list[float] | None] | None = None,
    written_in: Callable[[Term, str], bool] | None = None,
) -> list[Scored]:
    """The best ``limit`` sentences of ``passages`` for the question, best first.

    ``document_text(doc_id)`` lets a name missing from a passage be found in the rest of a short document;
    ``similarity(texts)`` (the embedder's question-to-text similarity) ranks a shortlist by meaning;
    ``written_in(name, language)`` says whether any indexed document of that language writes the name.
    """
    prior = relative_scores([p.score for p in passages])
    quantity = analysis.asked is not None
    w_terms, w_focus, w_names, w_kind, w_prior = WEIGHTS_QUANTITY if quantity else WEIGHTS_OTHER
    names = [t for t in analysis.terms if t.name]
    content_terms = [t for t in analysis.terms if not t.name]
    focus_terms = [t for t in content_terms if t.focus]
    question_cjk = analysis.answer_language == "zh"
    cands: list[Scored] = []
    asks_total = bool(_ASKS_TOTAL.search(analysis.question))
    whole = whole_documents(document_text)
    # with a name, the name says what the question is about; its rare words qualify it ("4 比特量化后")
    subjects = subject_words(analysis.terms) if question_cjk and not names else []
    # the subject a Chinese question opens with ("海光信息 2024 年的净利润"): what every figure must be about
    leading = [t for t in subjects if 0 <= analysis.question.lower().find(t.text) <= LEADING_SUBJECT]
    # what is asked is the kind itself: the kind's own word ("多少美元", "what price") or no focus word at all ("how
    # large is it, in parameters"): a figure of the kind names it
    kind_words = set(analysis.asked.cues) if analysis.asked is not None else set()
    unit_focus = not focus_terms or any(f in kind_words for t in focus_terms for f in t.forms)
    years = {t.text for t in analysis.terms if YEAR.fullmatch(t.text)}
    dated = asked_years(years, analysis.question)

    def opening(doc_id: str) -> str:
        doc = whole(doc_id)
        return doc.low[:OPENING_CHARS] if doc is not None else ""
    for i, passage in enumerate(passages):
        text = passage.chunk.text
        title, path = passage.document.title, passage.document.source_path
        own = about(names, title, path)
        # a data record's web address is its source ("…/ironwood-tpu-…"), not what the record is about
        body = MatchText(_unlinked(text) if passage.document.kind == "csv" else text)
        in_chunk = [t for t in analysis.terms if body.has(t)]
        # where each name first appears in the passage (-1: in the title or path, None: nowhere)
        # (a title made from a file name writes "Llama 3.3" as "llama3 3": ``about`` reads it as that name)
        name_at = {t.text: (-1 if about([t], title, path) > 0 else _first(body, t)) for t in names}
        from_document: set[str] = set()
        if document_text is not None and any(at is None or at > 0 for at in name_at.values()):
            # a name the passage writes only after its first lines may still be what its whole document is about
            later: dict[str, int | None] = {k: None for k, at in name_at.items() if at is None or at > 0}
            names_in_document(later, [t for t in names if t.text in later], passage, whole, about=own >= ABOUT_SHARE)
            supplied = {k for k, at in later.items() if at == -1}
            # (a name the passage writes keeps its place: a table row under a header naming it is inside it)
            from_document = {k for k in supplied if name_at[k] is not None}
            name_at.update({k: -1 for k in supplied if name_at[k] is None})
        aligned = len(body.low) == len(text)
        # in a passage of the other language only the terms with a form in its script can be looked for
        lang = detect_language(prose(text))
        cross = lang in ("zh", "en") and (lang == "zh") != question_cjk
        terms_here = checkable(content_terms, cjk=_is_cjk(text))
        focus_here = [t for t in terms_here if t.focus] or focus_terms
        checkable_focus = [t for t in focus_terms if _written_in_script(t, cjk=_is_cjk(text))]
        # the focus words naming a measure ("how much better": a comparison, not what is measured)
        measured = [t for t in focus_here if not _COMPARATIVE.fullmatch(t.text)]
        spans = sentence_spans(
            text, in_code=starts_in_code(passage, document_text), lead=line_lead(passage, document_text)
        )
        if cross and document_text and written_in and None in name_at.values():
            foreign_names(name_at, names, passage, whole, written_in, lang=lang)
        # a passage whose document lacks what the question is about answers nothing of it
        elsewhere = bool(subjects) and written_in is not None and subject_elsewhere(
            subjects, passage, whole, written_in, lang=lang
        )
        # like a name, the subject is written in a sentence or before it, or the document is about it
        subject_from = subject_at(leading, body, title, whole(passage.document.id)) if leading else -1
        outer = outer_heading(passage, document_text)
        if outer:
            heading_text = MatchText(outer)
            for t in names:
                if name_at[t.text] is None and heading_text.has(t):
                    name_at[t.text] = -1  # the section the passage sits in is about this name
        headings = headings_of(text, spans, outer)
        table_captions = captions(text, spans)
        crossed = clear_crossings(
            text,
            [(sp.start, sp.end, sp.head) for sp in spans if sp.kind == "row"],
            analysis.terms,
            given=[f.value for f in analysis.figures],
        )
        present = []
        for j, sp in enumerate(spans):
            part = body.part(sp.start, sp.end) if aligned else MatchText(text[sp.start : sp.end])
            here = {t.text for t in in_chunk if part.has(t)}
            if sp.kind == "row" and sp.head is not None:
                head = body.part(*sp.head) if aligned else MatchText(text[sp.head[0] : sp.head[1]])
                here |= {t.text for t in in_chunk if not t.name and head.has(t)}  # a row is about its columns
                in_row = {t.text for t in names if t.text in here}
                in_head = {t.text for t in names if head.has(t) or column_named(text[sp.head[0] : sp.head[1]], t)}
                for t in names:  # a column header naming it in another order ("InternLM2-Chat-20B")
                    if t.text in in_head and name_at[t.text] is None:
                        name_at[t.text] = sp.head[0]
                if in_row and in_head - in_row:  # the row names one thing and a column another: a crossing
                    here |= {f"{ROW_NAME}{t}" for t in in_row | in_head}
            if headings[j] or table_captions[j]:
                # a list item, a row or a sentence of a headed section is about its heading (a row: and its caption)
                titled = MatchText(f"{headings[j]} {table_captions[j]}")
                here |= {t.text for t in content_terms if titled.has(t)}
            present.append(here)
        for j, sp in enumerate(spans):
            here = present[j]
            cand = Scored(
                passage=i,
                start=sp.start,
                end=sp.end,
                text=text[sp.start : sp.end],
                quote_start=sp.start,
                quote_end=sp.end,
                record_head=sp.head,
                kind=sp.kind,
                cross=crosses(text[sp.start : sp.end], question_cjk, cross),
            )
            if sp.kind == "row" and sp.head is not None:
                cand.header = text[sp.head[0] : sp.head[1]]
            cand.heading = headings[j]
            cand.caption = table_captions[j]
            if dated and passage.document.kind != "csv":
                cand.dating = year_context(
                    text, spans, j, (cand.heading, cand.caption, cand.header, title), opening(passage.document.id)
                )
            # (a row is about what its own table names, not what its document names elsewhere)
            supplied = from_document if sp.kind != "row" else set()
            named = {t.text for t in names if _names_span(sp, name_at[t.text], t.text in here) or t.text in supplied}
            cand.names = 0.0 if elsewhere else _share(names, named)
            if leading and not _names_span(sp, subject_from, any(t.text in here for t in leading)):
                cand.names = 0.0  # a figure of the passage before its subject is named is another's
            cand.row_named = bool(names) and all(f"{ROW_NAME}{t.text}" in here for t in names)
            cand.content = _share(terms_here, here)
            cand.focus = _share(focus_here, here)
            # what is asked is in it: every focus word, or for a question naming no measure ("what does GLM-4V-9B
            # score on OCRBench"), the two or more names that say what is measured of what
            asked_here = focus_here or (names if len(names) >= 2 else [])
            cand.holds_focus = bool(asked_here) and all(t.text in here for t in asked_here)
            cand.terms = _share_partial(analysis.terms, here, name_at, sp, supplied)
            _complete_with_neighbour(cand, spans, present, j, terms_here)
            near = here.union(*(present[k] for k in (j - 1, j + 1) if 0 <= k < len(spans)))
            cand.focus_near = not measured or any(t.text in near for t in measured)
            cand.focus_checkable = bool(checkable_focus)
            cand.unit_asked = unit_focus
            cand.quote = text[cand.quote_start : cand.quote_end]
            cand.score = (
                w_terms * cand.terms + w_focus * cand.focus + w_names * cand.names + w_prior * prior[i]
            )
            cand.score += ABOUT_BONUS * own
            # it speaks of another member of the family, itself or (naming none of the question's products)
            # through the product the lines before it name
            sibling = names_a_sibling(cand.text, names, here)
            if sibling or (
                sp.kind == "sentence"
                and not any(t.text in here for t in names if any(c.isdigit() for c in t.text))
                and names_a_sibling(local_subject(text, sp.start, LOCAL_REACH), names, set())
            ):
                cand.score -= SIBLING_PENALTY
            if sibling and sp.kind == "sentence" and names_a_sibling(cand.text, names, here, extensions=False):
                cand.names = 0.0  # a sentence naming another member, not the asked one, answers of that member
            if passage.document.kind == "csv":
                cand.score -= TABLE_PENALTY
            if sp.end - sp.start > MAX_SENTENCE:
                cand.score -= LONG_PENALTY
            if (sp.start, sp.end) in crossed:
                cand.score += CROSSING_BONUS  # a row the question names, read in a column it names
                cand.row_named = True
            if sp.kind == "row" and label_is_asked(text, sp, analysis.terms):
                cand.score += LABEL_BONUS  # "Llama 3.2 3B", not "Llama 3.2 3B SpinQuant", when that is what is asked
            if sp.kind == "row" and _TOTAL_ROW.match(cand.text):
                # a question about the whole is answered by the total, not its first part; one that says so
                # ("in total", "一共") by nothing else
                cand.score += TOTAL_ASKED_BONUS if asks_total else TOTAL_BONUS
            cands.append(cand)
    cands.sort(key=lambda c: -c.score)
    if similarity is not None:
        by_meaning(cands, passages, similarity)
    if quantity:
        assert analysis.asked is not None
        given = [f.value for f in analysis.figures]
        cues = focus_cues(analysis.terms)
        whole_asked = asks_total or not names_a_part(analysis.question, analysis.terms)
        per_asked = asks_per_unit(analysis.question)
        conditions = [f.value for f in analysis.figures if f.unit != "date" and f.value]
        # only a candidate holding every name can answer: those are parsed first, then the best of the rest
        holding = [c for c in cands if c.names >= MIN_NAMES][:SECOND_PASS]
        seen = {id(c) for c in holding}
        rest = [c for c in cands if id(c) not in seen][: SECOND_PASS - len(holding) + OTHERS_PARSED]
        parsed = holding + rest
        for cand in parsed:
            plain = demark(cand.text)
            figures = parse_figures(plain) if MAY_HAVE_FIGURE.search(plain) else []
            cand.kind_hit, cand.figure = kind_hit(
                analysis.asked,
                figures,
                plain,
                given,
                cues=cues,
                terms=content_terms,
                header=cand.header,
                context=demark(f"{cand.heading} {cand.caption}").lower(),
                names=names,
                rate_asked=asks_rate(analysis.question),
                whole_asked=whole_asked,
                per_asked=per_asked,
                years=years,
            )
            if cand.kind_hit <= 0 and cand.kind == "row" and cand.record_head is not None:
                # the cell where a named row crosses a named column is the score asked, unit or not
                cand.kind_hit, cand.figure = crossing_hit(
                    passages[cand.passage].chunk.text, (cand.start, cand.end), cand.record_head, analysis
                )
            cand.score += w_kind * cand.kind_hit
            if cand.kind == "row" and conditions and any(close(f.value, g) for f in figures for g in conditions):
                # the row of the case the question sets ("| 128000 | 58 GB |" for a 128K-token prompt); a sentence
                # repeating a given figure is as often the premise as the answer
                cand.states_case = True
                cand.score += CONDITION_BONUS
        seen |= {id(c) for c in rest}
        cands = sorted(parsed, key=lambda c: -c.score) + [c for c in cands if id(c) not in seen]
    part_asked = asks_part_of_year(analysis.question)
    for c in cands[:limit]:
        if c.dating is not None:  # a question about one year: a figure of another is no answer
            plain = demark(c.text)
            year = dated_year(plain, c.figure) if c.figure is not None and c.kind == "sentence" else None
            c.other_year = not speaks_of_year(
                dated, plain, c.dating, has_figure=c.figure is not None, figure_year=year, part_asked=part_asked
            )
    return cands[:limit]






def _complete_with_neighbour(
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
            gain = _share(terms, present[k] | here) - cand.content
            if gain > best_gain:
                best_gain, best = gain, k
    cand.window = _share(terms, union)
    if cand.content < MIN_CONTENT and best is not None:
        cand.quote_start = min(cand.start, spans[best].start)
        cand.quote_end = max(cand.end, spans[best].end)


_CJK = CJK_RE
# Below this share of the question's term weight, the checkable terms are too few to judge by.
MIN_CHECKABLE = 0.4






def _unlinked(text: str) -> str:
    """``text`` with its web addresses blanked out (same length, so offsets hold)."""
    return _LINK.sub(lambda m: " " * len(m.group()), text)


def _is_cjk(text: str) -> bool:
    return len(_CJK.findall(text)) * 3 > len(text)


def _written_in_script(term: Term, *, cjk: bool) -> bool:
    return any(bool(_CJK.search(f)) == cjk or f[:1].isdigit() for f in term.forms)


def checkable(terms: Sequence[Term], *, cjk: bool) -> list[Term]:
    """The terms that can appear in a text of this script: some form in it, or a number. All terms when
    those would carry too little of the weight to judge by."""
    keep = [t for t in terms if _written_in_script(t, cjk=cjk)]
    total = sum(t.weight for t in terms)
    if total and sum(t.weight for t in keep) < MIN_CHECKABLE * total:
        return list(terms)
    return keep


def _first(body: MatchText, term: Term) -> int | None:
    i = body.find(term)
    if i >= 0:
        return i
    return 0 if body.has(term) else None


def _share(terms: Sequence[Term], present: set[str]) -> float:
    """Weighted share of ``terms`` whose text is in ``present`` (1.0 when there is nothing to cover)."""
    total = sum(t.weight for t in terms)
    if total <= 0:
        return 1.0
    return sum(t.weight for t in terms if t.text in present) / total


def _share_partial(
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
        elif t.name and (at := name_at.get(t.text)) is not None and _names_span(sp, at, False):
            inside = sp.head is not None and at >= sp.head[0]
            got += (1.0 if inside else 0.7) * t.weight
        elif t.text in supplied:
            got += 0.7 * t.weight  # named by its document only
    return got / total


def _names_span(sp: Span, at: int | None, in_span: bool) -> bool:
    """Whether a name first written at ``at`` (-1: title or heading) is what ``sp`` is about: written in it or
    before it, but for a table row not only in an earlier row (that row's label is another record's)."""
    if in_span:
        return True
    if at is None or at >= sp.end:
        return False
    return not (sp.kind == "row" and sp.head is not None and sp.head[1] <= at < sp.start)
