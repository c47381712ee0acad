"""A long fuzz campaign against uelint (issue #18: nothing lost under hostile input).

    .venv/bin/python tests/fuzz/campaign.py --cases 10000 --seed 1 --jobs 2

Cases come from `mutate.make_case(seed, index)` (mutated fixtures), in batches: each batch
is a directory of `--batch` mutated files plus the control `ok.js`, checked by the real
`uelint check --no-cache --jobs 1 --format json` in a subprocess with a timeout (so that a
segfault or a hang costs one run, not the campaign), then copied and checked again with
`--fix`. Every run is judged by `harness.judge` (crash, hang, lost findings, exit codes,
report, internal errors) and the fix runs by `harness.fix_problems` too. A run slower than
`--slow` seconds counts as slow.

A failing batch is bisected to its culprit: the smallest set of its cases (usually one) that
still fails the same way alone with the control; each is saved under `--results`
(default tests/fuzz/results/, ignored by git) with a JSON note: what it is, what went wrong,
and how to reproduce it. At the end the campaign prints the numbers: cases, crashes, hangs,
lost findings, exit-code violations, the other problems, distinct failures and the slowest
cases. Its processes run niced (`os.nice(10)`): other people share the machine.

Exit status: 0 when nothing failed, 1 otherwise.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make `tests.fuzz` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.fuzz.harness import KINDS, Problem, Run, fix_problems, run_subprocess, write_run
from tests.fuzz.mutate import Case, make_case

NICE = 10


@dataclass
class Failure:
    """A problem traced to the cases that cause it."""

    problem: Problem
    mode: str  # "check" or "fix"
    cases: list[tuple[int, int]]  # (seed, index) of each culprit
    names: list[str]
    seconds: float
    stderr: str


@dataclass
class BatchResult:
    """What a batch's runs found."""

    batch: int
    cases: int
    seconds: dict[str, float] = field(default_factory=dict)  # mode -> wall time
    failures: list[Failure] = field(default_factory=list)
    slowest: list[tuple[float, str]] = field(default_factory=list)  # timed culprits


@dataclass(frozen=True)
class Settings:
    seed: int
    batch: int
    timeout: float
    slow: float
    fix: bool
    results: Path


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--jobs", type=int, default=2, help="processes (default: 2)")
    parser.add_argument("--batch", type=int, default=50, help="mutated files per run (50)")
    parser.add_argument("--start", type=int, default=0, help="the first case's index (0)")
    parser.add_argument("--timeout", type=float, default=60.0,
                        help="seconds before a run counts as a hang (60)")
    parser.add_argument("--slow", type=float, default=10.0,
                        help="seconds before a run counts as slow (10)")
    parser.add_argument("--no-fix", dest="fix", action="store_false",
                        help="skip the --fix runs")
    parser.add_argument("--results", type=Path,
                        default=Path(__file__).resolve().parent / "results",
                        help="where failing inputs are saved (tests/fuzz/results)")
    args = parser.parse_args(argv)
    os.nice(NICE)
    settings = Settings(args.seed, args.batch, args.timeout, args.slow, args.fix,
                        args.results / f"seed-{args.seed}")
    starts = list(range(args.start, args.start + args.cases, args.batch))
    ends = [min(s + args.batch, args.start + args.cases) for s in starts]
    print(f"uelint fuzz campaign: {args.cases} cases from {args.start}, seed {args.seed}, "
          f"{len(starts)} batches of {args.batch}, {args.jobs} job(s)", flush=True)
    began = time.perf_counter()
    results: list[BatchResult] = []
    context = get_context("fork" if sys.platform == "linux" else "spawn")
    with context.Pool(args.jobs, initializer=_quiet) as pool:
        work = [(settings, start, end) for start, end in zip(starts, ends, strict=True)]
        for done in pool.imap_unordered(_batch_star, work):
            results.append(done)
            for failure in done.failures:
                print(f"  FAIL [{failure.mode}] {failure.problem.kind}: "
                      f"{_one_line(failure.problem.detail)} <- {', '.join(failure.names)}",
                      flush=True)
            if len(results) % 10 == 0:
                cases = sum(r.cases for r in results)
                print(f"  {cases} cases, {time.perf_counter() - began:.0f} s", flush=True)
    return _summary(results, settings, time.perf_counter() - began)


def _quiet() -> None:
    """A worker: ignore ^C (the parent handles it)."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _batch_star(work: tuple[Settings, int, int]) -> BatchResult:
    return run_batch(*work)


def run_batch(settings: Settings, start: int, end: int) -> BatchResult:
    """Cases [start, end): one check run and one --fix run, failures bisected."""
    cases = [make_case(settings.seed, i) for i in range(start, end)]
    result = BatchResult(start // settings.batch, len(cases))
    with tempfile.TemporaryDirectory(prefix="uelint-fuzz-") as tmp:
        modes = ["check", "fix"] if settings.fix else ["check"]
        for mode in modes:
            runner = _runner(Path(tmp), mode, settings)
            run = runner(cases, settings.timeout)
            result.seconds[mode] = run.seconds
            result.failures.extend(_trace(run, cases, mode, runner, settings, result))
    for failure in result.failures:
        _save(failure, cases, settings)
    return result


Runner = Callable[[list[Case], float], Run]


def _runner(tmp: Path, mode: str, settings: Settings) -> Runner:
    """A function that checks a set of cases (with the control) in a fresh directory."""
    counter = iter(range(1_000_000))

    def run(cases: list[Case], timeout: float) -> Run:
        directory = tmp / f"{mode}-{next(counter)}"
        write_run(directory, cases)
        before = {p.name: p.read_bytes() for p in directory.iterdir()}
        done = run_subprocess(directory, timeout, fix=mode == "fix")
        if mode == "fix" and done.code is not None:
            for name, data in before.items():
                done.problems.extend(fix_problems(name, data, (directory / name).read_bytes()))
        # One case alone may take `slow` seconds; a batch, twice that before it is suspect
        # (a busy machine slows every run; a single slow case is what counts).
        bound = settings.slow if len(cases) == 1 else 2 * settings.slow
        if done.seconds > bound and done.code is not None:
            done.problems.append(Problem("slow", f"{done.seconds:.1f} s"))
        shutil.rmtree(directory, ignore_errors=True)
        return done

    return run


def _trace(run: Run, cases: list[Case], mode: str, runner: Runner, settings: Settings,
           result: BatchResult) -> list[Failure]:
    """The failures of `run` on `cases` (in `mode`), each traced to its culprit(s)."""
    by_name = {c.name: c for c in cases}
    failures: list[Failure] = []
    seen: set[tuple[str, str | None]] = set()
    for problem in run.problems:
        key = (problem.kind, problem.path)
        if key in seen:
            continue
        seen.add(key)
        if problem.path in by_name:  # the report names the file
            culprits = [by_name[problem.path]]
        elif problem.path is not None:  # the control
            culprits = []
        else:
            culprits = _bisect(cases, problem.kind, runner, settings)
        seconds = run.seconds
        if problem.kind in ("slow", "hang") and len(culprits) == 1:
            alone = runner(culprits, settings.timeout)
            seconds = alone.seconds
            result.slowest.append((seconds, f"[{mode}] {culprits[0].describe()}"))
            if alone.code is not None and seconds <= settings.slow:
                continue  # fast alone: the machine was busy
        elif problem.kind == "slow":
            continue  # no one case is slow: the batch is big, or the machine was busy
        failures.append(Failure(problem, mode, [(c.seed, c.index) for c in culprits],
                                [c.name for c in culprits], seconds, run.stderr[-4_000:]))
    return failures


def _bisect(cases: list[Case], kind: str, runner: Runner, settings: Settings) -> list[Case]:
    """The smallest part of `cases` (halving) that still fails with a problem of `kind`;
    all of them when the failure needs cases from both halves."""
    # A slow run only has to be seen to pass the bound: no need to wait for its end (nor
    # for a hang's: a part that runs past twice the bound is the one to follow).
    timing = kind in ("slow", "hang")
    timeout = min(settings.timeout, 2 * settings.slow) if timing else settings.timeout

    def fails(part: list[Case]) -> bool:
        done = runner(part, timeout)
        kinds = {p.kind for p in done.problems}
        return kind in kinds or (timing and bool(kinds & {"slow", "hang"}))

    while len(cases) > 1:
        half = len(cases) // 2
        if fails(cases[:half]):
            cases = cases[:half]
        elif fails(cases[half:]):
            cases = cases[half:]
        else:
            break
    return cases


def _save(failure: Failure, cases: list[Case], settings: Settings) -> None:
    """The failing inputs and a note, under results/seed-N/KIND/."""
    folder = settings.results / failure.problem.kind
    folder.mkdir(parents=True, exist_ok=True)
    by_key = {(c.seed, c.index): c for c in cases}
    culprits = [by_key[k] for k in failure.cases]
    stem = "+".join(f"{c.index:06d}" for c in culprits[:4]) or "control"
    target = folder / f"{failure.mode}-{stem}"
    target.mkdir(exist_ok=True)
    for case in culprits:
        (target / case.name).write_bytes(case.data)
    fix = " --fix" if failure.mode == "fix" else ""
    note = {
        "kind": failure.problem.kind,
        "mode": failure.mode,
        "detail": failure.problem.detail,
        "path": failure.problem.path,
        "cases": [c.describe() for c in culprits],
        "seconds": round(failure.seconds, 2),
        "stderr": failure.stderr,
        "reproduce": (f"mkdir -p /tmp/repro && cp {target}/c0* /tmp/repro && printf "
                      "'userengage(\"client.update\", { user_id: 1 });\\n' > /tmp/repro/ok.js"
                      f" && .venv/bin/uelint check --no-cache --jobs 1 --format json{fix} "
                      "/tmp/repro"),
        "rebuild": [f"python -m tests.fuzz.mutate {c.seed} {c.index} --write /tmp/repro"
                    for c in culprits],
    }
    (target / "failure.json").write_text(json.dumps(note, indent=2) + "\n")


def _summary(results: list[BatchResult], settings: Settings, seconds: float) -> int:
    failures = [f for r in results for f in r.failures]
    cases = sum(r.cases for r in results)
    runs = sum(len(r.seconds) for r in results)
    per_kind = Counter(f.problem.kind for f in failures)
    print(f"\n=== uelint fuzz campaign, seed {settings.seed} ===")
    print(f"cases:            {cases} in {len(results)} batches, {runs} runs, {seconds:.0f} s")
    labels = {"crash": "crashes (tracebacks, signals)", "hang": "hangs (timeouts)",
              "lost": "lost findings", "exit": "exit-code violations",
              "report": "report problems", "internal": "internal errors",
              "fix": "--fix violations", "slow": f"slow runs (> {settings.slow:.0f} s)"}
    for kind in KINDS:
        print(f"{labels[kind] + ':':<34}{per_kind.get(kind, 0)}")
    distinct: dict[tuple[str, str, str], list[Failure]] = defaultdict(list)
    for failure in failures:
        distinct[failure.mode, failure.problem.kind, _signature(failure.problem.detail)].append(
            failure)
    if distinct:
        print(f"\ndistinct failures: {len(distinct)}")
        for (mode, kind, signature), group in sorted(distinct.items()):
            example = group[0]
            print(f"  [{mode}] {kind} x{len(group)}: {signature}")
            print(f"      e.g. {', '.join(example.names) or 'the control'} "
                  f"(seed {settings.seed}) -> {settings.results / kind}")
    batch_times = sorted(((max(r.seconds.values(), default=0.0), r.batch) for r in results),
                         reverse=True)[:5]
    print("\nslowest batches: " + ", ".join(f"#{b} {s:.1f} s" for s, b in batch_times))
    slowest = sorted((s for r in results for s in r.slowest), reverse=True)[:10]
    if slowest:
        print("slowest cases (alone with the control):")
        for spent, what in slowest:
            print(f"  {spent:6.1f} s  {what}")
    check_times = [r.seconds["check"] for r in results if "check" in r.seconds]
    if check_times:
        print(f"mean check run: {sum(check_times) / len(check_times):.2f} s per batch of "
              f"{settings.batch}")
    print(f"failing inputs: {settings.results}" if failures else "no failures")
    return 1 if failures else 0


def _signature(detail: str) -> str:
    """A failure's detail without what varies from case to case (numbers, paths)."""
    line = re.sub(r"""b(['"]).*?(?<!\\)\1""", "b'…'", detail)  # the bytes a decoder choked on
    line = _one_line(line)
    line = re.sub(r"/tmp/\S+", "PATH", line)
    line = re.sub(r"c\d{6}_\S+", "FILE", line)
    return re.sub(r"\d+(\.\d+)?", "N", line)[:160]


def _one_line(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return lines[-1][:240] if lines else ""


if __name__ == "__main__":
    sys.exit(main())
