"""The built wheel, installed as users install it: one `uelint` namespace, nothing else.

PyPI's `rules` (django-rules) installs a top-level `rules` package; uelint used to install one
too, and the two overwrote each other. These tests build the real wheel, install it in a new
virtual environment next to the real `rules` from PyPI, and uninstall each in turn.
"""

from __future__ import annotations

import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]
SAMPLE = 'userengage("client.update", { user_id: 1 });\n'


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out),
                    str(ROOT)], check=True, capture_output=True)
    (found,) = out.glob("uelint-*.whl")
    return found


def test_the_wheel_claims_only_uelint_at_the_top_level(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        top = {name.split("/", 1)[0] for name in archive.namelist()}
        names = archive.namelist()
    assert top == {"uelint", wheel.name.split("-")[0] + "-" + wheel.name.split("-")[1]
                   + ".dist-info"}
    assert "uelint/rules/__init__.py" in names and "uelint/adapters/javascript.py" in names
    assert "uelint/reporters/json-report.schema.json" in names
    assert any(name.endswith(".dist-info/licenses/LICENSE") for name in names)


def _pip(env: Path, *args: str) -> None:
    subprocess.run([str(env / "bin" / "python"), "-m", "pip", "--disable-pip-version-check",
                    "-q", *args], check=True, capture_output=True)


def _run(env: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(env / "bin" / args[0]), *args[1:]], cwd=cwd, capture_output=True,
                          text=True, check=False)


def test_uelint_and_pypi_rules_live_side_by_side(wheel: Path, tmp_path: Path) -> None:
    env = tmp_path / "env"
    venv.create(env, with_pip=True)
    project = tmp_path / "project"
    project.mkdir()
    (project / "a.js").write_text(SAMPLE)
    django_rules = "import rules.predicates; print(rules.predicates.__name__)"

    def uelint_works() -> None:
        done = _run(env, "uelint", "check", "--no-cache", "a.js", cwd=project)
        assert done.returncode == 1 and "UE001" in done.stdout, done.stdout + done.stderr
        listed = _run(env, "uelint", "rules", cwd=project).stdout
        assert all(code in listed for code in ("UE001", "UE002", "UE003", "UE100", "UE101"))

    def rules_works() -> None:
        done = _run(env, "python", "-c", django_rules, cwd=project)
        assert done.stdout.strip() == "rules.predicates", done.stderr

    _pip(env, "install", str(wheel))
    _pip(env, "install", "rules")
    uelint_works()
    rules_works()
    _pip(env, "uninstall", "-y", "rules")  # leaves uelint whole
    uelint_works()
    _pip(env, "install", "rules")
    _pip(env, "uninstall", "-y", "uelint")  # leaves django-rules whole
    rules_works()
    assert _run(env, "python", "-c", "import uelint", cwd=project).returncode != 0
