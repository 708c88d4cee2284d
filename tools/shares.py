"""AI-chip market shares: a small table of what documents state, which a user can extend from a CSV.

Rows live in ``tools/data/shares.csv``; each carries its basis (units, revenue, tenders won ...) and its source.
A table whose shares for one market, region, period and basis add up to more than 100% is rejected.
"""

from __future__ import annotations

import csv
import io
import re
from collections import defaultdict
from functools import cache
from importlib import resources
from pathlib import Path

from pydantic import BaseModel, Field

from tools import fmt
from tools.dates import find_dates
from tools.numwords import parse_decimal
from tools.results import Source, ToolResult

__all__ = ["ShareRow", "ShareTable", "chip_share", "load_shares", "vendor_pattern"]

_COLUMNS = ("market", "region", "period", "vendor", "share", "basis", "source")
_HEDGE_TEXT = {
    "about": ("≈", "约"),
    "more_than": (">", "超过"),
    "less_than": ("<", "不到"),
    "up_to": ("≤", "最高"),
}


class ShareRow(BaseModel):
    """One vendor's share of one market in one period."""

    market: str
    market_zh: str = ""
    region: str = ""
    period: str = Field(description="Canonical period: '2025', '2025H1', '2025Q3' or '2025-04'.")
    vendor: str
    vendor_aliases: list[str] = Field(default_factory=list)
    share: float = Field(ge=0, le=1, description="A fraction: 0.8 is 80%.")
    hedge: str | None = None
    basis: str = Field(description="What is counted: units shipped, revenue, tenders won ...")
    source: Source


class ShareTable(ToolResult):
    """Market-share rows matching a query, with what is left unattributed per market and period."""

    tool: str = "chip_share"
    market: str | None = None
    period: str | None = None
    vendor: str | None = None
    rows: list[ShareRow] = Field(default_factory=list)
    unattributed: dict[str, float] = Field(
        default_factory=dict, description="Per 'market | region | period | basis': 1 - sum of stated shares."
    )

    def render(self, lang: str = "en") -> str:
        zh = lang == "zh"
        if not self.rows:
            return "没有符合条件的市场份额数据。" if zh else "No market-share rows match."
        lines = []
        for r in self.rows:
            mark = _HEDGE_TEXT.get(r.hedge or "", ("", ""))[1 if zh else 0]
            share = f"{mark}{fmt.percent(r.share, 1)}"
            doc = r.source.document
            if zh:
                lines.append(
                    f"{r.region}·{r.market_zh or r.market}·{r.period}：{r.vendor} {share}（{r.basis}）— {doc}"
                )
            else:
                lines.append(f"{r.region} · {r.market} · {r.period}: {r.vendor} {share} ({r.basis}) — {doc}")
        for group, rest in self.unattributed.items():
            first = next(r for r in self.rows if _group(r) == group)
            if rest > 0 and zh:
                market = first.market_zh or first.market
                lines.append(
                    f"  {market}（{first.period}）：其余{fmt.percent(rest, 1)}未在来源中归属具体厂商"
                )
            elif rest > 0:
                lines.append(
                    f"  {first.market} ({first.period}): the other {fmt.percent(rest, 1)} is not attributed "
                    "to a vendor in the sources"
                )
        return "\n".join(lines)


def _period(text: str) -> str:
    """'2025年上半年' / 'H1 2025' / '2025H1' -> '2025H1'; '2025年4月' -> '2025-04'; '2025' -> '2025'."""
    s = str(text).strip()
    if re.fullmatch(r"(?:19|20)\d{2}(?:H[12]|Q[1-4]|-(?:0[1-9]|1[0-2]))?", s):
        return s
    for _, _, value, low, high in find_dates(s):
        year = int(value) if value < 10000 else int(value) // 100
        if value >= 10000:
            return f"{year}-{int(value) % 100:02d}"
        if low is not None and high is not None:
            first, last = int(low) % 100, int(high) % 100
            return f"{year}H{1 if first == 1 else 2}" if last - first == 5 else f"{year}Q{(first + 2) // 3}"
        return str(year)
    raise ValueError(f"period {text!r} is not a year, half, quarter or month (e.g. '2025H1', '2025年上半年')")


def _share(value: str, where: str) -> float:
    try:
        d = parse_decimal(value)
    except ValueError as exc:
        raise ValueError(f"{where}: share {value!r} is not a number") from exc
    if not 0 <= d <= 1:
        raise ValueError(
            f"{where}: share {value!r} must be a fraction in [0, 1] (or a percentage like '80%')"
        )
    return float(d)


def _rows(text: str, origin: str) -> list[ShareRow]:
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in _COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise ValueError(f"{origin}: missing column(s) {', '.join(missing)}")
    rows = []
    for i, rec in enumerate(reader, start=2):
        where = f"{origin} line {i}"
        get = {k: (v or "").strip() for k, v in rec.items() if k}
        page = get.get("page") or ""
        rows.append(
            ShareRow(
                market=get["market"],
                market_zh=get.get("market_zh", ""),
                region=get.get("region", ""),
                period=_period(get["period"]),
                vendor=get["vendor"],
                vendor_aliases=[a for a in get.get("vendor_aliases", "").split("|") if a],
                share=_share(get["share"], where),
                hedge=get.get("hedge") or None,
                basis=get["basis"],
                source=Source(
                    figure=f"{get['vendor']} share of {get['market']} ({get['period']})",
                    value=get["share"],
                    document=get["source"],
                    path=get.get("source_path") or None,
                    url=get.get("url") or None,
                    page=int(page) if page.isdigit() else None,
                    quote=get.get("quote") or None,
                ),
            )
        )
    return rows


def _group(row: ShareRow) -> str:
    return " | ".join((row.market, row.region, row.period, row.basis))


def _check_totals(rows: list[ShareRow]) -> dict[str, float]:
    """Per group, what is left of 100%; ValueError naming the market and period when a group exceeds it."""
    totals: dict[str, float] = defaultdict(float)
    for r in rows:
        totals[_group(r)] += r.share
    for key, total in totals.items():
        if total > 1 + 1e-9:
            market, region, period, basis = key.split(" | ")
            raise ValueError(
                f"shares for market {market!r} ({region}) in period {period!r}, basis {basis!r}, "
                f"add up to {fmt.percent(total, 1)}, more than 100%"
            )
    return {k: round(max(0.0, 1 - v), 9) for k, v in totals.items()}


@cache
def _builtin() -> tuple[ShareRow, ...]:
    text = resources.files("tools").joinpath("data/shares.csv").read_text(encoding="utf-8")
    rows = _rows(text, "tools/data/shares.csv")
    _check_totals(rows)
    return tuple(rows)


@cache
def vendor_pattern() -> re.Pattern[str]:
    """Vendor names a share question may name: the share table's vendors and aliases, the chip table's vendors
    and the vendor words of ``tools/data/names.toml`` (case-insensitive, whole words for Latin names)."""
    from tools.chips import known_vendors
    from tools.vocab import names

    words = {w for row in _builtin() for w in (row.vendor, *row.vendor_aliases)}
    words |= set(known_vendors()) | set(names().chip_vendors)
    alt = "|".join(
        re.escape(w) if not w.isascii() else rf"\b{re.escape(w)}\b" for w in sorted(words, key=len, reverse=True)
    )
    return re.compile(alt, re.IGNORECASE)


def load_shares(path: str | Path) -> list[ShareRow]:
    """Read share rows from a CSV with columns market, region, period, vendor, share, basis, source
    (optional: market_zh, vendor_aliases, hedge, source_path, url, page, quote). Shares are fractions (0.8) or
    percentages ("80%"). Raises ValueError when a market and period add up to more than 100%."""
    p = Path(path)
    if not p.is_file():
        raise ValueError(f"extra_csv: no such file {str(path)!r}")
    rows = _rows(p.read_text(encoding="utf-8-sig"), p.name)
    _check_totals(rows)
    return rows


def _matches(row: ShareRow, market: str | None, period: str | None, vendor: str | None) -> bool:
    if market and not any(market.lower() in s.lower() for s in (row.market, row.market_zh, row.region) if s):
        return False
    if period and not row.period.startswith(period):
        return False
    return not vendor or any(vendor.lower() in s.lower() for s in (row.vendor, *row.vendor_aliases))


def chip_share(
    market: str | None = None,
    period: str | None = None,
    vendor: str | None = None,
    extra_csv: str | None = None,
) -> ShareTable:
    """Market-share rows for AI chips, filtered by market (or region), period and vendor.

    ``market`` matches a substring of the market name (English or Chinese) or region, e.g. "tender", "智算中心",
    "China"; ``period`` accepts "2025", "2025H1", "2025年上半年"; ``vendor`` matches names and aliases ("华为",
    "Huawei"). ``extra_csv`` adds rows from a CSV (see ``load_shares``); a user row with the same market, region,
    period, vendor and basis replaces the built-in one. Raises ValueError when a market and period would add up
    to more than 100%.
    """
    rows = list(_builtin())
    if extra_csv:
        extra = load_shares(extra_csv)
        keys = {(_group(r), r.vendor) for r in extra}
        rows = [r for r in rows if (_group(r), r.vendor) not in keys] + extra
    left = _check_totals(rows)
    want_period = _period(period) if period else None
    picked = [r for r in rows if _matches(r, market, want_period, vendor)]
    formula = "; ".join(f"{_group(r)}: {r.vendor} {fmt.percent(r.share, 1)}" for r in picked) or "no rows"
    return ShareTable(
        market=market,
        period=want_period,
        vendor=vendor,
        rows=picked,
        unattributed={_group(r): left[_group(r)] for r in picked},
        formula=formula,
        sources=[r.source for r in picked],
    )
