"""Routing: decide whether a question is a computation for a calculator, and build the call.

Only a confident match goes to a tool: the question must ask for what the calculator computes and give the
figures it needs (or name where to find them, like "DeepSeek's assumed price", which is then looked up in the
corpus and cited). Everything else goes to retrieval.

What a question asks comes from the kind of figure asked and the roles of the figures it gives
(``assistant.ask.arguments``), never from a list of phrasings. When the asked word names a figure the question
already gives ("at 40% utilization, what would it cost" is not asking for a utilisation), or the question asks
nothing in words ("Estimate the cost of ..."), the calculator's own result is what is asked. Calculators with no
planner of their own are routed by their registration (``tools.registry``: the kinds they answer and the role
filling each argument).
"""

from __future__ import annotations

import logging
import re
from typing import Any

from pydantic import BaseModel, Field

from assistant.ask.analyze import QuestionAnalysis
from assistant.ask.arguments import MONTHS, Arguments, ends_at, extract_arguments, in_periods
from assistant.domain import market_patterns
from tools.figures import Figure
from tools.shares import vendor_pattern

log = logging.getLogger(__name__)

_SHARE = re.compile(r"\bshares?\b|market share|份额|占比|市占率", re.I)
_WHO = re.compile(r"\bwhich\b|\bwho\b|vendor|company|supplier|谁|哪家|哪个|厂商|供应商|公司", re.I)
_PERIOD_Q = re.compile(r"(20\d\d)\s*(?:年)?\s*(上半年|下半年|H[12]|Q[1-4])?", re.I)
# The question refers to a figure stated somewhere ("DeepSeek's assumed price", "按DeepSeek假设的价格").
_REFERENCE = re.compile(
    r"assum|stated|reported|quoted|its own|their own|假设|所述|报告中|按.{0,12}(价格|租金)", re.I
)
_TRAINING = re.compile(r"train|训练", re.I)


class Fill(BaseModel):
    """An argument to look up in the corpus: which one, and the kinds of figure that can fill it."""

    argument: str
    kind: str = Field(description="The asked kind the figure must be (see analyze.KINDS).")
    units: list[str] = Field(description="Units of the figures that can fill the argument.")
    query: str = Field(description="What to search for.")
    focus: str = Field(description="The words naming the figure, weighted up in sentence selection.")


class ToolPlan(BaseModel):
    """A calculator call decided by the router, possibly with arguments still to be filled from the corpus."""

    name: str
    arguments: dict[str, Any] = Field(default_factory=dict)
    fills: list[Fill] = Field(default_factory=list)
    inputs: dict[str, str] = Field(
        default_factory=dict, description="Argument -> the question's words for it."
    )


def plan_tool(analysis: QuestionAnalysis) -> ToolPlan | None:
    """The calculator call the question asks for, or None when it is not confidently a computation."""
    q = analysis.question
    asked = analysis.asked.name if analysis.asked else None
    args = extract_arguments(q, analysis.figures)
    for planner in (
        _share, _implied, _projection, _gpus, _speedup, _flops, _cost_hours, _cost_cluster, _registered
    ):
        plan = planner(q, asked, args, analysis)
        if plan is not None:
            log.debug("routed to %s: %s", plan.name, plan.arguments)
            return plan
    return None


def _share(q: str, asked: str | None, args: Arguments, analysis: QuestionAnalysis) -> ToolPlan | None:
    if (
        not _SHARE.search(q)
        or not (_WHO.search(q) or vendor_pattern().search(q))
        or analysis.figures
        and asked != "ratio"
    ):
        return None
    arguments: dict[str, Any] = {}
    for rx, market in market_patterns():
        if rx.search(q):
            arguments["market"] = market
            break
    if m := vendor_pattern().search(q):
        arguments["vendor"] = m.group()
    if m := _PERIOD_Q.search(q):
        arguments["period"] = m.group().strip()
    if not arguments:
        return None
    return ToolPlan(name="chip_share", arguments=arguments)


def _implied(q: str, asked: str | None, args: Arguments, analysis: QuestionAnalysis) -> ToolPlan | None:
    duration = args.span or args.usage or args.horizon
    if len(args.prices) < 2 or duration is None or asked not in ("change", "ratio", "percent", None):
        return None
    per = args.asks_period or ("month" if duration.unit in ("month", "day", "hour") else "year")
    if per not in ("month", "year"):
        return None
    periods = in_periods(duration, per)
    if periods < 1 or abs(periods - round(periods)) > 1e-9:
        return None
    start, end = args.prices[0], args.prices[1]
    return ToolPlan(
        name="implied_change",
        arguments={
            "start_usd_per_hour": start.value,
            "end_usd_per_hour": end.value,
            "periods": int(round(periods)),
            "per": per,
        },
        inputs={"start_usd_per_hour": start.text, "end_usd_per_hour": end.text, "periods": duration.text},
    )


def _projection(q: str, asked: str | None, args: Arguments, analysis: QuestionAnalysis) -> ToolPlan | None:
    price = args.price_per_gpu_hour or (args.prices[0] if args.prices else None)
    horizon = args.horizon or args.usage or args.span
    if price is not None and ends_at(q, price):
        return None  # "grew 94% to $35.1B": the amount is where the change ended, not where to start
    if price is None or args.rate is None or horizon is None or asked not in ("money", None):
        return None
    per = args.rate_period or _unit_period(horizon)
    if per not in ("month", "year"):
        return None
    periods = in_periods(horizon, per)
    if periods < 1 or abs(periods - round(periods)) > 1e-9:
        return None
    return ToolPlan(
        name="project_rental_price",
        arguments={
            "start_usd_per_hour": price.value,
            "change": args.rate.value,
            "per": per,
            "periods": int(round(periods)),
        },
        inputs={"start_usd_per_hour": price.text, "change": args.rate.text, "periods": horizon.text},
    )


def _unit_period(f: Figure) -> str | None:
    return f.unit if f.unit in ("month", "year") else None


def _gpus(q: str, asked: str | None, args: Arguments, analysis: QuestionAnalysis) -> ToolPlan | None:
    gpus = args.gpus
    if gpus is None and asked == "gpu" and not args.gpus_all and len(args.bare) == 1:
        # "how many GPUs would do the work of 800": the one plain count is of what is asked
        count = args.bare[0]
        gpus = count if count.value >= 2 and float(count.value).is_integer() else None
    if gpus is None or args.speedup is None or asked != "gpu" or len(args.gpus_all) > 1:
        return None
    speedup = args.speedup.value - 1 if args.speedup.unit == "times" else args.speedup.value
    return ToolPlan(
        name="gpus_needed",
        arguments={"gpus": int(gpus.value), "speedup": speedup},
        inputs={"gpus": gpus.text, "speedup": args.speedup.text},
    )


def _speedup(q: str, asked: str | None, args: Arguments, analysis: QuestionAnalysis) -> ToolPlan | None:
    if len(args.gpus_all) != 2 or asked not in ("times", "ratio", "percent", "change"):
        return None
    before, after = args.gpus_all
    return ToolPlan(
        name="speedup_implied",
        arguments={"gpus_before": int(before.value), "gpus_after": int(after.value)},
        inputs={"gpus_before": before.text, "gpus_after": after.text},
    )


def _flops(q: str, asked: str | None, args: Arguments, analysis: QuestionAnalysis) -> ToolPlan | None:
    if args.params is None or args.tokens is None or args.utilization is None or args.chip is None:
        return None
    # all four FLOPs inputs given: the cost (or GPU hours, or days) is what is asked, unless the question asks
    # for another kind of figure than the ones it gives
    if asked not in ("gpu_hour", "money", "duration", None) and asked not in args.given_kinds():
        return None
    arguments: dict[str, Any] = {
        "params": args.params.value,
        "tokens": args.tokens.value,
        "chip": args.chip,
        "utilization": args.utilization.value,
    }
    inputs = {"params": args.params.text, "tokens": args.tokens.text, "utilization": args.utilization.text}
    fills: list[Fill] = []
    if args.price_per_gpu_hour is not None:
        arguments["usd_per_gpu_hour"] = args.price_per_gpu_hour.value
        inputs["usd_per_gpu_hour"] = args.price_per_gpu_hour.text
    elif (fill := _price_reference(q, analysis)) is not None:
        fills.append(fill)
    if args.gpus is not None:
        arguments["gpus"] = int(args.gpus.value)
    return ToolPlan(name="training_cost", arguments=arguments, inputs=inputs, fills=fills)


def _price_reference(q: str, analysis: QuestionAnalysis) -> Fill | None:
    """"at the price DeepSeek assumes": the GPU-hour price to look up in the corpus (None: none referred to)."""
    focus = "rental price per GPU hour"
    names = " ".join(_lookup_names(q, analysis, focus))
    if not names or not _REFERENCE.search(q):
        return None
    return Fill(
        argument="usd_per_gpu_hour",
        kind="money",
        units=["usd_per_gpu_hour", "usd_per_hour"],
        query=f"{names} {focus}",
        focus=focus,
    )


def _lookup_names(q: str, analysis: QuestionAnalysis, focus: str) -> list[str]:
    """The question's names that say whose figure to look up: not a sentence-initial capitalised word ("Using"),
    not the unit the looked-up figure is in ("GPU-hour" for a price per GPU hour)."""
    squeezed = re.sub(r"[\s_-]+", "", focus.lower())
    out = []
    for t in analysis.terms:
        label = t.label or t.text
        if not t.name or re.sub(r"[\s_-]+", "", label.lower()) in squeezed:
            continue
        if q.lstrip().startswith(label) and label.isalpha() and label[1:].islower():
            continue
        out.append(re.sub(r"(?<=\d)s$", "", label))  # "H800s": the plural of a chip name
    return out


def _cost_hours(q: str, asked: str | None, args: Arguments, analysis: QuestionAnalysis) -> ToolPlan | None:
    if asked != "money" or args.gpus is not None and args.usage is not None:
        return None
    names = " ".join(t.label for t in analysis.terms if t.name)
    plan = ToolPlan(name="training_cost")
    if args.gpu_hours is not None:
        plan.arguments["gpu_hours"] = args.gpu_hours.value
        plan.inputs["gpu_hours"] = args.gpu_hours.text
    elif names and _TRAINING.search(q) and args.price_per_gpu_hour is not None:
        plan.fills.append(
            Fill(
                argument="gpu_hours",
                kind="gpu_hour",
                units=["gpu_hour"],
                query=f"{names} total GPU hours for full training",
                focus="GPU hours full training",
            )
        )
    else:
        return None
    if args.price_per_gpu_hour is not None:
        plan.arguments["usd_per_gpu_hour"] = args.price_per_gpu_hour.value
        plan.inputs["usd_per_gpu_hour"] = args.price_per_gpu_hour.text
    elif (fill := _price_reference(q, analysis)) is not None:
        plan.fills.append(fill)
    else:
        return None
    return plan


def _cost_cluster(q: str, asked: str | None, args: Arguments, analysis: QuestionAnalysis) -> ToolPlan | None:
    if asked != "money" or args.gpus is None or args.usage is None or args.price_per_gpu_hour is None:
        return None
    if args.usage.unit not in MONTHS or args.usage.unit in ("month", "year"):
        return None  # months and years have no fixed number of days; say it in days or hours
    days = args.usage.value if args.usage.unit == "day" else args.usage.value / 24
    return ToolPlan(
        name="training_cost",
        arguments={
            "gpus": int(args.gpus.value),
            "days": days,
            "usd_per_gpu_hour": args.price_per_gpu_hour.value,
        },
        inputs={
            "gpus": args.gpus.text,
            "days": args.usage.text,
            "usd_per_gpu_hour": args.price_per_gpu_hour.text,
        },
    )


def _registered(q: str, asked: str | None, args: Arguments, analysis: QuestionAnalysis) -> ToolPlan | None:
    """A registered calculator whose declared roles the question's figures fill and whose result is asked."""
    from tools.registry import REGISTRY

    for spec in REGISTRY.values():
        if not spec.roles or not spec.answers:
            continue
        if asked is not None and asked not in spec.answers and asked not in args.given_kinds():
            continue
        arguments: dict[str, Any] = {}
        inputs: dict[str, str] = {}
        for argument, role in spec.roles.items():
            found = args.role(role)
            if isinstance(found, Figure):
                arguments[argument], inputs[argument] = found.value, found.text
            elif found is not None:
                arguments[argument] = found
        if all(a in arguments for a in spec.required):
            return ToolPlan(name=spec.name, arguments=arguments, inputs=inputs)
    return None
