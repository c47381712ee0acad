"""SARIF 2.1.0 output, for GitHub code scanning and editor SARIF viewers.

One run. `tool.driver.rules` holds every rule that was passed in (sorted by code), so that
viewers can show the documentation of rules that found nothing. Locations are relative
URI references against `%SRCROOT%`: the top of the git work tree the run's root is in (else
the root itself), because GitHub maps a result's path from the repository's top whatever
directory the job ran in (a monorepo's `working-directory:`); regions are 1-based lines
and UTF-16 columns (`run.columnKind`), exactly as the engine's `Span`. Files that could
not be read or parsed become `toolExecutionNotifications` and make the invocation
unsuccessful.

The output is a pure function of its input (and of the working directory, which SARIF
records): the same run renders to byte-identical text.

Suppressed findings reach this reporter only with `--include-suppressed` (GitHub would show
them as open alerts), for editors; they carry `suppressions: [{"kind": "inSource", ...}]`
with the justification written after ` -- ` in the directive.
"""

from __future__ import annotations

import functools
import json
import os
import pathlib
import re
import urllib.parse
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from uelint import fingerprints, project
from uelint.reporters import error_id, shown_text

if TYPE_CHECKING:
    from uelint.diagnostic import Diagnostic, FileError, RunResult
    from uelint.ir import Span
    from uelint.reporters import ReportOptions
    from uelint.rule import Rule

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_VERSION = "2.1.0"
TOOL_NAME = "uelint"
INFORMATION_URI = "https://pypi.org/project/uelint/"
SRCROOT = "%SRCROOT%"
# partialFingerprints keys: GitHub's line hash, and ours (v1 hashed the message instead of the
# finding's source text).
LINE_HASH_KEY = "primaryLocationLineHash"
FINGERPRINT_KEY = "uelint/v2"

# GitHub's `problem.severity` vocabulary differs from SARIF's levels only for notes.
_PROBLEM_SEVERITY = {"error": "error", "warning": "warning", "note": "recommendation"}

# Tool notifications: one descriptor per FileError kind, with a stable id. GitHub wants
# descriptions and help on every reportingDescriptor, notification descriptors included.
_NOTIFICATIONS: dict[str, tuple[str, str, str]] = {
    # kind: (name, short description, full description); the id is error_id(kind)
    "read": (
        "ReadError",
        "A file could not be read.",
        (
            "uelint could not read a file (it vanished, or a permission or I/O problem); "
            "the file was not checked."
        ),
    ),
    "decode": (
        "DecodeError",
        "A file is not valid UTF-8.",
        (
            "A file is not valid UTF-8. It was checked with the bad bytes replaced, so calls "
            "near them may have been missed."
        ),
    ),
    "skipped": (
        "SkippedFile",
        "A path was left out of the scan: it cannot be read safely.",
        (
            "The walk left out a path: not a regular file (a FIFO, a socket, a device), a "
            "symbolic link that loops or leads out of the scanned directories, a directory "
            "it could not list, a file over the size limit, or ignore patterns cut to their "
            "bounds. The notice says which and why."
        ),
    ),
    "binary": (
        "BinaryFile",
        "A file looks binary and was not checked.",
        "A file that should hold source code looks like binary data; it was not checked.",
    ),
    "syntax": (
        "SyntaxError",
        "A file has syntax errors; part of it was not checked.",
        (
            "The parser found syntax errors in a file. Calls inside the broken part were not "
            "checked; fix the syntax error to have the whole file checked."
        ),
    ),
    "parse": (
        "ParseError",
        "A file could not be parsed (fully).",
        (
            "uelint could not parse a file, or not all of it; what could not be parsed was "
            "not checked."
        ),
    ),
    "internal": (
        "InternalError",
        "uelint failed internally while checking a file.",
        (
            "uelint hit an internal error while checking a file, which was not checked (fully). "
            "This is a bug in uelint or in a plugin; please report it."
        ),
    ),
}

# GitHub documents a 1024-character limit for rule descriptions.
_MAX_DESCRIPTION = 1024

_SEMVER = re.compile(
    r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)"
    r"(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?"
    r"(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$"
)
_PEP440 = re.compile(
    r"^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?"
    r"(?:[-_.]?(a|b|rc|alpha|beta|c|pre|preview)[-_.]?(\d*))?"
    r"(?:[-_.]?dev[-_.]?(\d*))?"
    r"(?:\+([0-9A-Za-z.]+))?$",
    re.IGNORECASE,
)


def render(result: RunResult, rules: Mapping[str, Rule], options: ReportOptions) -> str:
    log = build_log(result, rules, options, cwd=os.getcwd())
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"


def build_log(
    result: RunResult, rules: Mapping[str, Rule], options: ReportOptions, cwd: str
) -> dict[str, Any]:
    """The SARIF log as a JSON-ready dict (keys in output order)."""
    ordered = sorted(rules.values(), key=lambda rule: rule.code)
    rule_index = {rule.code: i for i, rule in enumerate(ordered)}
    root = os.path.abspath(result.root)

    driver: dict[str, Any] = {
        "name": TOOL_NAME,
        "fullName": f"{TOOL_NAME} {options.tool_version}: a policy linter for User.com "
                    "(UserEngage) tracking code",
        "version": options.tool_version,
    }
    semantic = semantic_version(options.tool_version)
    if semantic is not None:
        driver["semanticVersion"] = semantic
    driver["informationUri"] = INFORMATION_URI
    driver["rules"] = [_rule_descriptor(rule) for rule in ordered]
    driver["notifications"] = [
        {
            "id": error_id(kind),
            "name": name,
            "shortDescription": {"text": short},
            "fullDescription": {"text": full},
            "help": {"text": full, "markdown": full},
            "defaultConfiguration": {"level": "error"},
        }
        for kind, (name, short, full) in _NOTIFICATIONS.items()
    ]

    invocation: dict[str, Any] = {
        "executionSuccessful": not result.errors,
        "workingDirectory": {"uri": _directory_uri(cwd)},
        "toolExecutionNotifications": [_notification(e, root) for e in result.errors],
    }

    run: dict[str, Any] = {
        "tool": {"driver": driver},
        "automationDetails": {"id": automation_id(options.sarif_category)},
        "invocations": [invocation],
        "originalUriBaseIds": {SRCROOT: {"uri": _directory_uri(uri_base(root))}},
        "columnKind": "utf16CodeUnits",
        "results": _results(result.diagnostics, rule_index, root),
    }
    return {"$schema": SCHEMA_URI, "version": SARIF_VERSION, "runs": [run]}


def automation_id(category: str) -> str:
    """`run.automationDetails.id` for a category: GitHub reads the part before the last `/`
    as the category, so one is added when missing, as the upload action does."""
    return category if category.endswith("/") else category + "/"


# --- rules -----------------------------------------------------------------------------


def _rule_descriptor(rule: Rule) -> dict[str, Any]:
    markdown = rule.documentation()
    level = rule.level.value
    descriptor: dict[str, Any] = {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": _truncate(first_section(markdown) or rule.summary)},
        "help": {"text": markdown_to_text(markdown), "markdown": markdown},
    }
    if rule.help_uri is not None:
        descriptor["helpUri"] = rule.help_uri
    descriptor["defaultConfiguration"] = {"level": level}
    descriptor["properties"] = {
        "tags": list(rule.tags),
        "precision": rule.precision,
        "problem.severity": _PROBLEM_SEVERITY.get(level, "warning"),
    }
    return descriptor


def _truncate(text: str, limit: int = _MAX_DESCRIPTION) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


_HEADING = re.compile(r"^ {0,3}(#{1,6})\s+(.*?)(?:\s+#+)?\s*$")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")


def _closes(line: str, fence: str) -> bool:
    """Whether `line` closes a code block opened by `fence` (CommonMark)."""
    mark = line.strip()
    return len(mark) >= len(fence) and mark == fence[0] * len(mark)


def first_section(markdown: str) -> str:
    """The "What it does" section (else the first section or paragraph) as plain text,
    each paragraph on one line."""
    sections: list[tuple[str | None, list[str]]] = [(None, [])]
    fence: str | None = None
    for line in markdown.splitlines():
        if fence is None and (opened := _FENCE.match(line)):
            fence = opened.group(1)
        elif fence is not None and _closes(line, fence):
            fence = None
        elif fence is None and (heading := _HEADING.match(line)):
            sections.append((heading.group(2).strip().lower(), []))
            continue
        sections[-1][1].append(line)
    chosen = next((body for title, body in sections if title == "what it does"), None)
    if chosen is None:
        chosen = next((body for _, body in sections if "\n".join(body).strip()), [])
    paragraphs = re.split(r"\n\s*\n", markdown_to_text("\n".join(chosen)).strip())
    return "\n\n".join(" ".join(p.split()) for p in paragraphs if p.strip())


def markdown_to_text(markdown: str) -> str:
    """Markdown as readable plain text: no heading marks, code fences, backticks, link or
    emphasis syntax; code blocks stay, indented by four spaces."""
    out: list[str] = []
    prose: list[str] = []  # inline markup (a code span, say) may run over several lines

    def flush() -> None:
        if prose:
            out.extend(line.rstrip() for line in _inline_text("\n".join(prose)).split("\n"))
            prose.clear()

    fence: str | None = None
    for line in markdown.splitlines():
        if fence is None and (opened := _FENCE.match(line)):
            flush()
            fence = opened.group(1)
        elif fence is not None:
            if _closes(line, fence):
                fence = None
            else:
                out.append("    " + line if line.strip() else "")
        elif heading := _HEADING.match(line):
            flush()
            out.append(_inline_text(heading.group(2)))
        else:
            prose.append(line)
    flush()
    return "\n".join(out).strip("\n")


# A code span: a run of backticks, anything but a blank line, the same run again.
_CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`)((?:(?!\n[ \t]*\n).)+?)(?<!`)\1(?!`)", re.DOTALL)
_INLINE_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"!?\[([^\]]*)\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)"), r"\1 (\2)"),
    (re.compile(r"<((?:https?|mailto):[^>\s]+)>"), r"\1"),
    (re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*"), r"\1"),
    (re.compile(r"(?<!\w)__(?=\S)(.+?)(?<=\S)__(?!\w)"), r"\1"),
    (re.compile(r"(?<![\w*])\*(?=[^\s*])(.+?)(?<=[^\s*])\*(?![\w*])"), r"\1"),
    (re.compile(r"(?<!\w)_(?=[^\s_])(.+?)(?<=[^\s_])_(?!\w)"), r"\1"),
)
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!<>|])")


def _inline_text(line: str) -> str:
    parts: list[str] = []
    last = 0
    for span in _CODE_SPAN.finditer(line):
        parts.append(_inline_plain(line[last : span.start()]))
        code = span.group(2).replace("\n", " ")  # CommonMark: line endings become spaces
        parts.append(code.strip() if code.strip() else code)
        last = span.end()
    parts.append(_inline_plain(line[last:]))
    return "".join(parts)


def _inline_plain(text: str) -> str:
    # Escaped characters are set aside first so that `\*` never closes an emphasis.
    escaped: list[str] = []

    def hide(match: re.Match[str]) -> str:
        escaped.append(match.group(1))
        return f"\0{len(escaped) - 1}\0"

    text = _ESCAPE.sub(hide, text.replace("\0", ""))
    for pattern, replacement in _INLINE_RULES:
        text = pattern.sub(replacement, text)
    return re.sub(r"\0(\d+)\0", lambda m: escaped[int(m.group(1))], text)


def semantic_version(version: str) -> str | None:
    """`version` as Semantic Versioning 2.0.0 (PEP 440 pre and dev releases and local
    versions mapped over), or None when it has no such form."""
    if _SEMVER.match(version):
        return version
    match = _PEP440.match(version.strip())
    if not match:
        return None
    major, minor, patch, pre, pre_n, dev_n, local = match.groups()
    text = f"{int(major)}.{int(minor or 0)}.{int(patch or 0)}"
    prerelease = []
    if pre:
        label = {"alpha": "a", "beta": "b", "c": "rc", "pre": "rc", "preview": "rc"}
        prerelease.append(label.get(pre.lower(), pre.lower()) + str(int(pre_n or 0)))
    if dev_n is not None:
        prerelease.append(f"dev{int(dev_n or 0)}")
    if prerelease:
        text += "-" + ".".join(prerelease)
    if local:
        text += "+" + local
    return text if _SEMVER.match(text) else None


# --- results ---------------------------------------------------------------------------


def _results(
    diagnostics: tuple[Diagnostic, ...], rule_index: Mapping[str, int], root: str
) -> list[dict[str, Any]]:
    results: list[dict[str, Any]] = []
    for diagnostic in sorted(diagnostics, key=lambda d: d.sort_key):
        uri, base = artifact_uri(diagnostic.path, root)
        entry: dict[str, Any] = {"ruleId": diagnostic.code}
        if diagnostic.code in rule_index:
            entry["ruleIndex"] = rule_index[diagnostic.code]
        entry["level"] = diagnostic.level.value
        entry["message"] = {"text": shown_text(diagnostic.message)}
        entry["locations"] = [_location(uri, base, diagnostic.span)]
        if diagnostic.related:
            entry["relatedLocations"] = [
                {"id": i, **_location(*artifact_uri(r.path, root), r.span),
                 "message": {"text": shown_text(r.message)}}
                for i, r in enumerate(diagnostic.related, start=1)
            ]
        if diagnostic.fix:
            entry["fixes"] = [_fix(diagnostic, uri, base)]
        prints = fingerprints.of(diagnostic)
        entry["partialFingerprints"] = {
            **({LINE_HASH_KEY: prints.line_hash} if prints.line_hash else {}),
            FINGERPRINT_KEY: prints.stable,
        }
        if diagnostic.suppressed is not None:
            suppression = {"kind": "inSource"}
            if diagnostic.suppressed:
                suppression["justification"] = shown_text(diagnostic.suppressed)
            entry["suppressions"] = [suppression]
        results.append(entry)
    return results


def _fix(diagnostic: Diagnostic, uri: str, base: str | None) -> dict[str, Any]:
    """The finding's fix (what `uelint check --fix` applies), as SARIF's fix object: byte
    regions of the file, which is what an edit is (no line/column arithmetic to get wrong).
    An unsafe fix says so, in words and in a property."""
    artifact: dict[str, Any] = {"uri": uri}
    if base is not None:
        artifact["uriBaseId"] = base
    unsafe = diagnostic.unsafe_fix
    return {
        "description": {"text": f"Fix {diagnostic.code}"
                                + (" (unsafe: changes what is sent; review it)" if unsafe else "")},
        "artifactChanges": [{
            "artifactLocation": artifact,
            "replacements": [
                {"deletedRegion": {"byteOffset": edit.start_byte,
                                   "byteLength": edit.end_byte - edit.start_byte},
                 **({"insertedContent": {"text": edit.text}} if edit.text else {})}
                for edit in sorted(diagnostic.fix, key=lambda e: e.start_byte)
            ],
        }],
        "properties": {"safety": "unsafe" if unsafe else "safe"},
    }


def _notification(error: FileError, root: str) -> dict[str, Any]:
    uri, base = artifact_uri(error.path, root)
    descriptor: dict[str, Any] = {"id": error_id(error.kind)}
    if error.kind in _NOTIFICATIONS:
        descriptor["index"] = list(_NOTIFICATIONS).index(error.kind)
    return {
        "level": "error",
        "message": {"text": shown_text(f"{error.kind}: {error.message}")},
        "locations": [_location(uri, base, error.span)],
        "descriptor": descriptor,
    }


def _location(uri: str, base: str | None, span: Span | None) -> dict[str, Any]:
    artifact: dict[str, Any] = {"uri": uri}
    if base is not None:
        artifact["uriBaseId"] = base
    physical: dict[str, Any] = {"artifactLocation": artifact}
    if span is not None:
        physical["region"] = {
            "startLine": span.start_line,
            "startColumn": span.start_col,
            "endLine": span.end_line,
            "endColumn": span.end_col,
        }
    return {"physicalLocation": physical}


# --- URIs ------------------------------------------------------------------------------


@functools.lru_cache(maxsize=64)
def uri_base(root: str) -> str:
    """The directory `%SRCROOT%` stands for: the git top level above the run's root, if any."""
    absolute = os.path.abspath(root)
    top = project.git_top(Path(absolute))
    return absolute if top is None else str(top)


def artifact_uri(path: str, root: str) -> tuple[str, str | None]:
    """(uri, uriBaseId) for a path as the engine reports it (relative to the run's `root`).

    A path inside `uri_base(root)` becomes a percent-encoded relative URI reference with
    forward slashes against %SRCROOT%; a path outside it becomes an absolute file URI.
    """
    absolute = os.path.normpath(os.path.join(root, path))
    base = uri_base(root)
    relative = os.path.relpath(absolute, base) if _is_within(absolute, base) else None
    if relative is None:
        return pathlib.Path(absolute).as_uri(), None
    if os.sep != "/":
        relative = relative.replace(os.sep, "/")
    if os.altsep and os.altsep != "/":
        relative = relative.replace(os.altsep, "/")
    # A name that is not UTF-8 is percent-encoded as its bytes (surrogateescape gives them).
    return urllib.parse.quote(relative, safe="/", errors="surrogateescape"), SRCROOT


def _is_within(path: str, root: str) -> bool:
    try:
        common = os.path.commonpath([path, root])
    except ValueError:  # different drives on Windows
        return False
    return os.path.normcase(common) == os.path.normcase(root)


def _directory_uri(directory: str) -> str:
    uri = pathlib.Path(os.path.abspath(directory)).as_uri()
    return uri if uri.endswith("/") else uri + "/"
