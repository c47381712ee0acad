"""What the engine reports: findings of rules and problems with files."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING

from uelint.ir import Span

if TYPE_CHECKING:
    from uelint.source import SourceText

_SNIPPET_WIDTH = 160


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

    @classmethod
    def at(cls, text: SourceText, span: Span) -> Snippet:
        """The start line of `span`, cut to a window around it on long (minified) lines."""
        data = text.data
        line_start, line_end = text.line_bounds(span.start_line)
        # Only the bytes near the region are decoded (a code point takes at most 4): a long
        # line with thousands of findings must not be decoded whole for each of them.
        reach = 4 * _SNIPPET_WIDTH
        low = max(line_start, span.start_byte - reach)
        while low > line_start and data[low] & 0xC0 == 0x80:  # not inside a code point
            low += 1
        stop = max(span.start_byte, min(span.end_byte, line_end))
        high = min(line_end, stop + reach)
        while high < line_end and data[high] & 0xC0 == 0x80:
            high -= 1
        line = data[low:high].decode("utf-8", "replace")
        start = len(data[low : span.start_byte].decode("utf-8", "replace"))
        if span.end_line == span.start_line:
            end = start + len(data[span.start_byte : min(stop, high)].decode("utf-8", "replace"))
        else:
            end = len(line)
        end = max(end, start + 1)
        if len(line) > _SNIPPET_WIDTH or low > line_start or high < line_end:
            cut = max(0, start - _SNIPPET_WIDTH // 3)
            window = line[cut : cut + _SNIPPET_WIDTH]
            prefix = "…" if cut else ""
            suffix = "…" if cut + _SNIPPET_WIDTH < len(line) else ""
            shift = len(prefix) - cut
            return cls(prefix + window + suffix, start + shift,
                       min(end + shift, len(prefix) + len(window)))
        return cls(line, start, end)


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace bytes [start, end) of the file with `text`: the unit of a fix."""

    start_byte: int
    end_byte: int
    text: str


@dataclass(frozen=True, slots=True)
class Related:
    """Another place that explains a diagnostic (SARIF relatedLocations)."""

    path: str
    span: Span
    message: str


@dataclass(frozen=True, slots=True)
class Fingerprints:
    """What code scanning services match a finding by across runs (see linter/fingerprints.py)."""

    line_hash: str | None  # GitHub's primaryLocationLineHash; None without the file's text
    stable: str  # ours: rule, path, normalised source text of the region, occurrence


@dataclass(frozen=True, slots=True)
class Diagnostic:
    code: str  # "UE001"
    level: Level
    message: str
    path: str
    span: Span
    # The engine fills these in while it holds the file, so that reporters never re-read it.
    snippet: Snippet | None = None
    fingerprints: Fingerprints | None = None
    fix: tuple[Edit, ...] = ()  # edits that resolve the finding (`uelint check --fix`)
    # The fix changes what the code does (which attribute or event is sent): applied only
    # with `--unsafe-fixes`, as Ruff does.
    unsafe_fix: bool = False
    suppressed: str | None = None  # set when suppressed in the source: the justification
    related: tuple[Related, ...] = ()  # e.g. the definitions of the wrappers a call went through

    @property
    def sort_key(self) -> tuple[str, int, int, str, int, int, str]:
        """A total order, so that two runs over the same files report in the same order."""
        span = self.span
        return (self.path, span.start_line, span.start_col, self.code,
                span.end_line, span.end_col, self.message)


@dataclass(frozen=True, slots=True)
class FileError:
    """A file that could not be read, decoded or parsed (fully): never silently skipped."""

    path: str
    kind: str  # "read", "decode", "binary", "syntax", "parse", "internal"
    message: str
    span: Span | None = None  # where the problem is, when known


@dataclass(frozen=True, slots=True)
class RunResult:
    """Everything a reporter needs about one run; reporters never re-read or re-parse.

    Reporters report every diagnostic here: a finding that must not be reported (suppressed
    in the source, say) is taken out before, by the stage that decides so.
    """

    diagnostics: tuple[Diagnostic, ...]  # sorted by sort_key
    errors: tuple[FileError, ...]  # sorted by path
    files_checked: int  # files discovered (parsed or ruled out by the prefilter)
    files_parsed: int  # files that survived the prefilter
    root: str  # absolute directory that relative paths are relative to
    fixed: int = 0  # findings that `--fix` resolved (and that are no longer listed)
