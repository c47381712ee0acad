"""Snapshots of the fixtures, in Ruff's `.snap` style: what uelint reports on each file.

For every fixture file under tests/fixtures/ a snapshot under tests/snapshots/ (the same
relative path, plus `.snap`) pins each diagnostic (rule, level, message, start and end, as the
JSON report gives them: 1-based lines, UTF-16 columns), drawn under its source lines, and every
file error. The reports come from the public CLI, `uelint check --no-cache --format json`, run
once over tests/fixtures (a project of its own: its `.uelint.toml`), so cross-file findings
appear as a real scan reports them (a run naming one directory gives each of its files the
same findings: tests/test_project.py).

The `expect:` comments of the fixtures still decide which rule fires on which line: a
snapshot must agree with them (so a wrong result cannot be accepted as a snapshot); the
snapshot adds columns, ends, levels, messages and related locations.

After an intended change, rewrite the snapshots and review their diff:

    UELINT_UPDATE_SNAPSHOTS=1 .venv/bin/python -m pytest tests/test_snapshots.py
"""

from __future__ import annotations

import difflib
import json
import os
import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.test_fixtures import FIXTURES, expected, sources
from uelint import cli

SNAPSHOTS = Path(__file__).parent / "snapshots"
UPDATE = bool(os.environ.get("UELINT_UPDATE_SNAPSHOTS"))
SUFFIX = ".snap"
FILES = sources(FIXTURES)


@dataclass(frozen=True)
class Report:
    """A JSON report's findings and errors, by path (relative to tests/fixtures)."""

    findings: dict[str, list[dict[str, Any]]]
    errors: dict[str, list[dict[str, Any]]]


SCAN = "."


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Report:
    """The report of the scan of every fixture, made once."""
    return check(SCAN, tmp_path_factory.mktemp("reports") / "report.json")


def check(scan: str, out: Path) -> Report:
    """Run `uelint check` on `scan` (relative to tests/fixtures, the working directory)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(FIXTURES)
        patch.setenv("UELINT_DISABLE_PLUGIN_AUTOLOAD", "1")
        code = cli.main(["check", "--no-cache", "--jobs", "1", "--format", "json", "-o", str(out),
                         scan])
    assert out.exists(), f"uelint check {scan} wrote no report (exit code {code})"
    data = json.loads(out.read_text("utf-8"))
    findings: dict[str, list[dict[str, Any]]] = {}
    errors: dict[str, list[dict[str, Any]]] = {}
    for finding in data["findings"]:
        findings.setdefault(finding["path"], []).append(finding)
    for error in data["errors"]:
        errors.setdefault(error["path"], []).append(error)
    return Report(findings, errors)


def render(path: Path, scan: str, findings: list[dict[str, Any]],
           errors: list[dict[str, Any]]) -> str:
    rel = path.relative_to(FIXTURES).as_posix()
    lines = path.read_text("utf-8").split("\n")
    blocks = ["---", "source: tests/test_snapshots.py", f"fixture: {rel}",
              f"scan: uelint check {scan}", "---"]
    for f in findings:
        blocks.append(f"{rel}:{f['line']}:{f['column']}: {f['rule']} [{f['level']}] {f['message']}")
        blocks += excerpt(lines, f)
        blocks += [f"   = note: {r['path']}:{_range(r)}: {r['message']}" for r in f["related"]]
        blocks.append("")
    for e in errors:
        where = f":{_range(e)}" if e["line"] is not None else ""
        blocks += [f"{rel}{where}: error[{e['kind']}] {e['message']}", ""]
    if not findings and not errors:
        blocks += ["no diagnostics", ""]
    return "\n".join(blocks)


def excerpt(lines: list[str], region: dict[str, Any]) -> list[str]:
    """The region's source lines, each with carets under the part the region covers, and the
    region's exact start and end after the last carets."""
    first, last = region["line"], region["end_line"]
    gutter = " " * len(str(last))
    out = [f"{gutter} |"]
    marked = False  # the line shown last has carets
    for number in range(first, last + 1):
        text = lines[number - 1].rstrip("\r")
        indent = len(text) - len(text.lstrip())
        start = _index(text, region["column"]) if number == first else indent
        end = _index(text, region["end_column"]) if number == last else len(text)
        out.append(f"{number:>{len(gutter)}} | {text}".rstrip())
        marked = end > start or first == last
        if marked:
            pad = "".join("\t" if c == "\t" else " " * _width(c) for c in text[:start])
            carets = "^" * max(1, sum(_width(c) for c in text[start:end]))
            out.append(f"{gutter} | {pad}{carets}")
    if not marked:  # the region ends where its last line starts
        out.append(f"{gutter} |")
    out[-1] += f" {_range(region)}"
    return out


def _range(region: dict[str, Any]) -> str:
    return f"{region['line']}:{region['column']}-{region['end_line']}:{region['end_column']}"


def _index(text: str, column: int) -> int:
    """The code-point index of a 1-based UTF-16 column in `text`."""
    units = 0
    for index, char in enumerate(text):
        if units >= column - 1:
            return index
        units += 2 if ord(char) > 0xFFFF else 1
    return len(text)


def _width(char: str) -> int:
    return 2 if unicodedata.east_asian_width(char) in "WF" else 1


def snapshot_of(path: Path) -> Path:
    return SNAPSHOTS / (path.relative_to(FIXTURES).as_posix() + SUFFIX)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.relative_to(FIXTURES).as_posix())
def test_snapshot(path: Path, report: Report) -> None:
    scan, result = SCAN, report
    rel = path.relative_to(FIXTURES).as_posix()
    findings, errors = result.findings.get(rel, []), result.errors.get(rel, [])
    actual = render(path, scan, findings, errors)
    snapshot = snapshot_of(path)
    if UPDATE:
        snapshot.parent.mkdir(parents=True, exist_ok=True)
        snapshot.write_text(actual, "utf-8")
    reported = Counter((f["line"], f["rule"]) for f in findings)
    assert reported == expected(path), (
        f"{rel}: the scan of {scan} disagrees with the expect: comments\n"
        f"missing (line, code): {sorted(expected(path) - reported)}\n"
        f"unexpected: {sorted(reported - expected(path))}"
    )
    if not snapshot.exists():
        pytest.fail(f"{rel} has no snapshot; write it with UELINT_UPDATE_SNAPSHOTS=1")
    stored = snapshot.read_text("utf-8")
    if stored != actual:
        diff = difflib.unified_diff(stored.splitlines(), actual.splitlines(),
                                    str(snapshot.relative_to(SNAPSHOTS.parent.parent)), "actual",
                                    lineterm="")
        pytest.fail("snapshot mismatch (UELINT_UPDATE_SNAPSHOTS=1 rewrites it after review):\n"
                    + "\n".join(diff), pytrace=False)


def test_every_snapshot_has_its_fixture() -> None:
    wanted = {snapshot_of(p) for p in FILES}
    orphans = sorted(p for p in SNAPSHOTS.rglob(f"*{SUFFIX}") if p not in wanted)
    if UPDATE:
        for orphan in orphans:
            orphan.unlink()
    else:
        assert not orphans, f"snapshots of fixtures that no longer exist: {orphans}"
