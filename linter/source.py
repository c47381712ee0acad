"""Source text and position arithmetic shared by every adapter and reporter.

Parsers speak in bytes (tree-sitter) or code points (libcst); SARIF, LSP and editors want
1-based lines and UTF-16 columns. All conversions live here.
"""

from __future__ import annotations

from bisect import bisect_right

from linter.ir import Span


class SourceText:
    def __init__(self, data: bytes) -> None:
        self.data = data
        starts = [0]
        find = data.find
        pos = find(b"\n")
        while pos != -1:
            starts.append(pos + 1)
            pos = find(b"\n", pos + 1)
        self.line_starts = starts  # byte offset of each line's first byte (lines split on \n)

    @property
    def line_count(self) -> int:
        return len(self.line_starts)

    def line_bytes(self, line: int) -> bytes:
        """The 1-based `line` without its line terminator."""
        start = self.line_starts[line - 1]
        end = self.line_starts[line] - 1 if line < len(self.line_starts) else len(self.data)
        text = self.data[start:end]
        return text[:-1] if text.endswith(b"\r") else text

    def line_text(self, line: int) -> str:
        return self.line_bytes(line).decode("utf-8", "replace")

    def line_of(self, offset: int) -> int:
        return bisect_right(self.line_starts, offset)

    def utf16_col(self, line: int, offset: int) -> int:
        """1-based UTF-16 column of byte `offset` on 1-based `line`."""
        prefix = self.data[self.line_starts[line - 1] : offset]
        if prefix.isascii():
            return len(prefix) + 1
        return len(prefix.decode("utf-8", "replace").encode("utf-16-le")) // 2 + 1

    def span(self, start: int, end: int) -> Span:
        """The span between two byte offsets."""
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
