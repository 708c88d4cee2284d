"""Which indexed documents were read by older code, so the next ingest reads them again.

A document is skipped when its file's bytes did not change. When the loader of its kind or the chunker changes
(``loaders.LOADER_VERSIONS``, ``chunking.CHUNKING_VERSION``), the same bytes may give another text or other
chunks: ingest then re-reads the files of that kind and re-indexes those whose text or chunks differ. The
versions each kind was last read with are kept in the registry's meta table, and a kind's entry is updated only
once every indexed document of the kind has been read again (a folder left out of one ingest is caught by the
next).
"""

from __future__ import annotations

import json

from assistant.index.store import Index
from assistant.models import Chunk, LoadedDocument

READING_META = "reading_versions"
# documents of an outdated kind already read with the current code, by "kind@version"
_PROGRESS_META = "reading_progress"
_BEFORE = "1.1"  # every kind of an index built before versions were recorded


def reading_version(kind: str) -> str:
    """"loader.chunker" version for documents of ``kind`` ("2.2")."""
    from assistant.ingest.chunking import CHUNKING_VERSION
    from assistant.ingest.loaders import LOADER_VERSIONS

    return f"{LOADER_VERSIONS.get(kind, 1)}.{CHUNKING_VERSION}"  # type: ignore[call-overload]


def _recorded(index: Index) -> dict[str, str]:
    try:
        value = json.loads(index.registry.get_meta(READING_META) or "{}")
    except ValueError:
        return {}
    return {str(k): str(v) for k, v in value.items()} if isinstance(value, dict) else {}


def outdated_kinds(index: Index) -> set[str]:
    """Kinds whose indexed documents may have been read by an older loader or chunker."""
    from assistant.ingest.loaders import SUPPORTED_SUFFIXES

    recorded = _recorded(index)
    return {k for k in set(SUPPORTED_SUFFIXES.values()) if recorded.get(k, _BEFORE) != reading_version(k)}


def _progress(index: Index) -> dict[str, list[str]]:
    try:
        value = json.loads(index.registry.get_meta(_PROGRESS_META) or "{}")
    except ValueError:
        return {}
    return {str(k): [str(i) for i in v] for k, v in value.items() if isinstance(v, list)} if isinstance(value, dict) else {}


def already_read(index: Index, outdated: set[str]) -> set[str]:
    """Ids of documents of the ``outdated`` kinds that an earlier ingest already read with the current code."""
    noted = _progress(index)
    return {i for kind in outdated for i in noted.get(f"{kind}@{reading_version(kind)}", [])}


def record_read(index: Index, outdated: set[str], seen: set[str]) -> None:
    """Note the documents of ``outdated`` kinds in ``seen`` (read, or found unchanged by reading, with the current
    code) and record the current version of each kind all of whose indexed documents have been noted, in this
    ingest or an earlier one."""
    if not outdated:
        return
    noted = _progress(index)
    recorded = _recorded(index)
    documents = index.registry.documents()
    for kind in sorted(outdated):
        key = f"{kind}@{reading_version(kind)}"
        ids = {d.id for d in documents if d.kind == kind}
        done = ids & (seen | set(noted.get(key, [])))
        if done == ids:
            recorded[kind] = reading_version(kind)
            noted.pop(key, None)
        else:
            noted[key] = sorted(done)
    index.registry.set_meta(READING_META, json.dumps(recorded, sort_keys=True))
    index.registry.set_meta(_PROGRESS_META, json.dumps(noted, sort_keys=True))


def same_reading(
    index: Index, doc_id: str, loaded: LoadedDocument, chunks: list[Chunk], tokens: list[str]
) -> bool:
    """Whether the stored document has exactly this title, text, chunk spans and chunk tokens (the tokens carry
    what is indexed beside a chunk's own text, such as a table's header row: when that changes, the chunk's
    vector changes with it)."""
    if index.registry.document(doc_id).title != loaded.title or index.registry.text(doc_id) != loaded.text:
        return False
    stored = [(c.start, c.end, c.page, c.row, c.dense, t) for c, t in index.registry.chunks_for([doc_id])]
    return stored == [(c.start, c.end, c.page, c.row, c.dense, t) for c, t in zip(chunks, tokens, strict=True)]
