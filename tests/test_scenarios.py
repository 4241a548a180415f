"""Scenario cases from tests/scenarios/*.yaml: answers in, expected outcomes out.

Each case is written for a lawyer to read: its name states what should happen, and its
``expect`` lists only what the case is about. A failing case prints what was expected,
what came out, and the rules that fired for that provision.
"""

from __future__ import annotations

import datetime as dt
import json
import typing as t
from pathlib import Path

import pytest
import yaml

import rules

SCENARIOS = Path(__file__).parent / "scenarios"
EXPECT_KEYS = {
    "offences", "orders", "elements", "services_include", "services_exclude", "signs_include",
    "signs_exclude", "course_of_conduct", "time_limits", "danger_now", "jurisdiction", "missing_include",
    "error_fields", "risk_level", "risk_indicators_include", "risk_indicators_exclude", "pathways_include",
    "pathways_exclude", "lead_service", "risk_screening_complete", "risk_unanswered_include",
    "advice_include", "advice_exclude", "advice_first_five", "lead_advice", "advice_none",
}


def _json_ready(value: t.Any) -> t.Any:
    """YAML reads dates as dates; the engine is given them as JSON would give them."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _json_ready(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_json_ready(v) for v in value]
    return value


def _cases() -> list[t.Any]:
    out = []
    for path in sorted(SCENARIOS.glob("*.yaml")):
        for index, case in enumerate(yaml.safe_load(path.read_text(encoding="utf-8")) or []):
            out.append(pytest.param(case, id=f"{path.stem}[{index}] {case.get('name', '')}"[:180]))
    return out


CASES = _cases()


def test_there_are_enough_scenarios() -> None:
    assert len(CASES) >= 60


@pytest.mark.parametrize("case", CASES)
def test_scenario(case: dict[str, t.Any], assessor: rules.Assessor) -> None:
    assert set(case) <= {"name", "law", "as_at", "answers", "expect", "note"}, set(case)
    assert "as_at" in case, "every case gives its as-at date so it reproduces on any day"
    expect = case["expect"]
    assert set(expect) <= EXPECT_KEYS, set(expect) - EXPECT_KEYS
    answers = _json_ready(case["answers"])
    if "error_fields" in expect:
        with pytest.raises(rules.AnswersError) as info:
            assessor.assess(answers, case["as_at"])
        assert sorted({p.field for p in info.value.problems}) == sorted(expect["error_fields"])
        return
    result = assessor.assess(answers, case["as_at"]).to_dict()
    check(result, expect, case["name"])


def _provision(result: dict[str, t.Any], provision_id: str) -> dict[str, t.Any]:
    for p in result["offences"] + result["orders"]:
        if p["id"] == provision_id:
            return p
    raise AssertionError(f"no provision {provision_id!r} in the assessment")


def _explain(p: dict[str, t.Any]) -> str:
    lines = [f"{p['id']}: {p['status']} — {p['reason']}"]
    for e in p["elements"]:
        lines.append(f"  {e['id']}: {e['status']} {[r['rule'] for r in e['reasons']]} missing={e['missing']}")
    for x in p["exceptions"]:
        lines.append(f"  exception {x['rule']}: {x['outcome']}")
    return "\n".join(lines)


def check(result: dict[str, t.Any], expect: dict[str, t.Any], name: str) -> None:
    failures: list[str] = []
    for key in ("offences", "orders"):
        for pid, status in (expect.get(key) or {}).items():
            p = _provision(result, pid)
            if p["status"] != status:
                failures.append(f"{pid}: expected {status}, got {p['status']}\n{_explain(p)}")
    for key, status in (expect.get("elements") or {}).items():
        pid, element = key.split("/", 1)
        p = _provision(result, pid)
        found = [e for e in p["elements"] if e["id"] in (element, f"{pid}/{element}")]
        if not found:
            failures.append(f"{key}: no such element")
        elif found[0]["status"] != status:
            failures.append(f"{key}: expected {status}, got {found[0]['status']}\n{_explain(p)}")
    services = [s["id"] for s in result["services"]]
    for sid in expect.get("services_include") or []:
        if sid not in services:
            failures.append(f"service {sid} expected among {services}")
    for sid in expect.get("services_exclude") or []:
        if sid in services:
            failures.append(f"service {sid} not expected, but given")
    if "lead_service" in expect and (not services or services[0] != expect["lead_service"]):
        failures.append(f"expected {expect['lead_service']} first, got {services[:3]}")
    advice = [a["id"] for a in result.get("safety_advice", [])]
    for aid in expect.get("advice_include") or []:
        if aid not in advice:
            failures.append(f"advice {aid} expected among {advice}")
    for aid in expect.get("advice_exclude") or []:
        if aid in advice:
            failures.append(f"advice {aid} not expected, but given")
    for aid in expect.get("advice_first_five") or []:  # the steps a person sees first
        if aid not in advice[:5]:
            failures.append(f"advice {aid} expected in the first five, got {advice[:5]}")
    if "lead_advice" in expect and (not advice or advice[0] != expect["lead_advice"]):
        failures.append(f"expected advice {expect['lead_advice']} first, got {advice[:3]}")
    if expect.get("advice_none") and advice:
        failures.append(f"expected no specific safety advice (the general tips instead), got {advice}")
    if expect.get("advice_none") and not result.get("what_to_do_now"):
        failures.append("with no specific safety advice, the general tips must be given")
    shown = [s["id"] for g in result["signs"] for s in g["shown"]]
    for sid in expect.get("signs_include") or []:
        if sid not in shown:
            failures.append(f"sign {sid} expected among {shown}")
    for sid in expect.get("signs_exclude") or []:
        if sid in shown:
            failures.append(f"sign {sid} not expected, but shown")
    for field, value in (expect.get("course_of_conduct") or {}).items():
        actual = result["course_of_conduct"].get(field)
        if _json_ready(value) != actual:
            failures.append(f"course_of_conduct.{field}: expected {value!r}, got {actual!r}")
    limits = {t_["provision"]: t_ for t_ in result["time_limits"]}
    for pid, status in (expect.get("time_limits") or {}).items():
        if pid not in limits or limits[pid]["status"] != status:
            failures.append(f"time limit {pid}: expected {status}, got {limits.get(pid)}")
    if "danger_now" in expect and result["safety"]["danger_now"] != expect["danger_now"]:
        failures.append(f"danger_now: expected {expect['danger_now']}")
    if "jurisdiction" in expect:
        other = [j["id"] for j in result["jurisdiction"]["other_law"]]
        wanted = expect["jurisdiction"]
        if (wanted is None and other) or (wanted is not None and wanted not in other):
            failures.append(f"jurisdiction: expected {wanted}, got {other}")
    missing = [m["question"] for m in result["missing"]]
    for q in expect.get("missing_include") or []:
        if q not in missing:
            failures.append(f"missing answer {q} expected among {missing}")
    risk = result.get("risk")
    if "risk_level" in expect:
        if risk is None or risk["level"] != expect["risk_level"]:
            failures.append(f"risk level: expected {expect['risk_level']}, got {risk and risk['level']}")
    if "risk_screening_complete" in expect and (risk or {}).get("screening_complete") != expect["risk_screening_complete"]:
        failures.append(f"risk screening complete: expected {expect['risk_screening_complete']}, "
                        f"got {(risk or {}).get('screening_complete')}")
    unanswered = [m["question"] for m in (risk or {}).get("unanswered", [])]
    for q in expect.get("risk_unanswered_include") or []:
        if q not in unanswered:
            failures.append(f"risk question {q} expected among the unanswered {unanswered}")
    raised = [i["id"] for i in (risk or {}).get("indicators", [])]
    for i in expect.get("risk_indicators_include") or []:
        if i not in raised:
            failures.append(f"risk indicator {i} expected among {raised}")
    for i in expect.get("risk_indicators_exclude") or []:
        if i in raised:
            failures.append(f"risk indicator {i} not expected")
    pathways = [p["id"] for p in (risk or {}).get("pathways", [])]
    for i in expect.get("pathways_include") or []:
        if i not in pathways:
            failures.append(f"pathway {i} expected among {pathways}")
    for i in expect.get("pathways_exclude") or []:
        if i in pathways:
            failures.append(f"pathway {i} not expected")
    if failures:
        pytest.fail(f"{name}\n" + "\n".join(failures) + "\n" + json.dumps(result["safety"]), pytrace=False)
