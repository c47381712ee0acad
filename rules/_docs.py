"""Shared bits of the built-in rules' documentation, messages, options and fixes."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from uelint.diagnostic import Diagnostic, Edit
from uelint.ir import TrackingCall

DOCS = "https://apidocs.user.com/developer-guide/web-sdk/update-user-attributes.html"
API_DOCS = "https://apidocs.user.com/developer-guide/web-sdk/"


def via(call: TrackingCall) -> str:
    """" (via `Tracker.push`)" when the call was reached through wrappers, else ""."""
    return f" (via `{' → '.join(v.name for v in call.via)}`)" if call.via else ""


def strings(options: Mapping[str, object], key: str, default: tuple[str, ...] = ()) -> list[str]:
    """A rule option that is a list of strings."""
    value = options.get(key, list(default))
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError(f"`{key}` must be a list of strings")
    return value


def unsafe_fix(diagnostic: Diagnostic, *edits: Edit) -> Diagnostic:
    """The diagnostic with a fix that changes what is sent: `--fix --unsafe-fixes` applies it."""
    return replace(diagnostic, fix=edits, unsafe_fix=True)
