"""Fuzzing uelint with hostile input (issue #18): nothing may crash, hang or be lost.

Seeded and bounded, so it is the same few hundred cases on every run and finishes in well
under a minute: mutations of the real fixtures (tests/fuzz/mutate.py: byte flips,
truncation, NUL bytes, invalid UTF-8, surrogates, spans duplicated and deleted, deep nesting,
long lines, directive comments anywhere, CRLF / CR, BOMs, template tags cut in half, ...),
each checked next to a control file, `ok.js`, whose UE001 at 1:31 must always be reported
(the properties: tests/fuzz/harness.py). Most cases run `uelint.cli.main` in a fork of this
process (as fast as in-process, everything imported, but a parser that never returns is
killed at the case's wall-clock budget, and a segfault costs the case); a few batches run
through the real `uelint` command.

    .venv/bin/python -m pytest -q tests/test_fuzz.py          # these tests
    UELINT_FUZZ_CASES=2000 .venv/bin/python -m pytest -q tests/test_fuzz.py  # more cases
    .venv/bin/python tests/fuzz/campaign.py --cases 10000 --seed 1 --jobs 2  # a campaign

A failure names the case: `python -m tests.fuzz.mutate SEED INDEX --write DIR` rebuilds it.
The bugs the fuzzer found have regression tests at the end. One not fixed yet is pinned
there by a strict xfail test, and fuzz cases that hit it are forgiven through KNOWN (its fix
turns the test into an XPASS failure: then drop the marker and the KNOWN entry).
"""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.fuzz.harness import (
    CONTROL,
    CONTROL_NAME,
    Problem,
    Run,
    main_code,
    run_forked,
    run_in_process,
    run_subprocess,
    write_run,
)
from tests.fuzz.mutate import FIXTURES, Case, corpus, make_case

SEED = 18  # the number; any other seed is as good
CASES = int(os.environ.get("UELINT_FUZZ_CASES", "240"))
FIX_CASES = 60
SUBPROCESS_BATCHES, SUBPROCESS_BATCH = 2, 12
CASE_BUDGET = 10.0  # seconds per in-process case: slower is a failure
# Failures of bugs already reported, by the detail's pattern, each pinned by an xfail test
# below. Fuzz cases that hit them are not failures here (the xfail test is the reminder).
KNOWN: dict[str, str] = {}

_warm: list[bool] = []


def checked(directory: Path, fix: bool = False) -> Run:
    """One run on `directory` (in a fork of this process), judged, within CASE_BUDGET."""
    if not _warm:  # import what uelint imports lazily (libcst, reporters) once, not per fork
        _warm.append(True)
        warm = directory.with_name("warm-up")
        write_run(warm, [make_case(SEED, -1, mutations=())])
        for seed in {s.path.rsplit(".", 1)[-1]: s for s in corpus()}.values():
            (warm / seed.name).write_bytes(seed.data)
        run_in_process(warm)
        run_in_process(warm, fix=True)
        shutil.rmtree(warm)
    return run_forked(directory, CASE_BUDGET, fix=fix)


def unknown(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if not any(re.search(k, p.detail) for k in KNOWN)]


def failures_message(failures: list[tuple[Case, Problem]]) -> str:
    lines = [f"{len(failures)} failure(s); rebuild a case with "
             "`python -m tests.fuzz.mutate SEED INDEX --write DIR`:"]
    for case, problem in failures[:20]:
        lines.append(f"  {case.describe()}: {problem.kind}: {problem.detail[:300]}")
    return "\n".join(lines)


# --- the properties, on mutated fixtures -----------------------------------------------------


def test_hostile_files_lose_nothing(tmp_path: Path) -> None:
    """Every mutated file next to the control: no crash, no hang, the control's finding
    reported, every file counted, exit 2 exactly when there are errors, else 1."""
    failures: list[tuple[Case, Problem]] = []
    times: list[tuple[float, str]] = []
    for index in range(CASES):
        case = make_case(SEED, index)
        directory = tmp_path / f"case{index}"
        write_run(directory, [case])
        run = checked(directory)
        times.append((run.seconds, case.describe()))
        if run.seconds > CASE_BUDGET:
            run.problems.append(Problem("slow", f"{run.seconds:.1f} s"))
        failures += [(case, p) for p in unknown(run.problems)]
        shutil.rmtree(directory)
    slowest = sorted(times, reverse=True)[:3]
    print("slowest cases:", "; ".join(f"{s:.2f} s {what}" for s, what in slowest))
    assert not failures, failures_message(failures)


def test_fix_never_breaks_a_file(tmp_path: Path) -> None:
    """`check --fix` on files with directive comments inserted anywhere (in strings too),
    after other mutations: it changes suppression comments only, and no file parses worse."""
    failures: list[tuple[Case, Problem]] = []
    fixed = 0
    for index in range(FIX_CASES):
        others = ("line-endings", "bom", "template-cut", "token", "duplicate", "truncate")
        mutations = ("directive", others[index % len(others)], "directive")
        case = make_case(SEED, 100_000 + index, mutations=mutations)
        directory = tmp_path / f"fix{index}"
        write_run(directory, [case])
        run = checked(directory, fix=True)
        fixed += (directory / case.name).read_bytes() != case.data
        failures += [(case, p) for p in unknown(run.problems)]
    assert not failures, failures_message(failures)
    assert fixed >= FIX_CASES // 10, "the directives never made --fix do anything"


def test_the_real_command_survives_batches(tmp_path: Path) -> None:
    """A few batches of mutated files in one directory each, through the `uelint` command
    (a segfault or a runaway process cannot take the tests down): the control is still
    reported and every file is counted."""
    failures: list[tuple[Case, Problem]] = []
    for batch in range(SUBPROCESS_BATCHES):
        cases = [make_case(SEED, 200_000 + batch * SUBPROCESS_BATCH + i)
                 for i in range(SUBPROCESS_BATCH)]
        directory = tmp_path / f"batch{batch}"
        write_run(directory, cases)
        run = run_subprocess(directory, timeout=60)
        failures += [(cases[0], p) for p in unknown(run.problems)]
    assert not failures, failures_message(failures)


# --- neutral changes change nothing ----------------------------------------------------------


def _fixture_tree(target: Path, transform: str) -> Path:
    """All fixtures (their directories kept: projects import across files), transformed."""
    for path in FIXTURES.rglob("*"):
        if path.is_file() and "__pycache__" not in path.parts:
            data = path.read_bytes().replace(b"\r\n", b"\n")
            data = {"lf": data, "crlf": data.replace(b"\n", b"\r\n"),
                    "cr": data.replace(b"\n", b"\r"), "bom": b"\xef\xbb\xbf" + data}[transform]
            copy = target / path.relative_to(FIXTURES)
            copy.parent.mkdir(parents=True, exist_ok=True)
            copy.write_bytes(data)
    (target / CONTROL_NAME).write_bytes(CONTROL)
    return target


Findings = set[tuple[object, ...]]


def _report(tmp_path: Path, transform: str) -> tuple[Findings, list[object]]:
    tree = _fixture_tree(tmp_path / transform, transform)
    out = tmp_path / f"{transform}.json"
    assert main_code(["check", "--no-cache", "--jobs", "1", "--format", "json", "-o", str(out),
                      str(tree)]) == 1
    report = json.loads(out.read_text())
    findings = {(f["rule"], Path(f["path"]).relative_to(tree).as_posix(), f["line"],
                 f["column"], f["end_line"], f["end_column"]) for f in report["findings"]}
    return findings, report["errors"]


@pytest.fixture(scope="module")
def plain(tmp_path_factory: pytest.TempPathFactory) -> Findings:
    """The fixtures' findings as they are (LF line endings, no BOM)."""
    findings, errors = _report(tmp_path_factory.mktemp("plain"), "lf")
    assert errors == []
    return findings


@pytest.mark.parametrize("transform", ["crlf", "cr", "bom"])
def test_line_endings_and_bom_change_no_finding(tmp_path: Path, transform: str,
                                                 plain: Findings) -> None:
    """CRLF or CR line endings (a lone CR ends a line in JavaScript, Python and SARIF), or a
    UTF-8 BOM: the same findings at the same places, no errors."""
    changed, errors = _report(tmp_path, transform)
    assert errors == []
    assert changed == plain


# --- bugs the fuzzer found ----------------------------------------------------------------------


def _alone(tmp_path: Path, name: str, data: bytes) -> dict[str, Any]:
    (tmp_path / name).write_bytes(data)
    (tmp_path / CONTROL_NAME).write_bytes(CONTROL)
    out = tmp_path.with_name(tmp_path.name + ".json")
    main_code(["check", "--no-cache", "--jobs", "1", "--format", "json", "-o", str(out),
               str(tmp_path)])
    report: dict[str, Any] = json.loads(out.read_text())
    return report


@pytest.mark.parametrize("attributes", [b"\xc1", b"\xc1 \xc2"])
def test_invalid_utf8_in_an_html_attribute_name(tmp_path: Path, attributes: bytes) -> None:
    page = (b"<input " + attributes + b'>\n'
            b'<script>userengage("client.update", { user_id: 1 });</script>\n')
    report = _alone(tmp_path, "page.html", page)
    assert [e["kind"] for e in report["errors"]] == ["decode"]
    assert ("page.html", "UE001") in {(Path(f["path"]).name, f["rule"])
                                      for f in report["findings"]}


# What these cost as they grow is measured by bench/pathological.py (no timings in tests).


def test_a_long_non_ascii_line(tmp_path: Path) -> None:
    """Thousands of findings on one long line: each snippet is cut from near its finding,
    at the right code-point column."""
    code = b'userengage("client.update", { ' + "é, ".encode() * 2_000 + b"user_id: 1 });\n"
    report = _alone(tmp_path, "line.js", code)
    assert report["errors"] == []
    found = [f for f in report["findings"] if f["path"].endswith("line.js")]
    assert [f["rule"] for f in found].count("UE007") == 2_000
    (user_id,) = (f for f in found if f["rule"] == "UE001")
    assert user_id["column"] == len('userengage("client.update", { ') + 3 * 2_000 + 1


def test_a_long_await_chain(tmp_path: Path) -> None:
    code = (b"function signUp(form) {" + b"await " * 600 + b"x\n"
            b'  userengage("client.update", { user_id: 1 });\n}\n')
    report = _alone(tmp_path, "chain.js", code)
    assert {f["rule"] for f in report["findings"] if f["path"].endswith("chain.js")} == {
        "UE001", "UE002"}
