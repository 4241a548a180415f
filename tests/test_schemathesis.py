"""schemathesis against the served API: every request the OpenAPI document allows is answered as
it says, and every request it forbids is refused (0 failures).

gunicorn serves the app on a loopback port, as in production; schemathesis reads the OpenAPI
from /api/v1/openapi.json and runs every check it has (no server errors; status codes, content
types, headers and response bodies as documented; schema-valid requests accepted and
schema-violating ones refused; 405 with Allow for an undocumented method) over examples and
generated cases. The run is bounded and deterministic (a fixed number of examples per
operation, no random seed, no example database), so CI gives the same result every time.
tests/schemathesis_hooks.py says which refusals are not failures: those of the cross-answer
rules JSON Schema cannot state, which the OpenAPI states in words.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.serving import ROOT
from tests.serving import free_port
from tests.serving import production_command
from tests.serving import served

BIN = Path(sys.executable).parent
MAX_EXAMPLES = 50


@pytest.mark.served
def test_schemathesis_finds_no_failure_in_the_served_api(tmp_path: Path) -> None:
    port = free_port()
    env = {**os.environ, "SECRET_KEY": "test-only-secret-key-for-schemathesis", "APP_ENV": "production"}
    with served(production_command(port), port, env, capture=False) as server:
        accepted = tmp_path / "accepted.txt"
        run_env = {**os.environ, "PYTHONPATH": str(ROOT), "SCHEMATHESIS_HOOKS": "tests.schemathesis_hooks",
                   "SCHEMATHESIS_ACCEPTED": str(accepted), "NO_COLOR": "1"}
        done = subprocess.run(
            [str(BIN / "st"), "run", f"{server.base}/api/v1/openapi.json", "--checks", "all",
             "--max-examples", str(MAX_EXAMPLES), "--generation-deterministic", "--workers", "1",
             "--request-timeout", "30", "--no-color", "--output-truncate", "true"],
            cwd=tmp_path, env=run_env, capture_output=True, text=True, timeout=540,
        )
    summary = done.stdout[done.stdout.find("SUMMARY"):] if "SUMMARY" in done.stdout else done.stdout[-4000:]
    print(summary)  # shown with -s or on failure: operations, phases, cases generated, filtered
    assert done.returncode == 0, done.stdout[-20000:] + done.stderr[-4000:]
    assert "Tested: 5" in summary and re.search(r"No issues found", summary), summary
    generated = re.search(r"(\d+) generated, (\d+) passed", summary)
    assert generated and generated.group(1) == generated.group(2) and int(generated.group(1)) > 5 * MAX_EXAMPLES
    refusals = accepted.read_text(encoding="utf-8").splitlines() if accepted.exists() else []
    # The cross-answer refusals are the only ones let through, and they are a minority.
    assert len(refusals) < int(generated.group(1)) // 10, len(refusals)
