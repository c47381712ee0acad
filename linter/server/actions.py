"""What the editor offers on a checked buffer: quick fixes, suppressions, fix-all, hover.

Everything here answers from a buffer's last check (its text and findings), never from the
file on disk; the fixes are the rules' own (`Diagnostic.fix`, what `uelint check --fix`
applies).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from lsprotocol import types

from uelint import languages, suppressions
from uelint.diagnostic import Diagnostic, Edit
from uelint.server.convert import byte_range, lsp_range, overlaps
from uelint.server.convert import diagnostic as to_lsp
from uelint.server.folders import Folder
from uelint.source import SourceText

FIX_ALL = f"{types.CodeActionKind.SourceFixAll.value}.uelint"
REASON = "reason"  # the placeholder a suppression's justification replaces
_SCRIPTS = (languages.JAVASCRIPT, languages.TYPESCRIPT, languages.TSX)
# A page's line may be script or markup; its template language has a comment of its own.
_TEMPLATE_COMMENT = {languages.JINJA: "{#", languages.BLADE: "{{--", languages.ERB: "<%#",
                     languages.EJS: "<%#"}
_CLOSERS = {"<!--": " -->", "{#": " #}", "{{--": " --}}", "<%#": " %>"}


@dataclass
class Checked:
    """A buffer as it was checked: the version, its bytes, and what uelint found in it."""

    uri: str
    version: int | None
    path: Path
    language: str
    data: bytes
    folder: Folder
    findings: tuple[Diagnostic, ...]  # unsuppressed, in report order

    def at(self, wanted: types.Range) -> list[Diagnostic]:
        return [d for d in self.findings if overlaps(d.span, wanted)]


def code_actions(checked: Checked, wanted: types.Range,
                 only: Iterable[str] | None) -> list[types.CodeAction]:
    """The actions for the findings in `wanted`: each finding's fix (preferred when safe),
    a suppression on its line; and fixing every safe fix of the buffer."""
    kinds = list(only) if only is not None else None

    def asked(kind: str) -> bool:
        return kinds is None or any(kind == k or kind.startswith(k + ".") for k in kinds)

    actions: list[types.CodeAction] = []
    # Its own per request: requests run in threads, and a SourceText caches columns.
    text = SourceText(checked.data)
    found = checked.at(wanted)
    if asked(types.CodeActionKind.QuickFix.value):
        for diagnostic in found:
            if diagnostic.fix:
                unsafe = " (unsafe: changes what is sent)" if diagnostic.unsafe_fix else ""
                actions.append(_action(checked, text, f"Fix {diagnostic.code}{unsafe}",
                                       types.CodeActionKind.QuickFix, diagnostic.fix,
                                       [diagnostic], preferred=not diagnostic.unsafe_fix))
        for diagnostic in found:
            edit = suppression(checked, text, diagnostic)
            if edit is not None:
                actions.append(_action(checked, text, f"Suppress {diagnostic.code} on this line",
                                       types.CodeActionKind.QuickFix, (edit,), [diagnostic]))
    safe = [d for d in checked.findings if d.fix and not d.unsafe_fix]
    if safe and asked(FIX_ALL):
        edits = non_overlapping(safe)
        actions.append(_action(checked, text, "Fix all safely fixable uelint problems", FIX_ALL,
                               edits, []))
    return actions


def non_overlapping(findings: list[Diagnostic]) -> list[Edit]:
    """The edits of `findings`' fixes, a fix that overlaps one already taken left out (as
    `uelint check --fix` does: the next check offers it again)."""
    taken: list[Edit] = []
    for finding in sorted(findings, key=lambda d: -d.fix[0].start_byte):
        if not any(a.start_byte < b.end_byte and b.start_byte < a.end_byte
                   for a in finding.fix for b in taken):
            taken.extend(finding.fix)
    return taken


def suppression(checked: Checked, text: SourceText, finding: Diagnostic) -> Edit | None:
    """A `uelint-disable-line` directive for `finding`, at the end of its line, in the first
    comment syntax that really is a comment there (for a page's line: script or markup), as
    the suppression parser reads it. None if no syntax fits."""
    line = finding.span.start_line
    content = text.line_bytes(line)
    end = text.line_starts[line - 1] + len(content)
    gap = ("  " if checked.language == languages.PYTHON else " ") if content.strip() else ""
    for opener in _openers(checked.language):
        directive = (f"{gap}{opener} uelint-disable-line {finding.code} -- {REASON}"
                     f"{_CLOSERS.get(opener, '')}")
        fixed = SourceText(checked.data[:end] + directive.encode() + checked.data[end:])
        if any(c.line == line and c.name == "uelint-disable-line" and c.body == finding.code
               for c in suppressions.parse(fixed, checked.language)):
            return Edit(end, end, directive)
    return None


def _openers(language: str) -> tuple[str, ...]:
    if language == languages.PYTHON:
        return ("#",)
    if language in _SCRIPTS:
        return ("//",)
    template = _TEMPLATE_COMMENT.get(language)
    return ("//", "<!--", *((template,) if template else ()))


def _action(checked: Checked, text: SourceText, title: str, kind: types.CodeActionKind | str,
            edits: Iterable[Edit], findings: list[Diagnostic],
            preferred: bool | None = None) -> types.CodeAction:
    changes = [types.TextEdit(byte_range(text, e.start_byte, e.end_byte), e.text)
               for e in edits]
    return types.CodeAction(
        title=title, kind=kind,
        diagnostics=[to_lsp(d, checked.folder.by_code, checked.folder.root)
                     for d in findings] or None,
        is_preferred=preferred,
        edit=types.WorkspaceEdit(changes={checked.uri: changes}),
    )


def hover(checked: Checked, position: types.Position) -> types.Hover | None:
    """The documentation of the rules whose findings cover `position`."""
    found = checked.at(types.Range(position, position))
    codes = list(dict.fromkeys(d.code for d in found))
    rules = [checked.folder.by_code[c] for c in codes if c in checked.folder.by_code]
    if not rules:
        return None
    pages = []
    for rule in rules:
        more = f"\n\n[{rule.code} documentation]({rule.help_uri})" if rule.help_uri else ""
        pages.append(f"### {rule.code} {rule.name} ({rule.level.value})\n\n{rule.summary}\n\n"
                     f"{rule.documentation()}{more}")
    return types.Hover(
        contents=types.MarkupContent(types.MarkupKind.Markdown, "\n\n---\n\n".join(pages)),
        range=lsp_range(found[0].span),
    )
