"""Run chunks of work in worker processes (parsing is CPU-bound: threads would not help).

A pool costs a fork per worker and pickling every result back, so the engine uses one only
when there is enough to parse (`worth_a_pool`); a pre-commit batch stays in one process.
"""

from __future__ import annotations

import faulthandler
import gc
import marshal
import math
import os
import signal as signal_module
import sys
from collections.abc import Callable, Iterator, Sequence
from itertools import pairwise
from typing import TYPE_CHECKING, Any, Generic, NamedTuple, TypeVar

if TYPE_CHECKING:
    from concurrent.futures import Future

T = TypeVar("T")
R = TypeVar("R")

# stack-facts.md: below ~1 MB of bytes to parse, starting workers costs more than it saves.
POOL_MIN_BYTES = 1_000_000


def usable_cores() -> int:
    """The cores this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def busy_cores() -> int:
    """About how many cores other processes keep busy now: those runnable at this instant
    besides this one (/proc/loadavg's fourth field), but no more than the last minute's load
    average says (a process that was runnable only at this instant is not a competitor, and
    the runs that just ended, whose load still shows in the average, are not either)."""
    try:
        with open("/proc/loadavg", "rb") as handle:
            fields = handle.read().split()
        runnable = int(fields[3].split(b"/")[0]) - 1
        return max(0, min(runnable, math.ceil(float(fields[0]))))
    except (OSError, ValueError, IndexError):  # not Linux: the load average, if any
        try:
            return int(os.getloadavg()[0])
        except (OSError, AttributeError):
            return 0


def worth_a_pool(jobs: int, files: int, cost: int) -> bool:
    """Whether `files` costing `cost` (bytes, weighted by how slowly they parse) pay for a pool."""
    return jobs > 1 and files > 1 and cost >= POOL_MIN_BYTES


def chunked(items: Sequence[T], sizes: Sequence[int], target: int) -> list[list[T]]:
    """Largest first, in chunks of about `target` bytes, so no worker is left with a big file
    at the end while the others idle."""
    order = sorted(range(len(items)), key=lambda i: -sizes[i])
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


def forked(work: Callable[[int, int], R], count: int, jobs: int) -> list[R]:
    """`work(start, stop)` over `jobs` slices of range(count), in order: the first slice in
    this process, the others in forked ones, which share its memory (a fork costs ~1 ms; a
    pool ~20 ms, and it pickles its input). For a quick pass over a large list in memory,
    such as stat-ing an index's files (git's preload-index does it with threads; the GIL
    leaves Python threads nothing to gain). Its results must be of marshal's built-in types
    (no pickle to import). Serial where fork is unsafe; a slice whose process died is done
    here again."""
    bounds = [count * k // jobs for k in range(jobs + 1)] if sys.platform == "linux" else [0, count]
    children = []
    for start, stop in pairwise(bounds[1:]):
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: its result into the pipe, then out without any cleanup
            try:
                os.close(read_end)
                with os.fdopen(write_end, "wb") as out:
                    out.write(marshal.dumps(work(start, stop)))  # type: ignore[arg-type]
            finally:
                os._exit(0)
        os.close(write_end)
        children.append((pid, read_end, start, stop))
    results = [work(bounds[0], bounds[1])]
    for pid, read_end, start, stop in children:
        with os.fdopen(read_end, "rb") as pipe:
            data = pipe.read()
        os.waitpid(pid, 0)
        try:
            results.append(marshal.loads(data))  # our own child's, never a file's
        except Exception:  # noqa: BLE001 - nothing (it died) or half of it
            results.append(work(start, stop))
    return results


class Died(NamedTuple):
    """What became of work that `isolated` ran in a process of its own that did not return."""

    why: str  # "crashed (signal 11)", "took longer than 60 s", ...


def isolated(work: Callable[[], R], seconds: int, memory: int) -> R | Died:
    """`work()` in a forked process of its own, limited to `seconds` of CPU time and `memory`
    bytes of address space, so that native code that crashes on hostile input (libcst's
    parser has segfaulted on long operator chains) or runs away costs this one piece of
    work, not the run. Where fork is unsafe, in this process."""
    if sys.platform != "linux":
        return work()
    import pickle  # not for a run that isolates nothing

    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: limits, the work, its result into the pipe, out
        code = 0
        try:
            # Short-lived: a collection would touch (and so copy) every page of the heap
            # it shares with this process.
            gc.disable()
            faulthandler.disable()  # a crash is the parent's to report, in a line of its own
            os.close(read_end)
            import resource

            resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds + 1))
            resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
            with os.fdopen(write_end, "wb") as out:
                out.write(pickle.dumps(work()))
        except MemoryError:
            code = _OUT_OF_MEMORY
        except BaseException:  # noqa: B036 - whatever it was, the parent says it failed
            code = 1
        finally:
            os._exit(code)
    os.close(write_end)
    data = _read_until(read_end, pid, deadline=seconds * 4 + 5)
    _, status = os.waitpid(pid, 0)
    try:
        result: R = pickle.loads(data)  # our own child's, never a file's
        return result
    except Exception:  # noqa: BLE001 - nothing (it died) or half of it
        pass
    signal = os.WTERMSIG(status) if os.WIFSIGNALED(status) else None
    if signal in (getattr(signal_module, "SIGXCPU", None), getattr(signal_module, "SIGKILL", None)):
        return Died(f"took longer than {seconds} s")
    if signal is not None:  # native code that cannot allocate may crash rather than raise
        return Died(f"crashed ({signal_module.Signals(signal).name}; out of memory, maybe)")
    if os.WIFEXITED(status) and os.WEXITSTATUS(status) == _OUT_OF_MEMORY:
        return Died(f"ran out of memory (more than {memory >> 20} MB)")
    return Died("failed")


_OUT_OF_MEMORY = 3


def _read_until(fd: int, pid: int, deadline: float) -> bytes:
    """What the child writes to `fd` until it closes it; after `deadline` seconds of wall
    time the child is killed. The CPU limit does not end a child that waits: one forked
    while another thread held a lock (the language server's) would wait forever."""
    import selectors
    import time

    chunks: list[bytes] = []
    end = time.monotonic() + deadline
    with selectors.DefaultSelector() as selector, os.fdopen(fd, "rb", buffering=0) as pipe:
        selector.register(pipe, selectors.EVENT_READ)
        while (left := end - time.monotonic()) > 0:
            if not selector.select(left):
                continue
            chunk = pipe.read(1 << 16)
            if not chunk:  # closed: the child is done
                return b"".join(chunks)
            chunks.append(chunk)
        os.kill(pid, signal_module.SIGKILL)
    return b""


class Pool(Generic[T, R]):
    """Worker processes that take chunks as they come, so parsing starts while files are still
    being found and screened."""

    def __init__(self, work: Callable[[list[T]], R], jobs: int) -> None:
        # Imported here: a run that stays serial (one file, a pre-commit batch) never pays for it.
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        # fork: workers start in milliseconds with everything imported; elsewhere it is unsafe.
        context = multiprocessing.get_context("fork" if sys.platform == "linux" else "spawn")
        self._executor = ProcessPoolExecutor(max_workers=jobs, mp_context=context,
                                             initializer=_install, initargs=(work,))
        self._chunks: dict[Future[R], list[T]] = {}

    def submit(self, chunk: list[T]) -> None:
        self._chunks[self._executor.submit(_call, chunk)] = chunk

    def results(self) -> Iterator[tuple[list[T], R | None]]:
        """Each chunk with its result, as workers finish them; None for a chunk whose worker
        process died (a crash in a native parser). Then the workers exit."""
        from concurrent.futures import as_completed
        from concurrent.futures.process import BrokenProcessPool

        try:
            for future in as_completed(self._chunks):
                try:
                    result: R | None = future.result()
                except BrokenProcessPool:
                    result = None
                yield self._chunks[future], result
        finally:
            self._executor.shutdown(cancel_futures=True)


# The work of this worker process, installed once rather than pickled with every chunk.
_work: Callable[[Any], Any] | None = None


def _install(work: Callable[[Any], Any]) -> None:
    global _work
    _work = work


def _call(chunk: Any) -> Any:
    assert _work is not None
    return _work(chunk)
