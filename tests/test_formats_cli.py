"""The report options of `uelint check`, end to end: several reports in one run, statistics,
standard input, the SARIF category, atomic report files, lazy reporter imports."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.test_cli import CLEAN, VIOLATION, uelint, write
from uelint import cli


def uelint_stdin(*args: str, cwd: Path, data: bytes) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "NO_COLOR": "1"}
    env.pop("COLUMNS", None)
    return subprocess.run([sys.executable, "-m", "uelint", *args], check=False, cwd=cwd, env=env,
                          input=data, capture_output=True, timeout=120)


def test_one_run_writes_several_reports(tmp_path: Path) -> None:
    write(tmp_path, {"web/app.js": VIOLATION})
    (tmp_path / "reports").mkdir()
    result = uelint("check", "--output-format", "sarif=reports/uelint.sarif",
                    "--output-format", "json=reports/uelint.json",
                    "--output-format", "junit=reports/junit.xml", "--output-format", "text",
                    cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert result.stdout.startswith("web/app.js:1:31: UE001 ")
    sarif = json.loads((tmp_path / "reports/uelint.sarif").read_text("utf-8"))
    assert len(sarif["runs"][0]["results"]) == 1
    report = json.loads((tmp_path / "reports/uelint.json").read_text("utf-8"))
    assert [f["rule"] for f in report["findings"]] == ["UE001"]
    assert "<testsuites" in (tmp_path / "reports/junit.xml").read_text("utf-8")
    assert sorted(p.name for p in (tmp_path / "reports").iterdir()) == [
        "junit.xml", "uelint.json", "uelint.sarif"]  # no temporary files left


def test_format_and_output_combine_with_output_format(tmp_path: Path) -> None:
    write(tmp_path, {"app.js": VIOLATION})
    result = uelint("check", "--format", "github", "--output-format", "gitlab=cq.json",
                    cwd=tmp_path)
    assert result.stdout.startswith("::error title=UE001 user-id-in-update,file=app.js,")
    assert json.loads((tmp_path / "cq.json").read_text("utf-8"))[0]["check_name"] == "UE001"
    dash = uelint("check", "--output-format", "json=-", cwd=tmp_path)
    assert json.loads(dash.stdout)["version"] == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--output-format", "json", "--output-format", "text"],
         "only one report can go to standard output, not json and text"),
        (["--format", "sarif", "--statistics"],
         "only one report can go to standard output, not sarif and statistics"),
        (["-o", "r.json", "--output-format", "json=./r.json"],
         "two reports would overwrite each other in r.json"),
        (["--output-format", "json=missing/r.json"],
         "cannot write missing/r.json: its directory does not exist"),
        (["--output-format", "yaml=r.yaml"], "unknown format 'yaml'"),
        (["--output-format", "json="], "no path after json="),
        (["--sarif-category", "/"], "the SARIF category must not be empty"),
    ],
)
def test_bad_report_options_are_usage_errors(tmp_path: Path, args: list[str], message: str) -> None:
    write(tmp_path, {"app.js": VIOLATION})
    result = uelint("check", *args, cwd=tmp_path)
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert not list(tmp_path.glob("r.*"))


def test_statistics(tmp_path: Path) -> None:
    write(tmp_path, {"a.js": 'userengage("client.update", { user_id: 1, ip_address: 2 });\n',
                     "b.js": VIOLATION, "c.js": CLEAN})
    result = uelint("check", "--statistics", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "2  UE001  user-id-in-update",
        "1  UE003  immutable-attribute",
        "",
        "Found 3 problems (3 errors) in 2 files (3 files checked).",
    ]
    both = uelint("check", "--statistics", "-o", "full.txt", cwd=tmp_path)
    assert both.stdout.startswith("2  UE001")
    assert (tmp_path / "full.txt").read_text("utf-8").startswith("a.js:1:31: UE001 ")


def test_stdin_is_checked_as_the_named_file(tmp_path: Path) -> None:
    result = uelint_stdin("check", "--stdin-filename", "src/app.js", cwd=tmp_path,
                          data=VIOLATION.encode())
    assert result.returncode == 1, result.stderr
    assert result.stdout.decode().startswith("src/app.js:1:31: UE001 ")
    absolute = uelint_stdin("check", "--stdin-filename", str(tmp_path / "lib" / "x.js"),
                            "--format", "json", cwd=tmp_path, data=VIOLATION.encode())
    assert json.loads(absolute.stdout)["findings"][0]["path"] == "lib/x.js"


def test_stdin_language_by_suffix_or_shebang(tmp_path: Path) -> None:
    python = b"window.userengage('client.update', {'user_id': 1})\n"
    assert uelint_stdin("check", "--stdin-filename", "app.py", cwd=tmp_path,
                        data=python).returncode == 1
    script = b"#!/usr/bin/env python3\n" + python
    assert uelint_stdin("check", "--stdin-filename", "bin/track", cwd=tmp_path,
                        data=script).returncode == 1
    clean = uelint_stdin("check", "--stdin-filename", "app.js", cwd=tmp_path, data=CLEAN.encode())
    assert clean.returncode == 0 and b"All checks passed (1 file checked)." in clean.stdout


def test_stdin_usage_errors(tmp_path: Path) -> None:
    unknown = uelint_stdin("check", "--stdin-filename", "notes.txt", cwd=tmp_path, data=b"x")
    assert unknown.returncode == 2 and b"cannot tell the language of 'notes.txt'" in unknown.stderr
    with_path = uelint_stdin("check", "--stdin-filename", "a.js", "src", cwd=tmp_path, data=b"")
    assert with_path.returncode == 2 and b"give no PATH" in with_path.stderr


def test_sarif_category(tmp_path: Path) -> None:
    write(tmp_path, {"app.js": VIOLATION})
    default = json.loads(uelint("check", "--format", "sarif", cwd=tmp_path).stdout)
    assert default["runs"][0]["automationDetails"] == {"id": "uelint/"}
    chosen = uelint("check", "--format", "sarif", "--sarif-category", "frontend", cwd=tmp_path)
    assert json.loads(chosen.stdout)["runs"][0]["automationDetails"] == {"id": "frontend/"}


def test_sarif_is_byte_identical_across_runs(tmp_path: Path) -> None:
    write(tmp_path, {"b/app.js": VIOLATION, "a/dir with space/ü%.js": VIOLATION * 3,
                     "c/x.py": "window.userengage('client.update', {'user_id': 1})\n"})
    first = uelint("check", "--format", "sarif", cwd=tmp_path).stdout
    second = uelint("check", "--format", "sarif", cwd=tmp_path).stdout
    assert first == second
    prints = [r["partialFingerprints"] for r in json.loads(first)["runs"][0]["results"]]
    assert all(set(p) == {"primaryLocationLineHash", "uelint/v2"} for p in prints)
    assert len({p["uelint/v2"] for p in prints}) == len(prints)


def test_text_wraps_to_columns(tmp_path: Path) -> None:
    write(tmp_path, {"app.js": VIOLATION})
    wrapped = uelint("check", cwd=tmp_path, env={"COLUMNS": "60"}).stdout.splitlines()
    assert wrapped[0].startswith("app.js:1:31: UE001 [error] `user_id`")
    assert all(len(line) <= 60 for line in wrapped)
    unwrapped = uelint("check", cwd=tmp_path, env={"COLUMNS": ""}).stdout.splitlines()
    assert unwrapped[0].endswith("or window.civchat instead.")


def test_report_files_get_the_usual_permissions(tmp_path: Path) -> None:
    fresh, kept = tmp_path / "fresh.json", tmp_path / "kept.json"
    kept.write_text("old\n", encoding="utf-8")
    kept.chmod(0o640)
    umask = os.umask(0o022)
    try:
        cli._write_report(fresh, "{}\n")
        cli._write_report(kept, "{}\n")
    finally:
        os.umask(umask)
    assert fresh.stat().st_mode & 0o777 == 0o644
    assert kept.stat().st_mode & 0o777 == 0o640 and kept.read_text("utf-8") == "{}\n"


def test_reports_are_written_atomically(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    report = tmp_path / "report.sarif"
    report.write_text("the previous report\n", encoding="utf-8")

    def interrupted(src: str, dst: str) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        cli._write_report(report, "a new report that never lands\n")
    assert report.read_text("utf-8") == "the previous report\n"
    assert [p.name for p in tmp_path.iterdir()] == ["report.sarif"]


@pytest.mark.parametrize(("fmt", "absent"), [
    ("text", ["uelint.reporters.sarif", "uelint.reporters.junit", "xml.etree.ElementTree",
              "uelint.reporters.json"]),
    ("github", ["uelint.reporters.sarif", "uelint.reporters.text", "xml.etree.ElementTree"]),
])
def test_only_the_chosen_reporter_is_imported(tmp_path: Path, fmt: str, absent: list[str]) -> None:
    write(tmp_path, {"app.js": VIOLATION})
    code = (
        "import sys\nfrom uelint.cli import main\n"
        f"rc = main(['check', '--format', {fmt!r}])\n"
        f"loaded = [m for m in {absent!r} if m in sys.modules]\n"
        "assert not loaded, loaded\nsys.exit(rc)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], check=False, cwd=tmp_path,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 1, result.stderr
