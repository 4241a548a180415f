"""Served for real: gunicorn on a loopback port runs an assessment through the JSON API."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = Path(sys.executable).with_name("gunicorn")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.served
def test_gunicorn_serves_an_assessment() -> None:
    port = free_port()
    env = {**os.environ, "SECRET_KEY": "test-only-secret-key-for-gunicorn", "APP_ENV": "production"}
    server = subprocess.Popen(
        [str(GUNICORN), "--workers", "2", "--worker-class", "sync", "--bind", f"127.0.0.1:{port}", "app:create_app()"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/api/v1/ping", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        body = json.dumps({"answers": {"place": "england", "target": "me", "occasions": 2},
                           "as_at": "2026-11-21"}).encode()
        request = urllib.request.Request(f"{base}/api/v1/assessments", data=body,
                                         headers={"Content-Type": "application/json"}, method="POST")
        with urllib.request.urlopen(request, timeout=10) as response:
            assert response.status == 200
            result = json.load(response)
        assert result["as_at"] == "2026-11-21"
        assert result["knowledge_version"]
        assert result["course_of_conduct"]["occasions"] == 2
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=10)
    assert "Traceback" not in output
    assert "england" not in output, "nothing a person answers reaches the server's log"
