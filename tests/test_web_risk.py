"""The public result page gives the engine's safety advice in plain words, without professional terms."""

from __future__ import annotations

import html

import pytest

from app import create_app


@pytest.fixture(scope="module")
def client():  # type: ignore[no-untyped-def]
    app = create_app({"TESTING": True, "SECRET_KEY": "test-secret-key-for-risk-tests"})
    return app.test_client(), app


def test_result_page_shows_plain_safety_advice_for_a_high_risk_case(client) -> None:  # type: ignore[no-untyped-def]
    test_client, app = client
    answers = {"place": "england", "relationship": "former_partner", "very_frightened": True, "threats_to_kill": True}
    with test_client.session_transaction() as session:
        session["answers"] = answers
    page = html.unescape(test_client.get("/result").get_data(as_text=True))
    expected = app.extensions["assessor"].assess(answers).to_dict()["risk"]
    assert expected["level"] == "high"
    assert "Your safety" in page
    assert expected["plain"] in " ".join(page.split())
    for pathway in expected["pathways"]:
        assert " ".join(pathway["plain"].split()) in " ".join(page.split())
    for term in ("MARAC", "IDVA", "ISAC", "S-DASH", "Risk of serious harm"):
        assert term not in page
