"""A PDF page as printed: rendered to PNG by pypdfium2, with a quoted span marked over its character boxes.

The quote comes from the document's extracted text (citation offsets); the extraction joined lines and folded
ligatures, so the quote is found again in the page's own characters by comparing both without whitespace, and the
boxes of those characters are tinted. Renders are kept in a small LRU cache keyed by the file's content hash.
"""

from __future__ import annotations

import hashlib
import logging
import struct
import threading
import unicodedata
import zlib
from collections import OrderedDict
from pathlib import Path
from typing import Any

from assistant.errors import InputError, NotFoundError

log = logging.getLogger(__name__)

SCALE = 1.5  # 108 dpi: readable in a side panel, about 150 KB a page
MAX_PIXELS = 12_000_000
CACHE_ENTRIES = 32
HIGHLIGHT = (255, 214, 0)
ALPHA = 0.45


class PageRenders:
    """Rendered page PNGs, most recently used kept (thread-safe)."""

    def __init__(self, entries: int = CACHE_ENTRIES) -> None:
        self._entries = entries
        self._cache: OrderedDict[tuple[Any, ...], bytes] = OrderedDict()
        self._lock = threading.Lock()

    def png(self, path: Path, content_hash: str, page: int, quote: str | None) -> bytes:
        """The PNG of 1-based ``page`` of the PDF at ``path``, with ``quote`` marked when given and found."""
        key = (str(path), content_hash, page, quote)
        with self._lock:
            hit = self._cache.get(key)
            if hit is not None:
                self._cache.move_to_end(key)
                return hit
        data = render_page(path, page, quote)
        with self._lock:
            self._cache[key] = data
            while len(self._cache) > self._entries:
                self._cache.popitem(last=False)
        return data


def render_page(path: Path, page: int, quote: str | None = None) -> bytes:
    """Render one page to PNG bytes; raises ``NotFoundError`` for a page the PDF does not have."""
    import pypdfium2 as pdfium

    if not path.is_file():
        raise NotFoundError("the document's PDF file is no longer available")
    pdf = pdfium.PdfDocument(str(path))
    try:
        if not 1 <= page <= len(pdf):
            raise NotFoundError(f"page {page} is not in this document (it has {len(pdf)} pages)")
        pg = pdf[page - 1]
        width, height = pg.get_size()
        scale = min(SCALE, (MAX_PIXELS / max(width * height, 1.0)) ** 0.5)
        boxes = _quote_boxes(pg, quote) if quote else []
        bitmap = pg.render(scale=scale)
        pixels = bitmap.to_numpy()[:, :, :3].copy()
        mode = bitmap.mode
        if mode in ("BGRA", "BGRX", "BGR"):
            pixels = pixels[:, :, ::-1].copy()
        for left, bottom, right, top in boxes:
            _tint(pixels, scale, height, left, bottom, right, top)
        return encode_png(pixels)
    finally:
        pdf.close()


def _quote_boxes(pg: Any, quote: str) -> list[tuple[float, float, float, float]]:
    """Character boxes (PDF points) of the quote's characters on the page; [] when the quote is not there."""
    textpage = pg.get_textpage()
    try:
        count = textpage.count_chars()
        chars = textpage.get_text_range(0, count) if count else ""
        page_keys, page_index = _keys(chars)
        quote_keys, _ = _keys(quote)
        if not quote_keys:
            return []
        at = page_keys.find(quote_keys)
        if at < 0:
            log.debug("quote not found on the rendered page")
            return []
        boxes = []
        for i in page_index[at : at + len(quote_keys)]:
            if i < count:
                left, bottom, right, top = textpage.get_charbox(i)
                if right > left and top > bottom:
                    boxes.append((left, bottom, right, top))
        return _merge_lines(boxes)
    finally:
        textpage.close()


def _keys(text: str) -> tuple[str, list[int]]:
    """The text without whitespace, hyphen breaks and control marks, NFKC-folded, with each kept character's index."""
    out: list[str] = []
    index: list[int] = []
    for i, ch in enumerate(text):
        if ch.isspace() or ch in "\x02\xad-\u2010\u2011" or unicodedata.category(ch).startswith("C"):
            continue
        for folded in unicodedata.normalize("NFKC", ch).lower():
            out.append(folded)
            index.append(i)
    return "".join(out), index


def _merge_lines(boxes: list[tuple[float, float, float, float]]) -> list[tuple[float, float, float, float]]:
    """Neighbouring character boxes on one line joined into one rectangle (fewer, cleaner marks)."""
    merged: list[list[float]] = []
    for left, bottom, right, top in boxes:
        if merged:
            m = merged[-1]
            same_line = abs(bottom - m[1]) < 0.6 * max(top - bottom, m[3] - m[1])
            if same_line and left >= m[0] - 1 and left - m[2] < 2 * (top - bottom):
                m[1], m[2], m[3] = min(m[1], bottom), max(m[2], right), max(m[3], top)
                continue
        merged.append([left, bottom, right, top])
    return [(a, b, c, d) for a, b, c, d in merged]


def _tint(pixels: Any, scale: float, page_height: float, left: float, bottom: float, right: float, top: float) -> None:
    rows, cols = pixels.shape[:2]
    pad = 1.5
    x0 = max(int((left - pad) * scale), 0)
    x1 = min(int((right + pad) * scale) + 1, cols)
    y0 = max(int((page_height - top - pad) * scale), 0)
    y1 = min(int((page_height - bottom + pad) * scale) + 1, rows)
    if x1 <= x0 or y1 <= y0:
        return
    region = pixels[y0:y1, x0:x1].astype("float32")
    for c, value in enumerate(HIGHLIGHT):
        # multiply-like blend keeps dark glyphs dark under the mark
        region[:, :, c] = region[:, :, c] * (1 - ALPHA) + region[:, :, c] * (value / 255) * ALPHA
    pixels[y0:y1, x0:x1] = region.astype("uint8")


def encode_png(pixels: Any) -> bytes:
    """RGB ``uint8`` array (rows, cols, 3) as PNG bytes (no imaging library needed)."""
    rows, cols = pixels.shape[:2]
    raw = b"".join(b"\x00" + pixels[r].tobytes() for r in range(rows))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", cols, rows, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 6)) + chunk(b"IEND", b"")


def etag(content_hash: str, page: int, start: int | None, end: int | None) -> str:
    """A strong validator of one render: the file version, the page and the marked span."""
    key = f"{content_hash}:{page}:{start}:{end}:{SCALE}".encode()
    return '"' + hashlib.sha256(key).hexdigest()[:32] + '"'


def check_span(start: int | None, end: int | None, total: int) -> None:
    """Both offsets or neither, inside the text, start before end."""
    if (start is None) != (end is None):
        raise InputError("give both start and end, or neither")
    if start is not None and end is not None:
        if end <= start:
            raise InputError(f"end ({end}) must be after start ({start})")
        if end > total:
            raise InputError(f"end ({end}) is past the end of the document's text ({total} characters)")
