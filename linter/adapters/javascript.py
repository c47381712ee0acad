"""The JavaScript / TypeScript / TSX adapter, on tree-sitter.

One query per grammar finds the candidate nodes (calls whose callee ends in `userengage`,
`pageHit` or `resetAuth`, assignments to `civchat`); Python code then checks the receiver
chain, reads the method name and payload, and walks up the parents for handlers. Nothing
here walks the whole tree in Python, so a 5 MB bundle costs one parse and one query.
"""

from __future__ import annotations

import re
from functools import cache

import tree_sitter as ts

from linter import languages
from linter.adapters import AdapterResult
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

# Receivers through which the SDK's globals are reached: `window.top.userengage(...)`.
GLOBAL_OBJECTS = frozenset({"window", "top", "parent", "self", "globalThis", "frames"})
UE_METHODS = {"pageHit": PAGE_HIT, "resetAuth": RESET_AUTH}

_NAMES = '"userengage" "pageHit" "resetAuth"'
_QUERY = f"""
(call_expression function: (identifier) @name (#eq? @name "userengage")) @call
(call_expression function: (member_expression property: (property_identifier) @name
  (#any-of? @name {_NAMES}))) @call
(call_expression function: (subscript_expression index: (string (string_fragment) @name)
  (#any-of? @name {_NAMES}))) @call
(call_expression function: (parenthesized_expression (member_expression property: (property_identifier) @name
  (#any-of? @name {_NAMES})))) @call
(assignment_expression left: (member_expression property: (property_identifier) @name
  (#eq? @name "civchat"))) @civchat
(assignment_expression left: (member_expression object: (member_expression property: (property_identifier) @name
  (#eq? @name "civchat")))) @civchat_key
"""
_QUERY_TS_ONLY = f"""
(call_expression function: (non_null_expression (member_expression property: (property_identifier) @name
  (#any-of? @name {_NAMES})))) @call
"""

# Expression wrappers that do not change what is called: `(window as any)`, `x!`, `(x)`.
_TRANSPARENT = frozenset({
    "parenthesized_expression", "non_null_expression", "as_expression", "satisfies_expression",
    "type_assertion",
})
_FUNCTIONS = frozenset({
    "function_declaration", "generator_function_declaration", "function_expression",
    "function", "generator_function", "arrow_function", "method_definition",
})
_CLASSES = frozenset({"class_declaration", "class", "abstract_class_declaration"})
# jQuery-style registration: `$(sel).on("submit", fn)`, `$(sel).submit(fn)`.
_LISTEN_METHODS = frozenset({"addEventListener", "on", "one", "bind", "live", "delegate"})
_DOM_EVENTS = frozenset({
    "submit", "click", "change", "input", "blur", "focus", "keyup", "keydown", "load", "ready",
})
_MAX_NAME = 80


@cache
def _grammar(language: str) -> tuple[ts.Parser, ts.Query]:
    if language == languages.JAVASCRIPT:
        import tree_sitter_javascript as grammar

        lang, query = ts.Language(grammar.language()), _QUERY
    else:
        import tree_sitter_typescript as grammar_ts

        lang = ts.Language(
            grammar_ts.language_tsx() if language == languages.TSX
            else grammar_ts.language_typescript()
        )
        query = _QUERY + _QUERY_TS_ONLY
    return ts.Parser(lang), ts.Query(lang, query)


def extract(source: SourceText, path: str, language: str) -> AdapterResult:
    parser, query = _grammar(language)
    tree = parser.parse(source.data)
    reader = _Reader(source)
    calls: list[TrackingCall] = []
    for _, captures in ts.QueryCursor(query).matches(tree.root_node):
        if "call" in captures:
            call = reader.call(captures["call"][0])
        elif "civchat" in captures:
            call = reader.civchat(captures["civchat"][0])
        else:
            call = reader.civchat_key(captures["civchat_key"][0])
        if call is not None:
            calls.append(call)
    calls.sort(key=lambda c: c.span.start_byte)
    errors = (_syntax_error(tree.root_node, source, path),) if tree.root_node.has_error else ()
    return AdapterResult(tuple(calls), errors)


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


def _unwrap(node: ts.Node) -> ts.Node:
    while node.type in _TRANSPARENT and node.named_child_count:
        node = node.named_children[0]
    return node


class _Reader:
    """Reads tracking calls out of the nodes the query found."""

    def __init__(self, source: SourceText) -> None:
        self.source = source

    def text(self, node: ts.Node) -> str:
        return self.source.data[node.start_byte : node.end_byte].decode("utf-8", "replace")

    # -- calls ---------------------------------------------------------------------------

    def call(self, node: ts.Node) -> TrackingCall | None:
        fn = node.child_by_field_name("function")
        args_node = node.child_by_field_name("arguments")
        if fn is None or args_node is None or args_node.type != "arguments":
            return None  # a tagged template: userengage`...`
        chain = self.chain(fn)
        if chain is None:
            return None
        *receiver, last = chain
        args = [a for a in args_node.named_children if a.type != "comment"]
        if last == "userengage" and all(r in GLOBAL_OBJECTS for r in receiver):
            api = self.static_string(args[0]) if args else None
            payload_node = args[1] if len(args) > 1 else None
        elif last in UE_METHODS and receiver[-1:] == ["UE"] and all(
            r in GLOBAL_OBJECTS for r in receiver[:-1]
        ):
            api = UE_METHODS[last]
            payload_node = args[0] if args else None
        else:
            return None
        return TrackingCall(
            api=api,
            span=self.source.span(node.start_byte, node.end_byte),
            callee=self.text(fn),
            payload=self.payload(payload_node) if payload_node is not None else None,
            handlers=self.handlers(node),
        )

    def civchat(self, node: ts.Node) -> TrackingCall | None:
        left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
        assert left is not None and right is not None
        obj = left.child_by_field_name("object")
        if obj is None or not self.is_global_path(obj):
            return None
        return TrackingCall(
            api=CIVCHAT,
            span=self.source.span(node.start_byte, node.end_byte),
            callee=self.text(left),
            payload=self.payload(right),
            handlers=self.handlers(node),
        )

    def civchat_key(self, node: ts.Node) -> TrackingCall | None:
        """`window.civchat.user_id = ...`: a one-entry civchat payload."""
        left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
        assert left is not None and right is not None
        civchat, prop = left.child_by_field_name("object"), left.child_by_field_name("property")
        assert civchat is not None and prop is not None
        obj = civchat.child_by_field_name("object")
        if obj is None or not self.is_global_path(obj):
            return None
        entry = Entry(self.text(prop), self.span(prop), self.value(right), "assignment")
        return TrackingCall(
            api=CIVCHAT,
            span=self.span(node),
            callee=self.text(civchat),
            payload=Payload((entry,), self.span(node), complete=False),
            handlers=self.handlers(node),
        )

    def span(self, node: ts.Node) -> Span:
        return self.source.span(node.start_byte, node.end_byte)

    def chain(self, node: ts.Node) -> list[str] | None:
        """`window.top.userengage` → ["window", "top", "userengage"]; None if not a plain path."""
        parts: list[str] = []
        node = _unwrap(node)
        while True:
            if node.type in ("identifier", "this"):
                parts.append(self.text(node))
                return parts[::-1]
            if node.type == "member_expression":
                prop = node.child_by_field_name("property")
                obj = node.child_by_field_name("object")
                if prop is None or obj is None or prop.type != "property_identifier":
                    return None
                parts.append(self.text(prop))
            elif node.type == "subscript_expression":
                name = self.static_string(node.child_by_field_name("index"))
                obj = node.child_by_field_name("object")
                if name is None or obj is None:
                    return None
                parts.append(name)
            else:
                return None
            node = _unwrap(obj)

    def is_global_path(self, node: ts.Node) -> bool:
        chain = self.chain(node)
        return chain is not None and all(part in GLOBAL_OBJECTS for part in chain)

    def static_string(self, node: ts.Node | None) -> str | None:
        """The value of a string literal or a template literal without substitutions."""
        if node is None:
            return None
        if node.type == "string":
            return _decode_js_string(self.text(node)[1:-1])
        if node.type == "template_string":
            if any(c.type == "template_substitution" for c in node.named_children):
                return None
            return _decode_js_string(self.text(node)[1:-1])
        return None

    # -- payloads ------------------------------------------------------------------------

    def payload(self, node: ts.Node) -> Payload | None:
        node = _unwrap(node)
        if node.type != "object":
            return None
        entries: list[Entry] = []
        complete = True
        for prop in node.named_children:
            entry = self.entry(prop)
            if entry is None:
                complete = complete and prop.type == "comment"
            else:
                entries.append(entry)
        return Payload(tuple(entries), self.span(node), complete)

    def entry(self, prop: ts.Node) -> Entry | None:
        if prop.type == "shorthand_property_identifier":
            return Entry(self.text(prop), self.span(prop), UNKNOWN, "shorthand")
        if prop.type == "pair":
            key_node, value_node = prop.child_by_field_name("key"), prop.child_by_field_name("value")
            if key_node is None or value_node is None:
                return None
            value = self.value(value_node)
        elif prop.type == "method_definition":
            key_node = prop.child_by_field_name("name")
            if key_node is None:
                return None
            value = Value(ValueKind.FUNCTION)
        else:  # spread_element, or anything this version does not understand
            return None
        key = self.key(key_node)
        if key is None:
            return None
        name, origin = key
        return Entry(name, self.span(key_node), value, origin)

    def key(self, node: ts.Node) -> tuple[str, str] | None:
        if node.type == "property_identifier":
            return self.text(node), "literal"
        if node.type == "number":
            return self.text(node), "literal"
        if node.type == "string":
            name = self.static_string(node)
            return (name, "quoted") if name is not None else None
        if node.type == "computed_property_name" and node.named_child_count:
            name = self.static_string(_unwrap(node.named_children[0]))
            return (name, "computed") if name is not None else None
        return None

    def value(self, node: ts.Node) -> Value:
        node = _unwrap(node)
        kind = node.type
        if kind in ("string", "template_string"):
            literal = self.static_string(node)
            return Value(ValueKind.STRING, literal)
        if kind == "number":
            text = self.text(node)
            try:
                return Value(ValueKind.NUMBER, float(text) if "." in text else int(text, 0))
            except ValueError:
                return Value(ValueKind.NUMBER)
        if kind in ("true", "false"):
            return Value(ValueKind.BOOL, kind == "true")
        if kind in ("null", "undefined"):
            return Value(ValueKind.NULL)
        if kind == "object":
            return Value(ValueKind.OBJECT)
        if kind == "array":
            return Value(ValueKind.ARRAY)
        if kind in _FUNCTIONS:
            return Value(ValueKind.FUNCTION)
        return UNKNOWN

    # -- handlers ------------------------------------------------------------------------

    def handlers(self, node: ts.Node) -> tuple[Handler, ...]:
        found: list[Handler] = []
        parent = node.parent
        while parent is not None:
            if parent.type in _FUNCTIONS:
                found.append(self.function_handler(parent))
            elif parent.type in _CLASSES:
                name = parent.child_by_field_name("name")
                found.append(Handler(
                    HandlerKind.CLASS, self.text(name) if name else self.bound_name(parent),
                    self.span(parent),
                ))
            parent = parent.parent
        return tuple(found)

    def function_handler(self, fn: ts.Node) -> Handler:
        span = self.span(fn)
        name_node = fn.child_by_field_name("name")
        if fn.type == "method_definition":
            return Handler(HandlerKind.METHOD, self.text(name_node) if name_node else None, span)
        if name_node is not None and fn.type.endswith("declaration"):
            return Handler(HandlerKind.FUNCTION, self.text(name_node), span)
        own_name = self.text(name_node) if name_node is not None else None

        ctx = fn.parent
        while ctx is not None and ctx.type in _TRANSPARENT:
            ctx = ctx.parent
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

    def bound_name(self, node: ts.Node) -> str | None:
        """The name a function or class expression is bound to: `const x = ...`, `x: ...`."""
        ctx = node.parent
        while ctx is not None and ctx.type in _TRANSPARENT:
            ctx = ctx.parent
        if ctx is None:
            return None
        field = {
            "variable_declarator": "name", "pair": "key", "field_definition": "property",
            "public_field_definition": "name", "assignment_expression": "left",
        }.get(ctx.type)
        target = ctx.child_by_field_name(field) if field else None
        if target is None:
            return None
        name = self.static_string(target) if target.type == "string" else self.text(target)
        return _short(name) if name else None

    def callback_handler(
        self, fn: ts.Node, args: ts.Node, call: ts.Node, own_name: str | None
    ) -> Handler:
        span = self.span(fn)
        callee = call.child_by_field_name("function")
        if callee is None:
            return Handler(HandlerKind.CALLBACK, own_name, span)
        callee = _unwrap(callee)
        if callee.type == "member_expression":
            prop = callee.child_by_field_name("property")
            obj = callee.child_by_field_name("object")
            method = self.text(prop) if prop is not None else ""
            first = next((a for a in args.named_children if a.type != "comment"), None)
            event = self.static_string(first) if first is not None and first is not fn else None
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
        return Handler(
            HandlerKind.LISTENER, own_name, self.span(fn), event=name[2:].lower(),
            target=self.describe_jsx_element(element),
        )

    def describe_jsx_element(self, element: ts.Node) -> str:
        tag = element.child_by_field_name("name")
        text = self.text(tag) if tag is not None else "element"
        for attr in element.named_children:
            if attr.type != "jsx_attribute" or attr.named_child_count < 2:
                continue
            key, value = self.text(attr.named_children[0]), _unwrap(attr.named_children[1])
            literal = self.static_string(value)
            if literal is None and value.type == "jsx_expression" and value.named_child_count:
                literal = self.static_string(value.named_children[0])
            if literal is None:
                continue
            if key == "id":
                text += f"#{literal}"
            elif key in ("className", "class"):
                text += "".join(f".{c}" for c in literal.split())
            elif key in ("name", "action", "data-testid"):
                text += f"[{key}={literal}]"
        return _short(text)

    def describe_target(self, node: ts.Node, depth: int = 0) -> str:
        """What a listener is bound to, as a selector where it can be told: "#login-form"."""
        node = _unwrap(node)
        if node.type == "call_expression":
            fn = node.child_by_field_name("function")
            args = node.child_by_field_name("arguments")
            first = args.named_children[0] if args is not None and args.named_child_count else None
            literal = self.static_string(first)
            chain = self.chain(fn) if fn is not None else None
            if literal is not None and chain:
                if chain[-1] == "getElementById":
                    return f"#{literal}"
                if chain[-1] in ("querySelector", "querySelectorAll", "$", "jQuery", "closest"):
                    return literal
                if chain[-1] == "getElementsByName":
                    return f"[name={literal}]"
                if chain[-1] == "getElementsByClassName":
                    return f".{literal}"
        if node.type in ("member_expression", "subscript_expression"):
            chain = self.chain(node)
            if chain and len(chain) >= 2 and chain[-2] == "forms":
                return f"form[name={chain[-1]}]"
        if node.type == "identifier" and depth < 3:
            bound = self.binding(node)
            if bound is not None:
                return self.describe_target(bound, depth + 1)
        return _short(self.text(node))

    def binding(self, ident: ts.Node) -> ts.Node | None:
        """The initialiser of the nearest `const/let/var NAME = ...` visible from `ident`."""
        name = self.text(ident)
        scope = ident.parent
        while scope is not None:
            if scope.type in ("statement_block", "program", "class_body"):
                for stmt in scope.named_children:
                    if stmt.start_byte > ident.start_byte:
                        break
                    if stmt.type in ("lexical_declaration", "variable_declaration"):
                        for decl in stmt.named_children:
                            decl_name = decl.child_by_field_name("name")
                            if decl_name is not None and self.text(decl_name) == name:
                                return decl.child_by_field_name("value")
            scope = scope.parent
        return None

    def callee_text(self, callee: ts.Node) -> str:
        """`auth.login(user).then` with argument lists elided: `auth.login().then`."""
        text = self.text(callee)
        return _short(re.sub(r"\((?:[^()]|\([^()]*\))*\)", "()", text))


_ESCAPES = re.compile(r"\\(u\{[0-9a-fA-F]+\}|u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|[\s\S])")
_SIMPLE = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "v": "\v", "0": "\0"}


def _decode_js_string(body: str) -> str:
    def replace(match: re.Match[str]) -> str:
        esc = match.group(1)
        if esc.startswith("u{"):
            return chr(int(esc[2:-1], 16))
        if esc[0] in "ux" and len(esc) > 1:
            return chr(int(esc[1:], 16))
        if esc in ("\n", "\r", "\u2028", "\u2029"):
            return ""  # line continuation
        return _SIMPLE.get(esc, esc)

    return _ESCAPES.sub(replace, body) if "\\" in body else body


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _MAX_NAME else text[: _MAX_NAME - 1] + "…"
