"""uelint's findings as LSP diagnostics.

The IR's columns are already UTF-16 code units (LSP's default position encoding), 1-based:
a position is the span's, less one. Byte offsets (fixes) go through the checked text.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from lsprotocol import types

from uelint.diagnostic import Diagnostic, Level
from uelint.ir import Span
from uelint.rule import Rule
from uelint.source import SourceText

SOURCE = "uelint"
_SEVERITY = {
    Level.ERROR: types.DiagnosticSeverity.Error,
    Level.WARNING: types.DiagnosticSeverity.Warning,
    Level.NOTE: types.DiagnosticSeverity.Information,
}


def lsp_range(span: Span) -> types.Range:
    return types.Range(types.Position(span.start_line - 1, span.start_col - 1),
                       types.Position(span.end_line - 1, span.end_col - 1))


def byte_range(text: SourceText, start: int, end: int) -> types.Range:
    """The range between two byte offsets of `text`."""
    return lsp_range(text.span(start, end))


def diagnostic(found: Diagnostic, rules: Mapping[str, Rule], root: Path) -> types.Diagnostic:
    """`found` as the editor shows it: the rule's code and documentation link, and the
    wrappers the call went through as related information."""
    rule = rules.get(found.code)
    href = rule.help_uri if rule is not None else None
    related = [
        types.DiagnosticRelatedInformation(
            types.Location(Path(root, r.path).as_uri(), lsp_range(r.span)), r.message)
        for r in found.related
    ]
    return types.Diagnostic(
        range=lsp_range(found.span),
        message=found.message,
        severity=_SEVERITY[found.level],
        code=found.code,
        code_description=types.CodeDescription(href) if href else None,
        source=SOURCE,
        related_information=related or None,
    )


def overlaps(span: Span, wanted: types.Range) -> bool:
    """Whether the diagnostic at `span` touches the range an editor asks about (a cursor
    is an empty range)."""
    found = lsp_range(span)
    start = (found.start.line, found.start.character)
    end = (found.end.line, found.end.character)
    return (start <= (wanted.end.line, wanted.end.character)
            and (wanted.start.line, wanted.start.character) <= end)
