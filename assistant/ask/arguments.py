"""Argument extraction: the roles the figures of a question play (price, GPU count, duration, rate, horizon...).

The figure parser gives values and units; the role comes from the words next to the figure: "falls 10% a
year" is a rate of change per year, "in 3 years" / "两年后" a horizon, "at 40% utilization" a utilisation,
"25% faster" a speed-up, "over 12 months" the span of a change, "每卡每小时1.8美元" a price per GPU hour.
"""

from __future__ import annotations

import re

from pydantic import BaseModel, Field

from tools.figures import Figure
from tools.units import DURATION_UNITS, PRICE_PER_HOUR_UNITS, chip_pattern

_MONEY = {"usd", "cny"}
# Months in one unit, to express a horizon in periods of the rate (a yearly rate over 18 months = 1.5 periods).
MONTHS = {"hour": 1 / (24 * 30), "day": 1 / 30, "week": 7 / 30, "month": 1.0, "quarter": 3.0, "year": 12.0}

_PERIOD_WORDS = [
    (
        re.compile(
            r"(?:a|per|each|every)\s+year|annual(?:ly)?|yearly|/\s?yr|每年|年均|一年|年化|每一年", re.I
        ),
        "year",
    ),
    (re.compile(r"(?:a|per|each|every)\s+month|monthly|/\s?mo\b|每月|月均|每个月", re.I), "month"),
    (re.compile(r"(?:a|per|each|every)\s+quarter|quarterly|每季度?", re.I), "quarter"),
    (re.compile(r"(?:a|per|each|every)\s+week|weekly|每周", re.I), "week"),
    (re.compile(r"(?:a|per|each|every)\s+day|daily|每天|每日", re.I), "day"),
]
_FALL = re.compile(
    r"fall|falls|fell|drop|decline|decreas|cut|down|lower|cheaper|less expensive|shrink|便宜|下降|下跌|降低|降价|跌|降|减少|下调|缩水",
    re.I,
)
_RISE = re.compile(r"rise|rises|rose|grow|increas|up\b|climb|higher|more expensive|pricier|更贵|上涨|涨|上升|增长|增加|上调|提高", re.I)
_UTIL = re.compile(r"utili[sz]ation|\bmfu\b|利用率|算力利用", re.I)
_SPEED = re.compile(
    r"faster|speed|quicker|more efficient|efficiency|throughput|提速|加速|更快|快了?|效率|性能提升|性能", re.I
)
_HORIZON_BEFORE = re.compile(
    r"(?:\bin|\bafter|within|over the next|for the next|\bby)\s*$|(?:经过|再过|过)\s*$", re.I
)
_HORIZON_AFTER = re.compile(r"^\s*(?:后|之后|以后|later|from now|hence|内)", re.I)
_SPAN_BEFORE = re.compile(
    r"(?:\bover|during|across|within|in)\s*(?:the\s+)?(?:past|last|next)?\s*$|(?:在|经过)\s*$", re.I
)
_PARAM_AFTER = re.compile(
    r"^\s*(?:-?\s*(?:dense|moe|parameters?|params?)\b|的?(?:参数|模型|稠密)|[- ]?(?:model|LLM)\b)", re.I
)


class Arguments(BaseModel):
    """The figures of a question sorted by role. Lists keep the question's order."""

    prices: list[Figure] = Field(default_factory=list, description="Prices per (GPU) hour, or money amounts.")
    price_per_gpu_hour: Figure | None = None
    gpu_hours: Figure | None = None
    gpus: Figure | None = None
    gpus_all: list[Figure] = Field(default_factory=list, description="Every GPU count, in order.")
    usage: Figure | None = Field(None, description="How long the GPUs run (days, hours).")
    horizon: Figure | None = Field(None, description="'in 3 years', '两年后': how far ahead to project.")
    span: Figure | None = Field(None, description="'over 12 months': the time a change took.")
    rate: Figure | None = Field(None, description="Rate of change per period, signed (-0.1 for 'falls 10%').")
    rate_period: str | None = Field(None, description="year / month / quarter / week / day.")
    utilization: Figure | None = None
    speedup: Figure | None = Field(None, description="'25% faster' (percent) or '2x faster' (times).")
    params: Figure | None = None
    tokens: Figure | None = None
    chip: str | None = None
    asks_period: str | None = Field(
        None, description="The period of a rate the question asks for ('monthly')."
    )
    amount: Figure | None = Field(
        None, description="The one price or money amount a change applies to (not one the change ends at)."
    )
    once: Figure | None = Field(
        None, description="A one-off change, signed: a rate with no period, horizon or span ('falls 15%')."
    )
    bare: list[Figure] = Field(default_factory=list, description="Plain numbers with no unit and no role.")

    def role(self, name: str) -> Figure | str | None:
        """The figure playing role ``name`` (see ``tools.registry.ROLES``); ``"<role>.unit"`` gives its unit."""
        base, _, attr = name.partition(".")
        value = getattr(self, base, None) if base in self.model_fields else None
        if attr == "unit":
            return value.unit if isinstance(value, Figure) else None
        return value if isinstance(value, Figure | str) else None

    def given_kinds(self) -> set[str]:
        """Kinds of figure the question already gives (an asked word naming one of them describes an input)."""
        kinds: set[str] = set()
        for role, named in _ROLE_KINDS.items():
            if getattr(self, role) is not None:
                kinds |= named
        return kinds


# The asked kinds (assistant.ask.analyze.KINDS) a figure in each role is an instance of.
_ROLE_KINDS: dict[str, set[str]] = {
    "utilization": {"ratio", "percent"},
    "rate": {"change", "percent", "ratio"},
    "once": {"change", "percent", "ratio"},
    "speedup": {"times", "change", "percent"},
    "params": {"param"},
    "tokens": {"token"},
    "chip": {"flops", "gpu"},
}
# A model size below this is a count of models ("一个…参数"), not parameters.
MIN_PARAMS = 1e6


def extract_arguments(question: str, figures: list[Figure]) -> Arguments:
    """Sort the question's figures into roles by their units and the words around them."""
    args = Arguments()
    q = question
    used: set[int] = set()
    for i, f in enumerate(figures):
        before = q[max(0, f.start - 30) : f.start]
        after = q[f.end : f.end + 30]
        near = before[-20:] + " " + after[:20]
        if f.unit in PRICE_PER_HOUR_UNITS:
            args.prices.append(f)
            if args.price_per_gpu_hour is None:
                args.price_per_gpu_hour = f
        elif f.unit in _MONEY:
            args.prices.append(f)
            if args.price_per_gpu_hour is None and re.search(
                r"^\s*(?:an?|per|/|每)\s*(?:gpu\s*)?(?:hour|hr|h\b|小时)", after, re.I
            ):
                args.price_per_gpu_hour = f
        elif f.unit == "gpu_hour":
            args.gpu_hours = args.gpu_hours or f
        elif f.unit == "gpu":
            args.gpus = args.gpus or f
            args.gpus_all.append(f)
        elif f.unit == "token":
            args.tokens = args.tokens or f
        elif (f.unit == "param" or f.unit is None and _PARAM_AFTER.search(after)) and f.value >= MIN_PARAMS:
            args.params = args.params or f
        elif f.unit in ("percent", "times"):
            if _UTIL.search(near):
                args.utilization = f
            elif (
                _SPEED.search(after[:15])
                or (f.unit == "times" and _SPEED.search(near))
                or re.search(r"(?:提速|加速|快)\s*$", before)
            ):
                args.speedup = f
            elif (fall := _FALL.search(near)) or _RISE.search(near):
                sign = -1.0 if fall else 1.0
                args.rate = f.model_copy(update={"value": sign * abs(f.value)})
                args.rate_period = _period(near) or _period(q)
            else:
                continue
        elif f.unit in DURATION_UNITS:
            # the parser keeps a leading "over" in the figure's text ("over 12 months")
            lead = re.match(r"(?i)(over|during|across|within|in)\s", f.text)
            if lead:
                before = before + " " + lead.group(1)
            if _HORIZON_AFTER.search(after) or _HORIZON_BEFORE.search(before):
                if (
                    _SPAN_BEFORE.search(before)
                    and args.span is None
                    and re.search(r"\bover\b|经过", before, re.I)
                ):
                    args.span = f
                else:
                    args.horizon = f
            elif _SPAN_BEFORE.search(before):
                args.span = f
            else:
                args.usage = args.usage or f
        else:
            if f.unit is None and f.kind == "number":
                args.bare.append(f)
            continue
        used.add(i)
    # two prices "from $4.50 to $3.80 an hour" share the per-hour unit
    if (
        len(args.prices) >= 2
        and args.price_per_gpu_hour is None
        and any(p.unit in PRICE_PER_HOUR_UNITS for p in args.prices)
    ):
        args.price_per_gpu_hour = args.prices[0]
    if m := re.search(chip_pattern(), q):
        args.chip = re.sub(r"(?<=\d)s$", "", m.group().strip())  # "H100s": the plural of a chip name
    args.asks_period = _asked_period(q)
    args.amount = _base_amount(q, args.prices)
    if args.rate is not None and args.rate_period is None and not (args.horizon or args.span or args.usage):
        args.once = args.rate
    return args


# "falls to $3.80", "降到3.8美元": the amount a change ends at, not the one it starts from
_ENDS_AT = re.compile(r"(?:\bto|\breach(?:es|ed)?|降到|降至|涨到|涨至|升至|增至|减至|变为|变成|达到|到|至)\s*$", re.I)


# the question asks for the value before the change: the amount it gives is the changed one
_ASKS_EARLIER = re.compile(
    r"\b(?:before|previous(?:ly)?|original(?:ly)?|old|earlier|used to)\b|原来|原价|原本|之前|此前|以前|上一年|去年", re.I
)


def _base_amount(q: str, prices: list[Figure]) -> Figure | None:
    """The one price or amount a change can apply to: exactly one, not the end point of a change, and not in a
    question that asks for the value before the change."""
    if len(prices) != 1 or _ASKS_EARLIER.search(q[prices[0].end :]):
        return None
    return None if ends_at(q, prices[0]) else prices[0]


def ends_at(q: str, f: Figure) -> bool:
    """Whether the question states ``f`` as where a change ends ("falls to $3.80", "达到351亿美元")."""
    return bool(_ENDS_AT.search(q[max(0, f.start - 8) : f.start]))


def _period(text: str) -> str | None:
    for rx, period in _PERIOD_WORDS:
        if rx.search(text):
            return period
    return None


_ASKED_PERIOD = re.compile(
    r"(monthly|annual|yearly|quarterly|weekly|daily|每月|每年|年化|每季度|每周|每天)\s*(?:rate|的)?", re.I
)


def _asked_period(q: str) -> str | None:
    """'what monthly rate', '每月下降多少': the period of the rate asked for, if named."""
    for m in _ASKED_PERIOD.finditer(q):
        rest = q[m.end() : m.end() + 30].lower()
        if re.search(r"rate|decline|change|多少|幅度|速度|增速|降幅|\?|？", rest):
            return _period(m.group(1))
    return None


def in_periods(duration: Figure, period: str) -> float:
    """``duration`` expressed in ``period`` units: 18 months in years -> 1.5; 2 years in months -> 24."""
    unit = duration.unit or period
    return duration.value * MONTHS[unit] / MONTHS[period]
