"""What one file says, whatever the configuration: the pure per-file step that is cached.

`analyse` parses a file (adapter → IR), runs every rule on it and reads its suppression
comments. Its result depends only on its inputs (the file's bytes, its path, the rules with
their options, and the other files' exports the linker offers), so the cache keys it by
them. What configuration decides (levels, selected rules, per-file-ignores, what a
suppression comment suppresses, baselines) is applied afterwards, on every run, by
policy.py: no configuration change can make a cached analysis stale.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from uelint import fingerprints, suppressions
from uelint.adapters import adapter_for
from uelint.diagnostic import Diagnostic, FileError, Related, Snippet
from uelint.fixes import fitted
from uelint.ir import ParsedFile
from uelint.languages import SUFFIXES
from uelint.rule import Rule
from uelint.source import SourceText
from uelint.timing import Timings
from uelint.wrappers import Linker, ModuleExports


@dataclass(frozen=True, slots=True)
class Analysis:
    # Every rule's findings at the rule's own level, with snippets and fingerprints.
    diagnostics: tuple[Diagnostic, ...] = ()
    errors: tuple[FileError, ...] = ()
    parsed: bool = False  # the file survived the prefilter and reached an adapter
    exports: ModuleExports | None = None  # wrappers and constants other files may import
    comments: tuple[suppressions.Comment, ...] = ()  # suppression comments, as written

    @property
    def cacheable(self) -> bool:
        """Not when uelint itself failed: that may depend on this process (its stack, its
        memory), and the next run should try again."""
        return self.parsed and not any(e.kind == "internal" for e in self.errors)


def analyse(
    data: bytes, language: str, path: str, rules: Sequence[Rule], linker: Linker | None = None,
    timings: Timings | None = None,
) -> Analysis:
    """Analyse the contents of one file, reported as `path`. Never raises.

    `linker` resolves imports from other files of the scan. The prefilter has let the file
    through already (or a cross-file round has)."""
    if b"\0" in data[:8192]:
        return failed(path, "binary", "looks like a binary file (it has NUL bytes); not checked")

    start = time.perf_counter()
    text = SourceText(data)
    errors: list[FileError] = []
    read = text
    if language != "python":  # libcst decodes (and reports) Python files itself
        errors += _utf8_error(text, path)
        if errors:  # as the message says: parsers see the bad bytes replaced, offsets kept
            read = SourceText(_replaced(data))
    try:
        result = adapter_for(language)(read, path, language, linker)
    except RecursionError:
        errors.append(FileError(path, "parse", "too deeply nested to analyse; not checked"))
        return Analysis(errors=tuple(errors), parsed=True)
    except Exception as exc:  # an adapter bug must cost one file, not the run
        errors.append(FileError(path, "internal", f"uelint failed on this file: {exc!r}"))
        return Analysis(errors=tuple(errors), parsed=True)
    errors += result.errors
    parsed = time.perf_counter()

    found = _apply(rules, ParsedFile(path, language, result.calls), errors)
    # Fixes fitted to the layout here, where the text is: every report and the editor
    # then offer the same edits.
    diagnostics = fingerprints.stamp(text, (
        replace(fitted(data, d), snippet=Snippet.at(text, d.span)) for d in found))
    comments = suppressions.parse(text, language)
    if timings is not None:
        timings.seconds["parse"] += parsed - start
        timings.seconds["rules"] += time.perf_counter() - parsed
        timings.counts["parsed"] += 1
    return Analysis(diagnostics, tuple(errors), parsed=True, exports=result.exports,
                    comments=comments)


def failed(path: str, kind: str, message: str, parsed: bool = False) -> Analysis:
    """A file that could not be analysed: one FileError says why."""
    return Analysis(errors=(FileError(path, kind, message),), parsed=parsed)


def read_error(path: str, exc: OSError) -> Analysis:
    return failed(path, "read", f"cannot read: {exc.strerror or exc}")


def unknown_language(path: str) -> Analysis:
    known = " ".join(sorted(SUFFIXES))
    return failed(path, "language", f"cannot tell the language of this file; uelint checks "
                                    f"{known} and scripts with a python or node shebang")


def _apply(
    rules: Sequence[Rule], parsed: ParsedFile, errors: list[FileError]
) -> Iterable[Diagnostic]:
    for rule in rules:
        try:
            for call in parsed.calls:
                related = tuple(  # declared wrappers (no path) live in no file of the scan
                    Related(via.path, via.span, f"via `{via.name}`, defined here")
                    for via in call.via if via.path
                )
                for diagnostic in rule.check(call, parsed):
                    yield replace(diagnostic, related=related) if related else diagnostic
        except Exception as exc:  # a (plugin) rule bug must not end the run
            errors.append(FileError(
                parsed.path, "internal", f"rule {rule.code} failed on this file: {exc!r}"
            ))


def _replaced(data: bytes) -> bytes:
    """`data` with each byte that is not UTF-8 replaced by `?`: the same length, so every
    offset stays, and text that tree-sitter's queries can decode."""
    text = data.decode("utf-8", "surrogateescape")
    return re.sub("[\udc80-\udcff]", "?", text).encode("utf-8")


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
