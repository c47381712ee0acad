"""Annotated fixtures: each file under tests/fixtures/ carries its expectations inline.

A comment `expect: UE001` (or `expect: UE001, UE003`) on a line says exactly which diagnostics
start on that line; every other line must have none. A new case is a new fixture file. The
comment is the host format's own: `//`, `#`, `/*`, `<!--`, `{#`, `{{--`, `{*`, `<%#`.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from uelint import Rule, engine, plugins
from uelint.discover import SourceFile
from uelint.languages import by_suffix

FIXTURES = Path(__file__).parent / "fixtures"
PROJECTS = FIXTURES / "projects"  # each subdirectory is checked as one scan (cross-file cases)
_EXPECT = re.compile(r"(?://|#|\*|<!--|--)\s*expect:\s*([A-Z]+[0-9]+(?:\s*,\s*[A-Z]+[0-9]+)*)")


def sources(directory: Path) -> list[Path]:
    """The files under `directory` that uelint reads (by their suffix), sorted."""
    return sorted(p for p in directory.rglob("*") if p.is_file() and by_suffix(p))


_FILES = [p for p in sources(FIXTURES) if PROJECTS not in p.parents]
_PROJECTS = sorted(p for p in PROJECTS.iterdir() if p.is_dir())


def expected(path: Path) -> Counter[tuple[int, str]]:
    found: Counter[tuple[int, str]] = Counter()
    for number, line in enumerate(path.read_text("utf-8").splitlines(), start=1):
        for match in _EXPECT.finditer(line):
            found.update((number, code.strip()) for code in match.group(1).split(","))
    return found


@pytest.fixture(scope="module")
def rules() -> list[Rule]:
    return list(plugins.load(autoload=False).rules.values())


@pytest.mark.parametrize("path", _FILES, ids=lambda p: p.relative_to(FIXTURES).as_posix())
def test_fixture(path: Path, rules: list[Rule]) -> None:
    source = SourceFile(str(path), by_suffix(path), explicit=True)
    outcome = engine.check_file(source, rules, path.name)
    assert outcome.errors == (), outcome.errors
    actual = Counter((d.span.start_line, d.code) for d in outcome.diagnostics)
    want = expected(path)
    missing = sorted(want - actual)
    unexpected = sorted(actual - want)
    details = "\n".join(
        f"  line {d.span.start_line}: {d.code} {d.message}" for d in outcome.diagnostics
    )
    assert not missing and not unexpected, (
        f"missing (line, code): {missing}\nunexpected: {unexpected}\nreported:\n{details}"
    )


@pytest.mark.parametrize("project", _PROJECTS, ids=lambda p: p.name)
def test_project(project: Path, rules: list[Rule]) -> None:
    result = engine.run([project], rules, root=project)
    assert result.errors == (), result.errors
    actual = Counter((d.path, d.span.start_line, d.code) for d in result.diagnostics)
    want: Counter[tuple[str, int, str]] = Counter()
    for path in sources(project):
        rel = path.relative_to(project).as_posix()
        want.update({(rel, line, code): n for (line, code), n in expected(path).items()})
    details = "\n".join(
        f"  {d.path}:{d.span.start_line}: {d.code} {d.message}" for d in result.diagnostics
    )
    assert actual == want, (
        f"missing: {sorted(want - actual)}\nunexpected: {sorted(actual - want)}\n"
        f"reported:\n{details}"
    )


def test_fixtures_exist_for_every_language() -> None:
    suffixes = {p.suffix for p in _FILES}
    assert {".js", ".jsx", ".ts", ".tsx", ".py"} <= suffixes
