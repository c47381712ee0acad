"""Baselines: accept today's findings, report only new ones.

Entries are keyed on the rule, the path and the finding's stable fingerprint (the rule, the
path, the source text of the finding with whitespace removed, and its occurrence among
identical ones; see linter/fingerprints.py), never on line numbers, so unrelated edits and
moved lines keep matching. An entry that matches nothing any more is reported as fixed, and
`--prune-baseline` drops it.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from uelint import fingerprints
from uelint.diagnostic import Diagnostic

VERSION = 1
Key = tuple[str, str, str]  # rule, path, stable fingerprint


class BaselineError(Exception):
    """A baseline file that cannot be read; the message says why."""


@dataclass(frozen=True)
class Entry:
    rule: str
    path: str
    fingerprint: str
    message: str  # for the people who read the file; not matched on

    @property
    def key(self) -> Key:
        return (self.rule, self.path, self.fingerprint)


@dataclass(frozen=True)
class Comparison:
    new: tuple[Diagnostic, ...]  # not in the baseline: reported
    known: tuple[Diagnostic, ...]  # in the baseline: not reported
    fixed: tuple[Entry, ...]  # in the baseline, found no more


def entry_of(diagnostic: Diagnostic) -> Entry:
    return Entry(diagnostic.code, diagnostic.path, fingerprints.of(diagnostic).stable,
                 diagnostic.message)


def write(path: Path, diagnostics: Iterable[Diagnostic]) -> str:
    """The baseline document for `diagnostics` (the caller writes it atomically)."""
    entries = sorted((entry_of(d) for d in diagnostics),
                     key=lambda e: (e.path, e.rule, e.fingerprint))
    return dumps(entries)


def dumps(entries: Sequence[Entry]) -> str:
    document = {
        "version": VERSION,
        "tool": "uelint",
        "findings": [
            {"rule": e.rule, "path": e.path, "fingerprint": e.fingerprint, "message": e.message}
            for e in entries
        ],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def read(path: Path) -> list[Entry]:
    try:
        document = json.loads(path.read_text("utf-8"))
    except OSError as exc:
        raise BaselineError(f"{path}: cannot read the baseline: {exc.strerror or exc}") from exc
    except (ValueError, UnicodeDecodeError) as exc:
        raise BaselineError(f"{path}: not a uelint baseline (invalid JSON: {exc})") from exc
    except RecursionError as exc:  # the decoder recurses once per nested array or object
        raise BaselineError(f"{path}: not a uelint baseline (nested too deeply)") from exc
    if not isinstance(document, dict) or document.get("tool") != "uelint":
        raise BaselineError(f"{path}: not a uelint baseline (write one with --write-baseline)")
    if document.get("version") != VERSION:
        raise BaselineError(f"{path}: baseline version {document.get('version')!r} is not "
                            f"supported (expected {VERSION}); write it again with --write-baseline")
    findings = document.get("findings", [])
    if not isinstance(findings, list):
        raise BaselineError(f"{path}: `findings` must be a list, not {json.dumps(findings)[:40]}; "
                            "write the baseline again with --write-baseline")
    entries = []
    for i, item in enumerate(findings):
        try:
            entries.append(Entry(str(item["rule"]), str(item["path"]), str(item["fingerprint"]),
                                 str(item.get("message", ""))))
        except (KeyError, TypeError) as exc:
            raise BaselineError(f"{path}: finding #{i} lacks rule, path or fingerprint") from exc
    return entries


def compare(entries: Sequence[Entry], diagnostics: Sequence[Diagnostic]) -> Comparison:
    remaining = Counter(e.key for e in entries)
    new, known = [], []
    for diagnostic in diagnostics:
        key = entry_of(diagnostic).key
        if remaining[key] > 0:
            remaining[key] -= 1
            known.append(diagnostic)
        else:
            new.append(diagnostic)
    fixed = []
    for entry in entries:
        if remaining[entry.key] > 0:
            remaining[entry.key] -= 1
            fixed.append(entry)
    return Comparison(tuple(new), tuple(known), tuple(fixed))


def pruned(entries: Sequence[Entry], fixed: Sequence[Entry]) -> list[Entry]:
    """The entries without the fixed ones (each fixed entry removes one matching entry)."""
    drop = Counter(e.key for e in fixed)
    kept = []
    for entry in entries:
        if drop[entry.key] > 0:
            drop[entry.key] -= 1
        else:
            kept.append(entry)
    return kept
