"""The JavaScript / TypeScript / TSX adapter, on tree-sitter.

The occurrences of the SDK's names in the bytes give the candidate nodes; `js_scope` tells
what each callee, method name and payload denotes. Tracking calls are found in rounds: direct
SDK calls (`userengage(...)`, aliases such as `const ue = window.userengage`, `callInWindow`),
then calls to the wrappers those reveal (functions whose parameters flow into a tracking
call, `inference`), until no new wrapper appears. Nothing walks the whole tree in Python.

The parts, data flowing one way: `js_tree` (the parsed file) → `js_payloads` (payload keys)
and `js_handlers` (UE002's evidence) → this module (the calls, and the wrappers they reveal)
→ `js_exports` (what other files may import).
"""

from __future__ import annotations

import re
from dataclasses import replace

import tree_sitter as ts

from uelint import sdk
from uelint.adapters import (
    AdapterResult,
    ParseBudgetExceeded,
    js_gtm,
    js_injected,
    parse_bounded,
    syntax_error,
)
from uelint.adapters.inference import MAX_ROUNDS, Inference
from uelint.adapters.inference import Site as CallSite
from uelint.adapters.js_exports import Exports
from uelint.adapters.js_handlers import Handlers
from uelint.adapters.js_payloads import Payloads
from uelint.adapters.js_scope import TRANSPARENT, Value, param_default, wrapper_of
from uelint.adapters.js_tree import JsFile, grammar, short
from uelint.adapters.values import UNKNOWN, Global, Param, Str
from uelint.diagnostic import FileError
from uelint.ir import Entry, Payload, Span, TrackingCall
from uelint.source import SourceText, find_all
from uelint.wrappers import Linker, Wrapper

# The SDK's own names, which an alias declaration repeats: `const { userengage } = window`.
_SDK_NAMES = frozenset({*sdk.CALLED, sdk.CALL_IN_WINDOW})

# Where the SDK's names occur in the bytes. Each occurrence is mapped to its node and
# classified by climbing a few parents: cheaper than any query over the whole tree.
# A lone CR ends a line in JavaScript, but the grammar's automatic semicolons only look for
# LF: old-Mac line endings would turn every statement without a `;` into a syntax error.
_LONE_CR = re.compile(rb"\r(?!\n)")


def _lone_cr_as_lf(data: bytes) -> bytes:
    """`data` with lone CRs as LFs: the same length, so offsets (and spans) do not move."""
    return _LONE_CR.sub(b"\n", data) if b"\r" in data else data


_SDK_WORDS = tuple(word.encode() for word in sdk.ENTRY_WORDS)
_NAMES = frozenset({"identifier", "property_identifier", "string_fragment"})
# What lies between an alias and its declarator: `const { userengage: ue } = window || {}`.
_DESTRUCTURING = frozenset({"pair_pattern", "object_pattern", "binary_expression"})


def extract(
    source: SourceText, path: str, language: str, linker: Linker | None = None
) -> AdapterResult:
    parsing = grammar(language)
    try:
        root = parse_bounded(parsing.parser, _lone_cr_as_lf(source.data)).root_node
    except ParseBudgetExceeded as exc:
        return AdapterResult((), (FileError(path, "parse", f"{exc} (far more than code of its "
                                                           "size needs); not checked"),))
    file = JsFile(source, path, root, parsing, linker)
    handlers = Handlers(file)
    found = _Calls(file, Payloads(file), handlers)
    calls = found.tracking_calls()
    calls += js_gtm.sandbox_calls(file, found.track, calls)  # Tag Manager's sandbox API
    calls += js_injected.calls_in_strings(root, source, path, handlers)
    errors = (syntax_error(root, source, path),) if root.has_error else ()
    return AdapterResult(calls, errors, Exports(file, found.wrappers).collect())


class _Calls:
    """Finds the tracking calls of one file, and with them its wrappers."""

    def __init__(self, file: JsFile, payloads: Payloads, handlers: Handlers) -> None:
        self.file = file
        self.payloads = payloads
        self.handlers = handlers
        self.sdk_calls: list[ts.Node] = []
        self.civchats: list[ts.Node] = []
        self.civchat_keys: list[ts.Node] = []
        self.aliases: set[str] = set()  # names declared from something SDK-looking
        for start, end in find_all(file.source.data, _SDK_WORDS):
            self._classify(file.root.descendant_for_byte_range(start, end))
        self.inference = Inference(file.path, _Functions(file))
        self.wrappers = self.inference.wrappers
        self.imported_names = self._imported_names()

    def _classify(self, name: ts.Node | None) -> None:
        """Sort one occurrence of an SDK name: the callee of a call, a civchat assignment,
        an alias declaration; anything else (a comment, a string) is ignored."""
        if name is None or name.type not in _NAMES:
            return
        expr = name.parent if name.type == "string_fragment" else name
        # Climb the callee expression: `window.top.userengage`, `(window as any).userengage!`.
        while expr is not None and expr.parent is not None and (
            expr.parent.type in TRANSPARENT
            or expr.parent.type in ("member_expression", "subscript_expression")
            and expr.parent.child_by_field_name("object") != expr
        ):
            expr = expr.parent
        parent = expr.parent if expr is not None else None
        if expr is None or parent is None:
            return
        if parent.type == "call_expression" and parent.child_by_field_name("function") == expr:
            self.sdk_calls.append(parent)
        elif parent.type == "assignment_expression" and parent.child_by_field_name("left") == expr:
            self.civchats.append(parent)
        elif parent.type == "member_expression" and parent.child_by_field_name("object") == expr:
            grand = parent.parent
            if (
                grand is not None and grand.type == "assignment_expression"
                and grand.child_by_field_name("left") == parent
            ):
                self.civchat_keys.append(grand)
        else:
            declarator: ts.Node | None = parent
            while declarator is not None and declarator.type in _DESTRUCTURING:
                declarator = declarator.parent
            if declarator is not None and declarator.type == "variable_declarator":
                target = declarator.child_by_field_name("name")
                if target is not None:
                    self.aliases.update(self.file.declared_names(target))

    def tracking_calls(self) -> tuple[TrackingCall, ...]:
        found: dict[int, TrackingCall] = {}  # by call node id
        candidates = self.sdk_calls + self.file.calls_named(self.aliases - _SDK_NAMES)
        for node in candidates:
            if node.id in found:
                continue
            call = self.sdk_call(node)
            if call is not None:
                found[node.id] = call
        for node in self.civchats:
            civchat = self.civchat(node)
            if civchat is not None:
                found[node.id] = civchat
        for node in self.civchat_keys:
            civchat = self.civchat_key(node)
            if civchat is not None:
                found[node.id] = civchat

        for _ in range(MAX_ROUNDS):  # wrappers of wrappers, until nothing new
            known = len(self.wrappers)
            wrapper_names = {w.name.rsplit(".", 1)[-1] for w in self.wrappers.values()}
            wanted = wrapper_names | self.imported_names
            if not wanted:
                break
            for node in self.file.calls_named(wanted):
                if node.id not in found:
                    call = self.wrapper_call(node)
                    if call is not None:
                        found[node.id] = call
            if len(self.wrappers) == known:
                break
        return tuple(sorted(found.values(), key=lambda c: c.span.start_byte))

    def sdk_call(self, node: ts.Node) -> TrackingCall | None:
        """`userengage(...)` however it is reached, `UE.pageHit(...)`, `callInWindow(...)`."""
        fn, args = node.child_by_field_name("function"), self.file.args(node)
        if fn is None or args is None:
            return None
        callee = self.file.scope.value(fn)
        if not isinstance(callee, Global):
            return None
        if callee.path == (sdk.CALL_IN_WINDOW,):  # tag managers: callInWindow("userengage", ...)
            if not args or self.file.scope.value(args[0]) != Str(sdk.DISPATCH):
                return None
            args = args[1:]
        elif callee.path in sdk.IDENTITY:
            identity = Str(sdk.IDENTITY[callee.path])
            return self.track(node, fn, identity, args[0] if args else None)
        elif callee.path != (sdk.DISPATCH,):
            return None
        method = self.file.scope.value(args[0]) if args else UNKNOWN
        return self.track(node, fn, method, args[1] if len(args) > 1 else None,
                          method_node=args[0] if args else None)

    def wrapper_call(self, node: ts.Node) -> TrackingCall | None:
        fn, args = node.child_by_field_name("function"), self.file.args(node)
        if fn is None or args is None:
            return None
        wrapper = wrapper_of(self.file.scope.value(fn), self.wrappers, self.file.linker)
        if wrapper is None:
            return None

        def argument(index: int) -> Value | None:
            return self.file.scope.value(args[index]) if index < len(args) else None

        method: Value = self.inference.method(wrapper, argument)
        payload = None
        if wrapper.payload_param is not None and wrapper.payload_param < len(args):
            payload = args[wrapper.payload_param]
        method_node = None
        if wrapper.api_param is not None and wrapper.api_param < len(args):
            method_node = args[wrapper.api_param]
        return self.track(node, fn, method, payload, wrapper, method_node)

    def track(
        self, node: ts.Node, fn: ts.Node, method: Value, payload: ts.Node | None,
        wrapper: Wrapper | None = None, method_node: ts.Node | None = None,
    ) -> TrackingCall | None:
        site = CallSite(
            self.file.span(node), short(self.file.text(fn)), self.file.enclosing_function(node),
            self.handlers(node),
        )
        info = self.payloads.payload_info(payload, node) if payload is not None else None
        span = self.file.span(payload) if payload is not None else None
        call = self.inference.track(
            site, method, info, span, lambda: self.handlers.awaited_before(node), wrapper
        )
        name_span = self.payloads.literal_span(method_node)
        return replace(call, method_span=name_span) if call and name_span else call

    # -- civchat -----------------------------------------------------------------------------

    def civchat(self, node: ts.Node) -> TrackingCall | None:
        left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
        assert left is not None and right is not None
        if self.file.scope.value(left) != Global((sdk.CONFIG,)):
            return None
        info = self.payloads.payload_info(right, node)
        return TrackingCall(
            api=sdk.CIVCHAT, span=self.file.span(node), callee=self.file.text(left),
            payload=(
                Payload(tuple(info.entries), self.file.span(right), info.complete) if info else None
            ),
            handlers=self.handlers(node),
        )

    def civchat_key(self, node: ts.Node) -> TrackingCall | None:
        """`window.civchat.user_id = ...`: a one-entry civchat payload."""
        left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
        assert left is not None and right is not None
        civchat, prop = left.child_by_field_name("object"), left.child_by_field_name("property")
        assert civchat is not None and prop is not None
        if self.file.scope.value(civchat) != Global((sdk.CONFIG,)):
            return None
        value = self.payloads.ir_value(right)
        entry = Entry(self.file.text(prop), self.file.span(prop), value, "assignment")
        return TrackingCall(
            api=sdk.CIVCHAT, span=self.file.span(node), callee=self.file.text(civchat),
            payload=Payload((entry,), self.file.span(node), complete=False),
            handlers=self.handlers(node),
        )

    # -- imports -----------------------------------------------------------------------------

    def _imported_names(self) -> set[str]:
        """Local names bound by imports and requires (they may be wrappers or namespaces)."""
        names: set[str] = set()
        if self.file.linker is None:
            return names
        for stmt in self.file.root.named_children:
            if stmt.type == "import_statement":
                names.update(self.file.declared_names(stmt))
        names.update(self.file.linker.names())  # `ns.track()`, `tracker.push()`, declared ones
        return names


class _Functions:
    """The facts about a file's functions that wrapper inference asks for."""

    def __init__(self, file: JsFile) -> None:
        self.file = file

    def name(self, function: ts.Node) -> str | None:
        return self.file.function_name(function)

    def span(self, function: ts.Node) -> Span:
        return self.file.span(function)

    def params(self, function: ts.Node) -> tuple[str, ...]:
        return ()  # JavaScript passes arguments by position only

    def default(self, param: Param[ts.Node]) -> str | None:
        return self.file.scope.static_string(param_default(param.function, param.index))

    def inside(self, function: ts.Node, outer: ts.Node) -> bool:
        return outer.start_byte <= function.start_byte and function.end_byte <= outer.end_byte
