"""The dense store: a Chroma collection, embedded (PersistentClient) or remote (HttpClient).

Chroma only holds vectors and a little metadata; text lives in the registry. Chroma's default embedding
function is never used (it would download a model): vectors are always passed in.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

import numpy as np

from assistant.errors import IndexMismatchError, StoreError
from assistant.settings import Settings

log = logging.getLogger(__name__)

# Vectors read from the collection per call when a process copies them into memory.
READ_PAGE = 2000


class ChromaStore:
    """Vectors by chunk id in one Chroma collection (cosine space)."""

    def __init__(self, settings: Settings, *, embedder_name: str, dim: int, check: bool = True) -> None:
        import chromadb
        from chromadb.config import Settings as ChromaSettings

        chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
        try:
            if settings.chroma_host:
                headers = {}
                if settings.chroma_token is not None:
                    headers["Authorization"] = f"Bearer {settings.chroma_token.get_secret_value()}"
                self._client: Any = chromadb.HttpClient(
                    host=settings.chroma_host, port=settings.chroma_port, ssl=settings.chroma_ssl,
                    headers=headers, settings=chroma_settings,
                )
            else:
                path = settings.data_dir / "chroma"
                path.mkdir(parents=True, exist_ok=True, mode=0o700)
                self._client = chromadb.PersistentClient(path=str(path), settings=chroma_settings)
        except Exception as exc:
            where = f"{settings.chroma_host}:{settings.chroma_port}" if settings.chroma_host else "the data folder"
            raise StoreError(f"cannot open the Chroma store at {where}: {exc}") from exc
        self._name = settings.collection
        self._embedder = embedder_name
        self._dim = dim
        self._collection = self._open_collection(check)

    def _open_collection(self, check: bool = True) -> Any:
        collection = self._client.get_or_create_collection(
            name=self._name,
            embedding_function=None,
            metadata={"embedder": self._embedder, "dim": self._dim},
            configuration={"hnsw": {"space": "cosine"}},
        )
        built_with = (collection.metadata or {}).get("embedder")
        if check and built_with and built_with != self._embedder:
            raise IndexMismatchError(
                f"the Chroma collection {self._name!r} holds vectors of embedder {built_with!r}, not "
                f"{self._embedder!r}; re-index with: assistant ingest PATH... --reindex"
            )
        return collection

    def upsert(self, ids: Sequence[str], vectors: np.ndarray, metadatas: Sequence[dict[str, Any]]) -> None:
        for i in range(0, len(ids), 1000):
            self._collection.upsert(
                ids=list(ids[i : i + 1000]),
                embeddings=np.asarray(vectors[i : i + 1000], dtype=np.float32),
                metadatas=list(metadatas[i : i + 1000]),
            )

    def query(self, vector: np.ndarray, k: int, doc_ids: Sequence[str] | None = None) -> list[tuple[str, float]]:
        """The ``k`` nearest chunk ids with cosine similarity, optionally only within ``doc_ids``."""
        where = None
        if doc_ids is not None:
            if not doc_ids:
                return []
            where = {"doc_id": {"$in": list(doc_ids)}}
        try:
            res = self._collection.query(
                query_embeddings=[np.asarray(vector, dtype=np.float32)], n_results=k, where=where,
                include=["distances"],
            )
        except Exception:
            # Chroma refuses n_results above the collection size on some versions; ask for what there is
            count = self.count()
            if count == 0:
                return []
            res = self._collection.query(
                query_embeddings=[np.asarray(vector, dtype=np.float32)], n_results=min(k, count), where=where,
                include=["distances"],
            )
        ids = res["ids"][0]
        dists = res["distances"][0] if res.get("distances") else [1.0] * len(ids)
        return [(cid, 1.0 - float(d)) for cid, d in zip(ids, dists, strict=True)]

    def vectors_of(self, ids: Sequence[str]) -> dict[str, np.ndarray]:
        """The stored vectors of ``ids`` (ids without one are left out)."""
        wanted = set(ids)
        out: dict[str, np.ndarray] = {}
        total = self.count()
        if len(wanted) > total // 2:
            # most of the collection (a process opening the index): reading it page by page is faster than by
            # id, and a page at a time keeps the peak memory of the conversion small
            for offset in range(0, total, READ_PAGE):
                out.update((c, v) for c, v in self._read(None, offset) if c in wanted)
            # pages shift when another process writes meanwhile: what they missed is read by id
            ids = [c for c in ids if c not in out]
        for i in range(0, len(ids), READ_PAGE):
            out.update(self._read(list(ids[i : i + READ_PAGE])))
        return out

    def _read(self, ids: list[str] | None, offset: int = 0) -> list[tuple[str, np.ndarray]]:
        if ids is None:
            got = self._collection.get(limit=READ_PAGE, offset=offset, include=["embeddings"])
        else:
            got = self._collection.get(ids=ids, include=["embeddings"])
        embeddings = got.get("embeddings")
        if embeddings is None:
            return []
        return [(c, np.asarray(v, dtype=np.float32)) for c, v in zip(got["ids"], embeddings, strict=True)]

    def delete(self, ids: Sequence[str]) -> None:
        for i in range(0, len(ids), 1000):
            self._collection.delete(ids=list(ids[i : i + 1000]))

    def count(self) -> int:
        return int(self._collection.count())

    def reset(self, *, embedder_name: str, dim: int) -> None:
        """Drop the collection and start an empty one for another embedder."""
        try:
            self._client.delete_collection(self._name)
        except Exception:  # absent already
            log.debug("collection %s was not there to delete", self._name)
        self._embedder, self._dim = embedder_name, dim
        self._collection = self._open_collection()
