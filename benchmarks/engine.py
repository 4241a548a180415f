"""Engine benchmark: load + compile time, per-assessment latency, throughput, and the floor.

Run: .venv/bin/python benchmarks/engine.py [--n 2000]

This measures speed; it is not a test and asserts nothing. The "floor" runs the same
compiled conditions in plain Python, without experta, and gives the same decisions
(tests/test_engine.py checks that), so the gap between the two is experta's own cost.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import rules  # noqa: E402
from rules.service import Assessor  # noqa: E402

# A realistic call: a former partner, a dozen dated incidents, most questions answered.
ANSWERS = {
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


def percentile(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def measure(fn, n: int) -> list[float]:  # type: ignore[no-untyped-def]
    for _ in range(min(200, n // 5)):
        fn()
    out = []
    for _ in range(n):
        start = time.perf_counter()
        fn()
        out.append((time.perf_counter() - start) * 1000)
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=2000)
    args = parser.parse_args()

    loads = []
    for _ in range(5):
        start = time.perf_counter()
        assessor = Assessor(rules.load_knowledge())
        loads.append((time.perf_counter() - start) * 1000)
    kb = assessor.knowledge
    case = assessor.case(ANSWERS, AS_AT)
    print(f"knowledge {kb.version}: {len(kb.provisions)} provisions, {len(assessor.rules)} rules, "
          f"{len(kb.questions)} questions")
    print(f"load + compile: median {statistics.median(loads):.0f} ms (min {min(loads):.0f} ms) over {len(loads)} runs")
    fired = assessor.runner.fire(case)
    print(f"rules fired for the realistic case: {len(fired)}")

    rows = [
        ("whole assessment (validate, derive, experta, explain)", lambda: assessor.assess(ANSWERS, AS_AT)),
        ("  experta run only (declare, run, retract)", lambda: assessor.runner.fire(case)),
        ("whole assessment, plain-Python floor", lambda: assessor.assess(ANSWERS, AS_AT, plain=True)),
        ("  floor: conditions only", lambda: assessor.runner.fire_plain(case)),
    ]
    print(f"\n{'':58} {'p50 ms':>8} {'p99 ms':>8} {'per s':>8}")
    for label, fn in rows:
        samples = measure(fn, args.n)
        p50, p99 = percentile(samples, 50), percentile(samples, 99)
        print(f"{label:58} {p50:8.3f} {p99:8.3f} {1000 / statistics.mean(samples):8.0f}")
    print("\n(one process, one thread: 'per s' is assessments per second on one core)")


if __name__ == "__main__":
    main()
