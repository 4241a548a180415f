"""The whole loader (rules.load.resolve): every problem of every stage is reported together,
each naming its file, its key and what is wrong; a file that cannot be read reports only that.

Each stage has its own tests: test_load_read.py, test_load_fields.py, test_load_questions.py,
test_load_provisions.py, test_load_help.py, test_gates.py and test_dates.py.
"""

from __future__ import annotations

from pathlib import Path

import rules
from tests.loading import copy_knowledge
from tests.loading import errors
from tests.loading import write


def test_the_shipped_knowledge_loads() -> None:
    kb = rules.load_knowledge()
    assert kb.version and kb.provisions and kb.questions


def test_the_old_import_path_still_loads() -> None:
    from rules import loader

    assert loader.load_knowledge is rules.load_knowledge and loader.KnowledgeError is rules.KnowledgeError


def test_missing_keys_bad_dates_urls_and_unknown_keys_are_all_reported(tmp_path: Path) -> None:
    copy = copy_knowledge(tmp_path)
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


def test_problems_of_several_stages_and_files_come_together(tmp_path: Path) -> None:
    copy = copy_knowledge(tmp_path)
    meta = copy / "meta.yaml"
    meta.write_text(meta.read_text(encoding="utf-8").replace("danger_question: ", "danger_question: no_such_", 1), encoding="utf-8")
    write(copy, "services/broken.yaml", "id: broken\nname: [unclosed\n")
    write(copy, "signs/test.yaml", "group: test\ntitle: T\nplain: P.\nsource: S.\n"
          "signs:\n  - {id: s, label: L, plain: P., shown_when: {answer: nope, is: true}}\n")
    found = errors(copy)
    assert any(f.startswith("knowledge/meta.yaml: no_such_") and "names a question that does not exist" in f for f in found), found
    assert [f for f in found if f.startswith("knowledge/services/broken.yaml")] == [
        next(f for f in found if f.startswith("knowledge/services/broken.yaml: line"))]  # unreadable: only that
    assert "knowledge/signs/test.yaml: signs[0].shown_when.answer: unknown question 'nope'" in found


def test_a_jurisdiction_naming_an_unknown_service_is_caught(tmp_path: Path) -> None:
    copy = copy_knowledge(tmp_path)
    path = next((copy / "jurisdictions").glob("*.yaml"))
    text = path.read_text(encoding="utf-8")
    assert "services: [" in text
    path.write_text(text.replace("services: [", "services: [no-such-service, ", 1), encoding="utf-8")
    assert any(f.endswith("services: unknown service 'no-such-service'") for f in errors(copy))
