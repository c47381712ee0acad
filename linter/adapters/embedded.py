"""JavaScript inside string literals: the snippets that code injects into pages.

Gatsby and Next.js put tracking snippets in template literals (`<Script>{`...`}</Script>`,
`dangerouslySetInnerHTML={{ __html: `...` }}`); older code passes strings to
`document.write`, `new Function` or a script element's `text`; Python apps hand them to the
browser (`ui.run_javascript("...")`, `driver.execute_script(...)`, `Markup("<script>...")`).
The JavaScript and Python adapters call in here; a literal that holds a trigger word where
code runs is decoded and read by `literals`, imported only then, so that a run without such
literals pays nothing for them.
"""

from __future__ import annotations

from collections.abc import Callable

import tree_sitter as ts

from uelint import prefilter
from uelint.ir import Handler, Span, TrackingCall
from uelint.source import SourceText, find_all

# Where a plain JavaScript string is code (a template literal counts anywhere).
_JS_SINK_CALLS = frozenset({
    "write", "writeln", "Function", "addScript", "eval", "setTimeout", "setInterval",
})
_JS_SINK_KEYS = frozenset({"__html"})  # dangerouslySetInnerHTML={{ __html: "..." }}
_JS_SCRIPT_TEXT = frozenset({"text", "textContent", "innerHTML", "innerText"})  # s.text = "..."
_JS_SCRIPT_ELEMENTS = frozenset({"Script", "script"})  # Next.js <Script>{"..."}</Script>

# The Python calls whose first argument runs in (or is inserted into) a page.
PYTHON_SINKS = frozenset({
    "run_javascript", "execute_script", "execute_async_script", "call_script", "evaluate",
    "Markup", "mark_safe", "format_html", "HTML", "Javascript",
})


def in_js_strings(
    root: ts.Node,
    source: SourceText,
    path: str,
    handlers: Callable[[ts.Node], tuple[Handler, ...]],
) -> tuple[TrackingCall, ...]:
    """Tracking calls inside the string literals of a parsed JavaScript file: those passed
    where code runs, and template literals anywhere that parse as code. `handlers` gives the
    handlers that enclose a node (the adapter's own)."""
    found: dict[int, tuple[ts.Node, bool]] = {}  # literal id → (literal, in a sink)
    for start, end in find_all(source.data, prefilter.TRIGGERS):
        node = root.descendant_for_byte_range(start, end)
        literal = node.parent if node is not None and node.type == "string_fragment" else None
        if literal is None or literal.id in found:
            continue
        sink = _in_sink(literal, source)
        if sink or literal.type == "template_string":
            found[literal.id] = (literal, sink)
    if not found:
        return ()
    from uelint.adapters import literals

    calls: list[TrackingCall] = []
    for literal, sink in found.values():
        text = literals.js_literal(literal, source)
        calls += literals.calls_in(text, path, handlers(literal), run=sink)
    return tuple(calls)


def in_python_string(
    source: SourceText, span: Span, handlers: tuple[Handler, ...], path: str
) -> tuple[TrackingCall, ...]:
    """Tracking calls inside the Python string literal at `span` (the first argument of a
    call named in PYTHON_SINKS); () when it is not a literal (a name, a call, bytes)."""
    if not prefilter.is_candidate(source.data[span.start_byte : span.end_byte]):
        return ()
    from uelint.adapters import literals

    text = literals.python_literal(source, span.start_byte, span.end_byte)
    return literals.calls_in(text, path, handlers, run=True) if text is not None else ()


def _in_sink(literal: ts.Node, source: SourceText) -> bool:
    """Is this plain string literal run as code where it stands?"""
    parent = literal.parent
    while parent is not None and parent.type == "parenthesized_expression":
        parent = parent.parent
    if parent is None:
        return False

    def text(node: ts.Node | None) -> str:
        if node is None:
            return ""
        return source.data[node.start_byte : node.end_byte].decode("utf-8", "replace")

    if parent.type == "pair":
        return text(parent.child_by_field_name("key")).strip("\"'") in _JS_SINK_KEYS
    if parent.type == "arguments" and parent.parent is not None:
        call = parent.parent
        callee = call.child_by_field_name("function") or call.child_by_field_name("constructor")
        return text(callee).rsplit(".", 1)[-1] in _JS_SINK_CALLS
    if parent.type == "assignment_expression":
        left = parent.child_by_field_name("left")
        prop = left.child_by_field_name("property") if left is not None else None
        return text(prop) in _JS_SCRIPT_TEXT
    if parent.type == "jsx_expression" and parent.parent is not None:
        opening = parent.parent.child_by_field_name("open_tag")
        return text(opening.child_by_field_name("name") if opening else None) in _JS_SCRIPT_ELEMENTS
    return False
