"""Terminal output: `path:line:col: CODE message`, the source line with carets, a summary."""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Mapping

from linter.diagnostic import Diagnostic, FileError, Level, RunResult, Snippet
from linter.reporters import ReportOptions
from linter.rule import Rule

_RESET = "\033[0m"
_STYLE = {
    "bold": "\033[1m", "dim": "\033[2m", "error": "\033[1;31m", "warning": "\033[1;33m",
    "note": "\033[1;36m", "path": "\033[1m", "caret": "\033[1;31m",
}


class _Painter:
    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled

    def __call__(self, style: str, text: str) -> str:
        return f"{_STYLE[style]}{text}{_RESET}" if self.enabled else text


def render(result: RunResult, rules: Mapping[str, Rule], options: ReportOptions) -> str:
    paint = _Painter(options.color)
    blocks = [_diagnostic(d, paint) for d in result.diagnostics]
    blocks += [_error(e, paint) for e in result.errors]
    blocks.append(_summary(result, paint))
    return "\n".join(blocks) + "\n"


def _diagnostic(diag: Diagnostic, paint: _Painter) -> str:
    where = paint("path", f"{diag.path}:{diag.span.start_line}:{diag.span.start_col}:")
    head = f"{where} {paint(diag.level.value, diag.code)} {diag.message}"
    if diag.snippet is None:
        return head
    return head + "\n" + _excerpt(diag.span.start_line, diag.snippet, paint) + "\n"


def _excerpt(line_no: int, snippet: Snippet, paint: _Painter) -> str:
    gutter = " " * len(str(line_no))
    text = snippet.text.replace("\t", "    ")
    lead = _width(snippet.text[: snippet.start])
    marks = max(1, _width(snippet.text[snippet.start : snippet.end]))
    bar = paint("dim", "|")
    return (
        f"{gutter} {bar}\n"
        f"{paint('dim', str(line_no))} {bar} {text}\n"
        f"{gutter} {bar} {' ' * lead}{paint('caret', '^' * marks)}"
    )


def _width(text: str) -> int:
    """Terminal columns: wide (CJK, emoji) characters take two, combining marks none, tabs four."""
    width = 0
    for char in text:
        if char == "\t":
            width += 4
        elif unicodedata.combining(char):
            continue
        else:
            width += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
    return width


def _error(error: FileError, paint: _Painter) -> str:
    where = error.path
    if error.span is not None:
        where += f":{error.span.start_line}:{error.span.start_col}"
    return f"{paint('path', where + ':')} {paint('error', 'error:')} {error.message}"


def _summary(result: RunResult, paint: _Painter) -> str:
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
        lines.append(paint("bold", f"Found {_plural(len(result.diagnostics), 'problem')} "
                                   f"({parts}) in {where} ({files} checked)."))
    else:
        lines.append(paint("bold", f"No problems found ({files} checked)."))
    if result.errors:
        failed = _plural(len({e.path for e in result.errors}), "file")
        lines.append(paint("error", f"{failed} could not be checked completely; see the errors above."))
    return "\n".join(lines)


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"
