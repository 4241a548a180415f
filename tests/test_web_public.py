"""The public information pages, the layout, the session cookie and "Delete my answers"."""

from __future__ import annotations

import logging
import re
import typing as t
from datetime import timedelta

import pytest
from flask import Flask

from app import create_app
from web import state

from .web_paths import question_path

if t.TYPE_CHECKING:
    from flask.testing import FlaskClient

PAGES = ["/", "/privacy", "/leaving-quickly", "/accessibility"]


def boolean_question(app: Flask) -> t.Any:
    """A yes/no question the interview offers before any answer, on a page of its own, other
    than the danger one."""
    from web import flow

    kb = app.extensions["knowledge"]
    return next(q for q in flow.interview(kb, {}).worth_asking
                if q.type == "boolean" and q.id != kb.meta.danger_question and len(flow.page_questions(kb, {}, q)) == 1)


def answer_one_question(client: FlaskClient, app: Flask) -> None:
    q = boolean_question(app)
    path = question_path(client, q.id)
    html = client.get(path).get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)  # type: ignore[union-attr]
    response = client.post(path, data={"answer": "yes", "csrf_token": token})
    assert response.status_code == 303


def session_cookie(client: FlaskClient, app: Flask) -> t.Any:
    return client.get_cookie(app.config["SESSION_COOKIE_NAME"])


# -- pages and layout -----------------------------------------------------------------------------------


@pytest.mark.parametrize("path", PAGES)
def test_every_page_has_the_emergency_line_and_exit_this_page(client: FlaskClient, path: str) -> None:
    response = client.get(path)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "If you are in danger now, call" in html
    assert "If you cannot speak, call 999 and then press 55 when asked." in html
    assert 'data-module="govuk-exit-this-page"' in html
    # Exit goes through our own /leave, which deletes the answers first.
    assert 'href="/leave"' in html
    # Both come before the page's own content.
    assert html.index("govuk-exit-this-page") < html.index('id="main-content"')
    assert html.index("app-emergency") < html.index('id="main-content"')


@pytest.mark.parametrize("path", PAGES)
def test_no_gov_uk_branding_and_nothing_from_another_host(client: FlaskClient, path: str) -> None:
    html = client.get(path).get_data(as_text=True)
    assert "govuk-header__logotype" not in html
    assert "govuk-footer__crown" not in html
    assert "govuk-footer__copyright-logo" not in html
    assert "favicon.ico" not in html and "govuk-icon" not in html
    assert "Crown copyright" not in html
    assert "Stalking and harassment: check what is happening" in html
    for url in re.findall(r'<(?:script|link|img)[^>]+(?:src|href)="([^"]+)"', html):
        assert url.startswith(("/", "data:")), url


@pytest.mark.parametrize("path", PAGES)
def test_footer_links_to_the_information_pages(client: FlaskClient, path: str) -> None:
    html = client.get(path).get_data(as_text=True)
    footer = html[html.index('<footer class="govuk-footer">'):]
    for link in ("/privacy", "/leaving-quickly", "/accessibility"):
        assert f'href="{link}"' in footer


@pytest.mark.parametrize("path", PAGES)
def test_reading_a_page_sets_no_cookie(client: FlaskClient, path: str) -> None:
    response = client.get(path)
    assert "Set-Cookie" not in response.headers


def test_start_page(client: FlaskClient) -> None:
    html = client.get("/").get_data(as_text=True)
    assert "<title>Stalking and harassment: check what is happening</title>" in html
    assert "5 to 10 minutes" in html
    assert "not legal advice" in html
    assert 'href="/questions"' in html and "Start now" in html


def test_page_titles_name_the_page_then_the_service(client: FlaskClient) -> None:
    html = client.get("/privacy").get_data(as_text=True)
    assert "<title>Privacy – Stalking and harassment: check what is happening</title>" in html


def test_leaving_quickly_says_what_exit_cannot_hide(client: FlaskClient) -> None:
    html = client.get("/leaving-quickly").get_data(as_text=True)
    for words in ("browser history", "other devices", "cookie", "another tab", "account you share",
                  "private browsing", "phone the person cannot check"):
        assert words in html, words


def test_privacy_page_describes_the_one_cookie(client: FlaskClient) -> None:
    html = client.get("/privacy").get_data(as_text=True)
    for words in ("do not save your answers on our server", "not write your answers in any log",
                  "analytics", "strictly necessary", "HttpOnly", "SameSite=Strict", "30 minutes"):
        assert words in html, words


def test_privacy_page_offers_delete_only_when_there_are_answers(client: FlaskClient, app: Flask) -> None:
    assert "Delete my answers" not in client.get("/privacy").get_data(as_text=True)
    answer_one_question(client, app)
    html = client.get("/privacy").get_data(as_text=True)
    assert 'action="/delete-my-answers"' in html


def test_accessibility_page_states_the_aim(client: FlaskClient) -> None:
    assert "WCAG" in client.get("/accessibility").get_data(as_text=True)


def test_no_page_says_an_offence_is_committed(client: FlaskClient) -> None:
    for path in PAGES:
        text = client.get(path).get_data(as_text=True).lower()
        assert "offence is committed" not in text
        assert "is a crime" not in text.replace("sure something is a crime", "")


# -- the cookie ---------------------------------------------------------------------------------------


def test_answer_cookie_is_httponly_strict_and_lasts_for_the_browser_session(client: FlaskClient, app: Flask) -> None:
    answer_one_question(client, app)
    cookie = session_cookie(client, app)
    assert cookie is not None
    assert cookie.http_only
    assert cookie.same_site == "Strict"
    assert not cookie.secure  # plain http in tests
    # No expiry date: the browser drops it when it closes. The thirty minutes
    # without use are checked by the server (test below).
    assert cookie.expires is None


def test_the_cookie_is_encrypted(client: FlaskClient, app: Flask) -> None:
    """Someone holding the phone cannot read the answers from the cookie store."""
    import base64
    import zlib

    q = boolean_question(app)
    answer_one_question(client, app)
    value = session_cookie(client, app).value
    raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
    for blob in (value.encode(), raw):
        assert q.id.encode() not in blob and b"answers" not in blob
        try:
            assert q.id.encode() not in zlib.decompress(blob)
        except zlib.error:
            pass


def test_the_idle_expiry_is_sealed_inside_the_cookie(client: FlaskClient, app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    answer_one_question(client, app)
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() + 31 * 60)
    with client.session_transaction() as session:
        assert state.ANSWERS_KEY not in session


def test_cookie_is_secure_over_https(app: Flask) -> None:
    client = app.test_client()
    response = client.get("/questions", base_url="https://localhost", follow_redirects=True)
    assert "Secure" in response.headers["Set-Cookie"]


def test_cookie_is_secure_when_configured() -> None:
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "SESSION_COOKIE_SECURE": True})
    response = app.test_client().get("/questions", follow_redirects=True)
    assert "Secure" in response.headers["Set-Cookie"]


def test_secure_flag_follows_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SESSION_COOKIE_SECURE", "true")
    assert create_app({"TESTING": True}).config["SESSION_COOKIE_SECURE"] is True
    monkeypatch.setenv("SESSION_COOKIE_SECURE", "0")
    assert create_app({"TESTING": True}).config["SESSION_COOKIE_SECURE"] is False


def test_answers_live_only_in_the_encrypted_cookie(client: FlaskClient, app: Flask) -> None:
    answer_one_question(client, app)
    q = boolean_question(app)
    with client.session_transaction() as session:
        assert session[state.ANSWERS_KEY] == {q.id: True}
    # A tampered cookie is refused: the answers are gone, not changed.
    cookie = session_cookie(client, app)
    client.set_cookie(app.config["SESSION_COOKIE_NAME"], cookie.value[:-2] + "xx")
    with client.session_transaction() as session:
        assert state.ANSWERS_KEY not in session


def test_an_expired_cookie_is_refused_by_the_server() -> None:
    app = create_app({"TESTING": True, "SECRET_KEY": "x"})
    client = app.test_client()
    answer_one_question(client, app)
    # As if the browser had kept the cookie past its thirty minutes.
    app.config["PERMANENT_SESSION_LIFETIME"] = timedelta(seconds=-1)
    with client.session_transaction() as session:
        assert state.ANSWERS_KEY not in session


# -- delete my answers -----------------------------------------------------------------------------------


def test_delete_my_answers_clears_the_session_and_returns_to_start(client: FlaskClient, app: Flask) -> None:
    answer_one_question(client, app)
    html = client.get("/privacy").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)  # type: ignore[union-attr]
    response = client.post("/delete-my-answers", data={"csrf_token": token})
    assert response.status_code == 303
    assert response.headers["Location"] == "/"
    with client.session_transaction() as session:
        assert state.ANSWERS_KEY not in session
        assert "csrf_token" not in session
    start = client.get("/").get_data(as_text=True)
    assert "Your answers have been deleted." in start
    # The message is shown once, then the cookie goes too.
    client.get("/")
    assert session_cookie(client, app) is None


def test_delete_works_without_any_answers(client: FlaskClient) -> None:
    html = client.get(client.get("/questions").headers["Location"]).get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)  # type: ignore[union-attr]
    assert client.post("/delete-my-answers", data={"csrf_token": token}).status_code == 303


# -- privacy: answers never in a URL or a log -------------------------------------------------------------


def test_every_form_posts(client: FlaskClient, app: Flask) -> None:
    answer_one_question(client, app)
    pages = PAGES + [client.get("/questions").headers["Location"], "/check-your-answers"]
    for path in pages:
        html = client.get(path, follow_redirects=True).get_data(as_text=True)
        for form in re.findall(r"<form[^>]*>", html):
            assert 'method="post"' in form, (path, form)


def test_no_answer_reaches_any_log(app: Flask, caplog: pytest.LogCaptureFixture) -> None:
    """Answer with distinctive values, at DEBUG on every logger, and look for them."""
    caplog.set_level(logging.DEBUG)
    client = app.test_client()
    kb = app.extensions["knowledge"]
    number_q = next(q for q in kb.questions if q.type == "integer" and q.ask_when is None)
    date_q = next(q for q in kb.questions if q.type == "date" and q.ask_when is None)
    number_path, date_path = question_path(client, number_q.id), question_path(client, date_q.id)
    html = client.get(number_path).get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)  # type: ignore[union-attr]
    client.post(number_path, data={"answer": "4817", "csrf_token": token})
    client.post(date_path,
                data={"answer-day": "13", "answer-month": "7", "answer-year": "2019", "csrf_token": token})
    # A rejected answer, too: error paths must not log what was typed.
    client.post(number_path, data={"answer": "zebra-secret", "csrf_token": token})
    client.get("/result")
    client.post("/api/v1/assessments", json={"answers": {number_q.id: 4817, "unknown_question": "zebra-secret"}})
    client.post("/api/v1/assessments", data="{zebra-secret", content_type="application/json")
    logged = caplog.text + " ".join(repr(r.args) for r in caplog.records)
    for secret in ("4817", "2019-07-13", "13/7/2019", "zebra-secret"):
        assert secret not in logged, secret


# -- leaving quickly -------------------------------------------------------------------------------------


def test_leave_deletes_the_answers_then_goes_to_an_everyday_site(client: FlaskClient, app: Flask) -> None:
    answer_one_question(client, app)
    response = client.get("/leave")
    assert response.status_code == 303
    assert response.headers["Location"] == app.config["EXIT_URL"]
    assert response.headers["Clear-Site-Data"] == '"cookies", "storage"'
    assert response.headers["Cache-Control"] == "no-store"
    assert session_cookie(client, app) is None
    with client.session_transaction() as session:
        assert state.ANSWERS_KEY not in session


def test_an_old_question_address_after_leaving_shows_no_answer(client: FlaskClient, app: Flask) -> None:
    q = boolean_question(app)
    answer_one_question(client, app)
    path = question_path(client, q.id)
    assert re.search(r'value="yes"\s+checked', client.get(path).get_data(as_text=True))
    client.get("/leave")
    response = client.get(path, follow_redirects=True)
    assert "checked" not in response.get_data(as_text=True)
    assert client.get("/result").headers["Location"] == "/"


# -- a long case never dead-ends -----------------------------------------------------------------------------


def test_a_full_cookie_still_takes_a_yes_or_no(client: FlaskClient, app: Flask) -> None:
    """Text fills the cookie only up to the room held back for short answers."""
    import random

    rng = random.Random(20261201)  # seeded: the same filler on every run, so the test cannot flake

    def hex_text() -> str:
        return "".join(rng.choice("0123456789abcdef") for _ in range(40))

    q = boolean_question(app)
    with app.test_request_context():
        # Random text does not compress: fill the cookie to just under the text limit.
        filler = ""
        while True:
            more = hex_text()
            try:
                state.replace_answers({"filler": filler + more})
                filler += more
            except state.AnswersTooLarge:
                break
        with pytest.raises(state.AnswersTooLarge):
            state.replace_answers({"filler": filler + more})
        state.replace_answers({"filler": filler, q.id: True}, small=True)
        state.replace_answers({"filler": filler, q.id: True, "another": None, "more": "choice"}, small=True)
        assert state.cookie_size(dict(__import__("flask").session)) <= state.MAX_COOKIE_BYTES


def test_the_too_long_message_says_what_to_shorten(app: Flask) -> None:
    from web import public

    kb = app.extensions["knowledge"]
    incidents = next(q for q in kb.questions if q.type == "incidents")
    assert "Shorten what you wrote in this incident" in public.too_large_message(incidents)
    assert "Skip this question" in public.too_large_message(boolean_question(app))


def test_the_result_folds_the_safety_steps_that_fit_and_a_page_gives_them_all_with_why(app: Flask) -> None:
    """Issue 13: five steps first (folded, after the help), the rest and every reason one tap away."""
    from benchmarks import journeys

    client = app.test_client()
    name = "stranger sending Instagram messages and posting her street"
    journey = journeys.walk(client, journeys.PERSONAS[name])
    html = journey.result_html
    assert "Steps that could keep you safer" in html and "Only do what is safe for you." in html
    assert html.index("Who can help, and why we suggest them") < html.index("Steps that could keep you safer")
    assert "/result/staying-safe" in html
    assert "More things you can do now" not in html  # the general tips are only a fallback
    page = client.get("/result/staying-safe").get_data(as_text=True)
    for words in ("Report posts and accounts to the site or app", "Why we suggest it: You told us",
                  "Where this advice comes from", "Exit this page", "999"):
        assert words in page, words
    assert "Take back control of smart devices" not in page  # it could not fit a stranger online
    printed = client.get("/result/print").get_data(as_text=True)
    assert "Appendix: safety steps that fit" in printed
