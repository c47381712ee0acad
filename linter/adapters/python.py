"""The Python adapter, on libcst: in-browser Python (PyScript / Pyodide).

In the browser, `from js import window` (or `import js`, `from pyscript import window`) gives
Python code the page's globals, so the SDK is reached as `window.userengage(...)`,
`js.UE.pageHit(...)` or `window.civchat = to_js({...})`. One visitor pass over the tree
collects those calls, their payloads and the functions, lambdas and classes around them.

libcst is thorough but fragile on hostile input (see stack-facts.md): deep nesting can
overflow the native stack and kill the process, and deep trees make visitors raise
RecursionError. A byte-level nesting check runs before parsing, and every failure becomes a
`FileError`, so one file never takes the run down.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, replace

import libcst as cst
from libcst.metadata import MetadataWrapper, PositionProvider

from linter.adapters import AdapterResult, embedded
from linter.diagnostic import FileError
from linter.ir import (
    CIVCHAT,
    PAGE_HIT,
    RESET_AUTH,
    UNKNOWN,
    Entry,
    Handler,
    HandlerKind,
    Payload,
    Span,
    TrackingCall,
    Value,
    ValueKind,
)
from linter.source import SourceText
from linter.wrappers import Linker

# Names through which Python code reaches the page's globals: `js.window.top.userengage`.
# `self` is not one of them: in Python it is the instance. `pyscript` exports `window`.
GLOBAL_OBJECTS = frozenset({"window", "js", "top", "parent", "globalThis", "pyscript"})
UE_METHODS = {"pageHit": PAGE_HIT, "resetAuth": RESET_AUTH}
# Modules whose names are the browser's globals, so `from js import window as w` aliases them.
_GLOBAL_MODULES = frozenset({"js", "pyscript"})
# Pyodide conversions that leave a dict's keys as they are: `to_js(d, dict_converter=...)`.
_CONVERTERS = frozenset({"to_js", "fromEntries"})
# Wrappers that make a Python callable usable as a JS callback: `create_proxy(lambda e: ...)`.
_PROXIES = frozenset({"create_proxy", "create_once_callable", "proxy"})
_ROUTE_METHODS = frozenset({
    "route", "get", "post", "put", "patch", "delete", "api_route", "add_url_rule",
})
_STRINGS = (cst.SimpleString, cst.ConcatenatedString, cst.FormattedString)

# Bracket nesting beyond which the file is not parsed. The visitor already fails near 150
# (RecursionError at the default limit); libcst's native parser crashes the process near
# 1500 and spends seconds on a few hundred, so 200 costs nothing on real code.
MAX_NESTING = 200
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"()[]{}")
_OPENERS = frozenset(b"([{")
# Comments and string literals, whose brackets do not nest (a cheap approximation).
_INERT = re.compile(
    rb'#[^\r\n]*|"""(?:[^"\\]|\\.|"(?!""))*"""|'
    rb"'''(?:[^'\\]|\\.|'(?!''))*'''|"
    rb'"(?:[^"\\\r\n]|\\.)*"|'
    rb"'(?:[^'\\\r\n]|\\.)*'",
    re.DOTALL,
)
_MAX_NAME = 80


def extract(
    source: SourceText, path: str, language: str, linker: Linker | None = None
) -> AdapterResult:
    try:
        return _extract(source, path)
    except RecursionError:
        return _failed(
            path, "parse",
            "the file nests too deeply (or chains too many operators or string pieces in one "
            "expression) to be analysed safely; no tracking calls were read from it",
        )
    except Exception as exc:  # noqa: BLE001 - an adapter bug must cost one file, not the run
        return _failed(path, "internal", f"Python adapter failed: {type(exc).__name__}: {exc}")


def _extract(source: SourceText, path: str) -> AdapterResult:
    depth = _nesting_depth(source.data)
    if depth > MAX_NESTING:
        return _failed(
            path, "parse",
            f"brackets nest {depth} levels deep (limit {MAX_NESTING}): too deeply nested to be "
            "analysed safely; no tracking calls were read from this file",
        )
    decoded = _decode(source, path)
    if isinstance(decoded, FileError):
        return AdapterResult((), (decoded,))
    text, encoding = decoded
    locator = _Locator(source, text, encoding)
    try:
        module = cst.parse_module(text)
    except cst.ParserSyntaxError as exc:
        return AdapterResult((), (_syntax_error(exc, text, path, source, locator),))
    collector = _Collector(source, locator, path)
    MetadataWrapper(module, unsafe_skip_copy=True).visit(collector)
    return AdapterResult(collector.result())


def _failed(path: str, kind: str, message: str, span: Span | None = None) -> AdapterResult:
    return AdapterResult((), (FileError(path, kind, message, span),))


# -- before parsing ----------------------------------------------------------------------


def _nesting_depth(data: bytes) -> int:
    """Maximum bracket depth, ignoring brackets in strings and comments."""
    if sum(data.count(c) for c in b"([{") <= MAX_NESTING:
        return 0  # cannot be deeper than the number of openers
    depth = _bracket_depth(data)
    # Strings such as ":(" inflate the raw count: strip them only when it matters.
    return _bracket_depth(_INERT.sub(b"", data)) if depth > MAX_NESTING else depth


def _bracket_depth(data: bytes) -> int:
    depth = deepest = 0
    for byte in data.translate(None, _NOT_BRACKETS):
        if byte in _OPENERS:
            depth += 1
            deepest = max(deepest, depth)
        elif depth:
            depth -= 1
    return deepest


def _decode(source: SourceText, path: str) -> tuple[str, str] | FileError:
    """The text and its encoding (UTF-8, or what a PEP 263 coding cookie says)."""
    data = source.data
    problem = None
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError as exc:  # an unknown or contradictory cookie, or undecodable bytes
        encoding, problem = "utf-8", str(exc)
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        start = exc.start + (3 if encoding == "utf-8-sig" else 0)  # offsets skip the BOM
        span = source.span(start, min(start + 1, len(data)))
        return FileError(
            path, "decode",
            f"not valid {encoding} text: byte 0x{data[start]:02x} at "
            f"{span.start_line}:{span.start_col} ({exc.reason}); declare the encoding with a "
            "PEP 263 coding comment if the file is not UTF-8",
            span,
        )
    if problem is not None:
        return FileError(path, "decode", f"cannot decode the file: {problem}")
    return text, encoding


def _syntax_error(
    exc: cst.ParserSyntaxError, text: str, path: str, source: SourceText, locator: _Locator
) -> FileError:
    # libcst's error positions are often a line off; CPython's parser locates errors well.
    try:
        with warnings.catch_warnings():  # "invalid escape sequence" must not reach stderr
            warnings.simplefilter("ignore")
            ast.parse(text)
    except SyntaxError as py_exc:
        line, col, message = py_exc.lineno or 1, (py_exc.offset or 1) - 1, py_exc.msg
        kind = "syntax"
    except (ValueError, MemoryError, RecursionError):  # null bytes, hostile input
        line, col, message, kind = exc.raw_line, exc.raw_column, exc.message, "syntax"
    else:  # valid for this interpreter, yet libcst rejects it
        line, col, message, kind = exc.raw_line, exc.raw_column, exc.message, "parse"
    offset = locator.offset(line, col)
    span = source.span(offset, offset)
    if kind == "parse":
        detail = f"libcst cannot parse this (valid) Python at {span.start_line}:{span.start_col}"
    else:
        detail = f"invalid Python syntax at {span.start_line}:{span.start_col}"
    return FileError(
        path, kind, f"{detail}: {message}; no tracking calls were read from this file", span
    )


class _Locator:
    """Byte offsets of libcst positions (1-based line, 0-based code-point column).

    SourceText does the work for plain UTF-8; libcst also breaks lines at a lone CR and does
    not count a BOM, and a coding cookie changes how characters map to bytes.
    """

    def __init__(self, source: SourceText, text: str, encoding: str) -> None:
        self.source = source
        data = source.data
        self.simple = encoding == "utf-8" and data.count(b"\r") == data.count(b"\r\n")
        self.codec = "utf-8" if encoding == "utf-8-sig" else encoding
        self.lines: list[str] = []
        self.starts: list[int] = []
        if not self.simple:
            start = 3 if encoding == "utf-8-sig" else 0
            for line in re.split(r"(?<=\r\n)|(?<=\r)(?!\n)|(?<=\n)", text):
                self.lines.append(line)
                self.starts.append(start)
                start += len(line.encode(self.codec, "replace"))

    def offset(self, line: int, col: int) -> int:
        if self.simple:
            return self.source.offset(min(max(line, 1), self.source.line_count), col)
        index = min(max(line, 1), len(self.lines)) - 1
        return self.starts[index] + len(self.lines[index][:col].encode(self.codec, "replace"))


# -- reading the tree --------------------------------------------------------------------


@dataclass(slots=True)
class _Scope:
    """An enclosing def, lambda or class; its Handler is built only if a call needs it."""

    node: cst.CSTNode
    kind: HandlerKind
    name: str | None
    event: str | None = None
    target: str | None = None
    callee: str | None = None
    route: str | None = None
    handler: Handler | None = None


@dataclass(frozen=True, slots=True)
class _CallSite:
    """The call a callback is passed to; `event` is set when it registers a DOM listener:
    `form.addEventListener("submit", create_proxy(fn))`."""

    event: str | None
    target: str | None
    callee: str


class _Collector(cst.CSTVisitor):
    METADATA_DEPENDENCIES = (PositionProvider,)

    def __init__(self, source: SourceText, locator: _Locator, path: str) -> None:
        super().__init__()
        self.source = source
        self.path = path
        self.locator = locator
        self.calls: list[TrackingCall] = []
        self.scopes: list[_Scope] = []  # enclosing handlers, outermost first
        self.aliases: dict[str, str] = {}  # `from js import window as w`: {"w": "window"}
        self.constants: dict[str, str] = {}  # module-level `UPDATE = "client.update"`
        self.selectors: dict[str, str] = {}  # `form = document.getElementById("x")`: "#x"
        self.lambda_context: dict[int, _CallSite] = {}  # id(Lambda) → the call receiving it
        self.registered: dict[str, _CallSite] = {}  # function name → its listener registration

    def result(self) -> tuple[TrackingCall, ...]:
        """The calls in file order, with named functions registered as listeners marked so."""
        calls = sorted(self.calls, key=lambda c: c.span.start_byte)
        if self.registered:
            calls = [replace(c, handlers=tuple(map(self.as_listener, c.handlers))) for c in calls]
        return tuple(calls)

    def as_listener(self, handler: Handler) -> Handler:
        listener = self.registered.get(handler.name or "")
        if listener is None or handler.kind not in (HandlerKind.FUNCTION, HandlerKind.METHOD):
            return handler
        if handler.event is not None:
            return handler
        return replace(
            handler, kind=HandlerKind.LISTENER, event=listener.event, target=listener.target
        )

    # -- positions and names -------------------------------------------------------------

    def span(self, node: cst.CSTNode, end_node: cst.CSTNode | None = None) -> Span:
        start = self.get_metadata(PositionProvider, node).start
        end = self.get_metadata(PositionProvider, end_node or node).end
        return self.source.span(
            self.locator.offset(start.line, start.column), self.locator.offset(end.line, end.column)
        )

    def resolved(self, chain: list[str]) -> list[str]:
        """The chain with an import alias replaced by the global it stands for."""
        return [self.aliases.get(chain[0], chain[0]), *chain[1:]]

    def is_global_path(self, chain: list[str]) -> bool:
        return _all_global(self.resolved(chain))

    # -- scopes --------------------------------------------------------------------------

    def handlers(self) -> tuple[Handler, ...]:
        """The enclosing handlers, innermost first."""
        return tuple(self.handler(scope) for scope in reversed(self.scopes))

    def handler(self, scope: _Scope) -> Handler:
        if scope.handler is None:
            scope.handler = Handler(
                scope.kind, scope.name, self.span(scope.node),  # a def from `def` (or `async`)
                event=scope.event, target=scope.target, callee=scope.callee, route=scope.route,
            )
        return scope.handler

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        self.scopes.append(_Scope(node, HandlerKind.CLASS, node.name.value))
        return True

    def leave_ClassDef(self, original_node: cst.ClassDef) -> None:
        self.scopes.pop()

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        in_class = bool(self.scopes) and self.scopes[-1].kind is HandlerKind.CLASS
        kind = HandlerKind.METHOD if in_class else HandlerKind.FUNCTION
        scope = _Scope(node, kind, node.name.value)
        for decorator in node.decorators:
            _decorate(scope, decorator.decorator)
        self.scopes.append(scope)
        return True

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self.scopes.pop()

    def visit_Lambda(self, node: cst.Lambda) -> bool:
        scope = _Scope(node, HandlerKind.CALLBACK, None)
        context = self.lambda_context.get(id(node))
        if context is not None:
            scope.callee = context.callee
            if context.event is not None:
                scope.kind, scope.event, scope.target = (
                    HandlerKind.LISTENER, context.event, context.target
                )
        self.scopes.append(scope)
        return True

    def leave_Lambda(self, original_node: cst.Lambda) -> None:
        self.scopes.pop()

    # -- bindings ------------------------------------------------------------------------

    def visit_Import(self, node: cst.Import) -> bool:
        for alias in node.names:
            name = _dotted(alias.name)
            if name in _GLOBAL_MODULES and alias.asname is not None:
                self.bind_alias(alias.asname.name, name)
        return False

    def visit_ImportFrom(self, node: cst.ImportFrom) -> bool:
        module = _dotted(node.module) if node.module is not None else None
        if (
            module in _GLOBAL_MODULES and not node.relative
            and not isinstance(node.names, cst.ImportStar)
        ):
            for alias in node.names:
                name = _dotted(alias.name)
                if alias.asname is not None and name is not None:
                    self.bind_alias(alias.asname.name, name)
        return False

    def bind_alias(self, target: cst.BaseExpression, name: str) -> None:
        if isinstance(target, cst.Name) and target.value != name:
            self.aliases[target.value] = name

    def visit_Assign(self, node: cst.Assign) -> bool:
        for target in node.targets:
            self.assignment(node, target.target, node.value)
        return True

    def visit_AnnAssign(self, node: cst.AnnAssign) -> bool:
        if node.value is not None:
            self.assignment(node, node.target, node.value)
        return True

    def assignment(
        self, stmt: cst.CSTNode, target: cst.BaseExpression, value: cst.BaseExpression
    ) -> None:
        if isinstance(target, cst.Name):
            self.bind_name(target.value, value)
            return
        call = self.civchat(target, value)
        if call is not None:
            self.calls.append(call)

    def bind_name(self, name: str, value: cst.BaseExpression) -> None:
        """Remember string constants (for method names) and elements (for listener targets)."""
        literal = _static_str(value)
        if not self.scopes and literal is not None:
            self.constants[name] = literal
        else:
            self.constants.pop(name, None)
        selector = _selector(value) if isinstance(value, cst.Call) else None
        if selector is not None:
            self.selectors[name] = selector

    # -- calls ---------------------------------------------------------------------------

    def visit_Call(self, node: cst.Call) -> bool:
        self.note_callbacks(node)
        call = self.tracking_call(node)
        if call is not None:
            self.calls.append(call)
        if node.args and (_chain(node.func) or [""])[-1] in embedded.PYTHON_SINKS:  # JS in a string
            self.calls += embedded.in_python_string(
                self.source, self.span(node.args[0].value), self.handlers(), self.path
            )
        return True

    def tracking_call(self, node: cst.Call) -> TrackingCall | None:
        chain = _chain(node.func)
        if chain is None:
            return None
        *receiver, last = self.resolved(chain)
        args = _positional(node.args)
        if last == "userengage" and _all_global(receiver):
            api = self.method_name(args[0]) if args else None
            payload_node = args[1] if len(args) > 1 else None
        elif (
            last in UE_METHODS and receiver[-1:] == ["UE"] and _all_global(receiver[:-1])
        ):
            api = UE_METHODS[last]
            payload_node = args[0] if args else None
        else:
            return None
        return TrackingCall(
            api=api,
            span=self.span(node),
            callee=".".join(chain),
            payload=self.payload(payload_node) if payload_node is not None else None,
            handlers=self.handlers(),
        )

    def method_name(self, node: cst.BaseExpression | None) -> str | None:
        if isinstance(node, cst.Name):
            return self.constants.get(node.value)
        return _static_str(node) if node is not None else None

    def civchat(
        self, target: cst.BaseExpression, value: cst.BaseExpression
    ) -> TrackingCall | None:
        """`window.civchat = {...}`."""
        chain = _chain(target)
        if chain is None or not self.is_civchat(chain):
            return self.civchat_key(target, value)
        return TrackingCall(
            api=CIVCHAT,
            span=self.span(target, value),
            callee=".".join(chain),
            payload=self.payload(value),
            handlers=self.handlers(),
        )

    def civchat_key(
        self, target: cst.BaseExpression, value: cst.BaseExpression
    ) -> TrackingCall | None:
        """`window.civchat.user_id = x` or `window.civchat["user_id"] = x`: one entry."""
        key = _assigned_key(target)
        if key is None:
            return None
        owner, name, key_node, origin = key
        chain = _chain(owner)
        if chain is None or not self.is_civchat(chain):
            return None
        span = self.span(target, value)
        entry = Entry(name, self.span(key_node), _value(value), origin)
        return TrackingCall(
            api=CIVCHAT,
            span=span,
            callee=".".join(chain),
            payload=Payload((entry,), span, complete=False),  # other keys are set elsewhere
            handlers=self.handlers(),
        )

    def is_civchat(self, chain: list[str]) -> bool:
        """`window.civchat`, `js.window.civchat`; a bare `civchat` is a Python variable."""
        return len(chain) >= 2 and chain[-1] == "civchat" and self.is_global_path(chain[:-1])

    # -- payloads ------------------------------------------------------------------------

    def payload(self, node: cst.BaseExpression) -> Payload | None:
        node = _unconverted(node)
        if isinstance(node, cst.Dict):
            return self.dict_payload(node)
        if isinstance(node, cst.Call) and _chain(node.func) == ["dict"]:
            return self.kwargs_payload(node)
        return None

    def dict_payload(self, node: cst.Dict) -> Payload:
        entries: list[Entry] = []
        complete = True
        for element in node.elements:
            if not isinstance(element, cst.DictElement):  # {**base, ...}
                complete = False
                continue
            key = _static_str(element.key)
            if key is not None:
                entries.append(Entry(key, self.span(element.key), _value(element.value), "quoted"))
            elif not _is_plain_literal(element.key):  # a name or an expression
                complete = False
        return Payload(tuple(entries), self.span(node), complete)

    def kwargs_payload(self, node: cst.Call) -> Payload:
        """`dict(user_id=x, **more)`; a positional dict literal is read as well."""
        entries: list[Entry] = []
        complete = True
        for arg in node.args:
            if arg.keyword is not None:
                entries.append(
                    Entry(arg.keyword.value, self.span(arg.keyword), _value(arg.value), "kwarg")
                )
                continue
            inner = self.payload(arg.value) if not arg.star else None
            if inner is None:  # `**more`, `*pairs`, or a mapping not written here
                complete = False
            else:
                entries.extend(inner.entries)
                complete = complete and inner.complete
        return Payload(tuple(entries), self.span(node), complete)

    # -- callbacks and listeners ---------------------------------------------------------

    def note_callbacks(self, node: cst.Call) -> None:
        """Record what receives a lambda or a named function passed to this call."""
        registration = self.listener(node)
        if registration is not None:
            listener, fn = registration
            fn = _unproxied(fn)
            if isinstance(fn, cst.Lambda):
                self.lambda_context.setdefault(id(fn), listener)  # the outer call wins
            elif listener.event is not None:
                name = _chain(fn)
                if name is not None and len(name) <= 2:  # `on_submit`, `self.on_submit`
                    self.registered.setdefault(name[-1], listener)
        for arg in node.args:
            fn = _unproxied(arg.value)
            if isinstance(fn, cst.Lambda) and id(fn) not in self.lambda_context:
                self.lambda_context[id(fn)] = _CallSite(None, None, _callee_text(node.func))

    def listener(self, node: cst.Call) -> tuple[_CallSite, cst.BaseExpression] | None:
        """`elt.addEventListener("submit", fn)` or `add_event_listener(elt, "submit", fn)`."""
        func, args = node.func, _positional(node.args)
        if isinstance(func, cst.Attribute) and func.attr.value == "addEventListener":
            if len(args) < 2:
                return None
            element, event, fn = func.value, args[0], args[1]
        elif (_chain(func) or [""])[-1] == "add_event_listener" and len(args) >= 3:
            element, event, fn = args[0], args[1], args[2]
        else:
            return None
        name = _static_str(event)
        listener = _CallSite(
            name.lower() if name else None, self.describe_target(element), _callee_text(node.func)
        )
        return listener, fn

    def describe_target(self, node: cst.BaseExpression) -> str:
        """What a listener is bound to, as a selector where it can be told: "#login-form"."""
        if isinstance(node, cst.Call):
            selector = _selector(node)
            if selector is not None:
                return selector
        if isinstance(node, cst.Name) and node.value in self.selectors:
            return self.selectors[node.value]
        return _callee_text(node)


# -- helpers on expressions --------------------------------------------------------------


def _decorate(scope: _Scope, expr: cst.BaseExpression) -> None:
    """Apply `@when("submit", "#login-form")` or `@app.post("/login")` to a function."""
    if not isinstance(expr, cst.Call):
        return
    chain = _chain(expr.func)
    if not chain:
        return
    args = _positional(expr.args)
    keywords = {a.keyword.value: a.value for a in expr.args if a.keyword is not None}
    if chain[-1] == "when":  # PyScript: when(event_type, selector)
        event = _static_str(args[0] if args else keywords.get("event_type"))
        target = _static_str(args[1] if len(args) > 1 else keywords.get("selector"))
        if event is not None:
            scope.kind, scope.event, scope.target = HandlerKind.LISTENER, event.lower(), target
    elif chain[-1] in _ROUTE_METHODS and len(chain) >= 2:  # Flask, FastAPI, blueprints
        route = _static_str(args[0] if args else keywords.get("rule", keywords.get("path")))
        if route is not None and route.startswith("/"):
            scope.route = route


def _assigned_key(
    target: cst.BaseExpression,
) -> tuple[cst.BaseExpression, str, cst.CSTNode, str] | None:
    """`owner.key` or `owner["key"]` → (owner, key, key node, origin)."""
    if isinstance(target, cst.Attribute):
        return target.value, target.attr.value, target.attr, "assignment"
    if isinstance(target, cst.Subscript) and len(target.slice) == 1:
        index = target.slice[0].slice
        if isinstance(index, cst.Index):
            key = _static_str(index.value)
            if key is not None:
                return target.value, key, index.value, "quoted"
    return None


def _all_global(parts: list[str]) -> bool:
    return all(part in GLOBAL_OBJECTS for part in parts)


def _chain(node: cst.BaseExpression | None) -> list[str] | None:
    """`window.top.userengage` → ["window", "top", "userengage"]; None if not a plain path."""
    parts: list[str] = []
    while isinstance(node, cst.Attribute):
        parts.append(node.attr.value)
        node = node.value
    if not isinstance(node, cst.Name):
        return None
    parts.append(node.value)
    return parts[::-1]


def _dotted(node: cst.BaseExpression) -> str | None:
    chain = _chain(node)
    return ".".join(chain) if chain else None


def _positional(args: Sequence[cst.Arg]) -> list[cst.BaseExpression]:
    """Positional argument values up to the first `*args` (after it, positions are unknown)."""
    values: list[cst.BaseExpression] = []
    for arg in args:
        if arg.star:
            break
        if arg.keyword is None:
            values.append(arg.value)
    return values


def _unconverted(node: cst.BaseExpression) -> cst.BaseExpression:
    """`to_js(d, ...)`, `js.Object.fromEntries(to_js(d))` → `d`."""
    while isinstance(node, cst.Call):
        chain = _chain(node.func)
        args = _positional(node.args)
        if not chain or chain[-1] not in _CONVERTERS or not args:
            break
        node = args[0]
    return node


def _unproxied(node: cst.BaseExpression) -> cst.BaseExpression:
    """`create_proxy(fn)` → `fn`."""
    if isinstance(node, cst.Call):
        chain = _chain(node.func)
        args = _positional(node.args)
        if chain and chain[-1] in _PROXIES and args:
            return args[0]
    return node


def _selector(node: cst.Call) -> str | None:
    """`document.getElementById("x")` → "#x", `document.querySelector("form.x")` → "form.x"."""
    chain = _chain(node.func)
    args = _positional(node.args)
    literal = _static_str(args[0]) if args else None
    if not chain or literal is None:
        return None
    if chain[-1] == "getElementById":
        return f"#{literal}"
    if chain[-1] in ("querySelector", "querySelectorAll", "closest"):
        return literal
    return None


def _callee_text(node: cst.BaseExpression) -> str:
    """An expression with argument lists elided: `auth.login(user).then` → "auth.login().then"."""
    parts: list[str] = []
    while True:
        if isinstance(node, cst.Attribute):
            parts.append("." + node.attr.value)
            node = node.value
        elif isinstance(node, cst.Call):
            parts.append("()")
            node = node.func
        elif isinstance(node, cst.Subscript):
            parts.append("[…]")
            node = node.value
        elif isinstance(node, cst.Name):
            parts.append(node.value)
            break
        else:
            parts.append("…")
            break
    return _short("".join(reversed(parts)))


def _static_str(node: cst.BaseExpression | None) -> str | None:
    """The value of a string literal: quotes, prefixes, escapes and implicit concatenation
    resolved; an f-string counts when it has no substitutions. None for anything else."""
    if isinstance(node, cst.SimpleString):
        if "b" in node.prefix.lower():
            return None
        return _literal_str(node.value)
    if isinstance(node, cst.ConcatenatedString):
        left, right = _static_str(node.left), _static_str(node.right)
        return None if left is None or right is None else left + right
    if isinstance(node, cst.FormattedString):
        if not all(isinstance(part, cst.FormattedStringText) for part in node.parts):
            return None
        prefix = node.prefix.lower().replace("f", "")
        quote = node.start[len(node.prefix):]
        body = "".join(p.value for p in node.parts if isinstance(p, cst.FormattedStringText))
        body = body.replace("{{", "{").replace("}}", "}")
        return _literal_str(prefix + quote + body + node.end)
    return None


def _literal_str(code: str) -> str | None:
    try:
        with warnings.catch_warnings():  # "invalid escape sequence" must not reach stderr
            warnings.simplefilter("ignore")
            value = ast.literal_eval(code)
    except (ValueError, SyntaxError):  # e.g. an invalid \N{...} escape
        return None
    return value if isinstance(value, str) else None


def _is_plain_literal(node: cst.BaseExpression) -> bool:
    """A number, bool or None key: harmless, it cannot name an attribute."""
    if isinstance(node, (cst.Integer, cst.Float, cst.Imaginary)):
        return True
    return isinstance(node, cst.Name) and node.value in ("True", "False", "None")


def _value(node: cst.BaseExpression) -> Value:
    node = _unconverted(node)
    if isinstance(node, _STRINGS):
        if isinstance(node, cst.SimpleString) and "b" in node.prefix.lower():
            return UNKNOWN  # bytes
        return Value(ValueKind.STRING, _static_str(node))
    if isinstance(node, (cst.Integer, cst.Float)):
        return Value(ValueKind.NUMBER, _number(node))
    if (
        isinstance(node, cst.UnaryOperation)
        and isinstance(node.operator, (cst.Minus, cst.Plus))
        and isinstance(node.expression, (cst.Integer, cst.Float))
    ):
        number = _number(node.expression)
        if number is not None and isinstance(node.operator, cst.Minus):
            number = -number
        return Value(ValueKind.NUMBER, number)
    if isinstance(node, cst.Name):
        if node.value in ("True", "False"):
            return Value(ValueKind.BOOL, node.value == "True")
        if node.value == "None":
            return Value(ValueKind.NULL)
        return UNKNOWN
    if isinstance(node, (cst.Dict, cst.DictComp)):
        return Value(ValueKind.OBJECT)
    if isinstance(node, (cst.List, cst.Tuple, cst.ListComp)):
        return Value(ValueKind.ARRAY)
    if isinstance(node, cst.Lambda):
        return Value(ValueKind.FUNCTION)
    if isinstance(node, cst.Call):
        chain = _chain(node.func)
        if chain == ["dict"]:
            return Value(ValueKind.OBJECT)
        if chain and chain[-1] in _PROXIES:
            return Value(ValueKind.FUNCTION)
    return UNKNOWN


def _number(node: cst.Integer | cst.Float) -> int | float | None:
    try:
        value = node.evaluated_value
    except (ValueError, SyntaxError):
        return None
    return value if isinstance(value, (int, float)) else None


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _MAX_NAME else text[: _MAX_NAME - 1] + "…"
