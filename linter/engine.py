"""The pipeline: discover → prefilter → parse (adapter → IR) → rules → RunResult."""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from linter import prefilter
from linter.adapters import adapter_for
from linter.diagnostic import Diagnostic, FileError, RunResult, Snippet
from linter.discover import SourceFile, discover
from linter.ir import ParsedFile, Span
from linter.languages import SUFFIXES
from linter.rule import Rule
from linter.source import SourceText


@dataclass(frozen=True, slots=True)
class FileOutcome:
    diagnostics: tuple[Diagnostic, ...] = ()
    errors: tuple[FileError, ...] = ()
    parsed: bool = False


def run(paths: Sequence[Path], rules: Sequence[Rule], root: Path | None = None) -> RunResult:
    """Check every file under `paths` with `rules`. Raises discover.PathError for a bad path."""
    root = (root or Path.cwd()).resolve()
    diagnostics: list[Diagnostic] = []
    errors: list[FileError] = []
    checked = parsed = 0
    for source in discover(list(paths)):
        outcome = check_file(source, rules, display_path(source.path, root))
        checked += 1
        parsed += outcome.parsed
        diagnostics += outcome.diagnostics
        errors += outcome.errors
    return RunResult(
        diagnostics=tuple(sorted(set(diagnostics), key=lambda d: d.sort_key)),
        errors=tuple(sorted(errors, key=lambda e: (e.path, e.span.start_byte if e.span else -1))),
        files_checked=checked,
        files_parsed=parsed,
        root=str(root),
    )


def display_path(path: Path, root: Path) -> str:
    """Relative to `root` (forward slashes) when inside it, else absolute."""
    absolute = Path(os.path.abspath(path))
    try:
        return absolute.relative_to(root).as_posix()
    except ValueError:
        return absolute.as_posix()


def check_file(source: SourceFile, rules: Sequence[Rule], path: str) -> FileOutcome:
    """Check one file. Never raises: every problem becomes a FileError."""
    if source.language is None:
        known = " ".join(sorted(SUFFIXES))
        return FileOutcome(errors=(FileError(
            path, "language",
            f"cannot tell the language of this file; uelint checks {known} "
            "and scripts with a python or node shebang",
        ),))
    try:
        data = source.path.read_bytes()
    except OSError as exc:
        return FileOutcome(errors=(FileError(path, "read", f"cannot read: {exc.strerror or exc}"),))
    return check_source(data, source.language, rules, path)


def check_source(data: bytes, language: str, rules: Sequence[Rule], path: str) -> FileOutcome:
    """Check the contents of one file (read from disk, or standard input). Never raises."""
    if not prefilter.is_candidate(data):
        return FileOutcome()
    if b"\0" in data[:8192]:
        return FileOutcome(errors=(FileError(
            path, "binary", "looks like a binary file (it has NUL bytes); not checked"
        ),))

    text = SourceText(data)
    errors: list[FileError] = []
    if language != "python":  # libcst decodes (and reports) Python files itself
        errors += _utf8_error(text, path)
    try:
        result = adapter_for(language)(text, path, language)
    except RecursionError:
        errors.append(FileError(path, "parse", "too deeply nested to analyse; not checked"))
        return FileOutcome(errors=tuple(errors), parsed=True)
    except Exception as exc:  # an adapter bug must cost one file, not the run
        errors.append(FileError(path, "internal", f"uelint failed on this file: {exc!r}"))
        return FileOutcome(errors=tuple(errors), parsed=True)
    errors += result.errors

    parsed = ParsedFile(path, language, result.calls)
    diagnostics = [replace(d, snippet=snippet(text, d.span)) for d in _apply(rules, parsed, errors)]
    return FileOutcome(tuple(diagnostics), tuple(errors), parsed=True)


def _apply(rules: Sequence[Rule], parsed: ParsedFile, errors: list[FileError]) -> Iterable[Diagnostic]:
    for rule in rules:
        try:
            for call in parsed.calls:
                yield from rule.check(call, parsed)
        except Exception as exc:  # a (plugin) rule bug must not end the run
            errors.append(FileError(
                parsed.path, "internal", f"rule {rule.code} failed on this file: {exc!r}"
            ))


def _utf8_error(text: SourceText, path: str) -> list[FileError]:
    try:
        text.data.decode("utf-8")
    except UnicodeDecodeError as exc:
        span = text.span(exc.start, exc.start + 1)
        return [FileError(
            path, "decode",
            f"not valid UTF-8 (byte 0x{text.data[exc.start]:02x} at {span.start_line}:"
            f"{span.start_col}); checked with the bad bytes replaced",
            span,
        )]
    return []


_SNIPPET_WIDTH = 160


def snippet(text: SourceText, span: Span) -> Snippet:
    """The start line of `span`, cut to a window around it on long (minified) lines."""
    line_start = text.line_starts[span.start_line - 1]
    line = text.line_text(span.start_line)
    start = len(text.data[line_start : span.start_byte].decode("utf-8", "replace"))
    if span.end_line == span.start_line:
        end = start + len(text.data[span.start_byte : span.end_byte].decode("utf-8", "replace"))
    else:
        end = len(line)
    end = max(end, start + 1)
    if len(line) > _SNIPPET_WIDTH:
        cut = max(0, start - _SNIPPET_WIDTH // 3)
        window = line[cut : cut + _SNIPPET_WIDTH]
        prefix = "…" if cut else ""
        suffix = "…" if cut + _SNIPPET_WIDTH < len(line) else ""
        shift = len(prefix) - cut
        return Snippet(prefix + window + suffix, start + shift,
                       min(end + shift, len(prefix) + len(window)))
    return Snippet(line, start, end)
