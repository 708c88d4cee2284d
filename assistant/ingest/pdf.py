"""PDF text extraction with pypdfium2 and the clean-up that turns printed lines back into paragraphs."""

from __future__ import annotations

import functools
import logging
import re
import unicodedata
from pathlib import Path

from assistant.errors import DocumentError
from assistant.models import PageSpan
from assistant.text import CJK, CJK_WIDE_RE

logger = logging.getLogger(__name__)

_SOFT_HYPHEN = "\x02"  # pdfium marks a hyphen the typesetter inserted at a line end with U+0002
_TERMINATORS = tuple(".!?:;。！？：；…")
_CLOSING = "\"')]}”’」』）"
_BULLET_RE = re.compile(r"[•◦▪●■□◆◇▸►‣∙·]\s|[-–—]\s\S")
# Numbered headings ("3.2.2. Efficient ...", "4 Evaluation", "A.1 Details"), captions, appendix titles.
_HEADING_RE = re.compile(
    r"(?:\d{1,2}(?:\.\d{1,2}){0,3}\.?|[A-Z]\.\d{1,2}(?:\.\d{1,2})*\.?|Appendix\s+[A-Z]\.?)\s+[A-Z" + CJK + "]"
    r"|(?:Table|Figure|Fig\.|Algorithm)\s+\d+\s*[|:.]"
    r"|(?:Abstract|Contents|References|Acknowledg(?:e)?ments?)\s*$"
    r"|[图表]\s*\d+"
)
_WORD_PAIR_RE = re.compile(r"([A-Za-z]+)-([A-Za-z]+)")
_WORD_RE = re.compile(r"[A-Za-z]{2,}")
_SOFT_JOIN_RE = re.compile(rf"([A-Za-z]*){_SOFT_HYPHEN}\s*([A-Za-z]*)")
_CJK_CHARS = CJK_WIDE_RE
_NOT_TITLE_RE = re.compile(r"[\d\s/.:,-]*$|arxiv:|https?://|www\.|page \d", re.I)
_META_JUNK_RE = re.compile(
    r"^(untitled|microsoft word|document\d*|slide \d+)|\.(docx?|tex|pdf|dvi|pptx?)$", re.I
)


@functools.cache
def _cleanup_table() -> dict[int, str | None]:
    """Deletes invisible characters and folds ligatures / math alphanumerics (𝑃 -> P) to plain letters."""
    table: dict[int, str | None] = {c: None for c in (0xFFFE, 0xFFFF, 0x00AD, 0xFEFF, 0x200B)}
    for c in (*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F):
        if c != 0x02:
            table[c] = None
    for c in (*range(0xFB00, 0xFB07), *range(0x1D400, 0x1D800)):
        folded = unicodedata.normalize("NFKC", chr(c))
        if folded != chr(c):
            table[c] = folded
    table[0x00A0] = " "
    table[0x2002] = table[0x2003] = table[0x2009] = " "
    return table


def _vocabulary(raw_pages: list[str]) -> tuple[set[str], set[str]]:
    """Hyphenated compounds and plain words seen anywhere in the document, to decide line-end hyphens."""
    compounds: set[str] = set()
    words: set[str] = set()
    for raw in raw_pages:
        compounds.update(f"{a}-{b}".lower() for a, b in _WORD_PAIR_RE.findall(raw))
        words.update(w.lower() for w in _WORD_RE.findall(raw))
    return compounds, words


def _join_hyphenated(left: str, right: str, soft: bool, compounds: set[str], words: set[str]) -> str:
    """How a word broken at a line end is written whole: keep the hyphen if the document uses the compound."""
    if not left or not right:
        return left + right
    if f"{left}-{right}".lower() in compounds:
        return f"{left}-{right}"
    if f"{left}{right}".lower() in words or (soft and right[:1].islower()):
        return left + right
    return f"{left}-{right}"


def _is_cjk(ch: str) -> bool:
    return bool(ch) and bool(_CJK_CHARS.match(ch))


def _normalise_page(raw: str, compounds: set[str], words: set[str]) -> str:
    """Join wrapped lines with spaces, keep paragraph breaks as blank lines and table-like short lines apart."""
    text = raw.replace("\r\n", "\n").replace("\r", "\n").translate(_cleanup_table())
    if _SOFT_HYPHEN in text:
        text = _SOFT_JOIN_RE.sub(lambda m: _join_hyphenated(m[1], m[2], True, compounds, words), text)
    lines = [" ".join(line.split()) for line in text.split("\n")]
    lengths = sorted(len(line) for line in lines if line)
    if not lengths:
        return ""
    width = lengths[int(len(lengths) * 0.8)] if len(lengths) >= 5 else lengths[-1]
    out: list[str] = []
    prev = ""
    for line in lines:
        if not line:
            if prev:
                out.append("\n\n")
            prev = ""
            continue
        if not prev:
            if out and out[-1] != "\n\n":
                out.append("\n\n")
            out.append(line)
            prev = line
            continue
        if prev.endswith("-") and len(prev) > 1 and prev[-2].isalpha() and line[:1].isalpha():
            head = re.search(r"([A-Za-z]+)-$", prev)
            tail = re.match(r"[A-Za-z]+", line)
            if head and tail:
                joined = _join_hyphenated(head[1], tail[0], False, compounds, words)
                out[-1] = out[-1][: len(out[-1]) - len(head[0])] + joined
                rest = line[tail.end() :]
                out[-1] += rest
                prev = prev[: len(prev) - len(head[0])] + joined + rest
                continue
        ends_sentence = prev.rstrip(_CLOSING).endswith(_TERMINATORS)
        starts_block = bool(_BULLET_RE.match(line) or _HEADING_RE.match(line))
        prev_heading = bool(_HEADING_RE.match(prev)) and not ends_sentence and len(prev) < 0.85 * width
        short = len(prev) < 0.85 * width
        if (starts_block and (ends_sentence or short)) or prev_heading or (ends_sentence and short):
            sep = "\n\n"
        elif len(prev) < 0.6 * width:
            sep = "\n"  # table rows, labels, formula pieces: their own line, not a paragraph
        elif _is_cjk(prev[-1]) and _is_cjk(line[0]):
            sep = ""  # Chinese wraps without a space
        else:
            sep = " "
        out.append(sep)
        out.append(line)
        prev = line
    return "".join(out).strip()


def _meaningful_title(value: str | None) -> str | None:
    if not value:
        return None
    title = " ".join(value.split())
    if len(title) < 4 or title.isdigit() or _META_JUNK_RE.search(title):
        return None
    return title[:200]


def _metadata_date(value: str | None) -> str | None:
    m = re.match(r"(?:D:)?(\d{4})(\d{2})(\d{2})", value or "")
    if not m or not (1 <= int(m[2]) <= 12 and 1 <= int(m[3]) <= 31):
        return None
    return f"{m[1]}-{m[2]}-{m[3]}"


def extract_pdf(path: Path) -> tuple[str, list[PageSpan], str | None, str | None]:
    """Extract normalised text, page spans, a title (metadata or first line) and the creation date of a PDF.

    Raises ``DocumentError`` for encrypted, corrupt or text-less PDFs.
    """
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise DocumentError("encrypted PDF") from None
        raise DocumentError(f"corrupt PDF ({exc})") from None
    try:
        metadata = pdf.get_metadata_dict(skip_empty=True)
        raw_pages: list[str] = []
        for index in range(len(pdf)):
            page = pdf[index]
            try:
                textpage = page.get_textpage()
                try:
                    raw_pages.append(textpage.get_text_bounded())
                finally:
                    textpage.close()
            finally:
                page.close()
    except pdfium.PdfiumError as exc:
        raise DocumentError(f"corrupt PDF ({exc})") from None
    finally:
        pdf.close()
    if not raw_pages:
        raise DocumentError("PDF has no pages")
    compounds, words = _vocabulary(raw_pages)
    parts: list[str] = []
    spans: list[PageSpan] = []
    offset = 0
    for number, raw in enumerate(raw_pages, start=1):
        page_text = _normalise_page(raw, compounds, words)
        if parts:
            offset += 2  # the "\n\n" between pages
        spans.append(PageSpan(page=number, start=offset, end=offset + len(page_text)))
        parts.append(page_text)
        offset += len(page_text)
    text = "\n\n".join(parts)
    if not text.strip():
        raise DocumentError("PDF has no extractable text (scanned images?)")
    title = _meaningful_title(metadata.get("Title")) or _first_line(raw_pages)
    return text, spans, title, _metadata_date(metadata.get("CreationDate"))


def _first_line(raw_pages: list[str]) -> str | None:
    """The first printed line (before wrapped lines are joined), which is usually the title."""
    for raw in raw_pages[:3]:
        for line in raw.translate(_cleanup_table()).replace(_SOFT_HYPHEN, "").splitlines():
            line = " ".join(line.split())
            # running heads such as a date, an arXiv stamp or a URL are not the title
            if line and not _NOT_TITLE_RE.match(line):
                return line[:200]
    return None
