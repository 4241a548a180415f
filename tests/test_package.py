"""The installable package: a wheel built from this tree carries the engine, its knowledge as
package data, the console command and the web app, and works away from the checkout.

The wheel is built from a copy of the tree (so no build/ or *.egg-info appears in the
checkout) with the setuptools pinned in requirements-test.txt, and installed with
``pip install --target`` into a temporary folder; the pinned dependencies come from the
test's own environment. Everything runs with the temporary folder as the working directory,
so the checkout cannot be imported by mistake.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import rules

ROOT = Path(__file__).resolve().parent.parent
ANSWERS = {"place": "england", "target": "me", "occasions": 3, "last_incident_date": "2026-11-01",
           "alarmed_or_distressed": True, "told_to_stop": True}
SHIPPED = ("app.py", "pyproject.toml", "README.md", "rules", "web", "knowledge", "templates", "static")


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(the wheel, the folder it is installed into)."""
    base = tmp_path_factory.mktemp("package")
    src = base / "src"
    src.mkdir()
    for name in SHIPPED:
        path = ROOT / name
        if path.is_dir():
            shutil.copytree(path, src / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "src"))
        else:
            shutil.copy2(path, src / name)
    wheels = base / "wheels"
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    subprocess.run([*pip, "wheel", "--no-deps", "--no-build-isolation", "-w", str(wheels), str(src)],
                   check=True, cwd=base, timeout=300)
    (wheel,) = wheels.glob("*.whl")
    site = base / "site"
    subprocess.run([*pip, "install", "--no-deps", "--target", str(site), str(wheel)], check=True, cwd=base, timeout=300)
    return wheel, site


def _run(site: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(site)}
    return subprocess.run(list(args), input=stdin, capture_output=True, text=True, cwd=site.parent, env=env, timeout=300)


def test_the_wheel_carries_the_knowledge_and_the_web_app(installed: tuple[Path, Path]) -> None:
    wheel, _ = installed
    names = set(zipfile.ZipFile(wheel).namelist())
    shipped = {p.relative_to(ROOT / "knowledge").as_posix() for p in (ROOT / "knowledge").rglob("*.yaml")}
    assert {f"rules/knowledge/{n}" for n in shipped} <= names
    assert "app.py" in names and "web/templates/layout.html" in names and "web/__init__.py" in names
    assert not any(n.startswith(("tests/", "benchmarks/", "node_modules/")) for n in names)
    assert wheel.name.startswith(f"stalking_harassment_check-{rules.__version__}-")


def test_the_console_command_assesses_a_file(installed: tuple[Path, Path], tmp_path: Path) -> None:
    _, site = installed
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(ANSWERS))
    command = site / "bin" / "stalking-harassment-check"
    done = _run(site, str(command), "assess", str(path), "--as-at", "2026-11-21")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["knowledge_version"] == rules.default_assessor().knowledge.version
    assert {p["id"]: p["status"] for p in result["offences"]}["pha-1997-s2"] == "may_apply"
    version = _run(site, str(command), "--version")
    assert version.stdout.strip().endswith(rules.__version__)


def test_the_installed_engine_reads_its_own_package_data(installed: tuple[Path, Path]) -> None:
    _, site = installed
    code = ("import rules, rules.loader as l; print(rules.__file__); print(l.DEFAULT_PATH); "
            "print(rules.load_knowledge().version); print(rules.__version__)")
    done = _run(site, sys.executable, "-c", code)
    assert done.returncode == 0, done.stderr
    module, knowledge, version, code_version = done.stdout.split()
    assert Path(module).is_relative_to(site) and Path(knowledge) == site / "rules" / "knowledge"
    assert version == rules.default_assessor().knowledge.version and code_version == rules.__version__


def test_the_installed_web_app_serves_its_pages(installed: tuple[Path, Path]) -> None:
    _, site = installed
    code = ("import app; a = app.create_app({'TESTING': True, 'SECRET_KEY': 'x' * 32}); c = a.test_client(); "
            "print(app.__file__, c.get('/').status_code, c.get('/privacy').status_code)")
    done = _run(site, sys.executable, "-c", code)
    assert done.returncode == 0, done.stderr
    module, start, privacy = done.stdout.split()
    assert Path(module).is_relative_to(site) and (start, privacy) == ("200", "200")
