"""uelint against Semgrep, ESLint and grep, side by side in one run, on ~25,000 real files.

    python bench/run.py            # install once (npm, PyPI), build the corpus, measure, print
    python bench/run.py --record   # ... and write bench/RESULTS.md
    python bench/run.py --quick    # uelint and grep only (no Semgrep, no ESLint)

The corpus is the source files of pinned npm packages (with their dependencies) and Python
packages, with a seeded set of `client.update` calls carrying `user_id` injected (bench/corpus.py).
Every tool reads the same files: the corpus holds nothing else, and each tool is told not to
skip any of it. Each tool must find every injected call (ESLint: those in JavaScript files).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import corpus
from measure import Measured, measure

HERE = Path(__file__).resolve().parent
UELINT = [sys.executable, "-m", "uelint", "check"]
ONE_FILE = 'function save(user) {\n  userengage("client.update", { user_id: user.id });\n}\n'


@dataclass(frozen=True)
class Result:
    name: str
    run: Measured
    found: set[tuple[str, int]]  # (path, line) of each finding, or (path, 0) for grep
    expected: set[tuple[str, int]]
    note: str = ""

    @property
    def complete(self) -> bool:
        return self.expected <= self.found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="uelint and grep only")
    parser.add_argument("--repeat", type=int, default=3,
                        help="runs of each fast command; the median counts (default 3)")
    parser.add_argument("--record", action="store_true", help="write bench/RESULTS.md")
    args = parser.parse_args()

    corpus.install()
    from uelint.discover import SKIPPED_DIRS

    injected = {(i.path, i.line) for i in corpus.build(SKIPPED_DIRS)}
    scratch = Path(tempfile.mkdtemp(prefix="uelint-bench-"))
    try:
        lines = _whole_corpus(injected, scratch, args.repeat, args.quick)
        lines += _all_candidates(args.repeat)
        lines += _one_file(scratch, max(args.repeat, 10))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    report = "\n".join([_machine(), "", *lines]) + "\n"
    print(report)
    if args.record:
        _record(report)


def _whole_corpus(
    injected: set[tuple[str, int]], scratch: Path, repeat: int, quick: bool
) -> list[str]:
    files = [p for p in corpus.CORPUS.rglob("*") if p.is_file() and ".git" not in p.parts]
    files = [p for p in files if p.name != ".semgrepignore"]
    megabytes = sum(p.stat().st_size for p in files) / 1e6
    javascript = {(p, line) for p, line in injected if p.endswith(corpus.ESLINT_SUFFIXES)}
    python_files = sum(1 for p in files if p.relative_to(corpus.CORPUS).parts[0] == "pypi")
    cache_dir = scratch / "cache"
    warm_env = {**os.environ, "UELINT_CACHE_DIR": str(cache_dir)}

    def uelint(
        *flags: str, env: dict[str, str] | None = None, under: str = ""
    ) -> Callable[[], Result]:
        def run() -> Result:
            out = scratch / "uelint.json"
            done = measure([*UELINT, under or ".", "--format", "json", "-o", str(out), *flags],
                           corpus.CORPUS, env)
            findings = json.loads(out.read_text())["findings"]
            found = {(f["path"], f["line"]) for f in findings if f["rule"] == "UE001"}
            return Result("", done, found, {(p, n) for p, n in injected if p.startswith(under)})
        return run

    def unindexed() -> Result:  # a warm run that hashes every file instead of trusting stat
        shutil.rmtree(cache_dir / "index", ignore_errors=True)
        return uelint(env=warm_env)()

    def grep() -> Result:
        done = measure(["grep", "-rlF", "--exclude-dir=.git", "userengage", "."], corpus.CORPUS)
        found = {(line.removeprefix("./"), 0) for line in done.stdout.splitlines()}
        return Result("", done, found, {(p, 0) for p, _ in injected})

    scenarios: list[tuple[str, Callable[[], Result], int]] = [
        ("grep -rlF userengage (floor)", grep, repeat),
        ("uelint cold (--no-cache, --jobs 2)", uelint("--no-cache", "--jobs", "2"), repeat),
        ("uelint cold (--no-cache, --jobs 1)", uelint("--no-cache", "--jobs", "1"), repeat),
        ("uelint cold (--no-cache, default jobs)", uelint("--no-cache"), repeat),
        # Another process keeps one core busy: the default must not be slower than one job.
        ("busy machine: uelint cold (--no-cache, --jobs 2)",
         _busy(uelint("--no-cache", "--jobs", "2")), repeat),
        ("busy machine: uelint cold (--no-cache, --jobs 1)",
         _busy(uelint("--no-cache", "--jobs", "1")), repeat),
        ("busy machine: uelint cold (--no-cache, default jobs)",
         _busy(uelint("--no-cache")), repeat),
        ("uelint first run, writing the cache", uelint(env=warm_env), 1),
        ("uelint warm (cache and stat index)", uelint(env=warm_env), repeat),
        ("uelint warm, index deleted (hashes files)", unindexed, repeat),
        # Peak memory against the number of files: a fifth of them, the same Python candidates.
        (f"uelint cold on pypi/ only ({python_files:,} Python files)",
         uelint("--no-cache", "--jobs", "2", under="pypi/"), repeat),
        # The part ESLint reads (and TypeScript), without the Python candidates' libcst.
        (f"uelint cold on npm/ only ({len(files) - python_files:,} JS/TS files)",
         uelint("--no-cache", "--jobs", "2", under="npm/"), repeat),
    ]
    if not quick:
        scenarios += [
            ("Semgrep (2 jobs)", lambda: _semgrep(scratch, injected), 1),
            ("ESLint (JavaScript only, 2 threads)", lambda: _eslint(scratch, javascript), 1),
        ]
    results = []
    for name, scenario, times in scenarios:
        print(f"... {name}", file=sys.stderr)
        runs = [scenario() for _ in range(times)]
        middle = sorted(runs, key=lambda r: r.run.wall)[len(runs) // 2]
        results.append(replace(middle, name=name + (f" (median of {times})" if times > 1 else "")))
    base = next(r for r in results if r.name.startswith("uelint cold (--no-cache, --jobs 2)"))
    rows = [
        (f"## Whole corpus: {len(files):,} files, {megabytes:.0f} MB, {len(injected)} injected "
         f"calls ({len(javascript)} in JavaScript files)"),
        "",
        ("| tool | wall s | CPU s | peak RSS, largest process MB | peak PSS, whole tree MB "
         "| wall / uelint cold | found every injected call | notes |"),
        "|---|---:|---:|---:|---:|---:|---|---|",
    ]
    for r in results:
        rows.append(
            f"| {r.name} | {r.run.wall:.2f} | {r.run.cpu:.2f} | {r.run.max_rss_mb:.0f} "
            f"| {r.run.tree_pss_mb:.0f} | {r.run.wall / base.run.wall:.2f}x "
            f"| {_completeness(r)} "
            f"| {r.note or f'{len(r.found)} found'} |"
        )
    return rows + [""]


def _busy(scenario: Callable[[], Result]) -> Callable[[], Result]:
    """`scenario` while another process spins on one core (started a few seconds before, so
    that the load average sees it, as it sees a real neighbour)."""
    def run() -> Result:
        spinner = subprocess.Popen([sys.executable, "-c", "while True: pass"])
        try:
            time.sleep(5)
            return scenario()
        finally:
            spinner.kill()
            spinner.wait()
    return run


def _completeness(result: Result) -> str:
    if result.complete:
        return "yes"
    return "NO, missed: " + ", ".join(sorted(path for path, _ in result.expected - result.found))


def _semgrep(scratch: Path, injected: set[tuple[str, int]]) -> Result:
    out = scratch / "semgrep.json"
    done = measure([str(corpus.semgrep_bin()), "scan", "--config", str(HERE / "semgrep.yml"),
                    "--json", "--output", str(out), "--metrics", "off", "--disable-version-check",
                    "--no-git-ignore", "--max-target-bytes", "0", "--jobs", "2", "--quiet", "."],
                   corpus.CORPUS)
    report = json.loads(out.read_text())
    found = {(r["path"].removeprefix("./"), r["start"]["line"]) for r in report["results"]}
    scanned = len(report.get("paths", {}).get("scanned", []))
    errors = len(report["errors"])
    note = f"{len(found)} found; {scanned:,} files scanned; {errors} errors (parse, timeout)"
    return Result("", done, found, injected, note)


def _eslint(scratch: Path, injected: set[tuple[str, int]]) -> Result:
    out = scratch / "eslint.json"
    done = measure([str(corpus.eslint_bin()), "-c", str(HERE / "eslint.config.mjs"),
                    "--no-inline-config", "--no-warn-ignored", "--concurrency", "2",
                    "--format", "json", "-o", str(out), "."], corpus.CORPUS)
    report = json.loads(out.read_text())
    found, fatal = set(), 0
    for entry in report:
        path = Path(entry["filePath"]).relative_to(corpus.CORPUS).as_posix()
        for message in entry["messages"]:
            if message.get("fatal"):
                fatal += 1
            elif message.get("ruleId") == "no-restricted-syntax":
                found.add((path, message["line"]))
    note = f"{len(found)} found; {len(report):,} files linted; {fatal} files it could not parse"
    return Result("", done, found, injected, note)


def _all_candidates(repeat: int) -> list[str]:
    """Throughput where every file must be parsed, against bare tree-sitter parsing."""
    files = [p for p in corpus.CANDIDATES.rglob("*") if p.suffix in corpus.JS_SUFFIXES]
    megabytes = sum(p.stat().st_size for p in files) / 1e6
    bare = [sys.executable, str(HERE / "parse_only.py"), str(corpus.CANDIDATES)]
    scenarios = [
        ("bare tree-sitter parse, 1 process", bare),
        ("uelint --no-cache --jobs 1", [*UELINT, ".", "--no-cache", "--jobs", "1", "--statistics"]),
        ("uelint --no-cache --jobs 2", [*UELINT, ".", "--no-cache", "--jobs", "2", "--statistics"]),
    ]
    measured: dict[str, Measured] = {}
    for _ in range(repeat):  # interleaved, so that noise hits each alike
        for name, command in scenarios:
            print(f"... {name}", file=sys.stderr)
            run = measure(command, corpus.CANDIDATES)
            if name not in measured or run.wall < measured[name].wall:
                measured[name] = run
    parse = measured["bare tree-sitter parse, 1 process"]
    one = measured["uelint --no-cache --jobs 1"]
    rows = [
        (f"## Every file a candidate: {len(files):,} JS/TS files, {megabytes:.1f} MB "
         f"(best of {repeat}, interleaved)"),
        "",
        "| command | wall s | CPU s | MB/s | vs bare parse | peak PSS, whole tree MB |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name, run in measured.items():
        rows.append(f"| {name} | {run.wall:.2f} | {run.cpu:.2f} | {megabytes / run.wall:.2f} "
                    f"| {parse.wall / run.wall:.0%} | {run.tree_pss_mb:.0f} |")
    two = measured["uelint --no-cache --jobs 2"]
    rows += ["", f"Speed-up with --jobs 2: {one.wall / two.wall:.2f}x.", ""]
    return rows


def _one_file(scratch: Path, repeat: int) -> list[str]:
    project = scratch / "one"
    project.mkdir()
    (project / "save.js").write_text(ONE_FILE)
    scenarios = {
        "python -c pass (interpreter start)": [sys.executable, "-c", "pass"],
        "uelint check save.js": [*UELINT, "save.js"],
        "uelint check --no-cache save.js": [*UELINT, "--no-cache", "save.js"],
    }
    walls: dict[str, list[float]] = {name: [] for name in scenarios}
    rss: dict[str, float] = {}
    for _ in range(repeat):
        for name, command in scenarios.items():
            run = measure(command, project)
            walls[name].append(run.wall)
            rss[name] = run.max_rss_mb
    rows = [f"## One small JavaScript file (median of {repeat}, interleaved)", "",
            "| command | wall ms | peak RSS MB |", "|---|---:|---:|"]
    rows += [f"| {name} | {statistics.median(w) * 1000:.0f} | {rss[name]:.0f} |"
             for name, w in walls.items()]
    return rows + [""]


def _machine() -> str:
    cpuinfo = Path("/proc/cpuinfo").read_text().splitlines()
    cpu = next((line.split(":", 1)[1].strip() for line in cpuinfo if line.startswith("model name")),
               platform.processor())
    memory = next(line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines()
                  if line.startswith("MemTotal"))
    versions = {
        "uelint": _version([*UELINT[:-1], "--version"]).removeprefix("uelint "),
        "Python": platform.python_version(),
        "Semgrep": _version([str(corpus.semgrep_bin()), "--version", "--disable-version-check"]),
        "ESLint": _version([str(corpus.eslint_bin()), "--version"]),
        "Node.js": _version(["node", "--version"]),
        "GNU grep": _version(["grep", "--version"]).splitlines()[0].split()[-1],
    }
    return "\n".join([
        "# Benchmark results",
        "",
        (f"Machine: {os.cpu_count()} cores ({cpu}), {int(memory) / 1024**2:.1f} GiB RAM, "
         f"{platform.system()} {platform.release()}; shared with other workloads, so each figure "
         "comes from one run of `python bench/run.py` with every tool side by side."),
        "",
        "Versions: " + ", ".join(f"{name} {version}" for name, version in versions.items()) + ".",
    ])


def _version(command: list[str]) -> str:
    try:
        return subprocess.run(command, capture_output=True, text=True, check=False,
                              timeout=60).stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        return "unknown"


def _record(report: str) -> None:
    path = HERE / "RESULTS.md"
    notes = ""
    if path.exists():  # keep the hand-written analysis below the figures
        _, marker, notes = path.read_text().partition("\n## Notes")
        notes = marker + notes if marker else ""
    path.write_text(report + notes)


if __name__ == "__main__":
    main()
