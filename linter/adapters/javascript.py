"""The JavaScript / TypeScript / TSX adapter, on tree-sitter.

One query per grammar finds the candidate nodes; `js_scope` tells what each callee,
method name and payload denotes. Tracking calls are found in rounds: direct SDK calls
(`userengage(...)`, aliases such as `const ue = window.userengage`, `callInWindow`), then
calls to the wrappers those reveal (functions whose parameters flow into a tracking call),
until no new wrapper appears. Nothing walks the whole tree in Python.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

import tree_sitter as ts

from uelint import languages, sdk
from uelint.adapters import AdapterResult, embedded
from uelint.adapters.inference import MAX_ROUNDS, Inference
from uelint.adapters.inference import Site as CallSite
from uelint.adapters.js_scope import (
    CLASSES,
    FUNCTIONS,
    TRANSPARENT,
    Cls,
    Func,
    Inst,
    Obj,
    Scope,
    Value,
    class_member,
    param_default,
    unwrap,
    wrapper_of,
)
from uelint.adapters.values import UNKNOWN, Ext, Global, Param, PayloadParts, Str
from uelint.diagnostic import FileError
from uelint.ir import UNKNOWN as UNKNOWN_VALUE
from uelint.ir import (
    Entry,
    Handler,
    HandlerKind,
    Payload,
    Span,
    TrackingCall,
    ValueKind,
)
from uelint.ir import Value as IRValue
from uelint.source import SourceText, find_all
from uelint.wrappers import Export, Linker, ModuleExports, Wrapper

# The SDK's own names, which an alias declaration repeats: `const { userengage } = window`.
_SDK_NAMES = frozenset({*sdk.CALLED, sdk.CALL_IN_WINDOW})

# Where the SDK's names occur in the bytes. Each occurrence is mapped to its node and
# classified by climbing a few parents: cheaper than any query over the whole tree.
_SDK_WORDS = tuple(word.encode() for word in sdk.ENTRY_WORDS)
_SUBMIT_BINDINGS = (b"onSubmit", b"ngSubmit")
_AWAIT = re.compile(rb"\bawait\b")
_PASSWORD_FIELD = re.compile(r"""type\s*=\s*\{?\s*["'`]password["'`]""")
# Angular inline templates: `<form id="login" (ngSubmit)="onSubmit()">`.
_NG_FORM = re.compile(r"""<form\b([^>]*)\(ngSubmit\)\s*=\s*["']\s*([\w$]+)\s*\(([^>]*)>""")
_HTML_ATTR = re.compile(r"""\b(id|class|name|action)\s*=\s*["']([^"']*)["']""")
# Run only when a file has aliases or wrappers to look for, or a payload built in steps.
_CALLS_QUERY = "(call_expression) @call"
_WRITES_QUERY = "(assignment_expression left: [(member_expression) (subscript_expression)] @lhs) @write"

# jQuery-style registration: `$(sel).on("submit", fn)`, `$(sel).submit(fn)`.
_LISTEN_METHODS = frozenset({"addEventListener", "on", "one", "bind", "live", "delegate"})
_DOM_EVENTS = frozenset({
    "submit", "click", "change", "input", "blur", "focus", "keyup", "keydown", "load", "ready",
})
_MAX_NAME = 80


@dataclass(frozen=True)
class _Grammar:
    parser: ts.Parser
    calls: ts.Query
    writes: ts.Query


@cache
def _grammar(language: str) -> _Grammar:
    if language == languages.JAVASCRIPT:
        import tree_sitter_javascript as grammar

        lang = ts.Language(grammar.language())
    else:
        import tree_sitter_typescript as grammar_ts

        lang = ts.Language(
            grammar_ts.language_tsx() if language == languages.TSX
            else grammar_ts.language_typescript()
        )
    return _Grammar(ts.Parser(lang), ts.Query(lang, _CALLS_QUERY), ts.Query(lang, _WRITES_QUERY))


def extract(
    source: SourceText, path: str, language: str, linker: Linker | None = None
) -> AdapterResult:
    grammar = _grammar(language)
    tree = grammar.parser.parse(source.data)
    module = _Module(source, path, tree.root_node, grammar, linker)
    calls = module.tracking_calls()
    calls += embedded.in_js_strings(tree.root_node, source, path, module.handlers)
    errors = (_syntax_error(tree.root_node, source, path),) if tree.root_node.has_error else ()
    return AdapterResult(calls, errors, module.exports())


def _syntax_error(root: ts.Node, source: SourceText, path: str) -> FileError:
    node = root
    while True:  # descend to the first ERROR or MISSING node
        child = next((c for c in node.children if c.has_error or c.is_missing), None)
        if child is None or node.is_error or node.is_missing:
            break
        node = child
    span = source.span(node.start_byte, max(node.end_byte, node.start_byte))
    what = f"missing `{node.type}`" if node.is_missing else "unexpected syntax"
    return FileError(
        path, "syntax",
        f"syntax error ({what}) at {span.start_line}:{span.start_col}; "
        "the rest of the file was still checked, but calls near the error may be missed",
        span,
    )


_PayloadInfo = PayloadParts[Param[ts.Node]]


class _Module:
    """One file: its candidate nodes, wrappers, tracking calls and exports."""

    def __init__(
        self, source: SourceText, path: str, root: ts.Node, grammar: _Grammar, linker: Linker | None
    ) -> None:
        self.source = source
        self.path = path
        self.root = root
        self.grammar = grammar
        self.scope = Scope(source.data, path, linker)
        self.linker = linker
        self.sdk_calls: list[ts.Node] = []
        self.civchats: list[ts.Node] = []
        self.civchat_keys: list[ts.Node] = []
        self.aliases: set[str] = set()  # names declared from something SDK-looking
        for start, end in find_all(source.data, _SDK_WORDS):
            self._classify(root.descendant_for_byte_range(start, end))
        self.inference = Inference(path, _Functions(self))
        self.wrappers = self.inference.wrappers
        # Functions bound as form submit handlers elsewhere: `<form onSubmit={handleSubmit}>`.
        self.submit_handlers: dict[int, tuple[str, bool]] = {}  # fn id → (form, has password)
        for start, end in find_all(source.data, _SUBMIT_BINDINGS):
            self._bind_submit(root.descendant_for_byte_range(start, end))
        self.imported_names = self._imported_names()
        self._calls: list[ts.Node] | None = None
        self._writes: dict[str, list[ts.Node]] | None = None
        self._object_assigns: list[ts.Node] | None = None

    def _classify(self, name: ts.Node | None) -> None:
        """Sort one occurrence of an SDK name: the callee of a call, a civchat assignment,
        an alias declaration; anything else (a comment, a string) is ignored."""
        if name is None or name.type not in ("identifier", "property_identifier", "string_fragment"):
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
            if grand is not None and grand.type == "assignment_expression" and grand.child_by_field_name("left") == parent:
                self.civchat_keys.append(grand)
        else:
            declarator: ts.Node | None = parent
            while declarator is not None and declarator.type in ("pair_pattern", "object_pattern", "binary_expression"):
                declarator = declarator.parent
            if declarator is not None and declarator.type == "variable_declarator":
                target = declarator.child_by_field_name("name")
                if target is not None:
                    self.aliases.update(self._declared_names(target))

    def _bind_submit(self, name: ts.Node | None) -> None:
        """`<form onSubmit={handleSubmit}>` (React) or an Angular template's `(ngSubmit)`:
        remember which function handles which form."""
        if name is None:
            return
        attribute = name.parent
        if attribute is not None and attribute.type == "jsx_attribute" and attribute.named_child_count == 2:
            value = attribute.named_children[1]
            element = attribute.parent
            if value.type != "jsx_expression" or not value.named_child_count or element is None:
                return
            target = self.scope.value(value.named_children[0])
            if isinstance(target, Func) and self.text(attribute.named_children[0]) == "onSubmit":
                form = element.parent if element.type == "jsx_opening_element" else element
                self.submit_handlers[target.node.id] = (
                    self.describe_jsx_element(element),
                    bool(form is not None and _PASSWORD_FIELD.search(self.text(form))),
                )
            return
        template = name.parent if name.type == "string_fragment" else name
        cls = template
        while cls is not None and cls.type not in CLASSES:
            cls = cls.parent
        if template is None or cls is None or template.type not in ("string", "template_string"):
            return
        text = self.text(template)
        for ng_form in _NG_FORM.finditer(text):
            method = class_member(self.scope, cls, ng_form.group(2))
            if method is not None:
                attrs = dict(_HTML_ATTR.findall(ng_form.group(1) + ng_form.group(3)))
                body = text[ng_form.end() : text.find("</form>", ng_form.end())]
                self.submit_handlers[method.id] = (
                    _selector("form", attrs), bool(_PASSWORD_FIELD.search(body))
                )

    @property
    def calls(self) -> list[ts.Node]:
        """Every call of the file; queried only when aliases or wrappers need them."""
        if self._calls is None:
            captures = ts.QueryCursor(self.grammar.calls).captures(self.root)
            # In source order, as Python's calls are: the first call through a wrapper that
            # a function makes decides what the function is.
            self._calls = sorted(captures.get("call", []), key=lambda node: node.start_byte)
        return self._calls

    @property
    def writes(self) -> dict[str, list[ts.Node]]:
        """`x.k = v` and `x["k"] = v`, by the name `x`; queried on first need."""
        if self._writes is None:
            self._writes = {}
            for _, captures in ts.QueryCursor(self.grammar.writes).matches(self.root):
                obj = unwrap(captures["lhs"][0]).child_by_field_name("object")
                if obj is not None and obj.type == "identifier":
                    self._writes.setdefault(self.text(obj), []).append(captures["write"][0])
        return self._writes

    def text(self, node: ts.Node) -> str:
        return self.scope.text(node)

    def span(self, node: ts.Node) -> Span:
        return self.source.span(node.start_byte, node.end_byte)

    # -- finding calls ---------------------------------------------------------------------

    def tracking_calls(self) -> tuple[TrackingCall, ...]:
        found: dict[int, TrackingCall] = {}  # by call node id
        candidates = self.sdk_calls + self._calls_named(self.aliases - _SDK_NAMES)
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
            for node in self._calls_named(wanted):
                if node.id not in found:
                    call = self.wrapper_call(node)
                    if call is not None:
                        found[node.id] = call
            if len(self.wrappers) == known:
                break
        return tuple(sorted(found.values(), key=lambda c: c.span.start_byte))

    def _calls_named(self, names: set[str]) -> list[ts.Node]:
        return [node for node in self.calls if self._last_name(node) in names] if names else []

    def _last_name(self, call: ts.Node) -> str | None:
        fn = call.child_by_field_name("function")
        if fn is None:
            return None
        fn = unwrap(fn)
        if fn.type == "identifier":
            return self.text(fn)
        if fn.type == "member_expression":
            prop = fn.child_by_field_name("property")
            return self.text(prop) if prop is not None else None
        if fn.type == "subscript_expression":
            index = fn.child_by_field_name("index")
            return self.scope.static_string(index) if index is not None else None
        return None

    def _args(self, call: ts.Node) -> list[ts.Node] | None:
        args = call.child_by_field_name("arguments")
        if args is None or args.type != "arguments":
            return None  # a tagged template: userengage`...`
        return [a for a in args.named_children if a.type != "comment"]

    def sdk_call(self, node: ts.Node) -> TrackingCall | None:
        """`userengage(...)` however it is reached, `UE.pageHit(...)`, `callInWindow(...)`."""
        fn, args = node.child_by_field_name("function"), self._args(node)
        if fn is None or args is None:
            return None
        callee = self.scope.value(fn)
        if not isinstance(callee, Global):
            return None
        if callee.path == (sdk.CALL_IN_WINDOW,):  # tag managers: callInWindow("userengage", ...)
            if not args or self.scope.value(args[0]) != Str(sdk.DISPATCH):
                return None
            args = args[1:]
        elif callee.path in sdk.IDENTITY:
            identity = Str(sdk.IDENTITY[callee.path])
            return self.track(node, fn, identity, args[0] if args else None)
        elif callee.path != (sdk.DISPATCH,):
            return None
        method = self.scope.value(args[0]) if args else UNKNOWN
        return self.track(node, fn, method, args[1] if len(args) > 1 else None)

    def wrapper_call(self, node: ts.Node) -> TrackingCall | None:
        fn, args = node.child_by_field_name("function"), self._args(node)
        if fn is None or args is None:
            return None
        wrapper = wrapper_of(self.scope.value(fn), self.wrappers, self.linker)
        if wrapper is None:
            return None
        def argument(index: int) -> Value | None:
            return self.scope.value(args[index]) if index < len(args) else None

        method: Value = self.inference.method(wrapper, argument)
        payload = None
        if wrapper.payload_param is not None and wrapper.payload_param < len(args):
            payload = args[wrapper.payload_param]
        return self.track(node, fn, method, payload, wrapper)

    def track(
        self, node: ts.Node, fn: ts.Node, method: Value, payload: ts.Node | None,
        wrapper: Wrapper | None = None,
    ) -> TrackingCall | None:
        site = CallSite(
            self.span(node), _short(self.text(fn)), _enclosing_function(node), self.handlers(node)
        )
        info = self.payload_info(payload, node) if payload is not None else None
        span = self.span(payload) if payload is not None else None
        return self.inference.track(
            site, method, info, span, lambda: self.awaited_before(node), wrapper
        )

    # -- civchat -----------------------------------------------------------------------------

    def civchat(self, node: ts.Node) -> TrackingCall | None:
        left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
        assert left is not None and right is not None
        if self.scope.value(left) != Global((sdk.CONFIG,)):
            return None
        info = self.payload_info(right, node)
        return TrackingCall(
            api=sdk.CIVCHAT, span=self.span(node), callee=self.text(left),
            payload=Payload(tuple(info.entries), self.span(right), info.complete) if info else None,
            handlers=self.handlers(node),
        )

    def civchat_key(self, node: ts.Node) -> TrackingCall | None:
        """`window.civchat.user_id = ...`: a one-entry civchat payload."""
        left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
        assert left is not None and right is not None
        civchat, prop = left.child_by_field_name("object"), left.child_by_field_name("property")
        assert civchat is not None and prop is not None
        if self.scope.value(civchat) != Global((sdk.CONFIG,)):
            return None
        entry = Entry(self.text(prop), self.span(prop), self.ir_value(right), "assignment")
        return TrackingCall(
            api=sdk.CIVCHAT, span=self.span(node), callee=self.text(civchat),
            payload=Payload((entry,), self.span(node), complete=False),
            handlers=self.handlers(node),
        )

    # -- payloads ----------------------------------------------------------------------------

    def payload_info(self, node: ts.Node, at: ts.Node, depth: int = 0) -> _PayloadInfo | None:
        """The keys of a payload expression, with where each key is written. None when the
        expression is not an object this file can see at all."""
        node = unwrap(node)
        if depth > 6:
            return _PayloadInfo(complete=False)
        if node.type == "object":
            return self.object_info(node, at, depth)
        if node.type == "identifier":
            binding = self.scope.lookup(self.text(node), node)
            if binding is None:
                return None
            value = self.scope.bound(binding, 0)
            if isinstance(value, Param):
                return _PayloadInfo(params=[value])
            if binding.kind != "var" or binding.key is not None or binding.value is None:
                return None
            info = self.payload_info(binding.value, at, depth + 1)
            if info is not None:
                self._later_writes(node, binding.node, at, info, depth)
            return info
        if node.type == "call_expression" and self.text(node.child_by_field_name("function") or node) == "Object.assign":
            info = _PayloadInfo()
            for arg in self._args(node) or []:
                info.merge(self.payload_info(arg, at, depth + 1))
            return info
        return None

    def object_info(self, node: ts.Node, at: ts.Node, depth: int) -> _PayloadInfo:
        info = _PayloadInfo()
        for prop in node.named_children:
            if prop.type == "comment":
                continue
            if prop.type == "spread_element":
                info.merge(self.payload_info(prop.named_children[0], at, depth + 1)
                           if prop.named_child_count else None)
                continue
            info.add(self.entry(prop))
        return info

    def _later_writes(
        self, ident: ts.Node, declarator: ts.Node, at: ts.Node, info: _PayloadInfo, depth: int
    ) -> None:
        """`attrs.user_id = x` / `attrs["k"] = v` / `Object.assign(attrs, {...})` between the
        declaration and the call, on the same binding."""
        name = self.text(ident)
        for write in self.writes.get(name, []):
            if not declarator.end_byte <= write.start_byte < at.start_byte:
                continue
            lhs = unwrap(write.child_by_field_name("left") or write)
            obj = lhs.child_by_field_name("object")
            binding = self.scope.lookup(name, obj) if obj is not None else None
            if binding is None or binding.node != declarator:
                continue
            if lhs.type == "member_expression":
                key_node = lhs.child_by_field_name("property")
                key = self.text(key_node) if key_node is not None else None
            else:
                key_node = lhs.child_by_field_name("index")
                key_value = self.scope.value(key_node)
                key = key_value.value if isinstance(key_value, Str) else None
            if key is None or key_node is None:
                info.complete = False
                continue
            right = write.child_by_field_name("right")
            info.entries.append(Entry(key, self.span(key_node), self.ir_value(right), "assignment"))
        for call in self.object_assigns():
            args = self._args(call) or []
            if not declarator.end_byte <= call.start_byte < at.start_byte or not args:
                continue
            target = unwrap(args[0])
            if target.type != "identifier" or self.text(target) != name:
                continue
            for arg in args[1:]:
                info.merge(self.payload_info(arg, at, depth + 1))

    def object_assigns(self) -> list[ts.Node]:
        if self._object_assigns is None:
            self._object_assigns = [
                call for call in self._calls_named({"assign"})
                if self.text(call.child_by_field_name("function") or call) == "Object.assign"
            ]
        return self._object_assigns

    def entry(self, prop: ts.Node) -> Entry | None:
        if prop.type == "shorthand_property_identifier":
            return Entry(self.text(prop), self.span(prop), UNKNOWN_VALUE, "shorthand")
        if prop.type == "pair":
            key_node, value_node = prop.child_by_field_name("key"), prop.child_by_field_name("value")
            if key_node is None or value_node is None:
                return None
            value = self.ir_value(value_node)
        elif prop.type == "method_definition":
            key_node = prop.child_by_field_name("name")
            if key_node is None:
                return None
            value = IRValue(ValueKind.FUNCTION)
        else:
            return None
        key = self.scope.property_name(key_node)
        if key is None:
            return None
        origin = {"property_identifier": "literal", "number": "literal", "string": "quoted"}.get(
            key_node.type, "computed"
        )
        return Entry(key, self.span(key_node), value, origin)

    def ir_value(self, node: ts.Node | None) -> IRValue:
        if node is None:
            return UNKNOWN_VALUE
        node = unwrap(node)
        kind = node.type
        if kind in ("string", "template_string"):
            return IRValue(ValueKind.STRING, self.scope.static_string(node))
        if kind == "number":
            text = self.text(node)
            try:
                return IRValue(ValueKind.NUMBER, float(text) if "." in text else int(text, 0))
            except ValueError:
                return IRValue(ValueKind.NUMBER)
        if kind in ("true", "false"):
            return IRValue(ValueKind.BOOL, kind == "true")
        if kind in ("null", "undefined"):
            return IRValue(ValueKind.NULL)
        if kind == "object":
            return IRValue(ValueKind.OBJECT)
        if kind == "array":
            return IRValue(ValueKind.ARRAY)
        if kind in FUNCTIONS:
            return IRValue(ValueKind.FUNCTION)
        return UNKNOWN_VALUE

    # -- exports -----------------------------------------------------------------------------

    def exports(self) -> ModuleExports:
        """What other files can import from this one: wrappers and string constants."""
        exports = ModuleExports()
        for stmt in self.root.named_children:
            if stmt.type == "export_statement":
                self._export_statement(stmt, exports)
            elif stmt.type == "expression_statement" and stmt.named_child_count:
                self._commonjs_export(stmt.named_children[0], exports)
        return exports

    def _export_statement(self, stmt: ts.Node, exports: ModuleExports) -> None:
        source = stmt.child_by_field_name("source")
        clause = next((c for c in stmt.named_children if c.type == "export_clause"), None)
        if source is not None:  # re-exports
            specifier = self.scope.static_string(source) or ""
            if clause is None:
                exports.reexports.append((specifier, "*", "*"))
            for spec in clause.named_children if clause is not None else []:
                name, alias = spec.child_by_field_name("name"), spec.child_by_field_name("alias")
                if name is not None:
                    original = self.text(name)
                    exports.reexports.append(
                        (specifier, original, self.text(alias) if alias is not None else original)
                    )
            return
        is_default = any(c.type == "default" for c in stmt.children)
        declaration = stmt.child_by_field_name("declaration")
        value = stmt.child_by_field_name("value")
        if declaration is not None:
            if declaration.type in ("lexical_declaration", "variable_declaration"):
                for decl in declaration.named_children:
                    name = decl.child_by_field_name("name")
                    if name is not None and name.type == "identifier":
                        self._put(exports, self.text(name), self.scope.value(decl.child_by_field_name("value")))
            else:
                name = declaration.child_by_field_name("name")
                key = "default" if is_default or name is None else self.text(name)
                self._put(exports, key, self.scope.value(declaration))
        elif value is not None:
            self._put(exports, "default", self.scope.value(value))
        for spec in clause.named_children if clause is not None else []:
            name, alias = spec.child_by_field_name("name"), spec.child_by_field_name("alias")
            if name is not None:
                local = self.text(name)
                self._put(exports, self.text(alias) if alias is not None else local,
                          self.scope.value(name))

    def _commonjs_export(self, expr: ts.Node, exports: ModuleExports) -> None:
        """`module.exports = {...}`, `module.exports = fn`, `exports.track = fn`."""
        if expr.type != "assignment_expression":
            return
        left, right = expr.child_by_field_name("left"), expr.child_by_field_name("right")
        if left is None or right is None:
            return
        target = self.text(left)
        if target == "module.exports":
            value = self.scope.value(right)
            if isinstance(value, Obj) and unwrap(right).type == "object":
                for key, member in self._members(value).items():
                    exports.names[key] = member
            else:
                self._put(exports, "default", value)
        elif target.startswith(("exports.", "module.exports.")) and target.count(".") <= 2:
            self._put(exports, target.rsplit(".", 1)[1], self.scope.value(right))

    def _put(self, exports: ModuleExports, name: str, value: Value) -> None:
        export = self._export_of(value)
        if export is not None:
            exports.names[name] = export

    def _export_of(self, value: Value) -> Export | None:
        if isinstance(value, Str):
            return value.value if sdk.METHOD_NAME.match(value.value) else None
        if isinstance(value, Func):
            return self.wrappers.get(value.node)
        if isinstance(value, Ext):
            return value.export
        if isinstance(value, (Cls, Inst, Obj)):
            members = self._members(value)
            return members or None
        return None

    def _members(self, value: Cls | Inst | Obj) -> dict[str, Wrapper | str]:
        """The wrappers and SDK method names among an object's or a class's members."""
        members: dict[str, Wrapper | str] = {}
        if isinstance(value, Obj):
            obj = value.node
            body = obj.child_by_field_name("body") if obj.type == "enum_declaration" else obj
            for prop in body.named_children if body is not None else []:
                key, member = self._member(prop)
                export = self._export_of(member) if key is not None else None
                if key is not None and isinstance(export, (Wrapper, str)):
                    members[key] = export
            return members
        cls = value.node if isinstance(value, Cls) else value.cls
        name = cls.child_by_field_name("name")
        for wrapper in self.wrappers.values():
            owner, _, method = wrapper.name.rpartition(".")
            if name is not None and owner == self.text(name) and class_member(self.scope, cls, method) is not None:
                members[method] = wrapper
        return members

    def _member(self, prop: ts.Node) -> tuple[str | None, Value]:
        """(key, value) of one member of an object literal or enum body."""
        if prop.type == "method_definition":
            name = prop.child_by_field_name("name")
            return (self.text(name) if name is not None else None), Func(prop)
        if prop.type == "shorthand_property_identifier":
            return self.text(prop), self.scope.identifier(prop, 0)
        if prop.type in ("pair", "enum_assignment"):
            key = prop.child_by_field_name("key") or prop.child_by_field_name("name")
            return (self.scope.property_name(key) if key is not None else None,
                    self.scope.value(prop.child_by_field_name("value")))
        return None, UNKNOWN

    def _imported_names(self) -> set[str]:
        """Local names bound by imports and requires (they may be wrappers or namespaces)."""
        names: set[str] = set()
        if self.linker is None:
            return names
        for stmt in self.root.named_children:
            if stmt.type == "import_statement":
                names.update(self._declared_names(stmt))
        names.update(self.linker.names())  # `ns.track(...)`, `tracker.push(...)`, declared ones
        return names

    def _declared_names(self, node: ts.Node) -> set[str]:
        if node.type == "identifier":
            return {self.text(node)}
        found: set[str] = set()
        for child in node.named_children:
            if child.type in ("identifier", "shorthand_property_identifier_pattern"):
                found.add(self.text(child))
            else:
                found |= self._declared_names(child)
        return found

    # -- names of functions ------------------------------------------------------------------

    def function_name(self, fn: ts.Node) -> str | None:
        """How code calls a function: "track", "TrackingDriver.push", "tracking.update"."""
        name_node = fn.child_by_field_name("name")
        if fn.type == "method_definition":
            container = fn.parent  # a class body or an object literal
            if name_node is None or container is None:
                return None
            owner = self.owner_name(container if container.type == "object" else container.parent)
            return f"{owner}.{self.text(name_node)}" if owner else self.text(name_node)
        if name_node is not None and fn.type.endswith("declaration"):
            return self.text(name_node)
        bound = self.bound_name(fn)
        if bound is None:
            return self.text(name_node) if name_node is not None else None
        ctx = _context(fn)
        owner = None
        if ctx is not None and ctx.type == "pair":  # an object-literal method
            owner = self.owner_name(ctx.parent)
        elif ctx is not None and ctx.type in ("field_definition", "public_field_definition"):
            owner = self.owner_name(ctx.parent.parent if ctx.parent is not None else None)
        return f"{owner}.{bound}" if owner else bound

    def owner_name(self, node: ts.Node | None) -> str | None:
        """The name of a class, or of the variable an object literal is bound to."""
        if node is None:
            return None
        if node.type in CLASSES:
            name = node.child_by_field_name("name")
            return self.text(name) if name is not None else self.bound_name(node)
        if node.type == "object":
            return self.bound_name(node)
        return None

    def bound_name(self, node: ts.Node) -> str | None:
        """The name a function, class or object expression is bound to: `const x = ...`."""
        ctx = _context(node)
        if ctx is None:
            return None
        field_name = {
            "variable_declarator": "name", "pair": "key", "field_definition": "property",
            "public_field_definition": "name", "assignment_expression": "left",
        }.get(ctx.type)
        target = ctx.child_by_field_name(field_name) if field_name else None
        if target is None:
            return None
        name = self.scope.static_string(target) if target.type == "string" else self.text(target)
        return _short(name) if name else None

    # -- handlers ----------------------------------------------------------------------------

    def handlers(self, node: ts.Node) -> tuple[Handler, ...]:
        found: list[Handler] = []
        parent = node.parent
        while parent is not None:
            if parent.type in FUNCTIONS:
                found.append(self.function_handler(parent))
            elif parent.type in CLASSES:
                name = parent.child_by_field_name("name")
                found.append(Handler(
                    HandlerKind.CLASS, self.text(name) if name else self.bound_name(parent),
                    self.span(parent),
                ))
            parent = parent.parent
        return tuple(found)

    def function_handler(self, fn: ts.Node) -> Handler:
        handler = self._function_handler(fn)
        bound = self.submit_handlers.get(fn.id)
        if bound is None:
            return handler
        form, password = bound
        return Handler(HandlerKind.LISTENER, handler.name, handler.span, event="submit",
                       target=form, password=password)

    def _function_handler(self, fn: ts.Node) -> Handler:
        span = self.span(fn)
        name_node = fn.child_by_field_name("name")
        if fn.type == "method_definition":
            return Handler(HandlerKind.METHOD, self.text(name_node) if name_node else None, span)
        if name_node is not None and fn.type.endswith("declaration"):
            return Handler(HandlerKind.FUNCTION, self.text(name_node), span)
        own_name = self.text(name_node) if name_node is not None else None

        ctx = _context(fn)
        if ctx is None:
            return Handler(HandlerKind.FUNCTION, own_name, span)
        if ctx.type == "variable_declarator":
            return Handler(HandlerKind.FUNCTION, own_name or self.bound_name(fn), span)
        if ctx.type in ("pair", "field_definition", "public_field_definition"):
            return Handler(HandlerKind.METHOD, own_name or self.bound_name(fn), span)
        if ctx.type == "assignment_expression":
            left = ctx.child_by_field_name("left")
            prop = left.child_by_field_name("property") if left is not None else None
            if left is not None and prop is not None and self.text(prop).startswith("on"):
                target = left.child_by_field_name("object")
                return Handler(
                    HandlerKind.LISTENER, own_name, span, event=self.text(prop)[2:].lower(),
                    target=self.describe_target(target) if target is not None else None,
                )
            return Handler(HandlerKind.FUNCTION, own_name or self.bound_name(fn), span)
        if ctx.type == "arguments" and ctx.parent is not None and ctx.parent.type == "call_expression":
            return self.callback_handler(fn, ctx, ctx.parent, own_name)
        if ctx.type == "jsx_expression" and ctx.parent is not None and ctx.parent.type == "jsx_attribute":
            return self.jsx_handler(fn, ctx.parent, own_name)
        return Handler(HandlerKind.CALLBACK, own_name, span)

    def callback_handler(
        self, fn: ts.Node, args: ts.Node, call: ts.Node, own_name: str | None
    ) -> Handler:
        span = self.span(fn)
        callee = call.child_by_field_name("function")
        if callee is None:
            return Handler(HandlerKind.CALLBACK, own_name, span)
        callee = unwrap(callee)
        if callee.type == "member_expression":
            prop = callee.child_by_field_name("property")
            obj = callee.child_by_field_name("object")
            method = self.text(prop) if prop is not None else ""
            first = next((a for a in args.named_children if a.type != "comment"), None)
            event = self.scope.static_string(first) if first is not None and first != fn else None
            if method in _LISTEN_METHODS and event:
                return Handler(
                    HandlerKind.LISTENER, own_name, span, event=event.split(".")[0].lower(),
                    target=self.describe_target(obj) if obj is not None else None,
                    callee=_short(self.text(callee)),
                )
            if method in _DOM_EVENTS:
                return Handler(
                    HandlerKind.LISTENER, own_name, span, event=method,
                    target=self.describe_target(obj) if obj is not None else None,
                    callee=_short(self.text(callee)),
                )
        return Handler(HandlerKind.CALLBACK, own_name, span, callee=self.callee_text(callee))

    def jsx_handler(self, fn: ts.Node, attribute: ts.Node, own_name: str | None) -> Handler:
        """`<form id="login-form" onSubmit={(e) => ...}>`."""
        attr_name = attribute.named_children[0] if attribute.named_child_count else None
        name = self.text(attr_name) if attr_name is not None else ""
        element = attribute.parent
        if not name.startswith("on") or element is None:
            return Handler(HandlerKind.CALLBACK, own_name, self.span(fn))
        form = element.parent if element.type == "jsx_opening_element" else element
        return Handler(
            HandlerKind.LISTENER, own_name, self.span(fn), event=name[2:].lower(),
            target=self.describe_jsx_element(element),
            password=bool(form is not None and _PASSWORD_FIELD.search(self.text(form))),
        )

    def describe_jsx_element(self, element: ts.Node) -> str:
        tag = element.child_by_field_name("name")
        attrs: dict[str, str] = {}
        for attr in element.named_children:
            if attr.type != "jsx_attribute" or attr.named_child_count < 2:
                continue
            key, value = self.text(attr.named_children[0]), unwrap(attr.named_children[1])
            literal = self.scope.static_string(value)
            if literal is None and value.type == "jsx_expression" and value.named_child_count:
                literal = self.scope.static_string(value.named_children[0])
            if literal is not None:
                attrs["class" if key == "className" else key] = literal
        return _selector(self.text(tag) if tag is not None else "element", attrs)

    def describe_target(self, node: ts.Node, depth: int = 0) -> str:
        """What a listener is bound to, as a selector where it can be told: "#login-form"."""
        node = unwrap(node)
        if node.type == "call_expression":
            fn = node.child_by_field_name("function")
            args = node.child_by_field_name("arguments")
            first = args.named_children[0] if args is not None and args.named_child_count else None
            literal = self.scope.static_string(first)
            last = self._last_name(node)
            if literal is not None and fn is not None and last is not None:
                if last == "getElementById":
                    return f"#{literal}"
                if last in ("querySelector", "querySelectorAll", "$", "jQuery", "closest"):
                    return literal
                if last == "getElementsByName":
                    return f"[name={literal}]"
                if last == "getElementsByClassName":
                    return f".{literal}"
        if node.type == "member_expression":
            obj, prop = node.child_by_field_name("object"), node.child_by_field_name("property")
            if obj is not None and prop is not None and self.text(obj).endswith("forms"):
                return f"form[name={self.text(prop)}]"
        if node.type == "subscript_expression":
            obj = node.child_by_field_name("object")
            key = self.scope.static_string(node.child_by_field_name("index"))
            if obj is not None and key is not None and self.text(obj).endswith("forms"):
                return f"form[name={key}]"
        if node.type == "identifier" and depth < 3:
            binding = self.scope.lookup(self.text(node), node)
            if binding is not None and binding.kind == "var" and binding.key is None and binding.value is not None:
                return self.describe_target(binding.value, depth + 1)
        return _short(self.text(node))

    def callee_text(self, callee: ts.Node) -> str:
        """A callee as written, arguments elided except a leading string literal:
        `auth.login(user).then` → "auth.login().then", `fetch("/api/login").then`."""
        return _short(self._render(callee, 0))

    def _render(self, node: ts.Node, depth: int) -> str:
        node = unwrap(node)
        if depth > 12:
            return "…"
        if node.type == "member_expression":
            obj, prop = node.child_by_field_name("object"), node.child_by_field_name("property")
            if obj is not None and prop is not None:
                return f"{self._render(obj, depth + 1)}.{self.text(prop)}"
        if node.type == "call_expression":
            fn, args = node.child_by_field_name("function"), self._args(node) or []
            literal = self.scope.static_string(args[0]) if args else None
            inner = f'"{literal}"' if literal is not None else ""
            return f"{self._render(fn, depth + 1) if fn is not None else '…'}({inner})"
        if node.type == "await_expression" and node.named_child_count:
            return self._render(node.named_children[0], depth + 1)
        if node.type in ("identifier", "this", "property_identifier"):
            return self.text(node)
        return "…"

    def awaited_before(self, call: ts.Node) -> tuple[str, ...]:
        """The calls awaited earlier in the function that makes `call` (auth results)."""
        function = _enclosing_function(call)
        if function is None:
            return ()
        found = []
        for match in _AWAIT.finditer(self.source.data, function.start_byte, call.start_byte):
            node = self.root.descendant_for_byte_range(match.start(), match.end())
            while node is not None and node.type != "await_expression":
                node = node.parent if node.type == "await" else None
            if node is None or not node.named_child_count or _enclosing_function(node) != function:
                continue
            awaited = unwrap(node.named_children[0])
            if awaited.type == "call_expression":
                found.append(self.callee_text(awaited))
        return tuple(found)


class _Functions:
    """The facts about a file's functions that wrapper inference asks for."""

    def __init__(self, module: _Module) -> None:
        self.module = module

    def name(self, function: ts.Node) -> str | None:
        return self.module.function_name(function)

    def span(self, function: ts.Node) -> Span:
        return self.module.span(function)

    def params(self, function: ts.Node) -> tuple[str, ...]:
        return ()  # JavaScript passes arguments by position only

    def default(self, param: Param[ts.Node]) -> str | None:
        return self.module.scope.static_string(param_default(param.function, param.index))

    def inside(self, function: ts.Node, outer: ts.Node) -> bool:
        return outer.start_byte <= function.start_byte and function.end_byte <= outer.end_byte


def _selector(tag: str, attrs: dict[str, str]) -> str:
    """`form#login-form.card[name=login]` from a tag and its literal attributes."""
    text = tag
    if attrs.get("id"):
        text += f"#{attrs['id']}"
    text += "".join(f".{c}" for c in attrs.get("class", "").split())
    for key in ("name", "action", "data-testid"):
        if attrs.get(key):
            text += f"[{key}={attrs[key]}]"
    return _short(text)


def _context(node: ts.Node) -> ts.Node | None:
    """The parent of an expression, past transparent wrappers."""
    ctx = node.parent
    while ctx is not None and ctx.type in TRANSPARENT:
        ctx = ctx.parent
    return ctx


def _enclosing_function(node: ts.Node) -> ts.Node | None:
    parent = node.parent
    while parent is not None and parent.type not in FUNCTIONS:
        parent = parent.parent
    return parent


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _MAX_NAME else text[: _MAX_NAME - 1] + "…"

