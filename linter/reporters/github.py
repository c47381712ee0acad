"""`--format github`: GitHub Actions workflow commands, which the runner turns into
annotations on the pull request's diff (one line, here cut in two):

    ::error title=UE001 user-id-in-update,file=src/app.js,line=3,endLine=3,
    col=5,endColumn=12::message

Byte for byte what `@actions/core` writes for the same annotation (properties in its order,
escaped as the runner unescapes them: `%`, CR and LF in the message; those and `:` and `,`
in properties).
"""

from __future__ import annotations

from collections.abc import Mapping

from uelint.diagnostic import FileError, Level, RunResult
from uelint.ir import Span
from uelint.reporters import ReportOptions, shown_path, shown_text
from uelint.rule import Rule

_COMMAND = {Level.ERROR: "error", Level.WARNING: "warning", Level.NOTE: "notice"}


def render(result: RunResult, rules: Mapping[str, Rule], options: ReportOptions) -> str:
    lines = []
    for d in sorted(result.diagnostics, key=lambda d: d.sort_key):
        title = f"{d.code} {rules[d.code].name}" if d.code in rules else d.code
        lines.append(_command(_COMMAND[d.level], d.message, title, d.path, d.span))
    lines += [_error(e) for e in result.errors]
    return "".join(line + "\n" for line in lines)


def _error(error: FileError) -> str:
    return _command("error", error.message, f"uelint {error.kind} error", error.path, error.span)


def _command(name: str, message: str, title: str, path: str, span: Span | None) -> str:
    properties = {"title": title, "file": shown_path(path)}
    if span is not None:
        properties |= {
            "line": str(span.start_line), "endLine": str(span.end_line),
            "col": str(span.start_col), "endColumn": str(span.end_col),
        }
    listed = ",".join(f"{key}={_escape_property(value)}" for key, value in properties.items())
    return f"::{name} {listed}::{_escape_data(shown_text(message))}"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")
