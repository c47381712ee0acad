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

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

from uelint import comments, fingerprints
from uelint.diagnostic import Diagnostic, Edit, Fingerprints, Level, Snippet
from uelint.ir import Span
from uelint.source import SourceText

UNUSED = "UE100"
INVALID = "UE101"
DIRECTIVES = ("uelint-disable-next-line", "uelint-disable-line", "uelint-disable-file",
              "uelint-disable", "uelint-enable")

_DIRECTIVE = re.compile(
    r"(?P<opener>//|/\*|#|<!--|\{#|\{\{--|<%#)[ \t]*(?P<name>uelint-[\w-]*|noqa\b)(?P<rest>[^\n]*)"
)
# A block comment's directive ends where the comment does (code may follow on the line).
_CLOSERS = {"/*": "*/", "<!--": "-->", "{#": "#}", "{{--": "--}}", "<%#": "%>"}
_CODE = re.compile(r"^[A-Z]+[0-9]+$")


@dataclass(frozen=True, slots=True)
class Comment:
    """A suppression comment as written: what a file's analysis finds, whatever the
    configuration (which codes are known, which rules run), and everything the policy needs
    to judge it later without the file's text (its snippet, fingerprint parts, the bytes a
    fix would remove)."""

    name: str  # "uelint-disable-next-line", ..., "noqa", or a misspelt `uelint-*`
    body: str  # what follows the name, up to ` -- ` (the codes, for a well-formed one)
    reason: str | None
    line: int  # where the comment is
    span: Span  # the directive, from its comment opener to the end of the comment
    opener: str  # the comment syntax, to rewrite the directive when a fix drops codes
    closer: str
    snippet: Snippet
    line_hash: str | None  # GitHub's primaryLocationLineHash of its line
    region: str  # its text, whitespace removed (the stable fingerprint's part)
    # Removing it: from `trim` (the spaces before it dropped too) to the end of its span, or
    # the whole line [line_start, line_end) when it is alone there.
    trim: int
    line_start: int
    line_end: int
    alone: bool


@dataclass
class Directive:
    """A readable suppression comment, with the codes it names that the run knows."""

    comment: Comment
    codes: tuple[str, ...]
    used: set[str] = field(default_factory=set)  # codes it suppressed something for

    @property
    def name(self) -> str:
        return self.comment.name

    @property
    def line(self) -> int:
        return self.comment.line

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


def parse(text: SourceText, language: str) -> tuple[Comment, ...]:
    """The suppression comments of a file, as written (part of its cached analysis): only
    those in real comments of `language` (comments.py), never text in a string."""
    if b"uelint-" not in text.data and b"noqa" not in text.data:
        return ()
    found: list[tuple[int, str, re.Match[str]]] = []
    for number in range(1, text.line_count + 1):
        line = text.line_text(number)
        if "uelint-" in line or "noqa" in line:
            found += [(number, line, match) for match in _DIRECTIVE.finditer(line)]
    if not found:
        return ()
    offsets = [(text.line_starts[number - 1] + len(line[: match.start()].encode()),
                match["opener"]) for number, line, match in found]
    found = [f for f, real in zip(found, comments.in_comments(text.data, language, offsets),
                                  strict=True) if real]
    hashes = fingerprints.line_hashes(text.data, {n for n, _, _ in found}, text.line_starts)
    wrapped = _jsx_wrapped(text, language, found)
    return tuple(_comment(text, number, line, match, hashes.get(number), container)
                 for (number, line, match), container in zip(found, wrapped, strict=True))


def _jsx_wrapped(text: SourceText, language: str, found: list[tuple[int, str, re.Match[str]]]
                 ) -> list[tuple[int, int] | None]:
    """For each directive, the JSX expression container `{/* ... */}` it fills, if any (only
    those that look so are parsed again)."""
    candidates = [i for i, (_, line, match) in enumerate(found)
                  if match["opener"] == "/*" and line[: match.start()].rstrip().endswith("{")]
    wrapped: list[tuple[int, int] | None] = [None] * len(found)
    if not candidates:
        return wrapped
    offsets = [text.line_starts[found[i][0] - 1] + len(found[i][1][: found[i][2].start()].encode())
               for i in candidates]
    for i, container in zip(candidates, comments.jsx_containers(text.data, language, offsets),
                            strict=True):
        wrapped[i] = container
    return wrapped


def _comment(text: SourceText, number: int, line: str, match: re.Match[str],
             line_hash: str | None, container: tuple[int, int] | None = None) -> Comment:
    rest, opener = match["rest"], match["opener"]
    closer = _CLOSERS.get(opener, "")
    end = rest.find(closer) if closer else -1
    if end == -1:  # a line comment, or a block comment that goes on: to the end of the line
        closer, rest = "", rest.rstrip()
        stop = match.start("rest") + len(rest)
    else:
        rest, stop = rest[:end], match.start("rest") + end + len(closer)
    span = _span(text, number, line, match.start(), stop)
    if container is not None and closer and text.span(*container).end_line == number:
        # JSX's `{/* ... */}`: the braces are the comment's (a fix removes them with it)
        span, opener, closer = text.span(*container), "{/*", "*/}"
    body, _, reason = rest.partition(" -- ")
    data, start, end = text.data, span.start_byte, span.end_byte
    line_start = data.rfind(b"\n", 0, start) + 1
    line_end = data.find(b"\n", end)
    line_end = len(data) if line_end == -1 else line_end + 1
    trim = start
    while trim > line_start and data[trim - 1 : trim] in (b" ", b"\t"):
        trim -= 1
    region = "".join(data[start:end].decode("utf-8", "replace").split())
    return Comment(
        match["name"], body.strip(), reason.strip() or None, number, span, opener,
        closer, Snippet.at(text, span), line_hash, region, trim,
        line_start, line_end,
        alone=not data[line_start:start].strip() and not data[end:line_end].strip(),
    )


def apply(
    comments: Sequence[Comment], path: str, diagnostics: Sequence[Diagnostic],
    known: Iterable[str], active: Iterable[str],
) -> Outcome:
    """Split one file's findings into kept and suppressed; report bad and unused directives.
    `known`: every registered rule code; `active`: the codes this run reports."""
    if not comments:
        return Outcome(tuple(diagnostics), (), ())
    known_codes, active_codes = set(known), set(active)
    directives, problems = _read(comments, path, known_codes)
    blocks = _block_ends(directives)
    kept: list[Diagnostic] = []
    suppressed: list[tuple[Diagnostic, str | None]] = []
    for diagnostic in diagnostics:
        directive = next((
            d for d in directives
            if diagnostic.code in d.codes
            and d.covers(diagnostic.span.start_line, blocks.get(id(d)))
        ), None)
        if directive is None:
            kept.append(diagnostic)
        else:
            directive.used.add(diagnostic.code)
            suppressed.append((diagnostic, directive.comment.reason))
    if UNUSED in active_codes:
        problems += _unused(directives, path, active_codes)
    return Outcome(tuple(kept), tuple(suppressed), _stamped(problems))


_Problem = tuple[Diagnostic, Comment]


def _read(comments: Sequence[Comment], path: str,
          known: set[str]) -> tuple[list[Directive], list[_Problem]]:
    directives: list[Directive] = []
    problems: list[_Problem] = []
    prefixes = {_prefix(code) for code in known}
    for comment in comments:
        if comment.name == "noqa":
            if not comment.body.startswith(":"):
                continue  # a bare noqa comment belongs to other linters
            codes = [c.strip() for c in re.split(r"[,\s]+", comment.body[1:]) if c.strip()]
            codes = [c for c in codes if _prefix(c) in prefixes]  # others: other linters'
            if not codes:
                continue
            problem = None
        else:
            codes = [c.strip() for c in comment.body.split(",")]
            problem = _malformed(comment.name, codes)
        bad = [c for c in codes if c not in known]
        if problem is None and bad:
            problem = _unknown_codes(bad, known)
        if problem is not None:
            message = f"invalid suppression: {problem}"
            problems.append((Diagnostic(INVALID, Level.ERROR, message, path, comment.span),
                             comment))
            continue
        directives.append(Directive(comment, tuple(codes)))
    return directives, problems


def _malformed(name: str, codes: list[str]) -> str | None:
    """What is wrong with a `uelint-*` directive's name or code list, if anything."""
    if name not in DIRECTIVES:
        import difflib  # only for a mistake: not imported on every start-up

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
            if d.name == "uelint-enable" and d.line > directive.line
            and set(d.codes) & set(directive.codes)
        ), None)
        ends[id(directive)] = closing
    return ends


def _unused(directives: list[Directive], path: str, active: set[str]) -> list[_Problem]:
    problems = []
    for directive in directives:
        if directive.name == "uelint-enable":
            continue
        unused = [c for c in directive.codes if c in active and c not in directive.used]
        if unused:
            problems.append((Diagnostic(
                UNUSED, Level.WARNING,
                f"unused suppression: no {', '.join(unused)} finding to suppress here; "
                "remove it (`uelint check --fix` does)",
                path, directive.comment.span, fix=_removal(directive, unused),
            ), directive.comment))
    return problems


def _removal(directive: Directive, unused: list[str]) -> tuple[Edit, ...]:
    """Drop the unused codes; drop the directive when none is left, and its line when the
    directive was all there was on it."""
    comment = directive.comment
    remaining = [c for c in directive.codes if c not in unused]
    if remaining:
        name = "noqa:" if comment.name == "noqa" else comment.name
        reason = f" -- {comment.reason}" if comment.reason else ""
        closer = f" {comment.closer}" if comment.closer else ""
        new = f"{comment.opener} {name} {', '.join(remaining)}{reason}{closer}"
        return (Edit(comment.span.start_byte, comment.span.end_byte, new),)
    if comment.alone:
        return (Edit(comment.line_start, comment.line_end, ""),)
    return (Edit(comment.trim, comment.span.end_byte, ""),)


def _stamped(problems: list[_Problem]) -> tuple[Diagnostic, ...]:
    """With their snippets and fingerprints, occurrences counted as `fingerprints.stamp`
    counts a file's findings."""
    seen: Counter[tuple[str, str]] = Counter()
    stamped = []
    for problem, comment in sorted(problems, key=lambda p: p[0].sort_key):
        occurrence = seen[problem.code, comment.region]
        seen[problem.code, comment.region] += 1
        stable = fingerprints.stable_fingerprint(problem.code, problem.path, comment.region,
                                                 occurrence)
        stamped.append(replace(problem, snippet=comment.snippet,
                               fingerprints=Fingerprints(comment.line_hash, stable)))
    return tuple(stamped)


def _span(text: SourceText, line: int, line_text: str, start: int, end: int) -> Span:
    base = text.line_starts[line - 1]
    start_byte = base + len(line_text[:start].encode())
    end_byte = base + len(line_text[:end].encode())
    return text.span(start_byte, end_byte)


def _unknown_codes(codes: list[str], known: set[str]) -> str:
    parts = []
    for code in codes:
        import difflib  # only for a mistake: not imported on every start-up

        hint = difflib.get_close_matches(code, sorted(known), n=1)
        parts.append(f"{code!r}" + (f" (did you mean {hint[0]}?)" if hint else ""))
    return f"unknown rule code {', '.join(parts)}"
