"""Server-template tags, masked so that the HTML and JavaScript around them parse.

A template engine replaces its tags before the browser sees the page, so the linter cannot
know what they produce. Each tag is replaced by bytes of the same length (newlines kept, so
offsets, lines and columns stay those of the original file): a tag that outputs a value
(`{{ user.id }}`, `<?= $id ?>`, `{$id}`) by an identifier-like run of `_`, which the JavaScript
parser reads as an unknown value; a tag that outputs nothing (`{% if %}`, `<?php ... ?>`,
`@if(...)`, comments) by spaces. Raw blocks (`{% raw %}`, `@verbatim`, `{literal}`) keep their
content. Pure byte scanning with regular expressions: no parser for the template languages.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

JINJA = "jinja"  # Django, Jinja, Twig, Nunjucks: {{ }}, {% %}, {# #}
PHP = "php"
BLADE = "blade"  # Laravel Blade, and the PHP tags it allows
SMARTY = "smarty"
ERB = "erb"
EJS = "ejs"
SVELTE = "svelte"  # the markup of a Svelte component

# Every byte but a line break becomes a space, or an underscore.
_SPACES = bytes(b if b in b"\r\n" else 0x20 for b in range(256))
_UNDERSCORES = bytes(b if b in b"\r\n" else 0x5F for b in range(256))
# Quoted strings inside a tag may hold its closing delimiter; one that does not end on its
# line is an apostrophe, not a string.
_STRING = rb'"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\''


def placeholder(text: bytes) -> bytes:
    """An unknown value as long as `text`: an identifier on its first line, spaces after,
    line breaks kept (`{{ a\\n }}` → `____\\n   `)."""
    first = _first_line(text)
    return first.translate(_UNDERSCORES) + text[len(first):].translate(_SPACES)


def _first_line(text: bytes) -> bytes:
    """`text` up to its first line break (LF, CRLF or a lone CR, as JavaScript counts)."""
    return _LINE.match(text).group()  # type: ignore[union-attr]  # matches every text


_LINE = re.compile(rb"[^\r\n]*")


@dataclass(frozen=True, slots=True)
class Masked:
    data: bytes  # the input with its tags masked: same length, same line breaks
    values: tuple[tuple[int, int], ...] = ()  # (start, end) of tags that output a value
    errors: tuple[tuple[int, str], ...] = ()  # (offset, message) of malformed template syntax


@dataclass(slots=True)
class _Masker:
    source: bytes
    strict: bool  # report unterminated tags (off when sniffing a plain .html file)
    out: bytearray = field(init=False)
    values: list[tuple[int, int]] = field(default_factory=list)
    unterminated_tags: dict[bytes, list[int]] = field(default_factory=dict)  # opener → offsets
    # Where a search for a closer found none: a later search from further on cannot either.
    # Remembered so that many unterminated tags cost one scan, not one scan each.
    unclosed: dict[re.Pattern[bytes], int] = field(default_factory=dict)
    unbalanced: bool = False  # a bracketed expression ran to the end: stop matching them

    def __post_init__(self) -> None:
        self.out = bytearray(self.source)

    def blank(self, start: int, end: int) -> int:
        self.out[start:end] = self.source[start:end].translate(_SPACES)
        return end

    def value(self, start: int, end: int) -> int:
        self.out[start:end] = placeholder(self.source[start:end])
        self.values.append((start, end))
        return end

    def unterminated(self, start: int, opener: bytes) -> int:
        """Report the opener and mask only it, so the rest of the file is still checked."""
        if not self.strict:  # perhaps not a template at all: leave the text alone
            return start + len(opener)
        self.unterminated_tags.setdefault(opener, []).append(start)
        return self.blank(start, start + len(opener))

    def close(self, pattern: re.Pattern[bytes], start: int) -> int | None:
        """The end of the first match of `pattern` that is its closer (group `end`)."""
        if start >= self.unclosed.get(pattern, len(self.source) + 1):
            return None
        for match in pattern.finditer(self.source, start):
            if match.lastgroup == "end":
                return match.end()
        self.unclosed[pattern] = start
        return None

    def search(self, pattern: re.Pattern[bytes], start: int) -> re.Match[bytes] | None:
        if start >= self.unclosed.get(pattern, len(self.source) + 1):
            return None
        match = pattern.search(self.source, start)
        if match is None:
            self.unclosed[pattern] = start
        return match

    def balanced(self, tokens: re.Pattern[bytes], start: int, pair: bytes) -> int | None:
        """The end of the bracketed expression opening at `start` (`pair` is b"()" or b"{}");
        `tokens` matches the brackets and what to skip (strings)."""
        if self.unbalanced:
            return None
        depth = 0
        for token in tokens.finditer(self.source, start):
            bracket = token.group()
            depth += (bracket == pair[:1]) - (bracket == pair[1:])
            if depth == 0:
                return token.end()
        self.unbalanced = True
        return None

    def tag(self, pattern: re.Pattern[bytes], start: int, body: int, output: bool) -> int:
        end = self.close(pattern, body)
        if end is None:
            return self.unterminated(start, self.source[start:body])
        return self.value(start, end) if output else self.blank(start, end)

    def raw_block(self, start: int, body: int, end_tag: re.Pattern[bytes]) -> int:
        """Blank the opening tag [start, body) and the end tag; keep what is between."""
        self.blank(start, body)
        match = self.search(end_tag, body)
        if match is None:
            return self.unterminated(start, self.source[start:body])
        return self.blank(match.start(), match.end())

    def masked(self) -> Masked:
        errors = []  # the first of each kind: thousands of the same error help nobody
        for opener, offsets in self.unterminated_tags.items():
            more = f" (and {len(offsets) - 1} more)" if len(offsets) > 1 else ""
            tag = opener.decode("utf-8", "replace")
            errors.append((offsets[0], f"unterminated template tag `{tag}`{more}"))
        return Masked(bytes(self.out), tuple(self.values), tuple(sorted(errors)))


def _closer(delimiter: bytes, strings: bool = True) -> re.Pattern[bytes]:
    alternatives = [rb"(?P<end>" + re.escape(delimiter) + rb")"]
    if strings:
        alternatives.append(_STRING)
    return re.compile(b"|".join(alternatives), re.DOTALL)


_PARENS = re.compile(rb"[()]|" + _STRING)

# -- Django, Jinja, Twig ---------------------------------------------------------------------

_JINJA = re.compile(
    rb"\{\{|\{#|\{%-?\s*(?P<raw>raw|verbatim|comment)\b[^%]*?-?%\}|\{%"
)
_JINJA_VALUE = _closer(b"}}")
_JINJA_BLOCK = _closer(b"%}")
_JINJA_COMMENT = _closer(b"#}", strings=False)
_JINJA_END = {
    kind: re.compile(rb"\{%-?\s*end" + kind.encode() + rb"\b[^%]*?-?%\}")
    for kind in ("raw", "verbatim", "comment")
}


def _jinja(m: _Masker, match: re.Match[bytes]) -> int:
    start, body = match.start(), match.end()
    token = match.group()
    if match["raw"] is not None:
        kind = match["raw"].decode()
        if kind != "comment":
            return m.raw_block(start, body, _JINJA_END[kind])
        end = m.search(_JINJA_END[kind], body)
        return m.blank(start, end.end()) if end else m.unterminated(start, token)
    if token == b"{{":
        return m.tag(_JINJA_VALUE, start, body, output=True)
    if token == b"{#":
        return m.tag(_JINJA_COMMENT, start, body, output=False)
    return m.tag(_JINJA_BLOCK, start, body, output=False)


# -- PHP -------------------------------------------------------------------------------------

# `<?xml` is an XML declaration, not PHP; `<?` alone is a short open tag.
_PHP_OPEN = rb"<\?(?:(?i:php)\b|=|(?=\s))"
_PHP = re.compile(_PHP_OPEN)
# PHP comments end at a newline or at `?>`; strings may contain `?>`.
_PHP_CLOSE = re.compile(
    rb"(?P<end>\?>)|" + _STRING + rb"|/\*(?:.*?\*/|.*)|(?://|\#)(?:[^\n?]|\?(?!>))*", re.DOTALL
)
_PHP_ECHO = re.compile(rb"\s*(?:echo|print)\b", re.IGNORECASE)


def _php(m: _Masker, match: re.Match[bytes]) -> int:
    start, body = match.start(), match.end()
    end = m.close(_PHP_CLOSE, body)
    if end is None:  # no `?>`: the rest of the file is PHP, which is legal
        end = len(m.source)
    output = match.group() == b"<?=" or _PHP_ECHO.match(m.source, body) is not None
    return m.value(start, end) if output else m.blank(start, end)


# -- Blade -----------------------------------------------------------------------------------

_BLADE_DIRECTIVES = (
    b"if|elseif|else|endif|unless|endunless|isset|endisset|empty|endempty|auth|endauth|guest|"
    b"endguest|env|endenv|production|endproduction|switch|case|break|default|endswitch|for|"
    b"endfor|foreach|endforeach|forelse|endforelse|while|endwhile|continue|include|includeIf|"
    b"includeWhen|includeUnless|includeFirst|each|once|endonce|push|endpush|prepend|endprepend|"
    b"stack|section|endsection|show|yield|extends|parent|csrf|method|error|enderror|can|endcan|"
    b"cannot|endcannot|props|vite|livewire|livewireStyles|livewireScripts|stop|append|"
    b"hasSection|sectionMissing|lang|choice|dump|dd|json|js|php|verbatim"
)
_BLADE = re.compile(
    rb"\{\{--|\{!!|@\{\{|\{\{|" + _PHP_OPEN + rb"|(?<![\w@])@(?P<directive>"
    + _BLADE_DIRECTIVES + rb")\b"
)
_BLADE_COMMENT = _closer(b"--}}", strings=False)
_BLADE_RAW = _closer(b"!!}")
_BLADE_END = {
    b"php": re.compile(rb"(?<![\w@])@endphp\b"),
    b"verbatim": re.compile(rb"(?<![\w@])@endverbatim\b"),
}
_SPACE = re.compile(rb"[ \t]*")


def _blade(m: _Masker, match: re.Match[bytes]) -> int:
    start, body = match.start(), match.end()
    token = match.group()
    directive = match["directive"]
    if directive is None:
        if token == b"@{{":  # an escaped `{{`, left to client-side frameworks
            return body
        if token.startswith(b"<?"):
            return _php(m, match)
        if token == b"{{--":
            return m.tag(_BLADE_COMMENT, start, body, output=False)
        if token == b"{!!":
            return m.tag(_BLADE_RAW, start, body, output=True)
        return m.tag(_JINJA_VALUE, start, body, output=True)
    paren = _SPACE.match(m.source, body)
    assert paren is not None
    if m.source[paren.end() : paren.end() + 1] == b"(":
        end = m.balanced(_PARENS, paren.end(), b"()")
        if end is None:
            return m.unterminated(start, token)
        return m.value(start, end) if directive in (b"json", b"js") else m.blank(start, end)
    if directive == b"verbatim":
        return m.raw_block(start, body, _BLADE_END[directive])
    if directive == b"php":  # a @php ... @endphp block
        end_match = m.search(_BLADE_END[directive], body)
        return m.blank(start, end_match.end()) if end_match else m.unterminated(start, token)
    return m.blank(start, body)


# -- Smarty ----------------------------------------------------------------------------------

# Smarty reads `{` followed by whitespace as a literal brace, so JavaScript blocks and objects
# written `{ a: 1 }` are not tags; only `{$...}`, `{#...#}`, `{/...}` and built-in functions are.
_SMARTY = re.compile(
    rb"\{\*|\{(?:literal|ldelim|rdelim)\}|\{(?:\$|\#|/\w|(?:if|elseif|else|foreach|foreachelse|"
    rb"section|sectionelse|while|for|forelse|capture|strip|nocache|block|function|assign|"
    rb"append|config_load|extends|include|insert|call)\b)"
)
_SMARTY_COMMENT = _closer(b"*}", strings=False)
_SMARTY_TAG = _closer(b"}")
_SMARTY_LITERAL_END = re.compile(rb"\{/literal\}")


def _smarty(m: _Masker, match: re.Match[bytes]) -> int:
    start, body = match.start(), match.end()
    token = match.group()
    if token == b"{*":
        return m.tag(_SMARTY_COMMENT, start, body, output=False)
    if token == b"{literal}":
        return m.raw_block(start, body, _SMARTY_LITERAL_END)
    if token in (b"{ldelim}", b"{rdelim}"):  # a brace, where the tag stood
        m.blank(start, body)
        m.out[start] = ord("{" if token == b"{ldelim}" else "}")
        return body
    output = token in (b"{$", b"{#") or token.startswith((b"{include", b"{insert", b"{call"))
    return m.tag(_SMARTY_TAG, start, start + 1, output)


# -- ERB and EJS -----------------------------------------------------------------------------

_ERB = re.compile(rb"<%%|<%#|<%(?:==|=|-|_)?")
_ERB_CLOSE = _closer(b"%>")
_ERB_COMMENT = _closer(b"%>", strings=False)


def _erb_like(output_tags: tuple[bytes, ...]) -> Callable[[_Masker, re.Match[bytes]], int]:
    def scan(m: _Masker, match: re.Match[bytes]) -> int:
        start, body = match.start(), match.end()
        token = match.group()
        if token == b"<%%":  # a literal `<%`
            return body
        if token == b"<%#":
            return m.tag(_ERB_COMMENT, start, body, output=False)
        return m.tag(_ERB_CLOSE, start, body, output=token in output_tags)

    return scan


# -- Svelte markup ---------------------------------------------------------------------------

# Every `{` of a component's markup opens a JavaScript expression (`on:submit={login}`,
# `{#if user}`), which an HTML parser would split at spaces and quotes. Masked like a value;
# the adapter reads the expressions themselves from the original bytes.
# (What never closes runs to the end, in one match: a scan per unclosed tag would be quadratic.)
_SVELTE = re.compile(
    rb"<(script|style)\b[^>]*>(?:.*?</\1\s*>|.*)|<!--(?:.*?-->|.*)|\{", re.DOTALL | re.IGNORECASE
)
_SVELTE_BRACES = re.compile(rb"[{}]|" + _STRING + rb"|`(?:[^`\\]|\\.)*`?", re.DOTALL)


def _svelte(m: _Masker, match: re.Match[bytes]) -> int:
    start = match.start()
    if match.group() != b"{":  # a script, a style or a comment: not markup
        return match.end()
    end = m.balanced(_SVELTE_BRACES, start, b"{}")
    return m.value(start, end) if end is not None else m.unterminated(start, b"{")


_DIALECTS: dict[str, tuple[re.Pattern[bytes], Callable[[_Masker, re.Match[bytes]], int]]] = {
    JINJA: (_JINJA, _jinja),
    PHP: (_PHP, _php),
    BLADE: (_BLADE, _blade),
    SMARTY: (_SMARTY, _smarty),
    ERB: (_ERB, _erb_like((b"<%=", b"<%=="))),  # in ERB, `<%-` trims whitespace: code
    EJS: (_ERB, _erb_like((b"<%=", b"<%-"))),  # in EJS, `<%-` outputs unescaped
    SVELTE: (_SVELTE, _svelte),
}

# What a plain HTML file may hold: template tags of Django/Jinja and of ERB-like engines.
_SNIFF = {JINJA: re.compile(rb"\{[{%#]"), EJS: re.compile(rb"<%")}


def mask(data: bytes, dialect: str, strict: bool = True) -> Masked:
    """`data` with the tags of `dialect` masked."""
    opener, scan = _DIALECTS[dialect]
    m = _Masker(data, strict)
    pos = 0
    while True:
        match = opener.search(data, pos)
        if match is None:
            return m.masked()
        pos = scan(m, match)


def mask_sniffed(data: bytes) -> Masked:
    """A plain HTML file, masked for the template syntax it seems to contain (often none).
    Tags that do not close are left alone: the file may well not be a template."""
    masked = Masked(data)
    for dialect, sign in _SNIFF.items():
        if sign.search(data):
            more = mask(masked.data, dialect, strict=False)
            masked = Masked(more.data, tuple(sorted(masked.values + more.values)))
    return masked


# -- Reshaped values -------------------------------------------------------------------------

# A tag may print what is not a value: members of an object literal (`{ apiKey: '...' <?php
# echo $block->getUserData(); ?> }` prints `, user_id: 1`) or statements. When the masked
# JavaScript does not parse, the adapter tries these shapes, each as long as the tag.
_SIGNIFICANT = re.compile(rb"[^\s]")


def member(masked: bytes, start: int, end: int) -> bytes | None:
    """Object members as long as the tag at [start, end) of `masked`: `,____:0,`, with the
    commas that its neighbours need; None when the tag is too short."""
    first = _first_line(masked[start:end])
    before = masked[:start].rstrip()[-1:]
    after = _SIGNIFICANT.search(masked, end)
    lead = b"" if before in (b"{", b",") else b","
    trail = b"" if after is not None and after.group() in (b"}", b",") else b","
    key = len(first) - len(lead) - len(trail) - 2
    if key < 1:
        return None
    return _shaped(masked[start:end], lead + b"_" * key + b":0" + trail)


def statement(masked: bytes, start: int, end: int) -> bytes | None:
    """Statements as long as the tag: `;____;`."""
    first = _first_line(masked[start:end])
    if len(first) < 3:
        return None
    return _shaped(masked[start:end], b";" + b"_" * (len(first) - 2) + b";")


def _shaped(tag: bytes, first: bytes) -> bytes:
    """`first` in place of the tag's first line; the rest as placeholder() leaves it."""
    return first + placeholder(tag)[len(first):]
