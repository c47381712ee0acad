from __future__ import annotations

import pytest

from uelint.source import SourceText, read_file, write_atomically


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


@pytest.mark.parametrize("size", [0, 1, 65_535, 65_536, 65_537, 1_000_003])
def test_read_file_reads_every_byte(tmp_path, size):
    path = tmp_path / "f.js"
    data = bytes(range(256)) * (size // 256) + b"x" * (size % 256)
    path.write_bytes(data)
    assert read_file(path) == data
    assert read_file(str(path)) == data


def test_write_atomically_replaces_whole_or_leaves_nothing_behind(tmp_path):
    target = tmp_path / "report.json"
    write_atomically(target, b"first", 0o640)
    write_atomically(target, b"second", 0o644)
    assert target.read_bytes() == b"second" and target.stat().st_mode & 0o777 == 0o644
    (tmp_path / "taken").mkdir()  # a directory cannot be replaced by a file
    with pytest.raises(OSError):
        write_atomically(tmp_path / "taken", b"x", 0o644)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.json", "taken"]


def test_a_lone_cr_ends_a_line_as_lf_and_crlf_do() -> None:
    text = SourceText(b"a\rb\r\nc\nd")
    assert text.line_starts == [0, 2, 5, 7]
    assert [text.line_text(n) for n in range(1, 5)] == ["a", "b", "c", "d"]
    assert text.span(5, 6).start_line == 3


def test_utf16_columns_in_any_order_on_a_long_non_ascii_line() -> None:
    line = "é😀a" * 1000
    text = SourceText(line.encode())
    offsets = [len(line[:i].encode()) for i in (2999, 7, 1500, 0, 2999, 1501)]
    expected = [len(line[:i].encode("utf-16-le")) // 2 + 1 for i in (2999, 7, 1500, 0, 2999, 1501)]
    assert [text.utf16_col(1, offset) for offset in offsets] == expected
