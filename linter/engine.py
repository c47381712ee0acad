"""The pipeline: discover → prefilter → parse (adapter → IR) → rules → RunResult."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from linter import fingerprints, prefilter
from linter.adapters import adapter_for
from linter.diagnostic import Diagnostic, FileError, Related, RunResult, Snippet
from linter.discover import SourceFile, discover
from linter.ir import ParsedFile, Span
from linter.languages import SUFFIXES
from linter.rule import Rule
from linter.source import SourceText
from linter.wrappers import Linker, ModuleExports


@dataclass(frozen=True, slots=True)
class FileOutcome:
    diagnostics: tuple[Diagnostic, ...] = ()
    errors: tuple[FileError, ...] = ()
    parsed: bool = False
    exports: ModuleExports | None = None  # wrappers and constants other files may import


# Rounds of cross-file indexing: a wrapper of an imported wrapper needs one more round.
_LINK_ROUNDS = 4


def run(paths: Sequence[Path], rules: Sequence[Rule], root: Path | None = None) -> RunResult:
    """Check every file under `paths` with `rules`. Raises discover.PathError for a bad path.

    Pass one checks every file on its own and collects what each exports (wrappers of the
    SDK, string constants). Only when some file exports something do the files that may use
    it (they mention an exported name) get checked again, with a `Linker` over the exports,
    until the exports stop changing. Most repositories need pass one only.
    """
    root = (root or Path.cwd()).resolve()
    sources = [(source, display_path(source.path, root)) for source in discover(list(paths))]
    outcomes = [check_file(source, rules, path) for source, path in sources]

    exports = _exports(sources, outcomes)
    for _ in range(_LINK_ROUNDS):
        if not exports:
            break
        linker = Linker(exports)
        names = prefilter.words(linker.names())
        for i, (source, path) in enumerate(sources):
            if outcomes[i].parsed or names is not None:
                outcome = check_file(source, rules, path, linker, names)
                if outcome.parsed:
                    outcomes[i] = outcome
        updated = _exports(sources, outcomes)
        if updated == exports:
            break
        exports = updated

    diagnostics = {d for outcome in outcomes for d in outcome.diagnostics}
    errors = [e for outcome in outcomes for e in outcome.errors]
    return RunResult(
        diagnostics=tuple(sorted(diagnostics, key=lambda d: d.sort_key)),
        errors=tuple(sorted(errors, key=lambda e: (e.path, e.span.start_byte if e.span else -1))),
        files_checked=len(sources),
        files_parsed=sum(outcome.parsed for outcome in outcomes),
        root=str(root),
    )


def run_source(
    data: bytes, language: str, name: Path, rules: Sequence[Rule], root: Path | None = None
) -> RunResult:
    """Check `data` as if it were the file `name` (standard input from an editor or a pipe)."""
    root = (root or Path.cwd()).resolve()
    outcome = check_source(data, language, rules, display_path(name, root))
    return RunResult(
        diagnostics=outcome.diagnostics,
        errors=outcome.errors,
        files_checked=1,
        files_parsed=int(outcome.parsed),
        root=str(root),
    )


def _exports(
    sources: list[tuple[SourceFile, str]], outcomes: list[FileOutcome]
) -> dict[str, ModuleExports]:
    return {
        path: outcome.exports
        for (_, path), outcome in zip(sources, outcomes)
        if outcome.exports
    }


def display_path(path: Path, root: Path) -> str:
    """Relative to `root` (forward slashes) when inside it, else absolute."""
    absolute = Path(os.path.abspath(path))
    try:
        return absolute.relative_to(root).as_posix()
    except ValueError:
        return absolute.as_posix()


def check_file(
    source: SourceFile, rules: Sequence[Rule], path: str,
    linker: Linker | None = None, names: re.Pattern[bytes] | None = None,
) -> FileOutcome:
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
    return check_source(data, source.language, rules, path, linker, names)


def check_source(
    data: bytes, language: str, rules: Sequence[Rule], path: str,
    linker: Linker | None = None, names: re.Pattern[bytes] | None = None,
) -> FileOutcome:
    """Check the contents of one file (read from disk, or standard input). Never raises.

    `linker` resolves imports from other files of the scan; `names` (the names they export)
    lets a file through the prefilter that calls such a wrapper without naming the SDK.
    """
    if not prefilter.is_candidate(data) and (names is None or not names.search(data)):
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
        result = adapter_for(language)(text, path, language, linker)
    except RecursionError:
        errors.append(FileError(path, "parse", "too deeply nested to analyse; not checked"))
        return FileOutcome(errors=tuple(errors), parsed=True)
    except Exception as exc:  # an adapter bug must cost one file, not the run
        errors.append(FileError(path, "internal", f"uelint failed on this file: {exc!r}"))
        return FileOutcome(errors=tuple(errors), parsed=True)
    errors += result.errors

    parsed = ParsedFile(path, language, result.calls)
    diagnostics = fingerprints.stamp(
        text, (replace(d, snippet=snippet(text, d.span)) for d in _apply(rules, parsed, errors))
    )
    return FileOutcome(diagnostics, tuple(errors), parsed=True, exports=result.exports)


def _apply(rules: Sequence[Rule], parsed: ParsedFile, errors: list[FileError]) -> Iterable[Diagnostic]:
    for rule in rules:
        try:
            for call in parsed.calls:
                related = tuple(
                    Related(via.path, via.span, f"via `{via.name}`, defined here") for via in call.via
                )
                for diagnostic in rule.check(call, parsed):
                    yield replace(diagnostic, related=related) if related else diagnostic
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
