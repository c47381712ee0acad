"""Adopting uelint on an existing codebase, through the real CLI: configuration, inline
suppressions, baselines, per-path rules."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.test_cli import uelint, write

UPDATE = 'userengage("client.update", {{ {keys} }});\n'


def call(*keys: str) -> str:
    return UPDATE.format(keys=", ".join(f"{k}: 1" for k in keys))


# -- configuration ----------------------------------------------------------------------------


def test_pyproject_table_select_ignore_and_severity(tmp_path: Path) -> None:
    write(tmp_path, {
        "pyproject.toml": '[project]\nname = "shop"\n\n[tool.uelint]\nignore = ["UE003"]\n\n'
                          '[tool.uelint.severity]\nUE001 = "warning"\n',
        "src/app.js": call("user_id", "ip_address"),
    })
    result = uelint("check", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr  # warnings do not fail
    assert "src/app.js:1:31: UE001 [warning]" in result.stdout and "UE003" not in result.stdout
    assert "(1 warning)" in result.stdout


def test_nearest_config_wins_and_config_flag_overrides(tmp_path: Path) -> None:
    write(tmp_path, {
        "uelint.toml": 'select = ["UE001"]\n',
        "web/.uelint.toml": 'select = ["UE003"]\n',
        "web/app.js": call("user_id", "ip_address"),
        "other.toml": 'ignore = ["UE001", "UE003"]\n',
    })
    assert "UE003" in uelint("check", "app.js", cwd=tmp_path / "web").stdout
    assert "UE001" not in uelint("check", "app.js", cwd=tmp_path / "web").stdout
    from_top = uelint("check", "web", cwd=tmp_path).stdout  # nearest to `web`: web/.uelint.toml
    assert "UE003" in from_top and "UE001" not in from_top
    overridden = uelint("check", "--config", "other.toml", "web", cwd=tmp_path)
    assert overridden.returncode == 0, overridden.stdout


def test_config_command_prints_the_effective_configuration(tmp_path: Path) -> None:
    write(tmp_path, {"uelint.toml": 'ignore = ["UE003"]\nfail-on = "error"\n\n'
                                    '[per-file-ignores]\n"tests/**" = ["UE001"]\n'})
    result = uelint("config", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "uelint.toml" in result.stdout
    assert 'ignore = ["UE003"]' in result.stdout and 'fail-on = "error"' in result.stdout
    assert '"tests/**" = ["UE001"]' in result.stdout


@pytest.mark.parametrize(("content", "message"), [
    ('selct = ["UE001"]\n', "`selct`: unknown key; did you mean `select`?"),
    ('select = "UE001"\n',
     "`select`: must be a list of rule codes or prefixes, not a string ('UE001')"),
    ('ignore = ["UE0O1"]\n', "`ignore`: unknown rule code 'UE0O1'; did you mean UE001?"),
    ('fail-on = "fatal"\n', "`fail-on`: must be one of 'error', 'warning', 'note', not 'fatal'"),
    ('[severity]\nUE001 = "critical"\n', "`severity.UE001`: must be one of"),
    ('[severity]\nUE042 = "error"\n', "`severity.UE042`: unknown rule code 'UE042'"),
    ('[rules.UE002]\nauth-words = "login"\n',
     "`rules.UE002.auth-words`: must be a list of strings"),
    ('[rules.UE002]\nwords = ["login"]\n', "UE002: unknown option(s) words"),
    ('[rules.UE001]\nstrict = true\n', "rule UE001 takes no options"),
    ('[[wrappers]]\nname = "analytics.track()"\n', "`wrappers[0].name`: must be a dotted name"),
    ('[[wrappers]]\nname = "track"\nmethod-arg = -1\n',
     "`wrappers[0].method-arg`: must be a position"),
    ('force-exclude = "yes"\n', "`force-exclude`: must be true or false"),
    ('select = [\n', "not valid TOML"),
])
def test_bad_configuration_is_a_clear_error(tmp_path: Path, content: str, message: str) -> None:
    write(tmp_path, {"uelint.toml": content, "app.js": call("user_id")})
    result = uelint("check", cwd=tmp_path)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "uelint.toml" in result.stderr and message in result.stderr, result.stderr


def test_missing_config_file(tmp_path: Path) -> None:
    result = uelint("check", "--config", "nope.toml", cwd=tmp_path)
    assert result.returncode == 2 and "nope.toml" in result.stderr


def test_exclude_per_file_ignores_and_force_exclude(tmp_path: Path) -> None:
    write(tmp_path, {
        "uelint.toml": (
            'extend-exclude = ["legacy/"]\n'
            "\n"
            "[per-file-ignores]\n"
            '"tests/**" = ["UE001"]\n'
        ),
        "legacy/old.js": call("user_id"),
        "tests/fixture.js": call("user_id", "ip_address"),
        "src/app.js": call("first_name"),
    })
    result = uelint("check", cwd=tmp_path)
    assert "legacy/old.js" not in result.stdout
    assert "tests/fixture.js:1:" in result.stdout and "UE001" not in result.stdout
    # pre-commit passes file names: excluded files are checked unless --force-exclude.
    assert uelint("check", "legacy/old.js", cwd=tmp_path).returncode == 1
    assert uelint("check", "--force-exclude", "legacy/old.js", cwd=tmp_path).returncode == 0


def test_fail_on_level(tmp_path: Path) -> None:
    write(tmp_path, {
        "uelint.toml": 'fail-on = "error"\n',
        "app.js": 'function handleLogin() { userengage("client.update", { a: 1 }); }\n',
    })
    result = uelint("check", cwd=tmp_path)
    assert "UE002" in result.stdout and result.returncode == 0  # a warning does not fail


def test_rule_options_reach_the_rule(tmp_path: Path) -> None:
    write(tmp_path, {
        "uelint.toml": '[rules.UE002]\nextend-auth-words = ["anmelden"]\n',
        "app.js": 'function onAnmelden() { userengage("client.update", { a: 1 }); }\n',
    })
    assert "UE002" in uelint("check", cwd=tmp_path).stdout


def test_attribute_policy_is_configurable(tmp_path: Path) -> None:
    write(tmp_path, {
        "uelint.toml": '[rules.UE003]\ntiers = { ip-geo = "warning" }\n'
                       'attributes = { erp_id = "system", language = "off" }\n',
        "app.js": call("country", "erp_id", "language", "first_name"),
    })
    out = uelint("check", cwd=tmp_path).stdout
    assert "`country`" in out and "`erp_id`" in out and "`language`" not in out
    write(tmp_path, {"bad.toml": '[rules.UE003]\ntiers = { geo = "off" }\n'})
    bad = uelint("check", "--config", "bad.toml", cwd=tmp_path)
    assert bad.returncode == 2
    assert "unknown tier 'geo'; one of documented, system, auto-detected, ip-geo" in bad.stderr


def test_declared_wrapper_from_a_package(tmp_path: Path) -> None:
    write(tmp_path, {
        "uelint.toml": '[[wrappers]]\nname = "analytics.track"\nmethod-arg = 0\npayload-arg = 1\n',
        "app.js": 'import analytics from "@acme/analytics";\n'
                  'analytics.track("client.update", { user_id: 1 });\n',
    })
    result = uelint("check", cwd=tmp_path)
    assert "app.js:2:36: UE001" in result.stdout, result.stdout
    assert "via `analytics.track`" in result.stdout


# -- inline suppressions ----------------------------------------------------------------------


def test_suppressions_unused_and_invalid(tmp_path: Path) -> None:
    write(tmp_path, {
        "app.js": (
            "// uelint-disable-next-line UE001 -- same user, id migration\n"
            + call("user_id")
            + call("user_id").rstrip("\n") + " // uelint-disable-line UE003\n"
            + call("email").rstrip("\n") + " // uelint-disable-line UE001\n"
            + call("email").rstrip("\n") + " // uelint-disable-line\n"
        ),
        "tool.py": "window.userengage('client.update', {'user_id': 1})  # noqa: UE001\n",
    })
    out = uelint("check", cwd=tmp_path).stdout
    assert "app.js:2:" not in out  # suppressed
    assert "app.js:3:31: UE001" in out  # the directive names another rule
    assert "app.js:3:" in out and "UE100 [warning] unused suppression: no UE003" in out
    assert "app.js:4:" in out and "UE100" in out
    assert "app.js:5:" in out and "UE101 [error] invalid suppression" in out
    assert "tool.py" not in out


def test_fix_removes_unused_suppressions(tmp_path: Path) -> None:
    write(tmp_path, {"app.js": "// uelint-disable-next-line UE001\nconst x = 1;\n"
                               "userengage('event.x'); // uelint-disable-line UE003\n"})
    result = uelint("check", "--fix", cwd=tmp_path)
    assert result.returncode == 0, result.stdout
    assert (tmp_path / "app.js").read_text() == "const x = 1;\nuserengage('event.x');\n"
    assert "Fixed 2 problem(s)." in result.stderr


def test_suppressed_findings_in_sarif_only_on_request(tmp_path: Path) -> None:
    suppressed = call("user_id").rstrip("\n") + " // uelint-disable-line UE001 -- reviewed\n"
    write(tmp_path, {"app.js": suppressed})
    default = json.loads(uelint("check", "--format", "sarif", cwd=tmp_path).stdout)
    assert default["runs"][0]["results"] == []
    included = json.loads(
        uelint("check", "--format", "sarif", "--include-suppressed", cwd=tmp_path).stdout
    )
    (result,) = included["runs"][0]["results"]
    assert result["suppressions"] == [{"kind": "inSource", "justification": "reviewed"}]


# -- baselines --------------------------------------------------------------------------------


def test_baseline_survives_line_moves_and_reports_fixed(tmp_path: Path) -> None:
    write(tmp_path, {"app.js": call("user_id") + call("ip_address")})
    written = uelint("check", "--write-baseline", "baseline.json", cwd=tmp_path)
    assert written.returncode == 0, written.stdout + written.stderr
    assert uelint("check", "--baseline", "baseline.json", cwd=tmp_path).returncode == 0

    # Unrelated edits move the lines; a new finding appears; an old one is fixed.
    write(tmp_path, {"app.js": "// header\n\n" + call("user_id") + call("browser_language")})
    result = uelint("check", "--baseline", "baseline.json", cwd=tmp_path)
    assert result.returncode == 1
    assert "browser_language" in result.stdout and "`user_id`" not in result.stdout
    assert "1 baseline entry no longer matches" in result.stderr

    pruned = uelint("check", "--baseline", "baseline.json", "--prune-baseline", cwd=tmp_path)
    assert pruned.returncode == 1
    entries = json.loads((tmp_path / "baseline.json").read_text())["findings"]
    assert [e["rule"] for e in entries] == ["UE001"]


@pytest.mark.parametrize(
    "content", ["not json", '{"tool": "other"}', '{"tool": "uelint", "version": 9}']
)
def test_bad_baseline_is_a_clear_error(tmp_path: Path, content: str) -> None:
    write(tmp_path, {"baseline.json": content, "app.js": call("user_id")})
    result = uelint("check", "--baseline", "baseline.json", cwd=tmp_path)
    assert result.returncode == 2 and "baseline.json" in result.stderr
    assert "Traceback" not in result.stderr


def test_all_in_the_configuration_is_every_rule(tmp_path: Path) -> None:
    write(tmp_path, {"uelint.toml": 'select = ["UE003"]\n',
                     "app.js": call("user_id", "ip_address")})
    assert "UE001" not in uelint("check", cwd=tmp_path).stdout
    write(tmp_path, {"uelint.toml": 'select = ["ALL"]\nignore = ["UE003"]\n'})
    done = uelint("check", cwd=tmp_path)
    assert "UE001" in done.stdout and "UE003" not in done.stdout
    write(tmp_path, {"uelint.toml": '[per-file-ignores]\n"app.js" = ["ALL"]\n'})
    assert uelint("check", cwd=tmp_path).returncode == 0
    write(tmp_path, {"uelint.toml": 'ignore = ["ALL"]\n'})
    assert "every rule is turned off" in uelint("check", cwd=tmp_path).stderr
