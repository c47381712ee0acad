"""`--format gitlab`: a GitLab Code Quality report (a subset of the Code Climate issue format),
for `artifacts: reports: codequality`, which GitLab shows in merge requests.

GitLab keeps one issue per `fingerprint` and compares them between the merge request and
its target branch, so every fingerprint is unique in a report and stable across runs.
Files that could not be checked are issues too, so that the merge request shows them.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping
from typing import Any

from uelint import fingerprints
from uelint.diagnostic import Level, RunResult
from uelint.ir import Span
from uelint.reporters import ReportOptions, error_id, shown_path, shown_text
from uelint.rule import Rule

# GitLab's severities: info, minor, major, critical, blocker.
_SEVERITY = {Level.ERROR: "major", Level.WARNING: "minor", Level.NOTE: "info"}


def render(result: RunResult, rules: Mapping[str, Rule], options: ReportOptions) -> str:
    issues = [
        _issue(f"{d.code}: {d.message}", d.code, _SEVERITY[d.level], fingerprints.of(d).stable,
               d.path, d.span)
        for d in sorted(result.diagnostics, key=lambda d: d.sort_key)
    ]
    seen: Counter[tuple[str, str, str]] = Counter()
    for error in result.errors:
        check = error_id(error.kind)
        occurrence = seen[check, error.path, error.message]
        seen[check, error.path, error.message] += 1
        key = fingerprints.stable_fingerprint(check, error.path, error.message, occurrence)
        issues.append(_issue(f"{check}: {error.message}", check, "major", key, error.path,
                             error.span))
    return json.dumps(issues, indent=2, ensure_ascii=False) + "\n"


def _issue(
    description: str, check: str, severity: str, fingerprint: str, path: str, span: Span | None
) -> dict[str, Any]:
    begin = {"line": span.start_line, "column": span.start_col} if span else {"line": 1}
    end = {"line": span.end_line, "column": span.end_col} if span else {"line": 1}
    return {
        "description": shown_text(description),
        "check_name": check,
        "fingerprint": fingerprint,
        "severity": severity,
        "location": {"path": shown_path(path), "positions": {"begin": begin, "end": end}},
    }
