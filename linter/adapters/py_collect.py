"""The one pass over a Python file's tree: what the adapter needs to know, recorded.

`Collector` visits the libcst tree once and records every call (with its namespace and the
handlers around it), every namespace and binding (for `py_scope`), the writes that build
payloads in steps (`d["k"] = v`, `d.update(...)`), candidate `civchat` assignments and DOM
listener registrations. Nothing is resolved here: names may be bound after their use in a
function body, so the adapter resolves once the whole file is known.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import libcst as cst
from libcst.metadata import CodeRange

from uelint import sdk
from uelint.adapters import embedded
from uelint.adapters.py_scope import (
    GLOBAL_MODULES,
    Binding,
    Namespace,
    Pos,
    Value,
    string,
)
from uelint.adapters.values import UNKNOWN
from uelint.ir import Handler, HandlerKind, Span, TrackingCall
from uelint.source import SourceText

# Pyodide conversions that leave a dict's keys as they are: `to_js(d, dict_converter=...)`.
CONVERTERS = frozenset({"to_js", "fromEntries"})
# Wrappers that make a Python callable usable as a JS callback: `create_proxy(lambda e: ...)`.
PROXIES = frozenset({"create_proxy", "create_once_callable", "proxy"})
# Methods that change a dict in place: payloads built in steps.
DICT_WRITES = frozenset({"update", "setdefault", "pop"})
_ROUTE_METHODS = frozenset({
    "route", "get", "post", "put", "patch", "delete", "api_route", "add_url_rule",
})
_MAX_NAME = 80


@dataclass(slots=True)
class Scope:
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
class CallSite:
    """The call a callback is passed to; `event` is set when it registers a DOM listener:
    `form.addEventListener("submit", create_proxy(fn))`."""

    event: str | None
    target: str | None
    callee: str


@dataclass(slots=True)
class Site:
    """A call, where it is evaluated, and the handlers around it."""

    node: cst.Call
    ns: Namespace
    scopes: tuple[Scope, ...]
    callee: Value = UNKNOWN  # set by the adapter


@dataclass(frozen=True, slots=True)
class Write:
    """A change to a dict bound to a name: `d["k"] = v`, `d.k = v`, `del d["k"]`,
    `d.update(...)`, `d.setdefault(k, v)`, `d.pop(k)`, `d |= {...}`."""

    kind: str  # "set", "attr", "del", "update", "setdefault", "pop", "merge"
    node: cst.CSTNode  # the key (set, del), the attribute name (attr), the call, the operand
    value: cst.BaseExpression | None
    ns: Namespace
    at: Pos


@dataclass(frozen=True, slots=True)
class Assignment:
    """`something.civchat = ...` or `something.civchat.key = ...`: resolved later."""

    target: cst.BaseExpression
    value: cst.BaseExpression
    ns: Namespace
    scopes: tuple[Scope, ...]


class Collector(cst.CSTVisitor):
    def __init__(
        self, source: SourceText, positions: Mapping[cst.CSTNode, CodeRange],
        module: cst.Module, locate: Callable[[int, int], int], path: str,
    ) -> None:
        super().__init__()
        self.source = source
        self.positions = positions
        self.locate = locate  # byte offset of a libcst position (line, code-point column)
        self.path = path
        self.module = Namespace("module", module, None)
        self.ns = self.module  # the namespace being visited
        self.scopes: list[Scope] = []  # enclosing handlers, outermost first
        self.sites: list[Site] = []
        self.assignments: list[Assignment] = []
        self.writes: dict[str, list[Write]] = {}  # by the name of the dict written
        self.lambdas: dict[cst.Lambda, Namespace] = {}
        self.lambda_names: dict[cst.Lambda, str] = {}  # `send = lambda m, d: ...`
        self.star_imports: list[str] = []  # `from .x import *` at module level
        self.in_strings: list[TrackingCall] = []  # JS in strings handed to the page
        self.excepts = 0  # inside `except` clauses: bindings there are fallbacks
        # Calls awaited in each function, in order: `await js.api.signup(form)` is evidence
        # that a later client.update follows a sign-up.
        self.awaits: dict[Namespace, list[tuple[Pos, str]]] = {}
        self.selectors: dict[str, str] = {}  # `form = document.getElementById("x")`: "#x"
        self.lambda_context: dict[cst.Lambda, CallSite] = {}  # the call receiving a lambda
        self.registered: dict[str, CallSite] = {}  # function name → its listener registration

    # -- positions -----------------------------------------------------------------------

    def start(self, node: cst.CSTNode) -> Pos:
        start = self.positions[node].start
        return start.line, start.column

    def end(self, node: cst.CSTNode) -> Pos:
        end = self.positions[node].end
        return end.line, end.column

    def span(self, node: cst.CSTNode, end_node: cst.CSTNode | None = None) -> Span:
        start = self.positions[node].start
        end = self.positions[end_node or node].end
        return self.source.span(
            self.locate(start.line, start.column), self.locate(end.line, end.column)
        )

    # -- handlers ------------------------------------------------------------------------

    def handlers(self, scopes: Sequence[Scope] | None = None) -> tuple[Handler, ...]:
        """The enclosing handlers, innermost first."""
        around = self.scopes if scopes is None else scopes
        return tuple(self.handler(scope) for scope in reversed(around))

    def handler(self, scope: Scope) -> Handler:
        if scope.handler is None:
            scope.handler = Handler(
                scope.kind, scope.name, self.span(scope.node),  # a def from `def` (or `async`)
                event=scope.event, target=scope.target, callee=scope.callee, route=scope.route,
            )
        return scope.handler

    # -- namespaces ----------------------------------------------------------------------

    def bind(self, name: str, binding: Binding) -> None:
        """Record a binding in the namespace that owns `name` (`global`/`nonlocal` aside)."""
        ns = self.ns
        declared = ns.declared.get(name)
        if declared == "global":
            ns = self.module
        elif declared == "nonlocal":
            ns = _enclosing_function(ns) or ns
        binding.fallback = self.excepts > 0
        ns.bindings.setdefault(name, []).append(binding)

    def bind_unknown(self, target: cst.CSTNode, at: Pos) -> None:
        """Names bound to values this adapter does not follow: loop targets, `as` names."""
        if isinstance(target, cst.Name):
            self.bind(target.value, Binding("unknown", self.ns, at))
        elif isinstance(target, (cst.Tuple, cst.List)):
            for element in target.elements:
                self.bind_unknown(element.value, at)
        elif isinstance(target, cst.StarredElement):
            self.bind_unknown(target.value, at)

    def function(self, node: cst.FunctionDef | cst.Lambda, name: str | None) -> Namespace:
        """The namespace of a def or lambda, with its parameters bound."""
        fn = Namespace("function", node, self.ns, name)
        if self.ns.kind == "class":
            fn.method = _method_kind(node)
        params = node.params
        at = self.start(node)
        positional = [*params.posonly_params, *params.params]
        if fn.method in ("instance", "class") and positional:  # `self` / `cls`: implicit
            first = positional.pop(0)
            kind = "self" if fn.method == "instance" else "cls"
            fn.bindings[first.name.value] = [Binding(kind, fn, at)]
        names: list[str] = []

        def add(param: cst.Param, shown: str) -> None:
            index = len(names)
            names.append(shown)
            fn.bindings[param.name.value] = [Binding("param", fn, at, index=index)]
            if param.default is not None:
                fn.defaults[index] = param.default

        for param in positional:
            add(param, param.name.value)
        if isinstance(params.star_arg, cst.Param):
            names.append("*")
            fn.bindings[params.star_arg.name.value] = [Binding("unknown", fn, at)]
        elif isinstance(params.star_arg, cst.ParamStar):
            names.append("*")
        for param in params.kwonly_params:
            add(param, param.name.value)
        if params.star_kwarg is not None:
            add(params.star_kwarg, "**" + params.star_kwarg.name.value)
        fn.params = tuple(names)
        return fn

    def leave_namespace(self) -> None:
        assert self.ns.parent is not None
        _sort(self.ns)
        self.ns = self.ns.parent

    def leave_Module(self, original_node: cst.Module) -> None:
        _sort(self.module)

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        cls = Namespace("class", node, self.ns, node.name.value)
        cls.bases = tuple(arg.value for arg in node.bases if arg.keyword is None and not arg.star)
        self.bind(node.name.value, Binding("class", cls, self.end(node)))
        self.ns = cls
        self.scopes.append(Scope(node, HandlerKind.CLASS, node.name.value))
        return True

    def leave_ClassDef(self, original_node: cst.ClassDef) -> None:
        self.scopes.pop()
        self.leave_namespace()

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        in_class = bool(self.scopes) and self.scopes[-1].kind is HandlerKind.CLASS
        kind = HandlerKind.METHOD if in_class else HandlerKind.FUNCTION
        scope = Scope(node, kind, node.name.value)
        for decorator in node.decorators:
            _decorate(scope, decorator.decorator)
        self.scopes.append(scope)
        fn = self.function(node, node.name.value)
        self.bind(node.name.value, Binding("def", fn, self.end(node)))
        self.ns = fn
        return True

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self.scopes.pop()
        self.leave_namespace()

    def visit_Lambda(self, node: cst.Lambda) -> bool:
        scope = Scope(node, HandlerKind.CALLBACK, None)
        context = self.lambda_context.get(node)
        if context is not None:
            scope.callee = context.callee
            if context.event is not None:
                scope.kind, scope.event, scope.target = (
                    HandlerKind.LISTENER, context.event, context.target
                )
        self.scopes.append(scope)
        fn = self.function(node, self.lambda_names.get(node))
        self.lambdas[node] = fn
        self.ns = fn
        return True

    def leave_Lambda(self, original_node: cst.Lambda) -> None:
        self.scopes.pop()
        self.leave_namespace()

    def enter_comprehension(
        self, node: cst.ListComp | cst.SetComp | cst.DictComp | cst.GeneratorExp
    ) -> bool:
        self.ns = Namespace("comprehension", node, self.ns)
        at = self.start(node)  # its targets hold in the whole comprehension
        comp: cst.CompFor | None = node.for_in
        while comp is not None:
            self.bind_unknown(comp.target, at)
            comp = comp.inner_for_in
        return True

    def leave_comprehension(
        self, original_node: cst.ListComp | cst.SetComp | cst.DictComp | cst.GeneratorExp
    ) -> None:
        self.leave_namespace()

    # libcst dispatches on the node's class name (an `on_visit` hook would cost every node).
    visit_ListComp = visit_SetComp = visit_DictComp = visit_GeneratorExp = enter_comprehension
    leave_ListComp = leave_SetComp = leave_DictComp = leave_GeneratorExp = leave_comprehension

    def enter_except(self, node: cst.ExceptHandler | cst.ExceptStarHandler) -> bool:
        self.excepts += 1
        if node.name is not None:
            self.bind_unknown(node.name.name, self.end(node.name))
        return True

    def leave_except(self, original_node: cst.ExceptHandler | cst.ExceptStarHandler) -> None:
        self.excepts -= 1

    visit_ExceptHandler = visit_ExceptStarHandler = enter_except
    leave_ExceptHandler = leave_ExceptStarHandler = leave_except

    # -- bindings ------------------------------------------------------------------------

    def visit_Import(self, node: cst.Import) -> bool:
        at = self.end(node)
        for alias in node.names:
            dotted = _dotted(alias.name)
            if dotted is None:
                continue
            if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                self.bind(alias.asname.name.value, Binding("import", self.ns, at, module=dotted))
            else:  # `import app.analytics` binds `app`
                top = dotted.split(".", 1)[0]
                self.bind(top, Binding("import", self.ns, at, module=top))
        return False

    def visit_ImportFrom(self, node: cst.ImportFrom) -> bool:
        dotted = _dotted(node.module) if node.module is not None else None
        module = "." * len(node.relative) + (dotted or "")
        if isinstance(node.names, cst.ImportStar):
            if self.ns is self.module and module not in GLOBAL_MODULES:
                self.star_imports.append(module)
            return False
        at = self.end(node)
        for alias in node.names:
            name = _dotted(alias.name)
            local = alias.asname.name if alias.asname is not None else alias.name
            if name is not None and isinstance(local, cst.Name):
                self.bind(local.value, Binding("import", self.ns, at, module=module, name=name))
        return False

    def visit_Global(self, node: cst.Global) -> bool:
        for item in node.names:
            self.ns.declared[item.name.value] = "global"
        return False

    def visit_Nonlocal(self, node: cst.Nonlocal) -> bool:
        for item in node.names:
            self.ns.declared[item.name.value] = "nonlocal"
        return False

    def visit_Assign(self, node: cst.Assign) -> bool:
        at = self.end(node)
        for target in node.targets:
            self.assignment(target.target, node.value, at)
        return True

    def visit_AnnAssign(self, node: cst.AnnAssign) -> bool:
        if node.value is not None:
            self.assignment(node.target, node.value, self.end(node))
        return True

    def visit_AugAssign(self, node: cst.AugAssign) -> bool:
        target = node.target
        if isinstance(target, cst.Name):
            if isinstance(node.operator, cst.BitOrAssign):  # `attrs |= {...}` merges
                self.write(target.value, "merge", node.value, None, self.start(node))
            else:
                self.bind(target.value, Binding("unknown", self.ns, self.end(node)))
        return True

    def visit_NamedExpr(self, node: cst.NamedExpr) -> bool:
        if isinstance(node.target, cst.Name):
            self.bind(node.target.value, Binding("value", self.ns, self.end(node), node.value))
        return True

    def visit_For(self, node: cst.For) -> bool:
        self.bind_unknown(node.target, self.end(node.target))
        return True

    def visit_WithItem(self, node: cst.WithItem) -> bool:
        if node.asname is not None:
            self.bind_unknown(node.asname.name, self.end(node.asname))
        return True

    def visit_Del(self, node: cst.Del) -> bool:
        targets = node.target.elements if isinstance(node.target, cst.Tuple) else [node.target]
        for target in targets:
            value = target if isinstance(target, cst.BaseExpression) else target.value
            key = _subscript_key(value)
            if key is not None and isinstance(value, cst.Subscript):
                if isinstance(value.value, cst.Name):
                    self.write(value.value.value, "del", key, None, self.start(node))
            else:
                self.bind_unknown(value, self.end(node))
        return True

    def visit_MatchAs(self, node: cst.MatchAs) -> bool:
        if node.name is not None:
            self.bind_unknown(node.name, self.end(node))
        return True

    def visit_MatchStar(self, node: cst.MatchStar) -> bool:
        if node.name is not None:
            self.bind_unknown(node.name, self.end(node))
        return True

    def visit_MatchMapping(self, node: cst.MatchMapping) -> bool:
        if node.rest is not None:
            self.bind_unknown(node.rest, self.end(node))
        return True

    def assignment(
        self, target: cst.BaseExpression, value: cst.BaseExpression, at: Pos
    ) -> None:
        if isinstance(target, cst.Name):
            self.bind(target.value, Binding("value", self.ns, at, value))
            if isinstance(value, cst.Lambda):
                self.lambda_names[value] = target.value
            selector = _selector(value) if isinstance(value, cst.Call) else None
            if selector is not None:
                self.selectors[target.value] = selector
        elif isinstance(target, (cst.Tuple, cst.List)):
            values = value.elements if isinstance(value, (cst.Tuple, cst.List)) else None
            pairs = values is not None and len(values) == len(target.elements) and not any(
                isinstance(e, cst.StarredElement) for e in (*target.elements, *values)
            )
            for i, element in enumerate(target.elements):
                if pairs and values is not None:  # `a, b = "x", "y"`
                    self.assignment(element.value, values[i].value, at)
                else:
                    self.bind_unknown(element.value, at)
        elif isinstance(target, cst.Attribute):
            self.note_civchat(target, value)
            owner = target.value
            if isinstance(owner, cst.Name):
                self.instance_attribute(owner.value, target.attr.value, value, at)
                self.write(owner.value, "attr", target.attr, value, self.start(target))
        elif isinstance(target, cst.Subscript):
            self.note_civchat(target, value)
            key = _subscript_key(target)
            if key is not None and isinstance(target.value, cst.Name):
                self.write(target.value.value, "set", key, value, self.start(target))

    def note_civchat(
        self, target: cst.Attribute | cst.Subscript, value: cst.BaseExpression
    ) -> None:
        """`window.civchat = ...`, `window.civchat.k = ...`, `config.k = ...` (an alias)."""
        owner = target.value
        if (
            isinstance(target, cst.Attribute) and target.attr.value == sdk.CONFIG
            or isinstance(owner, cst.Attribute) and owner.attr.value == sdk.CONFIG
            or isinstance(owner, cst.Name)
        ):
            self.assignments.append(Assignment(target, value, self.ns, tuple(self.scopes)))

    def instance_attribute(
        self, owner: str, attr: str, value: cst.BaseExpression, at: Pos
    ) -> None:
        """`self.sdk = window.userengage` in a method: an attribute of the class's instances."""
        fn = self.ns.function()
        cls = fn.owner() if fn is not None and fn.method == "instance" else None
        binding = fn.bindings.get(owner) if fn is not None else None
        if cls is not None and binding and binding[0].kind == "self":
            cls.attributes.setdefault(attr, []).append(Binding("value", self.ns, at, value))

    def write(
        self, name: str, kind: str, node: cst.CSTNode, value: cst.BaseExpression | None, at: Pos
    ) -> None:
        self.writes.setdefault(name, []).append(Write(kind, node, value, self.ns, at))

    # -- calls ---------------------------------------------------------------------------

    def visit_Call(self, node: cst.Call) -> bool:
        self.note_callbacks(node)
        self.sites.append(Site(node, self.ns, tuple(self.scopes)))
        func = node.func
        if (
            isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name)
            and func.attr.value in DICT_WRITES
        ):
            self.write(func.value.value, func.attr.value, node, None, self.start(node))
        if node.args and (chain(func) or [""])[-1] in embedded.PYTHON_SINKS:  # JS in a string
            self.in_strings += embedded.in_python_string(
                self.source, self.span(node.args[0].value), self.handlers(), self.path
            )
        return True

    def visit_Await(self, node: cst.Await) -> bool:
        fn = self.ns.function()
        if fn is not None and isinstance(node.expression, cst.Call):
            self.awaits.setdefault(fn, []).append((self.start(node), rendered(node.expression)))
        return True

    # -- callbacks and listeners ---------------------------------------------------------

    def note_callbacks(self, node: cst.Call) -> None:
        """Record what receives a lambda or a named function passed to this call."""
        registration = self.listener(node)
        if registration is not None:
            listener, fn = registration
            fn = unproxied(fn)
            if isinstance(fn, cst.Lambda):
                self.lambda_context.setdefault(fn, listener)  # the outer call wins
            elif listener.event is not None:
                name = chain(fn)
                if name is not None and len(name) <= 2:  # `on_submit`, `self.on_submit`
                    self.registered.setdefault(name[-1], listener)
        for arg in node.args:
            fn = unproxied(arg.value)
            if isinstance(fn, cst.Lambda) and fn not in self.lambda_context:
                self.lambda_context[fn] = CallSite(None, None, callee_text(node.func))

    def listener(self, node: cst.Call) -> tuple[CallSite, cst.BaseExpression] | None:
        """`elt.addEventListener("submit", fn)` or `add_event_listener(elt, "submit", fn)`."""
        func, args = node.func, positional(node.args)
        if isinstance(func, cst.Attribute) and func.attr.value == "addEventListener":
            if len(args) < 2:
                return None
            element, event, fn = func.value, args[0], args[1]
        elif (chain(func) or [""])[-1] == "add_event_listener" and len(args) >= 3:
            element, event, fn = args[0], args[1], args[2]
        else:
            return None
        name = static_str(event)
        listener = CallSite(
            name.lower() if name else None, self.describe_target(element), callee_text(node.func)
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
        return callee_text(node)


# -- helpers on expressions --------------------------------------------------------------


def _sort(ns: Namespace) -> None:
    """Bindings in source order, for lookups by position (almost always sorted already)."""
    for bindings in (*ns.bindings.values(), *ns.attributes.values()):
        bindings.sort(key=lambda b: b.at)


def _method_kind(node: cst.FunctionDef | cst.Lambda) -> str:
    decorators = node.decorators if isinstance(node, cst.FunctionDef) else ()
    for decorator in decorators:
        name = chain(decorator.decorator)
        if name == ["staticmethod"]:
            return "static"
        if name == ["classmethod"]:
            return "class"
    return "instance"


def _enclosing_function(ns: Namespace) -> Namespace | None:
    parent = ns.parent
    while parent is not None and parent.kind == "class":
        parent = parent.parent
    return parent if parent is not None and parent.kind != "module" else None


def _decorate(scope: Scope, expr: cst.BaseExpression) -> None:
    """Apply `@when("submit", "#login-form")` or `@app.post("/login")` to a function."""
    if not isinstance(expr, cst.Call):
        return
    name = chain(expr.func)
    if not name:
        return
    args = positional(expr.args)
    keywords = {a.keyword.value: a.value for a in expr.args if a.keyword is not None}
    if name[-1] == "when":  # PyScript: when(event_type, selector)
        event = static_str(args[0] if args else keywords.get("event_type"))
        target = static_str(args[1] if len(args) > 1 else keywords.get("selector"))
        if event is not None:
            scope.kind, scope.event, scope.target = HandlerKind.LISTENER, event.lower(), target
    elif name[-1] in _ROUTE_METHODS and len(name) >= 2:  # Flask, FastAPI, blueprints
        route = static_str(args[0] if args else keywords.get("rule", keywords.get("path")))
        if route is not None and route.startswith("/"):
            scope.route = route


def _subscript_key(node: cst.BaseExpression) -> cst.BaseExpression | None:
    """The index of `owner[key]` (one plain index)."""
    if isinstance(node, cst.Subscript) and len(node.slice) == 1:
        index = node.slice[0].slice
        if isinstance(index, cst.Index):
            return index.value
    return None


def chain(node: cst.BaseExpression | None) -> list[str] | None:
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
    parts = chain(node)
    return ".".join(parts) if parts else None


def positional(args: Sequence[cst.Arg]) -> list[cst.BaseExpression]:
    """Positional argument values up to the first `*args` (after it, positions are unknown)."""
    values: list[cst.BaseExpression] = []
    for arg in args:
        if arg.star:
            break
        if arg.keyword is None:
            values.append(arg.value)
    return values


def unconverted(node: cst.BaseExpression) -> cst.BaseExpression:
    """`to_js(d, ...)`, `js.Object.fromEntries(to_js(d))` → `d`."""
    while isinstance(node, cst.Call):
        parts = chain(node.func)
        args = positional(node.args)
        if not parts or parts[-1] not in CONVERTERS or not args:
            break
        node = args[0]
    return node


def unproxied(node: cst.BaseExpression) -> cst.BaseExpression:
    """`create_proxy(fn)` → `fn`."""
    if isinstance(node, cst.Call):
        parts = chain(node.func)
        args = positional(node.args)
        if parts and parts[-1] in PROXIES and args:
            return args[0]
    return node


def _selector(node: cst.Call) -> str | None:
    """`document.getElementById("x")` → "#x", `document.querySelector("form.x")` → "form.x"."""
    parts = chain(node.func)
    args = positional(node.args)
    literal = static_str(args[0]) if args else None
    if not parts or literal is None:
        return None
    if parts[-1] == "getElementById":
        return f"#{literal}"
    if parts[-1] in ("querySelector", "querySelectorAll", "closest"):
        return literal
    return None


def callee_text(node: cst.BaseExpression) -> str:
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
    return short("".join(reversed(parts)))


def rendered(node: cst.BaseExpression, depth: int = 0) -> str:
    """A call as evidence shows it: arguments elided but a leading string literal, as in
    `api.signup()` or `fetch("/api/login")`."""
    if depth > 12:
        return "…"
    if isinstance(node, cst.Attribute):
        return f"{rendered(node.value, depth + 1)}.{node.attr.value}"
    if isinstance(node, cst.Call):
        args = positional(node.args)
        literal = static_str(args[0]) if args else None
        inner = f'"{literal}"' if literal is not None else ""
        return short(f"{rendered(node.func, depth + 1)}({inner})")
    if isinstance(node, cst.Await):
        return rendered(node.expression, depth + 1)
    return node.value if isinstance(node, cst.Name) else "…"


def static_str(node: cst.BaseExpression | None) -> str | None:
    """A string literal without substitutions (those need `Resolver.string`)."""
    return string(node)


def short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _MAX_NAME else text[: _MAX_NAME - 1] + "…"
