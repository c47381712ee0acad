"""What a file watcher says of a project between runs, so that a run need not stat it all.

A warm run learns which files changed by stat-ing every file of the index's table (a large
project: tens of milliseconds, at each keystroke in an editor). An editor watches the files
anyway and tells the language server (`workspace/didChangeWatchedFiles`), so a run that
follows one with that account stats only the files reported changed, the candidates, and the
files whose state the table does not know: the others are as the last run left them.

Trust is earned and bounded. A run stats everything (and checks the walk) when there is no
table yet, after a file came or went (the walk may differ), and at least every FULL_EVERY
seconds, in case the watcher misses changes (a client that drops events, a path it does not
watch, the target of a symbolic link). A change reported is looked at until a table holds
the file as it is now: one made after the report, with the file's current signature (a file
that changed too recently to be indexed, cache.RACY_NS, is looked at again).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Collection
from dataclasses import dataclass

from uelint.table import Table

FULL_EVERY = 30.0  # seconds: the longest a change the watcher missed goes unseen


@dataclass(frozen=True)
class Account:
    """What a run may take as known: the last `table` of its scan (None: load the index),
    in which only the `reported` files (absolute paths) may differ, unless `full`: stat
    every file."""

    seq: int  # the number of reports it includes
    table: Table | None
    reported: frozenset[str]
    full: bool


class Watched:
    """The reports of a project's file watcher, and the table each run leaves. Thread-safe:
    the language server checks buffers in several threads at once."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._seq = 0  # reports so far
        self._changed: dict[str, int] = {}  # path → the seq of its last report
        self._untrusted_at = 0  # the seq of the last report that a file came or went
        self._table: tuple[str, Table, int] | None = None  # scan, table, the seq it holds for
        self._trusted = False  # a run stat-ed everything since the last file came or went
        self._full_at = 0.0

    def report(self, path: str, kind: str) -> None:
        """A file at `path` (absolute) was "created", "changed" or "deleted"."""
        with self._lock:
            self._seq += 1
            if kind == "changed":
                self._changed[path] = self._seq
            else:
                self._untrusted_at = self._seq
                self._trusted = False

    def begin(self, scan: str) -> Account:
        """What a run of `scan` beginning now may take as known."""
        with self._lock:
            table = self._table[1] if self._table and self._table[0] == scan else None
            full = table is None or not self._trusted or (
                time.monotonic() - self._full_at > FULL_EVERY)
            return Account(self._seq, table, frozenset(self._changed), full)

    def left(self, scan: str, seq: int, table: Table | None, full: bool,
             stale: Collection[str]) -> None:
        """A run of `scan` that included `seq` reports left `table`; `full`: it stat-ed every
        file (or walked); `stale`: the files reported by then whose state `table` does not
        hold (changed too recently to be indexed)."""
        if table is None:
            return
        with self._lock:
            if self._table is not None and self._table[0] == scan and self._table[2] > seq:
                return  # a run that began later has left its table already
            self._table = (scan, table, seq)
            if full and self._untrusted_at <= seq:
                self._trusted, self._full_at = True, time.monotonic()
            self._changed = {path: n for path, n in self._changed.items()
                             if n > seq or path in stale}
