"""A cache directory is data that anyone may have written: reading it never runs code, and
uelint never writes through a symbolic link in it."""

from __future__ import annotations

import json
import os
import pickle
from pathlib import Path

from tests.test_cli import uelint, write

SOURCES = {
    "a.js": 'userengage("client.update", { user_id: 1 });\n',
    "b.py": 'from js import window\nwindow.userengage("client.update", {"user_id": 2})\n',
    "sub/c.ts": 'userengage("client.update", { browser_language: "pl" });\n',
}


class _Payload:
    """Unpickling this writes the marker file: what a hostile cache entry would do."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str, str]]:
        return (open, (str(self.marker), "w"))


def report(project: Path, env: dict[str, str], *extra: str) -> dict[str, object]:
    done = uelint("check", "--format", "json", *extra, ".", cwd=project, env=env)
    assert done.returncode == 1, done.stderr
    found: dict[str, object] = json.loads(done.stdout)
    return found


def test_pickles_planted_in_every_cache_file_never_run(tmp_path: Path) -> None:
    project, cache, marker = tmp_path / "project", tmp_path / "cache", tmp_path / "MARKER"
    write(project, SOURCES)
    env = {"UELINT_CACHE_DIR": str(cache)}
    cold = report(project, env, "--no-cache")
    assert report(project, env) == cold  # fills the cache: results, index, plugin list
    planted = [p for p in cache.rglob("*") if p.is_file() and p.name != "CACHEDIR.TAG"]
    assert len(planted) >= 4
    for path in planted:
        path.write_bytes(pickle.dumps(_Payload(marker)))
    assert report(project, env) == cold  # every entry a miss, the run as without a cache
    assert report(project, env) == cold
    assert not marker.exists()


def test_a_cache_directory_committed_to_the_repository_is_not_read(tmp_path: Path) -> None:
    """The cache is not in the repository: a `.uelint_cache/` that a branch brings (pickles
    under every name an old uelint used) is neither read nor written."""
    project, marker = tmp_path / "project", tmp_path / "MARKER"
    write(project, SOURCES)
    planted = project / ".uelint_cache"
    for name in ("results/ab/cdef", "index/0123-4567", "plugins.json"):
        (planted / name).parent.mkdir(parents=True, exist_ok=True)
        (planted / name).write_bytes(pickle.dumps(_Payload(marker)))
    before = sorted(p.relative_to(planted) for p in planted.rglob("*"))
    assert report(project, {}) == report(project, {}, "--no-cache")
    assert report(project, {}) == report(project, {}, "--no-cache")  # warm
    assert not marker.exists()
    assert sorted(p.relative_to(planted) for p in planted.rglob("*")) == before


def test_no_write_goes_through_a_link_in_the_cache(tmp_path: Path) -> None:
    project, cache, outside = tmp_path / "project", tmp_path / "cache", tmp_path / "outside"
    write(project, SOURCES)
    outside.mkdir()
    cache.mkdir()
    (cache / "results").symlink_to(outside, target_is_directory=True)
    (cache / "index").symlink_to(outside, target_is_directory=True)
    env = {"UELINT_CACHE_DIR": str(cache)}
    cold = report(project, env, "--no-cache")
    assert report(project, env) == cold and report(project, env) == cold
    assert list(outside.iterdir()) == []


def test_a_cache_directory_that_is_a_link_is_not_used(tmp_path: Path) -> None:
    project, outside = tmp_path / "project", tmp_path / "outside"
    write(project, SOURCES)
    outside.mkdir()
    os.symlink(outside, tmp_path / "cache")
    env = {"UELINT_CACHE_DIR": str(tmp_path / "cache")}
    cold = report(project, env, "--no-cache")
    assert report(project, env) == cold and report(project, env) == cold
    assert list(outside.iterdir()) == []
