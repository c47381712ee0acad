"""uelint: a static policy linter for User.com (UserEngage) tracking code.

The public plugin API: `hookimpl`, `Rule`, `Level`, `Diagnostic` and the IR types. They are
imported on first use (PEP 562), so that importing the package runs nothing: `python -m
uelint` imports this module while the working directory (a scanned repository, maybe) is
still on sys.path, before __main__.py takes it off.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from uelint.diagnostic import Diagnostic, Level
    from uelint.hookspecs import hookimpl
    from uelint.ir import Entry, Handler, HandlerKind, ParsedFile, Payload, Span, TrackingCall
    from uelint.rule import Rule

__version__ = "0.1.0"

_EXPORTS = {
    "Diagnostic": "uelint.diagnostic", "Level": "uelint.diagnostic",
    "hookimpl": "uelint.hookspecs", "Rule": "uelint.rule",
    **dict.fromkeys(("Entry", "Handler", "HandlerKind", "ParsedFile", "Payload", "Span",
                     "TrackingCall"), "uelint.ir"),
}

# A literal, so that ruff and mypy see the exports; test_engine_startup checks it against _EXPORTS.
__all__ = [
    "Diagnostic", "Entry", "Handler", "HandlerKind", "Level", "ParsedFile", "Payload", "Rule",
    "Span", "TrackingCall", "__version__", "hookimpl",
]


def __getattr__(name: str) -> object:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'uelint' has no attribute {name!r}")
    return getattr(import_module(module), name)
