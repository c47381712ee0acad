"""Which files a run checks: discovery, and the stat index that spares reading (and walking)."""

from __future__ import annotations

import os
import time
from collections.abc import Collection, Iterator, Mapping, Sequence
from itertools import count
from pathlib import Path

from uelint.analysis import unknown_language
from uelint.cache import NOT_A_CANDIDATE, Cache, Index, entry_key, scan_digest
from uelint.checker import Done, Task, Unread, display_path
from uelint.diagnostic import FileError
from uelint.discover import Exclude, Signature, SourceFile, Watch, discover, signature
from uelint.table import Table
from uelint.timing import Timings
from uelint.tsconfig import Listing
from uelint.watched import Watched


class Scan:
    """Which files a run checks, and what is known of each without reading it: its stat
    signature says what its content was (cache.Index), so that an unchanged file is not even
    read; while nothing the last walk depended on changed, the walk itself is spared."""

    def __init__(self, root: Path, cache: Cache | None, paths: Sequence[Path],
                 exclude: Exclude | None, timings: Timings, jobs: int,
                 buffers: frozenset[str] = frozenset(), watched: Watched | None = None) -> None:
        self.root = root
        self.cache = cache
        self.buffers = buffers  # files whose content is not on disk: never from the index
        # For a scan of directories: a pre-commit batch (files) is read faster than an index.
        tree = cache is not None and any(path.is_dir() for path in paths)
        self.digest = scan_digest(Path.cwd(), paths, exclude)
        self.watched = watched if tree else None
        self.account = self.watched.begin(self.digest) if self.watched is not None else None
        self.index: Index | None = None
        if cache is not None and tree:
            known = self.account.table if self.account is not None else None
            self.index = (Index(self.digest, known) if known is not None
                          else cache.load_index(self.digest))
        self.full = True  # every file stat-ed (or walked), not only those reported changed
        self.paths, self.exclude = list(paths), exclude
        self.timings = timings
        self.jobs = jobs
        self.now_ns = time.time_ns()
        self.unread: dict[int, tuple[str, Signature]] = {}  # files to record once screened
        self.walked: list[SourceFile] = []  # by a walk, in order
        self.listed: Table | None = None  # or the index's, when it stands for a walk
        self.watch = Watch() if self.index is not None else None  # of a new walk, to list it
        # What the walk left out and why (a FIFO, a link loop, ...): reported as file errors.
        # A walk with any cannot stand for the next run's (discover poisons its watch).
        self.notices: list[FileError] = []
        # When the index's table stands for the walk: the places of the files that may have
        # changed since the table was saved (buffers too); the others are as it says.
        self.changed: frozenset[int] | None = None
        self.saved: Table | None = None  # the table the next run loads, once closed
        self._buffered: frozenset[int] | None = None
        self._places: dict[str, int] | None = None  # of the walked files, once asked

    @property
    def files(self) -> int:
        return len(self.listed.paths) if self.listed is not None else len(self.walked)

    def found(self, among: Collection[int] | None = None) -> Iterator[tuple[int, SourceFile]]:
        """Every file (or those at the places `among`), in order: what later rounds go
        through."""
        if among is not None:
            return ((i, self._source(i)) for i in sorted(among))
        if self.listed is not None:
            return ((i, self.listed.source(i)) for i in range(len(self.listed.paths)))
        return enumerate(self.walked)

    def directories(self) -> set[str]:
        """The directories of the files with a language, as spelled (not SourceFiles: a
        warm run of a large tree has no time to build one per file)."""
        if self.listed is not None:
            table = self.listed
            return {path.rpartition(os.sep)[0] for path, language
                    in zip(table.paths, table.languages, strict=True) if language is not None}
        return {s.path.rpartition(os.sep)[0] for s in self.walked if s.language is not None}

    def listing(self) -> Listing | None:
        """What the walk (this run's, or the one the index's table stands for) saw of the
        directories it listed; None when no walk watched (no cache)."""
        watch = self.listed.watch if self.listed is not None else self.watch
        if watch is None:
            return None
        return Listing(frozenset(watch.listed), frozenset(watch.configs))

    def _source(self, i: int) -> SourceFile:
        return self.listed.source(i) if self.listed is not None else self.walked[i]

    def sources(self) -> Iterator[tuple[int, SourceFile]]:
        """The files to screen, with their places in discovery order: those a walk finds, or,
        while what it depends on is unchanged, those of the index's table, less the files it
        says are unchanged and not candidates (no walk, and one stat per file)."""
        start = time.perf_counter()
        reported = self._reported()
        found = self.index.to_look_at(self.jobs, reported) if self.index is not None else None
        self.full = reported is None or found is None
        self.timings.seconds["cache"] += time.perf_counter() - start
        if found is None:
            return self._walked(discover(self.paths, self.exclude, self.watch, self.notices))
        assert self.index is not None and self.index.table is not None
        self.listed, self.watch = self.index.table, None
        self.timings.counts["listed"] = 1
        look, may_differ = found
        if self.buffers:  # read whether or not the file on disk changed
            look = sorted({*look, *self.buffered()})
            may_differ |= self.buffered()
        self.changed = frozenset(may_differ)
        return ((i, self.listed.source(i)) for i in look)

    def _reported(self) -> list[int] | None:
        """The places in the account's table of the files the watcher reported changed;
        None when every file must be stat-ed (no account to trust, or a change to what
        the walk depends on: an ignore file)."""
        account = self.account
        if account is None or account.full or account.table is None:
            return None
        stamps = account.table.watch.stamps if account.table.watch is not None else {}
        found = []
        for _, spelled, i in self._reported_in(account.table):
            if spelled in stamps:
                return None
            if i is not None:
                found.append(i)
        return found

    def _stale(self, table: Table) -> set[str]:
        """The files the watcher had reported changed whose state `table` does not hold."""
        stale = set()
        for absolute, spelled, i in self._reported_in(table):
            try:
                held = i is None or table.sig(i) == signature(spelled)
            except OSError:
                held = False
            if not held:
                stale.add(absolute)
        return stale

    def _reported_in(self, table: Table) -> Iterator[tuple[str, str, int | None]]:
        """Each file the watcher reported changed: its absolute path, as the walk spells
        it, and its place in `table` (None: not one of its files)."""
        assert self.account is not None
        for absolute in self.account.reported:
            for spelled in self._spellings(absolute):
                yield absolute, spelled, table.places.get(spelled)

    def buffered(self) -> frozenset[int]:
        """The places of the files found that the editor's buffers stand for (once the
        files are found)."""
        if self._buffered is None:
            spelled = [shown for buffer in self.buffers for shown in self._spellings(buffer)]
            self._buffered = frozenset(self.places_of(spelled).values())
        return self._buffered

    def _spellings(self, absolute: str) -> Iterator[str]:
        """How a walk of the scanned paths spells the file at `absolute` (no abspath of
        every file of the table: a check in the editor would pay it at each keystroke)."""
        for path in self.paths:
            top = os.path.abspath(path)
            if absolute.startswith(top.rstrip(os.sep) + os.sep):
                yield os.path.join("" if str(path) == "." else str(path),
                                   os.path.relpath(absolute, top))

    def places(self) -> Mapping[str, int]:
        """The paths of `found()` and their places, without a SourceFile each."""
        if self.listed is not None:
            return self.listed.places
        if self._places is None:
            self._places = {source.path: i for i, source in enumerate(self.walked)}
        return self._places

    def places_of(self, paths: Collection[str]) -> Mapping[str, int]:
        """The places of those of `paths` (as the walk spells them) found."""
        if self.listed is not None:
            return self.listed.places_of(paths)
        places = self.places()
        return {path: places[path] for path in paths if path in places}

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
            return Done(i, None, unknown_language(display_path(source.path, self.root)), None)
        if self.index is None or self.cache is None or (
            self.buffers and os.path.abspath(source.path) in self.buffers
        ):
            return Unread(i, source, 0)
        start = time.perf_counter()
        try:
            sig = signature(source.path)
        except OSError:
            return Unread(i, source, 0)  # reported when it is read
        key = str(source.path)
        digest = self.index.lookup(key, sig, i if self.listed is not None else None)
        done: Done | None = None
        if digest == NOT_A_CANDIDATE:
            done = Done(i, None, None, None)
        elif digest is not None:
            path = display_path(source.path, self.root)
            cached = self.cache.get(entry_key(digest, path, self.cache.analysis))
            if cached is not None:
                self.timings.counts["cached"] += 1
                task = Task(i, source.path, source.language or "", path, sig[0])
                done = Done(i, task, cached, None)
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
        self.saved = self.cache.save_index(self.index, self.walked, self.watch, self.now_ns)
        if self.watched is not None and self.account is not None:
            stale = self._stale(self.saved) if self.saved is not None else set()
            self.watched.left(self.digest, self.account.seq, self.saved, self.full, stale)
