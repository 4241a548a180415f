"""The app factory, the security headers, CSRF and the error handlers."""

from __future__ import annotations

import base64
import hashlib
import re
import typing as t

import pytest
from flask import Flask

from app import create_app
from web import security

if t.TYPE_CHECKING:
    from flask.testing import FlaskClient


def first_question_url(client: FlaskClient) -> str:
    return client.get("/questions").headers["Location"]


def csrf_token(client: FlaskClient) -> str:
    """This session's token, read from a page with a form."""
    html = client.get(first_question_url(client)).get_data(as_text=True)
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "the question page has no CSRF field"
    return match.group(1)


# -- the factory ----------------------------------------------------------------------------------


def test_each_call_builds_a_separate_app() -> None:
    first = create_app({"TESTING": True, "SECRET_KEY": "a"})
    second = create_app({"TESTING": True, "SECRET_KEY": "b"})
    assert first is not second
    assert first.extensions["knowledge"] is not None
    assert first.config["SECRET_KEY"] == "a" and second.config["SECRET_KEY"] == "b"


def test_test_config_overrides_defaults() -> None:
    app = create_app({"TESTING": True, "MAX_CONTENT_LENGTH": 10})
    assert app.testing
    assert app.config["MAX_CONTENT_LENGTH"] == 10


def test_defaults_are_safe(app: Flask) -> None:
    assert app.config["MAX_CONTENT_LENGTH"] == 64 * 1024
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Strict"
    assert app.config["PERMANENT_SESSION_LIFETIME"].total_seconds() == 30 * 60
    assert app.config["SESSION_REFRESH_EACH_REQUEST"] is True


def test_knowledge_and_engine_are_loaded_once_into_extensions(app: Flask) -> None:
    kb = app.extensions["knowledge"]
    assert kb.version
    assert kb.questions
    assert app.extensions["assessor"].knowledge is kb


def test_secret_key_is_generated_in_development(monkeypatch: pytest.MonkeyPatch) -> None:
    # Only for `flask run` (which sets FLASK_RUN_FROM_CLI): every other server needs a key.
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("APP_ENV", raising=False)
    monkeypatch.setenv("FLASK_RUN_FROM_CLI", "true")
    app = create_app()
    assert len(app.config["SECRET_KEY"]) == 64
    assert create_app().config["SECRET_KEY"] != app.config["SECRET_KEY"]


def test_secret_key_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SECRET_KEY", "from-the-environment-" + "k" * 12)
    assert create_app().config["SECRET_KEY"] == "from-the-environment-" + "k" * 12


def test_production_refuses_to_start_without_a_secret_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("FLASK_DEBUG", raising=False)
    monkeypatch.setenv("APP_ENV", "production")
    with pytest.raises(RuntimeError, match="SECRET_KEY is not set"):
        create_app()


def test_production_starts_with_a_secret_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("APP_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "x" * 64)
    assert create_app().config["SECRET_KEY"] == "x" * 64


def test_testing_in_production_mode_may_generate_a_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("APP_ENV", "production")
    assert create_app({"TESTING": True}).config["SECRET_KEY"]


def test_govuk_templates_load_through_the_prefix(app: Flask) -> None:
    with app.app_context():
        assert app.jinja_env.get_template("govuk_frontend_jinja/template.html")
        assert app.jinja_env.get_template("layout.html")


def test_ping_is_constant_json(client: FlaskClient) -> None:
    response = client.get("/api/v1/ping")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}
    assert "Set-Cookie" not in response.headers


# -- security headers -------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/", "/privacy", "/api/v1/ping", "/api/v1/questions", "/nowhere", "/api/v1/nowhere"])
def test_every_response_has_the_security_headers(client: FlaskClient, path: str) -> None:
    headers = client.get(path).headers
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "no-referrer"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert "camera=()" in headers["Permissions-Policy"]
    assert headers["Content-Security-Policy"] == security.CONTENT_SECURITY_POLICY
    assert headers["Cache-Control"] == "no-store"


def test_csp_allows_no_inline_code_and_nothing_from_elsewhere() -> None:
    policy = dict(part.split(" ", 1) for part in security.CONTENT_SECURITY_POLICY.split("; "))
    assert "unsafe-inline" not in security.CONTENT_SECURITY_POLICY
    assert "unsafe-eval" not in security.CONTENT_SECURITY_POLICY
    assert policy["default-src"] == "'self'"
    assert policy["script-src"].startswith("'self' 'sha256-")
    assert policy["style-src"] == "'self'"
    assert policy["img-src"] == "'self' data:"
    assert policy["font-src"] == "'self'"
    assert policy["form-action"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["base-uri"] == "'none'"
    assert policy["object-src"] == "'none'"
    assert "http" not in security.CONTENT_SECURITY_POLICY


def test_the_only_inline_script_is_the_one_the_policy_hashes(client: FlaskClient) -> None:
    html = client.get("/").get_data(as_text=True)
    inline = re.findall(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", html, re.S)
    assert inline == [security.GOVUK_TEMPLATE_INLINE_SCRIPT]
    digest = base64.b64encode(hashlib.sha256(inline[0].encode()).digest()).decode()
    assert f"'sha256-{digest}'" in security.CONTENT_SECURITY_POLICY


def test_pages_have_no_inline_styles_or_handlers(client: FlaskClient) -> None:
    html = client.get("/").get_data(as_text=True)
    assert "<style" not in html
    assert not re.search(r"\son[a-z]+=", html)


def test_assets_may_be_cached_but_pages_may_not(client: FlaskClient) -> None:
    with client.get("/assets/app.css") as asset:
        assert asset.status_code == 200
        assert asset.headers.get("Cache-Control") != "no-store"
        assert asset.headers["X-Content-Type-Options"] == "nosniff"
    assert client.get("/").headers["Cache-Control"] == "no-store"


def test_hsts_only_over_https(client: FlaskClient) -> None:
    assert "Strict-Transport-Security" not in client.get("/").headers
    assert "max-age" in client.get("/", base_url="https://localhost").headers["Strict-Transport-Security"]


def test_sources_are_not_served(client: FlaskClient) -> None:
    assert client.get("/assets/../src/app.scss").status_code == 404
    assert client.get("/static/src/app.scss").status_code == 404


def test_built_css_has_no_gds_transport_font(client: FlaskClient) -> None:
    with client.get("/assets/app.css") as response:
        css = response.get_data(as_text=True)
    assert "GDS Transport" not in css
    assert "@font-face" not in css
    assert "arial" in css


# -- CSRF ---------------------------------------------------------------------------------------------


def test_a_form_post_without_a_token_is_refused(client: FlaskClient) -> None:
    url = first_question_url(client)
    client.get(url)
    response = client.post(url, data={"answer": "yes"})
    assert response.status_code == 400
    assert "This page has timed out" in response.get_data(as_text=True)


def test_a_form_post_with_a_wrong_token_is_refused(client: FlaskClient) -> None:
    token = csrf_token(client)
    wrong = token[:-1] + ("A" if token[-1] != "A" else "B")
    response = client.post(first_question_url(client), data={"answer": "yes", "csrf_token": wrong})
    assert response.status_code == 400


def test_a_token_from_another_session_is_refused(app: Flask) -> None:
    other = app.test_client()
    token = csrf_token(other)
    client = app.test_client()
    client.get(first_question_url(client))
    response = client.post("/delete-my-answers", data={"csrf_token": token})
    assert response.status_code == 400


def test_delete_without_a_token_is_refused(client: FlaskClient) -> None:
    assert client.post("/delete-my-answers").status_code == 400


def test_a_form_post_with_the_right_token_is_accepted(client: FlaskClient) -> None:
    token = csrf_token(client)
    response = client.post("/delete-my-answers", data={"csrf_token": token})
    assert response.status_code == 303


def test_the_json_api_needs_no_token(client: FlaskClient) -> None:
    response = client.post("/api/v1/assessments", json={"answers": {}})
    assert response.status_code == 200


# -- errors ----------------------------------------------------------------------------------------


def test_unknown_page_is_a_friendly_404(client: FlaskClient) -> None:
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert response.mimetype == "text/html"
    assert "Page not found" in response.get_data(as_text=True)


def test_wrong_method_on_a_page_is_an_html_405(client: FlaskClient) -> None:
    response = client.get("/delete-my-answers")
    assert response.status_code == 405
    assert response.mimetype == "text/html"
    assert "Sorry, something went wrong" in response.get_data(as_text=True)


@pytest.fixture
def failing_app() -> Flask:
    """An app with two routes that fail as a bug would."""
    app = create_app({"TESTING": True, "SECRET_KEY": "x"})

    def boom() -> str:
        raise RuntimeError("secret detail: someone's answer")

    app.add_url_rule("/boom", "boom", boom)
    app.add_url_rule("/api/v1/boom", "api_boom", boom)
    return app


def test_an_unexpected_error_is_a_500_page_without_a_stack_trace(
    failing_app: Flask, caplog: pytest.LogCaptureFixture
) -> None:
    response = failing_app.test_client().get("/boom")
    body = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in body
    assert "Traceback" not in body and "secret detail" not in body
    assert "RuntimeError" in caplog.text
    assert "secret detail" not in caplog.text


def test_an_unexpected_api_error_is_json_without_a_stack_trace(
    failing_app: Flask, caplog: pytest.LogCaptureFixture
) -> None:
    response = failing_app.test_client().get("/api/v1/boom")
    assert response.status_code == 500
    errors = response.get_json()["errors"]
    assert errors[0]["status"] == 500
    assert "secret detail" not in response.get_data(as_text=True)
    assert "Traceback" not in response.get_data(as_text=True)
    assert "secret detail" not in caplog.text
    assert response.headers["Cache-Control"] == "no-store"
