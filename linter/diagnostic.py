"""What the engine reports: findings of rules and problems with files."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from linter.ir import Span


class Level(str, Enum):
    """Severity, named as in SARIF."""

    ERROR = "error"
    WARNING = "warning"
    NOTE = "note"

    @property
    def rank(self) -> int:
        return {"error": 3, "warning": 2, "note": 1}[self.value]


@dataclass(frozen=True, slots=True)
class Snippet:
    """The source line of a region (a window of it when the line is long), for reporters."""

    text: str
    start: int  # code-point index in `text` where the region starts
    end: int  # code-point index where it ends on this line (> start)


@dataclass(frozen=True, slots=True)
class Diagnostic:
    code: str  # "UE001"
    level: Level
    message: str
    path: str
    span: Span
    snippet: Snippet | None = None  # filled in by the engine, so reporters never re-read files

    @property
    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.path, self.span.start_line, self.span.start_col, self.code)


@dataclass(frozen=True, slots=True)
class FileError:
    """A file that could not be read, decoded or parsed (fully): never silently skipped."""

    path: str
    kind: str  # "read", "decode", "binary", "syntax", "parse", "internal"
    message: str
    span: Span | None = None  # where the problem is, when known


@dataclass(frozen=True, slots=True)
class RunResult:
    """Everything a reporter needs about one run; reporters never re-read or re-parse."""

    diagnostics: tuple[Diagnostic, ...]  # sorted by path, line, column, code
    errors: tuple[FileError, ...]  # sorted by path
    files_checked: int  # files discovered (parsed or ruled out by the prefilter)
    files_parsed: int  # files that survived the prefilter
    root: str  # absolute directory that relative paths are relative to
