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


# --- the sdist: everything its tests need, and they pass from it ----------------------------

# Tests that read the fixtures, goldens, snapshots and schemas the sdist must carry.
SDIST_TESTS = ["tests/test_fixtures.py", "tests/test_formats_golden.py",
               "tests/test_install_snippets.py::test_the_gitlab_snippet_is_valid",
               "tests/test_install_snippets.py::test_the_repository_workflow_and_action_are_valid"]


def test_the_sdist_builds_and_its_tests_pass_from_it(tmp_path: Path) -> None:
    import sysconfig
    import tarfile

    from tests.readme_snippets import tool_env

    subprocess.run([sys.executable, "-m", "build", "--sdist", "-o", str(tmp_path), str(ROOT)],
                   check=True, capture_output=True, env=tool_env())
    (sdist,) = tmp_path.glob("uelint-*.tar.gz")
    with tarfile.open(sdist) as archive:
        archive.extractall(tmp_path, filter="data")
    unpacked = tmp_path / sdist.name.removesuffix(".tar.gz")
    for needed in ("LICENSE", "tests/schemas/gitlab-ci.json", "tests/golden", "examples",
                   "tests/fixtures/javascript", ".pre-commit-hooks.yaml", "action.yml"):
        assert (unpacked / needed).exists(), needed

    # uelint built from the sdist, in a new environment; its dependencies and pytest come from
    # this one (a .pth line: this environment's own editable uelint is not activated by it).
    env = tmp_path / "env"
    venv.create(env, with_pip=True)
    python = str(env / "bin" / "python")
    site = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True, capture_output=True, text=True).stdout.strip()
    Path(site, "outer.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run([python, "-m", "pip", "install", "-q", "--no-deps", str(sdist)], check=True,
                   capture_output=True, env=tool_env())
    where = subprocess.run([python, "-c", "import uelint; print(uelint.__file__)"], cwd=tmp_path,
                           check=True, capture_output=True, text=True).stdout
    assert where.startswith(site), where
    done = subprocess.run([python, "-m", "pytest", "-q", "-p", "no:cacheprovider", *SDIST_TESTS],
                          cwd=unpacked, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    assert " passed" in done.stdout.splitlines()[-1]
