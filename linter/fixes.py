"""`uelint check --fix`: apply the edits that findings carry, then drop those findings."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from pathlib import Path

from uelint.diagnostic import Diagnostic, Edit, RunResult
from uelint.source import write_atomically


def apply(result: RunResult) -> RunResult:
    """Fix every fixable finding of `result` in its file; the rest stay reported."""
    by_path: dict[str, list[Diagnostic]] = defaultdict(list)
    for diagnostic in result.diagnostics:
        if diagnostic.fix and diagnostic.suppressed is None:
            by_path[diagnostic.path].append(diagnostic)
    fixed: set[Diagnostic] = set()
    for path, diagnostics in by_path.items():
        fixed.update(_fix_file(Path(result.root, path), diagnostics))
    if not fixed:
        return result
    remaining = tuple(d for d in result.diagnostics if d not in fixed)
    return replace(result, diagnostics=remaining, fixed=result.fixed + len(fixed))


def _fix_file(path: Path, diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    """Apply non-overlapping edits from the end of the file; an edit that overlaps one
    already taken waits for the next run."""
    try:
        data = path.read_bytes()
    except OSError:
        return []
    applied: list[Diagnostic] = []
    taken: list[Edit] = []
    for diagnostic in sorted(diagnostics, key=lambda d: -d.fix[0].start_byte):
        if any(_overlap(edit, other) for edit in diagnostic.fix for other in taken):
            continue
        taken.extend(diagnostic.fix)
        applied.append(diagnostic)
    for edit in sorted(taken, key=lambda e: -e.start_byte):
        data = data[: edit.start_byte] + edit.text.encode() + data[edit.end_byte :]
    write_atomically(path, data, path.stat().st_mode & 0o7777)
    return applied


def _overlap(a: Edit, b: Edit) -> bool:
    return a.start_byte < b.end_byte and b.start_byte < a.end_byte
