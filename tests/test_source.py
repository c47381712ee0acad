from __future__ import annotations

from linter import prefilter
from linter.source import SourceText


def test_utf16_columns_and_bytes() -> None:
    line = 'x = "😀 汉字"; user_id\n'
    text = SourceText(("first\r\n" + line).encode())
    start = text.data.index(b"user_id")
    span = text.span(start, start + len("user_id"))
    # 😀 is 2 UTF-16 units (4 bytes), each CJK character 1 unit (3 bytes).
    assert (span.start_line, span.start_col, span.end_col) == (2, 14, 21)
    assert text.line_text(1) == "first"
    assert text.offset(2, line.index("user_id")) == start


def test_span_across_lines_and_at_end() -> None:
    text = SourceText(b"ab\ncd")
    span = text.span(1, 4)
    assert (span.start_line, span.start_col, span.end_line, span.end_col) == (1, 2, 2, 2)
    assert text.line_count == 2 and text.line_text(2) == "cd"


def test_prefilter() -> None:
    assert prefilter.is_candidate(b"window.userengage('x')")
    assert prefilter.is_candidate(b"UE.pageHit({})")
    assert prefilter.is_candidate(b"window.civchat = {}")
    # A method-name constant alone makes a file worth reading (its importers need it).
    assert prefilter.is_candidate(b"export const UPDATE = 'client.update';")
    assert not prefilter.is_candidate(b"socket.emit('profile.save', {user_id: 1})")
