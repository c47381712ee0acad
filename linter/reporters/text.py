"""Terminal output: `path:line:col: CODE message`, the source line with carets, a summary.

The first line of a diagnostic always starts `path:line:col: CODE [level] message` (editors and
scripts read it). Given a width (a terminal's), long messages wrap onto indented lines and
long source lines are cut to a window around the finding; without one (a pipe, a file)
nothing is wrapped, so every message stays on its first line.
"""

from __future__ import annotations

import textwrap
import unicodedata
from collections import Counter
from collections.abc import Mapping

from uelint.diagnostic import Diagnostic, FileError, Level, Related, RunResult, Snippet
from uelint.reporters import ReportOptions, shown_path, shown_text
from uelint.rule import Rule

_RESET = "\033[0m"
_STYLE = {
    "bold": "\033[1m", "dim": "\033[2m", "error": "\033[1;31m", "warning": "\033[1;33m",
    "note": "\033[1;36m", "path": "\033[1m",
}
_INDENT = "    "  # continuation lines of a wrapped message
_ELLIPSIS = "…"
_TAB = "    "
# Control characters from the source would drive the terminal: show their pictures instead.
_VISIBLE = {code: 0x2400 + code for code in range(0x20) if code != 0x09} | {
    0x7F: 0x2421, **{code: 0xFFFD for code in range(0x80, 0xA0)}}


class Painter:
    """Colours text with ANSI escapes, or leaves it alone when colour is off."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled

    def __call__(self, style: str, text: str) -> str:
        return f"{_STYLE[style]}{text}{_RESET}" if self.enabled and text else text


def render(result: RunResult, rules: Mapping[str, Rule], options: ReportOptions) -> str:
    paint = Painter(options.color)
    ordered = sorted(result.diagnostics, key=lambda d: d.sort_key)
    if options.concise:  # one line each, never wrapped: for grep and editors' error lists
        blocks = [_diagnostic(d, paint, None, full=False) for d in ordered]
    else:
        blocks = [_diagnostic(d, paint, options.width, full=True) for d in ordered]
    blocks += [error_line(e, paint, options.width) for e in result.errors]
    if not options.quiet:
        blocks.append(summary(result, paint, options.width))
    return "".join(block + "\n" for block in blocks)


def _diagnostic(diag: Diagnostic, paint: Painter, width: int | None, full: bool) -> str:
    """`path:line:col: CODE [level] message`: the level in words, so that output without
    colour is unambiguous; in full, the source excerpt (carets in the level's colour)."""
    where = f"{shown_path(diag.path)}:{diag.span.start_line}:{diag.span.start_col}:"
    level = diag.level.value
    lines = _wrap([(where, "path"), (diag.code, level), (f"[{level}]", level)], diag.message,
                  width, paint)
    if not full:
        return lines[0]
    if diag.snippet is not None:
        lines.append(_excerpt(diag.span.start_line, diag.snippet, paint, width, level))
    lines += [_related(r, paint, width) for r in diag.related]
    return "\n".join(lines) + ("\n" if diag.snippet is not None else "")


def _related(related: Related, paint: Painter, width: int | None) -> str:
    where = f"{shown_path(related.path)}:{related.span.start_line}:{related.span.start_col}:"
    return "\n".join(_wrap([("  = note:", "note"), (where, "path")], related.message, width, paint))


def error_line(error: FileError, paint: Painter, width: int | None) -> str:
    where = shown_path(error.path)
    if error.span is not None:
        where += f":{error.span.start_line}:{error.span.start_col}"
    heading = [(where + ":", "path"), ("error:", "error")]
    return "\n".join(_wrap(heading, error.message, width, paint))


def _wrap(
    head: list[tuple[str, str]], message: str, width: int | None, paint: Painter
) -> list[str]:
    """`head message` on one line, or wrapped to `width` with a hanging indent; the head
    (a list of (text, style)) is never broken and the first word always follows it."""
    message = shown_text(message).translate(_VISIBLE)
    plain_head = " ".join(text for text, _ in head)
    painted_head = " ".join(paint(style, text) for text, style in head)
    if width is None:
        return [f"{painted_head} {message}"]
    lines = textwrap.wrap(
        message, width, initial_indent=" " * (_width(plain_head) + 1), subsequent_indent=_INDENT,
        break_long_words=False, break_on_hyphens=False,
    ) or [""]
    lines[0] = painted_head + " " + lines[0].lstrip(" ")
    return [line.rstrip() for line in lines]


def _excerpt(
    line_no: int, snippet: Snippet, paint: Painter, width: int | None, level: str
) -> str:
    gutter = " " * len(str(line_no))
    text, start, end = _displayable(snippet)
    if width is not None:
        text, start, end = _fit(text, start, end, width - len(gutter) - 3)
    lead = _width(text[:start])
    marks = max(1, _width(text[start:end]))
    bar = paint("dim", "|")
    return (
        f"{gutter} {bar}\n"
        f"{paint('dim', str(line_no))} {bar} {text}\n"
        f"{gutter} {bar} {' ' * lead}{paint(level, '^' * marks)}"
    )


def _displayable(snippet: Snippet) -> tuple[str, int, int]:
    """The snippet with control characters made visible and tabs expanded, and its region."""
    text = snippet.text.translate(_VISIBLE)

    def at(index: int) -> int:
        return index + (len(_TAB) - 1) * text.count("\t", 0, index)

    return text.replace("\t", _TAB), at(snippet.start), at(snippet.end)


def _fit(text: str, start: int, end: int, room: int) -> tuple[str, int, int]:
    """The part of `text` that fits `room` columns with the region [start, end) in view and
    as much code around it as fits; "…" marks what was cut on either side."""
    if _width(text) <= room:
        return text, start, end
    room = max(room, 8)
    left = 0
    if _width(text[:end]) + len(_ELLIPSIS) > room:
        # Keep some code after the region; a region too wide to show whole keeps its start.
        after = min(_width(text[end:]), room // 4)
        budget = max(room // 4, room - 2 * len(_ELLIPSIS) - _width(text[start:end]) - after)
        left, used = start, 0
        while left > 0 and used + _char_width(text[left - 1]) <= budget:
            left -= 1
            used += _char_width(text[left])
    prefix = _ELLIPSIS if left > 0 else ""
    available = room - len(prefix) - len(_ELLIPSIS)
    right, used = left, 0
    while right < len(text) and used + _char_width(text[right]) <= available:
        used += _char_width(text[right])
        right += 1
    suffix = _ELLIPSIS if right < len(text) else ""
    shift = len(prefix) - left
    end = max(min(end, right), start + 1) + shift
    return prefix + text[left:right] + suffix, start + shift, end


def _width(text: str) -> int:
    if text.isascii():  # printable by now (see _displayable): a column each
        return len(text)
    return sum(map(_char_width, text))


def _char_width(char: str) -> int:
    """Terminal columns: wide (CJK, emoji) characters take two, combining marks none."""
    if unicodedata.combining(char):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def summary(result: RunResult, paint: Painter, width: int | None) -> str:
    files = _plural(result.files_checked, "file")
    if not result.diagnostics and not result.errors:
        return paint("bold", f"All checks passed ({files} checked).")
    lines = []
    if result.diagnostics:
        by_level = Counter(d.level for d in result.diagnostics)
        parts = ", ".join(
            _plural(by_level[level], level.value) for level in Level if by_level[level]
        )
        where = _plural(len({d.path for d in result.diagnostics}), "file")
        lines.append(f"Found {_plural(len(result.diagnostics), 'problem')} ({parts}) in {where} "
                     f"({files} checked).")
    else:
        lines.append(f"No problems found ({files} checked).")
    if result.errors:
        failed = _plural(len({e.path for e in result.errors}), "file")
        lines.append(f"{failed} could not be checked completely; see the errors above.")
    style = ["bold"] + ["error"] * (len(lines) - 1)
    if width is not None:
        lines = ["\n".join(textwrap.wrap(line, width)) for line in lines]
    return "\n".join(paint(s, line) for s, line in zip(style, lines, strict=True))


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"
