"""Candidates compared with the question by meaning (the embedder's similarity), for a shortlist.

The best candidates by words, and the best of a few more passages, are embedded with their document's title (and
a table row with its header) and raised by how close they come to the closest one holding every name.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from assistant.ask.candidate import MAY_HAVE_FIGURE, MIN_NAMES, Scored
from assistant.ask.spans import demark
from assistant.index.dense import ALL_LANGUAGES
from assistant.models import Passage

# Candidates compared with the question by meaning (embedded, cached by text): the best by words, and the best
# of a few more passages. SIM_SPREAD: a candidate this far below the closest one in cosine gets no credit.
SHORTLIST = 12
EXTRA_PASSAGES = 4
CROSS_SHORTLIST = 12
SIM_SPREAD = 0.05
W_SIM = 0.25
MEANING_CHARS = 600


def by_meaning(
    cands: list[Scored],
    passages: Sequence[Passage],
    similarity: Callable[[list[str]], list[float] | None],
    spread: Mapping[str, tuple[float, float]] | None = None,
) -> None:
    """Raise the shortlisted candidates closest in meaning to the question (in place, re-sorted).

    Each is embedded with its document's title and, for a table row, the header row: the row alone does not
    say what its figures are about. With ``spread`` (the question's cosine to the index's chunks, mean and
    deviation per language) each also gets its ``agreement``: how many deviations above its language's mean."""
    # only a candidate holding every name can answer: those are compared first, then the best of the rest
    named = [c for c in cands if c.names >= MIN_NAMES]
    short = named[:SHORTLIST]
    # across languages words cannot rank, so more of the named candidates written in the other language that
    # hold a figure are compared by meaning (their vectors are cached: a document's lines cost once)
    short += [c for c in named[SHORTLIST:] if c.cross and MAY_HAVE_FIGURE.search(c.text)][:CROSS_SHORTLIST]
    seen = {id(c) for c in short}
    for c in cands:
        if len(short) >= SHORTLIST:
            break
        if id(c) not in seen:
            short.append(c)
            seen.add(id(c))
    for c in cands[SHORTLIST:]:  # the best candidate of each further passage: another wording may answer
        if len(short) >= SHORTLIST + EXTRA_PASSAGES:
            break
        if id(c) not in seen and all(o.passage != c.passage for o in short):
            short.append(c)
            seen.add(id(c))
    texts = [_meaning_text(passages[c.passage], c) for c in short]
    sims = similarity(texts)
    if not sims:
        return
    # closeness is measured against the closest candidate that holds every name: a passage in the question's own
    # language about something else is always nearer in wording than the answer written in the other language
    named_sims = [sim for c, sim in zip(short, sims, strict=True) if c.names >= MIN_NAMES]
    top = max(named_sims or sims)
    for c, sim in zip(short, sims, strict=True):
        c.sim = sim
        c.closeness = min(1.0, max(0.0, 1.0 - (top - sim) / SIM_SPREAD))
        c.score += W_SIM * c.closeness
        c.agreement = agreement(sim, passages[c.passage].document.language, spread)
    cands.sort(key=lambda c: -c.score)


def agreement(sim: float, language: str, spread: Mapping[str, tuple[float, float]] | None) -> float | None:
    """``sim`` in deviations above the mean cosine of the question to the index's chunks of ``language`` (each
    language sits in its own region of the embedder's space, so a candidate is read against its own); None
    without a yardstick."""
    if not spread:
        return None
    mean, sd = spread.get(language) or spread.get(ALL_LANGUAGES) or (0.0, 0.0)
    return (sim - mean) / sd if sd > 0 else None


def _meaning_text(passage: Passage, cand: Scored) -> str:
    parts = [passage.document.title]
    if cand.heading:
        parts.append(demark(cand.heading))
    if cand.header:
        parts.append(demark(cand.header))
    body = " ".join(demark(cand.text).split())
    # the candidate itself is never cut for its context (a long header row must not push the row out)
    context = "\n".join(" ".join(p.split()) for p in parts)[: max(0, MEANING_CHARS - len(body) - 1)]
    return f"{context}\n{body}"[:MEANING_CHARS] if context else body[:MEANING_CHARS]
