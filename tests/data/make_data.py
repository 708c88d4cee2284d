"""Write the generated test files (PDFs, GB18030 text, binary junk) byte for byte, deterministically.

Run ``python tests/data/make_data.py`` after changing it; ``tests/test_loaders.py`` checks that the files in
the repository equal what this script produces. The PDFs are written by hand (standard Helvetica font, one
text line per ``Tj``) with a correct cross-reference table, so no PDF library is needed to make them.
"""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).resolve().parent

Line = tuple[int, int, int, str]  # x, y, font size, text

REPORT_PAGES: list[list[Line]] = [
    [
        (72, 740, 18, "Tiny Test Report"),
        (72, 700, 11, "The cluster used 2,048 H800 GPUs for the pre-training stage, which ran"),
        (72, 686, 11, "for 2.788M GPU hours in total, i.e. about two months of wall-"),
        (72, 672, 11, "clock time. See Fig. 3 for the breakdown of costs across the stages of the inter-"),
        (72, 658, 11, "connect and the training run, where the interconnect was NVLink."),
        (72, 644, 11, "Prices are quoted in U.S. dollars."),
        (72, 630, 11, "2 Method"),
        (72, 610, 11, "We train a mixture-of-experts model with 671B parameters, of which only 37B"),
        (72, 596, 11, "are activated for each token; the design keeps inference cheap."),
    ],
    [
        (72, 740, 11, "The second page reports the wall-clock totals. The training cost $5.576M, assuming"),
        (72, 726, 11, "a rental price of $2 per GPU hour."),
        (72, 698, 11, "Stage Hours Cost"),
        (72, 684, 11, "Pre-training 2664K $5.328M"),
    ],
]


def _escape(text: str) -> bytes:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)").encode("latin-1")


def _content(lines: list[Line]) -> bytes:
    ops = [b"BT /F1 %d Tf 1 0 0 1 %d %d Tm (%s) Tj ET" % (size, x, y, _escape(t)) for x, y, size, t in lines]
    return b"\n".join(ops) + b"\n"


def make_pdf(pages: list[list[Line]], info: dict[str, str] | None = None, encrypted: bool = False) -> bytes:
    """A minimal valid PDF with one Helvetica text line per entry; optionally an unreadable /Encrypt entry."""
    objects: list[bytes] = []  # object n is objects[n - 1]
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    objects.append(b"")  # pages tree, filled in below
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    kids = []
    for lines in pages:
        stream = _content(lines)
        objects.append(b"<< /Length %d >>\nstream\n%sendstream" % (len(stream), stream))
        content_id = len(objects)
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> "
            b"/Contents %d 0 R >>" % content_id
        )
        kids.append(b"%d 0 R" % len(objects))
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(kids), len(kids))
    trailer_extra = b""
    if info:
        entries = b" ".join(b"/%s (%s)" % (k.encode(), _escape(v)) for k, v in info.items())
        objects.append(b"<< %s >>" % entries)
        trailer_extra += b" /Info %d 0 R" % len(objects)
    if encrypted:
        # a user password is set (/U does not match the empty password), so readers must ask for it
        objects.append(
            b"<< /Filter /Standard /V 1 /R 2 /Length 40 /P -44 /O <%s> /U <%s> >>" % (b"ab" * 32, b"cd" * 32)
        )
        trailer_extra += b" /Encrypt %d 0 R /ID [<%s> <%s>]" % (len(objects), b"01" * 16, b"01" * 16)
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R%s >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        trailer_extra,
        xref,
    )
    return bytes(out)


ZH_TEXT = (
    "深度求索发布了DeepSeek-V3模型。该模型的训练共使用了278.8万H800 GPU小时！\n"
    "按每小时2美元计算，总成本约为557.6万美元。\n"
)


# UTF-8 with a byte-order mark, a quoted cell holding a comma and a line break, an empty cell, a long cell
CHIPS_CSV = (
    "\ufeffHardware name,Manufacturer,Memory (GB),Release date,Notes\r\n"
    'H800,NVIDIA,80,2023-03-21,"China-market variant of the H100, with reduced\nNVLink bandwidth"\r\n'
    "Ascend 910B,Huawei,64,,\r\n"
    "TPU v5p,Google,95,2023-12-06," + " ".join(["Long free-text note about pods and slices."] * 8) + "\r\n"
)


def generated_files() -> dict[str, bytes]:
    """Relative path -> exact bytes of every generated test file."""
    report = make_pdf(REPORT_PAGES, info={"Title": "Tiny Test Report", "CreationDate": "D:20250115093000Z"})
    untitled = make_pdf(REPORT_PAGES[1:], info={"Title": "untitled"})
    blank = make_pdf([[]])
    return {
        "corpus/report.pdf": report,
        "corpus/chips.csv": CHIPS_CSV.encode("utf-8"),
        "corpus/zh/costs_gb18030.txt": ("成本说明\n\n" + ZH_TEXT).encode("gb18030"),
        "bad/untitled.pdf": untitled,
        "bad/encrypted.pdf": make_pdf(REPORT_PAGES, encrypted=True),
        "bad/no_text.pdf": blank,
        "bad/corrupt.pdf": report[: len(report) // 3],  # truncated: no xref, objects cut off
        "bad/binary.txt": bytes(range(256)) * 4,
        "bad/empty.txt": b"",
    }


def main() -> None:
    for name, data in generated_files().items():
        target = HERE / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)


if __name__ == "__main__":
    main()
