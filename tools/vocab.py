"""The calculators' own vocabulary and default figures, read from ``tools/data/*.toml`` on first use.

``tools`` stays importable on its own (it never imports ``assistant``), so its data lives beside it: the names the
figure parser must not read as figures (``names.toml``) and the cited default figures a calculator may fill in
(``figures.toml``). A user file of the same shape (``add_figures_file``) overrides or adds figures.
"""

from __future__ import annotations

import re
import threading
import tomllib
from decimal import Decimal
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from tools.results import Source

__all__ = [
    "Names", "DefaultPrice", "names", "default_prices", "add_figures_file", "chip_pattern", "check_figures_text"
]  # fmt: skip


class Names(BaseModel):
    """Names around numbers: families whose number is a version, and the words of a chip name."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name_families: tuple[str, ...] = Field(description="A number after these is a version ('Foo 3').")
    chip_vendors: tuple[str, ...] = Field(description="Vendor words before a chip name ('Acme X100').")
    chip_lines: tuple[str, ...] = Field(description="Product lines before a part number ('Acme Line 910').")
    chip_numbers: tuple[str, ...] = Field(description="Part numbers starting with a digit ('910').")

    @field_validator("name_families", "chip_vendors", "chip_lines", "chip_numbers")
    @classmethod
    def _non_empty(cls, words: tuple[str, ...]) -> tuple[str, ...]:
        if any(not w.strip() for w in words):
            raise ValueError("empty name")
        return tuple(w.strip() for w in words)


class DefaultPrice(BaseModel):
    """A rental price a document states, with where it stands."""

    model_config = ConfigDict(extra="forbid")

    usd_per_gpu_hour: Decimal = Field(gt=0)
    figure: str
    value: str
    document: str
    path: str | None = None
    url: str | None = None
    page: int | None = None
    quote: str | None = None

    def source(self) -> Source:
        """The figure as a calculator's ``Source``."""
        return Source(**self.model_dump(exclude={"usd_per_gpu_hour"}))


def _read_builtin(name: str) -> dict[str, Any]:
    text = resources.files("tools").joinpath(f"data/{name}").read_text(encoding="utf-8")
    return tomllib.loads(text)


@cache
def names() -> Names:
    """The names vocabulary of ``tools/data/names.toml``, validated, read once per process."""
    return Names.model_validate(_read_builtin("names.toml"))


@cache
def chip_pattern() -> str:
    """A regular expression for a chip name that may sit between a number and its unit ("NVIDIA H800", "昇腾910B")."""
    n = names()

    def alt(words: tuple[str, ...]) -> str:
        return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))

    return (
        rf"(?:(?:{alt(n.chip_vendors)})\s{{0,2}})?(?:(?:{alt(n.chip_lines)})\s{{0,2}})?"
        rf"(?:[A-Z]{{1,3}}\d{{2,4}}[A-Za-z]{{0,4}}|{alt(n.chip_numbers)})"
    )


_EXTRA_LOCK = threading.Lock()
_EXTRA_FILES: list[Path] = []


def add_figures_file(path: str | Path) -> None:
    """Read default figures from ``path`` too (same tables as ``tools/data/figures.toml``); its entries win."""
    p = Path(path)
    with _EXTRA_LOCK:
        if p not in _EXTRA_FILES:
            _EXTRA_FILES.append(p)
            _prices.cache_clear()


def _price_table(raw: dict[str, Any], origin: str) -> dict[str, DefaultPrice]:
    unknown = set(raw) - {"rental_price"}
    if unknown:
        raise ValueError(f"{origin}: unknown table(s) {', '.join(sorted(unknown))}; expected [rental_price.\"CHIP\"]")
    out = {}
    for chip, entry in raw.get("rental_price", {}).items():
        try:
            out[chip] = DefaultPrice.model_validate(entry)
        except ValidationError as exc:
            raise ValueError(f"{origin}: rental_price.{chip!r} is invalid: {exc.errors()[0]['msg']}") from exc
    return out


def check_figures_text(text: str, origin: str) -> int:
    """Validate a default-figures file's text; the number of entries. Raises ValueError naming the problem."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"{origin}: not valid TOML: {exc}") from exc
    return len(_price_table(raw, origin))


@cache
def _prices(extra: tuple[Path, ...]) -> dict[str, DefaultPrice]:
    table = _price_table(_read_builtin("figures.toml"), "tools/data/figures.toml")
    for path in extra:
        try:
            raw = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise ValueError(f"{path.name}: cannot read default figures: {exc}") from exc
        table.update(_price_table(raw, path.name))
    return table


def default_prices() -> dict[str, tuple[Decimal, Source]]:
    """Cited rental prices by canonical chip name (from the chip table): built-in, then user files."""
    with _EXTRA_LOCK:
        extra = tuple(_EXTRA_FILES)
    return {chip: (p.usd_per_gpu_hour, p.source()) for chip, p in _prices(extra).items()}
