"""Configuration that cannot lose answers: settings from the environment, checked at start.

Building an app loads and compiles the knowledge (about a second), so the checks that must
refuse to start are made with web.config directly on a bare Flask app where they can be.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from flask import Flask

import rules
from app import create_app
from web import config

ROOT = Path(__file__).resolve().parent.parent
GOOD_KEY = "k" * 32
ANSWERS = {"place": "england", "target": "me", "occasions": 3, "last_incident_date": "2026-11-01",
           "alarmed_or_distressed": True, "told_to_stop": True}


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in (*config.UNPREFIXED, "FLASK_RUN_FROM_CLI", "FLASK_DEBUG"):
        monkeypatch.delenv(name, raising=False)
    for name in list(__import__("os").environ):
        if name.startswith("FLASK_"):
            monkeypatch.delenv(name, raising=False)


def bare(test_config: dict[str, object] | None = None) -> Flask:
    app = Flask(__name__)
    config.load(app, test_config)
    return app


# -- the secret key ------------------------------------------------------------------------------


def test_a_server_other_than_flask_run_refuses_to_start_without_a_key() -> None:
    with pytest.raises(config.ConfigError, match="SECRET_KEY is not set") as raised:
        bare()
    assert "the same for every worker" in str(raised.value)


def test_forgetting_app_env_no_longer_gives_each_worker_its_own_key(monkeypatch: pytest.MonkeyPatch) -> None:
    # The old rule: without APP_ENV=production every gunicorn worker made up its own key.
    monkeypatch.setenv("APP_ENV", "development")
    with pytest.raises(config.ConfigError, match="SECRET_KEY is not set"):
        bare()


def test_a_short_key_is_refused() -> None:
    with pytest.raises(config.ConfigError, match=r"too short \(31 characters\)"):
        bare({"SECRET_KEY": "k" * 31})
    assert bare({"SECRET_KEY": GOOD_KEY}).config["SECRET_KEY"] == GOOD_KEY


def test_flask_run_makes_up_a_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FLASK_RUN_FROM_CLI", "true")
    first, second = bare().config["SECRET_KEY"], bare().config["SECRET_KEY"]
    assert len(first) == 64 and first != second


def test_flask_run_in_production_is_strict(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FLASK_RUN_FROM_CLI", "true")
    monkeypatch.setenv("APP_ENV", "production")
    with pytest.raises(config.ConfigError, match="SECRET_KEY is not set"):
        bare()


def test_tests_may_use_any_key() -> None:
    assert bare({"TESTING": True, "SECRET_KEY": "x"}).config["SECRET_KEY"] == "x"
    assert bare({"TESTING": True}).config["SECRET_KEY"]


def test_the_key_comes_from_the_prefixed_environment_first(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SECRET_KEY", "u" * 40)
    assert bare().config["SECRET_KEY"] == "u" * 40
    monkeypatch.setenv("FLASK_SECRET_KEY", "p" * 40)
    assert bare().config["SECRET_KEY"] == "p" * 40


def test_gunicorn_without_a_key_exits_before_serving() -> None:
    """The real thing: gunicorn with the app and no key stops, saying why."""
    env = {"PATH": "/usr/bin:/bin", "HOME": "/tmp"}
    done = subprocess.run([str(Path(sys.executable).with_name("gunicorn")), "--bind", "127.0.0.1:0", "app:create_app()"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode != 0
    assert "SECRET_KEY is not set" in done.stderr


# -- the other settings ----------------------------------------------------------------------------


def test_every_problem_is_listed_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FLASK_TRUSTED_PROXY_HOPS", "-1")
    monkeypatch.setenv("FLASK_EXIT_URL", "http://example.org")
    monkeypatch.setenv("FLASK_SERVICE_NAME", '""')
    monkeypatch.setenv("SESSION_COOKIE_SECURE", "maybe")
    monkeypatch.setenv("SERVICES_PATH", "/no/such/folder")
    monkeypatch.setenv("APP_ENV", "staging")
    with pytest.raises(config.ConfigError) as raised:
        bare()
    text = "\n".join(raised.value.problems)
    for name in ("SECRET_KEY", "TRUSTED_PROXY_HOPS", "EXIT_URL", "SERVICE_NAME", "SESSION_COOKIE_SECURE",
                 "SERVICES_PATH", "APP_ENV"):
        assert name in text
    assert len(raised.value.problems) == 7


def test_settings_from_the_prefixed_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FLASK_SECRET_KEY", GOOD_KEY)
    monkeypatch.setenv("FLASK_TRUSTED_PROXY_HOPS", "2")
    monkeypatch.setenv("FLASK_TRUSTED_HOSTS", '["help.example.org", "localhost"]')
    monkeypatch.setenv("FLASK_SERVICE_NAME", "Check what is happening (Example Force)")
    monkeypatch.setenv("FLASK_EXIT_URL", "https://www.example.org/weather")
    monkeypatch.setenv("FLASK_SESSION_COOKIE_SECURE", "1")
    c = bare().config
    assert c["TRUSTED_PROXY_HOPS"] == 2
    assert c["TRUSTED_HOSTS"] == ["help.example.org", "localhost"]
    assert c["SERVICE_NAME"] == "Check what is happening (Example Force)"
    assert c["EXIT_URL"] == "https://www.example.org/weather"
    assert c["SESSION_COOKIE_SECURE"] is True


def test_trusted_hosts_may_be_separated_by_commas(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FLASK_TRUSTED_HOSTS", "help.example.org, localhost")
    assert bare({"TESTING": True}).config["TRUSTED_HOSTS"] == ["help.example.org", "localhost"]


@pytest.fixture(scope="module")
def configured() -> Flask:
    app = create_app({"TESTING": True, "SECRET_KEY": GOOD_KEY, "TRUSTED_PROXY_HOPS": 1,
                      "TRUSTED_HOSTS": ["help.example.org"], "SERVICE_NAME": "Example Force: check what is happening",
                      "EXIT_URL": "https://www.example.org/"})

    @app.get("/_test/where")
    def where() -> str:
        from flask import request

        app.extensions["seen"] = {"scheme": request.scheme, "remote": request.remote_addr, "host": request.host}
        return "ok"

    return app

def test_service_name_and_exit_destination_reach_the_pages(configured: Flask) -> None:
    client = configured.test_client()
    page = client.get("/", base_url="https://help.example.org").get_data(as_text=True)
    assert "Example Force: check what is happening" in page
    leave = client.get("/leave", base_url="https://help.example.org")
    assert leave.status_code == 303 and leave.headers["Location"] == "https://www.example.org/"

def test_a_host_that_is_not_trusted_gets_400_and_is_not_echoed(configured: Flask) -> None:
    response = configured.test_client().get("/staff", base_url="http://evil.example")
    assert response.status_code == 400
    assert "evil.example" not in response.get_data(as_text=True)
    assert "evil.example" not in response.headers.get("Location", "")


def test_the_proxy_hop_is_trusted_for_scheme_and_client(configured: Flask) -> None:
    configured.test_client().get("/_test/where", base_url="http://127.0.0.1",
                                 headers={"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9",
                                          "X-Forwarded-Host": "help.example.org"})
    assert configured.extensions["seen"] == {"scheme": "https", "remote": "203.0.113.9", "host": "help.example.org"}


# -- a deployment's own services --------------------------------------------------------------------

LOCAL_SERVICE = textwrap.dedent("""\
    id: example-stalking-advocate
    name: Example Force Stalking Advocacy Service
    what: >
      An independent stalking advocate who can support you through reporting and court.
    contacts:
      - {kind: web, value: "https://www.example.org/stalking-advocate"}
    hours: Monday to Friday, 9am to 5pm.
    who_for: People in the Example Force area being stalked or harassed.
    fits_when: {answer: place, is: england}
    why: >
      You told us this is happening in England, in the area this service covers.
    order: 4
    source: The force's own page, read on 1 December 2026.
    checked_on: 2026-12-01
    verification: V
    """)


def test_a_deployment_adds_and_replaces_services_without_copying_the_law(tmp_path: Path) -> None:
    (tmp_path / "example-stalking-advocate.yaml").write_text(LOCAL_SERVICE)
    shipped = (ROOT / "knowledge" / "services" / "police-101.yaml").read_text()
    (tmp_path / "police-101.yaml").write_text(shipped.replace("\nname: ", "\nname: Example Force (101) - ", 1))
    kb = rules.load_knowledge(services=tmp_path)
    by_id = {s.id: s for s in kb.services}
    assert by_id["example-stalking-advocate"].name == "Example Force Stalking Advocacy Service"
    assert by_id["police-101"].name.startswith("Example Force (101) - ")
    assert len(kb.services) == len(rules.default_assessor().knowledge.services) + 1
    result = rules.Assessor(kb).assess(ANSWERS, "2026-12-01").to_dict()
    assert "example-stalking-advocate" in {s["id"] for s in result["services"]}


def test_a_broken_local_service_stops_the_load_like_a_shipped_one(tmp_path: Path) -> None:
    (tmp_path / "example-stalking-advocate.yaml").write_text(LOCAL_SERVICE.replace("https://www", "http://www"))
    with pytest.raises(rules.KnowledgeError, match="https://"):
        rules.load_knowledge(services=tmp_path)


def test_the_app_and_the_cli_take_the_services_folder(tmp_path: Path) -> None:
    (tmp_path / "example-stalking-advocate.yaml").write_text(LOCAL_SERVICE)
    app = create_app({"TESTING": True, "SERVICES_PATH": str(tmp_path)})
    assert "example-stalking-advocate" in {s.id for s in app.extensions["knowledge"].services}
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps(ANSWERS))
    done = subprocess.run([sys.executable, "-m", "rules", "--services", str(tmp_path), "assess", str(answers),
                           "--as-at", "2026-12-01"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "example-stalking-advocate" in {s["id"] for s in json.loads(done.stdout)["services"]}
