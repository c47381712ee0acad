"""A persistent cache, so that a file is analysed once per content, path and rules.

It lives outside the repository it serves (a scanned repository must not be able to plant
entries): in `$UELINT_CACHE_DIR`, else the user's cache directory (`$XDG_CACHE_HOME/uelint`,
`~/.cache/uelint`), one directory per project root. Entries are data, never code
(serial.py: JSON, decoded into uelint's own result types only), and no path inside the
cache directory may be a symbolic link: with one, the cache is not used. It holds:

- `results/`: a file's Analysis under a key made of the file's content digest and path, the
  analysis digest (uelint's version and code, every rule with its options, the declared
  wrappers) and, for a file analysed against other files' exports, their digest. A key
  never changes meaning, so an entry can never be stale: other inputs look up other keys.
  Configuration that only filters findings (levels, select, ignores, suppressions) is
  applied after the cache, on every run (policy.py), and is not part of any key.
- `mentions/`: per scan and words, which files of a table mention them (linking.py): a warm
  cross-file round searches those and the files changed since, not the project.
- `rounds/`: per scan and analysis digest, the exports each cross-file round started from
  (linking.py), with the table of files they hold for: a run that names a file checks it
  against them instead of reading the project's analyses again.
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
import stat
import sys
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import replace
from importlib.util import find_spec
from itertools import chain
from pathlib import Path

import uelint
from uelint import parallel, serial
from uelint import table as tables
from uelint.analysis import Analysis
from uelint.discover import Exclude, Signature, SourceFile, Watch, signature, signature_of
from uelint.rule import Rule
from uelint.table import Table
from uelint.wrappers import ModuleExports

ENV_DIR = "UELINT_CACHE_DIR"
_FORMAT = "3"  # bump when the layout or the cached classes change incompatibly
# Parsers whose version changes what a file yields (imported by nobody here: only located).
_PARSERS = ("tree_sitter", "tree_sitter_javascript", "tree_sitter_typescript",
            "tree_sitter_html", "libcst")
# A file changed this recently may change again within the file system's timestamp
# granularity without its signature changing (git's "racily clean"): it is not indexed.
RACY_NS = 2_000_000_000
NOT_A_CANDIDATE = ""


def content_digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:32]


def analysis_digest(rules: Sequence[Rule], options: Mapping[str, object] | None = None) -> str:
    """Everything besides a file's content, path and linked exports that decides its
    analysis: uelint's code, every rule, and in `options` what configuration gives the rules
    and the adapters (rule options, declared wrappers; with a stable repr)."""
    packages = {"uelint"} | {type(rule).__module__.split(".")[0] for rule in rules}
    parts = [
        _FORMAT, uelint.__version__, sys.version,
        *(f"{type(r).__module__}.{type(r).__qualname__}:{r.code}:{r.level.value}" for r in rules),
        repr(sorted((options or {}).items())),
        *(stamp for name in sorted(packages) for stamp in _stamps(name, whole_package=True)),
        *(stamp for name in _PARSERS for stamp in _stamps(name, whole_package=False)),
    ]
    return hashlib.sha256(_bytes("\0".join(parts))).hexdigest()[:32]


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


def _bytes(text: str) -> bytes:
    """For a digest: file names that are not UTF-8 (surrogate-escaped) as their bytes."""
    return text.encode("utf-8", "surrogateescape")


def entry_key(content: str, path: str, analysis: str, exports: str | None = None) -> str:
    """The key of an analysis: a file's content digest and path (findings name their file)
    under some analysis digest, and, for a file analysed with a Linker, the digest of the
    exports it linked against."""
    key = f"{content}\0{path}\0{analysis}\0{exports or ''}"
    return hashlib.sha256(_bytes(key)).hexdigest()[:40]


def default_directory(project: Path) -> Path:
    """The cache directory of the project rooted at `project`: `$UELINT_CACHE_DIR` as it is,
    else one directory per project in the user's cache directory."""
    chosen = os.environ.get(ENV_DIR)
    if chosen:
        return Path(chosen)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    root = os.path.abspath(project)
    name = os.path.basename(root.rstrip(os.sep)) or "root"
    return Path(base, "uelint", f"{name}-{hashlib.sha256(os.fsencode(root)).hexdigest()[:16]}")


def project_root(cwd: Path) -> Path:
    """The project a run from `cwd` belongs to, for its cache: the git work tree's top, else
    `cwd` itself."""
    for directory in (cwd, *cwd.parents):
        if os.path.exists(os.path.join(directory, ".git")):
            return directory
    return cwd


class UnsafeCache(Exception):
    """The cache directory (or a directory in it) is a symbolic link, or not a directory."""


class Cache:
    def __init__(self, directory: Path, analysis: str) -> None:
        self.directory = directory
        self.analysis = analysis  # the analysis digest (analysis_digest)
        self._writable = True
        self._safe: set[str] = set()  # directories found to be real ones, not links

    def get(self, key: str) -> Analysis | None:
        data = _read(self._entry(key))
        if data is None:
            return None
        try:
            found: Analysis = serial.loads(data, Analysis)
        except ValueError:  # half-written by a crashed run, from another format, not ours
            return None
        return found

    def put(self, key: str, analysis: Analysis) -> None:
        self.write(self._entry(key), serial.dumps(analysis))

    def _entry(self, key: str) -> Path:
        return self.directory / "results" / key[:2] / key[2:]

    def load_index(self, scan: str) -> Index:
        return Index(scan, saved=_read(self._index_path(scan)))

    def save_index(self, index: Index, walked: Sequence[SourceFile], watch: Watch | None,
                   now_ns: int) -> Table | None:
        """Save this run's table; the table the next run will load (None: none)."""
        table = index.to_save(walked, watch, now_ns)
        if table is None:
            return index.table
        self.write(self._index_path(index.scan), tables.dumps(table))
        return table

    def mentions(self, key: str) -> tuple[str, list[int]] | None:
        """What `put_mentions` kept under `key`: a table's digest, and places in it."""
        data = _read(self.directory / "mentions" / key)
        try:
            found = json.loads(data) if data is not None else {}
            table, places = found["table"], found["places"]
        except (ValueError, TypeError, KeyError):  # half-written, not ours
            return None
        if not isinstance(table, str) or not all(isinstance(i, int) for i in places):
            return None
        return table, places

    def put_mentions(self, key: str, table: Table, places: Sequence[int]) -> None:
        """Keep which files of `table` (by place) mention what `key` stands for."""
        data = {"table": table.digest, "places": sorted(places)}
        self.write(self.directory / "mentions" / key, json.dumps(data).encode())

    def rounds(self, key: str) -> tuple[str, str, list[dict[str, ModuleExports]]] | None:
        """What `put_rounds` kept under `key`: a table's digest, a tsconfig fingerprint, and
        the exports each cross-file round started from."""
        data = _read(self.directory / "rounds" / key)
        try:
            found = serial.loads(data, dict) if data is not None else {}
            table, fingerprint, rounds = found["table"], found["tsconfigs"], found["rounds"]
        except (ValueError, KeyError):  # half-written, not ours
            return None
        if not isinstance(table, str) or not isinstance(fingerprint, str) or not (
            isinstance(rounds, list) and rounds and all(
                isinstance(exports, dict) and all(
                    isinstance(path, str) and isinstance(module, ModuleExports)
                    for path, module in exports.items())
                for exports in rounds)
        ):
            return None
        return table, fingerprint, rounds

    def put_rounds(self, key: str, table: Table, fingerprint: str,
                   rounds: Sequence[dict[str, ModuleExports]]) -> None:
        """Keep what the cross-file rounds over the files of `table` started from."""
        data = {"table": table.digest, "tsconfigs": fingerprint, "rounds": list(rounds)}
        self.write(self.directory / "rounds" / key, serial.dumps(data))

    def _index_path(self, scan: str) -> Path:
        return self.directory / "index" / f"{scan}-{self.analysis[:16]}"

    def write(self, path: Path, data: bytes) -> None:
        """`data` at `path` in the cache directory: atomically, and not at all when the
        directory cannot be written (a read-only file system still gets checked, only
        uncached) or is not safe to write in."""
        if self._writable:
            try:
                self._prepare(path.parent)
            except (OSError, UnsafeCache):
                self._writable = False
                return
            self._writable = _write(path, data)

    def _prepare(self, directory: Path) -> None:
        """Create `directory` inside the cache, checking that no part of it is a link."""
        if str(directory) in self._safe:
            return
        root = self.directory
        if not _real_directory(root):
            root.mkdir(mode=0o700, parents=True, exist_ok=True)
            _check_real(root)
            # Never committed (git), never backed up (CACHEDIR.TAG, bford.net/cachedir).
            _write(root / ".gitignore", b"# created by uelint\n*\n")
            _write(root / "CACHEDIR.TAG",
                   b"Signature: 8a477f597d28d172789f06886806bc55\n# created by uelint\n")
        current = root
        for part in directory.relative_to(root).parts:
            current = current / part
            if not _real_directory(current):
                with contextlib.suppress(FileExistsError):
                    current.mkdir(mode=0o700)
                _check_real(current)
        self._safe.add(str(directory))


def _real_directory(path: Path) -> bool:
    try:
        return stat.S_ISDIR(os.lstat(path).st_mode)
    except OSError:
        return False


def _check_real(path: Path) -> None:
    if not _real_directory(path):
        raise UnsafeCache(f"{path} is not a directory (a symbolic link?)")


_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_MAX_ENTRY = 64 << 20  # no analysis is this large: anything larger is not ours


def _read(path: Path) -> bytes | None:
    """The bytes of a cache file, or None: missing, a link, not a regular file, too large."""
    try:
        fd = os.open(path, os.O_RDONLY | _NOFOLLOW | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or st.st_size > _MAX_ENTRY:
            return None
        chunks = [os.read(fd, st.st_size + 1)]  # all in one read (an index is megabytes)
        while chunk := os.read(fd, 1 << 20):  # unless it grew meanwhile
            chunks.append(chunk)
        return b"".join(chunks)  # the one read itself, not a copy
    except OSError:
        return None
    finally:
        os.close(fd)


def load_kept(directory: Path, name: str) -> object | None:
    """What `keep` left under `name` in the cache `directory`, or None."""
    data = _read(directory / name)
    try:
        value: object = json.loads(data) if data is not None else None
    except ValueError:  # half-written, not ours
        return None
    return value


def keep(directory: Path, name: str, value: object) -> None:
    """Keep `value` (JSON data) in the cache `directory` under `name`: not keyed by the
    analysis digest, the caller's own check says when it is still true."""
    # Not keyed by an analysis digest: no rule is loaded yet when the plugins are looked up.
    Cache(directory, analysis="").write(directory / name, json.dumps(value).encode())


def _write(path: Path, data: bytes) -> bool:
    """Write `data` to `path` atomically (a new temporary file renamed over it; a link at
    `path` is replaced, never followed); False when it cannot be written."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW
    try:
        try:
            fd = os.open(tmp, flags, 0o600)
        except FileExistsError:  # left by a killed run that had this pid: ours to replace
            tmp.unlink()
            fd = os.open(tmp, flags, 0o600)
    except OSError:
        return False
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except OSError:
        with contextlib.suppress(OSError):
            tmp.unlink()
        return False
    return True


def scan_digest(cwd: Path, paths: Sequence[Path], exclude: Exclude | None) -> str:
    """Which scan an index belongs to: the same paths from the same directory, with the same
    excludes (patterns and the directory they are relative to)."""
    key = "\0".join([str(cwd), *sorted(os.path.abspath(p) for p in paths), repr(exclude)])
    return hashlib.sha256(_bytes(key)).hexdigest()[:16]


_UNKNOWN = (-1, 0, 0, 0)
_S_ISREG = stat.S_ISREG
_BLOCK = 4 * 512  # signatures' integers compared at once, before looking file by file
# Below this many files, a second process to stat them would save a few milliseconds at best.
_FORK_FILES = 8_000


class Index:
    """What a scan found last time (a Table), what this run learns, and the table to save.

    A run either walks (and looks files up by path) or, while the walk's watch is unchanged,
    takes the table's files as they are (`to_look_at`)."""

    def __init__(self, scan: str, table: Table | None = None, saved: bytes | None = None) -> None:
        """`table`, or the bytes of one `saved`: decoded when first needed (to_look_at
        decodes it in each process it stats files in, after forking them)."""
        self.scan = scan
        self._table = table
        self._saved = saved
        self._kept: set[int] = set()  # places in `table` this run found unchanged
        self._learned: dict[str, tuple[Signature, str]] = {}
        self._listed = False

    @property
    def table(self) -> Table | None:
        """The table, decoded from the saved bytes on first use (None: none, or not one)."""
        if self._saved is not None:
            saved, self._saved = self._saved, None
            try:
                self._table = tables.loads(saved)
            except ValueError:
                self._table = None
        return self._table

    def _count(self) -> tuple[int, bool]:
        """How many files the table holds, and whether it stands for a walk: from a saved
        one's header alone, so that each process decodes it after the fork (ValueError: not
        a table)."""
        if self._saved is not None:
            return tables.files(self._saved)
        if self._table is None:
            return 0, False
        return len(self._table.paths), self._table.watch is not None

    def to_look_at(self, jobs: int,
                   changed: Collection[int] | None = None) -> tuple[list[int], set[int]] | None:
        """If a walk would find the table's files now (its watch is unchanged): the places of
        the files not known to be unchanged non-candidates, and of those among them that may
        have changed since the table was saved (the others are unchanged candidates); else
        None. Every file stat-ed in `jobs` processes; or, with the places of every file that
        may have `changed` (a file watcher's account: watched.py), none."""
        if changed is not None:
            table = self.table
            if table is None or table.watch is None:
                return None
            self._listed = True
            # The candidates are stat-ed all the same (a few dozen): a change the watcher
            # missed there would change what the project exports.
            changed = {*table.named, *table.unknown, *changed,
                       *(i for i in table.digests if _stat_differs(table, i))}
            return sorted({*table.digests, *changed}), changed
        try:
            count, walked = self._count()
        except ValueError:
            return None
        if not count or not walked:
            return None
        stat, regular = os.stat, _S_ISREG

        def stat_changed(start: int, stop: int) -> tuple[list[int], list[int]] | None:
            table = self.table
            if table is None or table.watch is None or len(table.paths) != count:
                return None
            paths, sigs, digests, named = table.paths, table.sigs, table.digests, table.named
            watched = list(table.watch.stamps.items())
            share = slice(start * len(watched) // count, stop * len(watched) // count)
            if not Watch(dict(watched[share])).unchanged():
                return None
            # Every signature at once, compared as machine integers (a loop comparing each
            # file's in Python costs half as much again as the stats); a file gone makes
            # each one suspect.
            try:
                stats = map(stat, paths[start:stop])
                now = array.array("q", chain.from_iterable(map(signature_of, stats)))
            except OSError:
                suspects: Iterable[int] = range(start, stop)
            else:
                suspects = _differing(now, sigs, start)
            look, changed = [], []
            for i in sorted({*suspects, *(i for i in (*digests, *named) if start <= i < stop)}):
                try:
                    st = stat(paths[i])
                except OSError:
                    if i not in named:
                        # A walked file gone while its directory is unchanged: a symbolic
                        # link whose target went, which a walk skips (issue #18: the warm
                        # run reported a read error that --no-cache does not). Walk.
                        return None
                    look.append(i)  # named on the command line: reported when it is read
                    changed.append(i)
                    continue
                if i not in named and not regular(st.st_mode):
                    return None  # the same: a link whose target is now a directory (#18)
                if signature_of(st) != table.sig(i):
                    changed.append(i)
                    look.append(i)
                elif i in digests:
                    look.append(i)
            return look, changed

        jobs = jobs if count >= _FORK_FILES else 1
        parts = parallel.forked(stat_changed, count, jobs)
        if any(part is None for part in parts):
            return None
        self._listed = True
        return ([i for part in parts if part is not None for i in part[0]],
                {i for part in parts if part is not None for i in part[1]})

    def lookup(self, path: str, sig: Signature, place: int | None = None) -> str | None:
        """The content digest of the file at `path` with signature `sig`, NOT_A_CANDIDATE, or
        None when unknown; `place`: where the table has it, when known."""
        if self.table is None:
            return None
        i = self.table.places.get(path) if place is None else place
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
            place = old.places.get(source.path) if old is not None else None
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
        sigs, digests = array.array("q", table.sigs), dict(table.digests)
        places = table.places_of(self._learned.keys())
        for path, (sig, digest) in self._learned.items():
            i = places[path]
            sigs[4 * i : 4 * i + 4] = array.array("q", sig)
            if digest == NOT_A_CANDIDATE:
                digests.pop(i, None)
            else:
                digests[i] = digest
        return replace(table, sigs=sigs, digests=digests)


def _stat_differs(table: Table, i: int) -> bool:
    try:
        return signature(table.paths[i]) != table.sig(i)
    except OSError:
        return True


def _differing(now: array.array[int], sigs: array.array[int], start: int) -> Iterator[int]:
    """The places, from `start`, whose signature in `now` differs from the one in `sigs`."""
    base = 4 * start
    for block in range(0, len(now), _BLOCK):
        if now[block : block + _BLOCK] != sigs[base + block : base + block + _BLOCK]:
            for k in range(block, min(block + _BLOCK, len(now)), 4):
                if now[k : k + 4] != sigs[base + k : base + k + 4]:
                    yield start + k // 4
