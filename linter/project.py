"""The project a run belongs to, and the configuration file that governs each of its files.

The project's root is the directory of the nearest configuration file up from where uelint
runs, else the git work tree's top, else the working directory; when no path named lies in
that project, the one found the same way from the paths named (`uelint check /elsewhere/x.js`
reads /elsewhere's project, not the working directory's). Every run reads the whole
project (what its files export is context for each one), and reports the files named.

Configuration is hierarchical, as Ruff's: each file is governed by the nearest configuration
file in its directory or above, up to the project's root (a nested `.uelint.toml`,
`uelint.toml` or `pyproject.toml` with `[tool.uelint]` replaces the root's for its subtree;
nothing is merged), whatever the order of the arguments. `--config FILE` governs every file.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path

from uelint import config
from uelint.config import Governing, Settings


def git_top(start: Path) -> Path | None:
    """The top of the git work tree `start` is in, if any."""
    for directory in (start, *start.parents):
        if os.path.exists(os.path.join(directory, ".git")):
            return directory
    return None


def find_root(start: Path, *, configured: bool = True, fallback: bool = True) -> Path | None:
    """The root of the project of `start` (a run's working directory): the directory of
    the nearest configuration file (unless not `configured`: a configuration named with
    --config, or none used), else the git work tree's top, else `start` itself when
    `fallback`. None for no project: never the home directory, a temporary directory or
    the file system's root, whose files are not one project (a file checked from there is
    checked alone)."""
    start = start.resolve()
    if configured:
        found = config.governing(start).path
        if found is not None:
            return found.parent.resolve()
    root = git_top(start) or (start if fallback else None)
    return None if root is None or root in _unowned() else root


def _unowned() -> set[Path]:
    return {Path(d).resolve() for d in config.temporary_directories()} | {
        Path.home().resolve(), Path("/")}


def root_for(cwd: Path, paths: Sequence[Path], *, configured: bool = True) -> Path | None:
    """The root of the project of a run from `cwd` that names `paths`: the working
    directory's, if a path named lies in it, else that of the paths named (only a
    configuration file or a git work tree makes one there); None for none."""
    root = find_root(cwd, configured=configured)
    absolute = [os.path.abspath(p) for p in paths]
    if not absolute or (root is not None and any(_inside(p, root) for p in absolute)):
        return root
    directories = [p if os.path.isdir(p) else os.path.dirname(p) for p in absolute]
    return find_root(Path(os.path.commonpath(directories)), configured=configured,
                     fallback=False)


def _inside(path: str, directory: Path) -> bool:
    return path == str(directory) or path.startswith(str(directory).rstrip(os.sep) + os.sep)


class Configs:
    """Which configuration governs each file, each file read once (`load` reads one)."""

    def __init__(self, root: Path, load: Callable[[Path | None], Settings],
                 fixed: Path | None = None, isolated: bool = False) -> None:
        self.root = root
        self._load = load
        self._fixed = fixed  # --config
        self._isolated = isolated  # --isolated: the defaults for every file
        self._files: dict[str, Path | None] = {}  # a directory -> its configuration file
        self._settings: dict[Path | None, Settings] = {}

    @property
    def top(self) -> Settings:
        """The settings of the project's root: what decides the scan (its excludes)."""
        return self.settings(self.root)

    def settings(self, path: str | os.PathLike[str]) -> Settings:
        """The settings that govern the file or directory at `path`."""
        found = self.governing(path).path
        if found not in self._settings:
            self._settings[found] = self._load(found)
        return self._settings[found]

    def every(self) -> list[Settings]:
        """The settings read so far."""
        return list(self._settings.values())

    def governing(self, path: str | os.PathLike[str]) -> Governing:
        """Which configuration file governs `path`, and why."""
        if self._isolated:
            return Governing(None, "--isolated: no configuration file is read")
        if self._fixed is not None:
            return Governing(self._fixed, "named with --config")
        absolute = os.path.abspath(path)
        directory = absolute if os.path.isdir(absolute) else os.path.dirname(absolute)
        found = self._file(directory)
        if found is None:
            return config.governing(Path(directory))  # what the search found, and why
        return Governing(found, f"the nearest configuration up from {directory}")

    def _file(self, directory: str) -> Path | None:
        known = self._files.get(directory, ...)
        if known is not ...:
            return known
        root = str(self.root)
        if directory == root or not directory.startswith(root.rstrip(os.sep) + os.sep):
            found = config.governing(Path(directory)).path  # the root, or outside the project
        else:
            found = config.in_directory(Path(directory)) or self._file(os.path.dirname(directory))
        self._files[directory] = found
        return found
