"""Served for real: gunicorn on a loopback port runs an assessment through the JSON API."""

from __future__ import annotations

import json
import os
import urllib.request

import pytest

from tests.serving import free_port
from tests.serving import production_command
from tests.serving import served


@pytest.mark.served
def test_gunicorn_serves_an_assessment() -> None:
    port = free_port()
    env = {**os.environ, "SECRET_KEY": "test-only-secret-key-for-gunicorn", "APP_ENV": "production"}
    with served(production_command(port), port, env) as server:
        body = json.dumps({"answers": {"place": "england", "target": "me", "occasions": 2},
                           "as_at": "2026-11-21"}).encode()
        request = urllib.request.Request(f"{server.base}/api/v1/assessments", data=body,
                                         headers={"Content-Type": "application/json"}, method="POST")
        with urllib.request.urlopen(request, timeout=10) as response:
            assert response.status == 200
            result = json.load(response)
        assert result["as_at"] == "2026-11-21"
        assert result["knowledge_version"]
        assert result["course_of_conduct"]["occasions"] == 2
    assert "Traceback" not in server.output
    assert "england" not in server.output, "nothing a person answers reaches the server's log"
