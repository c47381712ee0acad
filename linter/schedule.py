"""Where files are checked: in this process, or in worker processes once that pays.

The only module that knows pools, chunks and costs. A pre-commit batch stays in this process;
a large tree starts `jobs` workers as soon as there is enough to read or parse to pay for
them, and sends them chunks of files, largest costs first.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace

from uelint import parallel, prefilter
from uelint.checker import Checker, Done, Task, Unread
from uelint.discover import SourceFile
from uelint.languages import PYTHON
from uelint.timing import Timings

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


def default_jobs() -> int:
    """The cores that are free: those this process may run on, less those other processes
    keep busy. On a busy machine a second worker only competes with them (measured: the
    default of two jobs was 28-38% slower than one on a two-core machine with one core
    busy), so a loaded machine gets fewer jobs: never slower than `--jobs 1`."""
    return max(1, parallel.usable_cores() - parallel.busy_cores())


def _cost(item: Task | Unread) -> int:
    if isinstance(item, Unread):  # reading and searching costs ~1/50 of parsing
        return max(item.size // 50, _UNREAD_COST)
    return item.size * _COST_PER_BYTE.get(item.language, 1)


class Dispatch:
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
        if self.pool is None:
            return [Done(t.index, t, self.checker.check(t), None) for t in self.pending
                    if isinstance(t, Task)]
        self._submit()
        done: list[Done] = []
        for chunk, result in self.pool.results():
            if result is None:  # its worker died (in a native parser): blame its candidates
                done += [self._crashed(item) for item in chunk]
                continue
            found, timings = result
            done += found
            self.checker.timings.add(timings)
        return done

    def _crashed(self, item: Task | Unread) -> Done:
        """A file of a chunk whose worker died: checked again, in a process of its own, so
        that only the file that crashes is blamed."""
        alone = replace(self.checker, isolation="all")
        if isinstance(item, Unread):
            screened = alone.screen(item, parse=True)
            return replace(screened, digest=None)
        return Done(item.index, item, alone.check(item), None)


def stream(
    files: Iterable[tuple[int, SourceFile]], known: Callable[[int, SourceFile], Done | Unread],
    dispatch: Dispatch, take: Callable[[Done], None],
) -> None:
    """Screen each file as it is found (`known` first says what is known without reading it),
    in this process or, once that is worth it, in the workers; `take` what became of each."""
    for i, source in files:
        item = known(i, source)
        if not isinstance(item, Unread):
            take(item)
        elif dispatch.pool is not None:
            dispatch.add(item)
        else:  # with one job, nothing to wait for: a candidate is checked as it is read
            take(dispatch.checker.screen(item, parse=dispatch.jobs == 1))
            dispatch.consider_pool()
    for done in dispatch.finish():
        take(done)  # tasks come back with their analyses: nothing more is dispatched
