"""Third-party rules plug in through the `uelint` entry-point group, like the built-ins."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from linter import plugins
from tests.test_cli import uelint, write

PLUGIN = textwrap.dedent('''
    from linter import Level, Rule, hookimpl


    class EventWithoutPrefix(Rule):
        """
        ## What it does
        Flags custom events sent without the `event.` prefix.
        """

        code = "ACME001"
        name = "event-without-prefix"
        summary = "Custom events need the event. prefix."
        level = Level.WARNING

        def check(self, call, file):
            if call.api and "." not in call.api:
                yield self.diagnostic(file, call.span, f"`{call.api}` is silently dropped: use `event.{call.api}`")


    @hookimpl
    def uelint_rules():
        return [EventWithoutPrefix()]
''')


@pytest.fixture()
def installed_plugin(tmp_path: Path) -> dict[str, str]:
    """A distribution with an entry point, as `pip install acme-uelint` would leave it."""
    site = tmp_path / "site"
    write(site, {
        "acme_uelint.py": PLUGIN,
        "acme_uelint-1.0.dist-info/METADATA": "Metadata-Version: 2.1\nName: acme-uelint\nVersion: 1.0\n",
        "acme_uelint-1.0.dist-info/entry_points.txt": "[uelint]\nacme = acme_uelint\n",
    })
    return {"PYTHONPATH": str(site)}


def test_entry_point_plugin_reports(tmp_path: Path, installed_plugin: dict[str, str]) -> None:
    write(tmp_path, {"app.js": 'userengage("download_pdf");\n'})
    result = uelint("check", "app.js", cwd=tmp_path, env=installed_plugin)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "app.js:1:1: ACME001 `download_pdf` is silently dropped" in result.stdout
    assert "ACME001" in uelint("rules", cwd=tmp_path, env=installed_plugin).stdout
    assert "acme (acme-uelint)" in uelint("plugins", cwd=tmp_path, env=installed_plugin).stdout


def test_autoload_can_be_disabled(tmp_path: Path, installed_plugin: dict[str, str]) -> None:
    write(tmp_path, {"app.js": 'userengage("download_pdf");\n'})
    env = {**installed_plugin, plugins.DISABLE_AUTOLOAD_ENV: "1"}
    assert uelint("check", "app.js", cwd=tmp_path, env=env).returncode == 0


def test_builtin_rules_come_through_the_hook() -> None:
    registry = plugins.load(autoload=False)
    assert list(registry.rules) == ["UE001", "UE002", "UE003", "UE100", "UE101"]
    assert registry.plugins == [("uelint.rules", "built-in")]


def test_invalid_plugin_rule_is_a_clear_error() -> None:
    class NoCode(plugins.Rule):
        name = "x"
        summary = "x"

    class Plugin:
        @plugins.hookspecs.hookimpl
        def uelint_rules(self) -> list[plugins.Rule]:
            return [NoCode()]

    with pytest.raises(plugins.PluginError, match="has no string `code`"):
        plugins.load(autoload=False, extra=(Plugin(),))
