"""`--format json`: one JSON object per run, described by `json-report.schema.json` beside
this module (its `version` changes only when a change could break a reader).

Lines and columns are 1-based and count UTF-16 code units, as in SARIF and LSP; an end
column is the one just past the region. Paths are as uelint prints them: relative to `root`
when inside it, else absolute.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from uelint import fingerprints
from uelint.diagnostic import Diagnostic, FileError, RunResult
from uelint.ir import Span
from uelint.reporters import ReportOptions, shown_path, shown_text
from uelint.rule import Rule

VERSION = 1


def render(result: RunResult, rules: Mapping[str, Rule], options: ReportOptions) -> str:
    report = {
        "version": VERSION,
        "tool": {"name": "uelint", "version": options.tool_version},
        "root": shown_path(result.root),
        "files": {"checked": result.files_checked, "parsed": result.files_parsed},
        "findings": [_finding(d, rules)
                     for d in sorted(result.diagnostics, key=lambda d: d.sort_key)],
        "errors": [_error(e) for e in result.errors],
    }
    return json.dumps(report, indent=2, ensure_ascii=False) + "\n"


def _finding(diagnostic: Diagnostic, rules: Mapping[str, Rule]) -> dict[str, Any]:
    rule = rules.get(diagnostic.code)
    return {
        "rule": diagnostic.code,
        "name": rule.name if rule else None,
        "level": diagnostic.level.value,
        "message": shown_text(diagnostic.message),
        "path": shown_path(diagnostic.path),
        **_region(diagnostic.span),
        "fingerprint": fingerprints.of(diagnostic).stable,
        "url": rule.help_uri if rule else None,
        "related": [
            {"path": shown_path(r.path), **_region(r.span), "message": shown_text(r.message)}
            for r in diagnostic.related
        ],
        **({"suppressed": shown_text(diagnostic.suppressed)}
           if diagnostic.suppressed is not None else {}),
    }


def _error(error: FileError) -> dict[str, Any]:
    return {"kind": error.kind, "message": shown_text(error.message),
            "path": shown_path(error.path), **_region(error.span)}


def _region(span: Span | None) -> dict[str, int | None]:
    return {
        "line": span.start_line if span else None,
        "column": span.start_col if span else None,
        "end_line": span.end_line if span else None,
        "end_column": span.end_col if span else None,
    }
