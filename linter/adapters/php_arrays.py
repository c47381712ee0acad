"""The keys of a PHP array that is JSON-encoded into a payload.

`$data['user_id'] = $id; ... window.civchat = {$encoded};` with `$encoded =
json_encode($data)`: the payload's keys are the array's string keys, located where PHP writes
them. Only the enclosing function (or file) is read, as far as the encoding: a key written
by something else (`$data[$k] = ...`, `$data[] = ...`, `array_merge`, a parameter) leaves the
payload incomplete.
"""

from __future__ import annotations

import tree_sitter as ts

from uelint.ir import Entry, Payload, Span, Value, ValueKind
from uelint.source import SourceText

_SCOPES = frozenset({
    "function_definition", "method_declaration", "anonymous_function", "arrow_function",
    "program",
})
_MAX_SOURCE = 40


def encoded(expression: ts.Node, source: SourceText, span: Span) -> Payload | None:
    """The payload that `expression` prints when it is (a variable holding)
    `json_encode($array)`; None when it is anything else."""
    arguments = _json_argument(expression, source)
    if arguments is None:
        return None
    keys = _Keys(source)
    keys.of(arguments, before=expression.start_byte)
    return Payload(tuple(keys.entries), span, keys.complete)


def _json_argument(expression: ts.Node, source: SourceText) -> ts.Node | None:
    node = _unwrapped(expression)
    if node.type == "variable_name":  # `$encoded`, assigned `json_encode(...)` before
        value = _assigned(node, source, node.start_byte)
        if value is None:
            return None
        node = _unwrapped(value)
    if node.type != "function_call_expression":
        return None
    name = node.child_by_field_name("function")
    arguments = node.child_by_field_name("arguments")
    if name is None or _text(name, source).lower() != "json_encode" or arguments is None:
        return None
    first = next((a for a in arguments.named_children if a.type == "argument"), None)
    return first.named_children[0] if first is not None and first.named_child_count else None


def _unwrapped(node: ts.Node) -> ts.Node:
    while node.type == "parenthesized_expression" and node.named_child_count == 1:
        node = node.named_children[0]
    return node


def _text(node: ts.Node, source: SourceText) -> str:
    return source.data[node.start_byte : node.end_byte].decode("utf-8", "replace")


def _scope(node: ts.Node) -> ts.Node:
    scope = node
    while scope.parent is not None and scope.type not in _SCOPES:
        scope = scope.parent
    return scope


def _assignments(variable: ts.Node, source: SourceText, before: int) -> list[ts.Node]:
    """The assignments to `variable` (or to its elements) in its scope, before `before`."""
    name = _text(variable, source)
    found = []
    stack = list(reversed(_scope(variable).named_children))
    while stack:
        node = stack.pop()
        if node.start_byte >= before:
            continue
        if node.type in ("assignment_expression", "augmented_assignment_expression"):
            left = node.child_by_field_name("left")
            target = left
            while target is not None and target.type == "subscript_expression":
                target = target.named_children[0] if target.named_child_count else None
            if target is not None and _text(target, source) == name:
                found.append(node)
        if node.type not in _SCOPES:  # not into nested functions
            stack.extend(reversed(node.named_children))
    return sorted(found, key=lambda n: n.start_byte)


def _assigned(variable: ts.Node, source: SourceText, before: int) -> ts.Node | None:
    """The value last assigned whole to `variable` before `before`."""
    whole = [a for a in _assignments(variable, source, before)
             if a.type == "assignment_expression"
             and (left := a.child_by_field_name("left")) is not None
             and left.type == "variable_name"]
    return whole[-1].child_by_field_name("right") if whole else None


class _Keys:
    def __init__(self, source: SourceText) -> None:
        self.source = source
        self.entries: list[Entry] = []
        self.complete = True

    def of(self, array: ts.Node, before: int) -> None:
        array = _unwrapped(array)
        if array.type == "array_creation_expression":
            self.literal(array)
        elif array.type == "variable_name":
            self.variable(array, before)
        else:
            self.complete = False

    def variable(self, variable: ts.Node, before: int) -> None:
        writes = _assignments(variable, self.source, before)
        starts = [w for w in writes if (left := w.child_by_field_name("left")) is not None
                  and left.type == "variable_name"]
        if not starts:
            self.complete = False  # a parameter, a property: keys from elsewhere
        else:
            writes = [w for w in writes if w.start_byte >= starts[-1].start_byte]
        for write in writes:
            left, right = write.child_by_field_name("left"), write.child_by_field_name("right")
            if left is None or right is None or write.type != "assignment_expression":
                self.complete = False
            elif left.type == "variable_name":
                self.of(right, write.start_byte)
            else:
                self.element(left, right)

    def element(self, left: ts.Node, value: ts.Node) -> None:
        """`$data['key'] = value` (deeper writes, `$data['a']['b']`, add no key)."""
        if left.named_child_count != 2 or left.named_children[0].type != "variable_name":
            return
        key = left.named_children[1]
        self.entry(key, value)

    def literal(self, array: ts.Node) -> None:
        for element in array.named_children:
            if element.type != "array_element_initializer":
                continue
            parts = element.named_children
            if len(parts) == 2 and element.child_count >= 3:  # key => value
                self.entry(parts[0], parts[1])
            else:  # a list element or a spread: not a key
                self.complete = False

    def entry(self, key: ts.Node, value: ts.Node) -> None:
        name = _string(key, self.source)
        if name is None:
            self.complete = False
            return
        span = self.source.span(key.start_byte, key.end_byte)  # quotes included, as in JS
        self.entries.append(Entry(name, span, _value(value, self.source), "php-array"))


def _string(node: ts.Node, source: SourceText) -> str | None:
    """A PHP string literal's value, when it has no escapes nor interpolation."""
    if node.type not in ("string", "encapsed_string"):
        return None
    inner = node.named_children
    if any(c.type != "string_content" for c in inner):
        return None
    return "".join(_text(c, source) for c in inner)


def _value(node: ts.Node, source: SourceText) -> Value:
    node = _unwrapped(node)
    kind = node.type
    literal = _string(node, source)
    if literal is not None:
        return Value(ValueKind.STRING, literal)
    text = _text(node, source)
    if kind == "integer":
        try:
            return Value(ValueKind.NUMBER, int(text.replace("_", ""), 0))
        except ValueError:
            return Value(ValueKind.NUMBER)
    if kind == "float":
        return Value(ValueKind.NUMBER)
    if kind == "boolean":
        return Value(ValueKind.BOOL, text.lower() == "true")
    if kind == "null":
        return Value(ValueKind.NULL)
    if kind == "array_creation_expression":
        return Value(ValueKind.OBJECT)
    short = text if len(text) <= _MAX_SOURCE else text[: _MAX_SOURCE - 1] + "…"
    return Value(ValueKind.UNKNOWN, source=short)
