"""A persistent cache, so that a file is parsed once per content and configuration.

It lives in `$UELINT_CACHE_DIR`, else `.uelint_cache/` in the working directory, and holds:

- `results/`: what checking a file yielded (a pickled FileOutcome) under a key made of the
  file's content digest, the settings digest (uelint's version and code, the rules, the
  options) and, for a file checked against other files' exports, their digest. A key never
  changes meaning, so an entry can never be stale: other settings look up other keys.
- `index/`: per scan (its working directory, paths and excludes), each file's stat signature
  with its content digest, or a mark that it is not a candidate, so a warm run over an
  unchanged tree stats files instead of reading them, as git's index does. A signature that
  does not match means: read the file. With it, the files the last walk found and what that
  walk depended on (discover.Watch: the directories it listed, the ignore files it read):
  while those are unchanged, a warm run does not walk either.

Writes go to a temporary file renamed over the entry, so concurrent runs see an old entry or
a new one, never half of one; an entry that cannot be read is a miss. Only files that survive
the prefilter get a result entry: searching their bytes again is cheaper than a lookup.
"""

from __future__ import annotations

import array
import contextlib
import hashlib
import json
import os
import pickle
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from importlib.util import find_spec
from pathlib import Path

import uelint
from uelint import parallel
from uelint.discover import Exclude, Signature, SourceFile, Watch, signature
from uelint.outcome import FileOutcome
from uelint.rule import Rule

ENV_DIR = "UELINT_CACHE_DIR"
DEFAULT_DIR = ".uelint_cache"
_FORMAT = "2"  # bump when the layout or the pickled classes change incompatibly
# Parsers whose version changes what a file yields (imported by nobody here: only located).
_PARSERS = ("tree_sitter", "tree_sitter_javascript", "tree_sitter_typescript",
            "tree_sitter_html", "libcst")
# A file changed this recently may change again within the file system's timestamp
# granularity without its signature changing (git's "racily clean"): it is not indexed.
RACY_NS = 2_000_000_000
NOT_A_CANDIDATE = ""


def content_digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:32]


def settings_digest(rules: Sequence[Rule], options: Mapping[str, object] | None = None) -> str:
    """Everything besides a file's content that decides its outcome. Configuration adds its
    effective values to `options` (they must have a stable repr)."""
    packages = {"uelint"} | {type(rule).__module__.split(".")[0] for rule in rules}
    parts = [
        _FORMAT, uelint.__version__, sys.version,
        *(f"{type(r).__module__}.{type(r).__qualname__}:{r.code}:{r.level.value}" for r in rules),
        repr(sorted((options or {}).items())),
        *(stamp for name in sorted(packages) for stamp in _stamps(name, whole_package=True)),
        *(stamp for name in _PARSERS for stamp in _stamps(name, whole_package=False)),
    ]
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()[:32]


def _stamps(module: str, whole_package: bool) -> list[str]:
    """Where a module's code lives and when it last changed: an edited checkout or an
    upgraded package must not be served results of the old code."""
    loaded = sys.modules.get(module)
    origin = getattr(loaded, "__file__", None)
    if origin is None:
        try:  # locate without importing (libcst alone costs 0.4 s)
            spec = find_spec(module)
        except (ImportError, ValueError):
            spec = None
        origin = spec.origin if spec else None
    if not origin:
        return []
    path = Path(origin)
    package = whole_package and path.name == "__init__.py"
    files = sorted(path.parent.rglob("*.py")) if package else [path]
    stamps = []
    for file in files:
        size, mtime_ns, _, _ = signature(file)
        stamps.append(f"{file}:{size}:{mtime_ns}")
    return stamps


def entry_key(content: str, path: str, settings: str, exports: str | None = None) -> str:
    """The key of a result: a file's content digest and path (findings name their file, and
    per-file configuration depends on it) under some settings, and, for a file checked with
    a Linker, the digest of the exports it linked against."""
    key = f"{content}\0{path}\0{settings}\0{exports or ''}"
    return hashlib.sha256(key.encode()).hexdigest()[:40]


def default_directory(cwd: Path) -> Path:
    return Path(os.environ.get(ENV_DIR) or cwd / DEFAULT_DIR)


class Cache:
    def __init__(self, directory: Path, settings: str) -> None:
        self.directory = directory
        self.settings = settings
        self._writable = True

    def get(self, key: str) -> FileOutcome | None:
        try:
            outcome = pickle.loads(self._entry(key).read_bytes())
        except Exception:  # missing, half-written by a crashed run, or from another format
            return None
        return outcome if isinstance(outcome, FileOutcome) else None

    def put(self, key: str, outcome: FileOutcome) -> None:
        self._write(self._entry(key), pickle.dumps(outcome, pickle.HIGHEST_PROTOCOL))

    def _entry(self, key: str) -> Path:
        return self.directory / "results" / key[:2] / key[2:]

    def load_index(self, scan: str) -> Index:
        try:
            table = pickle.loads(self._index_path(scan).read_bytes())
        except Exception:
            table = None
        return Index(scan, table if isinstance(table, Table) else None)

    def save_index(self, index: Index, walked: Sequence[SourceFile], watch: Watch | None,
                   now_ns: int) -> None:
        table = index.to_save(walked, watch, now_ns)
        if table is not None:
            self._write(self._index_path(index.scan), pickle.dumps(table, pickle.HIGHEST_PROTOCOL))

    def _index_path(self, scan: str) -> Path:
        return self.directory / "index" / f"{scan}-{self.settings[:16]}"

    def _write(self, path: Path, data: bytes) -> None:
        """Atomically, and not at all when the directory cannot be written (a read-only
        checkout still gets checked, only uncached)."""
        if self._writable:
            self._writable = _write(self.directory, path, data)


def load_kept(directory: Path, name: str) -> object | None:
    """What `keep` left under `name` in the cache `directory`, or None. JSON, not pickle: the
    name is fixed, and a file a repository slipped into its cache directory must not run code."""
    try:
        value: object = json.loads((directory / name).read_bytes())
    except (OSError, ValueError):  # missing, half-written, not ours
        return None
    return value


def keep(directory: Path, name: str, value: object) -> None:
    """Keep `value` (JSON data) in the cache `directory` under `name`: not keyed by settings,
    the caller's own check says when it is still true."""
    _write(directory, directory / name, json.dumps(value).encode())


def _write(root: Path, path: Path, data: bytes) -> bool:
    """Write `data` to `path` in the cache `root` atomically (a temporary file renamed over
    it); False when it cannot be written."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        if not path.parent.is_dir():
            _create(root, path.parent)
        tmp.write_bytes(data)
        os.replace(tmp, path)
    except OSError:
        with contextlib.suppress(OSError):
            tmp.unlink()
        return False
    return True


def _create(root: Path, directory: Path) -> None:
    if not root.is_dir():
        root.mkdir(parents=True, exist_ok=True)
        # Never committed (git), never backed up (CACHEDIR.TAG, bford.net/cachedir).
        (root / ".gitignore").write_text("# created by uelint\n*\n")
        (root / "CACHEDIR.TAG").write_text(
            "Signature: 8a477f597d28d172789f06886806bc55\n# created by uelint\n")
    directory.mkdir(parents=True, exist_ok=True)


def scan_digest(cwd: Path, paths: Sequence[Path], exclude: Exclude | None) -> str:
    """Which scan an index belongs to: the same paths from the same directory, with the same
    excludes (their patterns are in the settings, not the directory they are relative to)."""
    key = "\0".join([str(cwd), *sorted(os.path.abspath(p) for p in paths), repr(exclude)])
    return hashlib.sha256(key.encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Table:
    """A scan's files in discovery order, in columns: as tens of thousands of tuples, they
    would take ten times longer to load (the whole of a warm run, nearly)."""

    paths: tuple[str, ...]
    languages: tuple[str | None, ...]
    named: frozenset[int]  # the places of the files named on the command line
    sigs: array.array[int]  # each file's Signature, four in a row; a size of -1: not known
    digests: dict[int, str]  # the candidates' content digests; other known files are not
    watch: Watch | None  # what the walk depended on; None: the files cannot stand for a walk

    def source(self, i: int) -> SourceFile:
        return SourceFile(self.paths[i], self.languages[i], i in self.named)

    def sig(self, i: int) -> Signature:
        size, mtime_ns, ctime_ns, inode = self.sigs[4 * i : 4 * i + 4]
        return size, mtime_ns, ctime_ns, inode


_UNKNOWN = (-1, 0, 0, 0)
# Below this many files, a second process to stat them would save a few milliseconds at best.
_FORK_FILES = 8_000


class Index:
    """What a scan found last time (a Table), what this run learns, and the table to save.

    A run either walks (and looks files up by path) or, while the walk's watch is unchanged,
    takes the table's files as they are (`to_look_at`)."""

    def __init__(self, scan: str, table: Table | None) -> None:
        self.scan = scan
        self.table = table
        self._places: dict[str, int] | None = None  # path -> place in `table`, when looked up
        self._kept: set[int] = set()  # places in `table` this run found unchanged
        self._learned: dict[str, tuple[Signature, str]] = {}
        self._listed = False

    def to_look_at(self, jobs: int) -> list[int] | None:
        """If a walk would find the table's files now (its watch is unchanged), the places of
        those not known to be unchanged non-candidates (candidates, changed files); else
        None. Both stat-ed in `jobs` processes."""
        table = self.table
        if table is None or table.watch is None:
            return None
        paths, sigs, digests, stat = table.paths, table.sigs, table.digests, os.stat
        watched = list(table.watch.stamps.items())

        def changed(start: int, stop: int) -> list[int] | None:
            share = slice(start * len(watched) // len(paths), stop * len(watched) // len(paths))
            if not Watch(dict(watched[share])).unchanged():
                return None
            found = []
            for i in range(start, stop):
                try:
                    st = stat(paths[i])
                except OSError:
                    found.append(i)  # reported when it is read
                    continue
                j = 4 * i
                if i in digests or sigs[j] != st.st_size or sigs[j + 1] != st.st_mtime_ns or (
                    sigs[j + 2] != st.st_ctime_ns or sigs[j + 3] != st.st_ino
                ):
                    found.append(i)
            return found

        if not paths:
            return None
        jobs = jobs if len(paths) >= _FORK_FILES else 1
        parts = parallel.forked(changed, len(paths), jobs)
        if any(part is None for part in parts):
            return None
        self._listed = True
        return [i for part in parts if part is not None for i in part]

    def lookup(self, path: str, sig: Signature) -> str | None:
        """The content digest of the file at `path` with signature `sig`, NOT_A_CANDIDATE, or
        None when unknown."""
        if self.table is None:
            return None
        if self._places is None:
            self._places = {path: i for i, path in enumerate(self.table.paths)}
        i = self._places.get(path)
        if i is None or self.table.sig(i) != sig:
            return None
        self._kept.add(i)
        return self.table.digests.get(i, NOT_A_CANDIDATE)

    def record(self, path: str, sig: Signature, digest: str, now_ns: int) -> None:
        _, mtime_ns, ctime_ns, _ = sig
        if max(mtime_ns, ctime_ns) < now_ns - RACY_NS:
            self._learned[path] = (sig, digest)

    def to_save(self, walked: Sequence[SourceFile], watch: Watch | None,
                now_ns: int) -> Table | None:
        """This run's table (None if it is the one loaded): of the files it `walked`, with
        the walk's `watch`, or of the listed files."""
        if self._listed:
            assert self.table is not None
            return self._relearned(self.table) if self._learned else None
        rows: list[int] = []
        digests: dict[int, str] = {}
        old = self.table
        for i, source in enumerate(walked):
            sig, digest = self._learned.get(source.path, (_UNKNOWN, NOT_A_CANDIDATE))
            place = self._places.get(source.path) if self._places is not None else None
            if sig is _UNKNOWN and old is not None and place in self._kept:
                sig, digest = old.sig(place), old.digests.get(place, NOT_A_CANDIDATE)
            rows += sig
            if digest != NOT_A_CANDIDATE:
                digests[i] = digest
        settled = watch is not None and watch.settled(now_ns, RACY_NS)
        table = Table(
            tuple(f.path for f in walked), tuple(f.language for f in walked),
            frozenset(i for i, f in enumerate(walked) if f.explicit),
            array.array("q", rows), digests, watch if settled else None,
        )
        return None if table == old else table

    def _relearned(self, table: Table) -> Table:
        if self._places is None:
            self._places = {path: i for i, path in enumerate(table.paths)}
        sigs, digests = array.array("q", table.sigs), dict(table.digests)
        for path, (sig, digest) in self._learned.items():
            i = self._places[path]
            sigs[4 * i : 4 * i + 4] = array.array("q", sig)
            if digest == NOT_A_CANDIDATE:
                digests.pop(i, None)
            else:
                digests[i] = digest
        return replace(table, sigs=sigs, digests=digests)
