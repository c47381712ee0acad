"""Source text and position arithmetic shared by every adapter and reporter, and the plain
reads and atomic writes of files.

Parsers speak in bytes (tree-sitter) or code points (libcst); SARIF, LSP and editors want
1-based lines and UTF-16 columns. All conversions live here.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import stat
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from itertools import accumulate, count
from operator import add

from uelint.ir import Span

_FIRST_READ = 1 << 16  # most source files are smaller: one read, and a 1-byte one sees the end
# The largest file read: a scanned repository may hold anything (a generated bundle, a disk
# image named `.js`), and a read must not exhaust memory. Larger files are reported.
MAX_FILE_SIZE = 50 * 1024 * 1024
# Refuse to open anything but a regular file: a FIFO blocks the open or the read forever, a
# device never ends (/dev/zero) or has side effects when opened (a terminal, a tape).
_OPEN_FLAGS = (os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_NONBLOCK", 0)
               | getattr(os, "O_NOCTTY", 0))


def file_kind(mode: int) -> str:
    """What a file that is not a regular file is, for messages."""
    for test, kind in ((stat.S_ISDIR, "a directory"), (stat.S_ISFIFO, "a FIFO (named pipe)"),
                       (stat.S_ISSOCK, "a socket"), (stat.S_ISCHR, "a character device"),
                       (stat.S_ISBLK, "a block device")):
        if test(mode):
            return kind
    return "not a regular file"


def _not_regular(path: str | os.PathLike[str], mode: int) -> OSError:
    return OSError(errno.EINVAL, f"{file_kind(mode)}, not a regular file: only regular files "
                                 "are read", os.fspath(path))


def _too_large(path: str | os.PathLike[str], limit: int) -> OSError:
    amount = f"{limit / (1 << 20):g} MB" if limit >= 1 << 20 else f"{limit} bytes"
    hint = "; exclude it (uelint.source.MAX_FILE_SIZE)" if limit == MAX_FILE_SIZE else ""
    return OSError(errno.EFBIG, f"larger than {amount}, the most uelint reads{hint}",
                   os.fspath(path))


def read_file(path: str | os.PathLike[str], limit: int | None = None) -> bytes:
    """A regular file's bytes, at most `limit` of them (default MAX_FILE_SIZE), with plain
    system calls: a scan reads tens of thousands of files, and a buffered file object
    (`Path.read_bytes`) doubles the time (0.29 s against 0.13 s for the benchmark corpus).
    Raises OSError for anything else than a regular file, and for a larger one."""
    limit = MAX_FILE_SIZE if limit is None else limit
    fd, size = _open_regular(path)
    try:
        if size > limit:
            raise _too_large(path, limit)
        # The size fstat gave, and a byte more: one read, and EOF known, for a file that did
        # not change (a scan reads tens of thousands: a second read each costs 10%).
        chunks = [os.read(fd, min(size + 1, limit + 1))]
        total = len(chunks[0])
        if total <= size:
            return chunks[0]
        step = max(_FIRST_READ, total)
        while total <= limit and (more := os.read(fd, min(step, limit + 1 - total))):
            chunks.append(more)
            total += len(more)
            step = max(_FIRST_READ, 2 * len(more))
        if total > limit:  # it grew since fstat
            raise _too_large(path, limit)
    finally:
        os.close(fd)
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


def read_head(path: str | os.PathLike[str], size: int) -> bytes:
    """The first `size` bytes of a regular file (a shebang); OSError as read_file."""
    fd, _ = _open_regular(path)
    try:
        return os.read(fd, size)
    finally:
        os.close(fd)


def _open_regular(path: str | os.PathLike[str]) -> tuple[int, int]:
    """A descriptor of `path` and its size, if it is a regular file: checked before opening
    (opening some devices acts on them) and again on what was opened (it could have been
    swapped in between)."""
    mode = os.stat(path).st_mode
    if not stat.S_ISREG(mode):
        raise _not_regular(path, mode)
    fd = os.open(path, _OPEN_FLAGS)
    st = os.fstat(fd)
    if not stat.S_ISREG(st.st_mode):
        os.close(fd)
        raise _not_regular(path, st.st_mode)
    return fd, st.st_size


def write_atomically(path: str | os.PathLike[str], data: bytes, mode: int) -> None:
    """Write `path` whole or not at all: a temporary file beside it, given `mode` (mkstemp's
    own is owner-only), then renamed over it. Raises OSError, leaving no temporary file."""
    import tempfile  # only to write a file: 3 ms of every start-up otherwise

    directory, name = os.path.split(os.fspath(path))
    fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=directory or ".")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def find_all(data: bytes, words: Iterable[bytes]) -> list[tuple[int, int]]:
    """Where `words` occur in `data`, as (start, end) in order: a `find` loop per word takes
    a third of the time of a regular expression's alternation (words must not overlap)."""
    found = []
    for word in words:
        find, size = data.find, len(word)
        at = find(word)
        while at != -1:
            found.append((at, at + size))
            at = find(word, at + size)
    found.sort()
    return found


_LINE_END = re.compile(rb"\r\n?|\n")


def line_starts_of(lengths: Iterable[int]) -> list[int]:
    """Where each line starts, from the lengths of all but the last (without their `\\n`);
    summed in C, as a file can have hundreds of thousands of lines."""
    return [0, *map(add, accumulate(lengths), count(1))]


class SourceText:
    def __init__(self, data: bytes) -> None:
        self.data = data
        # Set by `embedded()`: the text that `data` stands for, and where its pieces come from.
        self._origin: SourceText | None = None
        self._starts: list[int] = []  # offset in `data` where each piece starts
        self._origin_starts: list[int] = []  # offset in the origin where it comes from
        # Per non-ASCII line, the byte offsets whose UTF-16 columns are known, and those.
        self._columns: dict[int, tuple[list[int], list[int]]] = {}
        # The byte offset of each line's first byte (lines split on \n).
        if b"\r" in data:  # a lone CR ends a line too (JavaScript, Python, SARIF say so)
            self.line_starts = [0, *(m.end() for m in _LINE_END.finditer(data))]
        else:
            self.line_starts = line_starts_of(map(len, data.split(b"\n")[:-1]))

    def embedded(self, data: bytes, pieces: Sequence[tuple[int, int]] = ((0, 0),)) -> SourceText:
        """A text for a parser to read in place of (part of) this one: JavaScript of an HTML
        file with everything else blanked, a string literal with its escapes decoded.

        `span()` of the result answers in this text's positions (and, if this text is itself
        embedded, in its origin's), so adapters locate what they find in the original file.
        `pieces` are (offset in `data`, offset here) pairs, ascending: each piece is copied
        verbatim up to the next, whose start also bounds it (a decoded escape is shorter than
        what it stands for). The default suits a same-length copy, such as template tags
        masked by placeholders of their length. Other methods answer about `data` itself.
        """
        text = SourceText(data)
        text._origin = self
        text._starts = [start for start, _ in pieces]
        text._origin_starts = [origin for _, origin in pieces]
        return text

    def _in_origin(self, offset: int) -> int:
        index = bisect_right(self._starts, offset) - 1
        mapped = self._origin_starts[index] + offset - self._starts[index]
        if index + 1 < len(self._starts):
            mapped = min(mapped, self._origin_starts[index + 1])
        return mapped

    @property
    def line_count(self) -> int:
        return len(self.line_starts)

    def line_bounds(self, line: int) -> tuple[int, int]:
        """Where the 1-based `line` starts and ends (before its line terminator), in bytes."""
        start = self.line_starts[line - 1]
        end = self.line_starts[line] - 1 if line < len(self.line_starts) else len(self.data)
        if end > start and self.data[end - 1] == 0x0D:  # \r\n
            end -= 1
        return start, end

    def line_bytes(self, line: int) -> bytes:
        """The 1-based `line` without its line terminator."""
        start, end = self.line_bounds(line)
        return self.data[start:end]

    def line_text(self, line: int) -> str:
        return self.line_bytes(line).decode("utf-8", "replace")

    def line_of(self, offset: int) -> int:
        return bisect_right(self.line_starts, offset)

    def utf16_col(self, line: int, offset: int) -> int:
        """1-based UTF-16 column of byte `offset` on 1-based `line`."""
        start = self.line_starts[line - 1]
        prefix = self.data[start:offset]
        if prefix.isascii():
            return len(prefix) + 1
        # From the nearest column already known on this line: a long non-ASCII line (a
        # minified bundle) with thousands of spans would be decoded from its start each time.
        known = self._columns.setdefault(line, ([start], [1]))
        offsets, columns = known
        i = bisect_right(offsets, offset) - 1
        piece = self.data[offsets[i] : offset]
        column = columns[i] + len(piece.decode("utf-8", "replace").encode("utf-16-le")) // 2
        if offsets[i] != offset:
            offsets.insert(i + 1, offset)
            columns.insert(i + 1, column)
        return column

    def span(self, start: int, end: int) -> Span:
        """The span between two byte offsets (in the original file, for an embedded text)."""
        if self._origin is not None:
            return self._origin.span(self._in_origin(start), self._in_origin(end))
        start_line = self.line_of(start)
        end_line = self.line_of(end) if end > start else start_line
        return Span(
            start_line,
            self.utf16_col(start_line, start),
            end_line,
            self.utf16_col(end_line, end),
            start,
            end,
        )

    def offset(self, line: int, codepoint_col: int) -> int:
        """Byte offset of a 1-based line and a 0-based code-point column (libcst positions)."""
        start = self.line_starts[line - 1]
        if codepoint_col == 0:
            return start
        head = self.line_bytes(line)
        if head.isascii():
            return start + codepoint_col
        return start + len(head.decode("utf-8", "replace")[:codepoint_col].encode("utf-8"))
