"""Which of a project's files a run reports: the files named, and those under the directories
named. The whole project is read either way (project.py); this only picks what is shown."""

from __future__ import annotations

import os
from collections.abc import Collection, Iterable, Sequence
from pathlib import Path

from uelint.discover import PathError


class Named:
    def __init__(self, paths: Sequence[Path], buffers: Iterable[str] = ()) -> None:
        """Raises discover.PathError for a path that does not exist (a buffer's name need not:
        an editor's new file)."""
        unsaved = set(buffers)
        for path in paths:
            if not os.path.lexists(path) and os.path.abspath(path) not in unsaved:
                raise PathError(f"{path}: no such file or directory")
        self.paths = list(paths)
        self._files = frozenset(os.path.abspath(p) for p in paths if not os.path.isdir(p))
        self._dirs = tuple(os.path.abspath(p).rstrip(os.sep) + os.sep
                           for p in paths if os.path.isdir(p))

    @property
    def files(self) -> frozenset[str]:
        """The files named, as absolute paths."""
        return self._files

    @property
    def directories(self) -> tuple[str, ...]:
        """The directories named, as absolute paths ending in a separator."""
        return self._dirs

    def covers(self, path: str) -> bool:
        """Whether the file at `path` is reported."""
        absolute = os.path.abspath(path)
        return absolute in self._files or absolute.startswith(self._dirs)

    def count(self, found: Collection[str]) -> int:
        """How many of the files `found` are reported; their paths absolute and normal, as a
        walk of an absolute directory spells them (tens of thousands: no abspath each)."""
        files, dirs = self._files, self._dirs
        if not dirs:  # files named: a lookup each, not a pass over the project
            return sum(1 for path in files if path in found)
        return sum(1 for path in found if path in files or path.startswith(dirs))

    def missing(self, found: Collection[str]) -> list[Path]:
        """The paths named that the project's scan did not find (`found`: its files, absolute
        paths): files outside the project or excluded from it (named, they are checked),
        directories outside it or excluded."""
        missing = []
        for path in self.paths:
            absolute = os.path.abspath(path)
            if os.path.isdir(path):
                inside = absolute.rstrip(os.sep) + os.sep
                if not any(file.startswith(inside) for file in found):
                    missing.append(path)
            elif absolute not in found:
                missing.append(path)
        return missing
