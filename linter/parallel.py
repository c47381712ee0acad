"""Run chunks of work in worker processes (parsing is CPU-bound: threads would not help).

A pool costs a fork per worker and pickling every result back, so the engine uses one only
when there is enough to parse (`worth_a_pool`); a pre-commit batch stays in one process.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

# stack-facts.md: below ~1 MB of bytes to parse, starting workers costs more than it saves.
POOL_MIN_BYTES = 1_000_000
# Chunks per worker: enough to even out the load, few enough to keep pickling cheap.
_CHUNKS_PER_JOB = 8


def default_jobs() -> int:
    """The cores this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def worth_a_pool(jobs: int, sizes: Sequence[int]) -> bool:
    return jobs > 1 and len(sizes) > 1 and sum(sizes) >= POOL_MIN_BYTES


def chunked(items: Sequence[T], sizes: Sequence[int], jobs: int) -> list[list[T]]:
    """Largest first, in chunks of about equal bytes, so no worker is left with a big file
    at the end while the others idle."""
    order = sorted(range(len(items)), key=lambda i: -sizes[i])
    target = max(1, sum(sizes) // (jobs * _CHUNKS_PER_JOB))
    chunks: list[list[T]] = []
    current: list[T] = []
    weight = 0
    for i in order:
        current.append(items[i])
        weight += sizes[i]
        if weight >= target:
            chunks.append(current)
            current, weight = [], 0
    if current:
        chunks.append(current)
    return chunks


def map_chunks(
    work: Callable[[list[T]], R], chunks: Sequence[list[T]], jobs: int
) -> Iterator[tuple[int, R | None]]:
    """Yield (index of the chunk, work(chunk)) as workers finish, in any order; the result is
    None for a chunk whose worker process died (a crash in a native parser)."""
    # Imported here: a run that stays serial (one file, a pre-commit batch) never pays for it.
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, as_completed
    from concurrent.futures.process import BrokenProcessPool

    # fork: workers start in milliseconds with everything imported; elsewhere it is unsafe.
    context = multiprocessing.get_context("fork" if sys.platform == "linux" else "spawn")
    with ProcessPoolExecutor(max_workers=min(jobs, len(chunks)), mp_context=context,
                             initializer=_install, initargs=(work,)) as pool:
        futures = {pool.submit(_call, chunk): i for i, chunk in enumerate(chunks)}
        for future in as_completed(futures):
            try:
                result: R | None = future.result()
            except BrokenProcessPool:
                result = None
            yield futures[future], result


# The work of this worker process, installed once rather than pickled with every chunk.
_work: Callable[[Any], Any] | None = None


def _install(work: Callable[[Any], Any]) -> None:
    global _work
    _work = work


def _call(chunk: Any) -> Any:
    assert _work is not None
    return _work(chunk)
