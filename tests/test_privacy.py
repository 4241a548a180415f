"""Nothing a person answers reaches a log record, whatever the log level."""

from __future__ import annotations

import logging

import pytest

import rules

SECRET_DATE = "2026-10-13"


def test_no_answer_reaches_any_log_record(caplog: pytest.LogCaptureFixture) -> None:
    root = logging.getLogger()
    old = root.level
    root.setLevel(logging.DEBUG)
    try:
        with caplog.at_level(logging.DEBUG):
            rules.assess({"place": "wales", "occasions": 7, "last_incident_date": SECRET_DATE,
                          "incidents": [{"date": SECRET_DATE, "what_happened": "Zebra-unique-words"}]}, "2026-11-21")
    finally:
        root.setLevel(old)
    text = "\n".join(f"{r.name} {r.getMessage()}" for r in caplog.records)
    for secret in (SECRET_DATE, "Zebra-unique-words", "wales"):
        assert secret not in text


def test_nothing_in_the_engine_keeps_the_answers_after_an_assessment() -> None:
    import gc
    import weakref

    assessor = rules.default_assessor()
    case = assessor.case({"place": "wales", "occasions": 7, "behaviours": ["following"]}, "2026-11-21")
    alive = weakref.ref(case)
    fired = assessor.runner.fire(case)
    assert fired
    engine = assessor.runner._engine()
    assert all("case" not in fact for fact in engine.facts.values())
    assert not engine.agenda.activations
    del case
    gc.collect()
    assert alive() is None, "the engine still refers to the person's answers"
