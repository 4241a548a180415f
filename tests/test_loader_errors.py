"""A broken knowledge file stops loading with every problem named: file, key, what is wrong."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest

import rules

KNOWLEDGE = Path(__file__).resolve().parent.parent / "knowledge"


@pytest.fixture()
def copy(tmp_path: Path) -> Path:
    target = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE, target)
    return target


def errors(root: Path) -> list[str]:
    with pytest.raises(rules.KnowledgeError) as info:
        rules.load_knowledge(root)
    return [str(p) for p in info.value.problems]


def write(root: Path, relative: str, text: str) -> None:
    (root / relative).write_text(textwrap.dedent(text), encoding="utf-8")


OFFENCE = """\
    id: test-2000-s1
    kind: offence
    title: A test offence
    summary: For tests.
    citation: {title: Test Act 2000, url: "https://www.legislation.gov.uk/ukpga/2000/1/section/1", verification: V, checked_on: 2026-01-01}
    extent: [england, wales]
    mode_of_trial: Summary only
    max_penalty: {text: A fine, verification: V, source: s.1}
    elements:
      - id: something
        law: The law.
        plain: Plain words.
        met:
          - when: {WHEN}
            because: Because.
"""


def test_the_shipped_knowledge_loads() -> None:
    kb = rules.load_knowledge()
    assert kb.version and kb.provisions and kb.questions


def test_a_condition_naming_an_unknown_question_fails_at_load(copy: Path) -> None:
    write(copy, "offences/test-2000-s1.yaml", OFFENCE.replace("{WHEN}", "{answer: favourite_colour, is: blue}"))
    assert errors(copy) == [
        "knowledge/offences/test-2000-s1.yaml: elements[0].met[0].when.answer: unknown question 'favourite_colour'"
    ]


@pytest.mark.parametrize(
    ("when", "message"),
    [
        ("{answer: place, is: mars}", "when.is: 'mars' is not one of the options"),
        ("{answer: occasions, includes_any: [1]}", "when.includes_any: 'includes_any' cannot be used with answer 'occasions'"),
        ("{fact: occasions_total, at_least: 2}", "when.fact: unknown fact 'occasions_total'"),
        ("{answer: place, is: england, in: [wales]}", "when: an atom needs exactly one comparison"),
        ("{all: []}", "when.all: must be a non-empty list"),
        ("{fact: last_incident_date, before: yesterday}", "when.before: expected a date"),
        ("{any: [{answer: place, is: england}, {answer: nope, is: true}]}", "when.any[1].answer: unknown question 'nope'"),
    ],
)
def test_malformed_conditions_are_named(copy: Path, when: str, message: str) -> None:
    write(copy, "offences/test-2000-s1.yaml", OFFENCE.replace("{WHEN}", when))
    found = errors(copy)
    assert len(found) == 1 and message in found[0], found


def test_missing_keys_bad_dates_urls_and_unknown_keys_are_all_reported(copy: Path) -> None:
    write(copy, "offences/test-2000-s1.yaml", """\
        id: wrong-name
        kind: felony
        title: A test offence
        citation: {title: Test Act, url: "http://example.com/act", verification: X, checked_on: 2999-01-01}
        extent: [england, narnia]
        mode_of_trial: Summary only
        max_penalty: {text: A fine, verification: V, source: s.1}
        elements:
          - uses: no_such_definition
        colour: blue
    """)
    found = "\n".join(errors(copy))
    for expected in (
        "id: must match the file name 'test-2000-s1'",
        "kind: in offences/ must be one of",
        "summary: is required",
        "citation.url: must be an https:// address",
        "citation.url: a statute is cited by its https://www.legislation.gov.uk/ address",
        "citation.verification: must be one of V, PV, GK",
        "citation.checked_on: 2999-01-01 cannot be a date it was checked on",
        "extent: 'narnia' is not a place named in meta.yaml",
        "elements[0].uses: unknown definition 'no_such_definition'",
        "colour: is not a known key here",
    ):
        assert expected in found, expected


def test_invalid_yaml_names_the_line(copy: Path) -> None:
    write(copy, "services/broken.yaml", "id: broken\nname: [unclosed\n")
    found = errors(copy)
    assert any("knowledge/services/broken.yaml: line" in f and "not valid YAML" in f for f in found), found


def test_a_service_naming_an_unknown_service_is_caught(copy: Path) -> None:
    text = (copy / "offences/pha-1997-s2.yaml").read_text().replace(
        "related_services: [", "related_services: [no-such-service, ")
    (copy / "offences/pha-1997-s2.yaml").write_text(text)
    assert any("unknown service 'no-such-service'" in f for f in errors(copy))


def test_a_question_the_arithmetic_needs_cannot_be_removed(copy: Path) -> None:
    text = (copy / "questions/what-happened.yaml").read_text().replace("id: occasions\n", "id: times\n")
    (copy / "questions/what-happened.yaml").write_text(text)
    found = errors(copy)
    assert any("needs a integer question 'occasions'" in f for f in found), found


def test_a_repeated_key_is_a_load_error_not_a_silent_overwrite(copy: Path) -> None:
    # PyYAML alone keeps the last of two `doubtful:` blocks, which could change a verdict.
    write(copy, "offences/test-2000-s1.yaml", OFFENCE.replace("{WHEN}", "{answer: told_to_stop, is: true}")
          + "        doubtful:\n          - when: {answer: told_to_stop, is: false}\n            because: One.\n"
          + "        doubtful:\n          - when: {answer: told_to_stop, is: true}\n            because: Two.\n")
    found = errors(copy)
    assert len(found) == 1
    assert found[0].startswith("knowledge/offences/test-2000-s1.yaml: line 19, column 5: not valid YAML:")
    assert "'doubtful' appears twice (first on line 16)" in found[0]


def test_an_impossible_date_is_a_load_error_naming_the_file_and_place(copy: Path) -> None:
    write(copy, "offences/test-2000-s1.yaml", OFFENCE.replace("{WHEN}", "{answer: told_to_stop, is: true}")
          .replace("checked_on: 2026-01-01", "checked_on: 2026-02-30"))
    found = errors(copy)
    assert len(found) == 1
    assert found[0].startswith("knowledge/offences/test-2000-s1.yaml: line 5, column ")
    assert "2026-02-30 is not a real date" in found[0]


def test_a_named_set_stands_for_its_options_only_in_a_condition_about_its_question(copy: Path) -> None:
    write(copy, "offences/test-2000-s1.yaml", OFFENCE.replace(
        "{WHEN}", "{answer: message_content, includes_any: {set: intimate_or_family}}"))
    assert errors(copy) == [
        "knowledge/offences/test-2000-s1.yaml: elements[0].met[0].when.includes_any.set: "
        "set 'intimate_or_family' lists options of 'relationship', not of 'message_content'"
    ]


def test_an_unknown_named_set_is_a_load_error(copy: Path) -> None:
    write(copy, "offences/test-2000-s1.yaml", OFFENCE.replace(
        "{WHEN}", "{answer: relationship, in: {set: no_such_set}}"))
    assert errors(copy) == [
        "knowledge/offences/test-2000-s1.yaml: elements[0].met[0].when.in.set: "
        "unknown set 'no_such_set'; sets are defined in sets.yaml"
    ]


def test_a_named_set_gives_the_same_condition_as_its_list_written_out() -> None:
    from rules.conditions import parse_condition
    from rules.course_of_conduct import FACTS

    kb = rules.load_knowledge()
    questions = {q.id: q for q in kb.questions}
    sets = {"close": ("relationship", ("partner", "family"))}
    named = parse_condition({"answer": "relationship", "in": {"set": "close"}}, questions, FACTS, "", sets)
    written = parse_condition({"answer": "relationship", "in": ["partner", "family"]}, questions, FACTS)
    assert named.source == written.source
    assert named.answers == written.answers


def test_a_screening_option_must_mean_a_yes_no_question(copy: Path) -> None:
    path = copy / "questions/what-happened.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("means: sexual_nature", "means: hostility"),
                    encoding="utf-8")
    assert errors(copy) == [
        "knowledge/questions/what-happened.yaml: also_involved.options.sexual.means: 'hostility' is not a yes/no question"
    ]


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


def test_safety_advice_loads_and_compiles_into_one_rule_per_way_it_fits(copy: Path) -> None:
    from rules.compiler import compile_rules

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
def test_a_broken_piece_of_safety_advice_is_named(copy: Path, change: tuple[str, str], message: str) -> None:
    old, new = change
    assert old in ADVICE
    write(copy, "safety/test-group.yaml", ADVICE.replace(old, new, 1))
    found = advice_errors(copy)
    assert any(message in e for e in found), found


def test_safety_advice_ids_are_unique_across_groups(copy: Path) -> None:
    write(copy, "safety/test-group.yaml", ADVICE.replace("id: a-step", "id: keep-a-diary"))
    assert any("advice[0].id: advice 'keep-a-diary' is defined twice" in e for e in advice_errors(copy))
