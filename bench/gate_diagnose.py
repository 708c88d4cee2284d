"""Why the answer gate refuses candidates that hold the expected figure, tabulated across question sets.

Each question of each set is asked as the product asks it; the candidates selection ranked for each part of the
question (in the last answering round that ranked one holding an expected figure) are recorded with their signals
and the gate's rule for each (``assistant.ask.candidate.blocking_rule``). A question that fails although some
candidate holds an expected figure from the expected source is put down to what blocked that candidate:

- ``blocked:<rule>``: the best-ranked holder is barred by that rule (and no usable candidate answered);
- ``outranked``: a holder passes the gate but another usable candidate answers first;
- ``all_parts``: a part of a multi-figure question found nothing usable, so the whole answer was withdrawn
  (the part's own blocked holder is counted under ``blocked:<rule>`` too);
- ``composition``: the chosen candidate holds the figure but the answer text does not show it;
- ``not_ranked`` / ``not_retrieved``: no ranked candidate / no passage holds it;
- ``false_answer``: a no-answer question was answered.

    PYTHONPATH=$PWD python bench/gate_diagnose.py --data-dir DIR --out OUT_DIR [--sets a.jsonl b.jsonl ...]

writes ``OUT_DIR/cases.jsonl`` (one line per question), ``OUT_DIR/candidates.jsonl`` (every ranked candidate with
its signals and whether it holds an expected figure: the data ``bench/gate_fit.py`` fits) and prints the table.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]

DEV_SETS = [
    "{shared}/eval/dev_qa.jsonl",
    "{shared}/eval/newdocs/qa.jsonl",
    "bench/userdocs/qa.jsonl",
    "bench/userdocs2/qa.jsonl",
    "bench/userdocs3/qa.jsonl",
    "bench/userdocs4/qa.jsonl",
    "bench/userdocs5/qa.jsonl",
    "bench/userdocs6/qa.jsonl",
    "bench/userdocs7/qa.jsonl",
    "bench/heldout_qa6.jsonl",
    "bench/heldout_qa7.jsonl",
    "bench/heldout_qa8.jsonl",
    "bench/heldout_qa9.jsonl",
    "bench/heldout_qa10.jsonl",
    "bench/heldout_retrieval2.jsonl",
    "bench/heldout_answer_qa.jsonl",
    "bench/heldout_select_qa.jsonl",
    "bench/heldout_tables_qa.jsonl",
    "bench/heldout_htmltables_qa.jsonl",
    "bench/heldout_noanswer_qa.jsonl",
    "bench/heldout_gate9_qa.jsonl",
]

SIGNALS = (
    "names", "content", "window", "focus", "terms", "kind_hit", "closeness", "score", "cross", "focus_near",
    "holds_focus", "row_named", "unit_asked", "states_case", "focus_checkable", "other_year", "borrowed", "agreement",
)


def set_name(path: str) -> str:
    p = Path(path)
    return f"{p.parent.name}_{p.stem}"


class Recorder:
    """Patches the pipeline to keep, for each answering round, every part's ranked candidates."""

    def __init__(self) -> None:
        self.rounds: list[list[tuple[Any, list[Any], list[Any]]]] = []

    def install(self) -> None:
        from assistant.ask import pipeline

        real_extract, real_select = pipeline.extractive_answer, pipeline.select_sentences

        def extract(*args: Any, **kwargs: Any) -> Any:
            self.rounds.append([])
            return real_extract(*args, **kwargs)

        def select(part: Any, passages: Any, **kwargs: Any) -> Any:
            ranked = real_select(part, passages, **kwargs)
            if self.rounds:
                self.rounds[-1].append((part, list(passages), ranked))
            return ranked

        pipeline.extractive_answer = extract
        pipeline.select_sentences = select  # type: ignore[assignment]


def _source_ok(spec: str, passage: Any) -> bool:
    wanted = [s.strip().lower() for s in spec.split("|") if s.strip()]
    where = f"{passage.document.source_path} {passage.document.title} {passage.document.url or ''}".lower()
    return not wanted or any(w in where for w in wanted)


def _holds(case: Any, text: str) -> bool:
    from assistant.ask.spans import demark
    from assistant.evaluate.scoring import matches, values_in

    values = values_in(demark(text))
    return any(matches(v, e, case.tolerance) for e in case.expect_numbers for v in values)


def _signals(cand: Any, top_sim: float | None, top_score: float) -> dict[str, Any]:
    out = {k: getattr(cand, k) for k in SIGNALS}
    out["kind"] = cand.kind
    out["sim"] = cand.sim
    out["sim_gap"] = None if cand.sim is None or top_sim is None else round(top_sim - cand.sim, 4)
    out["score_ratio"] = round(cand.score / top_score, 4) if top_score > 0 else 0.0
    return {k: (round(v, 4) if isinstance(v, float) else v) for k, v in out.items()}


def diagnose(assistant: Any, case: Any, recorder: Recorder, set_id: str) -> tuple[dict[str, Any], list[dict]]:
    from assistant.ask.candidate import failing_rules
    from assistant.evaluate.runner import SEARCH_K
    from assistant.evaluate.scoring import score_qa

    recorder.rounds = []
    answer = assistant.ask(case.question)
    hits = assistant.search(case.question, k=SEARCH_K) if case.expect_numbers else None
    result = score_qa(case, answer, hits)
    row: dict[str, Any] = {
        "set": set_id, "id": case.id, "question": case.question, "kind": case.kind, "passed": result.passed,
        "status": answer.status, "route": answer.route, "hit": result.checks.get("retrieval_hit"),
        "lead": result.checks.get("lead"),
        "category": None, "blocked": [],
    }
    cands_out: list[dict] = []
    if answer.route != "retrieval" or not recorder.rounds:
        return row, cands_out
    # the round to read: the last one ranking a holder (else the last round)
    pick = len(recorder.rounds) - 1
    if case.expect_numbers:
        for r in range(len(recorder.rounds) - 1, -1, -1):
            if any(
                _holds(case, c.quote or c.text) and _source_ok(case.source, ps[c.passage])
                for _, ps, ranked in recorder.rounds[r]
                for c in ranked
            ):
                pick = r
                break
    parts_info = []
    for p_i, (part, passages, ranked) in enumerate(recorder.rounds[pick]):
        sims = [c.sim for c in ranked if c.sim is not None]
        top_sim = max(sims) if sims else None
        top_score = ranked[0].score if ranked else 0.0
        usable_rank = None
        holder = None
        for rank, c in enumerate(ranked):
            rules = failing_rules(c, part.asked, wants_figure=part.wants_figure)
            rule = rules[0] if rules else None
            holds = bool(case.expect_numbers) and _holds(case, c.quote or c.text) and _source_ok(
                case.source, passages[c.passage]
            )
            if rule is None and usable_rank is None:
                usable_rank = rank
            if holds and holder is None:
                holder = (rank, rule, c)
            cands_out.append({
                "set": set_id, "id": case.id, "part": p_i, "n_parts": len(recorder.rounds[pick]), "rank": rank,
                "asked": part.asked.name if part.asked is not None else None, "wants_figure": part.wants_figure,
                "no_answer": case.kind == "not_found", "holds": holds, "rule": rule, "rules": rules,
                "case_passed": result.passed, "passage": c.passage, "doc": passages[c.passage].chunk.doc_id,
                "text": c.text[:200], **_signals(c, top_sim, top_score),
            })
        parts_info.append((usable_rank, holder, passages))
    if case.kind == "not_found":
        row["category"] = None if result.passed else "false_answer"
        return row, cands_out
    if result.passed or not case.expect_numbers:
        return row, cands_out
    holders = [h for _, h, _ in parts_info if h is not None]
    if not holders:
        in_passages = any(
            _holds(case, p.chunk.text) and _source_ok(case.source, p)
            for rnd in recorder.rounds
            for _, ps, _ in rnd
            for p in ps
        )
        row["category"] = "not_ranked" if in_passages else "not_retrieved"
        return row, cands_out
    for _, holder, _ in parts_info:
        if holder is None:
            continue
        rank, rule, c = holder
        if rule is not None:
            row["blocked"].append({"rule": rule, "rank": rank, "text": c.text[:160], **_signals(c, None, 1.0)})
    if answer.status == "not_found":
        empty = [u is None for u, _, _ in parts_info]
        if any(empty) and not all(empty):
            row["category"] = "all_parts"
        else:
            rules = [b["rule"] for b in row["blocked"]]
            row["category"] = f"blocked:{rules[0]}" if rules else "blocked:?"
    else:
        firsts = [(u, h) for u, h, _ in parts_info if h is not None]
        if all(u is not None and h[0] == u for u, h in firsts):
            row["category"] = "composition"
        elif any(h[1] is None for _, h in firsts):
            row["category"] = "outranked"
        else:
            row["category"] = f"blocked:{row['blocked'][0]['rule']}" if row["blocked"] else "outranked"
    return row, cands_out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data-dir", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--shared", default=str(REPO.parent / "shared"))
    ap.add_argument("--sets", nargs="*", default=None)
    args = ap.parse_args(argv)
    from assistant import Assistant
    from assistant.evaluate.cases import QACase, load_cases
    from assistant.settings import Settings

    sets = args.sets or [s.format(shared=args.shared) for s in DEV_SETS]
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    assistant = Assistant.open(settings=Settings(data_dir=Path(args.data_dir)))
    recorder = Recorder()
    recorder.install()
    table: dict[str, Counter[str]] = defaultdict(Counter)
    with open(out / "cases.jsonl", "w") as fc, open(out / "candidates.jsonl", "w") as fk:
        for path in sets:
            sid = set_name(path)
            for case in load_cases(path):
                if not isinstance(case, QACase) or case.kind.startswith("tool:") or case.history:
                    continue
                row, cands = diagnose(assistant, case, recorder, sid)
                fc.write(json.dumps(row, ensure_ascii=False) + "\n")
                for c in cands:
                    fk.write(json.dumps(c, ensure_ascii=False) + "\n")
                if row["category"]:
                    table[sid][row["category"]] += 1
                    for b in row["blocked"]:
                        if row["category"] != f"blocked:{b['rule']}":
                            table[sid][f"(holder {b['rule']})"] += 1
                table[sid]["cases"] += 1
            print(f"{sid}: {dict(table[sid])}", file=sys.stderr, flush=True)
    print_table(table)
    print_totals(out / "cases.jsonl")
    return 0


def print_totals(cases_file: Path) -> None:
    """Per set and in all: questions answered right, lead right, retrieval hit, no-answer kept not found."""
    per: dict[str, Counter[str]] = defaultdict(Counter)
    for line in cases_file.read_text(encoding="utf-8").splitlines():
        r = json.loads(line)
        c = per[r["set"]]
        c["n"] += 1
        c["right"] += int(r["passed"])
        if r["kind"] == "not_found":
            c["noans"] += 1
            c["noans_kept"] += int(r["passed"])
        else:
            c["answerable"] += 1
            c["wrong"] += int(r["status"] == "answered" and not r["passed"])
            c["lead"] += int(bool(r.get("lead")))
            c["hit"] += int(bool(r["hit"]))
    total: Counter[str] = Counter()
    for c in per.values():
        total.update(c)
    for sid, c in [*sorted(per.items()), ("TOTAL", total)]:
        print(f"{sid[:33]:34} right {c['right']:3}/{c['n']:<3} lead {c['lead']:3}  hit {c['hit']:3}  "
              f"answered wrong {c['wrong']:3}  no-answer kept {c['noans_kept']}/{c['noans']}")


def print_table(table: dict[str, Counter[str]]) -> None:
    cols = sorted({k for c in table.values() for k in c if k != "cases"})
    total: Counter[str] = Counter()
    for c in table.values():
        total.update(c)
    print("set".ljust(34) + "cases " + " ".join(k[:18].rjust(18) for k in cols))
    for sid, c in [*sorted(table.items()), ("TOTAL", total)]:
        print(sid[:33].ljust(34) + str(c["cases"]).rjust(5) + " " + " ".join(str(c[k]).rjust(18) for k in cols))


if __name__ == "__main__":
    raise SystemExit(main())
