"""Accelerator specifications from ``tools/data/chips.csv``: dense peak FLOP/s by precision, memory, bandwidth.

Each row names where its figures come from (mostly the Epoch AI ML hardware dataset, 2026-03 snapshot, and the
ml-engineering accelerator README); the table is read on first use, never at import.
"""

from __future__ import annotations

import csv
import re
from functools import cache
from importlib import resources

from pydantic import Field

from tools import fmt
from tools.results import Source, ToolResult
from tools.vocab import names

__all__ = ["ChipSpec", "chip_specs", "peak_flops", "PRECISIONS", "normalise_precision", "known_chips", "known_vendors"]

PRECISIONS = ("bf16", "fp16", "fp8", "fp4")
_PRECISION_ALIASES = {"bfloat16": "bf16", "half": "fp16", "float16": "fp16", "e4m3": "fp8", "e5m2": "fp8"}


@cache
def _vendor_words() -> re.Pattern[str]:
    """Vendor words a chip name may start with (tools/data/names.toml, plus each row's vendor), dropped for lookup."""
    words = {w.lower() for w in names().chip_vendors}
    words |= {row["vendor"].lower().replace(" ", "") for row in _rows()}
    alt = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(rf"^(?:{alt}|the)")


class ChipSpec(ToolResult):
    """One accelerator's specifications."""

    tool: str = "chip_specs"
    query: str = Field(description="The name as asked for.")
    name: str
    vendor: str
    aliases: list[str]
    release_date: str | None = None
    peak_flops: dict[str, float] = Field(description="Dense peak FLOP/s by precision (bf16, fp16, fp8, fp4).")
    memory_bytes: float | None = None
    memory_bandwidth: float | None = Field(default=None, description="Bytes per second.")
    note: str = ""

    def render(self, lang: str = "en") -> str:
        peaks = ", ".join(f"{p.upper()} {fmt.sig(v / 1e12, 5)} TFLOP/s" for p, v in self.peak_flops.items())
        mem = f"{fmt.sig(self.memory_bytes / 1e9)} GB" if self.memory_bytes else "?"
        bw = f"{fmt.sig(self.memory_bandwidth / 1e12)} TB/s" if self.memory_bandwidth else "?"
        src = self.sources[0].document if self.sources else ""
        if lang == "zh":
            date = f"，发布于{self.release_date}" if self.release_date else ""
            return f"{self.name}（{self.vendor}{date}）：稠密峰值 {peaks}；显存 {mem}，带宽 {bw}。来源：{src}"
        date = f", released {self.release_date}" if self.release_date else ""
        return f"{self.name} ({self.vendor}{date}): dense peak {peaks}; memory {mem}, bandwidth {bw}. Source: {src}"


def _key(name: str) -> str:
    """'H800 SXM5' / 'nvidia-h800-sxm5' -> 'h800sxm5' (vendor words, spaces and punctuation dropped)."""
    s = re.sub(r"[\s\-_·()（）]", "", name.lower())
    return _vendor_words().sub("", s) or s


@cache
def _rows() -> tuple[dict[str, str], ...]:
    text = resources.files("tools").joinpath("data/chips.csv").read_text(encoding="utf-8")
    return tuple(csv.DictReader(text.splitlines()))


@cache
def _table() -> dict[str, dict[str, str]]:
    """Rows keyed by every normalised name and alias."""
    index: dict[str, dict[str, str]] = {}
    for row in _rows():
        for alias in [row["name"], *row["aliases"].split("|")]:
            index.setdefault(_key(alias), row)
    return index


def known_vendors() -> list[str]:
    """Vendors of the chips in the table."""
    return sorted({row["vendor"] for row in _rows()})


def known_chips() -> list[str]:
    """Canonical names of all chips in the table."""
    return sorted({row["name"] for row in _table().values()})


def normalise_precision(precision: str) -> str:
    """'BF16' / 'bfloat16' -> 'bf16'; ValueError for anything not in PRECISIONS."""
    p = precision.strip().lower().replace("-", "")
    p = _PRECISION_ALIASES.get(p, p)
    if p not in PRECISIONS:
        raise ValueError(f"precision must be one of {', '.join(PRECISIONS)}, got {precision!r}")
    return p


def chip_specs(name: str) -> ChipSpec:
    """Look up an accelerator by name or alias ("H800", "h800", "H800 SXM5", "910B", "MI300X").

    Returns peak dense FLOP/s by precision, memory (bytes), memory bandwidth (bytes/s), release date and the
    source of the figures. Raises ValueError for an unknown chip, listing the known ones.
    """
    if not isinstance(name, str) or not name.strip():
        raise ValueError("name must be a chip name from the chip table (see known_chips())")
    row = _table().get(_key(name))
    if row is None:
        raise ValueError(f"unknown chip {name!r}; known chips: {', '.join(known_chips())}")
    peaks = {p: float(row[f"{p}_flops"]) for p in PRECISIONS if row[f"{p}_flops"]}
    source = Source(
        figure=f"{row['name']} specifications: {row['source_detail']}",
        value=", ".join(f"{p.upper()} {fmt.sig(v / 1e12, 5)} TFLOP/s" for p, v in peaks.items()),
        document=row["source"],
        path=row["source_path"] or None,
    )
    return ChipSpec(
        query=name,
        name=row["name"],
        vendor=row["vendor"],
        aliases=row["aliases"].split("|"),
        release_date=row["release_date"] or None,
        peak_flops=peaks,
        memory_bytes=float(row["memory_bytes"]) if row["memory_bytes"] else None,
        memory_bandwidth=float(row["memory_bandwidth"]) if row["memory_bandwidth"] else None,
        note=row["note"],
        formula=f"{row['name']}: " + source.value,
        sources=[source],
    )


def peak_flops(chip: str, precision: str = "bf16") -> tuple[float, ChipSpec]:
    """Dense peak FLOP/s of ``chip`` at ``precision``, with the spec it came from."""
    spec = chip_specs(chip)
    p = normalise_precision(precision)
    if p not in spec.peak_flops:
        have = ", ".join(f"{k} ({fmt.sig(v / 1e12)} TFLOP/s)" for k, v in spec.peak_flops.items()) or "none"
        raise ValueError(f"chip {spec.name} has no {p.upper()} peak in the chip table; available: {have}")
    return spec.peak_flops[p], spec
