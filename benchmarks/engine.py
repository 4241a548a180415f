"""Engine benchmark: every in-process row of issue 10's table, in one interleaved run.

Run: .venv/bin/python benchmarks/engine.py [--rounds 7] [--n 200]
(benchmarks/load.py gives the HTTP rows: req/s against the ping route, p99, 50 connections.)

This measures speed; it is not a test and asserts nothing. Variants are interleaved: each
round runs every variant for ``--n`` calls, and each row gives the min / median / max of the
per-round medians (p50) and the p99 over all calls, with its ratio to the plain-Python floor
measured in the same rounds (the machine is noisy; ratios hold better than absolutes). The
floor runs the same compiled conditions without experta and decides the same
(tests/test_engine.py checks it), so the gap is experta's own cost.
"""

from __future__ import annotations

import argparse
import copy
import gzip
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import typing as t
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import orjson  # noqa: E402

import rules  # noqa: E402
from rules import knowledge_cache  # noqa: E402
from rules.codegen import compile_conditions  # noqa: E402
from rules.engine import RuleRunner  # noqa: E402
from rules.engine import _make_coarse_rule  # noqa: E402
from rules.engine import _OnePassEngine  # noqa: E402
from rules.engine import coarse_groups  # noqa: E402
from rules.service import Assessor  # noqa: E402

# A realistic call: a former partner, a dozen dated incidents, most questions answered.
ANSWERS: dict[str, t.Any] = {
    "in_immediate_danger": False,
    "place": "england",
    "target": "me",
    "age_band": "18_or_over",
    "gender": "woman",
    "relationship": "former_partner",
    "lived_together": True,
    "relationship_length": "over_12_months",
    "child_together": False,
    "separated_on": "2026-05-01",
    "same_person": True,
    "behaviours": ["following", "contacting", "turning_up", "monitoring_electronic", "threats"],
    "incidents": [
        {"date": f"2026-{m:02d}-{d:02d}", "behaviours": ["contacting", "turning_up"], "feared_violence": d % 2 == 0}
        for m in (6, 7, 8, 9, 10, 11) for d in (3, 16)
    ],
    "told_to_stop": True,
    "lawful_role": "none",
    "controlling_behaviour": True,
    "hostility": ["none"],
    "where_it_happens": "elsewhere",
    "sexual_nature": False,
    "alarmed_or_distressed": True,
    "distress_level": "serious",
    "fear_for_others": True,
    "daily_life_changes": ["changed_route_or_routine", "extra_home_security"],
    "message_content": ["menacing"],
    "sent_electronically": True,
    "meant_to_distress": True,
    "intimate_images": ["none"],
    "order_in_place": ["none"],
    "reported_to_police": True,
}
AS_AT = "2026-11-21"
#: The issue's figures before this work (min / median / max ms), for the "was" column.
WAS = {"whole": "6.8 / 7.8 / 8.0", "fire": "5.9 / 6.4 / 9.6", "clips": "1.0 / 1.3 / 1.4", "floor": "0.2 / 0.26 / 0.35"}


def percentile(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def interleaved(variants: dict[str, t.Callable[[], t.Any]], rounds: int, n: int) -> dict[str, dict[str, float]]:
    """Per variant: min/median/max of the per-round p50s, and p99 over every call (ms)."""
    per_round: dict[str, list[float]] = {k: [] for k in variants}
    every: dict[str, list[float]] = {k: [] for k in variants}
    for fn in variants.values():  # warm up
        for _ in range(20):
            fn()
    for _ in range(rounds):
        for name, fn in variants.items():
            calls = max(5, n // 20) if name.endswith("(slow)") else n
            samples = []
            for _ in range(calls):
                start = time.perf_counter()
                fn()
                samples.append((time.perf_counter() - start) * 1000)
            per_round[name].append(statistics.median(samples))
            every[name].extend(samples)
    return {k: {"min": min(v), "med": statistics.median(v), "max": max(v), "p99": percentile(every[k], 99)}
            for k, v in per_round.items()}


def row(label: str, r: dict[str, float], floor: float | None, was: str = "", goal: str = "") -> None:
    ratio = f"{r['med'] / floor:6.1f}x" if floor else "       "
    print(f"{label:46} {r['min']:7.3f} {r['med']:7.3f} {r['max']:7.3f} {r['p99']:7.3f} {ratio}  {was:18} {goal}")


def one_shot_cli(answers_file: str) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "rules", "assess", answers_file, "--as-at", AS_AT],
                   cwd=ROOT, check=True, capture_output=True)
    return (time.perf_counter() - start) * 1000


def with_incidents(count: int) -> dict[str, t.Any]:
    answers = dict(ANSWERS)
    answers["incidents"] = [
        {"date": (dt_start + dt_step * i).isoformat(), "behaviours": ["contacting"], "feared_violence": i % 3 == 0}
        for i in range(count)
    ]
    return answers


import datetime as _dt  # noqa: E402

dt_start = _dt.date(2026, 5, 2)
dt_step = _dt.timedelta(days=1)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--n", type=int, default=200, help="calls per variant per round")
    args = parser.parse_args()

    # -- load + compile ------------------------------------------------------------------------
    loads, compiles = [], []
    cached_loads = []
    knowledge_cache.load_knowledge()  # stores the checked knowledge if it is not stored yet
    for _ in range(5):
        start = time.perf_counter()
        kb = rules.load_knowledge()
        middle = time.perf_counter()
        assessor = Assessor(kb)
        loads.append((middle - start) * 1000)
        compiles.append((time.perf_counter() - middle) * 1000)
        start = time.perf_counter()
        knowledge_cache.load_knowledge()
        cached_loads.append((time.perf_counter() - start) * 1000)
    case = assessor.case(ANSWERS, AS_AT)
    fine = RuleRunner(assessor.rules, "fine")
    start = time.perf_counter()
    fine._engine()
    fine_build = (time.perf_counter() - start) * 1000
    start = time.perf_counter()
    assessor.runner._new_engine()
    coarse_build = (time.perf_counter() - start) * 1000
    fired = assessor.runner.fire(case)
    experta_rules = len(assessor.runner._engine().get_rules())
    print(f"knowledge {kb.version}: {len(kb.provisions)} provisions, {len(assessor.rules)} conditions "
          f"(compiled rules) in {experta_rules} coarse experta rules, {len(kb.questions)} questions; "
          f"{len(fired)} hold for the realistic case")

    # -- the engine, interleaved ---------------------------------------------------------------
    from web.api import full_shape
    from web.api import summary_shape

    assessment = assessor.assess(ANSWERS, AS_AT)
    said = kb.meta.status_text
    by_kind = RuleRunner(assessor.rules, "kind")
    # The same three coarse rules calling the parsed conditions (as before rules/codegen.py).
    parsed = RuleRunner(assessor.rules)
    compiled_rules = assessor.rules

    def parsed_members(members: tuple[int, ...]) -> t.Callable[[t.Any], list[int]]:
        return lambda c: [i for i in members if compiled_rules[i].condition.holds(c)]

    parsed.engine_class = type("ParsedConditions", (_OnePassEngine,), {
        f"coarse_{n}": _make_coarse_rule(n, salience, parsed_members(members))
        for n, (_name, salience, members) in enumerate(coarse_groups(compiled_rules))})
    parsed._pool.clear()
    generated = compile_conditions([r.condition for r in compiled_rules])
    variants: dict[str, t.Callable[[], t.Any]] = {
        "floor": lambda: assessor.runner.fire_plain(case),
        "fire": lambda: assessor.runner.fire(case),
        "fire_kind": lambda: by_kind.fire(case),
        "fire_parsed": lambda: parsed.fire(case),
        "floor_generated": lambda: tuple(i for i, evaluate in enumerate(generated) if evaluate(case) is True),
        "whole_everything": lambda: assessor.assess(ANSWERS, AS_AT).to_dict(),
        "fire_fine (slow)": lambda: fine.fire(case),
        "whole": lambda: assessor.assess(ANSWERS, AS_AT),
        "whole_plain": lambda: assessor.assess(ANSWERS, AS_AT, plain=True),
        "case": lambda: assessor.case(ANSWERS, AS_AT),
        "explain": lambda: assessor.explainer.build(case, fired),
        "api_summary": lambda: orjson.dumps(summary_shape(assessor.assess(ANSWERS, AS_AT), said)),
        "api_full": lambda: orjson.dumps(full_shape(assessor.assess(ANSWERS, AS_AT))),
        "to_dict": lambda: assessment.to_dict(),
        "json_stdlib": lambda: json.dumps(assessment.to_dict()),
        "json_orjson": lambda: orjson.dumps(assessment.to_dict()),
        "interview (slow)": None,  # filled below
    }
    # rules.interview, page by page: the answers given so far, one more question each page.
    pages = []
    so_far: dict[str, t.Any] = {}
    for key, value in ANSWERS.items():
        so_far = {**so_far, key: value}
        pages.append(so_far)

    def pager(interviewing: Assessor) -> t.Callable[[], t.Any]:
        """Each call interviews the next page (both interviews walk the same pages in step)."""
        page: t.Iterator[dict[str, t.Any]] = iter(())

        def next_page() -> t.Any:
            nonlocal page
            answers = next(page, None)
            if answers is None:
                page = iter(pages)
                answers = next(page)
            return interviewing.interview(answers, AS_AT)

        return next_page

    # The interview as it was before issue 10's speed work (tests/reference_interview.py,
    # which tests/test_interview_equivalence.py checks decides the same), for the ratio.
    from tests.reference_interview import Interviewer as ReferenceInterviewer

    before = copy.copy(assessor)
    before.interviewer = ReferenceInterviewer(kb, assessor.rules)  # type: ignore[assignment]
    variants["interview (slow)"] = pager(assessor)
    variants["interview_before (slow)"] = pager(before)
    res = interleaved(variants, args.rounds, args.n)
    floor = res["floor"]["med"]

    print(f"\n{args.rounds} interleaved rounds x {args.n} calls; ms: min / median / max of per-round p50s, "
          f"p99 over all calls; ratio = median / plain-conditions floor")
    print(f"{'what':46} {'min':>7} {'median':>7} {'max':>7} {'p99':>7} {'ratio':>7}  {'was (issue)':18} goal")
    row("whole assessment, realistic answers", res["whole"], floor, WAS["whole"], "<= 1 ms p50, p99 <= 3 ms")
    row("  validate + derive (Assessor.case)", res["case"], floor)
    row("  experta declare+run+retract (3 coarse rules)", res["fire"], floor, WAS["fire"], "beat CLIPS")
    row("  same, parsed conditions (before codegen)", res["fire_parsed"], floor)
    row("  same, 8 coarse rules (one per kind)", res["fire_kind"], floor)
    row(f"  same, one experta rule per condition ({len(assessor.rules)})", res["fire_fine (slow)"], floor)
    row("  explain, what is decided at once", res["explain"], floor)
    row("whole assessment + to_dict() (every part worked out)", res["whole_everything"], floor)
    print(f"{'  CLIPS (clipspy), same rules':46} {'not run here: clipspy not installed':43}  {WAS['clips']:18} beat it")
    row("plain-Python conditions only (the floor)", res["floor"], floor, WAS["floor"])
    row("  the same conditions as generated code", res["floor_generated"], floor)
    row("whole assessment, plain-Python floor", res["whole_plain"], floor)
    row("API body, default summary (assess+shape+orjson)", res["api_summary"], floor)
    row("API body, ?explain=full (assess+shape+orjson)", res["api_full"], floor)
    row("Assessment.to_dict()", res["to_dict"], floor, "0.9")
    row("  encode to_dict(): json module", res["json_stdlib"], floor, "1.9 - 2.7")
    row("  encode to_dict(): orjson", res["json_orjson"], floor, "0.2")
    row(f"rules.interview per page ({len(pages)} pages)", res["interview (slow)"], floor, "5 - 30", "<= 5 ms per page")
    row("  the same, interview before the speed work", res["interview_before (slow)"], floor)
    print(f"rules.interview, now / before: {res['interview (slow)']['med'] / res['interview_before (slow)']['med']:.2f}x "
          f"(same decisions: tests/test_interview_equivalence.py)")
    fi = res["fire"]["med"] / res["fire_fine (slow)"]["med"]
    print(f"experta fire, coarse / one rule per condition: {fi:.2f}x; building an engine: coarse "
          f"{coarse_build:.0f} ms, one rule per condition {fine_build:.0f} ms")

    # -- start-up ------------------------------------------------------------------------------
    print(f"\nknowledge load: median {statistics.median(loads):.0f} ms (min {min(loads):.0f}); from "
          f"rules/knowledge_cache.py: median {statistics.median(cached_loads):.0f} ms (min {min(cached_loads):.0f}); "
          f"Assessor (rules, engine class, explainer, interview tables): median {statistics.median(compiles):.0f} ms")
    print(f"load + compile, total median: {statistics.median(a + b for a, b in zip(loads, compiles, strict=True)):.0f} ms"
          f" fresh, {statistics.median(a + b for a, b in zip(cached_loads, compiles, strict=True)):.0f} ms cached "
          f"(was 385 - 874; goal <= 100)")
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump(ANSWERS, f)
    shots = [one_shot_cli(f.name) for _ in range(3)]
    os.unlink(f.name)
    print(f"python -m rules assess, one shot: {min(shots):.0f} - {max(shots):.0f} ms (was 650 - 1200; goal <= 350)")

    # -- sizes and compression ---------------------------------------------------------------------
    print("\nresponse bodies (bytes), and gzip of each: level, ms to compress, bytes")
    for label, answers in (("realistic", ANSWERS), ("{}", {})):
        a = assessor.assess(answers, AS_AT)
        for shape, body in (("summary", orjson.dumps(summary_shape(a, said))), ("full", orjson.dumps(full_shape(a))),
                            ("to_dict (all inline)", orjson.dumps(a.to_dict()))):
            gz = []
            for level in (1, 6):
                start = time.perf_counter()
                for _ in range(20):
                    packed = gzip.compress(body, level)
                gz.append(f"L{level} {(time.perf_counter() - start) * 50:.2f} ms {len(packed):>6}")
            print(f"  {label:10} {shape:22} {len(body):>7}   {'   '.join(gz)}")
    print("  goal: default <= 16 KB (was 260 KB realistic, 182 KB for {})")

    # -- growth with incidents -------------------------------------------------------------------
    print("\ngrowth with the number of incidents (whole assessment p50 ms; summary and full bytes)")
    grow = {f"{n}": (lambda n=n: assessor.assess(with_incidents(n), AS_AT)) for n in (1, 10, 100, 200)}
    gres = interleaved(grow, max(3, args.rounds // 2), max(20, args.n // 4))
    for n in (1, 10, 100, 200):
        a = assessor.assess(with_incidents(n), AS_AT)
        print(f"  {n:>4} incidents: {gres[str(n)]['med']:7.3f} ms   summary {len(orjson.dumps(summary_shape(a, said))):>7}"
              f"   full {len(orjson.dumps(full_shape(a))):>7}")

    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\nmax RSS of this process (knowledge, 5 compiles, engines): {rss:.0f} MB (goal per worker <= 80 MB)")


if __name__ == "__main__":
    main()
