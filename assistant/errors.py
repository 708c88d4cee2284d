"""Two kinds of failure: the caller's mistake, and a failure while working.

Faces translate them: an ``InputError`` becomes HTTP 4xx or CLI exit 2 with its message; anything
else becomes HTTP 500 / exit 1 and is logged.
"""

from __future__ import annotations


class AssistantError(Exception):
    """Base class of every error the library raises on purpose."""


class InputError(AssistantError, ValueError):
    """The caller asked for something invalid (bad argument, unknown id, oversized text)."""

    status_code = 422


class NotFoundError(InputError):
    """A document, chunk or tool named by the caller does not exist."""

    status_code = 404


class TooLargeError(InputError):
    """Input over a configured size limit."""

    status_code = 413


class UnsupportedTypeError(InputError):
    """A file whose type the assistant cannot read."""

    status_code = 415


class IndexMismatchError(InputError):
    """The index on disk was built by another embedder (or another format) than the one configured."""

    status_code = 409


class DocumentError(AssistantError):
    """One document could not be loaded (corrupt, encrypted, empty, binary). Ingest reports it and goes on."""


class StoreError(AssistantError):
    """The vector store, lexical index or registry failed while working."""
