"""The server's folder (linter/server/folders.py): its cache keeps what it served in memory,
and its checks run in threads."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from uelint.analysis import Analysis
from uelint.diagnostic import FileError
from uelint.server.folders import Memo, check_buffer, load
from uelint.watched import Watched


def _analysis(n: int) -> Analysis:
    return Analysis(errors=(FileError(f"f{n}.js", "syntax", "m"),), parsed=True)


def test_an_entry_served_once_is_served_from_memory(tmp_path: Path) -> None:
    Memo(tmp_path / "c", "digest").put("k" * 40, _analysis(1))
    memo = Memo(tmp_path / "c", "digest")  # a new server: the entry is on disk only
    found = memo.get("k" * 40)
    assert found == _analysis(1)
    shutil.rmtree(tmp_path / "c")
    assert memo.get("k" * 40) is found  # not read again


def test_the_least_recently_used_go_first(tmp_path: Path) -> None:
    memo = Memo(tmp_path / "c", "digest")
    memo.SIZE = 2
    for n in range(3):
        memo.put(f"{n:040d}", _analysis(n))
    shutil.rmtree(tmp_path / "c")
    assert memo.get(f"{0:040d}") is None  # evicted, and gone from disk
    assert memo.get(f"{2:040d}") == _analysis(2)


def test_buffers_checked_in_many_threads_at_once_get_their_own_findings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The server checks buffers in a pool of threads, which share the prefilter's hyperscan
    database and the adapters' parsers: each check gets what it gets alone."""
    from concurrent.futures import ThreadPoolExecutor

    from uelint import prefilter

    monkeypatch.setenv("UELINT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(prefilter, "is_candidate", prefilter.Words(prefilter.TRIGGERS))
    prefilter.is_candidate.prepare()  # hyperscan, as after megabytes of a workspace
    filler = "const rows = [" + ", ".join(str(n) for n in range(20_000)) + "];\n"
    paths = []
    for n in range(16):
        path = tmp_path / f"page{n}.js"
        calls = "".join(f'userengage("client.update", {{ user_id: {i} }});\n'
                        for i in range(n % 4))
        path.write_text(filler + calls + f"function f{n}() {{ return {n}; }}\n" * 200)
        paths.append(path)
    folder = load(tmp_path)

    def codes(path: Path) -> list[tuple[str, int]]:
        result = check_buffer(folder, path, {str(path): path.read_bytes()})
        assert result is not None and not result.errors
        return [(d.code, d.span.start_line) for d in result.diagnostics]

    alone = [codes(path) for path in paths]
    with ThreadPoolExecutor(max_workers=8) as pool:
        for _ in range(3):
            assert list(pool.map(codes, paths)) == alone
    assert [len(found) for found in alone] == [n % 4 for n in range(16)]


_PARSES_IN_THREADS = """
import sys
from concurrent.futures import ThreadPoolExecutor

from uelint import languages
from uelint.adapters import js_tree, parse_bounded

sys.setswitchinterval(1e-6)  # a thread may take over in any callback of a parse
texts = [''.join(f'function f{i}_{n}(a) {{ return a + {n}; }}\\n' for i in range(3000)).encode()
         for n in range(8)]

def shape(data):
    root = parse_bounded(js_tree.grammar(languages.JAVASCRIPT).parser, data).root_node
    return root.end_byte, root.child_count, root.has_error

alone = [shape(data) for data in texts]
with ThreadPoolExecutor(max_workers=8) as pool:
    for _ in range(5):
        assert list(pool.map(shape, texts)) == alone
"""


def test_parses_in_many_threads_at_once_each_have_a_parser() -> None:
    """`parse_bounded`'s callbacks let another thread run mid-parse: sharing a tree-sitter
    parser across threads crashed the process (a segmentation fault), so it runs apart."""
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-c", _PARSES_IN_THREADS], capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr


def test_checks_in_the_editor_search_only_what_may_use_a_wrapper(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With a wrapper in the project, a check from the editor's buffers keeps what each file
    mentions, as a CLI run does: the next check reads a handful of files, not the project
    (it read all of them at each keystroke). And what a buffer said never stands for the
    file on disk."""
    from uelint.checker import Checker

    monkeypatch.setenv("UELINT_CACHE_DIR", str(tmp_path / "cache"))
    root = tmp_path / "app"
    root.mkdir()
    (root / "analytics.js").write_text(
        "export function track(name, data) {\n  window.userengage(name, data);\n}\n")
    caller = 'import { track } from "./analytics";\ntrack("client.update", { user_id: 1 });\n'
    (root / "settings.js").write_text(caller)
    for n in range(200):
        (root / f"page{n}.js").write_text(f"export const page{n} = {n};\n")
    from uelint import cache

    monkeypatch.setattr(cache, "RACY_NS", 0)  # files just written are indexed
    folder = load(root)
    reads: list[str] = []
    original = Checker.read

    def counted(self: Checker, path: str) -> bytes:
        reads.append(path)
        return original(self, path)

    monkeypatch.setattr(Checker, "read", counted)

    def ue001(path: Path, buffers: dict[str, bytes]) -> bool:
        result = check_buffer(folder, path, buffers)
        assert result is not None
        return any(d.code == "UE001" for d in result.diagnostics)

    page = root / "page0.js"
    assert ue001(page, {str(page): caller.encode()})  # the buffer calls the wrapper
    reads.clear()
    settings = root / "settings.js"
    assert ue001(settings, {str(settings): settings.read_bytes()})
    assert len(reads) < 10, reads
    assert not ue001(page, {str(page): page.read_bytes()})  # the disk does not
    page.write_text(caller)
    assert ue001(page, {str(page): page.read_bytes()})


WRAPPER = "export function track(name, data) {\n  window.userengage(name, data);\n}\n"
PLAIN = "export function track(name, data) {}\n"  # not a candidate: no SDK name


def _watched_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                     ) -> tuple[Path, Watched, Callable[[], bool]]:
    """A project whose settings.js calls analytics.js's track(), indexed (RACY_NS 0) by a
    folder whose editor watches files: its root, its watcher, and whether settings.js,
    checked, has UE001 (it has if track() reaches the SDK)."""
    from uelint import cache

    monkeypatch.setenv("UELINT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(cache, "RACY_NS", 0)
    root = tmp_path / "app"
    root.mkdir()
    (root / "analytics.js").write_text(PLAIN)
    settings = root / "settings.js"
    settings.write_text('import { track } from "./analytics";\n'
                        'track("client.update", { user_id: 1 });\n')
    folder = load(root, watching=True)
    assert folder.watched is not None

    def ue001() -> bool:
        result = check_buffer(folder, settings, {str(settings): settings.read_bytes()})
        assert result is not None
        return any(d.code == "UE001" for d in result.diagnostics)

    return root, folder.watched, ue001


def test_a_check_trusts_the_file_watcher_for_what_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With the editor watching files, a check stats only those it reported changed: a
    change it did not report is not seen (until a full check), one it did is; a file that
    came or went, and FULL_EVERY seconds, make the next check stat everything again."""
    from uelint import watched

    root, watcher, ue001 = _watched_project(tmp_path, monkeypatch)
    analytics = root / "analytics.js"
    assert not ue001()  # the first check stats everything: the watcher is trusted after it
    analytics.write_text(WRAPPER)
    assert not ue001()  # not reported: the table says analytics.js is as it was
    watcher.report(str(analytics), "changed")
    assert ue001()
    analytics.write_text(PLAIN)
    assert not ue001()  # a candidate is always looked at
    analytics.write_text(WRAPPER)
    (root / "new.js").write_text("export const x = 1;\n")
    watcher.report(str(root / "new.js"), "created")
    assert ue001()  # a file came: everything stat-ed
    analytics.write_text(PLAIN + "\n")
    assert not ue001()
    analytics.write_text(WRAPPER)
    assert not ue001()  # trusted again
    monkeypatch.setattr(watched, "FULL_EVERY", 0.0)
    assert ue001()  # not reported, but trust has run out


def test_a_reported_change_too_recent_to_index_is_looked_at_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file changed within cache.RACY_NS is not indexed: its report must outlive the check
    that read it, or the next check takes the table's old state of the file as current."""
    from uelint import cache

    root, watcher, ue001 = _watched_project(tmp_path, monkeypatch)
    assert not ue001()
    monkeypatch.setattr(cache, "RACY_NS", 10**18)  # from now on, every change is too recent
    (root / "analytics.js").write_text(WRAPPER)
    watcher.report(str(root / "analytics.js"), "changed")
    assert ue001()
    assert ue001()
