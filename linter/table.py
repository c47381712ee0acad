"""A scan's files in columns (the cache's index of them), and the bytes it is kept as.

A warm run of a large project loads its table before anything else, so the format is made to
load in a few milliseconds: a JSON header for the small parts, then raw columns (the paths
joined by NUL, one byte per file for its language, the signatures as machine integers). It is
data only: a table that does not read back whole is no table (ValueError), never code.
"""

from __future__ import annotations

import array
import contextlib
import hashlib
import json
import re
import sys
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from functools import cached_property

from uelint.discover import Signature, SourceFile, Watch

_MAGIC = b"uelint-index 2\n"
_NO_LANGUAGE = 255
_DIGEST = re.compile("[0-9a-f]{32}")
_SEARCHED = 8  # paths looked up one search each (places_of); more: by the map of all
_UNSTAMPED = (-1, 0, 0, 0)  # a watched path that did not exist (a sign of size -1: no file)


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

    @cached_property
    def digest(self) -> str:
        """Which files, each in which state (its stat signature): what a past run's
        knowledge of the files' contents holds for."""
        hasher = hashlib.sha256(_joined(self.paths))
        hasher.update(self.sigs.tobytes())
        return hasher.hexdigest()[:32]

    @cached_property
    def places(self) -> dict[str, int]:
        """Each file's place, by path."""
        return dict(zip(self.paths, range(len(self.paths)), strict=True))

    def places_of(self, paths: Collection[str]) -> dict[str, int]:
        """The places of those of `paths` that are the table's files: for a few, a search
        each (`places` hashes every path, 4 ms of a warm run over 25,000 files)."""
        if len(paths) > _SEARCHED or "places" in self.__dict__:
            return {path: self.places[path] for path in paths if path in self.places}
        found = {}
        for path in paths:
            with contextlib.suppress(ValueError):
                found[path] = self.paths.index(path)
        return found

    @cached_property
    def unknown(self) -> frozenset[int]:
        """The places of the files whose signature is not known (changed too recently to be
        indexed, or never read)."""
        sigs = self.sigs
        return frozenset(i for i in range(len(self.paths)) if sigs[4 * i] == -1)

    def source(self, i: int) -> SourceFile:
        return SourceFile(self.paths[i], self.languages[i], i in self.named)

    def sig(self, i: int) -> Signature:
        size, mtime_ns, ctime_ns, inode = self.sigs[4 * i : 4 * i + 4]
        return size, mtime_ns, ctime_ns, inode


def dumps(table: Table) -> bytes:
    vocabulary = sorted({language for language in table.languages if language is not None})
    if len(vocabulary) >= _NO_LANGUAGE:
        raise ValueError("too many languages for one byte each")
    code = {language: i for i, language in enumerate(vocabulary)}
    codes = bytes(_NO_LANGUAGE if language is None else code[language]
                  for language in table.languages)
    paths = _joined(table.paths)
    columns = [paths, codes, table.sigs.tobytes()]
    watch = None
    if table.watch is not None:
        stamped = list(table.watch.stamps)
        place = {path: i for i, path in enumerate(stamped)}
        stamps = array.array("q", [n for path in stamped
                                   for n in table.watch.stamps[path] or _UNSTAMPED])
        columns += [_joined(stamped), stamps.tobytes()]
        watch = {"listed": sorted(place[d] for d in table.watch.listed),
                 "configs": sorted(table.watch.configs)}
    header = {
        "byteorder": sys.byteorder, "files": len(table.paths), "languages": vocabulary,
        "named": sorted(table.named), "digests": sorted(table.digests.items()),
        "watch": watch, "columns": [len(column) for column in columns],
        "digest": table.digest,
    }
    return b"".join([_MAGIC, json.dumps(header).encode(), b"\n", *columns])


def loads(data: bytes) -> Table:
    """The Table of `dumps`; ValueError when `data` is not one, whole."""
    header, end = _header(data)
    try:
        return _table(header, memoryview(data)[end + 1 :])
    except (TypeError, KeyError, IndexError, AttributeError) as exc:
        raise ValueError(f"a malformed index: {exc!r}") from exc


def files(data: bytes) -> tuple[int, bool]:
    """How many files the table `data` holds, and whether it stands for a walk (it has a
    watch), from its header alone; ValueError when it has none. The rest may still not read."""
    header, _ = _header(data)
    count = header.get("files")
    if not isinstance(count, int):
        raise ValueError("an index without its count of files")
    return count, header.get("watch") is not None


def _header(data: bytes) -> tuple[dict[str, object], int]:
    if not data.startswith(_MAGIC):
        raise ValueError("not an index of this format")
    end = data.index(b"\n", len(_MAGIC))
    header = json.loads(data[len(_MAGIC) : end])
    if not isinstance(header, dict):
        raise ValueError("an index without a header")
    return header, end


def _table(header: dict[str, object], body: memoryview) -> Table:
    sizes = header["columns"]
    if header["byteorder"] != sys.byteorder or not isinstance(sizes, list) or not all(
        isinstance(n, int) and n >= 0 for n in sizes
    ) or sum(sizes) != len(body):
        raise ValueError("an index whose columns do not add up")
    columns, at = [], 0
    for size in sizes:
        columns.append(body[at : at + size])
        at += size
    count = header["files"]
    assert isinstance(count, int)
    paths = _split(columns[0], count)
    vocabulary = header["languages"]
    if not isinstance(vocabulary, list) or not all(isinstance(v, str) for v in vocabulary):
        raise ValueError("an index whose languages are not names")
    named_languages: list[str | None] = [*vocabulary, *[None] * (256 - len(vocabulary))]
    languages = tuple(map(named_languages.__getitem__, bytes(columns[1])))
    if any(c != _NO_LANGUAGE and c >= len(vocabulary) for c in set(bytes(columns[1]))):
        raise ValueError("an index with an unknown language")
    sigs = _integers(columns[2])
    digests = {int(i): str(d) for i, d in header["digests"]}  # type: ignore[attr-defined]
    named = frozenset(int(i) for i in header["named"])  # type: ignore[attr-defined]
    if len(languages) != count or len(sigs) != 4 * count or not all(
        0 <= i < count for i in (*digests, *named)
    ):
        raise ValueError("an index whose columns do not match")
    watch = None
    seen = header["watch"]
    if seen is not None:
        assert isinstance(seen, dict)
        listed = seen["listed"]
        stamps = iter(_integers(columns[4]))
        signatures = list(zip(stamps, stamps, stamps, stamps, strict=True))  # fours, in C
        stamped = _split(columns[3], len(signatures))
        if not all(isinstance(i, int) and 0 <= i < len(stamped) for i in listed):
            raise ValueError("an index whose listed directories are not its stamps")
        watch = Watch({path: None if sig[0] == -1 else sig
                       for path, sig in zip(stamped, signatures, strict=True)},
                      listed={stamped[i] for i in listed},
                      configs={str(path) for path in seen["configs"]})
    digest = header["digest"]
    if not isinstance(digest, str) or not _DIGEST.fullmatch(digest):
        raise ValueError("an index without its digest")
    table = Table(paths, languages, named, sigs, digests, watch)
    # As saved: hashing the paths and signatures again would cost a warm run of a large
    # project several milliseconds (the cache directory is uelint's own, outside the project).
    table.__dict__["digest"] = digest
    return table


def _joined(paths: Sequence[str]) -> bytes:
    return "\0".join(paths).encode("utf-8", "surrogateescape")


def _split(column: memoryview, count: int) -> tuple[str, ...]:
    found = tuple(str(column, "utf-8", "surrogateescape").split("\0")) if count else ()
    if len(found) != count:
        raise ValueError("an index whose paths do not match its files")
    return found


def _integers(column: memoryview) -> array.array[int]:
    found = array.array("q")
    found.frombytes(column)  # ValueError unless whole integers
    return found
