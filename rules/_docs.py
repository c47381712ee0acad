"""Shared bits of the built-in rules' documentation and messages."""

from __future__ import annotations

from uelint.ir import TrackingCall

DOCS = "https://apidocs.user.com/developer-guide/web-sdk/update-user-attributes.html"


def via(call: TrackingCall) -> str:
    """" (via `Tracker.push`)" when the call was reached through wrappers, else ""."""
    return f" (via `{' → '.join(v.name for v in call.via)}`)" if call.via else ""
