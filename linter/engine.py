"""The pipeline: discover → prefilter → (cache) → parse (adapter → IR) → rules → result."""

from __future__ import annotations

import hashlib
import os
import posixpath
import re
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from itertools import count
from pathlib import Path

from uelint import fingerprints, parallel, prefilter
from uelint.adapters import adapter_for
from uelint.cache import (
    NOT_A_CANDIDATE,
    Cache,
    Table,
    content_digest,
    entry_key,
    scan_digest,
)
from uelint.diagnostic import Diagnostic, FileError, Related, RunResult, Snippet
from uelint.discover import Exclude, Signature, SourceFile, Watch, discover, signature
from uelint.ir import ParsedFile, Span
from uelint.languages import PYTHON, SUFFIXES
from uelint.outcome import FileOutcome
from uelint.policy import Policy
from uelint.rule import Rule
from uelint.source import SourceText, read_file
from uelint.timing import Timings
from uelint.wrappers import DeclaredWrapper, Linker, ModuleExports

__all__ = ["FileOutcome", "check_file", "check_source", "display_path", "run", "run_source"]


# Rounds of cross-file indexing: a wrapper of an imported wrapper needs one more round.
_LINK_ROUNDS = 4
# Parsing cost per byte, relative to tree-sitter's: libcst parses ~10x slower (stack-facts.md).
# It decides whether a pool pays off, and how work is cut into chunks.
_COST_PER_BYTE = {PYTHON: 10}
# What a worker is sent at a time: small enough to even out the load, large enough to keep
# the pickling of tasks and outcomes cheap.
_CHUNK_COST = 250_000
# Reading and searching files in workers pays off once this process has read this much
# itself (about 0.05 s of it): a pre-commit batch never gets there.
_SCREEN_IN_POOL_BYTES = 16_000_000
_UNREAD_COST = 200  # the least a file to read counts for, when its size is not known
# A file to read may turn out to be a candidate, and cost 50 times more: a chunk of many
# unread files could leave one worker with most of the parsing (2,000 candidates made two
# chunks of 1,250 and 750 files).
_CHUNK_FILES = 100


@dataclass(frozen=True, slots=True)
class Task:
    """A file to parse: a candidate of the prefilter, or one that names another file's export."""

    index: int  # its place in discovery order
    file: str
    language: str
    path: str  # as reported
    size: int


@dataclass(frozen=True, slots=True)
class Unread:
    """A file whose content is not known yet: to read, screen and (in a worker) check."""

    index: int
    source: SourceFile
    size: int  # from its stat signature; 0 when not stat-ed


# What became of a file: its task if it is a candidate, its outcome if known, and its
# content digest (or NOT_A_CANDIDATE) for the cache's index.
Done = tuple[int, Task | None, FileOutcome | None, str | None]


@dataclass
class Checker:
    """Screens and checks files, in this process or a worker: all a worker needs, in one object."""

    rules: Sequence[Rule]
    root: Path
    cache: Cache | None = None
    linker: Linker | None = None
    names: re.Pattern[bytes] | None = None  # what a file must mention to use the linker
    exports: str | None = None  # the digest of the linker's exports, for cache keys
    timings: Timings = field(default_factory=Timings)
    policy: Policy | None = None  # configuration and suppression comments
    # In a cross-file round: the files to check are those that mention `names` (this cheaper
    # pattern first), whether or not they name the SDK.
    quick: prefilter.Words | None = None

    def screen(self, item: Unread, parse: bool) -> Done:
        """Read a file and rule it out on its bytes, or find its outcome in the cache, or
        (when `parse`) check it."""
        source, clock = item.source, self.timings.seconds
        start = time.perf_counter()
        try:
            data = read_file(source.path)
        except OSError as exc:
            return item.index, None, _read_error(display_path(source.path, self.root), exc), None
        read = time.perf_counter()
        clock["read"] += read - start
        self.timings.counts["bytes"] += len(data)
        if self.quick is not None:
            candidate = bool(self.quick(data) and self.names and self.names.search(data))
        else:
            candidate = prefilter.is_candidate(data) or bool(self.names and self.names.search(data))
        searched = time.perf_counter()
        clock["prefilter"] += searched - read
        if self.cache is None:
            digest = None
        else:
            digest = content_digest(data) if candidate else NOT_A_CANDIDATE
        if not candidate:
            return item.index, None, None, digest
        assert source.language is not None  # the stat index's screen rules the others out
        path = display_path(source.path, self.root)
        task = Task(item.index, source.path, source.language, path, len(data))
        key = None
        if self.cache is not None and digest is not None:
            key = entry_key(digest, path, self.cache.settings, self.exports)
        return item.index, task, self._check(data, task, key, parse), digest

    def check(self, task: Task) -> FileOutcome:
        start = time.perf_counter()
        try:
            data = read_file(task.file)
        except OSError as exc:
            return _read_error(task.path, exc)
        self.timings.seconds["read"] += time.perf_counter() - start
        key = None
        if self.cache is not None:
            key = entry_key(content_digest(data), task.path, self.cache.settings, self.exports)
        outcome = self._check(data, task, key, parse=True)
        assert outcome is not None
        return outcome

    def _check(self, data: bytes, task: Task, key: str | None, parse: bool) -> FileOutcome | None:
        """The cached outcome under `key`, else (when `parse`) a fresh one, cached."""
        clock = self.timings.seconds
        if key is not None and self.cache is not None:
            start = time.perf_counter()
            outcome = self.cache.get(key)
            clock["cache"] += time.perf_counter() - start
            if outcome is not None:
                self.timings.counts["cached"] += 1
                return outcome
        if not parse:
            return None
        outcome = _check_screened(data, task.language, self.rules, task.path, self.linker,
                                  self.timings, self.policy)
        # Not a crash: it may depend on this process (its stack, its memory); try again.
        if key is not None and self.cache is not None and outcome.parsed and not any(
            e.kind == "internal" for e in outcome.errors
        ):
            start = time.perf_counter()
            self.cache.put(key, outcome)
            clock["cache"] += time.perf_counter() - start
        return outcome

    def work(self, items: list[Task | Unread]) -> tuple[list[Done], Timings]:
        """A worker's chunk: what became of each file with something to tell, and the time
        it took."""
        self.timings = Timings()
        done: list[Done] = []
        for item in items:
            if isinstance(item, Task):
                done.append((item.index, item, self.check(item), None))
            else:
                result = self.screen(item, parse=True)
                if any(part is not None for part in result[1:]):
                    done.append(result)
        return done, self.timings


def _cost(item: Task | Unread) -> int:
    if isinstance(item, Unread):  # reading and searching costs ~1/50 of parsing
        return max(item.size // 50, _UNREAD_COST)
    return item.size * _COST_PER_BYTE.get(item.language, 1)


class _Dispatch:
    """Sends work to worker processes once there is enough of it to pay for them: files to
    parse (their cost in parse-bytes) or files to read (once this process has read many).
    Until then everything happens here, as for a pre-commit batch."""

    def __init__(self, checker: Checker, jobs: int) -> None:
        self.checker = checker
        self.jobs = jobs
        self.pending: list[Task | Unread] = []
        self.pending_cost = 0
        self.parse_cost = 0  # of the tasks seen so far
        self.pool: parallel.Pool[Task | Unread, tuple[list[Done], Timings]] | None = None

    @property
    def pooled(self) -> bool:
        return self.pool is not None

    def add(self, item: Task | Unread) -> None:
        self.pending.append(item)
        self.pending_cost += _cost(item)
        if isinstance(item, Task):
            self.parse_cost += _cost(item)
        self.consider_pool()
        if self.pool is not None and (
            self.pending_cost >= _CHUNK_COST or len(self.pending) >= _CHUNK_FILES
        ):
            self._submit()

    def consider_pool(self) -> None:
        """Start the workers if what is known to come is worth them."""
        read = self.checker.timings.counts["bytes"]  # by this process, so far
        if self.pool is None and (
            parallel.worth_a_pool(self.jobs, len(self.pending), self.parse_cost)
            or (self.jobs > 1 and read >= _SCREEN_IN_POOL_BYTES)
        ):
            # The workers will search many files: load the one-pass search here, once, rather
            # than in each of them (forked, they share it).
            for words in (prefilter.is_candidate, self.checker.quick):
                if words is not None:
                    words.prepare()
            self.pool = parallel.Pool(self.checker.work, self.jobs)
            self.checker.timings.workers = max(self.checker.timings.workers, self.jobs)

    def _submit(self) -> None:
        assert self.pool is not None
        costs = [_cost(item) for item in self.pending]
        for chunk in parallel.chunked(self.pending, costs, _CHUNK_COST):
            self.pool.submit(chunk)
        self.pending, self.pending_cost = [], 0

    def finish(self) -> list[Done]:
        done: list[Done] = []
        if self.pool is None:
            return [(t.index, t, self.checker.check(t), None) for t in self.pending
                    if isinstance(t, Task)]
        self._submit()
        for chunk, result in self.pool.results():
            if result is None:  # its worker died (in a native parser): blame its candidates
                done += [self._crashed(item) for item in chunk]
                continue
            found, timings = result
            done += found
            self.checker.timings.add(timings)
        return done

    def _crashed(self, item: Task | Unread) -> Done:
        if isinstance(item, Unread):
            index, task, outcome, _ = self.checker.screen(item, parse=False)
            if task is None or outcome is not None:
                return index, task, outcome, None
            item = task
        return item.index, item, _crashed(item.path), None


def run(
    paths: Sequence[Path], rules: Sequence[Rule], root: Path | None = None, *,
    jobs: int | None = None, cache: Cache | None = None, timings: Timings | None = None,
    policy: Policy | None = None, exclude: Exclude | None = None,
    declared: tuple[DeclaredWrapper, ...] = (),
) -> RunResult:
    """Check every file under `paths` with `rules`. Raises discover.PathError for a bad path.

    `policy` applies configuration and suppression comments to each file's findings,
    `exclude` the configured excludes, `declared` the wrappers configuration declares for
    packages outside the scan.

    Pass one streams the files through the prefilter (and the cache) and parses the
    candidates as they come: in this process for a small input, in `jobs` worker processes
    as soon as there is enough to read or parse to pay for them. It collects what each file
    exports (wrappers of the SDK, string constants). Only when some file exports something
    do the files that may use it (they name an export or its module) get checked again,
    with a `Linker` over the exports, until the exports stop changing. Most repositories
    need pass one only.
    """
    root = (root or Path.cwd()).resolve()
    jobs = jobs or parallel.default_jobs()
    timings = timings if timings is not None else Timings()
    index = _StatIndex(root, cache, paths, exclude, timings, jobs)
    checker = Checker(rules, root, cache, timings=timings, policy=policy)
    if declared:  # calls to them can be anywhere: check every file that names one
        checker.linker = Linker({}, declared)
        checker.names = _words({part for d in declared for part in d.name.split(".")})
    dispatch = _Dispatch(checker, jobs)
    candidates: dict[int, Task] = {}  # by discovery index
    outcomes: dict[int, FileOutcome] = {}  # only files with something to say

    def take(done: Done) -> None:
        i, task, outcome, digest = done
        if task is not None:
            candidates[i] = task
        if outcome is not None:
            outcomes[i] = outcome
        elif task is not None:
            dispatch.add(task)
        if digest is not None:
            index.record(i, digest)

    _stream(index.sources(), index.screen, dispatch, take)
    index.close()
    timings.counts["files"] = index.files
    timings.counts["candidates"] = len(candidates)

    exports = _exports(candidates, outcomes)
    for _ in range(_LINK_ROUNDS):
        if not any(module.names for module in exports.values()):
            break  # nothing, or only re-exports: nothing that a file could call through them
        linker = Linker(exports, declared)
        words, quick = _linkable(linker)
        linked = Checker(rules, root, cache, linker, words, _digest(exports), timings, policy,
                         quick)
        round_dispatch = _Dispatch(linked, jobs)

        def relink(done: Done, dispatch: _Dispatch = round_dispatch) -> None:
            i, task, outcome, _ = done
            if task is not None and outcome is None:
                dispatch.add(task)
            elif task is not None and outcome is not None and outcome.parsed:
                timings.counts["linked"] += 1
                outcomes[i], candidates[i] = outcome, task

        # Every file again (those that may import are not known before): read and searched
        # in the workers too when there are many.
        _stream(index.found(), _unread, round_dispatch, relink)
        updated = _exports(candidates, outcomes)
        if updated == exports:
            break
        exports = updated

    diagnostics = {d for outcome in outcomes.values() for d in outcome.diagnostics}
    errors = [e for outcome in outcomes.values() for e in outcome.errors]
    return RunResult(
        diagnostics=tuple(sorted(diagnostics, key=lambda d: d.sort_key)),
        errors=tuple(sorted(errors, key=lambda e: (e.path, e.span.start_byte if e.span else -1))),
        files_checked=index.files,
        files_parsed=sum(outcome.parsed for outcome in outcomes.values()),
        root=str(root),
    )


class _StatIndex:
    """Pass one's first look, in this process: what a file's stat signature says its content
    was (see cache.Index), so that an unchanged file is not even read."""

    def __init__(self, root: Path, cache: Cache | None, paths: Sequence[Path],
                 exclude: Exclude | None, timings: Timings, jobs: int) -> None:
        self.root = root
        self.cache = cache
        # For a scan of directories: a pre-commit batch (files) is read faster than an index.
        tree = cache is not None and any(path.is_dir() for path in paths)
        scan = scan_digest(Path.cwd(), paths, exclude)
        self.index = cache.load_index(scan) if cache and tree else None
        self.paths, self.exclude = list(paths), exclude
        self.timings = timings
        self.jobs = jobs
        self.now_ns = time.time_ns()
        self.unread: dict[int, tuple[str, Signature]] = {}  # files to record once screened
        self.walked: list[SourceFile] = []  # by a walk, in order
        self.listed: Table | None = None  # or the index's, when it stands for a walk
        self.watch = Watch() if self.index is not None else None  # of a new walk, to list it

    @property
    def files(self) -> int:
        return len(self.listed.paths) if self.listed is not None else len(self.walked)

    def found(self) -> Iterator[tuple[int, SourceFile]]:
        """Every file, in order: what later rounds go through."""
        if self.listed is not None:
            return ((i, self.listed.source(i)) for i in range(len(self.listed.paths)))
        return enumerate(self.walked)

    def sources(self) -> Iterator[tuple[int, SourceFile]]:
        """The files to screen, with their places in discovery order: those a walk finds, or,
        while what it depends on is unchanged, those of the index's table, less the files it
        says are unchanged and not candidates (no walk, and one stat per file)."""
        start = time.perf_counter()
        look = self.index.to_look_at(self.jobs) if self.index is not None else None
        self.timings.seconds["cache"] += time.perf_counter() - start
        if look is None:
            return self._walked(discover(self.paths, self.exclude, self.watch))
        assert self.index is not None and self.index.table is not None
        self.listed, self.watch = self.index.table, None
        self.timings.counts["listed"] = 1
        return ((i, self.listed.source(i)) for i in look)

    def _walked(self, sources: Iterator[SourceFile]) -> Iterator[tuple[int, SourceFile]]:
        clock = self.timings.seconds
        for i in count():
            start = time.perf_counter()
            source = next(sources, None)
            clock["discovery"] += time.perf_counter() - start
            if source is None:
                return
            self.walked.append(source)
            yield i, source

    def screen(self, i: int, source: SourceFile) -> Done | Unread:
        """What is known of the file without reading it, or an Unread."""
        if source.language is None:
            return i, None, _unknown_language(display_path(source.path, self.root)), None
        if self.index is None or self.cache is None:
            return Unread(i, source, 0)
        start = time.perf_counter()
        try:
            sig = signature(source.path)
        except OSError:
            return Unread(i, source, 0)  # reported when it is read
        key = str(source.path)
        digest = self.index.lookup(key, sig)
        done: Done | None = None
        if digest == NOT_A_CANDIDATE:
            done = i, None, None, None
        elif digest is not None:
            path = display_path(source.path, self.root)
            cached = self.cache.get(entry_key(digest, path, self.cache.settings))
            if cached is not None:
                self.timings.counts["cached"] += 1
                task = Task(i, source.path, source.language or "", path, sig[0])
                done = i, task, cached, None
        self.timings.seconds["cache"] += time.perf_counter() - start
        if done is not None:
            return done
        self.unread[i] = (key, sig)
        return Unread(i, source, sig[0])

    def record(self, i: int, digest: str) -> None:
        found = self.unread.pop(i, None)
        if found is not None and self.index is not None:
            self.index.record(*found, digest, self.now_ns)

    def close(self) -> None:
        if self.cache is None or self.index is None:
            return
        self.cache.save_index(self.index, self.walked, self.watch, self.now_ns)


def _linkable(linker: Linker) -> tuple[re.Pattern[bytes], prefilter.Words]:
    """What a file must mention to use another file's exports: an export's name (a named
    import), or the module's (a default or namespace import, a require): its file name, or
    for an index module its directory's, after a `/` in JavaScript, where only relative
    specifiers name files of the scan. Files that mention none are not checked again.

    Two searches: the exact pattern, and the words alone (prefilter.Words: all in one pass),
    which rule most files out many times faster (a lookbehind at every position costs)."""
    modules = _leading_to_names(linker)
    names = {name for path in modules for name in linker.exports[path].names if name != "default"}
    javascript: set[str] = set()
    for path in modules:
        directory, name = posixpath.split(path)
        stem = name.split(".", 1)[0]
        word = posixpath.basename(directory) if stem in ("index", "__init__") else stem
        (names if path.endswith((".py", ".pyi")) else javascript).add(word)
    names, javascript = names - {""}, javascript - {""}
    alternatives = []
    if names:
        alternatives.append(rb"(?<![\w$])(?:" + _either(names) + rb")(?![\w$])")
    if javascript:
        alternatives.append(rb"/(?:" + _either(javascript) + rb")(?![\w$])")
    return re.compile(b"|".join(alternatives)), prefilter.Words(
        word.encode() for word in sorted(names | javascript))


def _leading_to_names(linker: Linker) -> set[str]:
    """The modules that export something callable, or re-export (maybe in turn) from one."""
    found = {path for path, module in linker.exports.items() if module.names}
    grown = True
    while grown:
        grown = False
        for path, module in linker.exports.items():
            if path not in found and any(
                linker.module_path(path, specifier) in found for specifier, _, _ in module.reexports
            ):
                found.add(path)
                grown = True
    return found


def _either(words: set[str]) -> bytes:
    return b"|".join(re.escape(w.encode()) for w in sorted(words, key=len, reverse=True))


def _stream(
    files: Iterable[tuple[int, SourceFile]], known: Callable[[int, SourceFile], Done | Unread],
    dispatch: _Dispatch, take: Callable[[Done], None],
) -> None:
    """Screen each file as it is found (`known` first says what is known without reading it),
    in this process or, once that is worth it, in the workers; `take` what became of each."""
    for i, source in files:
        item = known(i, source)
        if not isinstance(item, Unread):
            take(item)
        elif dispatch.pooled:
            dispatch.add(item)
        else:  # with one job, nothing to wait for: a candidate is checked as it is read
            take(dispatch.checker.screen(item, parse=dispatch.jobs == 1))
            dispatch.consider_pool()
    for done in dispatch.finish():
        take(done)  # tasks come back with their outcomes: nothing more is dispatched


def _unread(i: int, source: SourceFile) -> Done | Unread:
    return Unread(i, source, 0) if source.language is not None else (i, None, None, None)


def _exports(
    candidates: dict[int, Task], outcomes: dict[int, FileOutcome]
) -> dict[str, ModuleExports]:
    return {
        candidates[i].path: outcome.exports
        for i, outcome in sorted(outcomes.items())
        if outcome.exports
    }


def _digest(exports: dict[str, ModuleExports]) -> str:
    """Of what a Linker links against: a key part for the files checked with it."""
    return hashlib.sha256(repr(sorted(exports.items())).encode()).hexdigest()[:32]


def run_source(
    data: bytes, language: str, name: Path, rules: Sequence[Rule], root: Path | None = None,
    policy: Policy | None = None,
) -> RunResult:
    """Check `data` as if it were the file `name` (standard input from an editor or a pipe)."""
    root = (root or Path.cwd()).resolve()
    outcome = check_source(data, language, rules, display_path(name, root), policy=policy)
    return RunResult(
        diagnostics=outcome.diagnostics,
        errors=outcome.errors,
        files_checked=1,
        files_parsed=int(outcome.parsed),
        root=str(root),
    )


def display_path(path: str | os.PathLike[str], root: Path) -> str:
    """Relative to `root` (forward slashes) when inside it, else absolute. On strings: it runs
    once per file, and Path arithmetic costs several times more."""
    absolute, base = os.path.abspath(path), str(root)
    if absolute == base:
        return "."
    if absolute.startswith(base.rstrip(os.sep) + os.sep):
        absolute = absolute[len(base.rstrip(os.sep)) + 1 :]
    return absolute.replace(os.sep, "/") if os.sep != "/" else absolute


def check_file(
    source: SourceFile, rules: Sequence[Rule], path: str,
    linker: Linker | None = None, names: re.Pattern[bytes] | None = None,
) -> FileOutcome:
    """Check one file. Never raises: every problem becomes a FileError."""
    if source.language is None:
        return _unknown_language(path)
    try:
        data = read_file(source.path)
    except OSError as exc:
        return _read_error(path, exc)
    return check_source(data, source.language, rules, path, linker, names)


def _unknown_language(path: str) -> FileOutcome:
    known = " ".join(sorted(SUFFIXES))
    return FileOutcome(errors=(FileError(
        path, "language",
        f"cannot tell the language of this file; uelint checks {known} "
        "and scripts with a python or node shebang",
    ),))


def _read_error(path: str, exc: OSError) -> FileOutcome:
    return FileOutcome(errors=(FileError(path, "read", f"cannot read: {exc.strerror or exc}"),))


def _crashed(path: str) -> FileOutcome:
    return FileOutcome(errors=(FileError(
        path, "internal", "the worker process checking this file (or one checked with it) died; "
        "not checked",
    ),), parsed=True)


def check_source(
    data: bytes, language: str, rules: Sequence[Rule], path: str,
    linker: Linker | None = None, names: re.Pattern[bytes] | None = None,
    timings: Timings | None = None, policy: Policy | None = None,
) -> FileOutcome:
    """Check the contents of one file (read from disk, or standard input). Never raises.

    `linker` resolves imports from other files of the scan; `names` (the names they export)
    lets a file through the prefilter that calls such a wrapper without naming the SDK.
    """
    if not prefilter.is_candidate(data) and (names is None or not names.search(data)):
        return FileOutcome()
    return _check_screened(data, language, rules, path, linker, timings, policy)


def _check_screened(
    data: bytes, language: str, rules: Sequence[Rule], path: str, linker: Linker | None,
    timings: Timings | None, policy: Policy | None,
) -> FileOutcome:
    """`check_source` for a file the prefilter (or a cross-file round) already let through."""
    if b"\0" in data[:8192]:
        return FileOutcome(errors=(FileError(
            path, "binary", "looks like a binary file (it has NUL bytes); not checked"
        ),))

    start = time.perf_counter()
    text = SourceText(data)
    errors: list[FileError] = []
    if language != "python":  # libcst decodes (and reports) Python files itself
        errors += _utf8_error(text, path)
    try:
        result = adapter_for(language)(text, path, language, linker)
    except RecursionError:
        errors.append(FileError(path, "parse", "too deeply nested to analyse; not checked"))
        return FileOutcome(errors=tuple(errors), parsed=True)
    except Exception as exc:  # an adapter bug must cost one file, not the run
        errors.append(FileError(path, "internal", f"uelint failed on this file: {exc!r}"))
        return FileOutcome(errors=tuple(errors), parsed=True)
    errors += result.errors
    parsed = time.perf_counter()

    checked = ParsedFile(path, language, result.calls)
    found = list(_apply(rules, checked, errors))
    if policy is not None:
        found = policy.apply(text, path, found)
    diagnostics = fingerprints.stamp(text, (replace(d, snippet=snippet(text, d.span)) for d in found))
    if timings is not None:
        timings.seconds["parse"] += parsed - start
        timings.seconds["rules"] += time.perf_counter() - parsed
        timings.counts["parsed"] += 1
    return FileOutcome(diagnostics, tuple(errors), parsed=True, exports=result.exports)


def _apply(rules: Sequence[Rule], parsed: ParsedFile, errors: list[FileError]) -> Iterable[Diagnostic]:
    for rule in rules:
        try:
            for call in parsed.calls:
                related = tuple(  # declared wrappers (no path) live in no file of the scan
                    Related(via.path, via.span, f"via `{via.name}`, defined here")
                    for via in call.via if via.path
                )
                for diagnostic in rule.check(call, parsed):
                    yield replace(diagnostic, related=related) if related else diagnostic
        except Exception as exc:  # a (plugin) rule bug must not end the run
            errors.append(FileError(
                parsed.path, "internal", f"rule {rule.code} failed on this file: {exc!r}"
            ))


def _utf8_error(text: SourceText, path: str) -> list[FileError]:
    try:
        text.data.decode("utf-8")
    except UnicodeDecodeError as exc:
        span = text.span(exc.start, exc.start + 1)
        return [FileError(
            path, "decode",
            f"not valid UTF-8 (byte 0x{text.data[exc.start]:02x} at {span.start_line}:"
            f"{span.start_col}); checked with the bad bytes replaced",
            span,
        )]
    return []


_SNIPPET_WIDTH = 160


def snippet(text: SourceText, span: Span) -> Snippet:
    """The start line of `span`, cut to a window around it on long (minified) lines."""
    line_start = text.line_starts[span.start_line - 1]
    line = text.line_text(span.start_line)
    start = len(text.data[line_start : span.start_byte].decode("utf-8", "replace"))
    if span.end_line == span.start_line:
        end = start + len(text.data[span.start_byte : span.end_byte].decode("utf-8", "replace"))
    else:
        end = len(line)
    end = max(end, start + 1)
    if len(line) > _SNIPPET_WIDTH:
        cut = max(0, start - _SNIPPET_WIDTH // 3)
        window = line[cut : cut + _SNIPPET_WIDTH]
        prefix = "…" if cut else ""
        suffix = "…" if cut + _SNIPPET_WIDTH < len(line) else ""
        shift = len(prefix) - cut
        return Snippet(prefix + window + suffix, start + shift,
                       min(end + shift, len(prefix) + len(window)))
    return Snippet(line, start, end)


def _words(names: set[str]) -> re.Pattern[bytes]:
    """Any of `names` as a whole word."""
    return re.compile(rb"(?<![\w$])(?:" + _either(names) + rb")(?![\w$])")
