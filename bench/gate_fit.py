"""Fit the answer gate's acceptance score on the candidates ``bench/gate_diagnose.py`` recorded, and validate it
leave-one-set-out.

The gate keeps its structural rules (every name present, the asked year, no heading, no bare figure, a figure
where one is asked); the rules that judged from hand-set thresholds whether a candidate says what is asked
(``missing_kind``, ``focus_far``, ``thin_content``) are replaced by one logistic score over generic signals
(the shares of the question's names and words in and around the candidate, the embedder's similarity to the
question, absolute and relative to the closest candidate, table structure, the kind of figure asked). A candidate is labelled positive when it holds an expected figure from the
expected source; every candidate of a no-answer question is negative.

Each question is replayed: a part's answer is its first accepted candidate in rank order; a question is answered
right when every part's first accepted candidate holds an expected figure, wrong when every part accepted one
and some does not, and not found when a part accepted none (a no-answer question is right only then). The
threshold is the one that maximises right answers minus ``WRONG_COST`` times wrong ones on the training sets.

    python bench/gate_fit.py DIAG_DIR [DIAG_DIR ...] [--variant V]

prints, per set, the old gate vs the score fitted without that set (the honest generalisation figure), then the
fit on all sets and its weights. On the round-9 development sets no variant beat the old gate leave-one-set-out
(the blocked candidates holding the answer look, by these signals, like the many that do not), so the product
does not use a fitted score; the script stays to test new signals the same way.
"""

from __future__ import annotations

import argparse
import json
import math
from collections import defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.linear_model import LogisticRegression

REPO = Path(__file__).resolve().parents[1]
SOFT = frozenset({"missing_kind", "focus_far", "thin_content"})
# Variants: what the score decides. "replace": every candidate passing the structural rules; "rescue": only those
# the old thresholds barred (the old gate's passes stay); with "+names" a candidate in the other language than the
# question missing some names (written in the question's script) is judged by the score too.
# "fallback": a part nothing passes takes the judged candidate of highest score, if high enough.
VARIANTS = ("replace", "rescue", "replace+names", "rescue+names", "fallback", "fallback+names")
WRONG_COST = 2.0
C_REG = 1.0


def load(dirs: Sequence[str]) -> tuple[list[dict[str, Any]], dict[tuple[str, str], dict[str, Any]]]:
    cands: list[dict[str, Any]] = []
    cases: dict[tuple[str, str], dict[str, Any]] = {}
    for d in dirs:
        for line in (Path(d) / "cases.jsonl").read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            cases[(row["set"], row["id"])] = row
        for line in (Path(d) / "candidates.jsonl").read_text(encoding="utf-8").splitlines():
            cands.append(json.loads(line))
    return cands, cases


FEATURES = (
    "names", "window", "content", "focus", "kind_hit", "closeness", "sim", "has_sim", "cross", "cross_closeness",
    "focus_near", "holds_focus", "row_named", "row", "unit_asked", "states_case", "kind_asked", "count_asked",
)
# A similarity is read relative to this (the e5 model's cosines of related texts sit near it).
SIM_CENTRE = 0.85


def features(c: dict[str, Any]) -> list[float]:
    """The signals of a recorded candidate, in ``FEATURES`` order (one never compared by meaning has no
    similarity)."""
    has_sim = c["sim"] is not None
    closeness = c["closeness"] if has_sim else 0.0
    return [
        c["names"], c["window"], c["content"], c["focus"], c["kind_hit"], closeness,
        (c["sim"] - SIM_CENTRE) * 10 if has_sim else 0.0, float(has_sim), float(c["cross"]),
        closeness if c["cross"] else 0.0, float(c["focus_near"]), float(c["holds_focus"]), float(c["row_named"]),
        float(c["kind"] == "row"), float(c["unit_asked"]), float(c["states_case"]), float(c["asked"] is not None),
        float(c["asked"] == "count"),
    ]


def replay(
    cands: list[dict[str, Any]], accept: Callable[[dict[str, Any]], bool]
) -> dict[str, dict[str, int]]:
    """Per set: right, wrong, not_found (answerable questions) and no-answer questions kept not found.

    Where every part's first accepted candidate is the one the old gate took, the question keeps its measured
    outcome (the answer is the same); otherwise a new answer is right when each part's first holds a figure."""
    by_case: dict[tuple[str, str], dict[int, list[dict[str, Any]]]] = defaultdict(lambda: defaultdict(list))
    for c in cands:
        by_case[(c["set"], c["id"])][c["part"]].append(c)
    out: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for (sid, _), parts in by_case.items():
        firsts: list[dict[str, Any] | None] = []
        olds: list[dict[str, Any] | None] = []
        for p in parts.values():
            ordered = sorted(p, key=lambda c: c["rank"])
            if getattr(accept, "fallback", False):
                old = next((c for c in ordered if not _rules(c)), None)
                pool = [c for c in ordered if accept(c)]
                score = getattr(accept, "score")  # noqa: B009
                firsts.append(old or (max(pool, key=score) if pool else None))
            else:
                firsts.append(next((c for c in ordered if accept(c)), None))
            olds.append(next((c for c in ordered if not _rules(c)), None))
        head = next(iter(parts.values()))[0]
        if head["no_answer"]:
            out[sid]["noans"] += 1
            out[sid]["noans_kept"] += int(any(f is None for f in firsts))
        elif any(f is None for f in firsts):
            out[sid]["not_found"] += 1
        elif all(f is o for f, o in zip(firsts, olds, strict=True)):
            out[sid]["right" if head["case_passed"] else "wrong"] += 1
        elif all(f is not None and f["holds"] for f in firsts):
            out[sid]["right"] += 1
        else:
            out[sid]["wrong"] += 1
    return out


def utility(stats: dict[str, dict[str, int]]) -> float:
    return sum(s["right"] + s["noans_kept"] - WRONG_COST * (s["wrong"] + s["noans"] - s["noans_kept"])
               for s in stats.values())


def _rules(c: dict[str, Any]) -> list[str]:
    return c.get("rules", [c["rule"]] if c["rule"] else [])


def judged(c: dict[str, Any], variant: str) -> bool:
    """Whether the score decides for ``c`` (else the old gate does)."""
    soft = SOFT | ({"missing_names"} if variant.endswith("+names") and c["cross"] else set())
    rules = _rules(c)
    if (variant.startswith("rescue") or variant.startswith("fallback")) and not rules:
        return False
    return all(r in soft for r in rules)


def fit(train: list[dict[str, Any]], variant: str) -> tuple[list[float], float, float]:
    """Weights, bias and threshold fitted on ``train``."""
    rows = [c for c in train if judged(c, variant)]
    x = np.array([features(c) for c in rows])
    y = np.array([int(c["holds"]) for c in rows])
    model = LogisticRegression(C=C_REG, max_iter=2000).fit(x, y)
    w, b = [float(v) for v in model.coef_[0]], float(model.intercept_[0])
    best_t, best_u = 0.5, -math.inf
    for t in np.arange(0.05, 0.96, 0.025):
        u = utility(replay(train, gate(w, b, float(t), variant)))
        if u > best_u:
            best_t, best_u = float(t), u
    return w, b, best_t


def gate(w: Sequence[float], b: float, threshold: float, variant: str) -> Callable[[dict[str, Any]], bool]:
    def score(c: dict[str, Any]) -> float:
        z = b + sum(wi * xi for wi, xi in zip(w, features(c), strict=True))
        return 1.0 / (1.0 + math.exp(-z))

    def accept(c: dict[str, Any]) -> bool:
        if not judged(c, variant):
            return not _rules(c) and not variant.startswith("fallback")
        return score(c) >= threshold

    accept.fallback = variant.startswith("fallback")  # type: ignore[attr-defined]
    accept.score = score  # type: ignore[attr-defined]
    return accept


def show(title: str, stats: dict[str, dict[str, int]], sets: Sequence[str]) -> None:
    print(title)
    tot: dict[str, int] = defaultdict(int)
    for sid in sets:
        s = stats.get(sid, {})
        for k in ("right", "wrong", "not_found", "noans", "noans_kept"):
            tot[k] += s.get(k, 0)
        print(f"  {sid:34} right {s.get('right', 0):3}  wrong {s.get('wrong', 0):3}  not_found {s.get('not_found', 0):3}"
              f"  no-answer kept {s.get('noans_kept', 0)}/{s.get('noans', 0)}")
    print(f"  {'TOTAL':34} right {tot['right']:3}  wrong {tot['wrong']:3}  not_found {tot['not_found']:3}"
          f"  no-answer kept {tot['noans_kept']}/{tot['noans']}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("dirs", nargs="+")
    ap.add_argument("--variant", choices=VARIANTS, default="replace")
    args = ap.parse_args(argv)
    variant = args.variant
    cands, _ = load(args.dirs)
    sets = sorted({c["set"] for c in cands})
    show("old gate (replayed)", replay(cands, lambda c: c["rule"] is None), sets)
    loso: dict[str, dict[str, int]] = {}
    for sid in sets:
        w, b, t = fit([c for c in cands if c["set"] != sid], variant)
        loso[sid] = replay([c for c in cands if c["set"] == sid], gate(w, b, t, variant)).get(sid, {})
    show(f"fitted score ({variant}), leave-one-set-out", loso, sets)
    w, b, t = fit(cands, variant)
    show(f"fitted on all sets (threshold {t:.3f}, in-sample)", replay(cands, gate(w, b, t, variant)), sets)
    print("weights:", {n: round(v, 3) for n, v in zip(FEATURES, w, strict=True)}, "bias", round(b, 3))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
