"""The public result page gives the engine's safety advice in plain words, without professional terms."""

from __future__ import annotations

import html
import re
import typing as t

if t.TYPE_CHECKING:
    from flask import Flask
    from flask.testing import FlaskClient


def test_result_page_shows_plain_safety_advice_for_a_high_risk_case(client: FlaskClient, app: Flask) -> None:
    answers = {"place": "england", "relationship": "former_partner", "very_frightened": True, "threats_to_kill": True}
    with client.session_transaction() as session:
        session["answers"] = answers
    # Tags out (phone numbers are links), then the words as a person reads them.
    page = " ".join(html.unescape(re.sub(r"<[^>]+>", "", client.get("/result").get_data(as_text=True))).split())
    expected = app.extensions["assessor"].assess(answers).to_dict()["risk"]
    assert expected["level"] == "high"
    assert "Your safety" in page
    assert expected["plain"] in page
    for pathway in expected["pathways"]:
        assert " ".join(pathway["plain"].split()) in page
    for term in ("MARAC", "IDVA", "ISAC", "S-DASH", "Risk of serious harm"):
        assert term not in page
