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
from collections.abc import Callable, Mapping, Sequence

from assistant.ask.absent import mark_absent_qualifiers
from assistant.ask.analyze import QuestionAnalysis
from assistant.ask.candidate import Scored
from assistant.ask.coverage import (
    ROW_NAME,
    checkable,
    complete_with_neighbour,
    first_at,
    is_cjk,
    names_span,
    share,
    share_partial,
    terms_present,
    written_in_script,
)
from assistant.ask.crossing import CROSSING_BONUS, clear_crossings
from assistant.ask.figurepass import figure_pass, mark_other_years
from assistant.ask.headers import header_only_tails
from assistant.ask.keynames import excusable_names, held_names
from assistant.ask.kinds import (
    YEAR,
)
from assistant.ask.matching import MatchText
from assistant.ask.meaning import by_meaning
from assistant.ask.qualifiers import mark_other_qualifiers
from assistant.ask.spans import (
    MAX_SENTENCE,
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
    labels_left_out,
    local_subject,
    names_a_sibling,
    prose,
)
from assistant.ask.terms import Term, about, relative_scores
from assistant.ask.years import asked_years, year_context
from assistant.models import Passage
from assistant.text import detect_language, unlinked

# Weights of (terms, focus terms, names, figure kind, retrieval) for quantity questions, and without a kind.
WEIGHTS_QUANTITY = (0.3, 0.2, 0.15, 0.25, 0.1)
WEIGHTS_OTHER = (0.45, 0.2, 0.2, 0.0, 0.15)
# A record of a data table quoting a paper ranks just below the paper saying the same.
TABLE_PENALTY = 0.03
LONG_PENALTY = 0.05
TOTAL_BONUS = 0.02
TOTAL_ASKED_BONUS = 0.15
LABEL_BONUS = 0.03
# A row whose own label writes the question's names is about them: the names another row of its table leaves out
# (its version, its size) set it apart, whatever a passage or heading before the table named; that row loses this
# much times the (weighted) share of names it leaves out. (A penalty, not a bonus: the labelled row is not raised
# above sentences and other tables.)
LABEL_NAMES = 0.1
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

_COMPARATIVE = re.compile(
    r"better|worse|more|less|fewer|faster|slower|cheaper|higher|lower|larger|smaller|bigger|longer|shorter", re.I
)
_ASKS_TOTAL = re.compile(r"\bin total\b|\btotal\b|\baltogether\b|\bin all\b|一共|总共|合计|总计|累计", re.I)
_TOTAL_ROW = re.compile(r"\|\s*\**(?:total|sum|overall|all|合计|总计|总和|全部)\b", re.I)


def select_sentences(
    analysis: QuestionAnalysis,
    passages: Sequence[Passage],
    *,
    limit: int = 12,
    document_text: Callable[[str], str] | None = None,
    similarity: Callable[[list[str]], list[float] | None] | None = None,
    figure_similarity: Callable[[list[str]], list[float] | None] | None = None,
    written_in: Callable[[Term, str], bool] | None = None,
    spread: Mapping[str, tuple[float, float]] | None = None,
) -> list[Scored]:
    """The best ``limit`` sentences of ``passages`` for the question, best first.

    ``document_text(doc_id)`` lets a name missing from a passage be found in the rest of a short document;
    ``similarity(texts)`` (the embedder's question-to-text similarity) ranks a shortlist by meaning;
    ``figure_similarity(texts)`` (the same for the question without its names) chooses among a sentence's figures;
    ``written_in(name, language)`` says whether any indexed document of that language writes the name;
    ``spread``: the question's cosine to the index's chunks per language (mean, deviation), see ``by_meaning``.
    """
    prior = relative_scores([p.score for p in passages])
    quantity = analysis.asked is not None
    w_terms, w_focus, w_names, w_kind, w_prior = WEIGHTS_QUANTITY if quantity else WEIGHTS_OTHER
    names = [t for t in analysis.terms if t.name]
    content_terms = [t for t in analysis.terms if not t.name]
    focus_terms = [t for t in content_terms if t.focus]
    # a name qualifying another ("Alibaba's QwQ-32B") is context, excused while the one it qualifies is held
    excused = excusable_names(analysis.question, names)
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
        body = MatchText(unlinked(text) if passage.document.kind == "csv" else text)
        in_chunk = [t for t in analysis.terms if body.has(t)]
        # where each name first appears in the passage (-1: in the title or path, None: nowhere)
        # (a title made from a file name writes "Llama 3.3" as "llama3 3": ``about`` reads it as that name)
        name_at = {t.text: (-1 if about([t], title, path) > 0 else first_at(body, t)) for t in names}
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
        terms_here = checkable(content_terms, cjk=is_cjk(text))
        focus_here = [t for t in terms_here if t.focus] or focus_terms
        checkable_focus = [t for t in focus_terms if written_in_script(t, cjk=is_cjk(text))]
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
        present = terms_present(
            text, body if aligned else None, spans, in_chunk, names, content_terms, name_at, headings, table_captions
        )
        unlabelled = labels_left_out(text, spans, names)
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
            named = {t.text for t in names if names_span(sp, name_at[t.text], t.text in here) or t.text in supplied}
            named = held_names(named, excused)
            cand.names = 0.0 if elsewhere else share(names, named)
            if leading and not names_span(sp, subject_from, any(t.text in here for t in leading)):
                cand.names = 0.0  # a figure of the passage before its subject is named is another's
            cand.row_named = bool(names) and all(f"{ROW_NAME}{t.text}" in here for t in names)
            cand.content = share(terms_here, here)
            if sp.kind == "row" and cand.header:
                # a focus word a row has only as the tail of a compound header ("分" in "总分") is not asked of it
                here = here - header_only_tails(cand.text, cand.header, focus_here, here, f"{cand.heading} {cand.caption}")
            cand.focus = share(focus_here, here)
            # what is asked is in it: every focus word, or for a question naming no measure ("what does GLM-4V-9B
            # score on OCRBench"), the two or more names that say what is measured of what
            asked_here = focus_here or (names if len(names) >= 2 else [])
            cand.holds_focus = bool(asked_here) and all(t.text in here for t in asked_here)
            cand.terms = share_partial(analysis.terms, here, name_at, sp, supplied)
            complete_with_neighbour(cand, spans, present, j, terms_here)
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
            if not _TOTAL_ROW.match(cand.text):  # (a total is of every row of its table)
                # a row whose table has another labelled with more of the question's names is about something else
                cand.score -= LABEL_NAMES * unlabelled[j]
            if sp.kind == "row" and _TOTAL_ROW.match(cand.text):
                # a question about the whole is answered by the total, not its first part; one that says so
                # ("in total", "一共") by nothing else
                cand.score += TOTAL_ASKED_BONUS if asks_total else TOTAL_BONUS
            cands.append(cand)
    cands.sort(key=lambda c: -c.score)
    if similarity is not None:
        by_meaning(cands, passages, similarity, spread)
    if quantity:
        cands = figure_pass(
            analysis, cands, passages, w_kind=w_kind, asks_total=asks_total,
            figure_similarity=figure_similarity,
        )
    mark_other_years(analysis, cands[:limit], dated)
    mark_other_qualifiers(
        analysis.question, [t.label or t.text for t in names], cands[:limit], passages, document_text
    )
    mark_absent_qualifiers(analysis.question, names, cands[:limit], passages, document_text)
    return cands[:limit]
