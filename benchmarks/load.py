"""Load benchmark: gunicorn with one worker per core, driven by wrk on loopback.

Run: .venv/bin/python benchmarks/load.py [--seconds 10] [--connections 16]
(needs wrk: `apt-get install wrk`, or `bash scripts/setup --bench`)

Prints requests per second and p50/p99 latency for a question page, the result page, the
assessment API, and a bare route of the same app that returns constant JSON (the ceiling).
It measures speed and asserts nothing. wrk shares the machine's cores with gunicorn, so the
figures are a floor for what a separate load generator would see.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from engine import ANSWERS  # noqa: E402

SECRET = "benchmark-only-secret-key-of-32-characters"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def session_cookie() -> str:
    """A signed session cookie holding the realistic answers, as the questionnaire would leave it."""
    os.environ["SECRET_KEY"] = SECRET
    from app import create_app

    app = create_app({"SECRET_KEY": SECRET, "TESTING": True})
    serializer = app.session_interface.get_signing_serializer(app)  # type: ignore[attr-defined]
    answers = {k: v for k, v in ANSWERS.items() if k != "incidents"}
    answers["occasions"] = 12
    answers["first_incident_date"] = "2026-06-03"
    answers["last_incident_date"] = "2026-11-16"
    return str(serializer.dumps({"answers": answers}))


def wrk(url: str, seconds: int, connections: int, script: str | None = None, cookie: str | None = None) -> dict[str, float]:
    cmd = ["wrk", "-t", "1", "-c", str(connections), "-d", f"{seconds}s", "--latency"]
    if cookie:
        cmd += ["-H", f"Cookie: session={cookie}"]
    if script:
        cmd += ["-s", script]
    out = subprocess.run(cmd + [url], capture_output=True, text=True, check=True).stdout
    def latency(label: str) -> float:
        m = re.search(rf"^\s+{label}%\s+([\d.]+)(us|ms|s)", out, re.M)
        if not m:
            return float("nan")
        value, unit = float(m.group(1)), m.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(r"Socket errors: (.*)", out)
    return {"rps": rps, "p50": latency("50"), "p99": latency("99"),
            "errors": float(errors.group(1)) if errors else 0.0, "socket_errors": socket_errors.group(1) if socket_errors else ""}  # type: ignore[dict-item]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, nargs="+", default=[2, 16],
                        help="concurrency levels to run: light load and saturation (the issue: 8 and 50)")
    parser.add_argument("--threads", type=int, default=1,
                        help="gunicorn threads per worker (1 is what the Dockerfile runs; README, Speed)")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed: apt-get install wrk (or bash scripts/setup --bench)")

    workers = os.cpu_count() or 1
    port = free_port()
    env = {**os.environ, "SECRET_KEY": SECRET, "APP_ENV": "production"}
    gunicorn = Path(sys.executable).with_name("gunicorn")
    server = subprocess.Popen(
        [str(gunicorn), "--workers", str(workers), "--threads", str(args.threads), "--bind", f"127.0.0.1:{port}",
         "--log-level", "warning", "--no-control-socket", "app:create_app()"],
        cwd=ROOT, env=env,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/api/v1/ping", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as lua:
            body = json.dumps({"answers": ANSWERS, "as_at": "2026-11-21"})
            lua.write('wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\n'
                      f"wrk.body = {json.dumps(body)}\n")
        cookie = session_cookie()
        rows = [
            ("ceiling: GET /api/v1/ping (constant JSON)", f"{base}/api/v1/ping", None, None),
            ("question page: GET /questions/relationship", f"{base}/questions/relationship", None, cookie),
            ("result page: GET /result", f"{base}/result", None, cookie),
            ("assessment API: POST /api/v1/assessments", f"{base}/api/v1/assessments", lua.name, None),
            ("  the same, ?explain=full", f"{base}/api/v1/assessments?explain=full", lua.name, None),
        ]
        # Warm up the connections and Python's caches (the engines are built at start-up).
        for _, url, script, cook in rows:
            wrk(url, 3, max(args.connections), script, cook)
        print(f"gunicorn: {workers} workers x {args.threads} threads; wrk: 1 thread, {args.seconds} s per row, on loopback, after a warm-up")
        for connections in args.connections:
            print(f"\n{connections} connections")
            print(f"{'':48} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7}")
            results = {}
            for label, url, script, cook in rows:
                r = wrk(url, args.seconds, connections, script, cook)
                results[label] = r
                print(f"{label:48} {r['rps']:9.0f} {r['p50']:8.2f} {r['p99']:8.2f} {int(r['errors']):7d} {r['socket_errors']}")
            ceiling = results[rows[0][0]]["rps"]
            api = results[rows[3][0]]["rps"]
            print(f"assessment API / ceiling: {api / ceiling:.0%} (goal: at least 50%)")
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
