"""The JavaScript that PHP code emits from strings, reassembled with a map back to the file.

User.com's plugins write their tracking code from PHP: heredocs and nowdocs with `{$var}`
interpolations, quoted strings joined with `.`, `$out .= ...` runs later echoed, `printf` /
`sprintf` formats. One *unit* is what is emitted together: a `.` chain, an `echo`'s
arguments, a format call, or consecutive statements that build one variable (`$out = ...;
$out .= ...;`). Its string pieces are decoded (escapes) and its other pieces (variables,
calls, interpolations, `%s`) become `Hole`s: unknown values of the same length, as template
tags are masked. Nothing here runs PHP: tree-sitter-php parses it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import tree_sitter as ts
import tree_sitter_php

from uelint.adapters import per_thread
from uelint.adapters.regions import Placeholder, Rebuilt
from uelint.adapters.templates import placeholder
from uelint.source import SourceText

STRINGS = frozenset({"string", "encapsed_string", "heredoc", "nowdoc"})
_CONTENT = frozenset({"string_content", "nowdoc_string", "string_value"})
_BODIES = frozenset({"heredoc_body", "nowdoc_body"})
_FORMATS = frozenset({"printf", "sprintf"})
_ASSIGNMENTS = frozenset({"assignment_expression", "augmented_assignment_expression"})
# printf's conversions (`%s`, `%05.2f`, `%'*10s`); `%%` is a literal percent sign.
_CONVERSION = re.compile(rb"%(?:%|[-+ 0]*(?:'.)?\d*(?:\.\d+)?[bcdeEfFgGosuxX])")
_SIMPLE_ESCAPES = {
    b"n": b"\n", b"t": b"\t", b"r": b"\r", b"v": b"\v", b"e": b"\x1b", b"f": b"\f",
    b"\\": b"\\", b"$": b"$", b'"': b'"',
}


@per_thread
def parser() -> ts.Parser:
    return ts.Parser(ts.Language(tree_sitter_php.language_php()))


@dataclass(frozen=True, slots=True)
class Hole:
    """A piece of the emitted text that PHP computes: unknown, masked by its own length."""

    start: int  # in the PHP file
    end: int
    text: str  # what stands for it in the reassembled JavaScript
    expression: ts.Node | None  # the PHP expression it prints, when there is one


@dataclass(frozen=True, slots=True)
class Unit:
    text: SourceText  # the emitted text, its positions those of the PHP file
    holes: tuple[Hole, ...]
    # The function or method it is passed to, when it is an argument (`wp_add_inline_script`).
    argument_of: str | None = None

    @property
    def placeholders(self) -> tuple[Placeholder, ...]:
        return tuple(Placeholder(h.start, h.end, h.text) for h in self.holes)


def units(root: ts.Node, source: SourceText, words: list[tuple[int, int]]) -> Iterator[Unit]:
    """The units that hold one of `words` (byte ranges) in a string piece."""
    seen: set[int] = set()
    for start, end in words:
        node = root.descendant_for_byte_range(start, end)
        while node is not None and node.type not in STRINGS:
            node = node.parent if node.type in _CONTENT or node.type in _BODIES else None
        if node is None:
            continue
        parts = _unit_of(node)
        if parts[0].id not in seen:
            seen.add(parts[0].id)
            yield _Builder(source).unit(parts, _receiver(parts[0]))


def _unit_of(string: ts.Node) -> list[ts.Node]:
    """The expressions emitted with `string`, in order."""
    top = string
    while top.parent is not None and (
        top.parent.type == "parenthesized_expression" or _is_concatenation(top.parent)
    ):
        top = top.parent
    parent = top.parent
    if parent is None:
        return [top]
    if parent.type == "echo_statement":
        return [c for c in parent.named_children if c.type != "comment"]
    if parent.type == "argument" and parent.parent is not None:
        call = parent.parent.parent
        if call is not None and _function_name(call) in _FORMATS:
            first = parent.parent.named_children[0]
            return [call] if first == parent else [top]
    if parent.type in _ASSIGNMENTS and parent.child_by_field_name("right") == top:
        return _built_variable(parent) or [top]
    return [top]


def _receiver(expression: ts.Node) -> str | None:
    """The name of the function or method that `expression` is an argument of."""
    argument = expression.parent
    call = argument.parent.parent if argument and argument.parent else None
    if argument is None or argument.type != "argument" or call is None:
        return None
    name = call.child_by_field_name("function") or call.child_by_field_name("name")
    return name.text.decode("utf-8", "replace") if name is not None and name.text else None


def _is_concatenation(node: ts.Node) -> bool:
    operator = node.child_by_field_name("operator")
    return node.type == "binary_expression" and operator is not None and operator.type == "."


def _function_name(call: ts.Node) -> str | None:
    if call.type != "function_call_expression":
        return None
    name = call.child_by_field_name("function")
    return name.text.decode("utf-8", "replace").lower() if name and name.text else None


def _target(statement: ts.Node | None) -> tuple[str, bool] | None:
    """(variable, appends) of `$v = ...;` / `$v .= ...;`, else None."""
    if statement is None or statement.type != "expression_statement":
        return None
    expr = statement.named_children[0] if statement.named_child_count else None
    if expr is None or expr.type not in _ASSIGNMENTS:
        return None
    left, operator = expr.child_by_field_name("left"), expr.child_by_field_name("operator")
    appends = expr.type == "augmented_assignment_expression"
    if left is None or left.text is None or appends and (operator is None or operator.type != ".="):
        return None
    return left.text.decode("utf-8", "replace"), appends


def _built_variable(assignment: ts.Node) -> list[ts.Node]:
    """The right-hand sides of the statements of one block that build one variable around
    `assignment`: from the `=` that starts it through every `.=` up to the next `=`
    (other statements may come between: a loop that builds a piece)."""
    statement = assignment.parent
    target = _target(statement)
    if statement is None or target is None:
        return []
    name = target[0]
    first = statement
    previous = _sibling(first, forward=False)
    while target[1] and previous is not None:  # back to the `=` that starts the run
        target = _target(previous) or ("", True)
        if target[0] == name:
            first = previous
        previous = _sibling(previous, forward=False)
    run = [first]
    following = _sibling(first, forward=True)
    while following is not None:
        target = _target(following)
        if target is not None and target[0] == name:
            if not target[1]:
                break
            run.append(following)
        following = _sibling(following, forward=True)
    return [rhs for s in run if (rhs := s.named_children[0].child_by_field_name("right"))]


def _sibling(node: ts.Node, forward: bool) -> ts.Node | None:
    sibling = node.next_named_sibling if forward else node.prev_named_sibling
    while sibling is not None and sibling.type == "comment":
        sibling = sibling.next_named_sibling if forward else sibling.prev_named_sibling
    return sibling


class _Builder:
    def __init__(self, source: SourceText) -> None:
        self.source = source
        self.rebuilt = Rebuilt()
        self.holes: list[Hole] = []
        self.end = 0

    def unit(self, parts: list[ts.Node], argument_of: str | None) -> Unit:
        for part in parts:
            self.expression(part)
        return Unit(self.rebuilt.text(self.source, self.end), tuple(self.holes), argument_of)

    def expression(self, node: ts.Node) -> None:
        if node.type == "parenthesized_expression" and node.named_child_count == 1:
            self.expression(node.named_children[0])
        elif _is_concatenation(node):
            left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
            for side in (left, right):
                if side is not None:
                    self.expression(side)
        elif node.type in STRINGS:
            self.string(node)
        elif _function_name(node) in _FORMATS:
            self.formatted(node)
        else:
            self.hole(node.start_byte, node.end_byte, node)

    def add(self, text: bytes, origin: int, end: int) -> None:
        self.rebuilt.add(text, origin)
        self.end = max(self.end, end)

    def hole(self, start: int, end: int, expression: ts.Node | None) -> None:
        text = placeholder(self.source.data[start:end])
        self.holes.append(Hole(start, end, text.split(b"\n")[0].decode("ascii"), expression))
        self.add(text, start, end)

    def formatted(self, call: ts.Node) -> None:
        """`sprintf("userengage('%s', %s)", $a, json_encode($b))`: each conversion a hole
        that prints the matching argument."""
        arguments = call.child_by_field_name("arguments")
        args = [a.named_children[0] for a in arguments.named_children
                if a.type == "argument" and a.named_child_count] if arguments else []
        if not args or args[0].type not in STRINGS:
            self.hole(call.start_byte, call.end_byte, call)
            return
        self.string(args[0], iter(args[1:]))

    def string(self, node: ts.Node, arguments: Iterator[ts.Node] | None = None) -> None:
        data = self.source.data
        body = node
        if node.type in ("heredoc", "nowdoc"):
            body = next((c for c in node.named_children if c.type.endswith("_body")), node)
            if body is node:
                return  # an empty heredoc
            low, high = body.start_byte, body.end_byte
        else:
            low, high = node.children[0].end_byte, node.children[-1].start_byte
        quote = b"'" if node.type == "string" else b'"'
        pos = low
        interpolation: int | None = None  # where a run of interpolated pieces began
        printed: ts.Node | None = None  # the expression it prints: `{$data}` → `$data`
        for child in body.children:
            if child.end_byte <= low or child.start_byte >= high:
                continue
            kind = child.type
            literal = kind in _CONTENT or kind == "escape_sequence"
            if literal and interpolation is not None:
                self.hole(interpolation, child.start_byte, printed)
                interpolation = printed = None
            elif not literal:
                if interpolation is None:
                    self.verbatim(pos, child.start_byte, arguments)
                    interpolation = child.start_byte
                printed = printed or (child if child.is_named else None)
                pos = child.end_byte
                continue
            self.verbatim(pos, child.start_byte, arguments)
            chunk = data[child.start_byte : child.end_byte]
            if kind == "escape_sequence":
                self.add(_unescaped(chunk, quote), child.start_byte, child.end_byte)
            else:
                self.verbatim(child.start_byte, child.end_byte, arguments)
            pos = child.end_byte
        if interpolation is not None:
            self.hole(interpolation, pos, printed)
        self.verbatim(pos, high, arguments)

    def verbatim(self, start: int, end: int, arguments: Iterator[ts.Node] | None) -> None:
        if start >= end:
            return
        data = self.source.data
        if arguments is None:
            self.add(data[start:end], start, end)
            return
        pos = start
        for match in _CONVERSION.finditer(data, start, end):
            self.add(data[pos : match.start()], pos, match.start())
            if match.group() == b"%%":
                self.add(b"%", match.start(), match.end())
            else:
                self.hole(match.start(), match.end(), next(arguments, None))
            pos = match.end()
        self.add(data[pos:end], pos, end)


def _unescaped(escape: bytes, quote: bytes) -> bytes:
    """A PHP escape sequence's value (`\\'` in single quotes; the rest in double quotes)."""
    letter = escape[1:2]
    if quote == b"'":
        return escape[1:] if letter in (b"'", b"\\") else escape
    if letter in _SIMPLE_ESCAPES:
        return _SIMPLE_ESCAPES[letter]
    try:
        if letter == b"x":
            return chr(int(escape[2:], 16)).encode("utf-8")
        if letter == b"u":
            return chr(int(escape[3:-1], 16)).encode("utf-8")
        if letter.isdigit():
            return chr(int(escape[1:], 8) & 0xFF).encode("utf-8")
    except ValueError:  # out of range
        return b"?"
    return escape
