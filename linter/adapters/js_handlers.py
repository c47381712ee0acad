"""UE002's evidence in JavaScript: the handlers around a call.

Enclosing functions, methods, classes and callbacks with their names; listeners with their
event and target (`addEventListener`, `onsubmit =`, jQuery, JSX `onSubmit`, React forms whose
handler is defined elsewhere, Angular `(ngSubmit)`); the callee a callback is passed to
(`auth.login().then`); the calls awaited before a call.
"""

from __future__ import annotations

import re

import tree_sitter as ts

from uelint.adapters.js_scope import CLASSES, FUNCTIONS, Func, class_member, unwrap
from uelint.adapters.js_tree import JsFile, short
from uelint.ir import Handler, HandlerKind
from uelint.source import find_all

_SUBMIT_BINDINGS = (b"onSubmit", b"ngSubmit")
_AWAIT = re.compile(rb"\bawait\b")
_PASSWORD_FIELD = re.compile(r"""type\s*=\s*\{?\s*["'`]password["'`]""")
# Angular inline templates: `<form id="login" (ngSubmit)="onSubmit()">`.
_NG_FORM = re.compile(r"""<form\b([^>]*)\(ngSubmit\)\s*=\s*["']\s*([\w$]+)\s*\(([^>]*)>""")
_HTML_ATTR = re.compile(r"""\b(id|class|name|action)\s*=\s*["']([^"']*)["']""")
# jQuery-style registration: `$(sel).on("submit", fn)`, `$(sel).submit(fn)`.
_LISTEN_METHODS = frozenset({"addEventListener", "on", "one", "bind", "live", "delegate"})
_DOM_EVENTS = frozenset({
    "submit", "click", "change", "input", "blur", "focus", "keyup", "keydown", "load", "ready",
})


class Handlers:
    """The handlers around the calls of one file: `handlers(node)`, innermost first."""

    def __init__(self, file: JsFile) -> None:
        self.file = file
        # Functions bound as form submit handlers elsewhere: `<form onSubmit={handleSubmit}>`.
        self.submit_handlers: dict[int, tuple[str, bool]] = {}  # fn id → (form, has password)
        for start, end in find_all(file.source.data, _SUBMIT_BINDINGS):
            self._bind_submit(file.root.descendant_for_byte_range(start, end))

    def _bind_submit(self, name: ts.Node | None) -> None:
        """`<form onSubmit={handleSubmit}>` (React) or an Angular template's `(ngSubmit)`:
        remember which function handles which form."""
        if name is None:
            return
        attribute = name.parent
        if (
            attribute is not None and attribute.type == "jsx_attribute"
            and attribute.named_child_count == 2
        ):
            value = attribute.named_children[1]
            element = attribute.parent
            if value.type != "jsx_expression" or not value.named_child_count or element is None:
                return
            target = self.file.scope.value(value.named_children[0])
            bound = self.file.text(attribute.named_children[0])
            if isinstance(target, Func) and bound == "onSubmit":
                form = element.parent if element.type == "jsx_opening_element" else element
                self.submit_handlers[target.node.id] = (
                    self.describe_jsx_element(element),
                    bool(form is not None and _PASSWORD_FIELD.search(self.file.text(form))),
                )
            return
        template = name.parent if name.type == "string_fragment" else name
        cls = template
        while cls is not None and cls.type not in CLASSES:
            cls = cls.parent
        if template is None or cls is None or template.type not in ("string", "template_string"):
            return
        text = self.file.text(template)
        for ng_form in _NG_FORM.finditer(text):
            method = class_member(self.file.scope, cls, ng_form.group(2))
            if method is not None:
                attrs = dict(_HTML_ATTR.findall(ng_form.group(1) + ng_form.group(3)))
                body = text[ng_form.end() : text.find("</form>", ng_form.end())]
                self.submit_handlers[method.id] = (
                    _selector("form", attrs), bool(_PASSWORD_FIELD.search(body))
                )

    def __call__(self, node: ts.Node) -> tuple[Handler, ...]:
        """The handlers that enclose `node`, innermost first."""
        found: list[Handler] = []
        for parent in self.file.parents.chain(node, itself=False):
            if parent.type in FUNCTIONS:
                found.append(self.function_handler(parent))
            elif parent.type in CLASSES:
                name = parent.child_by_field_name("name")
                found.append(Handler(
                    HandlerKind.CLASS,
                    self.file.text(name) if name else self.file.bound_name(parent),
                    self.file.span(parent),
                ))
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
        span = self.file.span(fn)
        name_node = fn.child_by_field_name("name")
        if fn.type == "method_definition":
            method = self.file.text(name_node) if name_node else None
            return Handler(HandlerKind.METHOD, method, span)
        if name_node is not None and fn.type.endswith("declaration"):
            return Handler(HandlerKind.FUNCTION, self.file.text(name_node), span)
        own_name = self.file.text(name_node) if name_node is not None else None

        ctx = self.file.context(fn)
        if ctx is None:
            return Handler(HandlerKind.FUNCTION, own_name, span)
        if ctx.type == "variable_declarator":
            return Handler(HandlerKind.FUNCTION, own_name or self.file.bound_name(fn), span)
        if ctx.type in ("pair", "field_definition", "public_field_definition"):
            return Handler(HandlerKind.METHOD, own_name or self.file.bound_name(fn), span)
        if ctx.type == "assignment_expression":
            left = ctx.child_by_field_name("left")
            prop = left.child_by_field_name("property") if left is not None else None
            if left is not None and prop is not None and self.file.text(prop).startswith("on"):
                target = left.child_by_field_name("object")
                return Handler(
                    HandlerKind.LISTENER, own_name, span, event=self.file.text(prop)[2:].lower(),
                    target=self.describe_target(target) if target is not None else None,
                )
            return Handler(HandlerKind.FUNCTION, own_name or self.file.bound_name(fn), span)
        outer = ctx.parent
        if ctx.type == "arguments" and outer is not None and outer.type == "call_expression":
            return self.callback_handler(fn, ctx, outer, own_name)
        if ctx.type == "jsx_expression" and outer is not None and outer.type == "jsx_attribute":
            return self.jsx_handler(fn, outer, own_name)
        return Handler(HandlerKind.CALLBACK, own_name, span)

    def callback_handler(
        self, fn: ts.Node, args: ts.Node, call: ts.Node, own_name: str | None
    ) -> Handler:
        span = self.file.span(fn)
        callee = call.child_by_field_name("function")
        if callee is None:
            return Handler(HandlerKind.CALLBACK, own_name, span)
        callee = unwrap(callee)
        if callee.type == "member_expression":
            prop = callee.child_by_field_name("property")
            obj = callee.child_by_field_name("object")
            method = self.file.text(prop) if prop is not None else ""
            first = next((a for a in args.named_children if a.type != "comment"), None)
            event = None if first is None or first == fn else self.file.scope.static_string(first)
            if method in _LISTEN_METHODS and event:
                return Handler(
                    HandlerKind.LISTENER, own_name, span, event=event.split(".")[0].lower(),
                    target=self.describe_target(obj) if obj is not None else None,
                    callee=short(self.file.text(callee)),
                )
            if method in _DOM_EVENTS:
                return Handler(
                    HandlerKind.LISTENER, own_name, span, event=method,
                    target=self.describe_target(obj) if obj is not None else None,
                    callee=short(self.file.text(callee)),
                )
        return Handler(HandlerKind.CALLBACK, own_name, span, callee=self.callee_text(callee))

    def jsx_handler(self, fn: ts.Node, attribute: ts.Node, own_name: str | None) -> Handler:
        """`<form id="login-form" onSubmit={(e) => ...}>`."""
        attr_name = attribute.named_children[0] if attribute.named_child_count else None
        name = self.file.text(attr_name) if attr_name is not None else ""
        element = attribute.parent
        if not name.startswith("on") or element is None:
            return Handler(HandlerKind.CALLBACK, own_name, self.file.span(fn))
        form = element.parent if element.type == "jsx_opening_element" else element
        return Handler(
            HandlerKind.LISTENER, own_name, self.file.span(fn), event=name[2:].lower(),
            target=self.describe_jsx_element(element),
            password=bool(form is not None and _PASSWORD_FIELD.search(self.file.text(form))),
        )

    def describe_jsx_element(self, element: ts.Node) -> str:
        tag = element.child_by_field_name("name")
        attrs: dict[str, str] = {}
        for attr in element.named_children:
            if attr.type != "jsx_attribute" or attr.named_child_count < 2:
                continue
            key, value = self.file.text(attr.named_children[0]), unwrap(attr.named_children[1])
            literal = self.file.scope.static_string(value)
            if literal is None and value.type == "jsx_expression" and value.named_child_count:
                literal = self.file.scope.static_string(value.named_children[0])
            if literal is not None:
                attrs["class" if key == "className" else key] = literal
        return _selector(self.file.text(tag) if tag is not None else "element", attrs)

    def describe_target(self, node: ts.Node, depth: int = 0) -> str:
        """What a listener is bound to, as a selector where it can be told: "#login-form"."""
        node = unwrap(node)
        if node.type == "call_expression":
            fn = node.child_by_field_name("function")
            args = node.child_by_field_name("arguments")
            first = args.named_children[0] if args is not None and args.named_child_count else None
            literal = self.file.scope.static_string(first)
            last = self.file.last_name(node)
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
            if obj is not None and prop is not None and self.file.text(obj).endswith("forms"):
                return f"form[name={self.file.text(prop)}]"
        if node.type == "subscript_expression":
            obj = node.child_by_field_name("object")
            key = self.file.scope.static_string(node.child_by_field_name("index"))
            if obj is not None and key is not None and self.file.text(obj).endswith("forms"):
                return f"form[name={key}]"
        if node.type == "identifier" and depth < 3:
            binding = self.file.scope.lookup(self.file.text(node), node)
            if (
                binding is not None and binding.kind == "var" and binding.key is None
                and binding.value is not None
            ):
                return self.describe_target(binding.value, depth + 1)
        return short(self.file.text(node))

    def callee_text(self, callee: ts.Node) -> str:
        """A callee as written, arguments elided except a leading string literal:
        `auth.login(user).then` → "auth.login().then", `fetch("/api/login").then`."""
        return short(self._render(callee, 0))

    def _render(self, node: ts.Node, depth: int) -> str:
        node = unwrap(node)
        if depth > 12:
            return "…"
        if node.type == "member_expression":
            obj, prop = node.child_by_field_name("object"), node.child_by_field_name("property")
            if obj is not None and prop is not None:
                return f"{self._render(obj, depth + 1)}.{self.file.text(prop)}"
        if node.type == "call_expression":
            fn, args = node.child_by_field_name("function"), self.file.args(node) or []
            literal = self.file.scope.static_string(args[0]) if args else None
            inner = f'"{literal}"' if literal is not None else ""
            return f"{self._render(fn, depth + 1) if fn is not None else '…'}({inner})"
        if node.type == "await_expression" and node.named_child_count:
            return self._render(node.named_children[0], depth + 1)
        if node.type in ("identifier", "this", "property_identifier"):
            return self.file.text(node)
        return "…"

    def awaited_before(self, call: ts.Node) -> tuple[str, ...]:
        """The calls awaited earlier in the function that makes `call` (auth results)."""
        function = self.file.enclosing_function(call)
        if function is None:
            return ()
        found = []
        for match in _AWAIT.finditer(self.file.source.data, function.start_byte, call.start_byte):
            node = self.file.root.descendant_for_byte_range(match.start(), match.end())
            while node is not None and node.type != "await_expression":
                node = self.file.parents.of(node) if node.type == "await" else None
            if node is None or not node.named_child_count:
                continue
            if self.file.enclosing_function(node) != function:
                continue
            awaited = unwrap(node.named_children[0])
            if awaited.type == "call_expression":
                found.append(self.callee_text(awaited))
        return tuple(found)


def _selector(tag: str, attrs: dict[str, str]) -> str:
    """`form#login-form.card[name=login]` from a tag and its literal attributes."""
    text = tag
    if attrs.get("id"):
        text += f"#{attrs['id']}"
    text += "".join(f".{c}" for c in attrs.get("class", "").split())
    for key in ("name", "action", "data-testid"):
        if attrs.get(key):
            text += f"[{key}={attrs[key]}]"
    return short(text)
