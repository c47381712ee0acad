"""What governs a buffer: its project's rules and policy, and the one call that checks it.

A folder is a project root (found from a workspace folder as `uelint check` finds it from
the directory it runs in), with its rules configured and its per-file policies, built as the
CLI builds them. Folders are made on first use and forgotten when a configuration file
changes, so the next check reads the configuration again.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from pathlib import Path

from uelint import config, engine, plugins, project
from uelint.diagnostic import RunResult
from uelint.policy import Policies, Policy
from uelint.rule import Rule


@dataclass(frozen=True)
class Folder:
    """One project: every file under `root` is checked with these rules and policies."""

    root: Path
    rules: tuple[Rule, ...]
    by_code: dict[str, Rule]
    policies: Policies


def check_buffer(folder: Folder, path: Path, data: bytes) -> RunResult | None:
    """The findings of the unsaved buffer `data` of the file at `path` (absolute), as
    `uelint check` reports them (suppressed ones included, marked); None for a file whose
    language uelint does not check. Never reads the file on disk."""
    language = engine.buffer_language(path, data)
    if language is None:
        return None
    return engine.run_source(data, language, path, folder.rules, root=folder.root,
                             policy=folder.policies)


def load(root: Path) -> Folder:
    """The folder of the project at `root`. Raises config.ConfigError, plugins.PluginError."""
    registry = plugins.load()  # fresh rule objects: configuring them touches no other folder
    rules = registry.rules
    configs = project.Configs(root, lambda path: config.load(path, rules))
    top = configs.top
    for rule in rules.values():
        try:
            rule.configure(top.options_for(rule.code))
        except ValueError as exc:
            where = f"{top.path}: `rules.{rule.code}`" if top.path else rule.code
            raise config.ConfigError(f"{where}: {rule.code}: {exc}") from exc
    known = frozenset(rules)

    def policy(settings: config.Settings) -> Policy:
        return Policy(settings, known, frozenset(_reported(rules, settings)), root)

    return Folder(root, tuple(rules.values()), dict(rules), Policies(configs, policy, root))


def _reported(rules: dict[str, Rule], settings: config.Settings) -> list[str]:
    """The codes reported for the files `settings` govern (the CLI's, without its
    --select and --ignore)."""
    select = [*settings.select, *settings.extend_select]
    if not settings.select and settings.extend_select:
        select = []  # extend-select alone adds to the default (everything)
    return [code for code in rules
            if (not select or any(code.startswith(s) for s in select))
            and not any(code.startswith(s) for s in settings.ignore)
            and settings.severity_of(code) != "off"]


class Folders:
    """The folders of a workspace: each workspace folder's project, and, for a file outside
    them all, the project it is in."""

    def __init__(self) -> None:
        self.workspace: list[Path] = []  # the editor's workspace folders
        self._loaded: dict[Path, Folder] = {}
        self._lock = threading.Lock()  # checks run in threads

    def root_of(self, path: Path) -> Path:
        """The project root that governs `path`: that of the innermost workspace folder
        holding it, else the one found from the file's directory."""
        holding = [f for f in self.workspace if _under(path, f)]
        start = max(holding, key=lambda f: len(f.parts)) if holding else path.parent
        return project.find_root(start) or start

    def of(self, path: Path) -> Folder:
        """The folder governing `path`, loaded on first use. Raises config.ConfigError."""
        root = self.root_of(path)
        with self._lock:
            folder = self._loaded.get(root)
            if folder is None:
                folder = self._loaded[root] = load(root)
            return folder

    def forget(self) -> None:
        """Read every configuration again on the next check (a configuration file changed)."""
        with self._lock:
            self._loaded.clear()


def _under(path: Path, directory: Path) -> bool:
    return os.path.commonpath([path, directory]) == str(directory)
