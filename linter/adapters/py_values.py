"""What a Python expression shows of an attribute's value (the IR's `Value`), in step with
`js_payloads.Payloads.ir_value`: literals (also through constants), picks (`a if c else b`,
`a or b`), the shape of a string built from parts, volatile calls, where a value is read from.
"""

from __future__ import annotations

from collections.abc import Callable

import libcst as cst

from uelint.adapters.py_collect import PROXIES, chain, static_str, unconverted
from uelint.adapters.values import CONVERSIONS, concatenation, is_volatile_call, pick
from uelint.ir import UNKNOWN, Value, ValueKind

STRINGS = (cst.SimpleString, cst.ConcatenatedString, cst.FormattedString)
_MAX_DEPTH = 4
_MAX_SOURCE = 60


def ir_value(
    node: cst.BaseExpression, constant: Callable[[cst.BaseExpression], str | None],
    depth: int = 0,
) -> Value:
    """`constant(name)`: the string constant a name or attribute is bound to, if any."""
    node = unconverted(node)
    if depth > _MAX_DEPTH:
        return UNKNOWN
    if isinstance(node, cst.SimpleString) and "b" in node.prefix.lower():
        return UNKNOWN  # bytes
    if isinstance(node, cst.FormattedString):
        return _formatted(node, constant, depth)
    if isinstance(node, STRINGS):
        return Value(ValueKind.STRING, static_str(node))
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
    if isinstance(node, cst.Name) and node.value in ("True", "False", "None"):
        if node.value == "None":
            return Value(ValueKind.NULL)
        return Value(ValueKind.BOOL, node.value == "True")
    if isinstance(node, (cst.Dict, cst.DictComp)):
        return Value(ValueKind.OBJECT)
    if isinstance(node, (cst.List, cst.Tuple, cst.ListComp)):
        return Value(ValueKind.ARRAY)
    if isinstance(node, cst.Lambda):
        return Value(ValueKind.FUNCTION)
    source = _source(node)
    if isinstance(node, cst.Attribute) and ir_value(
        node.value, constant, depth + 1
    ).kind is ValueKind.VOLATILE:  # `uuid.uuid4().hex`
        return Value(ValueKind.VOLATILE, source=source)
    if isinstance(node, (cst.Name, cst.Attribute, cst.Subscript)):
        found = constant(node)
        if found is not None:
            return Value(ValueKind.STRING, found)
        return Value(ValueKind.UNKNOWN, source=source)
    if isinstance(node, cst.IfExp):
        return pick([ir_value(node.body, constant, depth + 1),
                     ir_value(node.orelse, constant, depth + 1)], source)
    if isinstance(node, cst.BooleanOperation) and isinstance(node.operator, cst.Or):
        return pick([ir_value(node.left, constant, depth + 1),
                     ir_value(node.right, constant, depth + 1)], source)
    if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.Add):
        left = ir_value(node.left, constant, depth + 1)
        right = ir_value(node.right, constant, depth + 1)
        if ValueKind.STRING in (left.kind, right.kind) or ValueKind.VOLATILE in (
            left.kind, right.kind
        ):
            return concatenation([left, right], source)
    if isinstance(node, cst.Call):
        return _call(node, constant, source, depth)
    return Value(ValueKind.UNKNOWN, source=source)


def _call(
    node: cst.Call, constant: Callable[[cst.BaseExpression], str | None], source: str | None,
    depth: int,
) -> Value:
    name = chain(node.func)
    dotted = ".".join(name) if name else None
    if dotted == "dict":
        return Value(ValueKind.OBJECT)
    if name and name[-1] in PROXIES:
        return Value(ValueKind.FUNCTION)
    if dotted is not None and is_volatile_call(dotted):
        return Value(ValueKind.VOLATILE, source=source)
    if dotted in CONVERSIONS and node.args:
        inner = ir_value(node.args[0].value, constant, depth + 1)
        if inner.kind is ValueKind.VOLATILE:
            return inner
    if isinstance(node.func, cst.Attribute):  # a method of a volatile value: `.hex`
        receiver = ir_value(node.func.value, constant, depth + 1)
        if receiver.kind is ValueKind.VOLATILE:
            return Value(ValueKind.VOLATILE, source=source)
    return Value(ValueKind.UNKNOWN, source=source)


def _formatted(
    node: cst.FormattedString, constant: Callable[[cst.BaseExpression], str | None], depth: int
) -> Value:
    parts: list[Value | str] = []
    for part in node.parts:
        if isinstance(part, cst.FormattedStringText):
            parts.append(part.value.replace("{{", "{").replace("}}", "}"))
        elif isinstance(part, cst.FormattedStringExpression):
            parts.append(ir_value(part.expression, constant, depth + 1))
    return concatenation(parts, _source(node))


def _source(node: cst.BaseExpression) -> str | None:
    try:
        text = " ".join(cst.Module([]).code_for_node(node).split())
    except Exception:  # noqa: BLE001 - a node libcst cannot print: no source to show
        return None
    return text if len(text) <= _MAX_SOURCE else text[: _MAX_SOURCE - 1] + "…"


def _number(node: cst.Integer | cst.Float) -> int | float | None:
    try:
        value = node.evaluated_value
    except (ValueError, SyntaxError):
        return None
    return value if isinstance(value, (int, float)) else None
