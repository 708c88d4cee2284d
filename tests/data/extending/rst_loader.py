"""A loader for reStructuredText notes (.rst): the README's "add a loader" example, run by its commands."""

from __future__ import annotations

import re
from pathlib import Path

from assistant.ingest.loaders import decode_text, register_loader
from assistant.models import LoadedDocument
from assistant.settings import Settings

# a title is a line underlined (and maybe overlined) with = - ~ or #
_TITLE = re.compile(r"^(?:[=\-~#]{3,}\n)?(?P<title>[^\n]+)\n[=\-~#]{3,}$", re.M)


@register_loader(".rst", kind="text")
def load_rst(path: Path, settings: Settings) -> LoadedDocument:
    """The file's text as it is (offsets stay valid), titled by its first underlined heading."""
    text = decode_text(path.read_bytes()).replace("\r\n", "\n")
    m = _TITLE.search(text)
    return LoadedDocument(text=text, kind="text", title=m["title"].strip() if m else path.stem)
