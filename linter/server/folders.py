"""What governs a buffer: its project's rules and policy, and the one call that checks it.

A folder is a project root (found from a workspace folder as `uelint check` finds it from
the directory it runs in), with its rules configured and its per-file policies, built as the
CLI builds them. Folders are made on first use and forgotten when a configuration file
changes, so the next check reads the configuration again.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from uelint import cache, config, configured, engine, plugins, project
from uelint.analysis import Analysis
from uelint.cache import Cache
from uelint.diagnostic import RunResult
from uelint.discover import Exclude
from uelint.policy import Policies, Policy
from uelint.rule import Rule
from uelint.watched import Watched
from uelint.wrappers import DeclaredWrapper


@dataclass(frozen=True)
class Folder:
    """One project: every file under `root` is checked with these rules and policies, in
    the context of the whole project (read through its cache, as `uelint check` reads it)."""

    root: Path
    rules: tuple[Rule, ...]
    by_code: dict[str, Rule]
    policies: Policies
    exclude: Exclude
    declared: tuple[DeclaredWrapper, ...]
    cache: Cache | None
    watched: Watched | None  # what the editor's file watcher reports, when it watches


def check_buffer(folder: Folder, path: Path, buffers: Mapping[str, bytes]) -> RunResult | None:
    """The findings of the file at `path` (absolute), as `uelint check` reports them
    (suppressed ones included, marked), with `buffers` (by absolute path; `path`'s among
    them) standing for the files on disk: the project's other files are its context. None
    for a file whose language uelint does not check."""
    if engine.buffer_language(path, buffers[os.path.abspath(path)]) is None:
        return None
    return engine.run([path], folder.rules, folder.root, project=folder.root, buffers=buffers,
                      jobs=1, cache=folder.cache, policy=folder.policies,
                      exclude=folder.exclude, declared=folder.declared, watched=folder.watched)


def load(root: Path, watching: bool = False) -> Folder:
    """The folder of the project at `root`; `watching`: the editor reports every change to
    its files. Raises config.ConfigError, plugins.PluginError."""
    directory = cache.default_directory(root)
    # Fresh rule objects: configuring them touches no other folder.
    registry = plugins.load(cache_dir=directory)
    rules = registry.rules
    configs = project.Configs(root, lambda path: config.load(path, rules))
    top = configs.top
    configured.configure(rules, top)
    known = frozenset(rules)

    def policy(settings: config.Settings) -> Policy:
        return Policy(settings, known, frozenset(configured.reported(rules, settings)), root)

    return Folder(root, tuple(rules.values()), dict(rules), Policies(configs, policy, root),
                  configured.exclude(top, root), top.wrappers,
                  Memo(directory, configured.analysis_digest(list(rules.values()), top)),
                  Watched() if watching else None)


class Memo(Cache):
    """The project's cache with the analyses it served kept in memory too: a check reads
    the whole project, so each keystroke would otherwise read and decode every candidate's
    entry again. An entry's key never changes meaning (cache.py), so a kept one is never
    stale; the least recently used go first."""

    SIZE = 4096

    def __init__(self, directory: Path, analysis: str) -> None:
        super().__init__(directory, analysis)
        self._kept: OrderedDict[str, Analysis] = OrderedDict()
        self._lock = threading.Lock()  # checks run in the pool's threads

    def get(self, key: str) -> Analysis | None:
        with self._lock:
            found = self._kept.get(key)
            if found is not None:
                self._kept.move_to_end(key)
                return found
        found = super().get(key)
        if found is not None:
            self._keep(key, found)
        return found

    def put(self, key: str, analysis: Analysis) -> None:
        self._keep(key, analysis)
        super().put(key, analysis)

    def _keep(self, key: str, analysis: Analysis) -> None:
        with self._lock:
            self._kept[key] = analysis
            self._kept.move_to_end(key)
            while len(self._kept) > self.SIZE:
                self._kept.popitem(last=False)


class Folders:
    """The folders of a workspace: each workspace folder's project, and, for a file outside
    them all, the project it is in."""

    def __init__(self) -> None:
        self.workspace: list[Path] = []  # the editor's workspace folders
        self.watching = False  # the editor reports every file's changes (watched.py)
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
                folder = self._loaded[root] = load(root, self.watching)
            return folder

    def report(self, path: Path, kind: str) -> None:
        """The editor's file watcher saw the file at `path` "created", "changed" or
        "deleted": tell the folders it is in."""
        with self._lock:
            folders = list(self._loaded.values())
        for folder in folders:
            if folder.watched is not None and _under(path, folder.root):
                folder.watched.report(str(path), kind)

    def watch(self) -> None:
        """The editor reports every file's changes from now on: folders made from now on
        may trust it."""
        with self._lock:
            self.watching = True
            self._loaded.clear()

    def forget(self) -> None:
        """Read every configuration again on the next check (a configuration file changed)."""
        with self._lock:
            self._loaded.clear()


def _under(path: Path, directory: Path) -> bool:
    return os.path.commonpath([path, directory]) == str(directory)
