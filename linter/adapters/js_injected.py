"""Scripts injected as strings: JavaScript that code builds as a string and adds to a page.

Gatsby and Next.js put tracking snippets in template literals (`<Script>{`...`}</Script>`,
`dangerouslySetInnerHTML={{ __html: `...` }}`); plugins and older code pass strings to
`document.write`, `eval` or a script element's `text`, or add markup with a `<script>` to the
page: `jQuery("body").append('<script>...</script>')`, `$(el).html(...)`,
`el.insertAdjacentHTML("beforeend", ...)`. Such strings are often joined with `+` from
literals and other values (`'... {user_id: ' + id + '} ...'`): the literals' text is read with
escapes decoded, every other operand is masked as an unknown value of its own length (a key
or a method name made of one is unknown), and every location maps back to the original file.

A template literal anywhere is read too, when its text parses as code. A string that only
mentions the API (a message, a log line) is not code, and markup added to a page runs only
its `<script>` elements. Only literals holding a trigger word are looked at, so a file
without such strings pays nothing for this.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum
from typing import TYPE_CHECKING

import tree_sitter as ts

from uelint import prefilter
from uelint.ir import Handler, TrackingCall
from uelint.source import SourceText, find_all

if TYPE_CHECKING:  # regions imports the JavaScript adapter, which imports this module
    from uelint.adapters.regions import Placeholder


class Sink(Enum):
    CODE = "code"  # the string runs as JavaScript (or, holding a `<script>`, as a page)
    MARKUP = "markup"  # the string is added to a page: only its `<script>` elements run
    NONE = "none"  # a template literal in no sink: read only if it parses as code


# Calls whose string arguments run as code: `eval(s)`, `new Function(s)`, `setTimeout(s)`.
_CODE_CALLS = frozenset({
    "write", "writeln", "Function", "addScript", "eval", "setTimeout", "setInterval",
})
# Calls that add markup to a page: jQuery's, and the DOM's `insertAdjacentHTML`.
_MARKUP_CALLS = frozenset({
    "append", "prepend", "html", "after", "before", "replaceWith", "replaceAll", "wrap",
    "insertAdjacentHTML", "$", "jQuery", "parseHTML",
})
_CODE_KEYS = frozenset({"__html"})  # dangerouslySetInnerHTML={{ __html: "..." }}
# `s.text = "..."` on a script element (`innerHTML` of one too: markup elsewhere, where a
# `<script>` in it is read as a page's).
_CODE_MEMBERS = frozenset({"text", "textContent", "innerHTML", "innerText"})
_MARKUP_MEMBERS = frozenset({"outerHTML"})
_SCRIPT_ELEMENTS = frozenset({"Script", "script"})  # Next.js <Script>{"..."}</Script>
_STRINGS = frozenset({"string", "template_string"})


def calls_in_strings(
    root: ts.Node, source: SourceText, path: str,
    handlers: Callable[[ts.Node], tuple[Handler, ...]],
) -> tuple[TrackingCall, ...]:
    """Tracking calls inside the strings of a parsed JavaScript file that are run or added
    to a page, and in template literals anywhere that parse as code. `handlers` gives the
    handlers that enclose a node (the adapter's own)."""
    # the first piece's id → (the pieces of one string, its sink)
    found: dict[int, tuple[list[ts.Node], Sink]] = {}
    for start, end in find_all(source.data, prefilter.TRIGGERS):
        node = root.descendant_for_byte_range(start, end)
        literal = node.parent if node is not None and node.type == "string_fragment" else None
        if literal is None or literal.type not in _STRINGS:
            continue
        whole = joined(literal)
        pieces = _built(whole, source) or [whole]
        if pieces[0].id in found:
            continue
        sink = sink_of(whole, source)
        if sink is Sink.NONE:
            sink = _passed_on(whole, root, source)
        if sink is not Sink.NONE or whole.type == "template_string":
            found[pieces[0].id] = (pieces, sink)
    if not found:
        return ()
    from uelint.adapters import literals

    calls: list[TrackingCall] = []
    for pieces, sink in found.values():
        text, holes = assemble(pieces, source)
        if sink is Sink.MARKUP and not literals.SCRIPT_TAG.search(text.data):
            continue  # markup without a script: text and elements, nothing runs
        calls += literals.calls_in(text, path, handlers(pieces[0]), run=sink is not Sink.NONE,
                                   placeholders=holes)
    return tuple(calls)


def _built(whole: ts.Node, source: SourceText) -> list[ts.Node]:
    """The right-hand sides of the statements of one block that build one variable around
    the one `whole` is assigned by: `var html = '<script>'; ...; html += 'userengage(' + ...;
    html += '</script>';`, from the declaration or `=` that starts it through every `+=` up
    to the next `=` (other statements may come between); [] when `whole` is not assigned."""
    statement = whole.parent.parent if whole.parent is not None else None
    target = _target(statement, source)
    if statement is None or target is None or _value(statement) != whole:
        return []
    name, first = target[0], statement
    previous = first.prev_named_sibling
    while target[1] and previous is not None:  # back to the `=` that starts the run
        target = _target(previous, source) or ("", True)
        if target[0] == name:
            first = previous
        previous = previous.prev_named_sibling
    run = [first]
    following = first.next_named_sibling
    while following is not None:
        target = _target(following, source)
        if target is not None and target[0] == name:
            if not target[1]:
                break
            run.append(following)
        following = following.next_named_sibling
    return [value for statement in run if (value := _value(statement)) is not None]


def _target(statement: ts.Node | None, source: SourceText) -> tuple[str, bool] | None:
    """(variable, appends) of `var v = ...;`, `v = ...;` or `v += ...;`; else None."""
    if statement is None:
        return None
    if statement.type in ("lexical_declaration", "variable_declaration"):
        declarators = [c for c in statement.named_children if c.type == "variable_declarator"]
        name = declarators[0].child_by_field_name("name") if len(declarators) == 1 else None
        appends = False
    elif statement.type == "expression_statement" and statement.named_child_count:
        expression = statement.named_children[0]
        if expression.type not in ("assignment_expression", "augmented_assignment_expression"):
            return None
        appends = expression.type == "augmented_assignment_expression"
        if appends and _operator(expression) != "+=":
            return None
        name = expression.child_by_field_name("left")
    else:
        return None
    if name is None or name.type != "identifier":
        return None
    return source.data[name.start_byte : name.end_byte].decode("utf-8", "replace"), appends


def _value(statement: ts.Node) -> ts.Node | None:
    """The right-hand side of a statement that `_target` reads."""
    assigned = statement.named_children[0] if statement.named_child_count else None
    if assigned is None:
        return None
    side = assigned.child_by_field_name("value" if assigned.type == "variable_declarator"
                                        else "right")
    while side is not None and side.type == "parenthesized_expression" and \
            side.named_child_count == 1:
        side = side.named_children[0]
    return side


def joined(literal: ts.Node) -> ts.Node:
    """The whole string expression a literal is part of: `'<script>' + x + '</script>'`."""
    node = literal
    while node.parent is not None and (
        node.parent.type == "parenthesized_expression"
        or node.parent.type == "binary_expression" and _operator(node.parent) == "+"
    ):
        node = node.parent
    while node.type == "parenthesized_expression" and node.named_child_count == 1:
        node = node.named_children[0]
    return node


def assemble(
    pieces: list[ts.Node], source: SourceText
) -> tuple[SourceText, tuple[Placeholder, ...]]:
    """The text string expressions build, one after the other: their literals decoded,
    `${...}` and every other operand masked as an unknown value of its own length; and where
    those unknowns are."""
    from uelint.adapters.regions import Placeholder, Rebuilt
    from uelint.adapters.templates import placeholder

    rebuilt = Rebuilt()
    holes: list[Placeholder] = []
    data = source.data

    def unknown(node: ts.Node) -> None:
        masked = placeholder(data[node.start_byte : node.end_byte])
        rebuilt.add(masked, node.start_byte)
        holes.append(Placeholder(node.start_byte, node.end_byte,
                                 masked.split(b"\n")[0].decode("ascii")))

    def add(node: ts.Node) -> None:
        if node.type == "parenthesized_expression" and node.named_child_count == 1:
            add(node.named_children[0])
        elif node.type == "binary_expression" and _operator(node) == "+":
            for side in ("left", "right"):
                operand = node.child_by_field_name(side)
                if operand is not None:
                    add(operand)
        elif node.type in _STRINGS:
            for part in node.named_children:
                if part.type == "template_substitution":
                    unknown(part)
                elif part.type == "escape_sequence":
                    rebuilt.add(_escape(data[part.start_byte : part.end_byte]), part.start_byte)
                else:
                    rebuilt.add(data[part.start_byte : part.end_byte], part.start_byte)
        else:
            unknown(node)

    for piece in pieces:
        add(piece)
    return rebuilt.text(source, pieces[-1].end_byte), tuple(holes)


def sink_of(whole: ts.Node, source: SourceText) -> Sink:
    """Where a string expression goes: run as code, added to a page as markup, or neither."""
    parent = whole.parent
    if parent is None:
        return Sink.NONE

    def text(node: ts.Node | None) -> str:
        if node is None:
            return ""
        return source.data[node.start_byte : node.end_byte].decode("utf-8", "replace")

    if parent.type == "pair" and parent.child_by_field_name("value") == whole:
        return Sink.CODE if text(parent.child_by_field_name("key")).strip("\"'") in _CODE_KEYS \
            else Sink.NONE
    if parent.type == "arguments" and parent.parent is not None:
        call = parent.parent
        callee = call.child_by_field_name("function") or call.child_by_field_name("constructor")
        name = text(callee).rsplit(".", 1)[-1].strip()
        if name in _CODE_CALLS:
            return Sink.CODE
        return Sink.MARKUP if name in _MARKUP_CALLS else Sink.NONE
    if parent.type in ("assignment_expression", "augmented_assignment_expression") and \
            parent.child_by_field_name("right") == whole:
        left = parent.child_by_field_name("left")
        prop = text(left.child_by_field_name("property") if left is not None else None)
        if prop in _CODE_MEMBERS:
            return Sink.CODE
        return Sink.MARKUP if prop in _MARKUP_MEMBERS else Sink.NONE
    if parent.type == "jsx_expression" and parent.parent is not None:
        opening = parent.parent.child_by_field_name("open_tag")
        element = text(opening.child_by_field_name("name") if opening else None)
        return Sink.CODE if element in _SCRIPT_ELEMENTS else Sink.NONE
    return Sink.NONE


def _passed_on(whole: ts.Node, root: ts.Node, source: SourceText) -> Sink:
    """Where a string held in a variable goes: `var code = '<script>...' + key + '...';
    ...; jQuery("body").append(code)` (the variable passed to a sink anywhere in the file)."""
    parent = whole.parent
    if parent is None:
        return Sink.NONE
    if parent.type == "variable_declarator" and parent.child_by_field_name("value") == whole:
        target = parent.child_by_field_name("name")
    elif parent.type in ("assignment_expression", "augmented_assignment_expression") and \
            parent.child_by_field_name("right") == whole:
        target = parent.child_by_field_name("left")
    else:
        return Sink.NONE
    if target is None or target.type != "identifier":
        return Sink.NONE
    name = source.data[target.start_byte : target.end_byte]
    for start, end in find_all(source.data, (name,)):
        use = root.descendant_for_byte_range(start, end)
        if use is not None and use.type == "identifier" and use.end_byte - use.start_byte == \
                len(name):
            sink = sink_of(use, source)
            if sink is not Sink.NONE:
                return sink
    return Sink.NONE


def _operator(node: ts.Node) -> str:
    operator = node.child_by_field_name("operator")
    return operator.type if operator is not None else ""


def _escape(escape: bytes) -> bytes:
    from uelint.adapters.js_scope import decode_js_string

    try:
        return decode_js_string(escape.decode("utf-8", "replace")).encode("utf-8", "replace")
    except ValueError:  # a code point out of range: `\u{110000}`
        return b"?"
