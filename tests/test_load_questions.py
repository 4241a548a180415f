"""rules.load.questions: the questionnaire, its pages, ask_when, options_from and the named sets."""

from __future__ import annotations

import textwrap
from pathlib import Path

import rules
from rules.load.fields import Fields
from rules.load.questions import check_pages
from rules.load.questions import check_questions
from rules.load.questions import read_questions
from rules.load.questions import read_sets
from rules.load.questions import resolve_pending
from tests.loading import OFFENCE
from tests.loading import copy_knowledge
from tests.loading import errors
from tests.loading import fields
from tests.loading import messages
from tests.loading import write

SECTION = """\
    section: {id: about, title: About}
    questions:
      - id: place
        text: Where do you live?
        type: choice
        why: The law differs.
        options:
          - {id: england, label: England}
          - {id: wales, label: Wales}
      - id: harmed
        text: Were you harmed?
        type: boolean
        why: It matters.
        page: harm_page
        ask_when: {answer: place, is: england}
      - id: log
        text: What happened?
        type: incidents
        why: Each time counts.
        item_fields:
          - {id: where, label: Where, type: choice, options_from: place}
"""


def read(tmp_path: Path, text: str) -> tuple[Fields, list[rules.model.Question]]:
    f = fields(tmp_path)
    (f.files.root / "questions").mkdir()
    (f.files.root / "questions" / "about.yaml").write_text(textwrap.dedent(text), encoding="utf-8")
    questions, sections, pending = read_questions(f, ["about"])
    f.questions = {q.id: q for q in questions}
    resolve_pending(f, questions, pending)
    assert [s.questions for s in sections] == [tuple(q.id for q in questions)]
    return f, questions


def test_questions_are_read_in_order_and_what_waited_is_resolved(tmp_path: Path) -> None:
    f, questions = read(tmp_path, SECTION)
    assert f.problems == []
    place, harmed, log = questions
    assert [o.id for o in place.options] == ["england", "wales"] and place.section == "about"
    assert harmed.ask_when is not None and harmed.ask_when.answers == frozenset({"place"})
    assert harmed.page == "harm_page" and harmed.source_file == "knowledge/questions/about.yaml"
    assert log.item_fields[0].options == place.options  # options_from


def test_a_broken_question_is_named(tmp_path: Path) -> None:
    text = (SECTION.replace("type: boolean", "type: yes_no")
            .replace("page: harm_page", "page: Harm-Page")
            .replace("          - {id: wales, label: Wales}", "          - {id: england, label: Wales}")
            .replace("options_from: place", "options_from: harmed")
            .replace("{answer: place, is: england}", "{answer: place, is: scotland}"))
    f, _ = read(tmp_path, text)
    assert messages(f) == [
        "knowledge/questions/about.yaml: questions[0].options: option 'england' appears twice",
        "knowledge/questions/about.yaml: questions[1].type: must be one of boolean, choice, multi_choice, date, integer, text, incidents",
        "knowledge/questions/about.yaml: questions[1].page: must be a page id: lower-case letters, digits and underscores",
        "knowledge/questions/about.yaml: questions[1].ask_when.is: 'scotland' is not one of the options: england",
        "knowledge/questions/about.yaml: questions[2].item_fields[0].options_from: 'harmed' is not a question with options",
    ]


def test_a_choice_needs_options_and_incidents_need_columns(tmp_path: Path) -> None:
    text = """\
        section: {id: about, title: About}
        questions:
          - {id: place, text: Where?, type: choice, why: Why.}
          - {id: log, text: What?, type: incidents, why: Why.}
    """
    f, _ = read(tmp_path, text)
    assert messages(f) == ["knowledge/questions/about.yaml: questions[0].options: a choice question needs options",
                           "knowledge/questions/about.yaml: questions[1].item_fields: is required"]


def test_ids_are_unique_and_the_arithmetics_questions_are_there(tmp_path: Path) -> None:
    _, questions = read(tmp_path, SECTION)
    problems: list[rules.load.KnowledgeProblem] = []
    check_questions(problems, [*questions, questions[0]])
    found = [str(p) for p in problems]
    assert "knowledge/questions/about.yaml: place: question id already used in knowledge/questions/about.yaml" in found
    assert any("the course-of-conduct arithmetic needs a integer question 'occasions'" in p for p in found)


def test_the_danger_question_has_its_own_page(tmp_path: Path) -> None:
    _, questions = read(tmp_path, SECTION)
    problems: list[rules.load.KnowledgeProblem] = []
    check_pages(problems, questions, "harmed")
    assert [p.message for p in problems] == ["the danger question takes no page group: the app always asks it first"]


def test_a_named_set_lists_options_of_its_question(tmp_path: Path) -> None:
    f, _ = read(tmp_path, SECTION)
    (f.files.root / "sets.yaml").write_text(textwrap.dedent("""\
        sets:
          - {id: home, question: place, plain: Home nations., options: [england, wales]}
          - {id: far, question: place, plain: Far., options: [mars]}
          - {id: home, question: nowhere, plain: Again., options: []}
    """), encoding="utf-8")
    assert read_sets(f)["home"] == ("nowhere", ())
    assert messages(f) == [
        "knowledge/sets.yaml: sets[1].options: 'mars' is not an option of 'place'",
        "knowledge/sets.yaml: sets[2].question: unknown question 'nowhere'",
        "knowledge/sets.yaml: sets[2].id: set 'home' is defined twice",
    ]


# -- through the whole loader ------------------------------------------------------------------

def test_a_question_the_arithmetic_needs_cannot_be_removed(tmp_path: Path) -> None:
    copy = copy_knowledge(tmp_path)
    text = (copy / "questions/what-happened.yaml").read_text().replace("id: occasions\n", "id: times\n")
    (copy / "questions/what-happened.yaml").write_text(text)
    found = errors(copy)
    assert any("needs a integer question 'occasions'" in f for f in found), found


def test_a_named_set_stands_for_its_options_only_in_a_condition_about_its_question(tmp_path: Path) -> None:
    copy = copy_knowledge(tmp_path)
    write(copy, "offences/test-2000-s1.yaml", OFFENCE.replace(
        "{WHEN}", "{answer: message_content, includes_any: {set: intimate_or_family}}"))
    assert errors(copy) == [
        "knowledge/offences/test-2000-s1.yaml: elements[0].met[0].when.includes_any.set: "
        "set 'intimate_or_family' lists options of 'relationship', not of 'message_content'"
    ]


def test_an_unknown_named_set_is_a_load_error(tmp_path: Path) -> None:
    copy = copy_knowledge(tmp_path)
    write(copy, "offences/test-2000-s1.yaml", OFFENCE.replace(
        "{WHEN}", "{answer: relationship, in: {set: no_such_set}}"))
    assert errors(copy) == [
        "knowledge/offences/test-2000-s1.yaml: elements[0].met[0].when.in.set: "
        "unknown set 'no_such_set'; sets are defined in sets.yaml"
    ]


def test_a_named_set_gives_the_same_condition_as_its_list_written_out(knowledge: rules.KnowledgeBase) -> None:
    from rules.conditions import parse_condition
    from rules.course_of_conduct import FACTS

    questions = {q.id: q for q in knowledge.questions}
    sets = {"close": ("relationship", ("partner", "family"))}
    named = parse_condition({"answer": "relationship", "in": {"set": "close"}}, questions, FACTS, "", sets)
    written = parse_condition({"answer": "relationship", "in": ["partner", "family"]}, questions, FACTS)
    assert named.source == written.source
    assert named.answers == written.answers


def test_a_screening_option_must_mean_a_yes_no_question(tmp_path: Path) -> None:
    copy = copy_knowledge(tmp_path)
    path = copy / "questions/what-happened.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("means: sexual_nature", "means: hostility"),
                    encoding="utf-8")
    assert errors(copy) == [
        "knowledge/questions/what-happened.yaml: also_involved.options.sexual.means: 'hostility' is not a yes/no question"
    ]
