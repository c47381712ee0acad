"""One file's way through the pipeline: read → prefilter → cache → analyse → cache.

A Checker holds all that takes, so that it runs the same in this process or in a worker
(schedule.py decides where). What it returns for a file is a `Done`.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from uelint import parallel, prefilter
from uelint.analysis import Analysis, analyse, failed, read_error
from uelint.cache import NOT_A_CANDIDATE, Cache, content_digest, entry_key
from uelint.discover import SourceFile
from uelint.languages import PYTHON
from uelint.rule import Rule
from uelint.source import read_file
from uelint.timing import Timings
from uelint.wrappers import Linker

# The bounds of one isolated analysis: far beyond what a real file needs (a 1 MB Python
# module takes a few seconds; tree-sitter's tree is ~100 bytes per byte of source), near
# enough that a hostile one cannot hold a CI job or the machine's memory.
_SECONDS = 60
_MEMORY = 2 << 30
# Files larger than this are analysed in a process of their own too: a 50 MB minified bundle
# made tree-sitter's tree take 4.5 GB.
_ISOLATED_BYTES = 4 << 20


@dataclass(frozen=True, slots=True)
class Task:
    """A file to analyse: a candidate of the prefilter, or one that names another file's
    export."""

    index: int  # its place in discovery order
    file: str
    language: str
    path: str  # as reported
    size: int


@dataclass(frozen=True, slots=True)
class Unread:
    """A file whose content is not known yet: to read, screen and (maybe) analyse."""

    index: int
    source: SourceFile
    size: int  # from its stat signature; 0 when not stat-ed


@dataclass(frozen=True, slots=True)
class Done:
    """What became of a file."""

    index: int  # its place in discovery order
    task: Task | None  # set for a candidate
    analysis: Analysis | None  # when known (a candidate analysed or cached, a read error)
    digest: str | None  # its content digest, or NOT_A_CANDIDATE, for the cache's index


@dataclass
class Checker:
    rules: Sequence[Rule]
    root: Path
    cache: Cache | None = None
    linker: Linker | None = None
    names: re.Pattern[bytes] | None = None  # what a file must mention to use the linker
    exports: str | None = None  # the digest of the linker's exports, for cache keys
    timings: Timings = field(default_factory=Timings)
    # In a cross-file round: the files to check are those that mention `names` (this cheaper
    # pattern first), whether or not they name the SDK.
    quick: prefilter.Words | None = None
    # The same for Python files, which only Python modules' exports can reach.
    python_names: re.Pattern[bytes] | None = None
    python_quick: prefilter.Words | None = None
    # Which analyses run in a process of their own (and files over 4 MB always do):
    # "python" (libcst is native code that has crashed on hostile input); "none" in a pool's
    # worker, which is one already; "all" for the files of a worker that died, checked again
    # one by one (schedule.py), so that only the file that crashed is blamed.
    isolation: Literal["python", "none", "all"] = "python"
    # What stands for a file on disk, by absolute path (an editor's buffer, standard input).
    buffers: Mapping[str, bytes] = field(default_factory=dict)

    def read(self, path: str) -> bytes:
        if self.buffers:
            found = self.buffers.get(os.path.abspath(path))
            if found is not None:
                return found
        return read_file(path)

    def screen(self, item: Unread, parse: bool) -> Done:
        """Read a file and rule it out on its bytes, or find its analysis in the cache, or
        (when `parse`) analyse it."""
        source, clock = item.source, self.timings.seconds
        start = time.perf_counter()
        try:
            data = self.read(source.path)
        except OSError as exc:
            return Done(item.index, None, read_error(display_path(source.path, self.root), exc),
                        None)
        read = time.perf_counter()
        clock["read"] += read - start
        self.timings.counts["bytes"] += len(data)
        if self.quick is not None or self.python_quick is not None:  # a cross-file round
            names, quick = ((self.python_names, self.python_quick)
                            if source.language == PYTHON else (self.names, self.quick))
            candidate = bool(quick is not None and quick(data) and names is not None
                             and names.search(data))
        else:
            candidate = prefilter.is_candidate(data) or bool(self.names and self.names.search(data))
        clock["prefilter"] += time.perf_counter() - read
        if self.cache is None:
            digest = None
        else:
            digest = content_digest(data) if candidate else NOT_A_CANDIDATE
        if not candidate:
            return Done(item.index, None, None, digest)
        assert source.language is not None  # the stat index's screen rules the others out
        path = display_path(source.path, self.root)
        task = Task(item.index, source.path, source.language, path, len(data))
        return Done(item.index, task, self._analysis(data, task, digest, parse), digest)

    def check(self, task: Task) -> Analysis:
        start = time.perf_counter()
        try:
            data = self.read(task.file)
        except OSError as exc:
            return read_error(task.path, exc)
        self.timings.seconds["read"] += time.perf_counter() - start
        digest = content_digest(data) if self.cache is not None else None
        analysis = self._analysis(data, task, digest, parse=True)
        assert analysis is not None
        return analysis

    def _analysis(self, data: bytes, task: Task, digest: str | None,
                  parse: bool) -> Analysis | None:
        """The cached analysis, else (when `parse`) a fresh one, cached."""
        clock = self.timings.seconds
        key = None
        if self.cache is not None and digest is not None:
            key = entry_key(digest, task.path, self.cache.analysis, self.exports)
            start = time.perf_counter()
            cached = self.cache.get(key)
            clock["cache"] += time.perf_counter() - start
            if cached is not None:
                self.timings.counts["cached"] += 1
                return cached
        if not parse:
            return None
        fresh = self._fresh(data, task)
        if key is not None and self.cache is not None and fresh.cacheable:
            start = time.perf_counter()
            self.cache.put(key, fresh)
            clock["cache"] += time.perf_counter() - start
        return fresh

    def _fresh(self, data: bytes, task: Task) -> Analysis:
        # libcst is native code that has crashed (and run away) on hostile input, and a huge
        # file can take gigabytes: a process of its own, bounded, so that this costs the
        # file, not the run (nor a worker's other files).
        alone_too = self.isolation == "all" or (
            self.isolation == "python" and task.language == PYTHON)
        if len(data) <= _ISOLATED_BYTES and not alone_too:
            return analyse(data, task.language, task.path, self.rules, self.linker, self.timings)

        def alone() -> tuple[Analysis, Timings]:
            timings = Timings()
            return analyse(data, task.language, task.path, self.rules, self.linker,
                           timings), timings

        _warm_up(task.language, self.rules)
        outcome = parallel.isolated(alone, _SECONDS, _MEMORY)
        if isinstance(outcome, parallel.Died):
            return failed(task.path, "internal", f"analysing this file {outcome.why}; "
                          "not checked", parsed=True)
        analysis, timings = outcome
        self.timings.add(timings)
        return analysis

    def work(self, items: list[Task | Unread]) -> tuple[list[Done], Timings]:
        """A worker's chunk: what became of each file with something to tell, and the time
        it took."""
        self.timings = Timings()
        self.isolation = "none"  # this is a worker: the pool stands in for isolation
        done: list[Done] = []
        for item in items:
            if isinstance(item, Task):
                done.append(Done(item.index, item, self.check(item), None))
            else:
                result = self.screen(item, parse=True)
                if (result.task, result.analysis, result.digest) != (None, None, None):
                    done.append(result)
        return done, self.timings


_WARM: set[str] = set()
# A file each adapter reads end to end: what a parser imports or builds on first use is
# then loaded in this process, once, and not again in each child process it forks.
_WARM_UP = {PYTHON: b'from js import window\nwindow.userengage("client.update", {"a": 1})\n'}


def _warm_up(language: str, rules: Sequence[Rule]) -> None:
    if language not in _WARM:
        _WARM.add(language)
        sample = _WARM_UP.get(language, b'userengage("client.update", { a: 1 });\n')
        analyse(sample, language, "warm-up", rules)


def display_path(path: str | os.PathLike[str], root: Path) -> str:
    """Relative to `root` (forward slashes) when inside it, else absolute. On strings: it runs
    once per file, and Path arithmetic costs several times more."""
    absolute, base = os.path.abspath(path), str(root)
    if absolute == base:
        return "."
    if absolute.startswith(base.rstrip(os.sep) + os.sep):
        absolute = absolute[len(base.rstrip(os.sep)) + 1 :]
    return absolute.replace(os.sep, "/") if os.sep != "/" else absolute
