"""Parallel checking: the same result with any number of processes, a pool only when it pays."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from uelint import engine, parallel, plugins, schedule
from uelint.rule import Rule
from uelint.timing import Timings

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="module")
def rules() -> list[Rule]:
    return list(plugins.load(autoload=False).rules.values())


def make_project(root: Path, filler_files: int = 12) -> Path:
    """Cross-file wrappers (ESM, CommonJS, Python packages), annotated fixtures, and enough
    large candidates (~100 KB each) to be worth a pool."""
    for name in ("esm", "commonjs", "pyshop"):
        shutil.copytree(FIXTURES / "projects" / name, root / name)
    shutil.copytree(FIXTURES / "javascript", root / "javascript")
    shutil.copytree(FIXTURES / "python", root / "python")
    body = "".join(f"function helper{i}(a) {{ return a + {i}; }}\n" for i in range(2500))
    for n in range(filler_files):
        call = f'window.userengage("client.update", {{ user_id: {n}, browser_language: "en" }});\n'
        (root / "bundle").mkdir(exist_ok=True)
        (root / "bundle" / f"chunk{n}.js").write_text(call + body + call)
    return root


def test_jobs_1_and_2_give_identical_results(tmp_path: Path, rules: list[Rule]) -> None:
    project = make_project(tmp_path)
    serial, pooled = Timings(), Timings()
    one = engine.run([project], rules, root=project, jobs=1, timings=serial)
    two = engine.run([project], rules, root=project, jobs=2, timings=pooled)
    assert serial.workers == 0 and pooled.workers == 2  # the pool did run
    assert pooled.counts["linked"] > 0  # and so did the cross-file rounds
    assert one == two
    assert any(d.related for d in one.diagnostics)  # findings through another file's wrapper


def test_files_read_and_screened_in_workers_give_the_same_result(
    tmp_path: Path, rules: list[Rule], monkeypatch: pytest.MonkeyPatch
) -> None:
    project = make_project(tmp_path, filler_files=0)
    one = engine.run([project], rules, root=project, jobs=1)
    monkeypatch.setattr(schedule, "_SCREEN_IN_POOL_BYTES", 0)  # workers from the first file on
    timings = Timings()
    assert engine.run([project], rules, root=project, jobs=2, timings=timings) == one
    assert timings.workers == 2


def test_cli_output_is_identical_with_jobs_1_and_2(tmp_path: Path) -> None:
    project = make_project(tmp_path)

    def report(jobs: str) -> str:
        return subprocess.run(
            [sys.executable, "-m", "uelint", "check", "--no-cache", "--jobs", jobs,
             "--format", "json"],
            cwd=project, capture_output=True, text=True, check=False,
        ).stdout

    one = report("1")
    assert one and one == report("2")


def test_a_small_input_stays_in_one_process(tmp_path: Path, rules: list[Rule]) -> None:
    project = make_project(tmp_path, filler_files=0)
    timings = Timings()
    engine.run([project], rules, root=project, jobs=2, timings=timings)
    assert timings.workers == 0


def test_a_pool_needs_two_jobs_and_a_megabyte() -> None:
    assert not parallel.worth_a_pool(2, files=2, cost=800_000)
    assert parallel.worth_a_pool(2, files=2, cost=1_100_000)
    assert not parallel.worth_a_pool(1, files=2, cost=20_000_000)
    assert not parallel.worth_a_pool(2, files=1, cost=20_000_000)


def test_chunks_hold_every_item_once_largest_first() -> None:
    sizes = [5, 1, 100, 7, 3, 50, 2]
    chunks = parallel.chunked(list(range(len(sizes))), sizes, target=20)
    assert sorted(i for chunk in chunks for i in chunk) == list(range(len(sizes)))
    assert chunks[0] == [2] and chunks[1] == [5]


def test_a_worker_that_dies_costs_its_files_not_the_run() -> None:
    pool: parallel.Pool[int, int] = parallel.Pool(_die_on_three, jobs=2)
    for chunk in ([1, 2], [3], [4]):
        pool.submit(chunk)
    results = {tuple(chunk): result for chunk, result in pool.results()}
    assert results[(3,)] is None
    assert results[(1, 2)] in (None, 3) and results[(4,)] in (None, 4)


def _die_on_three(chunk: list[int]) -> int:
    if 3 in chunk:
        import os

        os._exit(1)
    return sum(chunk)


def test_forked_slices_come_back_in_order_and_a_dead_child_costs_only_time() -> None:
    def squares(start: int, stop: int) -> list[int]:
        return [i * i for i in range(start, stop)]

    for jobs in (1, 2, 3):
        parts = parallel.forked(squares, 10, jobs)
        assert [x for part in parts for x in part] == [i * i for i in range(10)]

    def dies_in_a_child(start: int, stop: int) -> list[int]:
        if os.getpid() != parent:
            os._exit(1)
        return squares(start, stop)

    parent = os.getpid()
    assert [x for p in parallel.forked(dies_in_a_child, 10, 2) for x in p] == squares(0, 10)
