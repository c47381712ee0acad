"""Find the files to check: walk the given paths, honour .gitignore, skip vendored and built trees."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from uelint import languages

if TYPE_CHECKING:
    import pathspec

# Never descended into (unless named on the command line): dependencies, VCS data, caches and
# build output. Virtualenvs with other names are recognised by their pyvenv.cfg.
SKIPPED_DIRS = frozenset({
    ".git", ".hg", ".svn", "node_modules", "bower_components", "jspm_packages",
    ".venv", "venv", ".tox", ".nox", "__pycache__", ".mypy_cache", ".ruff_cache", ".uelint_cache",
    ".pytest_cache", "site-packages", "build", "dist", ".next", ".nuxt", ".svelte-kit",
    ".output", ".parcel-cache", ".turbo", "coverage", ".eggs", "vendor",
})


# size, mtime, ctime (nanoseconds), inode: what tells that a file or directory changed (a plain
# tuple: one is built for every file of a warm run).
Signature = tuple[int, int, int, int]


def signature(path: str | os.PathLike[str]) -> Signature:
    st = os.stat(path)
    return st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino


@dataclass
class Watch:
    """What a walk's result depends on besides its arguments and the configuration: the
    directories it listed (adding, removing or renaming an entry changes a directory's
    mtime), the ignore files it read and the files named to it (edited in place, they change
    no directory). While none of them changes, the walk would find the same files."""

    stamps: dict[str, Signature | None] = field(default_factory=dict)

    def note(self, path: str) -> None:
        self.stamps[path] = _stamp(path)

    def unchanged(self) -> bool:
        return all(_stamp(path) == stamp for path, stamp in self.stamps.items())

    def settled(self, now_ns: int, racy_ns: int) -> bool:
        """Whether nothing changed within `racy_ns` of `now_ns`: a change within the file
        system's timestamp granularity could leave a directory's signature as it was."""
        return all(stamp is None or max(stamp[1], stamp[2]) < now_ns - racy_ns
                   for stamp in self.stamps.values())


class _Unwatched(Watch):
    def note(self, path: str) -> None:
        pass


def _stamp(path: str) -> Signature | None:
    try:
        return signature(path)
    except OSError:
        return None


class SourceFile(NamedTuple):  # a tuple: an index lists tens of thousands, and loads them
    path: str  # as given or found (relative when the argument was relative)
    language: str | None  # None: a named file whose language could not be told
    explicit: bool  # named on the command line


class PathError(Exception):
    """A path given on the command line does not exist or cannot be read."""


@dataclass(frozen=True)
class Exclude:
    """Configured excludes: gitignore-style patterns relative to the configuration's `root`.
    `defaults` keeps the built-in directory names (`exclude` replaces them, `extend-exclude`
    adds to them); `force` applies the patterns to files named on the command line too."""

    root: Path
    patterns: tuple[str, ...] = ()
    defaults: bool = True
    force: bool = False

    @cached_property
    def _spec(self) -> pathspec.GitIgnoreSpec | None:
        if not self.patterns:
            return None
        import pathspec  # only with configured patterns: it costs 10 ms of start-up

        return pathspec.GitIgnoreSpec.from_lines(self.patterns)

    def skips_dir(self, name: str, absolute: str) -> bool:
        return (self.defaults and name in SKIPPED_DIRS) or self.matches(absolute, is_dir=True)

    def matches(self, absolute: str, is_dir: bool) -> bool:
        if self._spec is None:
            return False
        try:
            relative = Path(absolute).relative_to(self.root).as_posix()
        except ValueError:
            return False  # outside the configuration's tree
        return self._spec.match_file(relative + ("/" if is_dir else ""))

    def skips_named(self, path: Path) -> bool:
        if not self.force:
            return False
        absolute = path.resolve()
        return any(self.skips_dir(part.name, str(part)) for part in (absolute, *absolute.parents)
                   if part != absolute) or self.matches(str(absolute), is_dir=False)


_DEFAULT_EXCLUDE = Exclude(Path("/"))


def discover(
    paths: list[Path], exclude: Exclude | None = None, watch: Watch | None = None
) -> Iterator[SourceFile]:
    """Yield the files under `paths`, each once, in a stable order; `watch` notes what the
    result depends on."""
    exclude = exclude or _DEFAULT_EXCLUDE
    watch = watch or _Unwatched()
    seen: set[str] = set()
    for path in paths:
        watch.note(str(path))
        if not path.exists():
            raise PathError(f"{path}: no such file or directory")
        if path.is_dir():
            found: Iterator[tuple[str, SourceFile]] = _walk(path, exclude, watch)
        elif exclude.skips_named(path):
            continue
        else:
            named = SourceFile(str(path), _named_file_language(path), explicit=True)
            found = iter([(os.path.realpath(path), named)])
        for key, source in found:
            if key not in seen:
                seen.add(key)
                yield source


def _named_file_language(path: Path) -> str | None:
    language = languages.by_suffix(path)
    if language is None:
        try:
            with path.open("rb") as handle:
                language = languages.by_shebang(handle.read(128))
        except OSError:
            return None  # the read error is reported when the file is checked
    return language


class _Ignores:
    """The .gitignore files that apply to a directory, outermost first. Paths are absolute
    strings: the walk visits tens of thousands of files, and Path objects cost."""

    def __init__(self, specs: tuple[tuple[str, pathspec.GitIgnoreSpec], ...] = ()) -> None:
        self.specs = specs

    def entering(self, directory: Path, watch: Watch) -> _Ignores:
        spec = _read_gitignore(directory, watch)
        return _Ignores(self.specs + ((str(directory).rstrip(os.sep), spec),)) if spec else self

    def ignored(self, path: str, is_dir: bool) -> bool:
        verdict = False
        for base, spec in self.specs:  # a deeper .gitignore overrides a shallower one
            rel = path[len(base) + 1 :].replace(os.sep, "/") + ("/" if is_dir else "")
            result = spec.check_file(rel)
            if result.include is not None:
                verdict = result.include
        return verdict


def _read_gitignore(directory: Path, watch: Watch) -> pathspec.GitIgnoreSpec | None:
    lines: list[str] = []
    for name in (".gitignore", ".git/info/exclude"):
        watch.note(str(directory / name))
        try:
            lines += (directory / name).read_text("utf-8", "replace").splitlines()
        except OSError:
            continue
    if not any(line.strip() and not line.startswith("#") for line in lines):
        return None  # comments only, like git's template for info/exclude
    import pathspec  # here: `uelint check one_file.js` never walks, and pathspec costs 10 ms

    return pathspec.GitIgnoreSpec.from_lines(lines)


def _outer_ignores(root: Path, watch: Watch) -> _Ignores:
    """The .gitignore files of the enclosing git work tree, from its top down to `root`'s parent."""
    top = None
    for directory in (root, *root.parents):
        watch.note(str(directory))  # a `.git` or `.gitignore` made there changes its mtime
        if (directory / ".git").exists():
            top = directory
            break
    ignores = _Ignores()
    if top is not None:
        for directory in reversed(root.parents):
            if directory == top or top in directory.parents:
                ignores = ignores.entering(directory, watch)
    return ignores


def _walk(root: Path, exclude: Exclude, watch: Watch) -> Iterator[tuple[str, SourceFile]]:
    """Walk in absolute paths (what .gitignore matching needs); yield paths spelled like `root`,
    each with its real path (what tells two spellings of one file apart)."""
    absolute = root.resolve()
    spelled = "" if str(root) == "." else str(root)  # so that `.` finds `a.js`, not `./a.js`
    stack = [(str(absolute), spelled, _outer_ignores(absolute, watch))]
    while stack:
        directory, spelled, ignores = stack.pop()
        watch.note(directory)  # before listing it: a change after the listing shows next time
        try:
            with os.scandir(directory) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError:
            continue  # an unreadable directory inside the tree: nothing in it can be checked
        if any(e.name in (".gitignore", ".git") for e in entries):  # spare the others two opens
            ignores = ignores.entering(Path(directory), watch)
        subdirs = []
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                if exclude.skips_dir(entry.name, entry.path):
                    continue
                if os.path.exists(os.path.join(entry.path, "pyvenv.cfg")):
                    watch.note(entry.path)  # a virtualenv until its pyvenv.cfg goes
                    continue
                if not ignores.ignored(entry.path, is_dir=True):
                    subdirs.append((entry.path, os.path.join(spelled, entry.name)))
            elif (language := languages.by_name(entry.name)) and entry.is_file():
                if not ignores.ignored(entry.path, is_dir=False) and not exclude.matches(
                    entry.path, is_dir=False
                ):
                    # Directories are entered by their real names (links to them are not
                    # followed), so only a link to a file needs resolving.
                    key = os.path.realpath(entry.path) if entry.is_symlink() else entry.path
                    # Strings: a Path per file would cost a third of the walk.
                    yield key, SourceFile(os.path.join(spelled, entry.name), language, False)
        stack.extend((d, s, ignores) for d, s in reversed(subdirs))
