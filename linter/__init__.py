"""uelint: a static policy linter for User.com (UserEngage) tracking code.

The public plugin API: `hookimpl`, `Rule`, `Level`, `Diagnostic` and the IR types.
"""

from linter.diagnostic import Diagnostic, Level
from linter.hookspecs import hookimpl
from linter.ir import Entry, Handler, HandlerKind, ParsedFile, Payload, Span, TrackingCall
from linter.rule import Rule

__version__ = "0.1.0"

__all__ = [
    "Diagnostic", "Entry", "Handler", "HandlerKind", "Level", "ParsedFile", "Payload", "Rule",
    "Span", "TrackingCall", "__version__", "hookimpl",
]
