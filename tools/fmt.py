"""Render numbers for people: "$5.576M", "2.788M", "$5,576,000" in English; "557.6万美元", "278.8万" in Chinese."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, localcontext

__all__ = ["compact", "grouped", "money", "percent", "rate", "sig"]

Num = Decimal | float | int

_EN_STEPS = [
    (Decimal(10) ** 12, "T"),
    (Decimal(10) ** 9, "B"),
    (Decimal(10) ** 6, "M"),
    (Decimal(10) ** 3, "K"),
]
_ZH_STEPS = [(Decimal(10) ** 12, "万亿"), (Decimal(10) ** 8, "亿"), (Decimal(10) ** 4, "万")]


def _dec(value: Num) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


def sig(value: Num, digits: int = 4) -> str:
    """``value`` with at most ``digits`` significant digits and no trailing zeros: 5.5760 -> "5.576"."""
    d = _dec(value)
    if d == 0:
        return "0"
    exp = d.adjusted() + 1 - digits  # exponent of the last kept digit
    q = d.scaleb(-exp).quantize(Decimal(1), rounding=ROUND_HALF_UP).scaleb(exp)
    text = format(q, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def grouped(value: Num, decimals: int = 0) -> str:
    """Thousands separators: 5576000 -> "5,576,000"; ``decimals`` fixed places (rounded half up)."""
    d = _dec(value)
    with localcontext() as ctx:
        # quantize must hold every digit of its result within the precision: a total change of 3.8e94 (prices
        # 1e-93 apart) has 95 of them, more than the default 28, and would raise InvalidOperation.
        ctx.prec = max(ctx.prec, d.adjusted() + decimals + 2)
        q = d.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    return f"{q:,.{decimals}f}"


def compact(value: Num, lang: str = "en", digits: int = 4) -> str:
    """Short form: en "2.788M", "180K"; zh "278.8万", "6710亿", "14.8万亿". Small values keep their digits."""
    d = _dec(value)
    steps = _ZH_STEPS if lang == "zh" else _EN_STEPS
    for size, suffix in steps:
        if abs(d) >= size:
            return sig(d / size, digits) + suffix
    return sig(d, digits) if abs(d) >= 1 else sig(d, 3)


def money(value: Num, lang: str = "en", currency: str = "usd", short: bool = True) -> str:
    """Money: en "$5.576M" (short) or "$5,576,000"; zh "557.6万美元"; below 1,000 always to cents ("$3.53")."""
    d = _dec(value)
    small = abs(d) < 1000
    if lang == "zh":
        body = grouped(d, 2) if small else compact(d, "zh") if short else grouped(d)
        return body + ("美元" if currency == "usd" else "元")
    symbol = "$" if currency == "usd" else "¥"
    sign = "-" if d < 0 else ""
    body = grouped(abs(d), 2) if small else compact(abs(d), "en") if short else grouped(abs(d))
    return f"{sign}{symbol}{body}"


def rate(value: Num, lang: str = "en", per: str = "GPU·h", currency: str = "usd") -> str:
    """A price per unit: "$2/GPU·h", "2美元/GPU·时" (trailing cents dropped when whole)."""
    d = _dec(value)
    amount = sig(d, 6) if d == Decimal(grouped(d, 2).replace(",", "")) else grouped(d, 4).rstrip("0")
    if lang == "zh":
        zh_per = {"GPU·h": "GPU·小时", "hour": "小时", "h": "小时"}.get(per, per)
        return f"{amount}{'美元' if currency == 'usd' else '元'}/{zh_per}"
    return f"{'$' if currency == 'usd' else '¥'}{amount}/{per}"


def percent(fraction: Num, digits: int = 2, signed: bool = False) -> str:
    """A fraction as a percentage: -0.0139935 -> "-1.4%" (``digits`` decimals, trailing zeros dropped)."""
    p = _dec(fraction) * 100
    text = grouped(p, digits)
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if signed and p > 0:
        text = "+" + text
    return text + "%"
