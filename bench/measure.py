"""Run a command and measure it: wall time, CPU time, and peak memory of its process tree.

CPU time and the largest process's peak RSS come from GNU time (they include the children it
waited for, such as worker processes; a child forked from this process directly would count
this process's own memory, which it had until it exec'd). Several processes at once need more:
a sampler adds up the proportional set size (PSS: shared pages split between their sharers)
of the whole tree every 20 ms, so a pool of workers forked from one parent is not counted
twice. That sampler reads other processes' page tables, which takes their memory-map lock
(a fork waits for it): a measurement of wall time alone passes `memory=False`.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Measured:
    wall: float  # seconds
    cpu: float  # user + system seconds, children included
    max_rss_mb: float  # the largest single process
    tree_pss_mb: float  # the whole tree at its peak (sampled; 0 with memory=False)
    returncode: int
    stdout: str


def measure(command: list[str], cwd: Path, env: dict[str, str] | None = None,
            memory: bool = True) -> Measured:
    if env is None:
        # As installed: pip writes bytecode, so a run does not compile uelint's modules
        # anew (~10 ms), which a machine setting PYTHONDONTWRITEBYTECODE would add to each.
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    with tempfile.NamedTemporaryFile("r", prefix="time-") as usage:
        timed = ["/usr/bin/time", "-f", "%U %S %M", "-o", usage.name, *command]
        start = time.perf_counter()
        process = subprocess.Popen(timed, cwd=cwd, env=env, stdout=subprocess.PIPE,
                                   stderr=subprocess.DEVNULL)
        sampler = _Sampler(process.pid)
        if memory:
            sampler.start()
        stdout, _ = process.communicate()
        wall = time.perf_counter() - start
        if memory:
            sampler.stop()
        user, system, max_rss_kb = usage.read().split()[-3:]
    return Measured(
        wall=wall,
        cpu=float(user) + float(system),
        max_rss_mb=int(max_rss_kb) / 1024,
        tree_pss_mb=sampler.peak_kb / 1024,
        returncode=process.returncode,
        stdout=stdout.decode("utf-8", "replace"),
    )


class _Sampler(threading.Thread):
    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.peak_kb = 0
        self._done = threading.Event()

    def run(self) -> None:
        while not self._done.wait(0.02):
            self.peak_kb = max(self.peak_kb, sum(_pss_kb(p) for p in _tree(self.pid)))

    def stop(self) -> None:
        self._done.set()
        self.join()


def _tree(pid: int) -> list[int]:
    found, stack = [], [pid]
    while stack:
        current = stack.pop()
        found.append(current)
        try:
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as handle:
                    stack += [int(child) for child in handle.read().split()]
        except OSError:
            continue  # it exited meanwhile
    return found


def _pss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as handle:
            for line in handle:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0
