"""gunicorn on a loopback port, for the tests that serve the app for real (the production
command, the compose command, schemathesis): start it, wait until it answers, stop it."""

from __future__ import annotations

import contextlib
import socket
import subprocess
import sys
import time
import typing as t
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = Path(sys.executable).with_name("gunicorn")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def production_command(port: int) -> list[str]:
    """The Dockerfile's command (sync workers), bound to a loopback port."""
    return [str(GUNICORN), "--workers", "2", "--worker-class", "sync", "--bind", f"127.0.0.1:{port}",
            "--no-control-socket", "app:create_app()"]


@dataclass
class Served:
    base: str
    process: subprocess.Popen[str]
    output: str = ""  # what the server printed, once it has stopped (when captured)


@contextlib.contextmanager
def served(command: list[str], port: int, env: dict[str, str], ready_path: str = "/api/v1/ping",
           capture: bool = True, wait_seconds: float = 20.0) -> t.Iterator[Served]:
    """Run ``command`` until the block ends; it has answered ``ready_path`` once the block
    starts (or has exited, which the block's own checks then show)."""
    out = subprocess.PIPE if capture else subprocess.DEVNULL
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, text=True)
    server = Served(f"http://127.0.0.1:{port}", process)
    try:
        deadline = time.monotonic() + wait_seconds
        while time.monotonic() < deadline and process.poll() is None:
            try:
                urllib.request.urlopen(server.base + ready_path, timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)
        yield server
    finally:
        process.terminate()
        output, _ = process.communicate(timeout=30)
        server.output = output or ""
