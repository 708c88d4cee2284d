"""Key terms of a question, their weights, and how to find them in a sentence of either language.

A question's terms come from ``assistant.text.tokenize``; each term carries its surface forms (a small
bilingual glossary of domain words maps "参数" to "parameter", "谷歌" to "google", ...) and a weight. Weights
are the corpus IDF when the retriever can tell it, otherwise a heuristic by shape (names and model/chip ids
weigh most). Matching is by substring on a lowered text, so it costs microseconds per sentence.
"""

from __future__ import annotations

import functools
import math
import re
import unicodedata
from collections.abc import Iterable, Sequence

from pydantic import BaseModel, Field

from assistant.ask.glossary import GENERIC_CAPS, GLOSSARY, QUESTION_WORDS
from assistant.ask.glossary import groups as glossary_groups
from assistant.index.base import Retriever, TermStatistics
from assistant.text import CJK_RE, tokenize
from tools.figures import parse_figures

_CJK_RE = CJK_RE
_HAS_DIGIT = re.compile(r"\d")
_HAS_ALPHA = re.compile(r"[a-z]")
COMPACT_RE = re.compile(r"[\s\-_·]+")
# Product and model names as written: a capitalised or upper-case word, optionally followed by a version
# ("Gaudi 3", "TPU v7", "Llama 3.1", "Kimi K2", "DeepSeek-V3", "H800").
_FUNCTION_WORDS = (
    r"(?!(?:If|On|In|The|A|An|What|How|Which|When|Where|Why|Who|Is|Are|Was|Were|Does|Did|Do|According|At|For|By|"
    r"From|To|With|And|Or|Of|As|After|Before|Over|Under|Than|Then|It|Its|This|That|These|Those)\b)"
)
_NAME_RE = re.compile(
    r"(?<![A-Za-z0-9])"
    + _FUNCTION_WORDS
    + r"(?:[A-Z][A-Za-z0-9]*(?:[-.][A-Za-z0-9]+)*)"
    # a version joins the name ("Kimi K2", "Llama 3.1", "TPU v7"); a chip does not ("DeepSeek H800")
    + r"(?:[\s-](?:[vVkKmM]?\d{1,2}(?:\.\d+)?[A-Za-z]?|[A-Z]\d{1,2})(?![\dA-Za-z]))?"
)
_SENTENCE_INITIAL = frozenset(
    {"how", "what", "which", "who", "when", "where", "why", "if", "on", "in", "a", "the"}
)


@functools.cache
def _form_index(groups: tuple[tuple[str, ...], ...]) -> dict[str, int]:
    index: dict[str, int] = {}
    for i, group in enumerate(groups):
        for form in group:
            index.setdefault(form.lower(), i)
    return index


def _form_group() -> dict[str, int]:
    """Form -> glossary group index, for the active domain pack (built once per pack)."""
    return _form_index(glossary_groups())


class Term(BaseModel):
    """One key term of a question: its forms (any of which counts as present), weight, and whether it names a thing."""

    text: str
    label: str = Field("", description="The term as written in the question (for messages).")
    forms: tuple[str, ...]
    weight: float = Field(ge=0)
    name: bool = Field(False, description="A product, model, company or version name: distinctive evidence.")
    focus: bool = Field(False, description="Part of the phrase naming what is asked ('GPU hours', '单价').")
    titled: bool = Field(
        False, description="A Chinese word naming a few indexed documents (their titles or file names)."
    )
    aliases: tuple[str, ...] = Field(
        (), description="The name in the other script, as the index writes it ('中际旭创' of 'Innolight'); also forms."
    )


def normalize(text: str) -> str:
    """NFKC, lowercase: the form sentences and terms are compared in."""
    return unicodedata.normalize("NFKC", text).lower()


def compact(text: str) -> str:
    """``normalize`` without spaces, hyphens and underscores, so "Gaudi 3" matches "Gaudi3" and "gaudi-3"."""
    return COMPACT_RE.sub("", normalize(text))


_SUFFIX_RE = re.compile(r"(?:ations?|ings?|ied|ies|ed|es|e|s|y)$")


def stem(word: str) -> str:
    """A crude English stem for prefix matching: "costing" -> "cost", "assume" -> "assum", "occupied" -> "occup"."""
    if not word.isascii() or not word.isalpha():
        return word
    stemmed = _SUFFIX_RE.sub("", word)
    return stemmed if len(stemmed) >= 4 else word


def forms_of(term: str, *, prefix: bool = True) -> tuple[str, ...]:
    """The term and the other words of its glossary group (prefix match on English words covers plurals;
    ``prefix=False`` for names, so "Kimi K2" does not become "Kimi")."""
    t = term.lower()
    group = _form_group().get(t)
    if group is None and prefix and not _CJK_RE.search(t) and len(t) > 3:
        # "parameters" -> "parameter", "reduced" -> "reduc"
        for form, g in _form_group().items():
            if not _CJK_RE.search(form) and len(form) > 3 and t.startswith(form):
                group = g
                break
    if group is None and prefix and len(_CJK_RE.findall(t)) >= 3 and not _CJK_RE.sub("", t):
        # a Chinese compound ending with a glossary word is a kind of it ("全年收入": 收入, "激活参数": 参数); one
        # starting with one, that word's measure ("参数量": 参数): it takes the word's other forms
        words = [(f, g) for f, g in _form_group().items() if len(f) >= 2 and _CJK_RE.fullmatch(f[0])]
        inner = [(len(f), g) for f, g in words if t.endswith(f)] or [(len(f), g) for f, g in words if t.startswith(f)]
        group = max(inner)[1] if inner else None
    if group is None:
        return (stem(t),)
    return tuple(dict.fromkeys((stem(t), *(f.lower() for f in GLOSSARY[group]))))


# A word written with a capital inside a lower-case start ("iPhone", "eBay", "vLLM") names one thing too, and so
# does a lower-case word joined by a hyphen to a version ("phi-4", "gpt-4o", "deepseek-v3"): prose has no such words.
_CAMEL_RE = re.compile(
    r"(?<![A-Za-z0-9-])(?:[a-z]+[A-Z][A-Za-z0-9]*(?:[-.][A-Za-z0-9]+)*|[a-z]{2,}-v?\d[A-Za-z0-9.]*(?:-[A-Za-z0-9]+)*)"
)


def names_in(question: str) -> list[str]:
    """Names as written in the question: "Gaudi 3", "TPU v7", "H800", "DeepSeek-V3", "iPhone" (not a sentence's
    first word)."""
    out = [m.group() for m in _CAMEL_RE.finditer(question)]
    for m in _NAME_RE.finditer(question):
        word = m.group()
        if m.start() == 0 and word.lower() in _SENTENCE_INITIAL:
            continue
        if word.lower() in QUESTION_WORDS or word.lower() in _SENTENCE_INITIAL:
            continue
        if not _HAS_DIGIT.search(word) and (
            len(word) < 4 and not _acronym(word) and not _short_name(word, m.start())
            or word.lower() in GENERIC_CAPS
        ):
            continue  # "GPU", "AI", "KV": upper-case, but not names of one thing
        out.append(word)
    return out


def _short_name(word: str, at: int) -> bool:
    """A short capitalised word inside a question that is not upper-case ("Yi", "Mu"): a name, where "AI" or "KV"
    is a domain abbreviation."""
    return at > 0 and len(word) >= 2 and word[0].isupper() and word[1:].islower() and word.isalpha()


def _acronym(word: str) -> bool:
    """A three-letter capitalised company name ("AMD", "IBM"), not a domain word of the glossary ("GPU", "HBM")."""
    return len(word) == 3 and word.isupper() and word.isalpha() and word.lower() not in _form_group()


def _translated_name(name: str) -> tuple[str, ...]:
    """A name with a glossary word in it, in the other language too: "H-series" -> "h系列"."""
    parts = re.split(r"[\s\-]+", normalize(name))
    out = []
    for i, part in enumerate(parts):
        group = _form_group().get(part)
        if group is None or i == 0:
            continue
        for other in GLOSSARY[group]:
            if other != part and bool(_CJK_RE.search(other)) != bool(_CJK_RE.search(part)):
                out.append("".join(parts[:i]) + other + "".join(parts[i + 1 :]))
    return tuple(out)


def heuristic_weight(term: str) -> float:
    """Weight of a term without corpus statistics: ids with digits and letters weigh most, single CJK least."""
    if _HAS_DIGIT.search(term) and _HAS_ALPHA.search(term):
        return 3.0
    if _CJK_RE.search(term):
        return 0.4 if len(term) == 1 else 1.0
    if term.isdigit():
        return 1.5
    return 1.0


def corpus_idf(retriever: Retriever, terms: Sequence[str]) -> dict[str, float]:
    """IDF of ``terms`` from the retriever's lexical statistics, when it keeps them ({} otherwise)."""
    if not isinstance(retriever, TermStatistics):
        return {}
    try:
        return dict(retriever.term_idf(list(terms)))
    except Exception:  # statistics are an optimisation; a failing store must not break answering
        return {}


# Weight (IDF / 2, clamped at 4) of a term found in at most a chunk or two of the index.
RARE_WEIGHT = 4.0


def key_terms(
    question: str,
    idf: dict[str, float] | None = None,
    extra_stop: Iterable[str] = (),
) -> list[Term]:
    """The weighted key terms of a question: tokens minus question words, names kept whole and marked.

    ``idf`` (term -> corpus IDF) replaces the shape heuristic where known; a name's weight is doubled because
    evidence about another product is no evidence at all.
    """
    stop = QUESTION_WORDS | {s.lower() for s in extra_stop}
    figure_tokens = {t for f in parse_figures(question) for t in tokenize(f.text)}
    names = names_in(question)
    name_tokens: set[str] = set()
    terms: dict[str, Term] = {}
    for name in names:
        key = compact(name)
        if not key or key in stop or len(key) < 2:
            continue
        toks = tokenize(name)
        name_tokens.update(toks)
        w = _weight(key, toks, idf)
        terms[key] = Term(
            text=key,
            label=name,
            forms=forms_of(key, prefix=False)
            + ((normalize(name),) if " " in name else ())
            + _translated_name(name),
            weight=w * 2,
            name=True,
        )
    # a glossary phrase ("gross margin", "data center", "first half") is one term, so its translation (毛利率,
    # 数据中心, 上半年) can stand for it in the other language; its words are not terms of their own
    for phrase in phrases_in(question, skip=name_tokens):
        toks = tokenize(phrase)
        # (a phrase matches in the plural too: "attention heads" leaves no "heads" of its own)
        name_tokens.update(toks + [t + "s" for t in toks] + [t + "es" for t in toks])
        terms[phrase] = Term(
            text=phrase, label=phrase, forms=forms_of(phrase), weight=_weight(phrase, toks, idf)
        )
    tokens = [
        t
        for t in dict.fromkeys(tokenize(question))
        if t not in stop and t not in terms and t not in name_tokens
    ]
    for tok in tokens:
        if len(tok) == 1 and tok.isascii():
            continue
        if re.search(r"[a-z][-/]|[-/][a-z]", tok):
            continue  # "government-led": tokenize also yields its parts, which match more loosely
        cjk = bool(_CJK_RE.search(tok))
        if cjk and any(tok != o and tok in o for o in tokens if _CJK_RE.search(o)):
            continue  # a part of a longer word ("吞吐" in "吞吐量") becomes one of that word's forms below
        parts = tuple(o for o in tokens if cjk and o != tok and len(o) >= 2 and o in tok)
        w = _weight(tok, [tok, *parts], idf)
        if cjk and len(tok) == 1:
            w = min(w, heuristic_weight(tok))  # one character is rarely the point, however rare in the corpus
        forms = forms_of(tok)
        for part in parts:
            forms += tuple(f for f in forms_of(part) if f not in forms)
        # letters with digits that are no figure ("3FS", "A100") name a product
        is_name = bool(_HAS_DIGIT.search(tok) and _HAS_ALPHA.search(tok)) and tok not in figure_tokens
        terms[tok] = Term(text=tok, label=tok, forms=forms, weight=w * (2 if is_name else 1), name=is_name)
    return list(terms.values())


@functools.cache
def _phrase_forms(groups: tuple[tuple[str, ...], ...]) -> tuple[str, ...]:
    # longest first, so "total parameter" wins over a shorter phrase inside it
    # English phrases (and words a tokenizer cuts at "&": "R&D"), and Chinese words of three characters or more
    # that a tokenizer may cut ("上下文长度")
    forms = {
        f.lower()
        for group in groups
        for f in group
        if ((" " in f or "-" in f or "&" in f) and not _CJK_RE.search(f))
        or (len(f) >= 3 and all(_CJK_RE.match(c) for c in f))
    }
    return tuple(sorted(forms, key=lambda f: (-len(f), f)))


def phrases_in(question: str, *, skip: Iterable[str] = ()) -> list[str]:
    """The glossary's phrases written in ``question`` ("gross margin", "first half", "上下文长度"), longest first
    and not overlapping; a phrase with a word in ``skip`` (a name's token) is left to the name."""
    low = normalize(question)
    skip = set(skip)
    taken: list[tuple[int, int]] = []
    out = []
    for phrase in _phrase_forms(glossary_groups()):
        # a plural or inflected last word still ends the phrase ("data centers", "first quarters")
        cjk = bool(_CJK_RE.search(phrase))
        # (a hyphenated form is a stem, as the glossary's one-word forms are: "fine-tun" for "fine-tuning")
        end = r"[a-z]*" if "-" in phrase else r"(?:s|es)?"
        rx = re.escape(phrase) if cjk else r"(?<![a-z0-9])" + re.escape(phrase) + end + r"(?![a-z0-9])"
        for m in re.finditer(rx, low):
            span = (m.start(), m.end())
            if any(s < span[1] and span[0] < e for s, e in taken) or skip & set(tokenize(phrase)):
                continue
            taken.append(span)
            if phrase not in out:
                out.append(phrase)
    return out


def _weight(key: str, toks: Sequence[str], idf: dict[str, float] | None) -> float:
    if idf:
        known = [idf[t] for t in toks if t in idf]
        if known:
            # a compound is as rare as its rarest part; clamp so one unseen token cannot dominate
            return min(max(max(known), 0.3), 8.0) / 2.0
    return heuristic_weight(key)


def relative_scores(scores: Sequence[float]) -> list[float]:
    """Retrieval scores scaled to 0..1 by the best one (fused scores have no absolute meaning)."""
    if not scores:
        return []
    top = max(scores)
    if top <= 0 or math.isnan(top):
        return [0.0 for _ in scores]
    return [max(s, 0.0) / top for s in scores]


def translated_query(terms: Sequence[Term]) -> str:
    """The question's key terms in the other language (via the glossary), names kept: a second query that lets
    lexical search reach documents written in the other language. Empty when nothing translates."""
    out: list[str] = []
    translated = 0
    for t in terms:
        if t.name:
            out.append(t.label or t.text)
            out.extend(t.aliases)
            continue
        cjk = bool(_CJK_RE.search(t.text))
        other = [f for f in t.forms[1:] if bool(_CJK_RE.search(f)) != cjk]
        if other:
            out.extend(other[:2])
            translated += 1
    # names alone are a query too: an English question about "Groq" reaches the Chinese article naming it
    return " ".join(dict.fromkeys(out)) if translated or any(t.name for t in terms) else ""


_ALNUM_DOT = re.compile(r"[\s\-_·./\\]+")


def _key(text: str) -> str:
    return _ALNUM_DOT.sub("", normalize(text))


def about(names: Sequence[Term], title: str, path: str) -> float:
    """Weighted share of the question's names that a document's title or file name carries: a model card
    named "Llama_llama3_1_MODEL_CARD" is about "Llama 3.1"; "DeepSeek-V3.2-Exp" is not about "DeepSeek-V3"."""
    total = sum(t.weight for t in names)
    if total <= 0:
        return 0.0
    haystack = _key(title) + " " + _key(path.replace("\\", "/").rsplit("/", 1)[-1])
    got = 0.0
    for t in names:
        if any(_titled_by(haystack, _key(name)) for name in (t.label or t.text, *t.aliases)):
            got += t.weight
    return got / total


def _titled_by(haystack: str, key: str) -> bool:
    """Whether ``key`` is in ``haystack``, not as the start of a longer version ("llama3" in "llama31")."""
    i = haystack.find(key) if key else -1
    while i >= 0:
        end = i + len(key)
        if not (end < len(haystack) and haystack[end].isdigit() and key[-1].isdigit()):
            return True
        i = haystack.find(key, i + 1)
    return False
