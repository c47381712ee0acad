"""Run `uelint check` on fuzz cases and judge the run: the properties of issue #18.

A run directory holds mutated files and a control file, `ok.js`, with a known violation.
Whatever the mutated files hold, a run must:

- finish (no hang) and not crash: no traceback, no signal, an exit code in {0, 1, 2};
- write a JSON report that parses;
- report the control's UE001 at ok.js:1:31 (nothing lost because of a neighbour);
- count every file it was given as checked (`files.checked`), and name no other file;
- exit 2 exactly when the report has errors, else 1 (the control is a finding);
- turn no file into an "internal" error (an adapter that raised: a bug hidden as an error).

And `uelint check --fix` must never make a file parse worse than before, nor change anything
but suppression comments.

`run_in_process` calls `uelint.cli.main` (fast: the tests); `run_subprocess` runs the real
`uelint` command with a timeout, in a process group of its own (a segfault, a hang or a
runaway child costs the run, not the caller: the campaign).
"""

from __future__ import annotations

import contextlib
import difflib
import io
import json
import os
import pickle
import select
import signal
import subprocess
import sys
import time
import traceback
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.fuzz.mutate import Case

CONTROL_NAME = "ok.js"
CONTROL = b'userengage("client.update", { user_id: 1 });\n'
CONTROL_FINDING = ("UE001", CONTROL_NAME, 1, 31)
REPORT_NAME = "report.json"  # written next to the run directory, never inside it
UELINT = str(Path(sys.executable).with_name("uelint"))
CHECK = ("check", "--no-cache", "--jobs", "1", "--format", "json")

# What a problem is called, in the order the campaign's summary lists them.
KINDS = ("crash", "hang", "lost", "exit", "report", "internal", "fix", "slow")


@dataclass(frozen=True)
class Problem:
    """A property a run broke."""

    kind: str  # one of KINDS
    detail: str
    path: str | None = None  # the file it is about, when the report names one


@dataclass
class Run:
    """What one `uelint check` run did."""

    code: int | None  # the exit code; negative: killed by that signal; None: it hung
    report: dict[str, Any] | None
    stderr: str
    seconds: float
    problems: list[Problem] = field(default_factory=list)


def write_run(directory: Path, cases: Iterable[Case], control: bool = True) -> list[str]:
    """The cases' files (and the control) in `directory`; their names."""
    directory.mkdir(parents=True, exist_ok=True)
    names = []
    for case in cases:
        (directory / case.name).write_bytes(case.data)
        names.append(case.name)
    if control:
        (directory / CONTROL_NAME).write_bytes(CONTROL)
    return names


def check_args(directory: Path, out: Path, fix: bool = False) -> list[str]:
    return [*CHECK, *(["--fix"] if fix else []), "-o", str(out), str(directory)]


def run_in_process(directory: Path, fix: bool = False) -> Run:
    """`uelint.cli.main(check ...)` on `directory`, in this process; judged."""
    out = directory.with_name(directory.name + "-" + REPORT_NAME)
    out.unlink(missing_ok=True)
    stderr = io.StringIO()
    start = time.perf_counter()
    try:
        with contextlib.redirect_stderr(stderr), contextlib.redirect_stdout(io.StringIO()):
            code: int | None = main_code(check_args(directory, out, fix))
    except Exception:  # noqa: BLE001 - the very thing a fuzzer looks for
        code = None
        stderr.write(traceback.format_exc())
    seconds = time.perf_counter() - start
    run = Run(code, _load(out), stderr.getvalue(), seconds)
    if code is None:
        run.problems.append(Problem("crash", _last_lines(run.stderr)))
    return judge(run, directory)


def run_forked(directory: Path, budget: float, fix: bool = False) -> Run:
    """`run_in_process` (or `run_fix`) in a forked copy of this process, killed after `budget`
    seconds of wall-clock time: as fast as in-process (everything is imported already), but
    a hang in native code (a parser that never returns) or a crash costs the case only."""
    read_end, write_end = os.pipe()
    start = time.perf_counter()
    pid = os.fork()
    if pid == 0:  # the child: the run, pickled into the pipe, out without cleanup
        code = 0
        try:
            os.close(read_end)
            done = run_fix(directory) if fix else run_in_process(directory)
            with os.fdopen(write_end, "wb") as out:
                out.write(pickle.dumps(done))
        except BaseException:  # noqa: B036 - the parent reports it
            traceback.print_exc()
            code = 1
        finally:
            os._exit(code)
    os.close(write_end)
    data = bytearray()
    with os.fdopen(read_end, "rb") as pipe:
        while True:
            left = budget - (time.perf_counter() - start)
            ready, _, _ = select.select([pipe], [], [], max(left, 0))
            if not ready:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
                return Run(None, None, "", time.perf_counter() - start,
                           [Problem("hang", f"no answer in {budget:.0f} s")])
            chunk = os.read(pipe.fileno(), 1 << 16)
            if not chunk:
                break
            data += chunk
    _, status = os.waitpid(pid, 0)
    try:
        run: Run = pickle.loads(bytes(data))  # our own child's
        return run
    except Exception:  # noqa: BLE001 - it died: how?
        why = (f"killed by {signal.Signals(os.WTERMSIG(status)).name}"
               if os.WIFSIGNALED(status) else f"exit status {os.waitstatus_to_exitcode(status)}")
        return Run(None, None, "", time.perf_counter() - start, [Problem("crash", why)])


def main_code(argv: list[str]) -> int:
    from uelint import cli  # imported late: `python -m tests.fuzz.mutate` needs no uelint

    try:
        return cli.main(argv)
    except SystemExit as exc:  # argparse's way out
        return exc.code if isinstance(exc.code, int) else 2


def run_subprocess(directory: Path, timeout: float, fix: bool = False,
                   nice: int = 0) -> Run:
    """The real `uelint check ...` on `directory`, killed (with its children) after `timeout`
    seconds; judged."""
    out = directory.with_name(directory.name + "-" + REPORT_NAME)
    out.unlink(missing_ok=True)
    start = time.perf_counter()
    process = subprocess.Popen(
        [UELINT, *check_args(directory, out, fix)], stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE, start_new_session=True,
        preexec_fn=(lambda: os.nice(nice)) if nice else None)
    try:
        _, err = process.communicate(timeout=timeout)
        code: int | None = process.returncode
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        _, err = process.communicate()
        code = None
    with contextlib.suppress(ProcessLookupError):  # an isolated child left behind
        os.killpg(process.pid, signal.SIGKILL)
    seconds = time.perf_counter() - start
    run = Run(code, _load(out), err.decode("utf-8", "replace"), seconds)
    if code is None:
        run.problems.append(Problem("hang", f"no answer in {timeout:.0f} s"))
        return run
    if code < 0:
        run.problems.append(Problem("crash", f"killed by {signal.Signals(-code).name}"))
    return judge(run, directory)


def judge(run: Run, directory: Path) -> Run:
    """Add the problems of `run` on `directory` (whose files are its whole input)."""
    problems = run.problems
    if "Traceback (most recent call last)" in run.stderr:
        problems.append(Problem("crash", _last_lines(run.stderr)))
    if run.code is None or run.code < 0:
        return run
    if run.code not in (0, 1, 2):
        problems.append(Problem("exit", f"exit code {run.code}"))
    report = run.report
    if report is None:
        problems.append(Problem("report", f"no JSON report (exit {run.code}): "
                                + _last_lines(run.stderr)))
        return run
    findings = report.get("findings", [])
    errors = report.get("errors", [])
    expected = 2 if errors else 1 if findings else 0
    if run.code != expected:
        problems.append(Problem("exit", f"exit {run.code} with {len(errors)} error(s) and "
                                f"{len(findings)} finding(s): expected {expected}"))
    names = set(os.listdir(directory))
    root = str(report.get("root", "."))
    for item in [*findings, *errors]:  # paths as the run's root shows them: make them names
        if isinstance(item.get("path"), str):
            item["path"] = os.path.relpath(os.path.join(root, item["path"]), directory)
    at = {(f.get("rule"), f.get("path"), f.get("line"), f.get("column")) for f in findings}
    if CONTROL_FINDING not in at and CONTROL_NAME in names:
        problems.append(Problem("lost", "the control's UE001 at ok.js:1:31 is missing"))
    checked = report.get("files", {}).get("checked")
    if checked != len(names):
        problems.append(Problem("lost", f"{checked} file(s) checked of {len(names)}"))
    for item in [*findings, *errors]:
        if item.get("path") not in names:
            problems.append(Problem("report", f"names a file it was not given: {item}"))
    for error in errors:
        if error.get("kind") == "internal":
            problems.append(Problem("internal", error.get("message", ""), error.get("path")))
        elif not error.get("message"):
            problems.append(Problem("report", f"an error without a message: {error}"))
    return run


# --- --fix ------------------------------------------------------------------------------------


def syntax_errors(name: str, data: bytes) -> int | None:
    """How many syntax errors uelint's adapter for `name` finds in `data` (None: no language)."""
    from uelint import languages
    from uelint.adapters import adapter_for
    from uelint.parallel import Died, isolated
    from uelint.source import SourceText

    language = languages.by_suffix(Path(name)) or languages.by_shebang(data[:128])
    if language is None:
        return None

    def count() -> int:
        result = adapter_for(language)(SourceText(data), name, language, None)
        return sum(e.kind in ("syntax", "parse", "decode") for e in result.errors)

    # In a process of its own, as uelint parses Python: a parser that crashes on this input
    # costs the comparison, not the fuzzer.
    outcome = isolated(count, 60, 4 << 30)
    if isinstance(outcome, Died):
        raise RuntimeError(f"the adapter {outcome.why}")
    return outcome


MARKERS = (b"uelint-", b"noqa")


def fix_problems(name: str, before: bytes, after: bytes) -> list[Problem]:
    """What `--fix` did wrong to file `name`: parse worse, or change more than its safe fixes
    may: they only delete (a payload's key, UE003; a suppression comment, UE100), so every
    changed line must be its old self with bytes removed, or hold a suppression comment."""
    if before == after:
        return []
    problems = []
    old_lines, new_lines = before.splitlines(keepends=True), after.splitlines(keepends=True)
    matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        old, new = b"".join(old_lines[i1:i2]), b"".join(new_lines[j1:j2])
        if not (_subsequence(new, old) or any(m in old for m in MARKERS)
                and any(m in new for m in MARKERS)):
            problems.append(Problem("fix", f"--fix did more than delete: "
                                    f"{old[:200]!r} -> {new[:200]!r}", name))
            break
    try:
        worse = (syntax_errors(name, after) or 0) > (syntax_errors(name, before) or 0)
    except Exception as exc:  # noqa: BLE001
        problems.append(Problem("internal", f"comparing syntax errors after --fix: {exc}", name))
        return problems
    if worse:
        problems.append(Problem("fix", "--fix made the file parse worse", name))
    return problems


def run_fix(directory: Path, in_process: bool = True, timeout: float = 60.0,
            nice: int = 0) -> Run:
    """`uelint check --fix` on `directory`, judged, and the fix property on every file."""
    before = {p.name: p.read_bytes() for p in directory.iterdir()}
    run = (run_in_process(directory, fix=True) if in_process
           else run_subprocess(directory, timeout, fix=True, nice=nice))
    for name, data in before.items():
        after = (directory / name).read_bytes()
        if name == CONTROL_NAME and after != data:
            run.problems.append(Problem("fix", "--fix changed the control", name))
        run.problems.extend(fix_problems(name, data, after))
    return run


# --- helpers ----------------------------------------------------------------------------------


def _load(path: Path) -> dict[str, Any] | None:
    try:
        report = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return None
    return report if isinstance(report, dict) else None


def _subsequence(short: bytes, long: bytes) -> bool:
    """Whether `short` is `long` with some bytes removed."""
    rest = iter(long)
    return all(byte in rest for byte in short)


def _last_lines(text: str, count: int = 6) -> str:
    return "\n".join(text.strip().splitlines()[-count:])


def culprits(problems: Sequence[Problem], names: Sequence[str]) -> list[str]:
    """The files the problems name (those of `names` only)."""
    named = {p.path for p in problems if p.path}
    return [n for n in names if n in named]
