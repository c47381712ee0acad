"""The real command, end to end, in a subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

VIOLATION = 'userengage("client.update", { user_id: id, first_name: name });\n'
CLEAN = 'userengage("client.update", { first_name: name });\n'


def uelint(
    *args: str, cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, "NO_COLOR": "1", **(env or {})}
    full_env.pop("FORCE_COLOR", None)
    return subprocess.run(
        [sys.executable, "-m", "uelint", *args], cwd=cwd, env=full_env,
        capture_output=True, text=True, timeout=120,
    )


def write(root: Path, files: dict[str, str | bytes]) -> None:
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")


def test_clean_tree_exits_0(tmp_path: Path) -> None:
    write(tmp_path, {"app.js": CLEAN, "lib/util.py": "print('hi')\n"})
    result = uelint("check", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "All checks passed (2 files checked)." in result.stdout


def test_findings_exit_1_with_location_snippet_and_summary(tmp_path: Path) -> None:
    write(tmp_path, {"src/app.js": "// profile\n" + VIOLATION})
    result = uelint("check", cwd=tmp_path)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert lines[0].startswith(
        "src/app.js:2:31: UE001 [error] `user_id` in client.update never switches users")
    assert "2 | userengage(" in result.stdout
    caret_line = next(line for line in lines if "^" in line)
    assert caret_line.index("^") == lines[lines.index(caret_line) - 1].index("user_id")
    assert caret_line.count("^") == len("user_id")
    assert lines[-1] == "Found 1 problem (1 error) in 1 file (1 file checked)."
    assert "\033[" not in result.stdout


def test_color_only_when_asked_or_on_a_tty(tmp_path: Path) -> None:
    write(tmp_path, {"app.js": VIOLATION})
    assert "\033[" in uelint("check", "--color", "always", cwd=tmp_path).stdout
    assert "\033[" not in uelint("check", "--color", "never", cwd=tmp_path).stdout


def test_select_and_ignore(tmp_path: Path) -> None:
    write(tmp_path, {"app.js": 'userengage("client.update", { user_id: 1, ip_address: 2 });\n'})
    both = uelint("check", cwd=tmp_path).stdout
    assert "UE001" in both and "UE003" in both
    only = uelint("check", "--select", "UE003", cwd=tmp_path)
    assert "UE001" not in only.stdout and "UE003" in only.stdout and only.returncode == 1
    ignored = uelint("check", "--ignore", "UE001,UE003", cwd=tmp_path)
    assert ignored.returncode == 0
    prefix = uelint("check", "--select", "UE00", cwd=tmp_path).stdout
    assert "UE001" in prefix and "UE003" in prefix


def test_unknown_rule_code_is_a_usage_error_with_a_hint(tmp_path: Path) -> None:
    result = uelint("check", "--select", "UE0001", cwd=tmp_path)
    assert result.returncode == 2
    assert "unknown rule code or prefix 'UE0001'" in result.stderr
    assert "did you mean UE001?" in result.stderr
    assert "Traceback" not in result.stderr


def test_missing_path_exits_2(tmp_path: Path) -> None:
    result = uelint("check", "nope.js", cwd=tmp_path)
    assert result.returncode == 2
    assert "nope.js: no such file or directory" in result.stderr


def test_bad_files_are_reported_and_the_rest_still_checked(tmp_path: Path) -> None:
    write(tmp_path, {
        "a_invalid_utf8.js": b'userengage("client.update", { name: "\xff\xfe" });\n',
        "b_binary.js": b"\x00\x01userengage\x00",
        "c_syntax.js": 'function (\nuserengage("client.update", { user_id: 1 });\n',
        "d_empty.js": "",
        "e_syntax.py": "def f(:\n    window.userengage('client.update', {'user_id': 1})\n",
        "f_good.js": VIOLATION,
    })
    result = uelint("check", cwd=tmp_path)
    out = result.stdout
    assert result.returncode == 2, out + result.stderr
    assert "Traceback" not in result.stderr
    assert "a_invalid_utf8.js:1:38: error: not valid UTF-8 (byte 0xff" in out
    assert "b_binary.js: error: looks like a binary file" in out
    assert "c_syntax.js:1:" in out and "syntax error" in out
    assert "c_syntax.js:2:31: UE001" in out  # tree-sitter recovered: findings after the error
    assert "e_syntax.py:1:" in out
    assert "f_good.js:1:31: UE001" in out
    assert "could not be checked completely" in out


def test_minified_bundle(tmp_path: Path) -> None:
    filler = "".join(f"function f{i}(a){{return a+{i}}};" for i in range(200_000))
    bundle = filler + 'window.userengage("client.update",{user_id:u});' + filler
    assert len(bundle) > 5_000_000
    write(tmp_path, {"dist.min.js": bundle})
    result = uelint("check", "dist.min.js", cwd=tmp_path)
    assert result.returncode == 1
    assert "dist.min.js:1:" in result.stdout and "UE001" in result.stdout
    longest = max(len(line) for line in result.stdout.splitlines()[1:])
    assert longest < 400  # the snippet is a window, not the 5 MB line


def test_explicit_file_is_checked_even_if_ignored_and_shebang_script(tmp_path: Path) -> None:
    write(tmp_path, {
        ".gitignore": "generated/\n",
        "generated/app.js": VIOLATION,
        "bin/track": "#!/usr/bin/env python3\nwindow.userengage('client.update', {'user_id': 1})\n",
    })
    (tmp_path / ".git").mkdir()
    assert uelint("check", cwd=tmp_path).returncode == 0
    assert uelint("check", "generated/app.js", cwd=tmp_path).returncode == 1
    script = uelint("check", "bin/track", cwd=tmp_path)
    assert script.returncode == 1 and "bin/track:2:" in script.stdout


def test_unknown_language_of_named_file(tmp_path: Path) -> None:
    write(tmp_path, {"README.md": "userengage\n"})
    result = uelint("check", "README.md", cwd=tmp_path)
    assert result.returncode == 2
    assert "cannot tell the language of this file" in result.stdout


def test_sarif_output_file(tmp_path: Path) -> None:
    write(tmp_path, {"web/app.js": VIOLATION})
    result = uelint("check", "--format", "sarif", "--output", "report.sarif", cwd=tmp_path)
    assert result.returncode == 1 and result.stdout == ""
    log = json.loads((tmp_path / "report.sarif").read_text("utf-8"))
    (res,) = log["runs"][0]["results"]
    assert res["ruleId"] == "UE001"
    assert res["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "web/app.js"
    assert not list(tmp_path.glob(".report.sarif.*"))  # no temporary file left behind


def test_rule_and_rules_commands(tmp_path: Path) -> None:
    doc = uelint("rule", "UE001", cwd=tmp_path)
    assert doc.returncode == 0
    for section in ("## What it does", "## Why is this bad?", "## Example", "## Use instead"):
        assert section in doc.stdout
    assert uelint("rule", "user-id-in-update", cwd=tmp_path).returncode == 0
    missing = uelint("rule", "UE999", cwd=tmp_path)
    assert missing.returncode == 2 and "unknown rule" in missing.stderr
    table = uelint("rules", cwd=tmp_path).stdout
    assert all(code in table for code in ("UE001", "UE002", "UE003"))


def test_version(tmp_path: Path) -> None:
    result = uelint("--version", cwd=tmp_path)
    assert result.returncode == 0 and result.stdout.startswith("uelint ")


@pytest.mark.parametrize("name", ["node_modules", ".venv", "dist", "build", ".git"])
def test_default_excluded_directories(tmp_path: Path, name: str) -> None:
    write(tmp_path, {f"{name}/lib.js": VIOLATION, "app.js": CLEAN})
    assert uelint("check", cwd=tmp_path).returncode == 0


def test_javascript_only_run_does_not_import_libcst(tmp_path: Path) -> None:
    write(tmp_path, {"app.js": VIOLATION, "tool.py": "print('no tracking here')\n"})
    code = (
        "import sys\nfrom uelint.cli import main\nrc = main(['check', '.'])\n"
        "assert 'libcst' not in sys.modules, 'libcst was imported'\nsys.exit(rc)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 1, result.stderr


def test_the_command_exits_with_main_s_code_and_flushes_its_output(tmp_path: Path) -> None:
    """`uelint` leaves without tearing the interpreter down: what it printed must all be there."""
    (tmp_path / "a.js").write_text('userengage("client.update", { user_id: 1 });\n' * 300)
    done = subprocess.run([sys.executable, "-m", "uelint", "check", "--format", "json", "a.js"],
                          cwd=tmp_path, capture_output=True, text=True)
    assert done.returncode == 1
    assert len(json.loads(done.stdout)["findings"]) == 300


def test_verbose_and_config_say_which_configuration_governs(tmp_path: Path) -> None:
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    write(tmp_path, {"uelint.toml": 'ignore = ["UE003"]\n', "src/a.js": "x();\n"})
    verbose = uelint("check", "--verbose", "src", cwd=tmp_path).stderr
    assert f"configuration: {tmp_path / 'uelint.toml'}" in verbose
    rules = next(line for line in verbose.splitlines() if line.startswith("uelint: rules: "))
    assert rules.startswith("uelint: rules: UE001, UE002, UE004") and "UE003" not in rules
    assert uelint("config", "src", cwd=tmp_path).stdout.startswith(f"# {tmp_path / 'uelint.toml'}")


def test_options_are_never_abbreviated(tmp_path: Path) -> None:
    write(tmp_path, {"a.js": 'userengage("client.update", { user_id: 1 });\n'})
    done = uelint("check", "--form", "json", "--stat", ".", cwd=tmp_path)
    assert done.returncode == 2 and "unrecognized arguments: --form --stat" in done.stderr


def test_exit_zero_and_max_warnings(tmp_path: Path) -> None:
    write(tmp_path, {
        "uelint.toml": 'fail-on = "error"\n',
        "warn.js": 'userengage("client.update", { browser: "x", timezone: "y" });\n',  # 2 warnings
        "err.js": 'userengage("client.update", { user_id: 1 });\n',
    })
    assert uelint("check", ".", cwd=tmp_path).returncode == 1
    assert uelint("check", "--exit-zero", ".", cwd=tmp_path).returncode == 0
    assert uelint("check", "warn.js", cwd=tmp_path).returncode == 0  # warnings pass fail-on
    assert uelint("check", "--max-warnings", "2", "warn.js", cwd=tmp_path).returncode == 0
    assert uelint("check", "--max-warnings", "1", "warn.js", cwd=tmp_path).returncode == 1
    assert uelint("check", "--max-warnings", "x", "warn.js", cwd=tmp_path).returncode == 2


def test_every_rule_documentation_and_the_rule_table_as_json(tmp_path: Path) -> None:
    every = uelint("rule", "--all", cwd=tmp_path).stdout
    table = json.loads(uelint("rules", "--format", "json", cwd=tmp_path).stdout)
    assert [line for line in every.splitlines() if line.startswith("# UE")] == [
        f"# {r['code']} {r['name']} ({r['level']})" for r in table]
    assert [(r["code"], r["name"], r["level"]) for r in table][:3] == [
        ("UE001", "user-id-in-update", "error"), ("UE002", "update-in-auth-handler", "warning"),
        ("UE003", "immutable-attribute", "error")]
    assert uelint("rule", "UE001", cwd=tmp_path).stdout.strip() in every
    assert uelint("rule", cwd=tmp_path).returncode == 2


def test_rule_with_a_typo_suggests_the_rule(tmp_path: Path) -> None:
    by_name = uelint("rule", "user-id-in-updat", cwd=tmp_path)
    assert by_name.returncode == 2 and "did you mean user-id-in-update?" in by_name.stderr
    by_code = uelint("rule", "ue0001", cwd=tmp_path)
    assert by_code.returncode == 2 and "did you mean UE001?" in by_code.stderr
    assert uelint("rule", "User-Id-In-Update", cwd=tmp_path).returncode == 2  # names are exact


def test_columns_sets_the_width_when_standard_output_is_a_pipe(tmp_path: Path) -> None:
    """pre-commit pipes the output and sets COLUMNS: the rule table wraps at words to fit."""
    narrow = uelint("rules", cwd=tmp_path, env={"COLUMNS": "80"}).stdout.splitlines()
    assert max(map(len, narrow)) <= 80 and len(narrow) > 8  # summaries wrapped
    summaries = " ".join(line[narrow[0].index("SUMMARY"):] for line in narrow[1:])
    wide = uelint("rules", "--format", "json", cwd=tmp_path).stdout
    for word in summaries.split():  # every wrapped word is a whole word of some summary
        assert word in wide
    unbounded = uelint("rules", cwd=tmp_path, env={"COLUMNS": ""}).stdout.splitlines()
    assert len(unbounded) == 1 + len(json.loads(wide))  # no width: one line per rule


TWO = 'userengage("client.update", { user_id: 1, ip_address: 2 });\n'


def codes(result: subprocess.CompletedProcess[str]) -> list[str]:
    """`path:CODE` of each finding of a concise report."""
    return [f"{line.split(':')[0]}:{line.split()[1]}" for line in result.stdout.splitlines()
            if ": UE" in line]


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    write(tmp_path, {"src/a.js": TWO, "src/legacy/b.js": TWO, "tests/c.js": TWO,
                     "node_modules/d.js": TWO, "README.md": "userengage\n"})
    return tmp_path


def check(tree: Path, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return uelint("check", "--no-cache", "--output-format", "concise", "-q", *args,
                  cwd=cwd or tree)


def test_select_all_and_extend_select(tree: Path) -> None:
    everything = codes(check(tree, "src/a.js"))
    assert everything == ["src/a.js:UE001", "src/a.js:UE003"]
    assert codes(check(tree, "--select", "ALL", "src/a.js")) == everything
    assert codes(check(tree, "--select", "all", "--ignore", "UE003", "src/a.js")) == [
        "src/a.js:UE001"]
    assert codes(check(tree, "--select", "UE003", "--extend-select", "UE001", "src/a.js")) == (
        everything)
    write(tree, {"uelint.toml": 'select = ["UE003"]\n'})
    assert codes(check(tree, "src/a.js")) == ["src/a.js:UE003"]
    assert codes(check(tree, "--extend-select", "UE001", "src/a.js")) == everything
    assert codes(check(tree, "--select", "UE001", "src/a.js")) == ["src/a.js:UE001"]
    bad = check(tree, "--extend-select", "UE0001")
    assert bad.returncode == 2 and "did you mean UE001?" in bad.stderr


def test_exclude_and_extend_exclude(tree: Path) -> None:
    files = uelint("check", "--show-files", cwd=tree)
    assert files.returncode == 0
    assert files.stdout.splitlines() == ["src/a.js", "src/legacy/b.js", "tests/c.js"]
    extended = uelint("check", "--show-files", "--extend-exclude", "legacy/,tests", cwd=tree)
    assert extended.stdout.splitlines() == ["src/a.js"]
    # --exclude replaces the defaults too: node_modules is checked
    replaced = uelint("check", "--show-files", "--exclude", "legacy", cwd=tree)
    assert replaced.stdout.splitlines() == ["node_modules/d.js", "src/a.js", "tests/c.js"]
    # patterns are relative to the working directory, as Ruff's are
    write(tree, {"uelint.toml": 'extend-exclude = ["tests/"]\n'})
    inside = uelint("check", "--show-files", "--extend-exclude", "/legacy", cwd=tree / "src")
    assert inside.stdout.splitlines() == ["a.js"]
    assert codes(check(tree, "--extend-exclude", "src")) == []  # the configuration's: tests/


def test_per_file_ignores_on_the_command_line(tree: Path) -> None:
    assert codes(check(tree, "--per-file-ignores", "tests/**:UE001,UE003,src/**:ALL")) == []
    assert codes(check(tree, "--per-file-ignores", "tests/**:UE001", "--per-file-ignores",
                       "src/*.js:ue003")) == [
        "src/a.js:UE001", "src/legacy/b.js:UE001", "src/legacy/b.js:UE003", "tests/c.js:UE003"]
    # in place of the configuration's; --extend-per-file-ignores adds to it
    write(tree, {"uelint.toml": '[per-file-ignores]\n"src/**" = ["UE001"]\n'})
    assert codes(check(tree, "--per-file-ignores", "tests/*:UE003", "tests")) == [
        "tests/c.js:UE001"]
    assert codes(check(tree, "--extend-per-file-ignores", "a.js:UE003", "src/a.js")) == []
    # relative to the working directory
    assert codes(check(tree, "--per-file-ignores", "legacy/:UE003", ".", cwd=tree / "src")) == [
        "a.js:UE001", "a.js:UE003", "legacy/b.js:UE001"]
    for value, message in [("UE001", "expected GLOB:CODE"), ("tests:", "no rule code"),
                           ("tests:UE9", "unknown rule code or prefix 'UE9'")]:
        bad = check(tree, "--per-file-ignores", value)
        assert bad.returncode == 2 and message in bad.stderr, bad.stderr


def test_isolated_ignores_every_configuration_file(tree: Path) -> None:
    write(tree, {"pyproject.toml": '[tool.uelint]\nignore = ["UE001"]\n',
                 "src/.uelint.toml": 'ignore = ["UE003"]\n'})
    assert codes(check(tree, "src/a.js", "tests")) == ["src/a.js:UE001", "tests/c.js:UE003"]
    assert codes(check(tree, "--isolated", "src/a.js", "tests")) == [
        "src/a.js:UE001", "src/a.js:UE003", "tests/c.js:UE001", "tests/c.js:UE003"]
    verbose = uelint("check", "--isolated", "--verbose", "src/a.js", cwd=tree).stderr
    assert "configuration: no configuration file (the defaults): --isolated" in verbose
    both = check(tree, "--isolated", "--config", "pyproject.toml")
    assert both.returncode == 2 and "--config cannot be used with --isolated" in both.stderr


def test_show_settings_and_show_files(tree: Path) -> None:
    write(tree, {"uelint.toml": 'ignore = ["UE003"]\n', "src/uelint.toml": 'fail-on = "note"\n'})
    shown = uelint("check", "--show-settings", "--extend-select", "UE00", "--extend-exclude",
                   "gen/", "src/a.js", cwd=tree)
    assert shown.returncode == 0 and "Found" not in shown.stdout
    lines = shown.stdout.splitlines()
    assert lines[1] == f"# {tree / 'src' / 'uelint.toml'}: the nearest configuration up from " \
                       f"{tree / 'src'}"
    assert 'fail-on = "note"' in lines and 'extend-exclude = ["gen/"]' in lines
    every = [r["code"] for r in json.loads(uelint("rules", "--format", "json", cwd=tree).stdout)]
    assert lines[-1] == f"# rules reported: {', '.join(every)}"
    top = uelint("check", "--show-settings", "tests", cwd=tree).stdout.splitlines()
    assert top[-1] == f"# rules reported: {', '.join(c for c in every if c != 'UE003')}"
    named = uelint("check", "--show-files", "tests/c.js", "README.md", cwd=tree)
    assert named.stdout.splitlines() == ["README.md", "tests/c.js"]  # named: always checked


def test_sarif_names_the_tool_and_documents_the_suppression_rules(tmp_path: Path) -> None:
    write(tmp_path, {"a.js": "x(); // uelint-disable-line UE001\n"})
    done = uelint("check", "--format", "sarif", cwd=tmp_path)
    driver = json.loads(done.stdout)["runs"][0]["tool"]["driver"]
    assert driver["fullName"].startswith("uelint ") and "User.com" in driver["fullName"]
    rules = {r["id"]: r for r in driver["rules"]}
    for code, words in (("UE100", "suppresses nothing"), ("UE101", "uelint-disable-next-line")):
        markdown = rules[code]["help"]["markdown"]
        assert "## Why is this bad?" in markdown and words in markdown
        assert rules[code]["help"]["text"].strip()


@pytest.mark.parametrize(("pattern", "cwd", "root", "expected"), [
    ("legacy/", "/p", "/p", "legacy/"),  # the same directory: as written
    ("legacy/", "/p/src", "/p", "src/**/legacy/"),  # unanchored: at any depth under cwd
    ("/legacy", "/p/src", "/p", "src/legacy"),
    ("gen/*.js", "/p/src", "/p", "src/gen/*.js"),
    ("!keep.js", "/p/src", "/p", "!src/**/keep.js"),
    ("*.min.js", "/p", "/p/src", "*.min.js"),  # a nested configuration: unanchored stays
    ("src/legacy/*", "/p", "/p/src", "/legacy/*"),
    ("s*/legacy", "/p", "/p/src", "/legacy"),
    ("src", "/p", "/p/src/app", "**"),  # all of that configuration's tree
    ("**/legacy", "/p", "/p/src", "**/legacy"),
    ("lib/legacy", "/p", "/p/src", None),  # elsewhere: matches nothing there
    ("legacy", "/p/a", "/p/b", None),
])
def test_command_line_patterns_are_rebased_onto_each_configuration(
    pattern: str, cwd: str, root: str, expected: str | None
) -> None:
    from uelint.overrides import rebased

    assert rebased(pattern, Path(cwd), Path(root)) == expected


def test_command_line_patterns_reach_nested_configurations(tree: Path) -> None:
    write(tree, {"uelint.toml": "", "src/uelint.toml": 'ignore = ["UE003"]\n'})
    assert codes(check(tree, "--per-file-ignores", "src/legacy/*:UE001")) == [
        "src/a.js:UE001", "tests/c.js:UE001", "tests/c.js:UE003"]
    assert codes(check(tree, "--per-file-ignores", "tests:UE001,src:UE001")) == [
        "tests/c.js:UE003"]


def test_the_text_report_wraps_at_columns_when_piped(tmp_path: Path) -> None:
    """pre-commit runs hooks with a pipe for output and COLUMNS set to its terminal's."""
    write(tmp_path, {"a.js": VIOLATION})
    narrow = uelint("check", cwd=tmp_path, env={"COLUMNS": "60"}).stdout.splitlines()
    assert max(map(len, narrow)) <= 60 and len(narrow) > 6
    assert narrow[0].startswith("a.js:1:31: UE001 [error] ")
    unwrapped = uelint("check", cwd=tmp_path, env={"COLUMNS": ""}).stdout.splitlines()
    assert max(map(len, unwrapped)) > 100  # no width: the message on one line
