"""The pipeline: discover → prefilter → (cache) → analyse (adapter → IR → rules) → filter → result.

Each stage has a module of its own: scan.py (which files, and the stat index), checker.py
(one file: read, prefilter, cache, analysis.py), schedule.py (this process or workers),
linking.py (cross-file rounds), policy.py (configuration and suppressions, after the cache).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from uelint import linking, prefilter
from uelint.analysis import Analysis, analyse, read_error, unknown_language
from uelint.cache import Cache
from uelint.checker import Checker, Done, Task, display_path
from uelint.diagnostic import Diagnostic, FileError, RunResult
from uelint.discover import Exclude, SourceFile
from uelint.policy import Policy
from uelint.rule import Rule
from uelint.scan import Scan
from uelint.schedule import Dispatch, default_jobs, stream
from uelint.source import read_file
from uelint.timing import Timings
from uelint.wrappers import DeclaredWrapper, Linker

__all__ = ["Analysis", "check_file", "check_source", "display_path", "run", "run_source"]


def run(
    paths: Sequence[Path], rules: Sequence[Rule], root: Path | None = None, *,
    jobs: int | None = None, cache: Cache | None = None, timings: Timings | None = None,
    policy: Policy | None = None, exclude: Exclude | None = None,
    declared: tuple[DeclaredWrapper, ...] = (),
) -> RunResult:
    """Check every file under `paths` with `rules`. Raises discover.PathError for a bad path.

    `policy` applies configuration and suppression comments to each file's findings (none:
    every finding, as analysed), `exclude` the configured excludes, `declared` the wrappers
    configuration declares for packages outside the scan.
    """
    root = (root or Path.cwd()).resolve()
    jobs = jobs or default_jobs()
    timings = timings if timings is not None else Timings()
    scan = Scan(root, cache, paths, exclude, timings, jobs)
    checker = linking.declared(Checker(rules, root, cache, timings=timings), declared)
    candidates: dict[int, Task] = {}  # by discovery index
    analyses: dict[int, Analysis] = {}  # only files with something to say
    dispatch = Dispatch(checker, jobs)

    def take(done: Done) -> None:
        if done.task is not None:
            candidates[done.index] = done.task
        if done.analysis is not None:
            analyses[done.index] = done.analysis
        elif done.task is not None:
            dispatch.add(done.task)
        if done.digest is not None:
            scan.record(done.index, done.digest)

    stream(scan.sources(), scan.screen, dispatch, take)
    scan.close()
    timings.counts["files"] = scan.files
    timings.counts["candidates"] = len(candidates)
    linking.link(scan, checker, jobs, declared, candidates, analyses)
    checked = [(candidates[i].path if i in candidates else "", a) for i, a in analyses.items()]
    checked += [("", Analysis(errors=(notice,))) for notice in scan.notices]
    return _result(root, scan.files, checked, policy)


def run_source(
    data: bytes, language: str, name: Path, rules: Sequence[Rule], root: Path | None = None,
    policy: Policy | None = None,
) -> RunResult:
    """Check `data` as if it were the file `name` (standard input from an editor or a pipe)."""
    root = (root or Path.cwd()).resolve()
    path = display_path(name, root)
    return _result(root, 1, [(path, check_source(data, language, rules, path))], policy)


def _result(root: Path, files: int, checked: Sequence[tuple[str, Analysis]],
            policy: Policy | None) -> RunResult:
    """The run's findings: each file's analysis (by its path) through the policy."""
    found: set[Diagnostic] = set()
    errors: list[FileError] = []
    for path, analysis in checked:
        found.update(analysis.diagnostics if policy is None else policy.apply(path, analysis))
        errors += analysis.errors
    return RunResult(
        diagnostics=tuple(sorted(found, key=lambda d: d.sort_key)),
        errors=tuple(sorted(errors, key=lambda e: (e.path, e.span.start_byte if e.span else -1))),
        files_checked=files,
        files_parsed=sum(analysis.parsed for _, analysis in checked),
        root=str(root),
    )


def check_file(
    source: SourceFile, rules: Sequence[Rule], path: str,
    linker: Linker | None = None, names: re.Pattern[bytes] | None = None,
) -> Analysis:
    """Analyse one file. Never raises: every problem becomes a FileError."""
    if source.language is None:
        return unknown_language(path)
    try:
        data = read_file(source.path)
    except OSError as exc:
        return read_error(path, exc)
    return check_source(data, source.language, rules, path, linker, names)


def check_source(
    data: bytes, language: str, rules: Sequence[Rule], path: str,
    linker: Linker | None = None, names: re.Pattern[bytes] | None = None,
) -> Analysis:
    """Analyse the contents of one file (read from disk, or standard input), prefilter
    first. Never raises. `linker` resolves imports from other files of the scan; `names`
    (the names they export) lets a file through that calls such a wrapper without naming
    the SDK."""
    if not prefilter.is_candidate(data) and (names is None or not names.search(data)):
        return Analysis()
    return analyse(data, language, path, rules, linker)
