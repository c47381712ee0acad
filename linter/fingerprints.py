"""Fingerprints that let code scanning services track a finding from run to run.

Two per finding, computed by the engine while it holds the file (reporters never re-read it):

- `line_hash`: GitHub's `primaryLocationLineHash`, exactly as `github/codeql-action`
  (`src/fingerprints.ts`) computes it when it uploads SARIF: a rolling hash over the 100
  UTF-16 code units that start the finding's line, with spaces and tabs dropped and every
  line ending read as `\\n`, then `:n` for the n-th line of the file with that hash.
- `stable`: ours. A hash of the rule, the path, the finding's source text with all
  whitespace removed, and how many earlier findings of the file share those; it survives
  lines moving, reformatting, and edits elsewhere in the file (but one that adds the same
  finding above it).
"""

from __future__ import annotations

import hashlib
import operator
import struct
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import replace

from uelint.diagnostic import Diagnostic, Fingerprints
from uelint.source import SourceText, line_starts_of

_BLOCK = 100  # code units hashed per line
_BASE = 37
_MASK = (1 << 64) - 1  # the upload action's 64-bit `Long` arithmetic wraps around
_EOF = 0xFFFF  # the action hashes this after the last character, then zeros
_POWERS = [pow(_BASE, _BLOCK - 1 - i, _MASK + 1) for i in range(_BLOCK)]


def stamp(text: SourceText, diagnostics: Iterable[Diagnostic]) -> tuple[Diagnostic, ...]:
    """The findings of one file, without duplicates, in order, each with its fingerprints."""
    ordered = sorted(set(diagnostics), key=lambda d: d.sort_key)
    if not ordered:
        return ()
    hashes = line_hashes(text.data, {d.span.start_line for d in ordered}, text.line_starts)
    seen: Counter[tuple[str, str]] = Counter()
    stamped = []
    for diagnostic in ordered:
        region = region_text(text, diagnostic)
        occurrence = seen[diagnostic.code, region]
        seen[diagnostic.code, region] += 1
        prints = Fingerprints(
            line_hash=hashes.get(diagnostic.span.start_line),
            stable=stable_fingerprint(diagnostic.code, diagnostic.path, region, occurrence),
        )
        stamped.append(replace(diagnostic, fingerprints=prints))
    return tuple(stamped)


def of(diagnostic: Diagnostic) -> Fingerprints:
    """The diagnostic's fingerprints; one that did not come through the engine (a plugin's
    or a test's) gets a stable one from its message and position, and no line hash."""
    if diagnostic.fingerprints is not None:
        return diagnostic.fingerprints
    span = diagnostic.span
    where = f"{diagnostic.message}@{span.start_line}:{span.start_col}"
    return Fingerprints(None, stable_fingerprint(diagnostic.code, diagnostic.path, where, 0))


def stable_fingerprint(code: str, path: str, region: str, occurrence: int) -> str:
    key = "\0".join((code, path, region, str(occurrence)))
    # surrogateescape: a file name that is not UTF-8 hashes as its bytes (same as before
    # for every other name)
    return hashlib.sha256(key.encode("utf-8", "surrogateescape")).hexdigest()[:32]


def region_text(text: SourceText, diagnostic: Diagnostic) -> str:
    """The finding's source text with all whitespace removed, so reformatting keeps it."""
    span = diagnostic.span
    raw = text.data[span.start_byte : span.end_byte].decode("utf-8", "replace")
    return "".join(raw.split())


def line_hashes(
    data: bytes, lines: Iterable[int] | None = None, line_starts: Sequence[int] | None = None
) -> dict[int, str]:
    """`primaryLocationLineHash` of `lines` (default: all) of a file, numbered as the upload
    action numbers them (`\\r`, `\\n` and `\\r\\n` each end a line). `line_starts`, the
    byte offsets of the lines split at `\\n` (SourceText's), spare most of the work for the
    usual file: ASCII without `\\r`."""
    wanted = None if lines is None else sorted(set(lines))
    if wanted is None or len(wanted) > _FEW_LINES:
        return _every_line(_UnitStream(data), wanted)
    stream: _AsciiStream | _UnitStream
    if data.isascii() and b"\r" not in data and line_starts is not None and wanted:
        stream = _AsciiStream(data, line_starts, min(wanted[-1], len(line_starts)))
    else:
        stream = _UnitStream(data)
    count = stream.lines
    wanted = list(range(1, count + 1)) if wanted is None else [w for w in wanted if 1 <= w <= count]
    return {line: f"{_hash(stream.window(line)):x}:{stream.occurrence(line)}" for line in wanted}


# Up to this many lines, each line's occurrence is searched for in the file (cheaper than
# going through every line); beyond, one pass counts them all (searching per line would be
# quadratic in a file with thousands of identical findings).
_FEW_LINES = 32


def _every_line(stream: _UnitStream, wanted: Sequence[int] | None) -> dict[int, str]:
    last = stream.lines if wanted is None else min(wanted[-1], stream.lines)
    asked = None if wanted is None else set(wanted)
    seen: Counter[bytes] = Counter()
    found = {}
    for line in range(1, last + 1):
        window = stream.window(line)
        seen[window] += 1
        if asked is None or line in asked:
            found[line] = f"{_hash(window):x}:{seen[window]}"
    return found


class _UnitStream:
    """The file as the upload action hashes it: UTF-16 code units, spaces and tabs dropped,
    line endings as `\\n`, then its end-of-file mark and zeros to fill the last window."""

    def __init__(self, data: bytes) -> None:
        # CR LF is one line ending only when nothing stands between them: the action drops
        # spaces after it has paired them, so "\r \n" ends two lines.
        text = data.decode("utf-8", "replace")
        if "\r" in text:
            text = text.replace("\r\n", "\n").replace("\r", "\n")
        text = text.replace(" ", "").replace("\t", "")
        encoded = text.encode("utf-16-le")
        lines = text.split("\n")[:-1]
        if len(encoded) // 2 == len(text):  # no surrogate pairs: one unit per character
            lengths: Iterable[int] = map(len, lines)
        else:
            lengths = (len(line.encode("utf-16-le")) // 2 for line in lines)
        self.units = encoded + struct.pack("<H", _EOF) + bytes(2 * _BLOCK)
        self.starts = line_starts_of(lengths)  # code-unit index of each line
        self.lines = len(self.starts)

    def window(self, line: int) -> bytes:
        """The units hashed for 1-based `line`."""
        start = 2 * self.starts[line - 1]
        return self.units[start : start + 2 * _BLOCK]

    def occurrence(self, line: int) -> int:
        """The n of ":n": how many lines up to `line` have its hash. Equal hashes come from
        equal windows (a 64-bit collision aside), so the window is searched for, not hashed
        line by line; a match counts where a line starts (after a `\\n`)."""
        window, end = self.window(line), 2 * self.starts[line - 1]
        count, at = 0, self.units.find(window, 0, end + len(window))
        while at != -1:
            if at % 2 == 0 and (at == 0 or self.units[at - 2 : at] == b"\n\0"):
                count += 1
            at = self.units.find(window, at + 1, end + len(window))
        return count


class _AsciiStream:
    """The same stream for ASCII text without `\\r` (most source files), a byte per unit, up
    to the last line asked about: a line starts where the caller's line table says, less the
    spaces and tabs before it, so nothing is split into lines or decoded."""

    def __init__(self, data: bytes, line_starts: Sequence[int], last: int) -> None:
        self.data, self.offsets, self.lines = data, line_starts, len(line_starts)
        self._starts: dict[int, int] = {}
        last_start = self._start(last)
        tail = 4 * _BLOCK
        while True:  # strip enough to hold the last line's window, or everything
            stop = min(len(data), line_starts[last - 1] + tail)
            self.units = data[:stop].translate(None, b" \t")
            if stop == len(data) or len(self.units) - last_start >= _BLOCK:
                break
            tail *= 4

    def _start(self, line: int) -> int:
        if line not in self._starts:
            offset = self.offsets[line - 1]
            spaces = self.data.count(b" ", 0, offset) + self.data.count(b"\t", 0, offset)
            self._starts[line] = offset - spaces
        return self._starts[line]

    def _chunk(self, line: int) -> tuple[int, bytes]:
        start = self._start(line)
        return start, self.units[start : start + _BLOCK]

    def window(self, line: int) -> bytes:
        _, chunk = self._chunk(line)
        units = chunk.decode("ascii").encode("utf-16-le")
        if len(chunk) < _BLOCK:
            units = (units + struct.pack("<H", _EOF) + bytes(2 * _BLOCK))[: 2 * _BLOCK]
        return units

    def occurrence(self, line: int) -> int:
        start, chunk = self._chunk(line)
        if len(chunk) < _BLOCK:
            return 1  # its window holds the end-of-file mark, which no earlier window does
        found, at = 0, self.units.find(chunk, 0, start + _BLOCK)
        while at != -1:
            if at == 0 or self.units[at - 1] == ord("\n"):
                found += 1
            at = self.units.find(chunk, at + 1, start + _BLOCK)
        return found


def _hash(window: bytes) -> int:
    """The action's rolling hash of a full window: sum of unit * 37^(99 - i), mod 2^64."""
    return int(sum(map(operator.mul, struct.unpack(f"<{_BLOCK}H", window), _POWERS))) & _MASK
