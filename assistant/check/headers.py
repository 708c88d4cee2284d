"""Table labels in the other language than the claim: "overall score" names the "| 总分 |" column.

The multilingual embedder does not tell apart labels of two to four words across languages ("推理任务" and "通用任务"
sit equally near "reasoning tasks"), so a label is widened by the words of every vocabulary group it holds a form
of: ``data/headers.toml`` (table vocabulary) and the domain pack's groups (built-in and the user's own files). The
row-by-column reading of the table (``cells``) still decides which cell a claim names; this only lets the claim's
words be found in a label written in the other language.
"""

from __future__ import annotations

import functools
import re
import tomllib
from importlib import resources

from assistant.domain.pack import active_pack

_ASCII = re.compile(r"[ -~]+")


@functools.cache
def _table_groups() -> tuple[tuple[str, ...], ...]:
    raw = resources.files("assistant.check").joinpath("data/headers.toml").read_text(encoding="utf-8")
    groups = tomllib.loads(raw).get("groups", [])
    return tuple(tuple(" ".join(str(w).split()).lower() for w in g) for g in groups if len(g) >= 2)


@functools.lru_cache(maxsize=4)
def _matchers(pack_groups: tuple[tuple[str, ...], ...]) -> tuple[tuple[re.Pattern[str], str], ...]:
    out = []
    for group in _table_groups() + pack_groups:
        forms = [f.lower() for f in group if f.strip()]
        # an English form starts a word ("layer" in "Layers", never in "multilayer"); a Chinese one is a substring
        parts = [
            rf"(?<![a-z0-9]){re.escape(f)}" if _ASCII.fullmatch(f) else re.escape(f)
            for f in sorted(forms, key=len, reverse=True)
            if len(f) >= 2
        ]
        if parts:
            out.append((re.compile("|".join(parts)), " ".join(forms)))
    return tuple(out)


def label_terms(label: str) -> str:
    """The forms of every vocabulary group ``label`` holds a form of, joined by spaces ("总分" -> "总分 overall
    score overall ..."); "" when it holds none."""
    return _terms(label.lower(), active_pack().groups)


@functools.lru_cache(maxsize=8192)
def _terms(label: str, pack_groups: tuple[tuple[str, ...], ...]) -> str:
    return " ".join(words for pattern, words in _matchers(pack_groups) if pattern.search(label))
