"""A scanned repository is untrusted: nothing in it may hang uelint, crash it, hide other
files' findings, or make it read outside the scanned directories (issue #18). Real FIFOs,
links and devices; every run that could hang is a subprocess with a timeout."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from uelint import source
from uelint.diagnostic import FileError
from uelint.discover import Watch, discover

CONTROL = 'userengage("client.update", { user_id: 1 });\n'  # UE001, in every scenario
UELINT = str(Path(sys.executable).with_name("uelint"))


def run_json(cwd: Path, *args: str) -> dict:
    """`uelint check --no-cache --format json ARGS` in `cwd`: it must finish, and not crash."""
    try:
        done = subprocess.run([UELINT, "check", "--no-cache", "--format", "json", *args],
                              cwd=cwd, capture_output=True, timeout=30, check=False)
    except subprocess.TimeoutExpired:
        pytest.fail(f"uelint check {' '.join(args)} hung")
    assert b"Traceback" not in done.stderr, done.stderr.decode(errors="replace")
    assert done.returncode in (1, 2), done.stderr
    report: dict = json.loads(done.stdout)
    return report


def controlled(tmp_path: Path) -> Path:
    (tmp_path / "ok.js").write_text(CONTROL)
    return tmp_path


def reported(report: dict) -> set[str]:
    return {f["path"] for f in report["findings"] if f["rule"] == "UE001"}


def notices_of(*paths: Path) -> tuple[list[str], list[FileError]]:
    notices: list[FileError] = []
    found = sorted(s.path for s in discover(list(paths), notices=notices))
    return found, notices


def in_subprocess(code: str, timeout: int = 30) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                              timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        pytest.fail(f"hung: {code}")


# --- FIFOs ---------------------------------------------------------------------------------


def test_a_fifo_in_the_tree_is_skipped_with_a_notice(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    os.mkfifo(controlled(tmp_path) / "pipe.js")
    monkeypatch.chdir(tmp_path)
    found, notices = notices_of(Path("."))
    assert found == ["ok.js"]
    assert [(n.path, n.kind) for n in notices] == [("pipe.js", "skipped")]
    assert "FIFO" in notices[0].message
    report = run_json(tmp_path)
    assert reported(report) == {"ok.js"}
    assert [e["path"] for e in report["errors"]] == ["pipe.js"]  # the run says so: exit 2


def test_a_fifo_named_on_the_command_line_is_an_error_not_a_hang(tmp_path: Path) -> None:
    os.mkfifo(controlled(tmp_path) / "pipe.js")
    os.mkfifo(tmp_path / "script")  # no suffix: its shebang would be read
    report = run_json(tmp_path, "pipe.js", "script", "ok.js")
    assert reported(report) == {"ok.js"}
    assert {e["path"] for e in report["errors"]} >= {"pipe.js"}
    assert all("FIFO" in e["message"] for e in report["errors"] if e["path"] == "pipe.js")


def test_a_fifo_as_gitignore(tmp_path: Path) -> None:
    os.mkfifo(controlled(tmp_path) / ".gitignore")
    found, notices = notices_of(tmp_path)
    assert found == [str(tmp_path / "ok.js")]
    assert [n.path for n in notices] == [str(tmp_path / ".gitignore")]
    assert reported(run_json(tmp_path)) == {"ok.js"}


def test_read_file_refuses_a_fifo_at_once(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.js")
    done = in_subprocess(
        "from uelint.source import read_file\n"
        f"try: read_file({str(tmp_path / 'pipe.js')!r})\n"
        "except OSError as exc: print(exc.strerror)\n")
    assert "FIFO" in done.stdout and "not a regular file" in done.stdout


# --- links --------------------------------------------------------------------------------


def test_symbolic_link_loops(tmp_path: Path) -> None:
    controlled(tmp_path)
    (tmp_path / "loop.js").symlink_to("loop.js")
    (tmp_path / "a.js").symlink_to("b.js")
    (tmp_path / "b.js").symlink_to("a.js")
    found, notices = notices_of(tmp_path)
    assert found == [str(tmp_path / "ok.js")]
    assert sorted(Path(n.path).name for n in notices) == ["a.js", "b.js", "loop.js"]
    assert all("symbolic link" in n.message for n in notices)
    assert reported(run_json(tmp_path)) == {"ok.js"}
    report = run_json(tmp_path, "loop.js", "ok.js")  # named: reported, and ok.js still checked
    assert reported(report) == {"ok.js"}
    assert [(e["path"], e["kind"]) for e in report["errors"]] == [("loop.js", "read")]
    assert "symbolic links" in report["errors"][0]["message"]


def test_a_link_out_of_the_scanned_directory_is_not_followed(tmp_path: Path) -> None:
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "secret.js").write_text(CONTROL)
    project = tmp_path / "project"
    project.mkdir()
    controlled(project)
    (project / "inner.js").symlink_to(project / "ok.js")  # inside: followed, read once
    (project / "leak.js").symlink_to(tmp_path / "outside" / "secret.js")
    found, notices = notices_of(project)
    assert found == [str(project / "inner.js")]  # ok.js, found once
    assert [Path(n.path).name for n in notices] == ["leak.js"]
    assert "outside the scanned directories" in notices[0].message
    assert reported(run_json(project)) == {"inner.js"}
    assert reported(run_json(project, ".", "leak.js")) == {"inner.js", "leak.js"}  # named: read


def test_links_to_directories_and_dangling_links_are_left_alone(tmp_path: Path) -> None:
    controlled(tmp_path)
    (tmp_path / "lib").mkdir()
    (tmp_path / "chart.js").symlink_to("lib")  # npm names directories so
    (tmp_path / "gone.js").symlink_to("nowhere.js")
    assert notices_of(tmp_path) == ([str(tmp_path / "ok.js")], [])


# --- devices and size ---------------------------------------------------------------------


def test_devices(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    controlled(tmp_path)
    (tmp_path / "zero.js").symlink_to("/dev/zero")
    (tmp_path / "random.ts").symlink_to("/dev/urandom")
    monkeypatch.chdir(tmp_path)
    found, notices = notices_of(Path("."), Path("/dev/zero"))
    assert "ok.js" in found
    assert sorted(n.path for n in notices) == ["random.ts", "zero.js"]
    assert reported(run_json(tmp_path)) == {"ok.js"}
    report = run_json(tmp_path, "zero.js", "random.ts", "ok.js")
    assert reported(report) == {"ok.js"}
    assert sorted(e["path"] for e in report["errors"]) == ["random.ts", "zero.js"]
    assert all("character device" in e["message"] for e in report["errors"])


def test_a_character_device_named_js(tmp_path: Path) -> None:
    controlled(tmp_path)
    try:
        os.mknod(tmp_path / "null.js", 0o600 | 0o020000, os.makedev(1, 3))  # /dev/null's
    except (PermissionError, AttributeError):
        pytest.skip("cannot make a device here")
    found, notices = notices_of(tmp_path)
    assert found == [str(tmp_path / "ok.js")]
    assert ["character device" in n.message for n in notices] == [True]
    assert reported(run_json(tmp_path)) == {"ok.js"}


def test_gitignore_as_dev_zero(tmp_path: Path) -> None:
    controlled(tmp_path)
    (tmp_path / ".gitignore").symlink_to("/dev/zero")
    assert notices_of(tmp_path)[0] == [str(tmp_path / "ok.js")]
    assert reported(run_json(tmp_path)) == {"ok.js"}


def test_reads_are_bounded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    big = tmp_path / "big.js"
    with big.open("wb") as handle:  # sparse: costs no disk
        handle.truncate(source.MAX_FILE_SIZE + 1)
    with pytest.raises(OSError, match="larger than 50 MB") as caught:
        source.read_file(big)
    assert caught.value.strerror and "exclude it" in caught.value.strerror
    small = tmp_path / "small.js"
    small.write_bytes(b"x" * 100)
    assert source.read_file(small, limit=100) == b"x" * 100
    with pytest.raises(OSError, match="larger than 99 bytes"):
        source.read_file(small, limit=99)


# --- .gitignore -------------------------------------------------------------------------


def test_pathological_gitignore_is_bounded(tmp_path: Path) -> None:
    controlled(tmp_path)
    lines = ["*" * 300 + ".gen.js", "!" + "?*" * 40 + "x", *(f"dir{i}/" for i in range(100_000))]
    (tmp_path / ".gitignore").write_text("\n".join(lines) + "\n")
    (tmp_path / "a.gen.js").write_text("")
    done = in_subprocess(
        "from pathlib import Path\nfrom uelint.discover import discover\n"
        f"notices = []\nroot = Path({str(tmp_path)!r})\n"
        "print(sorted(Path(s.path).name for s in discover([root], notices=notices)))\n"
        "print(*(n.message for n in notices), sep='\\n')\n")
    found, *messages = done.stdout.splitlines()
    assert found == "['ok.js']"  # `***...` is `**` (as git reads it): a.gen.js is ignored
    assert any("line 2: pattern not used (more than 16 wildcards)" in m for m in messages)
    assert any("only the first 1000 patterns are used" in m for m in messages)
    assert reported(run_json(tmp_path)) == {"ok.js"}


def test_configured_excludes_are_bounded_too(tmp_path: Path) -> None:
    from uelint.discover import Exclude

    controlled(tmp_path)
    notices: list[FileError] = []
    exclude = Exclude(tmp_path, ("*" * 300, "x" * 1000))
    assert list(discover([tmp_path], exclude, notices=notices)) == []  # `**`: all of it
    assert [n.message for n in notices] == [
        "configured exclude: pattern 2 not used (longer than 256 characters); "
        "the files it would ignore are checked"]


# --- what cannot be listed ----------------------------------------------------------------


def test_an_unreadable_directory_is_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    controlled(tmp_path)
    (tmp_path / "locked").mkdir()
    (tmp_path / "locked" / "x.js").write_text(CONTROL)
    real = os.scandir

    def scandir(path: str) -> object:  # as root (CI), chmod 000 would not stop the walk
        if Path(path).name == "locked":
            raise PermissionError(13, "Permission denied", path)
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    found, notices = notices_of(tmp_path)
    assert found == [str(tmp_path / "ok.js")]
    assert [(n.path, n.kind) for n in notices] == [(str(tmp_path / "locked"), "skipped")]
    assert "Permission denied" in notices[0].message


def test_a_path_too_long_to_list_is_reported(tmp_path: Path) -> None:
    controlled(tmp_path)
    fd = os.open(tmp_path, os.O_RDONLY)
    try:
        for _ in range(20):  # 20 * 251 bytes: past PATH_MAX
            os.mkdir("d" * 250, dir_fd=fd)
            fd, parent = os.open("d" * 250, os.O_RDONLY, dir_fd=fd), fd
            os.close(parent)
        leaf = os.open("deep.js", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=fd)
        os.write(leaf, CONTROL.encode())
        os.close(leaf)
    finally:
        os.close(fd)
    found, notices = notices_of(tmp_path)
    assert str(tmp_path / "ok.js") in found
    assert notices and all(n.kind == "skipped" for n in notices)
    assert any("File name too long" in n.message for n in notices)
    assert reported(run_json(tmp_path)) >= {"ok.js"}


# --- warm runs ----------------------------------------------------------------------------


def test_a_walk_with_notices_cannot_stand_for_the_next(tmp_path: Path) -> None:
    os.mkfifo(controlled(tmp_path) / "pipe.js")
    watch = Watch()
    list(discover([tmp_path], watch=watch, notices=[]))
    assert not watch.unchanged() and not watch.settled(now_ns=2**62, racy_ns=0)
    clean = Watch()
    (tmp_path / "pipe.js").unlink()
    list(discover([tmp_path], watch=clean, notices=[]))
    assert clean.unchanged() and clean.settled(now_ns=2**62, racy_ns=0)
