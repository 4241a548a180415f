"""The container, as far as it can be checked without Docker (there is no Docker engine here
or in CI): compose.yaml's production command is the Dockerfile's CMD, and that command, with
compose's environment, serves the app; the HEALTHCHECK's own command passes against it."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import yaml

import rules
from tests.serving import GUNICORN
from tests.serving import free_port
from tests.serving import served

ROOT = Path(__file__).resolve().parent.parent
DOCKERFILE = (ROOT / "Dockerfile").read_text()
COMPOSE = yaml.safe_load((ROOT / "compose.yaml").read_text())


def _dockerfile_json(instruction: str) -> list[str]:
    match = re.search(rf"^{instruction} (\[.*\])$", DOCKERFILE, re.M)
    assert match, instruction
    return t_list(json.loads(match.group(1)))


def t_list(value: object) -> list[str]:
    assert isinstance(value, list) and all(isinstance(v, str) for v in value)
    return value


def test_the_image_runs_as_a_non_root_user_with_a_healthcheck() -> None:
    assert re.search(r"^USER app$", DOCKERFILE, re.M)
    assert "useradd --system --uid 10001" in DOCKERFILE
    assert "HEALTHCHECK" in DOCKERFILE and "/ready" in DOCKERFILE


def test_compose_runs_the_dockerfile_command_behind_a_tls_proxy() -> None:
    assert COMPOSE["services"]["app"]["command"] == _dockerfile_json("CMD")
    proxy = COMPOSE["services"]["proxy"]
    assert proxy["image"].startswith("caddy:")
    caddyfile = (ROOT / "deploy" / "Caddyfile").read_text()
    assert "encode zstd gzip" in caddyfile and "reverse_proxy app:8000" in caddyfile
    assert "log" not in re.sub(r"#.*", "", caddyfile), "no access log"
    env = COMPOSE["services"]["app"]["environment"]
    assert env["APP_ENV"] == "production" and env["FLASK_TRUSTED_PROXY_HOPS"] == "1"


def _compose_environment() -> dict[str, str]:
    """compose.yaml's environment for the app, with ${VAR:?...} filled as an operator would."""
    given = {"SECRET_KEY": "container-test-secret-key-0123456789abcdef", "PUBLIC_HOST": "127.0.0.1"}
    env = {}
    for name, value in COMPOSE["services"]["app"]["environment"].items():
        env[name] = re.sub(r"\$\{(\w+)(:\?[^}]*)?\}", lambda m: given[m.group(1)], str(value))
    env["FLASK_SERVICES_PATH"] = str(ROOT / "deploy" / "services")
    return env


@pytest.mark.served
def test_the_compose_command_serves_the_app_and_passes_the_healthcheck() -> None:
    port = free_port()
    command = COMPOSE["services"]["app"]["command"]
    assert command[0] == "gunicorn" and "0.0.0.0:8000" in command
    command = [str(GUNICORN)] + [f"127.0.0.1:{port}" if part == "0.0.0.0:8000" else part for part in command[1:]]
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("FLASK_")}, **_compose_environment()}
    env.pop("SECRET_KEY", None)
    with served(command, port, env, ready_path="/ready") as server:
        with urllib.request.urlopen(f"{server.base}/ready", timeout=5) as response:
            body = json.load(response)
            assert "Set-Cookie" not in response.headers
        assert body == {"status": "ready", "knowledge_version": rules.default_assessor().knowledge.version,
                        "law_as_at": rules.default_assessor().knowledge.meta.law_as_at.isoformat(),
                        "version": rules.__version__}
        healthcheck = re.search(r'CMD \["python", "-c", "(.*)"\]$', DOCKERFILE, re.M)
        assert healthcheck
        probe = healthcheck.group(1).replace("127.0.0.1:8000", f"127.0.0.1:{port}")
        assert subprocess.run([sys.executable, "-c", probe], timeout=30).returncode == 0
        # Behind the proxy, a forged Host is refused: FLASK_TRUSTED_HOSTS is the public host.
        request = urllib.request.Request(f"http://127.0.0.1:{port}/ready", headers={"Host": "attacker.example"})
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(request, timeout=5)
        assert refused.value.code == 400
        refused.value.close()
    assert "Traceback" not in server.output, server.output
