"""The keys of a JavaScript payload expression, with where each is written.

Object literals, spreads, `Object.assign`, a variable bound to an object and the writes to it
before the call (`attrs.user_id = ...`), and the parameters of an enclosing function that flow
in (which make that function a wrapper).
"""

from __future__ import annotations

import tree_sitter as ts

from uelint.adapters.js_scope import FUNCTIONS, unwrap
from uelint.adapters.js_tree import JsFile, short
from uelint.adapters.values import (
    CONVERSIONS,
    Param,
    PayloadParts,
    Str,
    concatenation,
    is_volatile_call,
    pick,
)
from uelint.ir import UNKNOWN as UNKNOWN_VALUE
from uelint.ir import Entry, Span, ValueKind
from uelint.ir import Value as IRValue

Parts = PayloadParts[Param[ts.Node]]


class Payloads:
    """The payloads of one file."""

    def __init__(self, file: JsFile) -> None:
        self.file = file
        self._object_assigns: list[ts.Node] | None = None

    def payload_info(self, node: ts.Node, at: ts.Node, depth: int = 0) -> Parts | None:
        """The keys of a payload expression, with where each key is written. None when the
        expression is not an object this file can see at all."""
        node = unwrap(node)
        if depth > 6:
            return Parts(complete=False)
        if node.type == "object":
            return self.object_info(node, at, depth)
        if node.type == "identifier":
            binding = self.file.scope.lookup(self.file.text(node), node)
            if binding is None:
                return None
            value = self.file.scope.bound(binding, 0)
            if isinstance(value, Param):
                return Parts(params=[value])
            if binding.kind != "var" or binding.key is not None or binding.value is None:
                return None
            info = self.payload_info(binding.value, at, depth + 1)
            if info is not None:
                self._later_writes(node, binding.node, at, info, depth)
            return info
        if node.type == "call_expression" and _is_object_assign(self.file, node):
            info = Parts()
            for arg in self.file.args(node) or []:
                info.merge(self.payload_info(arg, at, depth + 1))
            return info
        return None

    def object_info(self, node: ts.Node, at: ts.Node, depth: int) -> Parts:
        info = Parts()
        state = self._own_state(node)
        for prop in node.named_children:
            if prop.type == "comment":
                continue
            if prop.type == "spread_element":
                info.merge(self.payload_info(prop.named_children[0], at, depth + 1)
                           if prop.named_child_count else None)
                continue
            entry = self.entry(prop)
            if entry is None or entry.key not in state or prop.type == "method_definition":
                info.add(entry)
        return info

    def _own_state(self, node: ts.Node) -> set[str]:
        """The keys of an object literal that its own methods read as `this.key`: the state
        of a code object (`window.civchat = { userKeyValue: '', get userKey() { return
        this.userKeyValue } }` in an official plugin), not attributes sent to User.com."""
        names: set[str] = set()
        stack = [prop for prop in node.named_children if prop.type == "method_definition"]
        while stack:
            current = stack.pop()
            if current.type == "member_expression":
                obj, prop = (current.child_by_field_name("object"),
                             current.child_by_field_name("property"))
                if obj is not None and obj.type == "this" and prop is not None:
                    names.add(self.file.text(prop))
            stack.extend(current.named_children)
        return names

    def _later_writes(
        self, ident: ts.Node, declarator: ts.Node, at: ts.Node, info: Parts, depth: int
    ) -> None:
        """`attrs.user_id = x` / `attrs["k"] = v` / `Object.assign(attrs, {...})` between the
        declaration and the call, on the same binding."""
        name = self.file.text(ident)
        for write in self.file.writes.get(name, []):
            if not declarator.end_byte <= write.start_byte < at.start_byte:
                continue
            lhs = unwrap(write.child_by_field_name("left") or write)
            obj = lhs.child_by_field_name("object")
            binding = self.file.scope.lookup(name, obj) if obj is not None else None
            if binding is None or binding.node != declarator:
                continue
            if lhs.type == "member_expression":
                key_node = lhs.child_by_field_name("property")
                key = self.file.text(key_node) if key_node is not None else None
            else:
                key_node = lhs.child_by_field_name("index")
                key_value = self.file.scope.value(key_node)
                key = key_value.value if isinstance(key_value, Str) else None
            if key is None or key_node is None:
                info.complete = False
                continue
            right = write.child_by_field_name("right")
            value = self.ir_value(right)
            info.entries.append(Entry(key, self.file.span(key_node), value, "assignment"))
        for call in self.object_assigns():
            args = self.file.args(call) or []
            if not declarator.end_byte <= call.start_byte < at.start_byte or not args:
                continue
            target = unwrap(args[0])
            if target.type != "identifier" or self.file.text(target) != name:
                continue
            for arg in args[1:]:
                info.merge(self.payload_info(arg, at, depth + 1))

    def object_assigns(self) -> list[ts.Node]:
        if self._object_assigns is None:
            self._object_assigns = [
                call for call in self.file.calls_named({"assign"})
                if _is_object_assign(self.file, call)
            ]
        return self._object_assigns

    def entry(self, prop: ts.Node) -> Entry | None:
        if prop.type == "shorthand_property_identifier":
            return Entry(self.file.text(prop), self.file.span(prop), UNKNOWN_VALUE, "shorthand")
        if prop.type == "pair":
            key_node = prop.child_by_field_name("key")
            value_node = prop.child_by_field_name("value")
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
        key = self.file.scope.property_name(key_node)
        if key is None:
            return None
        origin = {"property_identifier": "literal", "number": "literal", "string": "quoted"}.get(
            key_node.type, "computed"
        )
        return Entry(key, self.file.span(key_node), value, origin)

    def literal_span(self, node: ts.Node | None) -> Span | None:
        """The text between the quotes of a plain string literal (no escapes), else None."""
        if node is None or node.type != "string":
            return None
        parts = node.named_children
        if len(parts) > 1 or parts and parts[0].type != "string_fragment":
            return None
        start, end = node.start_byte + 1, node.end_byte - 1
        return self.file.source.span(start, end)

    def ir_value(self, node: ts.Node | None, depth: int = 0) -> IRValue:
        """What the file shows of an attribute's value: a literal (also through constants),
        a pick between values, a string's shape, a volatile call, where it is read from."""
        if node is None or depth > 4:
            return UNKNOWN_VALUE
        node = unwrap(node)
        kind = node.type
        source = short(self.file.text(node))
        if kind == "string":
            return IRValue(ValueKind.STRING, self.file.scope.static_string(node))
        if kind == "template_string":
            return self.template(node, depth)
        if kind == "number":
            text = self.file.text(node)
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
        if kind in ("identifier", "member_expression", "subscript_expression"):
            constant = self.file.scope.value(node)
            if isinstance(constant, Str):
                return IRValue(ValueKind.STRING, constant.value)
            if kind == "identifier":
                held = self.volatile_const(node, depth)
                if held is not None:
                    return held
            return IRValue(ValueKind.UNKNOWN, source=source)
        if kind == "ternary_expression":
            return pick([self.ir_value(node.child_by_field_name(side), depth + 1)
                         for side in ("consequence", "alternative")], source)
        if kind == "binary_expression":
            return self.binary(node, source, depth)
        if kind in ("call_expression", "new_expression", "unary_expression"):
            return self.call(node, source, depth)
        return UNKNOWN_VALUE

    def volatile_const(self, name: ts.Node, depth: int) -> IRValue | None:
        """`const id = uuid(); ... user_id: id`: a constant that holds a volatile value."""
        binding = self.file.scope.lookup(self.file.text(name), name)
        declaration = binding.node.parent if binding is not None else None
        if (
            binding is None or binding.kind != "var" or binding.key is not None
            or binding.value is None or declaration is None
            or declaration.type != "lexical_declaration"
            or self.file.text(declaration.children[0]) != "const"
        ):
            return None
        held = self.ir_value(binding.value, depth + 1)
        if held.kind is not ValueKind.VOLATILE:
            return None
        return IRValue(ValueKind.VOLATILE, source=f"{self.file.text(name)} = {held.source}")

    def binary(self, node: ts.Node, source: str, depth: int) -> IRValue:
        operator = node.child_by_field_name("operator")
        op = self.file.text(operator) if operator is not None else ""
        left = self.ir_value(node.child_by_field_name("left"), depth + 1)
        right = self.ir_value(node.child_by_field_name("right"), depth + 1)
        if op in ("||", "??"):
            return pick([left, right], source)
        volatile = ValueKind.VOLATILE in (left.kind, right.kind) and op in "+-*/"
        if op == "+" and ValueKind.STRING in (left.kind, right.kind) or volatile:
            return concatenation([left, right], source)
        return IRValue(ValueKind.UNKNOWN, source=source)

    def template(self, node: ts.Node, depth: int) -> IRValue:
        literal = self.file.scope.static_string(node)
        if literal is not None:
            return IRValue(ValueKind.STRING, literal)
        parts: list[IRValue | str] = []
        cursor = node.start_byte + 1
        for child in node.named_children:
            if child.type != "template_substitution":
                continue
            parts.append(self._raw(cursor, child.start_byte))
            inner = child.named_children[0] if child.named_child_count else None
            parts.append(self.ir_value(inner, depth + 1))
            cursor = child.end_byte
        parts.append(self._raw(cursor, node.end_byte - 1))
        return concatenation(parts, short(self.file.text(node)))

    def _raw(self, start: int, end: int) -> str:
        return self.file.source.data[start:end].decode("utf-8", "replace")

    def call(self, node: ts.Node, source: str, depth: int) -> IRValue:
        """`Date.now()`, `new Date().getTime()`, `+new Date()`, `String(uuid())`: volatile."""
        if node.type == "unary_expression":
            inner = self.ir_value(node.child_by_field_name("argument"), depth + 1)
            return inner if inner.kind is ValueKind.VOLATILE else IRValue(ValueKind.UNKNOWN)
        if node.type == "new_expression":
            cls = node.child_by_field_name("constructor")
            args = node.child_by_field_name("arguments")
            fresh = cls is not None and self.file.text(cls) == "Date" and (
                args is None or args.named_child_count == 0)
            return IRValue(ValueKind.VOLATILE if fresh else ValueKind.UNKNOWN, source=source)
        fn = node.child_by_field_name("function")
        if fn is None:
            return UNKNOWN_VALUE
        callee = self.file.text(fn)
        if is_volatile_call(callee):
            return IRValue(ValueKind.VOLATILE, source=source)
        arguments = self.file.args(node) or []
        if callee in CONVERSIONS and arguments:
            inner = self.ir_value(arguments[0], depth + 1)
            if inner.kind is ValueKind.VOLATILE:
                return inner
        if fn.type == "member_expression":  # a method of a volatile value: `.toString()`
            receiver = self.ir_value(fn.child_by_field_name("object"), depth + 1)
            if receiver.kind is ValueKind.VOLATILE:
                return IRValue(ValueKind.VOLATILE, source=source)
        return IRValue(ValueKind.UNKNOWN, source=source)


def _is_object_assign(file: JsFile, call: ts.Node) -> bool:
    return file.text(call.child_by_field_name("function") or call) == "Object.assign"
