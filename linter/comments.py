"""Which directive look-alikes stand in real comments of the host language.

`// uelint-disable-line UE001` inside a string literal, or `#noqa: UE002` in an HTML
attribute, is text, not a comment: read as a directive, `--fix` would "remove" it and break
the code. Only a file that holds a directive word gets here, so the real parsers can afford
to look again: tree-sitter for JavaScript, TypeScript and the HTML of pages and components
(and the scripts in them), Python's tokenizer for Python. A template language's own comment
(`{# #}`, `{{-- --}}`, `<%# %>`) is read by the template engine before anything else, so
it is a comment wherever it stands.
"""

from __future__ import annotations

import io
import tokenize
from collections.abc import Sequence
from typing import TYPE_CHECKING

from uelint import languages
from uelint.adapters import ParseBudgetExceeded, parse_bounded, per_thread

if TYPE_CHECKING:
    import tree_sitter as ts

_JS_OPENERS = ("//", "/*")
_TEMPLATE_OPENERS = ("{#", "{{--", "<%#")
_SCRIPT_HOSTS = (languages.JAVASCRIPT, languages.TYPESCRIPT, languages.TSX)
_JSX_CONTAINERS = ("jsx_expression", "jsx_expression_container")  # the grammar's names


def in_comments(data: bytes, language: str, found: Sequence[tuple[int, str]]) -> list[bool]:
    """For each (byte offset, opener) of a directive look-alike, whether it is a comment. In
    a file too costly to parse (its adapter reports that), none is."""
    if language == languages.PYTHON:
        return _python(data, found)
    try:
        if language in _SCRIPT_HOSTS:
            root = parse_bounded(_parser(language), data).root_node
            return [opener in _JS_OPENERS and _js_comment(root, offset)
                    for offset, opener in found]
        return _page(data, found)
    except ParseBudgetExceeded:
        return [False] * len(found)


def jsx_containers(data: bytes, language: str,
                   offsets: Sequence[int]) -> list[tuple[int, int] | None]:
    """For each offset of a block comment's `/*`, the byte range of the JSX expression
    container it is all of (`{/* ... */}`), if it is one: removing the comment must remove
    the braces too. A `{` before a comment in JavaScript may be a block's, which must stay."""
    if language not in (languages.JAVASCRIPT, languages.TSX):
        return [None] * len(offsets)
    try:
        root = parse_bounded(_parser(language), data).root_node
    except ParseBudgetExceeded:
        return [None] * len(offsets)
    found: list[tuple[int, int] | None] = []
    for offset in offsets:
        node = root.descendant_for_byte_range(offset, offset + 2)
        parent = node.parent if node is not None and node.type == "comment" else None
        only_comments = parent is not None and all(
            child.type == "comment" for child in parent.named_children)
        found.append((parent.start_byte, parent.end_byte)
                     if parent is not None and parent.type in _JSX_CONTAINERS
                     and only_comments else None)
    return found


def _python(data: bytes, found: Sequence[tuple[int, str]]) -> list[bool]:
    """`#` directives inside a comment token. A file the tokenizer cannot read keeps the
    comments a line-based reading finds (libcst reports the file's syntax error anyway)."""
    starts = [0, *(i + 1 for i, byte in enumerate(data) if byte == 0x0A)]
    comments: dict[int, int] = {}  # line start offset -> the comment's start offset
    try:
        for token in tokenize.tokenize(io.BytesIO(data).readline):
            if token.type == tokenize.COMMENT:
                row, col = token.start
                line = data[starts[row - 1] :].split(b"\n", 1)[0].decode("utf-8", "replace")
                comments[starts[row - 1]] = starts[row - 1] + len(line[:col].encode())
    except (tokenize.TokenError, SyntaxError, UnicodeDecodeError, IndexError):
        return [opener == "#" for _, opener in found]
    result = []
    for offset, opener in found:
        line_start = data.rfind(b"\n", 0, offset) + 1
        start = comments.get(line_start)
        result.append(opener == "#" and start is not None and start <= offset)
    return result


def _page(data: bytes, found: Sequence[tuple[int, str]]) -> list[bool]:
    """Pages, templates and components: a template comment anywhere, an HTML comment, or a
    JavaScript comment in a `<script>`."""
    root = parse_bounded(_parser(languages.HTML), data).root_node
    result = []
    for offset, opener in found:
        if opener in _TEMPLATE_OPENERS:
            result.append(True)
            continue
        node: ts.Node | None = root.descendant_for_byte_range(offset, offset + len(opener))
        while node is not None and node.type not in ("comment", "raw_text"):
            node = node.parent
        if node is None:
            result.append(False)
        elif node.type == "comment":
            result.append(opener == "<!--")
        else:  # a script's (or a style's) text: parse it as JavaScript
            script = data[node.start_byte : node.end_byte]
            inner = parse_bounded(_parser(languages.JAVASCRIPT), script).root_node
            result.append(opener in _JS_OPENERS and node.parent is not None
                          and node.parent.type == "script_element"
                          and _js_comment(inner, offset - node.start_byte))
    return result


def _js_comment(root: ts.Node, offset: int) -> bool:
    node: ts.Node | None = root.descendant_for_byte_range(offset, offset + 1)
    while node is not None:
        if node.type in ("comment", "html_comment"):
            return node.start_byte <= offset
        if node.type in ("string", "template_string", "regex", "jsx_text"):
            return False
        node = node.parent
    return False


@per_thread
def _parser(language: str) -> ts.Parser:
    import tree_sitter as ts

    if language == languages.HTML:
        import tree_sitter_html as grammar

        return ts.Parser(ts.Language(grammar.language()))
    if language == languages.JAVASCRIPT:
        import tree_sitter_javascript as javascript

        return ts.Parser(ts.Language(javascript.language()))
    import tree_sitter_typescript as typescript

    return ts.Parser(ts.Language(typescript.language_tsx() if language == languages.TSX
                                 else typescript.language_typescript()))
