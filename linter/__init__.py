"""uelint: a static policy linter for User.com (UserEngage) tracking code.

The public plugin API: `hookimpl`, `Rule`, `Level`, `Diagnostic` and the IR types.
"""

from uelint.diagnostic import Diagnostic, Level
from uelint.hookspecs import hookimpl
from uelint.ir import Entry, Handler, HandlerKind, ParsedFile, Payload, Span, TrackingCall
from uelint.rule import Rule

__version__ = "0.1.0"

__all__ = [
    "Diagnostic", "Entry", "Handler", "HandlerKind", "Level", "ParsedFile", "Payload", "Rule",
    "Span", "TrackingCall", "__version__", "hookimpl",
]
