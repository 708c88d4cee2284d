"""What the index says of a question's words: which name its documents (a title word they write again and
again, and the Latin word the same titles use for it), and which only look like names (a date's month, a first
word capitalised for starting the question that the documents write in lower case).

Every signal here is a statistic of the indexed documents, so it holds for any corpus; each is a marking only,
and a retriever that cannot tell leaves the terms as they are.
"""

from __future__ import annotations

import logging
import re

from assistant.ask.matching import MatchText
from assistant.ask.terms import Term, compact
from assistant.index.aliases import AliasTable, table_for
from assistant.index.base import LexicalSearch, Retriever
from assistant.models import SearchFilters
from assistant.text import CJK_RE, has_cjk, title_words, unlinked

log = logging.getLogger(__name__)


def dates_are_not_names(terms: list[Term], dates: list[str]) -> list[Term]:
    """A capitalised word of a date the question gives ("February 2024") is a time, not a name every answer must
    write out: documents write it as "2024-02" or "2月"."""
    if not dates:
        return terms
    words = {w.lower() for d in dates for w in re.findall(r"\w+", d)}
    return [
        t.model_copy(update={"name": False}) if t.name and (t.label or t.text).lower() in words else t
        for t in terms
    ]


# A word of more documents' titles than this names none of them in particular; one naming a document is
# written in it at least this often.
TITLED_DOCUMENTS = 6
TITLED_MENTIONS = 3
# Passages looked up to tell whether a title's Latin word is a name of its documents.
ALIAS_SAMPLE = 10


def mark_titled(terms: list[Term], retriever: Retriever) -> list[Term]:
    """``terms`` with those that name a few indexed documents marked ``titled``: a word of their titles or file
    names that one of them writes again and again ("百川" of "Baichuan 2 百川大模型第二代"). A word of many titles
    (as when passages are titled by their first line), or one its document writes once (a headline's "新任"),
    names no document. Only Chinese words of two characters or more are looked up (a Latin name is told by its
    capitals and digits; a listed name needs no title to be one), so most questions read no document here."""
    candidates = [t for t in terms if not t.name and len(CJK_RE.findall(t.text)) >= 2]
    if not candidates:
        return terms
    try:
        docs = retriever.documents()
        words = title_words((d.title, d.source_path) for d in docs)
        out = []
        for t in terms:
            named = words.get(t.text, ()) if t in candidates else ()
            texts = (
                {i: retriever.document_text(docs[i].id) for i in named}
                if len(named) <= TITLED_DOCUMENTS
                else {}
            )
            if not any(text.count(t.text) >= TITLED_MENTIONS for text in texts.values()):
                out.append(t)
                continue
            lowered = [text.lower() for text in texts.values()]
            # the Latin word the same titles name those documents by is the word's other form ("baichuan" of
            # "Baichuan 2 百川大模型第二代"): an English passage without it is about something else
            other = tuple(
                w
                for w, ix in words.items()
                if w.isascii()
                and w.isalpha()
                and set(ix) == set(named)
                and all(text.count(w) >= TITLED_MENTIONS for text in lowered)
                and _written_mostly_in(w, {docs[i].id for i in named}, retriever)
            )
            forms = t.forms + tuple(w for w in other if w not in t.forms)
            out.append(t.model_copy(update={"titled": True, "forms": forms}))
    except Exception:  # a marking only; the question is analysed without it
        return terms
    return out


_INITIAL_WORD = re.compile(r"\s*([A-Z][a-z]+)\b(?![-.\d])")


def initial_word(terms: list[Term], question: str, retriever: Retriever) -> list[Term]:
    """``terms`` without the name mark of the question's first word when the indexed documents write that word
    in lower case more often than capitalised ("Below how many users ...", "Roughly how long ..."): it is
    capitalised for starting the question, not for naming something."""
    m = _INITIAL_WORD.match(question)
    if m is None or not isinstance(retriever, LexicalSearch):
        return terms
    word = m.group(1)
    hit = next((t for t in terms if t.name and t.text == word.lower()), None)
    if hit is None:
        return terms
    try:
        found = retriever.search_lexical(word.lower(), k=ALIAS_SAMPLE)
    except Exception:  # a marking only
        return terms
    pattern = re.compile(rf"\b{re.escape(word.lower())}\b", re.IGNORECASE)
    written = [w.group() for p in found for w in pattern.finditer(p.chunk.text)]
    lower = sum(w.islower() for w in written)
    if not written or lower * 2 <= len(written):
        return terms
    return [t.model_copy(update={"name": False, "weight": t.weight / 2}) if t is hit else t for t in terms]


def _written_mostly_in(word: str, doc_ids: set[str], retriever: Retriever) -> bool:
    """Whether most passages the index finds for ``word`` belong to ``doc_ids`` (a name of theirs, not a common
    word such as "step" that a title happens to hold)."""
    if not isinstance(retriever, LexicalSearch):
        return False
    found = retriever.search_lexical(word, k=ALIAS_SAMPLE)
    return bool(found) and sum(p.chunk.doc_id in doc_ids for p in found) * 2 >= len(found)


def written_in(retriever: Retriever, seen: dict[tuple[str, str], bool], term: Term, language: str) -> bool:
    """Whether some indexed document in ``language`` writes ``term`` (a lexical look-up, remembered in ``seen``);
    True when the index cannot say, so a name is never excused without evidence. A document of both languages (a
    Chinese README with English tables) counts for the language of the term's script. A web address is no place a
    document writes a name ("pan.baidu.com" in a download table does not write "Baidu")."""
    key = (term.text, language)
    if key not in seen:
        if not isinstance(retriever, LexicalSearch):
            seen[key] = True
        else:
            try:
                seen[key] = any(
                    MatchText(unlinked(p.chunk.text)).has(term)
                    for lang in (
                        (language, "mixed") if (language == "zh") == has_cjk(term.text) else (language,)
                    )
                    for p in retriever.search_lexical(
                        " ".join(term.forms), k=3, filters=SearchFilters(language=lang)
                    )
                )
            except Exception:  # no evidence of absence
                log.debug("lexical look-up of %s failed", term.text, exc_info=True)
                seen[key] = True
    return seen[key]


def with_aliases(terms: list[Term], question: str, retriever: Retriever) -> list[Term]:
    """``terms`` with the other-script names of the names the question writes ("Innolight" takes 中际旭创,
    "SK海力士" takes "sk hynix"), from the aliases the index's documents show (``assistant.index.aliases``): a
    passage, a document or a query in the other script then counts as naming them. Each name goes to the
    question's terms it is made of ("Volcano Engine": "volcano" and "engine")."""
    try:
        table = table_for(retriever)
    except Exception:  # a marking only
        log.debug("alias table unavailable", exc_info=True)
        return terms
    found = names_written(question, table)
    if not found:
        return terms
    out = []
    for t in terms:
        extra = tuple(
            a
            for name, others in found
            if _part_of(t, name)
            for a in others
            if a not in t.forms
        )
        extra = tuple(dict.fromkeys(extra))
        out.append(t.model_copy(update={"forms": t.forms + extra, "aliases": t.aliases + extra}) if extra else t)
    return out


def names_written(question: str, table: AliasTable) -> list[tuple[str, tuple[str, ...]]]:
    """The table's names the question writes, each with its other-script names. A Latin name counts written as
    a name (with a capital: not "meta" of "meta-learning"); a Chinese one not as a unit after a number ("2 字节"
    is two bytes, not ByteDance)."""
    out = []
    for m in table.pattern().finditer(question):
        word = m.group()
        if word.isascii() and word.islower():
            continue
        if not word.isascii() and re.search(r"\d\s*$", question[: m.start()]):
            continue
        others = table.of(word)
        if others:
            out.append((compact(word), others))
    return out


def _part_of(term: Term, name: str) -> bool:
    """Whether ``term`` is (a word of) the written name ``name``: "engine" of "volcanoengine", "海力士" of
    "sk海力士"; a word of two Latin letters is too short to tell. A Chinese word may also start with the name
    (三星电子, 阿里云: a firm's word with what it is). A longer Latin name holding it is another thing
    ("Qwen-Turbo" is one model, not the family "Qwen" and its other names)."""
    text = compact(term.text)
    if CJK_RE.search(text):
        return len(text) >= 2 and (text in name or text.startswith(name) and bool(CJK_RE.match(name)))
    return len(text) >= 3 and text in name
