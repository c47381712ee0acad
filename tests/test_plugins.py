"""Third-party rules plug in through the `uelint` entry-point group, like the built-ins."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from tests.test_cli import uelint, write
from uelint import plugins

PLUGIN = textwrap.dedent('''
    from uelint import Level, Rule, hookimpl


    class EventNameCase(Rule):
        """
        ## What it does
        Flags custom events whose names are not lower snake case (a house style).
        """

        code = "ACME001"
        name = "event-name-case"
        summary = "Our event names are lower snake case."
        level = Level.ERROR

        def check(self, call, file):
            if call.api and call.api.startswith("event.") and call.api != call.api.lower():
                yield self.diagnostic(
                    file, call.span, f"`{call.api}`: our event names are lower snake case"
                )


    @hookimpl
    def uelint_rules():
        return [EventNameCase()]
''')


@pytest.fixture()
def installed_plugin(tmp_path: Path) -> dict[str, str]:
    """A distribution with an entry point, as `pip install acme-uelint` would leave it."""
    site = tmp_path / "site"
    write(site, {
        "acme_uelint.py": PLUGIN,
        "acme_uelint-1.0.dist-info/METADATA": (
            "Metadata-Version: 2.1\n"
            "Name: acme-uelint\n"
            "Version: 1.0\n"
        ),
        "acme_uelint-1.0.dist-info/entry_points.txt": "[uelint]\nacme = acme_uelint\n",
    })
    return {"PYTHONPATH": str(site)}


def test_entry_point_plugin_reports(tmp_path: Path, installed_plugin: dict[str, str]) -> None:
    write(tmp_path, {"app.js": 'userengage("event.DownloadPdf");\n'})
    result = uelint("check", "app.js", cwd=tmp_path, env=installed_plugin)
    assert result.returncode == 1, result.stdout + result.stderr
    assert ("app.js:1:1: ACME001 [error] `event.DownloadPdf`: our event names are lower snake "
            "case") in result.stdout
    assert "ACME001" in uelint("rules", cwd=tmp_path, env=installed_plugin).stdout
    assert "acme (acme-uelint)" in uelint("plugins", cwd=tmp_path, env=installed_plugin).stdout


def test_autoload_can_be_disabled(tmp_path: Path, installed_plugin: dict[str, str]) -> None:
    write(tmp_path, {"app.js": 'userengage("event.DownloadPdf");\n'})
    env = {**installed_plugin, plugins.DISABLE_AUTOLOAD_ENV: "1"}
    assert uelint("check", "app.js", cwd=tmp_path, env=env).returncode == 0


def test_builtin_rules_come_through_the_hook() -> None:
    registry = plugins.load(autoload=False)
    codes = list(registry.rules)
    assert codes[:3] == ["UE001", "UE002", "UE003"] and codes[-2:] == ["UE100", "UE101"]
    assert all(code.startswith("UE") for code in codes)
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


def test_a_plugin_installed_after_a_run_is_found_by_the_next(
    tmp_path: Path, installed_plugin: dict[str, str]
) -> None:
    site = Path(installed_plugin["PYTHONPATH"])
    plugin_files = {p.relative_to(site).as_posix(): p.read_text() for p in site.rglob("*")
                    if p.is_file()}
    shutil.rmtree(site)
    site.mkdir()
    project = tmp_path / "project"
    write(project, {"app.js": 'userengage("event.DownloadPdf");\n'})
    for _ in range(2):  # the second keeps what the first found, in the cache it made
        assert uelint("check", "app.js", cwd=project, env=installed_plugin).returncode == 0
    time.sleep(0.02)  # past the file system's timestamp granularity
    write(site, plugin_files)  # `pip install acme-uelint`
    result = uelint("check", "app.js", cwd=project, env=installed_plugin)
    assert result.returncode == 1 and "ACME001" in result.stdout


_IMPORTED = """
import sys
from uelint.cli import main
main(sys.argv[1:])
print("importlib.metadata" in sys.modules)
"""


def test_entry_points_are_found_once_while_nothing_is_installed(tmp_path: Path) -> None:
    write(tmp_path, {"app.js": 'userengage("event.DownloadPdf");\n'})
    runs = [subprocess.run([sys.executable, "-c", _IMPORTED, "check", "app.js"], cwd=tmp_path,
                           capture_output=True, text=True, check=False) for _ in range(3)]
    # The first run finds them and keeps them in the cache (outside the working directory,
    # so sys.path does not change): the others keep to what it found.
    assert [run.stdout.splitlines()[-1] for run in runs] == ["True", "False", "False"]
    runs.append(subprocess.run([sys.executable, "-c", _IMPORTED, "check", "--no-cache", "app.js"],
                               cwd=tmp_path, capture_output=True, text=True, check=False))
    assert runs[-1].stdout.splitlines()[-1] == "True"


def test_a_plugin_that_cannot_be_imported_is_a_clear_error(tmp_path: Path) -> None:
    site = tmp_path / "site"
    write(site, {
        "broken-1.0.dist-info/METADATA": "Metadata-Version: 2.1\nName: broken\nVersion: 1.0\n",
        "broken-1.0.dist-info/entry_points.txt": "[uelint]\nbroken = no_such_module:plugin\n",
    })
    write(tmp_path, {"app.js": "x;\n"})
    result = uelint("check", "app.js", cwd=tmp_path, env={"PYTHONPATH": str(site)})
    assert result.returncode == 2
    assert "could not load plugin 'broken' (no_such_module:plugin)" in result.stderr
    assert "ModuleNotFoundError" in result.stderr


def test_the_kept_plugin_list_is_data_and_survives_corruption(tmp_path: Path) -> None:
    cache_dir = tmp_path / "cache"
    plugins.load(cache_dir=cache_dir)
    kept = json.loads((cache_dir / "plugins.json").read_text())  # JSON: nothing to execute
    assert set(kept) == {"environment", "entry_points"}
    kept["entry_points"] = [["evil", 42]]  # and however it was damaged, it is found again
    (cache_dir / "plugins.json").write_text(json.dumps(kept))
    assert plugins.load(cache_dir=cache_dir).plugins == [("uelint.rules", "built-in")]
    (cache_dir / "plugins.json").write_text("{not json")
    assert plugins.load(cache_dir=cache_dir).plugins == [("uelint.rules", "built-in")]


def test_a_kept_entry_point_list_cannot_name_what_is_not_installed(
    tmp_path: Path, _own_cache_directory: Path
) -> None:
    """The list of entry points kept in the cache is data: one planted there (naming an
    importable module that no installed distribution declares) is found out and ignored."""
    site = tmp_path / "site"
    marker = tmp_path / "IMPORTED"
    write(site, {"planted.py": f"open({str(marker)!r}, 'w')\n"})
    write(tmp_path / "project", {"app.js": 'userengage("client.update", { user_id: 1 });\n'})
    env = {"PYTHONPATH": str(site)}
    assert uelint("check", "app.js", cwd=tmp_path / "project", env=env).returncode == 1
    (kept,) = _own_cache_directory.rglob("plugins.json")
    data = json.loads(kept.read_text())
    data["entry_points"] = [["acme", "planted", "acme-uelint", str(site / "acme-1.0.dist-info")]]
    kept.write_text(json.dumps(data))
    assert uelint("check", "app.js", cwd=tmp_path / "project", env=env).returncode == 1
    assert not marker.exists()
