"""The pipeline: discover → prefilter → (cache) → analyse (adapter → IR → rules) → filter → result.

Each stage has a module of its own: scan.py (which files, and the stat index), checker.py
(one file: read, prefilter, cache, analysis.py), schedule.py (this process or workers),
linking.py (cross-file rounds), policy.py (configuration and suppressions, after the cache).
"""

from __future__ import annotations

import os
import re
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import replace
from pathlib import Path

from uelint import languages, linking, prefilter
from uelint.analysis import Analysis, analyse, read_error, unknown_language
from uelint.cache import Cache
from uelint.checker import Checker, Done, Task, Unread, display_path
from uelint.diagnostic import Diagnostic, FileError, RunResult
from uelint.discover import Exclude, SourceFile, discover
from uelint.named import Named
from uelint.policy import Filter
from uelint.rule import Rule
from uelint.scan import Scan
from uelint.schedule import Dispatch, default_jobs, stream
from uelint.source import read_file
from uelint.timing import Timings
from uelint.watched import Watched
from uelint.wrappers import DeclaredWrapper, Linker

__all__ = [
    "Analysis", "buffer_language", "check_file", "check_source", "display_path", "run",
    "run_source",
]


def run(
    paths: Sequence[Path], rules: Sequence[Rule], root: Path | None = None, *,
    project: Path | None = None, buffers: Mapping[str, bytes] | None = None,
    jobs: int | None = None, cache: Cache | None = None, timings: Timings | None = None,
    policy: Filter | None = None, exclude: Exclude | None = None,
    declared: tuple[DeclaredWrapper, ...] = (), watched: Watched | None = None,
) -> RunResult:
    """Check every file under `paths` with `rules`. Raises discover.PathError for a bad path.

    With `project` (its root), the whole project is read, so that what its files export is
    context for the files under `paths`, which alone are reported: a file gets the findings
    it gets in a run over the whole project. `buffers` stand for files on disk (by absolute
    path: an editor's unsaved buffer, standard input). `policy` applies configuration and
    suppression comments to each file's findings (none: every finding, as analysed),
    `exclude` the configured excludes, `declared` the wrappers configuration declares for
    packages outside the scan, `watched` what a file watcher reported since the last run
    (the language server's: then only the files it reported are stat-ed, see watched.py).
    """
    root = (root or Path.cwd()).resolve()
    jobs = jobs or default_jobs()
    timings = timings if timings is not None else Timings()
    buffers = buffers or {}
    named = Named(paths, buffers) if project is not None else None
    scan = Scan(root, cache, [project] if project is not None else paths, exclude, timings,
                jobs, frozenset(buffers), watched)
    checker = linking.declared(Checker(rules, root, cache, timings=timings, buffers=buffers),
                               declared)
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

    sources = scan.sources()
    # Files named in a project whose files are as a past run left them, but a few: those
    # few are checked against the exports that run's rounds found (linking.Past).
    past = linking.past(scan, named) if named is not None else None
    later: list[tuple[int, SourceFile]] = []  # pass one's other files, if the past diverges
    if past is not None:
        sources = _among(sources, past.places, later)
    stream(sources, scan.screen, dispatch, take)
    scan.close()
    timings.counts["files"] = scan.files
    linked = linking.link(scan, checker, jobs, declared, candidates, analyses, project, past)
    if linked is linking.DIVERGED:  # pass one for the others, then every round
        assert past is not None
        dispatch = Dispatch(checker, jobs)
        stream(later, scan.screen, dispatch, take)
        linked = linking.link(scan, checker, jobs, declared, candidates, analyses, project)
    elif past is not None:
        timings.counts["past"] = len(past.places)
    assert linked is not linking.DIVERGED
    timings.counts["candidates"] = len(candidates)
    checked = [(candidates[i].path if i in candidates else "", a) for i, a in analyses.items()]
    if named is None:
        checked += [("", Analysis(errors=(notice,))) for notice in scan.notices]
        return _result(root, scan.files, checked, policy)
    # Of the project's files, those a named path may be (a few named files: not a map of all).
    files = scan.places() if named.directories else scan.places_of(named.files)
    extra = named.missing(files)
    # The project's scan names what it skips by absolute path; a file named that it skipped
    # is read (and reported) on its own below, as in a run without a project.
    again = {os.path.abspath(path) for path in extra}
    checked += [("", Analysis(errors=(replace(notice, path=display_path(notice.path, root)),)))
                for notice in scan.notices if os.path.abspath(notice.path) not in again]
    shown = [(path, a) for path, a in checked if _covered(named, root, path, a)]
    checkers = [checker] if linked is None else [checker, linked]
    more, count = _extra(extra, checkers, exclude, buffers, scan.files) if extra else ([], 0)
    reported = named.count(files) + count
    timings.counts["reported"] = reported
    return _result(root, reported, shown + more, policy)


def run_source(
    data: bytes, language: str, name: Path, rules: Sequence[Rule], root: Path | None = None,
    policy: Filter | None = None,
) -> RunResult:
    """Check `data` as if it were the file `name` (standard input from an editor or a pipe)."""
    root = (root or Path.cwd()).resolve()
    path = display_path(name, root)
    return _result(root, 1, [(path, check_source(data, language, rules, path))], policy)


def buffer_language(name: Path, data: bytes) -> str | None:
    """The language of a buffer named `name`: by its suffix, else its shebang; standard
    input named `-` is JavaScript, the SDK's own language, unless its shebang says."""
    found = languages.by_suffix(name) or languages.by_shebang(data[:128])
    return found or (languages.JAVASCRIPT if str(name) == "-" else None)


def _among(files: Iterable[tuple[int, SourceFile]], places: Collection[int],
           others: list[tuple[int, SourceFile]]) -> Iterator[tuple[int, SourceFile]]:
    """The files at `places`; the `others` set aside."""
    for i, source in files:
        if i in places:
            yield i, source
        else:
            others.append((i, source))


def _covered(named: Named, root: Path, path: str, analysis: Analysis) -> bool:
    """Whether a file's analysis (or, for one that has no path, its error) is reported."""
    where = path or next((error.path for error in analysis.errors), "")
    return named.covers(os.path.join(root, where))


def _extra(paths: list[Path], checkers: list[Checker], exclude: Exclude | None,
           buffers: Mapping[str, bytes], start: int) -> tuple[list[tuple[str, Analysis]], int]:
    """The files named that the project's scan did not find (excluded from it, or outside
    it), each checked as in pass one and then, if it uses them, against the project's
    exports: with the same context, though they give the project none. And how many."""
    notices: list[FileError] = []
    unsaved = [p for p in paths if os.path.abspath(p) in buffers]
    found = [SourceFile(str(path), buffer_language(path, buffers[os.path.abspath(path)]), True)
             for path in unsaved]
    found += discover([p for p in paths if p not in unsaved], exclude, notices=notices)
    checked: list[tuple[str, Analysis]] = [("", Analysis(errors=(n,))) for n in notices]
    for i, source in enumerate(found, start):
        if source.language is None:
            checked.append(("", unknown_language(display_path(source.path, checkers[0].root))))
            continue
        outcome: Analysis | None = None
        path = ""
        for checker in checkers:
            done = checker.screen(Unread(i, source, 0), parse=True)
            if done.task is not None and done.analysis is not None and (
                outcome is None or done.analysis.parsed
            ):
                outcome, path = done.analysis, done.task.path
            elif done.task is None and done.analysis is not None and outcome is None:
                outcome = done.analysis  # a read error
        if outcome is not None:
            checked.append((path, outcome))
    return checked, len(found)


def _result(root: Path, files: int, checked: Sequence[tuple[str, Analysis]],
            policy: Filter | None) -> RunResult:
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
