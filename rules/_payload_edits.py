"""Edits of a payload written as an object literal, for the rules' fixes (UE003, UE001).

A rule sees entries located by their keys, not the text between them, so a key is removed
from its start to the next key's start (its value, comma, comment and the blanks after
it), the last one up to the closing brace; fixes.tidy then fits that to the layout (whole
lines when they empty). Only where the payload is a complete literal the file writes:
with a spread, a variable's keys or a wrapper's own keys, the text between two keys may
hold code that must stay, and no fix is offered.
"""

from __future__ import annotations

import json
import re

from uelint.diagnostic import Edit
from uelint.ir import Entry, Payload, TrackingCall, Value, ValueKind

# Keys written in an object literal (JavaScript: `key:`, `"key":`, `key` shorthand;
# Python: `"key":`); not keyword arguments, assignments or PHP arrays.
_LITERAL = ("literal", "quoted", "shorthand")
_NAME = re.compile(r"[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*")


def written(payload: Payload) -> list[Entry] | None:
    """The payload's entries in source order, if it is a literal of keys alone."""
    if not payload.complete:
        return None
    span = payload.span
    entries = sorted(payload.entries, key=lambda e: e.key_span.start_byte)
    if not entries or any(
        e.origin not in _LITERAL or e.key_span.start_byte < span.start_byte
        or e.key_span.end_byte >= span.end_byte for e in entries
    ):
        return None
    return entries


def removal(call: TrackingCall, entry: Entry) -> Edit | None:
    """The edit that removes `entry` from the call's payload, if it can be told."""
    entries = written(call.payload) if call.payload is not None else None
    if entries is None or entry not in entries:
        return None
    at = entries.index(entry)
    if at + 1 < len(entries):
        end = entries[at + 1].key_span.start_byte
    else:
        end = call.payload.span.end_byte - 1 if call.payload is not None else 0
    start = entry.key_span.start_byte
    return Edit(start, end, "") if end > entry.key_span.end_byte else None


def expression(value: Value, entry: Entry) -> str | None:
    """The value as code, when the file shows it whole: a literal, a shorthand's name, a
    name or member path (`user.id`)."""
    if entry.origin == "shorthand":
        return entry.key
    if value.kind is ValueKind.STRING and isinstance(value.literal, str):
        return json.dumps(value.literal, ensure_ascii=False)
    if value.kind is ValueKind.NUMBER and isinstance(value.literal, (int, float)) and (
        not isinstance(value.literal, bool)
    ):
        return repr(value.literal)
    if value.source is not None and _NAME.fullmatch(value.source):
        return value.source
    return None
