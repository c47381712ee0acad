"""Inline suppressions: ESLint's directive grammar, in any host comment syntax, and `# noqa`.

    // uelint-disable-next-line UE001 -- the id is the same user's, migrated
    userengage("client.update", { user_id });       // uelint-disable-line UE001
    /* uelint-disable UE003 */ ... /* uelint-enable UE003 */
    /* uelint-disable-file UE002 */
    window.userengage("client.update", {"user_id": uid})  # noqa: UE001

Directives are read from comments (`//`, `/*`, `#`, `<!--`, `{#`, `{{--`, `<%#`). Parsing is
strict: a directive must name its codes (no blanket suppressions), every code must be known,
and a malformed directive is reported (UE101) rather than ignored. A directive that suppresses
nothing is reported too (UE100), with a fix that removes it. `# noqa` without codes, or with
other linters' codes only, belongs to those linters and is left alone.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from uelint.diagnostic import Diagnostic, Edit, Level
from uelint.ir import Span
from uelint.source import SourceText

UNUSED = "UE100"
INVALID = "UE101"
DIRECTIVES = ("uelint-disable-next-line", "uelint-disable-line", "uelint-disable-file",
              "uelint-disable", "uelint-enable")

_DIRECTIVE = re.compile(
    r"(?P<opener>//|/\*|#|<!--|\{#|\{\{--|<%#)[ \t]*(?P<name>uelint-[\w-]*|noqa\b)(?P<rest>[^\n]*)"
)
_CLOSER = re.compile(r"\s*(\*/|-->|#\}|--\}\}|%>)\s*$")
_CODE = re.compile(r"^[A-Z]+[0-9]+$")


@dataclass
class Directive:
    name: str  # "uelint-disable-next-line", ..., or "noqa"
    codes: tuple[str, ...]
    reason: str | None
    line: int  # where the comment is
    span: Span  # the directive, from its comment opener to the end of the comment
    opener: str = "//"  # the comment syntax, to rewrite the directive when a fix drops codes
    closer: str = ""
    used: set[str] = field(default_factory=set)  # codes it suppressed something for

    def covers(self, line: int, end_line: int | None) -> bool:
        if self.name == "uelint-enable":
            return False
        if self.name == "uelint-disable-next-line":
            return line == self.line + 1
        if self.name in ("uelint-disable-line", "noqa"):
            return line == self.line
        if self.name == "uelint-disable-file":
            return True
        return self.line <= line and (end_line is None or line < end_line)


@dataclass(frozen=True)
class Outcome:
    kept: tuple[Diagnostic, ...]  # still reported
    suppressed: tuple[tuple[Diagnostic, str | None], ...]  # with the directive's reason
    problems: tuple[Diagnostic, ...]  # UE100 and UE101 findings


def apply(
    text: SourceText, path: str, diagnostics: Sequence[Diagnostic], known: Iterable[str],
    active: Iterable[str],
) -> Outcome:
    """Split one file's findings into kept and suppressed; report bad and unused directives."""
    if b"uelint-" not in text.data and b"noqa" not in text.data:
        return Outcome(tuple(diagnostics), (), ())
    known_codes, active_codes = set(known), set(active)
    directives, problems = _parse(text, path, known_codes)
    blocks = _block_ends(directives)
    kept: list[Diagnostic] = []
    suppressed: list[tuple[Diagnostic, str | None]] = []
    for diagnostic in diagnostics:
        directive = next((
            d for d in directives
            if diagnostic.code in d.codes and d.covers(diagnostic.span.start_line, blocks.get(id(d)))
        ), None)
        if directive is None:
            kept.append(diagnostic)
        else:
            directive.used.add(diagnostic.code)
            suppressed.append((diagnostic, directive.reason))
    if UNUSED in active_codes:
        problems += _unused(text, directives, path, active_codes)
    return Outcome(tuple(kept), tuple(suppressed), tuple(problems))


def _parse(text: SourceText, path: str, known: set[str]) -> tuple[list[Directive], list[Diagnostic]]:
    directives: list[Directive] = []
    problems: list[Diagnostic] = []
    prefixes = {_prefix(code) for code in known}
    for number in range(1, text.line_count + 1):
        line = text.line_text(number)
        if "uelint-" not in line and "noqa" not in line:
            continue
        for match in _DIRECTIVE.finditer(line):
            name, rest = match["name"], match["rest"]
            closer = _CLOSER.search(rest)
            if closer is not None:
                rest = rest[: closer.start()]
            span = _span(text, number, line, match.start(), len(line.rstrip()))
            body, _, reason = rest.partition(" -- ")
            if name == "noqa":
                if not body.startswith(":"):
                    continue  # a bare noqa comment belongs to other linters
                codes = [c.strip() for c in re.split(r"[,\s]+", body[1:]) if c.strip()]
                codes = [c for c in codes if _prefix(c) in prefixes]  # others: other linters'
                if not codes:
                    continue
                problem = None
            else:
                codes = [c.strip() for c in body.split(",")]
                problem = _malformed(name, codes)
            bad = [c for c in codes if c not in known]
            if problem is None and bad:
                problem = _unknown_codes(bad, known)
            if problem is not None:
                problems.append(_invalid(path, span, problem))
                continue
            directives.append(Directive(name, tuple(codes), reason.strip() or None, number, span,
                                        match["opener"], closer.group(1) if closer else ""))
    return directives, problems


def _malformed(name: str, codes: list[str]) -> str | None:
    """What is wrong with a `uelint-*` directive's name or code list, if anything."""
    if name not in DIRECTIVES:
        hint = difflib.get_close_matches(name, DIRECTIVES, n=1)
        return f"unknown directive `{name}`" + (
            f"; did you mean `{hint[0]}`?" if hint else f"; use one of {', '.join(DIRECTIVES)}")
    if codes == [""]:
        return (f"`{name}` must name the rules it disables, e.g. `{name} UE001` "
                "(blanket suppressions are not allowed)")
    malformed = [c for c in codes if not _CODE.match(c)]
    if malformed:
        return (f"malformed rule code(s) {', '.join(map(repr, malformed))} "
                "(codes are separated by commas; a reason follows ` -- `)")
    return None


def _prefix(code: str) -> str:
    """The letters of a code: the plugin prefix ("UE" of "UE001", "E" of flake8's "E501")."""
    letters = re.match(r"[A-Z]*", code)
    return letters.group(0) if letters else ""


def _block_ends(directives: list[Directive]) -> dict[int, int | None]:
    """For each `uelint-disable`, the line of the `uelint-enable` that closes it (per code)."""
    ends: dict[int, int | None] = {}
    for directive in directives:
        if directive.name != "uelint-disable":
            continue
        closing = next((
            d.line for d in directives
            if d.name == "uelint-enable" and d.line > directive.line and set(d.codes) & set(directive.codes)
        ), None)
        ends[id(directive)] = closing
    return ends


def _unused(text: SourceText, directives: list[Directive], path: str, active: set[str]) -> list[Diagnostic]:
    problems = []
    for directive in directives:
        if directive.name == "uelint-enable":
            continue
        unused = [c for c in directive.codes if c in active and c not in directive.used]
        if unused:
            problems.append(Diagnostic(
                UNUSED, Level.WARNING,
                f"unused suppression: no {', '.join(unused)} finding to suppress here; "
                "remove it (`uelint check --fix` does)",
                path, directive.span, fix=_removal(text, directive, unused),
            ))
    return problems


def _removal(text: SourceText, directive: Directive, unused: list[str]) -> tuple[Edit, ...]:
    """Drop the unused codes; drop the directive when none is left, and its line when the
    directive was all there was on it."""
    start, end = directive.span.start_byte, directive.span.end_byte
    remaining = [c for c in directive.codes if c not in unused]
    if remaining:
        name = "noqa:" if directive.name == "noqa" else directive.name
        reason = f" -- {directive.reason}" if directive.reason else ""
        closer = f" {directive.closer}" if directive.closer else ""
        new = f"{directive.opener} {name} {', '.join(remaining)}{reason}{closer}"
        return (Edit(start, end, new),)
    data = text.data
    line_start = data.rfind(b"\n", 0, start) + 1
    line_end = data.find(b"\n", end)
    line_end = len(data) if line_end == -1 else line_end + 1
    if not data[line_start:start].strip() and not data[end:line_end].strip():
        return (Edit(line_start, line_end, ""),)
    while start > line_start and data[start - 1 : start] in (b" ", b"\t"):
        start -= 1
    return (Edit(start, end, ""),)


def _span(text: SourceText, line: int, line_text: str, start: int, end: int) -> Span:
    base = text.line_starts[line - 1]
    start_byte = base + len(line_text[:start].encode())
    end_byte = base + len(line_text[:end].encode())
    return text.span(start_byte, end_byte)


def _invalid(path: str, span: Span, message: str) -> Diagnostic:
    return Diagnostic(INVALID, Level.ERROR, f"invalid suppression: {message}", path, span)


def _unknown_codes(codes: list[str], known: set[str]) -> str:
    parts = []
    for code in codes:
        hint = difflib.get_close_matches(code, sorted(known), n=1)
        parts.append(f"{code!r}" + (f" (did you mean {hint[0]}?)" if hint else ""))
    return f"unknown rule code {', '.join(parts)}"
