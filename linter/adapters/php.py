"""The adapter for PHP files (`.php`, `.phtml`): the page they print, and the JavaScript
their strings emit.

Two readings of one file. The markup between PHP tags is a page: `html` reads its scripts
with every tag masked (`templates`). The PHP code is parsed by tree-sitter-php, and each
string that holds a trigger word is reassembled with what is emitted with it (`php_strings`)
and read as a page fragment (when it holds a `<script>`) or as JavaScript; such text is a
fragment of a page, so its syntax errors are never reported; text that does not parse
(prose that mentions `userengage(...)`), or that is passed to a function other than a
script sink (a log message), is not code. Where a payload is
`json_encode($array)`, the array's keys are the payload's (`php_arrays`). Locations are those
of the PHP file, in lines and UTF-16 columns.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace

import tree_sitter as ts

from uelint import languages, prefilter
from uelint.adapters import (
    AdapterResult,
    ParseBudgetExceeded,
    first_error,
    html,
    parse_bounded,
    php_arrays,
    php_strings,
    regions,
    syntax_error,
    unclosed,
)
from uelint.diagnostic import FileError
from uelint.ir import Span, TrackingCall
from uelint.source import SourceText, find_all
from uelint.wrappers import Linker

_SCRIPT_TAG = re.compile(rb"<script\b", re.IGNORECASE)
_JSON_ENCODE = (b"json_encode",)
# Functions that put their string argument in a page as a script: `wp_add_inline_script`,
# Drupal's `drupal_add_js`, PrestaShop's `addJS`, Joomla's `addScriptDeclaration`.
_SCRIPT_SINK = re.compile(r"script|js", re.IGNORECASE)
# A payload written by PHP: the JSON-encoded expressions of a unit or of the markup.
_Encoded = tuple[int, int, ts.Node]


def extract(
    source: SourceText, path: str, language: str, linker: Linker | None = None
) -> AdapterResult:
    try:
        root = parse_bounded(php_strings.parser(), source.data).root_node
    except ParseBudgetExceeded as exc:
        page = html.extract(source, path, language, linker)
        error = FileError(path, "parse", f"PHP: {exc}; its strings were not checked")
        return AdapterResult(page.calls, (*page.errors, error))
    words = [w for w in find_all(source.data, prefilter.TRIGGERS)]
    page = _EMPTY
    if linker is not None or any(_in_markup(root, w) for w in words):
        page = html.extract(source, path, language, linker)
    calls = [_with_json(c, source, _printed_json(root, source, c.span)) for c in page.calls]
    for unit in php_strings.units(root, source, words):
        encoded = [(h.start, h.end, h.expression) for h in unit.holes if h.expression]
        calls += (_with_json(c, source, encoded) for c in _unit_calls(unit, path))
    errors = (*page.errors, _syntax_error(root, source, path)) if root.has_error else page.errors
    unique = {(c.span.start_byte, c.span.end_byte): c for c in calls}
    ordered = sorted(unique.values(), key=lambda c: c.span.start_byte)
    return AdapterResult(tuple(ordered), errors, page.exports)


_EMPTY = AdapterResult(())


def _in_markup(root: ts.Node, word: tuple[int, int]) -> bool:
    """Whether `word` lies in the markup between PHP tags. The page is read only then (or
    when the file may call another file's wrappers): a class file whose only trigger words
    are in PHP code has no page worth masking and parsing (a fifth of its cost)."""
    node = root.descendant_for_byte_range(*word)
    return node is not None and node.type == "text"


def _unit_calls(unit: php_strings.Unit, path: str) -> tuple[TrackingCall, ...]:
    text = unit.text
    if _SCRIPT_TAG.search(text.data):
        return html.fragment(text, path, (), unit.placeholders).calls
    if unit.argument_of is not None and not _SCRIPT_SINK.search(unit.argument_of):
        return ()  # `log("civchat = " . $x)`: a message, not code
    if not prefilter.is_candidate(text.data):
        return ()
    whole = [regions.Region(0, len(text.data), languages.JAVASCRIPT)]
    result = regions.run(text, text.data, whole, path, placeholders=unit.placeholders)
    return () if result.errors else result.calls  # does not parse: prose, not code


def _printed_json(root: ts.Node, source: SourceText, span: Span) -> list[_Encoded]:
    """`json_encode(...)` calls printed by PHP tags inside `span` of the markup:
    `window.civchat = <?= json_encode($data) ?>;`."""
    found = []
    for start, end in find_all(source.data[span.start_byte : span.end_byte], _JSON_ENCODE):
        node = root.descendant_for_byte_range(span.start_byte + start, span.start_byte + end)
        call = node.parent if node is not None else None
        if call is None or call.type != "function_call_expression":
            continue
        printer = call.parent
        if printer is not None and printer.type in ("expression_statement", "echo_statement"):
            found.append((call.start_byte, call.end_byte, call))
    return found


def _with_json(
    call: TrackingCall, source: SourceText, encoded: Iterable[_Encoded]
) -> TrackingCall:
    """A call whose payload PHP prints as JSON gets the encoded array's keys."""
    if call.payload is not None:
        return call
    inside = [e for e in encoded if call.span.start_byte <= e[0] and e[1] <= call.span.end_byte]
    if not inside:
        return call
    start, end, expression = inside[-1]  # the payload is the last argument, or civchat's value
    payload = php_arrays.encoded(expression, source, source.span(start, end))
    return replace(call, payload=payload) if payload is not None else call


def _syntax_error(root: ts.Node, source: SourceText, path: str) -> FileError:
    node = first_error(root)
    at = unclosed(node) if node.is_error else None
    return syntax_error(root, source, path, at or node, "PHP", "strings")
