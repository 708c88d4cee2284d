"""Uploaded files: saved under the data folder with a generated name, the original name kept as metadata.

A client's file name never becomes a path: only its suffix is used, and only when it is on the allow list. The
original name is written to a small JSON sidecar so the documents view can show it.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import unicodedata
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from pydantic import BaseModel

from assistant.errors import InputError, TooLargeError, UnsupportedTypeError
from assistant.server.schemas import ALLOWED_UPLOAD_SUFFIXES

log = logging.getLogger(__name__)

_COPY_CHUNK = 1024 * 1024
_MAX_NAME_CHARS = 200


class UploadMeta(BaseModel):
    """What the sidecar remembers about one upload."""

    original_name: str
    bytes: int


def clean_name(name: str) -> str:
    """The original file name as display text: no control characters, no directories, bounded length."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    kept = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C")
    return kept.strip()[:_MAX_NAME_CHARS] or "upload"


def file_sha256(path: Path) -> str:
    """The SHA-256 of a file's bytes: the same ``content_hash`` the ingest pipeline records for a document."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while block := fh.read(_COPY_CHUNK):
            digest.update(block)
    return digest.hexdigest()


def allowed_suffix(name: str | None) -> str:
    """The lower-cased suffix of ``name`` if uploads of that type are accepted; else ``UnsupportedTypeError``."""
    suffix = Path(clean_name(name or "")).suffix.lower()
    if suffix not in ALLOWED_UPLOAD_SUFFIXES:
        shown = suffix or "no extension"
        raise UnsupportedTypeError(
            f"files of type '{shown}' are not accepted; allowed: {', '.join(ALLOWED_UPLOAD_SUFFIXES)}"
        )
    return suffix


class UploadStore:
    """The ``uploads/`` folder inside the data folder."""

    def __init__(self, folder: Path, max_bytes: int) -> None:
        self.folder = folder
        self.max_bytes = max_bytes

    def save(self, stream: BinaryIO, original_name: str | None) -> Path:
        """Copy ``stream`` to a new generated file name; refuse wrong types and files over the limit."""
        suffix = allowed_suffix(original_name)
        self._make_folders()
        target = self.folder / f"{uuid.uuid4().hex}{suffix}"
        size = 0
        try:
            with target.open("xb") as out:
                while chunk := stream.read(_COPY_CHUNK):
                    size += len(chunk)
                    if size > self.max_bytes:
                        raise TooLargeError(
                            f"the file is larger than the upload limit of {self.max_bytes} bytes"
                        )
                    out.write(chunk)
            if size == 0:
                raise InputError("the uploaded file is empty")
            meta = UploadMeta(original_name=clean_name(original_name or ""), bytes=size)
            self._meta_path(target).write_text(meta.model_dump_json(), encoding="utf-8")
        except BaseException:
            self.discard(target)
            raise
        log.info("saved upload %s (%d bytes) as %s", meta.original_name, size, target.name)
        return target

    @contextlib.contextmanager
    def exclusive(self) -> Iterator[None]:
        """Hold the uploads lock (an flock beside the folder), so looking for a document with the same content
        and ingesting a new one is one step across threads and worker processes alike."""
        try:
            import fcntl
        except ImportError:  # no fcntl on Windows: the caller's thread lock is all there is
            yield
            return
        self._make_folders()
        # Each call opens its own descriptor: flock locks belong to the open file, so threads exclude each other too.
        with (self.folder.parent / "uploads.lock").open("a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def discard(self, target: Path) -> None:
        """Remove a saved upload and its sidecar (after a failed ingest)."""
        for path in (target, self._meta_path(target)):
            path.unlink(missing_ok=True)

    def meta_for(self, source_path: str) -> UploadMeta | None:
        """The sidecar of a document's source file, if that file is one of our uploads."""
        path = Path(source_path)
        if path.parent.name != self.folder.name or not path.name[:32].isalnum():
            return None
        meta_path = self._meta_path(self.folder / path.name)
        try:
            return UploadMeta.model_validate(json.loads(meta_path.read_text(encoding="utf-8")))
        except (OSError, ValueError):
            return None

    def _make_folders(self) -> None:
        # User-only, like the data folder the index creates: uploads are someone's documents.
        self.folder.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        self.folder.mkdir(exist_ok=True, mode=0o700)

    def _meta_path(self, target: Path) -> Path:
        return target.with_name(target.name + ".meta.json")
