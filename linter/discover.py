"""Find the files to check: walk the given paths, honour .gitignore, skip vendored and built
trees, and report what cannot be read safely (FIFOs, devices, links out of the tree)."""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from functools import cached_property, partial
from operator import attrgetter
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from uelint import languages
from uelint.diagnostic import FileError
from uelint.source import file_kind, read_file, read_head
from uelint.tsconfig import CONFIG_NAMES

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
    return signature_of(os.stat(path))


# A stat result's Signature, in C: a warm run takes tens of thousands.
signature_of: Callable[[os.stat_result], Signature] = attrgetter(
    "st_size", "st_mtime_ns", "st_ctime_ns", "st_ino")


@dataclass
class Watch:
    """What a walk's result depends on besides its arguments and the configuration: the
    directories it listed (adding, removing or renaming an entry changes a directory's
    mtime), the ignore files it read and the files named to it (edited in place, they change
    no directory). While none of them changes, the walk would find the same files."""

    stamps: dict[str, Signature | None] = field(default_factory=dict)
    # A walk that skipped something with a notice: its result must not stand for a later
    # walk, which has to find (and report) the same problem again.
    poisoned: bool = False
    # The directories listed, and the entries in them named like a TypeScript config: while
    # the stamps hold, no directory listed has gained or lost one, so path aliases are found
    # without probing every directory of the project again (tsconfig.Listing).
    listed: set[str] = field(default_factory=set)
    configs: set[str] = field(default_factory=set)

    def note(self, path: str) -> None:
        self.stamps[path] = _stamp(path)

    def entered(self, directory: str, entries: Iterable[os.DirEntry[str]]) -> None:
        self.listed.add(directory)
        self.configs.update(e.path for e in entries if e.name in CONFIG_NAMES)

    def poison(self) -> None:
        self.poisoned = True

    def unchanged(self) -> bool:
        if self.poisoned:
            return False
        present = [(path, stamp) for path, stamp in self.stamps.items() if stamp is not None]
        try:  # all at once (a large project's directories are thousands)
            now = list(map(signature_of, map(os.stat, [path for path, _ in present])))
        except OSError:
            return False  # one is gone
        return now == [stamp for _, stamp in present] and all(
            _stamp(path) is None for path, stamp in self.stamps.items() if stamp is None)

    def settled(self, now_ns: int, racy_ns: int) -> bool:
        """Whether nothing changed within `racy_ns` of `now_ns`: a change within the file
        system's timestamp granularity could leave a directory's signature as it was."""
        return not self.poisoned and all(stamp is None or max(stamp[1], stamp[2]) < now_ns - racy_ns
                                         for stamp in self.stamps.values())


class _Unwatched(Watch):
    def note(self, path: str) -> None:
        pass

    def entered(self, directory: str, entries: Iterable[os.DirEntry[str]]) -> None:
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
    def _bounded(self) -> tuple[list[str], list[str]]:
        """The patterns that are used, and those that are not, with why (see discover's
        MAX_PATTERN_* bounds: a repository's configuration is as untrusted as its files)."""
        rejected: list[str] = []
        return _bounded_patterns(self.patterns, "pattern", rejected.append), rejected

    @property
    def rejected(self) -> list[str]:
        return self._bounded[1]

    @cached_property
    def _spec(self) -> pathspec.GitIgnoreSpec | None:
        if not self._bounded[0]:
            return None
        import pathspec  # only with configured patterns: it costs 10 ms of start-up

        return pathspec.GitIgnoreSpec.from_lines(self._bounded[0])

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

    def covers_dir(self, path: Path) -> bool:
        """Whether the patterns exclude the directory `path`, or one that holds it."""
        absolute = path.resolve()
        return any(self.matches(str(part), is_dir=True) for part in (absolute, *absolute.parents))

    def skips_named(self, path: Path) -> bool:
        if not self.force:
            return False
        absolute = path.resolve()
        return any(self.skips_dir(part.name, str(part)) for part in (absolute, *absolute.parents)
                   if part != absolute) or self.matches(str(absolute), is_dir=False)


_DEFAULT_EXCLUDE = Exclude(Path("/"))

# Bounds on what a scanned repository's ignore files cost (pathspec compiles every pattern
# to a regular expression; with hyperscan, a line of 300 `*` takes a minute and a hundred
# thousand lines as long): what is cut is reported, and the files it would have ignored
# are checked.
MAX_IGNORE_FILE_SIZE = 1 << 20
MAX_IGNORE_PATTERNS = 1_000  # per file
MAX_PATTERN_LENGTH = 256
MAX_PATTERN_WILDCARDS = 16  # runs of `*` and `?`s, which make matching expensive
_STAR_RUN = re.compile(r"(?<!\\)\*{3,}")  # git reads `***` as `**` (wildmatch), so the same
_WILDCARD = re.compile(r"\*+|\?")


class _Notices:
    """Where a walk reports what it skipped: the caller's list, and the watch, which a walk
    with notices must not let a later run reuse."""

    def __init__(self, found: list[FileError] | None, watch: Watch) -> None:
        self.found = found
        self.watch = watch

    def __call__(self, path: str, message: str) -> None:
        if self.found is not None:
            self.found.append(FileError(path, "skipped", message))
        self.watch.poison()


def discover(
    paths: list[Path], exclude: Exclude | None = None, watch: Watch | None = None,
    notices: list[FileError] | None = None,
) -> Iterator[SourceFile]:
    """Yield the files under `paths`, each once, in a stable order; `watch` notes what the
    result depends on; `notices` receives what was skipped and why (a FIFO, a link out of
    the scanned directories, an unreadable directory, ...). Raises PathError for a path
    that does not exist."""
    exclude = exclude or _DEFAULT_EXCLUDE
    watch = watch or _Unwatched()
    notify = _Notices(notices, watch)
    for why in exclude.rejected:
        notify(str(exclude.root), f"configured exclude: {why}")
    roots = []
    for path in paths:
        try:
            if stat.S_ISDIR(os.stat(path).st_mode):
                roots.append(os.path.realpath(path))
        except OSError:
            pass  # raised below, in order
    seen: set[str] = set()
    for path in paths:
        watch.note(str(path))
        try:
            mode = os.stat(path).st_mode
        except OSError as exc:
            if not os.path.lexists(path):
                raise PathError(f"{path}: no such file or directory") from exc
            mode = 0  # a link that leads nowhere (a loop): its read error is reported
        if stat.S_ISDIR(mode):
            inside = exclude
            if exclude.patterns and exclude.covers_dir(path):
                if exclude.force:
                    continue
                inside = replace(exclude, patterns=())  # named: checked, as a named file is
            found: Iterator[tuple[str, SourceFile]] = _walk(path, inside, watch, roots, notify)
        elif exclude.skips_named(path):
            continue
        else:  # named: always checked (a FIFO or a device is reported when it is read)
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
            language = languages.by_shebang(read_head(path, 128))
        except OSError:
            return None  # the read error is reported when the file is checked
    return language


class _Ignores:
    """The .gitignore files that apply to a directory, outermost first. Paths are absolute
    strings: the walk visits tens of thousands of files, and Path objects cost."""

    def __init__(self, specs: tuple[tuple[str, pathspec.GitIgnoreSpec], ...] = ()) -> None:
        self.specs = specs

    def entering(self, directory: Path, spelled: str, watch: Watch, notify: _Notices) -> _Ignores:
        spec = _read_gitignore(directory, spelled, watch, notify)
        return _Ignores(self.specs + ((str(directory).rstrip(os.sep), spec),)) if spec else self

    def ignored(self, path: str, is_dir: bool) -> bool:
        verdict = False
        for base, spec in self.specs:  # a deeper .gitignore overrides a shallower one
            rel = path[len(base) + 1 :].replace(os.sep, "/") + ("/" if is_dir else "")
            result = spec.check_file(rel)
            if result.include is not None:
                verdict = result.include
        return verdict


def _read_gitignore(directory: Path, spelled: str, watch: Watch,
                    notify: _Notices) -> pathspec.GitIgnoreSpec | None:
    patterns: list[str] = []
    for name in (".gitignore", ".git/info/exclude"):
        path, shown = str(directory / name), os.path.join(spelled, name)
        watch.note(path)
        lines = _ignore_lines(path, shown, notify)
        patterns += _bounded_patterns(lines, "line", partial(notify, shown))
    if not patterns:
        return None  # comments only, like git's template for info/exclude
    import pathspec  # here: `uelint check one_file.js` never walks, and pathspec costs 10 ms

    return pathspec.GitIgnoreSpec.from_lines(patterns)


def _ignore_lines(path: str, spelled: str, notify: _Notices) -> list[str]:
    """The lines of an ignore file, if it is a regular file (git does not follow a link
    named .gitignore either), up to MAX_IGNORE_FILE_SIZE bytes."""
    try:
        mode = os.lstat(path).st_mode
        if stat.S_ISLNK(mode):
            notify(spelled, "not read: a symbolic link, which git does not follow for ignore "
                            "files; the files it would ignore are checked")
            return []
        data = read_file(path, MAX_IGNORE_FILE_SIZE)
    except (FileNotFoundError, NotADirectoryError):
        return []
    except OSError as exc:
        notify(spelled, f"not read: {exc.strerror or exc}; the files it would ignore are checked")
        return []
    return data.decode("utf-8", "replace").splitlines()


def _bounded_patterns(lines: Iterable[str], unit: str,
                      notify: Callable[[str], None]) -> list[str]:
    """The patterns of `lines` that compile and match in bounded time (runs of `*` made
    `**`, which git reads them as); each one left out is reported."""
    patterns: list[str] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip() or line.startswith("#"):
            continue
        if len(patterns) == MAX_IGNORE_PATTERNS:
            notify(f"only the first {MAX_IGNORE_PATTERNS} patterns are used ({unit} {number} "
                   "on is not); the files the rest would ignore are checked")
            break
        pattern = _STAR_RUN.sub("**", line)
        if len(pattern) > MAX_PATTERN_LENGTH:
            why = f"longer than {MAX_PATTERN_LENGTH} characters"
        elif len(_WILDCARD.findall(pattern)) > MAX_PATTERN_WILDCARDS:
            why = f"more than {MAX_PATTERN_WILDCARDS} wildcards"
        else:
            patterns.append(pattern)
            continue
        notify(f"{unit} {number}{': pattern' if unit == 'line' else ''} not used ({why}); "
               "the files it would ignore are checked")
    return patterns


def _outer_ignores(root: Path, watch: Watch, notify: _Notices) -> _Ignores:
    """The .gitignore files of the enclosing git work tree, from its top down to `root`'s parent."""
    top = None
    for directory in (root, *root.parents):
        if (directory / ".git").exists():
            watch.note(str(directory))  # its entries (`.git` removed, a .gitignore made)
            top = directory
            break
        # Below the top, only a `.git` made there could change what applies (.gitignore
        # files are noted when read): watching the directories themselves made any change
        # in the temporary or home directory force the next run to walk again.
        watch.note(str(directory / ".git"))
    ignores = _Ignores()
    if top is not None:
        for directory in reversed(root.parents):
            if directory == top or top in directory.parents:
                ignores = ignores.entering(directory, str(directory), watch, notify)
    return ignores


def _within(path: str, roots: list[str]) -> bool:
    return any(path == root or path.startswith(root.rstrip(os.sep) + os.sep) for root in roots)


def _walk(root: Path, exclude: Exclude, watch: Watch, roots: list[str],
          notify: _Notices) -> Iterator[tuple[str, SourceFile]]:
    """Walk in absolute paths (what .gitignore matching needs); yield paths spelled like `root`,
    each with its real path (what tells two spellings of one file apart)."""
    absolute = root.resolve()
    spelled = "" if str(root) == "." else str(root)  # so that `.` finds `a.js`, not `./a.js`
    outer = _outer_ignores(absolute, watch, notify)
    if outer.ignored(str(absolute), is_dir=True):
        outer = _Ignores()  # named, though ignored: checked, by the ignore files inside it
    stack = [(str(absolute), spelled, outer)]
    while stack:
        directory, spelled, ignores = stack.pop()
        watch.note(directory)  # before listing it: a change after the listing shows next time
        try:
            with os.scandir(directory) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as exc:
            notify(spelled or ".", f"directory not listed ({exc.strerror or exc}): the files in "
                                   "it were not checked; make it readable, or exclude it")
            continue
        watch.entered(directory, entries)
        if any(e.name in (".gitignore", ".git") for e in entries):  # spare the others two opens
            ignores = ignores.entering(Path(directory), spelled, watch, notify)
        subdirs = []
        for entry in entries:
            shown = os.path.join(spelled, entry.name)
            try:
                if entry.is_dir(follow_symlinks=False):
                    if exclude.skips_dir(entry.name, entry.path):
                        continue
                    if os.path.exists(os.path.join(entry.path, "pyvenv.cfg")):
                        watch.note(entry.path)  # a virtualenv until its pyvenv.cfg goes
                        continue
                    if not ignores.ignored(entry.path, is_dir=True):
                        subdirs.append((entry.path, shown))
                    continue
                language = languages.by_name(entry.name)
                if not language or ignores.ignored(entry.path, is_dir=False) or exclude.matches(
                    entry.path, is_dir=False
                ):
                    continue
                # A regular file costs nothing more (the listing says so); anything else is
                # looked at closely. Directories are entered by their real names (links to
                # them are not followed), so only a link to a file needs resolving.
                key = entry.path if entry.is_file(follow_symlinks=False) else _target(
                    entry, shown, roots, notify)
            except OSError as exc:  # is_dir or is_file had to stat it, and could not
                notify(shown, f"not checked: {exc.strerror or exc}")
                continue
            if key is not None:
                # Strings: a Path per file would cost a third of the walk.
                yield key, SourceFile(shown, language, False)
        stack.extend((d, s, ignores) for d, s in reversed(subdirs))


def _target(entry: os.DirEntry[str], shown: str, roots: list[str],
            notify: _Notices) -> str | None:
    """The real path of what a walked entry that is not a regular file stands for, if it is
    to be read: a link to a regular file in the scanned directories. Anything else is
    reported, but links to directories (not followed, by design) and dangling links
    (nothing to read)."""
    if entry.is_symlink():
        try:
            target = os.path.realpath(entry.path, strict=True)  # raises on a loop
            mode = os.stat(target).st_mode
        except FileNotFoundError:
            # Watched: the target appearing changes no directory the walk listed.
            notify.watch.note(os.path.realpath(entry.path))
            return None
        except OSError as exc:
            notify(shown, f"symbolic link not followed: {exc.strerror or exc}")
            return None
        if stat.S_ISDIR(mode):
            notify.watch.note(target)  # as above, should it become a file
            return None
        if not _within(target, roots):
            notify(shown, f"symbolic link to {target}, outside the scanned directories: not "
                          "followed; name the file on the command line to check it")
            return None
        if not stat.S_ISREG(mode):
            notify(shown, f"symbolic link to {file_kind(mode)}: not read")
            return None
        return target
    mode = entry.stat(follow_symlinks=False).st_mode
    notify(shown, f"{file_kind(mode)}, not a regular file: not read")
    return None
