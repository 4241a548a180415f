"""The command line: JSON and text out; bad input exits non-zero with every problem on stderr."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ANSWERS = {"place": "england", "target": "me", "occasions": 3, "last_incident_date": "2026-11-01",
           "alarmed_or_distressed": True, "told_to_stop": True, "in_immediate_danger": True}


def run(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "rules", *args], input=stdin, capture_output=True, text=True,
                          cwd=ROOT, timeout=300)


def test_assess_a_file_prints_the_assessment_as_json(tmp_path: Path) -> None:
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(ANSWERS))
    done = run("assess", str(path), "--as-at", "2026-11-21")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["as_at"] == "2026-11-21"
    assert result["safety"]["danger_now"] is True
    assert {p["id"]: p["status"] for p in result["offences"]}["pha-1997-s2"] == "may_apply"


def test_assess_standard_input_as_text() -> None:
    done = run("assess", "-", "--format", "text", "--as-at", "2026-11-21", stdin=json.dumps(ANSWERS))
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("CASE NOTE: stalking and harassment check, 21 November 2026")
    assert "DANGER NOW" in done.stdout and "999" in done.stdout
    assert "not legal advice" in " ".join(done.stdout.split())
    # A case note, not a letter: third person, the risk level once.
    assert not re.search(r"\b(you|your)\b", done.stdout, re.I)
    assert done.stdout.count("RISK LEVEL:") == 1


def test_bad_answers_exit_non_zero_with_every_problem_on_stderr() -> None:
    done = run("assess", "-", stdin=json.dumps({"bogus": 1, "occasions": "three"}))
    assert done.returncode == 2
    assert done.stdout == ""
    assert "bogus: is not a question" in done.stderr
    assert "occasions: must be a whole number" in done.stderr
    assert "Traceback" not in done.stderr


def test_bad_json_and_missing_files_are_explained(tmp_path: Path) -> None:
    done = run("assess", "-", stdin="{not json")
    assert done.returncode == 2 and "not valid JSON" in done.stderr
    done = run("assess", str(tmp_path / "nope.json"))
    assert done.returncode == 2 and "cannot read" in done.stderr


def test_schema_prints_the_answers_schema() -> None:
    done = run("schema")
    assert done.returncode == 0
    schema = json.loads(done.stdout)
    assert schema["type"] == "object" and "place" in schema["properties"]


def test_check_and_stale() -> None:
    assert "OK" in run("check").stdout
    done = run("stale", "--older-than", "0")
    assert done.returncode == 0 and "fact(s) checked before" in done.stdout


def test_review_formats_match_the_review_module() -> None:
    from rules import cli
    from rules import review

    assert cli.REVIEW_FORMATS == review.FORMATS


def test_a_one_shot_assessment_does_not_build_the_interview() -> None:
    import rules

    assessor = rules.Assessor(rules.default_assessor().knowledge, interview=False)
    assert "interviewer" not in vars(assessor)
    assert assessor.interview({}, "2026-11-21").next is not None  # built on first use
