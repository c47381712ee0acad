"""String literals read as the JavaScript (or HTML) they hold, located in the original file.

A literal's escapes are decoded with a map back to the original bytes (`Rebuilt`), and its
substitutions (`${x}`, f-string fields) become unknown values of their own length. The value
is read as an HTML fragment when it holds a `<script>`, as JavaScript when it looks like a
call of the SDK, and else not at all: a string that only mentions the API is not code.
"""

from __future__ import annotations

import codecs
import re
import warnings
from collections.abc import Sequence

from uelint import languages, sdk
from uelint.adapters import regions
from uelint.adapters.regions import Placeholder, Rebuilt, Region
from uelint.adapters.templates import placeholder
from uelint.ir import Handler, TrackingCall
from uelint.source import SourceText

# A call of the SDK, not a mention of it: `userengage(`, `window["userengage"](`,
# `UE.pageHit(`, `window.civchat = `, `window.civchat.user_id = `.
_CODE = re.compile(
    b"(?:" + b"|".join(re.escape(name.encode()) for name in sdk.CALLED) + b")"
    + rb"""['"]?\]?\s*(?:\?\.\s*)?\(|"""
    + re.escape(sdk.CONFIG.encode())
    + rb"""['"]?\]?\s*(?:\.\s*\w+\s*|\[[^\]\n]*\]\s*)?=(?!=)"""
)
SCRIPT_TAG = re.compile(rb"<script\b", re.IGNORECASE)


def calls_in(
    text: SourceText, path: str, outer: tuple[Handler, ...], run: bool,
    placeholders: Sequence[Placeholder] = (),
) -> tuple[TrackingCall, ...]:
    """The calls in a literal's value, enclosed by the `outer` handlers of the literal;
    `placeholders` are the unknown values spliced into it (`'...' + id + '...'`).
    Unless the literal is passed where code `run`s, its value must parse without errors: a
    template literal `call userengage("client.update") to update` is prose."""
    if SCRIPT_TAG.search(text.data):
        from uelint.adapters import html

        result = html.fragment(text, path, outer, placeholders)
    elif _CODE.search(text.data):
        whole = [Region(0, len(text.data), languages.JAVASCRIPT)]
        result = regions.run(text, text.data, whole, path, outer=outer,
                             placeholders=placeholders)
    else:
        return ()
    return result.calls if run or not result.errors else ()


# -- Python ------------------------------------------------------------------------------------

_PY_PREFIX = re.compile(rb"""([rRuUfFbB]{0,2})('''|\"\"\"|'|")""")
# Between the pieces of an implicit concatenation: space, comments, continuations, parens.
_PY_BETWEEN = re.compile(rb"(?:[ \t\r\n()]|\\\r?\n|#[^\n]*)*")
_PY_BODIES = {
    quote: re.compile(rb"(?:\\.|(?!" + re.escape(quote) + rb")[^\\])*", re.DOTALL)
    for quote in (b"'''", b'"""', b"'", b'"')
}
_PY_ESCAPE = re.compile(
    rb"\\(?:N\{[^}\n]*\}|x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|[0-7]{1,3}|\r?\n|.)",
    re.DOTALL,
)
_PY_FIELD = re.compile(rb"\{\{|\}\}|\{")
_PY_FIELD_TOKENS = re.compile(rb"""[{}]|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'""")


def python_literal(source: SourceText, start: int, end: int) -> SourceText | None:
    """The value of the string literal (or implicit concatenation, perhaps formatted with
    `%` or `.format`) in [start, end); None when it is not one (a name, a call, bytes)."""
    data = source.data
    rebuilt = Rebuilt()
    pos = start
    while True:
        between = _PY_BETWEEN.match(data, pos, end)
        pos = between.end() if between is not None else pos
        if pos >= end:
            return rebuilt.text(source, end) if rebuilt.parts else None
        literal = _PY_PREFIX.match(data, pos, end)
        if literal is None and rebuilt.parts and data[pos : pos + 1] in (b"%", b"."):
            return rebuilt.text(source, pos)  # formatted: `"..." % x`, `"...".format(x)`
        if literal is None or b"b" in literal[1].lower():
            return None
        quote, body = literal[2], literal.end()
        body_end = _PY_BODIES[quote].match(data, body, end)
        close = body_end.end() if body_end is not None else end
        if data[close : close + len(quote)] != quote:
            return None
        prefix = literal[1].lower()
        _python_body(rebuilt, data, body, close, raw=b"r" in prefix, fstring=b"f" in prefix)
        pos = close + len(quote)


def _python_body(
    rebuilt: Rebuilt, data: bytes, start: int, end: int, raw: bool, fstring: bool
) -> None:
    pos = start
    while pos < end:
        escape = None if raw else _PY_ESCAPE.search(data, pos, end)
        field = _PY_FIELD.search(data, pos, end) if fstring else None
        if escape is None and field is None:
            rebuilt.add(data[pos:end], pos)
            return
        if field is None or (escape is not None and escape.start() < field.start()):
            assert escape is not None
            rebuilt.add(data[pos : escape.start()], pos)
            rebuilt.add(_python_escape(escape.group()), escape.start())
            pos = escape.end()
            continue
        rebuilt.add(data[pos : field.start()], pos)
        if field.group() != b"{":  # `{{` or `}}`: a literal brace
            rebuilt.add(field.group()[:1], field.start())
            pos = field.end()
            continue
        close = _field_end(data, field.start(), end)
        rebuilt.add(placeholder(data[field.start() : close]), field.start())
        pos = close


def _field_end(data: bytes, start: int, end: int) -> int:
    """The end of the f-string field `{...}` opening at `start` (the literal's end if open)."""
    depth = 0
    for token in _PY_FIELD_TOKENS.finditer(data, start, end):
        depth += {b"{": 1, b"}": -1}.get(token.group(), 0)
        if depth == 0:
            return token.end()
    return end


def _python_escape(escape: bytes) -> bytes:
    if escape[1:] in (b"\n", b"\r\n"):
        return b""  # a line continuation
    with warnings.catch_warnings():  # an unknown escape (`\d`) stays as written
        warnings.simplefilter("ignore")
        try:
            return codecs.decode(escape, "unicode_escape").encode("utf-8", "replace")
        except UnicodeDecodeError:  # `\N{NOT A NAME}`
            return escape
