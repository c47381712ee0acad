"""A warm run reports exactly what `--no-cache` reports, whatever changed between runs.

The cache holds each file's analysis, which depends on no configuration that filters
findings; the policy (levels, selection, per-file-ignores, suppressions) runs on every run.
These tests change what the policy reads between warm runs and compare with a cold run.
"""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import pytest

from tests.test_cli import uelint, write
from tests.test_plugins import installed_plugin  # noqa: F401  (a fixture)
from uelint import plugins

SOURCES = {
    "src/app.js": (
        'userengage("client.update", { user_id: 1, browser: "x", country: "PL" });\n'
        "// uelint-disable-next-line UE003 -- our own browser field\n"
        'userengage("client.update", { browser: "y" });\n'
        'userengage("download_pdf");  // uelint-disable-line ACME001 -- legacy event name\n'
    ),
    "src/login.js": (
        "function handleLogin(user) {\n"
        '  userengage("client.update", { email: user.email });\n'
        "}\n"
    ),
    "legacy/old.js": 'userengage("client.update", { user_id: 2 });\n',
    "src/track.js": 'analytics.track("client.update", { user_id: 4 });\n',  # a declared wrapper
    "tests/fixture.py": 'window.userengage("client.update", {"user_id": 3})  # noqa: UE001\n',
}

# Each configuration a warm run is compared in, one key changed at a time.
CONFIGS = [
    "",
    'select = ["UE001"]',
    'extend-select = ["UE00"]',
    'ignore = ["UE003"]',
    'extend-exclude = ["legacy/"]',
    'exclude = ["tests/"]',
    "force-exclude = true",
    'fail-on = "error"',
    '[per-file-ignores]\n"tests/**" = ["UE001"]',
    "[severity]\nUE002 = \"error\"\nUE003 = \"off\"",
    '[rules.UE002]\nextend-auth-words = ["anmelden"]',
    '[rules.UE003.tiers]\nip-geo = "error"',
    '[[wrappers]]\nname = "analytics.track"\nmethod-arg = 0\npayload-arg = 1',
]


def report(project: Path, *extra: str, env: dict[str, str] | None = None) -> tuple[int, object]:
    done = uelint("check", "--format", "json", *extra, ".", cwd=project, env=env)
    assert done.returncode in (0, 1, 2), done.stderr
    found = json.loads(done.stdout)
    for key in ("root",):
        found.pop(key)
    return done.returncode, found


def test_every_configuration_key_changed_between_warm_runs(tmp_path: Path) -> None:
    project = tmp_path / "project"
    write(project, SOURCES)
    config = project / "uelint.toml"
    seen = set()
    for body in CONFIGS + CONFIGS[:1]:  # and back to the first, whose entries are all cached
        config.write_text(body + "\n")
        warm = report(project)
        assert warm == report(project, "--no-cache"), body
        seen.add(json.dumps(warm, sort_keys=True))
    assert len(seen) >= 8  # the configurations do change what is reported


def test_a_removed_plugin_whose_code_a_directive_names(
    tmp_path: Path, installed_plugin: dict[str, str]  # noqa: F811
) -> None:
    """The stale case of issue 12: a plugin installed, a directive naming its code, the plugin
    removed, a warm run: the directive's code is unknown now (UE101), warm as cold. (With
    `--select UE` the plugin's rule never ran, and before the policy came after the cache,
    nothing in the cache key changed with it.)"""
    project = tmp_path / "project"
    write(project, SOURCES)
    with_plugin = report(project, "--select", "UE", env=installed_plugin)
    assert "ACME001" not in json.dumps(with_plugin[1])  # suppressed by the directive
    shutil.rmtree(installed_plugin["PYTHONPATH"])  # `pip uninstall acme-uelint`
    time.sleep(0.02)
    warm = report(project, "--select", "UE", env=installed_plugin)
    assert warm == report(project, "--select", "UE", "--no-cache", env=installed_plugin)
    invalid = [f for f in warm[1]["findings"] if f["rule"] == "UE101"]  # type: ignore[index]
    assert [f["line"] for f in invalid] == [4] and "ACME001" in invalid[0]["message"]


ALL_OFF = "[severity]\n" + "".join(f'{code} = "off"\n'
                                   for code in plugins.load(autoload=False).rules)


@pytest.mark.parametrize("config", ['ignore = ["UE"]', ALL_OFF])
def test_a_run_that_checks_nothing_is_an_error(tmp_path: Path, config: str) -> None:
    write(tmp_path, {"a.js": 'userengage("client.update", { user_id: 1 });\n',
                     "uelint.toml": config + "\n"})
    done = uelint("check", ".", cwd=tmp_path)
    assert done.returncode == 2 and "every rule is turned off" in done.stderr
    assert "All checks passed" not in done.stdout


def test_a_run_with_no_rule_loaded_is_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from uelint import cli

    monkeypatch.setattr(plugins, "load", lambda **_: plugins.Registry({}, []))
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.js").write_text('userengage("client.update", { user_id: 1 });\n')
    assert cli.main(["check", "--no-cache", "."]) == 2
    assert "no rules are loaded" in capsys.readouterr().err
