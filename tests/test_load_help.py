"""rules.load.help: signs, services, safety advice, places with their own law, risk."""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

import pytest

import rules
from rules.load.fields import Fields
from rules.load.help import read_risk
from rules.load.help import read_services
from tests.loading import copy_knowledge
from tests.loading import errors
from tests.loading import fields
from tests.loading import messages
from tests.loading import write

SERVICE = """\
    id: a-service
    name: A service
    what: Helps.
    contacts:
      - {kind: phone, value: "0800 000 0000"}
      - {kind: web, value: "https://example.org/"}
    hours: Always.
    who_for: Anyone.
    fits_when: always
    why: It helps.
    source: Its own page.
    checked_on: 2026-01-01
    verification: V
    order: 10
"""


def services(tmp_path: Path, text: str, name: str = "a-service") -> tuple[Fields, list[rules.model.Service]]:
    f = fields(tmp_path)
    (f.files.root / "services").mkdir()
    (f.files.root / "services" / f"{name}.yaml").write_text(textwrap.dedent(text), encoding="utf-8")
    return f, read_services(f)


def test_a_service_is_read_with_its_contacts(tmp_path: Path) -> None:
    f, (service,) = services(tmp_path, SERVICE)
    assert f.problems == []
    assert [c.kind for c in service.contacts] == ["phone", "web"] and service.order == 10
    assert service.checked_on == dt.date(2026, 1, 1) and not service.urgent


def test_a_broken_service_is_named(tmp_path: Path) -> None:
    text = (SERVICE.replace("kind: phone", "kind: pigeon").replace("https://example.org/", "http://example.org/")
            .replace("checked_on: 2026-01-01", "checked_on: 2099-01-01").replace("verification: V", "verification: Y"))
    f, _ = services(tmp_path, text, "other-name")
    assert messages(f) == [
        "knowledge/services/other-name.yaml: id: must match the file name 'other-name'",
        "knowledge/services/other-name.yaml: contacts[0].kind: must be one of phone, text, web, email",
        "knowledge/services/other-name.yaml: contacts[1].value: a web address must start with https://",
        "knowledge/services/other-name.yaml: checked_on: 2099-01-01 cannot be a date it was checked on",
        "knowledge/services/other-name.yaml: verification: must be one of V, PV, GK",
    ]


def test_a_service_that_fits_in_several_ways_has_a_reason_for_each(tmp_path: Path) -> None:
    text = SERVICE.replace("fits_when: always\n    why: It helps.\n",
                           "fits:\n      - {when: always, because: One.}\n      - {when: always, because: Two.}\n")
    f, (service,) = services(tmp_path, text)
    assert f.problems == [] and [why for _, why in service.fits] == ["One.", "Two."] and service.why == ""


def test_risk_levels_and_pathways_name_only_known_levels(tmp_path: Path) -> None:
    f = fields(tmp_path)
    risk = f.files.root / "risk"
    risk.mkdir()
    (risk / "levels.yaml").write_text(textwrap.dedent("""\
        note: A note.
        levels:
          - {id: high, title: High, staff: S., plain: P., min_indicators: 3}
          - {id: standard, title: Standard, staff: S., plain: P.}
    """), encoding="utf-8")
    (risk / "indicators.yaml").write_text(textwrap.dedent("""\
        indicators:
          - {id: a, label: A, plain: P., why: W., raised_when: always, alone_raises: extreme, source: S.}
          - {id: a, label: A, plain: P., why: W., raised_when: always, source: S.}
    """), encoding="utf-8")
    (risk / "pathways.yaml").write_text(textwrap.dedent("""\
        pathways:
          - {id: p, title: T, action: A., plain: P., levels: [high, medium], when: always, source: S.}
    """), encoding="utf-8")
    result = read_risk(f)
    assert result is not None and [level.id for level in result.levels] == ["high", "standard"]
    assert messages(f) == [
        "knowledge/risk/indicators.yaml: indicators[0].alone_raises: 'extreme' is not a level in levels.yaml",
        "knowledge/risk/pathways.yaml: pathways[0].levels: 'medium' is not a level in levels.yaml",
        "knowledge/risk: a: indicator id used twice",
    ]


def test_no_risk_folder_is_no_risk(tmp_path: Path) -> None:
    assert read_risk(fields(tmp_path)) is None


# -- through the whole loader ------------------------------------------------------------------

def test_a_service_naming_an_unknown_service_is_caught(tmp_path: Path) -> None:
    copy = copy_knowledge(tmp_path)
    text = (copy / "offences/pha-1997-s2.yaml").read_text().replace(
        "related_services: [", "related_services: [no-such-service, ")
    (copy / "offences/pha-1997-s2.yaml").write_text(text)
    assert any("unknown service 'no-such-service'" in f for f in errors(copy))


ADVICE = """\
    group: test-group
    title: A test group
    advice:
      - id: a-step
        title: A step
        text: Do this.
        fits:
          - when: {answer: behaviours, includes_any: [tracking]}
            because: You told us they track you.
            order: 10
        source: Seed page 000.
        checked_on: 2026-01-01
        verification: V
"""


def advice_errors(root: Path) -> list[str]:
    """The problems found in the test file only (other files may be mid-edit)."""
    return [e for e in errors(root) if e.startswith("knowledge/safety/test-group.yaml")]


def test_safety_advice_loads_and_compiles_into_one_rule_per_way_it_fits(tmp_path: Path) -> None:
    from rules.compiler import compile_rules

    copy = copy_knowledge(tmp_path)
    write(copy, "safety/test-group.yaml", ADVICE)
    kb = rules.load_knowledge(copy)
    advice = next(a for a in kb.safety_advice if a.id == "a-step")
    assert advice.group == "test-group" and advice.fits[0].order == 10 and advice.caution == ""
    compiled = [r for r in compile_rules(kb) if r.kind == "advice" and r.subject == "a-step"]
    assert [r.id for r in compiled] == ["advice/a-step/1"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("group: test-group", "group: other-group"), "group: must match the file name 'test-group'"),
        (("id: a-step", "id: A_Step"), "advice[0].id: must be lower-case words joined by hyphens"),
        (("        text: Do this.\n", ""), "advice[0].text: is required"),
        (("            because: You told us they track you.\n", ""), "advice[0].fits[0].because: is required"),
        (("order: 10", "order: first"), "advice[0].fits[0].order: expected a whole number"),
        (("includes_any: [tracking]", "includes_any: [telepathy]"), "advice[0].fits[0].when.includes_any"),
        (("        source: Seed page 000.\n", ""), "advice[0].source: is required"),
        (("checked_on: 2026-01-01", "checked_on: 2099-01-01"), "advice[0].checked_on: 2099-01-01 cannot be a date"),
        (("verification: V", "verification: X"), "advice[0].verification: must be one of V, PV, GK"),
        (("        verification: V\n", "        verification: V\n        warning: Careful.\n"),
         "advice[0].warning: is not a known key here"),
        (("        fits:\n", "        fits: []\n        old_fits:\n"), "advice[0].fits: must give at least one way"),
    ],
)
def test_a_broken_piece_of_safety_advice_is_named(tmp_path: Path, change: tuple[str, str], message: str) -> None:
    old, new = change
    assert old in ADVICE
    copy = copy_knowledge(tmp_path)
    write(copy, "safety/test-group.yaml", ADVICE.replace(old, new, 1))
    found = advice_errors(copy)
    assert any(message in e for e in found), found


def test_safety_advice_ids_are_unique_across_groups(tmp_path: Path) -> None:
    copy = copy_knowledge(tmp_path)
    write(copy, "safety/test-group.yaml", ADVICE.replace("id: a-step", "id: keep-a-diary"))
    assert any("advice[0].id: advice 'keep-a-diary' is defined twice" in e for e in advice_errors(copy))
