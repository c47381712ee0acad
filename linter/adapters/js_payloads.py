"""The keys of a JavaScript payload expression, with where each is written.

Object literals, spreads, `Object.assign`, a variable bound to an object and the writes to it
before the call (`attrs.user_id = ...`), and the parameters of an enclosing function that flow
in (which make that function a wrapper).
"""

from __future__ import annotations

import tree_sitter as ts

from uelint.adapters.js_scope import FUNCTIONS, unwrap
from uelint.adapters.js_tree import JsFile
from uelint.adapters.values import Param, PayloadParts, Str
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

    def ir_value(self, node: ts.Node | None) -> IRValue:
        if node is None:
            return UNKNOWN_VALUE
        node = unwrap(node)
        kind = node.type
        if kind in ("string", "template_string"):
            return IRValue(ValueKind.STRING, self.file.scope.static_string(node))
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
        return UNKNOWN_VALUE


def _is_object_assign(file: JsFile, call: ts.Node) -> bool:
    return file.text(call.child_by_field_name("function") or call) == "Object.assign"
