"""The language-neutral IR: what adapters produce and rules consume.

Adapters (tree-sitter for JS/TS, libcst for Python) turn a source file into a list of
`TrackingCall`s. Rules never see a syntax tree, so one rule works for every language.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

from uelint import sdk

# The API names `TrackingCall.api` takes, kept here too for plugins that import them from the IR.
CLIENT_UPDATE = sdk.CLIENT_UPDATE
PAGE_HIT = sdk.PAGE_HIT
RESET_AUTH = sdk.RESET_AUTH
CIVCHAT = sdk.CIVCHAT


@dataclass(frozen=True, slots=True)
class Span:
    """A region of a source file.

    Lines and columns are 1-based; columns count UTF-16 code units (what SARIF, LSP and
    VS Code use). Byte offsets are 0-based and end-exclusive, for snippets and fixes.
    """

    start_line: int
    start_col: int
    end_line: int
    end_col: int
    start_byte: int
    end_byte: int


class ValueKind(str, Enum):
    STRING = "string"
    NUMBER = "number"
    BOOL = "bool"
    NULL = "null"
    OBJECT = "object"
    ARRAY = "array"
    FUNCTION = "function"
    VOLATILE = "volatile"  # differs on every evaluation: `Date.now()`, `uuid.uuid4()`, ...
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class Value:
    """What an attribute's value is, as far as the file shows it."""

    kind: ValueKind
    literal: str | int | float | bool | None = None  # set for string, number and bool literals
    # A pick between values (`a ? "x" : "y"`, `name || "guest"`): the alternatives the file
    # shows, unknown ones included; `kind` is theirs when they share one, else UNKNOWN.
    choices: tuple[Value, ...] = ()
    # Where a value that is not a literal comes from, as written and shortened: `user.email`,
    # `Date.now()`, a template's `customer.email`, an undeclared `put_api_key_here`.
    source: str | None = None
    # A string built from parts, each unknown part written `…`: `'"' + name + '"'` → `"…"`.
    shape: str | None = None

    def alternatives(self) -> tuple[Value, ...]:
        """The values this one may be: its choices, or itself."""
        return self.choices or (self,)


UNKNOWN = Value(ValueKind.UNKNOWN)


@dataclass(frozen=True, slots=True)
class Entry:
    """One attribute of a payload, located where its key is written."""

    key: str
    key_span: Span
    value: Value
    origin: str  # "literal", "quoted", "shorthand", "computed", "kwarg", ...


@dataclass(frozen=True, slots=True)
class Payload:
    entries: tuple[Entry, ...]
    span: Span
    # False when part of the payload could not be seen statically (a spread, a variable,
    # a computed key): rules must not conclude that a key is absent.
    complete: bool


class HandlerKind(str, Enum):
    FUNCTION = "function"  # a named function or a function bound to a name
    METHOD = "method"  # a method of a class or of an object literal
    CALLBACK = "callback"  # an anonymous function passed as an argument
    LISTENER = "listener"  # a callback registered for a DOM event
    CLASS = "class"  # an enclosing class or component


@dataclass(frozen=True, slots=True)
class Handler:
    """A function, method, callback or class that encloses a call.

    `span` identifies the handler within its file: two calls share a handler exactly when
    their chains hold the same span.
    """

    kind: HandlerKind
    name: str | None
    span: Span
    event: str | None = None  # "submit" for a listener or `@when("submit", ...)`
    target: str | None = None  # what the listener is bound to: "#login-form", "form", ...
    callee: str | None = None  # for callbacks: the call that receives it, e.g. "auth.login().then"
    route: str | None = None  # for web-framework views: "/login"
    password: bool = False  # a listener of a form that holds a password field

    def describe(self) -> str:
        """A short human phrase: "`handleLogin`", "the submit handler of `form#login-form`"."""
        if self.kind is HandlerKind.LISTENER and self.event:
            bound = f" of `{self.target}`" if self.target else ""
            named = f"`{self.name}`, " if self.name else ""
            return f"{named}the {self.event} handler{bound}"
        if self.route:
            return f"`{self.name}`, the view of route `{self.route}`"
        if self.name:
            return f"`{self.name}`"
        if self.callee:
            return f"the callback passed to `{self.callee}`"
        return f"an anonymous {self.kind.value}"


@dataclass(frozen=True, slots=True)
class Via:
    """A wrapper a call went through: `this.push(...)` → `TrackingDriver.push`."""

    name: str
    path: str  # the file that defines the wrapper
    span: Span  # its definition


@dataclass(frozen=True, slots=True)
class TrackingCall:
    """One use of the SDK: a `userengage(...)` call, `UE.pageHit(...)`, `window.civchat = {...}`."""

    # "client.update", "event.signup", "UE.pageHit", "UE.resetAuth", "civchat", ...;
    # None for a userengage call whose method name is not static.
    api: str | None
    span: Span  # the whole call expression (or assignment)
    callee: str  # the callee as written, e.g. "window.userengage"
    payload: Payload | None  # None when there is no payload argument or it is not a literal
    handlers: tuple[Handler, ...] = ()  # enclosing handlers, innermost first
    via: tuple[Via, ...] = ()  # the wrappers it went through, outermost first
    # Calls awaited earlier in the same function, as written with arguments elided except
    # string literals: ("api.signup()", 'fetch("/api/login")'); auth results are evidence.
    awaited: tuple[str, ...] = ()
    # The method name's string literal, when it is written at the call (its text between the
    # quotes, escapes-free): where a fix of the name edits.
    method_span: Span | None = None


@dataclass(frozen=True, slots=True)
class ParsedFile:
    """What an adapter hands to the rules for one file."""

    path: str  # as shown to the user (relative to the working directory where possible)
    language: str
    calls: tuple[TrackingCall, ...] = field(default=())
