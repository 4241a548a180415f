"""The web layer's shortcuts (issue 10) give what the long way gives.

- presenters.ResultParts: the result pages read the assessment part by part, each worked
  out when first read; every part equals ``Assessment.to_dict()``'s, in the same order.
- flow.settle: the answers ``relevant`` keeps, with the interview for them, which the
  page saving an answer uses for the next question instead of asking again.
- state.question_for_token: a path not shaped like a token is no question, at once.
- The result's pages other than the result itself do not ask the interview, yet still
  show the answers problem page when a skipped answer's question has gone.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import typing as t
from collections.abc import Mapping

import pytest

import rules
from web import flow
from web import presenters
from web import state

from .test_scenarios import CASES
from .test_scenarios import _json_ready

if t.TYPE_CHECKING:
    from flask import Flask
    from flask.testing import FlaskClient

def _answer_sets() -> list[t.Any]:
    """Each scenario case's answers (as JSON gives them) and date, but for refused answers."""
    return [pytest.param(_json_ready(param.values[0]["answers"]), param.values[0]["as_at"], id=param.id)
            for param in CASES if "error_fields" not in (param.values[0].get("expect") or {})]


def _plain(value: t.Any) -> t.Any:
    """A value with every Mapping made a dict (keys in their order) and every list a list."""
    if isinstance(value, Mapping):
        return {k: _plain(value[k]) for k in value}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


@pytest.mark.parametrize(("answers", "as_at"), _answer_sets())
def test_result_parts_are_to_dict(answers: dict[str, t.Any], as_at: t.Any, assessor: rules.Assessor) -> None:
    expected = assessor.assess(answers, as_at).to_dict()
    parts = presenters.ResultParts(assessor.assess(answers, as_at))
    assert list(parts) == list(expected)
    assert len(parts) == len(expected)
    assert all(key in parts for key in expected) and "nothing" not in parts
    got = _plain(parts)
    assert got == expected
    # The same order of keys inside every provision too (the pages never rely on it, JSON would).
    for mine, theirs in zip(got["offences"] + got["orders"], expected["offences"] + expected["orders"], strict=True):
        assert list(mine) == list(theirs)


def test_a_provision_read_in_part_works_out_its_details_only_when_asked(assessor: rules.Assessor) -> None:
    answers = {"place": "england", "target": "me", "behaviours": ["contacting"], "occasions": 3}
    assessment = assessor.assess(answers, "2026-11-21")
    parts = presenters.ResultParts(assessment)
    ranked = presenters.result_view(parts)
    assert ranked["laws"] or ranked["others"]
    # Ordering and naming the laws read no reason: no provision worked out its details.
    assert not any("_details" in vars(p) for p in assessment.offences + assessment.orders)
    first = parts["offences"][0]
    assert first["reason"] == assessment.offences[0].to_dict()["reason"]
    assert "_details" in vars(assessment.offences[0])
    with pytest.raises(KeyError):
        parts["no such part"]
    assert parts.get("no such part") is None


def test_settle_is_relevant_with_the_interview_for_what_it_keeps(kb: t.Any) -> None:
    given = {"place": "england", "target": "me", "relationship": "former_partner", "lived_together": True}
    for answers in (given, {**given, "relationship": "stranger"}, {}):
        kept, dropped, iv = flow.settle(kb, answers)
        assert (kept, dropped) == flow.relevant(kb, answers)
        assert iv == flow.interview(kb, kept)


def _old_token(secret: bytes, salt: str, question_id: str) -> str:
    """The token as web/state.py made it before (hmac.new), to check the address is unchanged."""
    key = hashlib.sha256(b"question address|" + secret + b"|" + salt.encode("ascii")).digest()
    digest = hmac.new(key, question_id.encode("utf-8"), hashlib.sha256).digest()
    return base64.b32encode(digest[:10]).decode("ascii").lower()


def test_question_tokens_are_unchanged_and_a_non_token_is_no_question(app: Flask, kb: t.Any) -> None:
    ids = [q.id for q in kb.questions]
    with app.test_request_context():
        from flask import session

        session[state.ADDRESS_KEY] = "some-salt"
        for question_id in ids:
            token = state.question_token(question_id)
            assert token == _old_token(b"test-secret", "some-salt", question_id)
            assert state.question_for_token(token, ids) == question_id
        assert state.question_for_token(ids[0], ids) is None
        assert state.question_for_token(state.question_token(ids[0]).upper(), ids) is None
        assert state.question_for_token("é" * 16, ids) is None


def test_a_question_id_in_the_address_goes_to_the_question_to_ask(client: FlaskClient) -> None:
    response = client.get("/questions/relationship")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/questions/")
    assert client.get("/questions/%C3%A9").status_code == 302


@pytest.mark.parametrize("path", ["/result", "/result/print", "/result/legal-detail", "/result/staying-safe",
                                  "/result/summary.html"])
def test_a_skipped_answer_to_a_question_gone_is_shown_as_a_problem(client: FlaskClient, path: str) -> None:
    with client.session_transaction() as session:
        session[state.ANSWERS_KEY] = {"place": "england", "target": "me", "no_longer_asked": None}
    response = client.get(path)
    assert response.status_code == 400
    assert "Some answers need changing" in response.get_data(as_text=True)


@pytest.mark.parametrize("path", ["/result/print", "/result/legal-detail", "/result/staying-safe",
                                  "/result/summary.html"])
def test_the_pages_beside_the_result_ask_no_interview(client: FlaskClient, path: str,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    with client.session_transaction() as session:
        session[state.ANSWERS_KEY] = {"place": "england", "target": "me", "relationship": None}

    def no_interview(*args: t.Any, **kwargs: t.Any) -> t.NoReturn:
        raise AssertionError("asked the interview")

    monkeypatch.setattr(flow, "interview", no_interview)
    assert client.get(path).status_code == 200


@pytest.mark.parametrize("text", [
    "", "\n", " \n ", "abc", "  \t", "\n\n  a", "a \t\n \xa0 \n b  \n", "x\r\n  y\n\n\n", "a\u2028 b\n\u3000c \x0b\n",
    "a \x0c\n\x0cb", "a \x0b \n b", "<p>\n    <a>x</a>  \n\n\t  </p>\t",
])
def test_drop_indentation_is_the_pattern_it_replaces(text: str) -> None:
    import re

    from web.public import drop_indentation

    assert drop_indentation(text) == re.sub(r"[ \t]*\n\s*", "\n", text)


@pytest.fixture
def interviews(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The answers of every interview the pages ask, each as sorted JSON."""
    import json

    asked: list[str] = []
    real = flow.interview

    def counting(kb: t.Any, answers: t.Mapping[str, t.Any], as_at: t.Any = None) -> flow.Interview:
        asked.append(json.dumps(dict(answers), sort_keys=True))
        return real(kb, answers, as_at)

    monkeypatch.setattr(flow, "interview", counting)
    return asked


def _group_page_with_follow_up(kb: t.Any) -> tuple[t.Any, dict[str, tuple[str, t.Any]]]:
    for q in flow.interview(kb, {}).worth_asking:
        following = flow.follow_ups(kb, {}, flow.page_questions(kb, {}, q))
        if following:
            return q, following
    pytest.skip("no page offered at the start has a follow-up")


def test_a_page_of_several_questions_asks_each_interview_once(client: FlaskClient, kb: t.Any,
                                                              interviews: list[str]) -> None:
    from .web_paths import question_path

    q, _following = _group_page_with_follow_up(kb)
    path = question_path(client, q.id)
    interviews.clear()
    html = client.get(path).get_data(as_text=True)
    assert 'name="csrf_token"' in html
    # The page's own interview, and one for each answer that would open a follow-up.
    assert len(interviews) > 1
    assert len(interviews) == len(set(interviews))


def test_saving_an_answer_asks_the_interview_once_for_the_answers_kept(client: FlaskClient, kb: t.Any,
                                                                       interviews: list[str]) -> None:
    import re

    from .web_paths import question_path

    q = next(q for q in flow.interview(kb, {}).worth_asking if len(flow.page_questions(kb, {}, q)) == 1)
    path = question_path(client, q.id)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', client.get(path).get_data(as_text=True))
    assert csrf
    interviews.clear()
    response = client.post(path, data={"csrf_token": csrf.group(1), "skip": "1"})
    assert response.status_code == 303
    # One for the page (before the answer), one for the answers kept, which gives the next page.
    assert len(interviews) == 2 and len(set(interviews)) == 2
    # Changing that answer: the page needs no interview (it was answered, so it may be
    # shown), only the answers kept do.
    interviews.clear()
    assert client.post(path, data={"csrf_token": csrf.group(1), "skip": "1"}).status_code == 303
    assert len(interviews) == 1
    # Showing it again asks the interview once, for the page's single-incident note.
    interviews.clear()
    assert client.get(path).status_code == 200
    assert len(interviews) == 1


def test_adding_an_incident_to_the_list_asks_no_interview(client: FlaskClient, kb: t.Any,
                                                          interviews: list[str]) -> None:
    import re

    from .web_paths import question_path

    incidents = next((q for q in kb.questions if q.type == "incidents" and q.ask_when is None), None)
    if incidents is None:
        pytest.skip("no list question in the knowledge")
    date = next(f for f in incidents.item_fields if f.type == "date")
    path = question_path(client, incidents.id)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', client.get(path).get_data(as_text=True))
    assert csrf
    add = {"csrf_token": csrf.group(1), f"item-{date.id}-day": "2", f"item-{date.id}-month": "9",
           f"item-{date.id}-year": "2024", "action": "add"}
    assert client.post(path, data=add).status_code == 303  # the first: is the list worth asking?
    interviews.clear()
    assert client.post(path, data={**add, f"item-{date.id}-day": "9"}).status_code == 303
    assert client.post(path, data={"csrf_token": csrf.group(1), "action": "remove-0"}).status_code == 303
    assert interviews == []
