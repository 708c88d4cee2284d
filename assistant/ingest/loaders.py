"""Turn one file (PDF, HTML, Markdown, plain text, CSV) into a ``LoadedDocument``: text, title, date, spans.

Every loader keeps the text it returns as the single reference for offsets: chunks and citations point into
``LoadedDocument.text``. Bad files raise ``DocumentError`` with a one-line reason; ingest reports it and goes on.
"""

from __future__ import annotations

import csv
import importlib.util
import io
import logging
import os
import re
import threading
from collections.abc import Callable
from pathlib import Path

from assistant.errors import DocumentError, InputError, UnsupportedTypeError
from assistant.models import DocumentKind, Language, LoadedDocument, RowSpan
from assistant.settings import Settings
from assistant.text import RECORD_FIELD_SEP, detect_language

logger = logging.getLogger(__name__)

SUPPORTED_SUFFIXES: dict[str, DocumentKind] = {
    ".pdf": "pdf",
    ".html": "html",
    ".htm": "html",
    ".md": "markdown",
    ".markdown": "markdown",
    ".txt": "text",
    ".text": "text",
    ".csv": "csv",
}

Loader = Callable[[Path, Settings], LoadedDocument]

# Raised for a kind when its loader starts reading the same bytes into other text (markdown 2: HTML tables become
# pipe tables; html 2: a table's rows stay together), or when the same text is indexed otherwise (csv 2: the rows
# of a short CSV get vectors, see ``settings.DENSE_CSV_ROWS``; csv 3: the row's key column leads its record and
# is indexed with every chunk cut from inside the record). The next ingest re-reads the indexed files of that
# kind although their bytes did not change, and re-indexes those whose text or chunks differ (``ingest.versions``).
LOADER_VERSIONS: dict[DocumentKind, int] = {"pdf": 1, "html": 2, "markdown": 2, "text": 1, "csv": 3}
# loaders registered for more suffixes (``register_loader``), tried before the built-in ones
_BY_SUFFIX: dict[str, Loader] = {}
_PLUGINS_LOCK = threading.Lock()
_PLUGINS: set[Path] = set()


def register_loader(*suffixes: str, kind: DocumentKind) -> Callable[[Loader], Loader]:
    """Decorator: read files ending in ``suffixes`` (".rst") with the decorated ``fn(path, settings)``.

    ``kind`` is the document kind the result is stored as (its chunks are embedded when the kind is in
    ``settings.dense_kinds``). A suffix registered again is taken over by the newer loader.
    """
    for suffix in suffixes:
        if not re.fullmatch(r"\.[A-Za-z0-9_-]{1,16}", suffix):
            raise ValueError(f"a suffix is a dot and up to 16 letters or digits, got {suffix!r}")

    def register(fn: Loader) -> Loader:
        for suffix in suffixes:
            SUPPORTED_SUFFIXES[suffix.lower()] = kind
            _BY_SUFFIX[suffix.lower()] = fn
        return fn

    return register


def load_plugins(spec: str) -> None:
    """Run the Python files listed in ``spec`` (separated by ``os.pathsep``) once each, so that their
    ``register_loader`` calls take effect (``settings.loaders`` / ``ASSISTANT_LOADERS``)."""
    for part in filter(None, (p.strip() for p in spec.split(os.pathsep))):
        path = Path(part).expanduser().resolve()
        with _PLUGINS_LOCK:
            if path in _PLUGINS:
                continue
            if not path.is_file() or path.suffix != ".py":
                raise InputError(f"loader file not found (a .py file is expected): {part}")
            module_spec = importlib.util.spec_from_file_location(f"assistant_loader_{len(_PLUGINS)}", path)
            if module_spec is None or module_spec.loader is None:
                raise InputError(f"cannot load loader file {part}")
            module = importlib.util.module_from_spec(module_spec)
            module_spec.loader.exec_module(module)
            _PLUGINS.add(path)
            logger.info("loaders from %s", path)


_LANGUAGE_SAMPLE = 6000  # characters taken from the start, middle and end of a document


def load_document(path: Path, settings: Settings) -> LoadedDocument:
    """Load one file by its suffix. Raises ``UnsupportedTypeError`` for an unknown suffix and
    ``DocumentError`` for a file that is empty, binary, too large, corrupt, encrypted or without text."""
    path = Path(path)
    kind = SUPPORTED_SUFFIXES.get(path.suffix.lower())
    if kind is None:
        raise UnsupportedTypeError(
            f"unsupported file type '{path.suffix or path.name}' (supported: "
            f"{', '.join(sorted(SUPPORTED_SUFFIXES))})"
        )
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise DocumentError(f"cannot read file: {exc.strerror or exc}") from None
    if size > settings.max_file_bytes:
        raise DocumentError(f"file too large: {size} bytes (limit {settings.max_file_bytes})")
    if size == 0:
        raise DocumentError("empty file")
    try:
        doc = _BY_SUFFIX.get(path.suffix.lower(), _LOADERS[kind])(path, settings)
    except OSError as exc:
        raise DocumentError(f"cannot read file: {exc.strerror or exc}") from None
    if not doc.text.strip():
        raise DocumentError("no text in file")
    if doc.language == "unknown":
        doc.language = detect_language(_sample(doc.text))
    if doc.date is None:
        doc.date = date_from_name(path.stem)
    return doc


# --- shared helpers -----------------------------------------------------------------------------------


def _sample(text: str) -> str:
    if len(text) <= 3 * _LANGUAGE_SAMPLE:
        return text
    mid = len(text) // 2
    return text[:_LANGUAGE_SAMPLE] + text[mid : mid + _LANGUAGE_SAMPLE] + text[-_LANGUAGE_SAMPLE:]


def humanize_stem(stem: str) -> str:
    """A file name as a title: underscores become spaces ("DeepSeek-V3_README" -> "DeepSeek-V3 README")."""
    return " ".join(stem.replace("_", " ").split()) or stem


_ISO_DATE_RE = re.compile(r"(?<!\d)((?:19|20)\d{2})[-_/.]?(\d{1,2})(?:[-_/.]?(\d{1,2}))?(?!\d)")
_ZH_DATE_RE = re.compile(r"((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月(?:\s*(\d{1,2})\s*日)?")


def _valid_date(year: str, month: str, day: str | None) -> str | None:
    m = int(month)
    if not 1 <= m <= 12:
        return None
    if day is None:
        return f"{year}-{m:02d}"
    d = int(day)
    return f"{year}-{m:02d}-{d:02d}" if 1 <= d <= 31 else None


def parse_date(value: str) -> str | None:
    """Normalise "2025-01-27", "2025/1/27", "20250127", "2025年1月27日" or "2025-01" to ISO; else None."""
    value = value.strip()
    for regex in (_ZH_DATE_RE, _ISO_DATE_RE):
        m = regex.search(value)
        if m:
            year, month, day = m.group(1), m.group(2), m.group(3)
            # "202501" without separators is ambiguous with other numbers: only accept full 8-digit dates
            if regex is _ISO_DATE_RE and not re.search(r"[-_/.]", m.group(0)) and day is None:
                continue
            found = _valid_date(year, month, day) or (_valid_date(year, month, None) if day else None)
            if found:
                return found
    return None


def date_from_name(stem: str) -> str | None:
    """A YYYY-MM-DD, YYYYMMDD, YYYY-MM or YYYY年M月 date in a file name, as ISO."""
    return parse_date(stem)


_TEXT_ENCODINGS = ("utf-8", "gb18030")


def _is_binary(data: bytes) -> bool:
    head = data[:8192]
    if b"\x00" in head:
        return True
    controls = sum(1 for b in head if b < 9 or 13 < b < 32 and b != 27)
    return controls > max(4, len(head) // 50)


def decode_text(data: bytes) -> str:
    """Decode file bytes as UTF-8 (BOM allowed), UTF-16 with a BOM, else GB18030 for Chinese files.

    Raises ``DocumentError`` for binary content or bytes that fit neither encoding.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise DocumentError("undecodable text (bad UTF-16)") from None
    if _is_binary(data):
        raise DocumentError("binary file")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    for encoding in _TEXT_ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise DocumentError("undecodable text (neither UTF-8 nor GB18030)")


def _first_line(text: str, limit: int) -> str | None:
    for line in text.splitlines():
        line = line.strip()
        if line:
            return line if len(line) <= limit else None
    return None


# --- kinds --------------------------------------------------------------------------------------------


def _load_pdf(path: Path, settings: Settings) -> LoadedDocument:
    from assistant.ingest.pdf import extract_pdf

    text, pages, title, date = extract_pdf(path)
    return LoadedDocument(
        text=text, kind="pdf", title=title or humanize_stem(path.stem), date=date, pages=pages
    )


def _load_text(path: Path, settings: Settings) -> LoadedDocument:
    text = decode_text(path.read_bytes()).replace("\r\n", "\n").replace("\r", "\n")
    title = _first_line(text, 120) or humanize_stem(path.stem)
    return LoadedDocument(text=text, kind="text", title=title, date=None)


_FRONT_MATTER_RE = re.compile(r"\A---[ \t]*\n(.*?)\n---[ \t]*(?:\n|\Z)", re.S)
_H1_RE = re.compile(r"#[ \t]+(.+?)[ \t#]*$")
_LANGUAGES: dict[str, Language] = {"zh": "zh", "en": "en", "mixed": "mixed", "chinese": "zh", "english": "en"}


def parse_front_matter(block: str) -> dict[str, str]:
    """Simple ``key: value`` lines (quotes stripped, keys lowercased); other YAML is ignored."""
    fields: dict[str, str] = {}
    for line in block.splitlines():
        key, sep, value = line.partition(":")
        key = key.strip().lower()
        if not sep or not key or key.startswith("#") or line[:1].isspace():
            continue
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        fields[key] = value
    return fields


def _markdown_title(body: str) -> str | None:
    """The first level-1 heading, if it comes before any prose (badges, HTML and blank lines are skipped)."""
    lines = body.splitlines()
    for i, raw in enumerate(lines[:200]):
        line = raw.strip()
        if not line or line.startswith(("<", "![", "[!", "[![", "---", "***")):
            continue
        m = _H1_RE.fullmatch(line)
        if m:
            return m.group(1).strip()[:200]
        nxt = lines[i + 1].strip() if i + 1 < len(lines) else ""
        if nxt and set(nxt) == {"="}:
            return line[:200]  # setext heading
        return None
    return None


def _load_markdown(path: Path, settings: Settings) -> LoadedDocument:
    from assistant.ingest.htmltables import rewrite_html_tables

    text = decode_text(path.read_bytes()).replace("\r\n", "\n").replace("\r", "\n")
    fields: dict[str, str] = {}
    m = _FRONT_MATTER_RE.match(text)
    if m:
        fields = parse_front_matter(m.group(1))
        text = text[m.end() :]
    text = text.lstrip("\n")
    url = fields.get("url") or None
    if url is None and fields.get("source", "").startswith(("http://", "https://")):
        url = fields["source"]
    language = _LANGUAGES.get(fields.get("language", "").lower().split("-")[0], "unknown")
    return LoadedDocument(
        text=rewrite_html_tables(text),
        kind="markdown",
        title=fields.get("title") or _markdown_title(text) or humanize_stem(path.stem),
        date=parse_date(fields["date"]) if fields.get("date") else None,
        url=url,
        language=language,
    )


def _load_html(path: Path, settings: Settings) -> LoadedDocument:
    from assistant.ingest.html import extract_html

    data = path.read_bytes()
    if _is_binary(data):
        raise DocumentError("binary file")
    text, title, date, url = extract_html(data)
    return LoadedDocument(
        text=text,
        kind="html",
        title=title or humanize_stem(path.stem),
        date=parse_date(date or "") or None,
        url=url,
    )


def _csv_delimiter(header_line: str) -> str:
    """The most frequent of , ; tab | in the header line (comma on a tie or when none occurs)."""
    counts = {d: header_line.count(d) for d in ",;\t|"}
    best = max(counts, key=lambda d: (counts[d], d == ","))
    return best if counts[best] else ","


_KEY_CHARS = 120  # a column with longer values (a description, an abstract) names no row


def _has_letters(value: str) -> bool:
    return any(ch.isalpha() for ch in value)


def key_column(table: list[list[str]], width: int) -> int:
    """The column that names each row, read from the file's own values: the first column whose values are all
    present, all different, short and worded (a rank, a date or a figure is no name), the first such from the
    left; the first column when no column is one."""
    for col in range(width):
        values = [row[col] if col < len(row) else "" for row in table]
        if (
            all(values)
            and len(set(values)) == len(values)
            and all(len(v) <= _KEY_CHARS for v in values)
            and any(_has_letters(v) for v in values)
        ):
            return col
    return 0


def _load_csv(path: Path, settings: Settings) -> LoadedDocument:
    text_in = decode_text(path.read_bytes())
    first_line = text_in[: text_in.find("\n")] if "\n" in text_in else text_in
    # the csv module refuses cells over 128 KiB by default; long free-text cells are legitimate here
    if csv.field_size_limit() < settings.max_file_bytes:
        csv.field_size_limit(settings.max_file_bytes)
    reader = csv.reader(io.StringIO(text_in, newline=""), delimiter=_csv_delimiter(first_line))
    table: list[tuple[int, list[str]]] = []
    try:
        header = next(reader, None)
        if not header:
            raise DocumentError("CSV has no header row")
        if len(header) > settings.max_csv_columns:
            raise DocumentError(f"CSV too wide: {len(header)} columns (limit {settings.max_csv_columns})")
        for number, row in enumerate(reader, start=1):
            if number > settings.max_csv_rows:
                raise DocumentError(f"CSV too long: more than {settings.max_csv_rows} rows")
            if len(row) > settings.max_csv_columns:
                raise DocumentError(f"CSV too wide: row {number} has {len(row)} columns")
            cells = [" ".join(cell.split()) for cell in row]
            if any(cells):
                table.append((number, cells))
    except csv.Error as exc:
        raise DocumentError(f"malformed CSV: {exc}") from None
    if not table:
        raise DocumentError("CSV has no data rows")
    width = max(len(header), *(len(cells) for _, cells in table))
    names = [(" ".join(h.split()) if i < len(header) else "") or f"Column {i + 1}" for i, h in enumerate(
        header + [""] * (width - len(header))
    )]
    # the row's key leads its record, so every record starts with the row's name, and a chunk cut from inside a
    # long record is indexed with it (``chunking.record_context``)
    key = key_column([cells for _, cells in table], width)
    order = [key, *(i for i in range(width) if i != key)]
    parts: list[str] = []
    rows: list[RowSpan] = []
    offset = 0
    for number, cells in table:
        fields = [f"{names[i]}: {cells[i]}" for i in order if i < len(cells) and cells[i]]
        if not fields:
            continue
        record = RECORD_FIELD_SEP.join(fields)
        if parts:
            offset += 1  # the "\n" between records
        rows.append(RowSpan(row=number, start=offset, end=offset + len(record)))
        parts.append(record)
        offset += len(record)
    return LoadedDocument(
        text="\n".join(parts), kind="csv", title=humanize_stem(path.stem), date=None, rows=rows
    )


_LOADERS: dict[DocumentKind, Loader] = {
    "pdf": _load_pdf,
    "html": _load_html,
    "markdown": _load_markdown,
    "text": _load_text,
    "csv": _load_csv,
}
