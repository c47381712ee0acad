"""The adapter for HTML pages, server templates, and Vue and Svelte components.

Template tags are masked first (`templates`), so that the page parses; tree-sitter-html then
finds the JavaScript in it: inline `<script>` blocks (not `src=` ones, nor data or template
types) and event-handler attributes (`onsubmit=`, Vue's `@submit`, Svelte's `on:submit`,
Alpine's `x-on:submit`). `regions` runs the JavaScript adapter on them with exact positions.
The element that carries a handler is the listener's target (`<form id="login-form"
onsubmit="...">` is the submit listener of `form#login-form`), and a handler that only names
a function (`@submit.prevent="handleLogin"`) makes that function the listener.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Sequence
from pathlib import Path

import tree_sitter as ts
import tree_sitter_html

from uelint import languages, prefilter
from uelint.adapters import (
    AdapterResult,
    ParseBudgetExceeded,
    parse_bounded,
    per_thread,
    regions,
    sharing,
    templates,
)
from uelint.adapters.regions import Placeholder, Rebuilt, Region
from uelint.diagnostic import FileError
from uelint.ir import Handler, HandlerKind
from uelint.source import SourceText
from uelint.wrappers import Linker

_QUERY = """
(raw_text) @raw
(attribute (attribute_name) @name (#match? @name "^([oO][nN]|@|v-on:|x-on:)")) @attr
"""
# `onsubmit`, `on:submit|preventDefault` (Svelte), `@submit.prevent`, `v-on:`, `x-on:`.
_EVENT = re.compile(r"(?:on:|v-on:|x-on:|@|on)([a-zA-Z][\w-]*)")
# A handler that only calls a named function: `handleLogin`, `return login(event)`,
# `() => login()`; that function is then the listener.
_BOUND = re.compile(
    r"\s*(?:\(?[\w$,\s]*\)?\s*=>\s*)?(?:return\s+)?(?:this\.)?([A-Za-z_$][\w$]*)\s*"
    r"(?:\((?:[^()]|\([^()]*\))*\))?\s*;?\s*(?:return\s+false\s*;?\s*)?"
)
_JS_TYPES = frozenset({
    "", "module", "text/javascript", "application/javascript", "text/ecmascript",
    "application/ecmascript", "application/x-javascript", "text/jsx", "text/babel",
    "text/partytown",
})
_TS_TYPES = frozenset({"text/typescript", "application/typescript"})
_LANGS = {
    "js": languages.JAVASCRIPT, "javascript": languages.JAVASCRIPT, "jsx": languages.JAVASCRIPT,
    "ts": languages.TYPESCRIPT, "typescript": languages.TYPESCRIPT, "tsx": languages.TSX,
}
# Consent managers ship blocked scripts as `type="text/plain"` and run them once allowed
# (Cookiebot, CookieConsent, Klaro): tracking code is often exactly there.
_CONSENT_ATTRIBUTES = frozenset({"data-cookieconsent", "data-cookiecategory", "data-category"})
_PASSWORD_FIELD = re.compile(rb"""\stype\s*=\s*["']?password\b""", re.IGNORECASE)
_ENTITY = re.compile(rb"&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);?")
_MAX_NAME = 80
_NEXT_TOKEN = re.compile(rb"\S")

_SERVER_TEMPLATES = {
    languages.JINJA: templates.JINJA, languages.PHP: templates.PHP,
    languages.BLADE: templates.BLADE, languages.SMARTY: templates.SMARTY,
    languages.ERB: templates.ERB, languages.EJS: templates.EJS,
}
_DIALECTS = {**_SERVER_TEMPLATES, languages.SVELTE: templates.SVELTE}


@per_thread
def _grammar() -> tuple[ts.Parser, ts.Query]:
    language = ts.Language(tree_sitter_html.language())
    return ts.Parser(language), ts.Query(language, _QUERY)


def extract(
    source: SourceText, path: str, language: str, linker: Linker | None = None
) -> AdapterResult:
    if language == languages.HTML:
        masked = templates.mask_sniffed(source.data)
    elif language in _DIALECTS:
        masked = templates.mask(source.data, _DIALECTS[language])
    else:
        masked = templates.Masked(source.data)
    errors = [_error(source, path, offset, message) for offset, message in masked.errors]
    placeholders = [
        Placeholder(start, end, masked.data[start:end].split(b"\n")[0].decode("ascii"),
                    _tag(source.data[start:end]))
        for start, end in masked.values if language != languages.SVELTE
    ]
    inner = languages.by_suffix(Path(Path(path).stem))
    if language in _SERVER_TEMPLATES and inner in (languages.JAVASCRIPT, languages.TYPESCRIPT):
        # `tracking.js.erb`, `snippet.js.twig`: the whole rendered file is JavaScript.
        whole = [Region(0, len(source.data), inner)]
        result = regions.run(source, masked.data, whole, path, linker, placeholders=placeholders)
        return AdapterResult(result.calls, tuple(errors) + result.errors)
    try:
        page = _Page(source, masked, language, path)
    except ParseBudgetExceeded as exc:
        return AdapterResult((), (FileError(path, "parse", f"{exc} (far more than a page of "
                                                           "its size needs); not checked"),))
    outer: tuple[Handler, ...] = ()
    if language in (languages.VUE, languages.SVELTE):
        component = source.span(0, len(source.data))
        outer = (Handler(HandlerKind.CLASS, _component_name(path), component),)
    # Svelte's expressions are read from the original: the mask only served the HTML parser.
    js = source.data if language == languages.SVELTE else masked.data
    result = page.run(js, linker, placeholders, outer)
    if language in _SERVER_TEMPLATES and result.errors and masked.values:
        result = _reshaped(page, js, masked.values, result, lambda data: page.run(
            data, linker, placeholders, outer))
    return AdapterResult(result.calls, tuple(errors + page.errors) + result.errors)


def _tag(data: bytes) -> str:
    """A template tag as a value's source: its first line, spaces collapsed."""
    return " ".join(data.split(b"\n")[0].decode("utf-8", "replace").split())


# Retries of a template whose masked JavaScript does not parse: a few, as each parses again.
_MAX_RESHAPES = 8


def _reshaped(
    page: _Page, js: bytes, values: Sequence[tuple[int, int]], result: AdapterResult,
    run: Callable[[bytes], AdapterResult],
) -> AdapterResult:
    """The result once the tags near each syntax error are masked as the members or the
    statements they may print, where that makes the error go away; then any error still
    at a tag is the mask's doing, not the template's, and is not reported."""
    with sharing(_RESHAPE_BYTES * len(js) + _RESHAPE_FLOOR):
        return _reshaping(js, values, result, run)


# What the retries may read together: a large template is not parsed dozens of times (a
# hostile one took half a second a parse); a small one may be retried as often as it needs.
_RESHAPE_BYTES = 8
_RESHAPE_FLOOR = 256 << 10


def _reshaping(
    js: bytes, values: Sequence[tuple[int, int]], result: AdapterResult,
    run: Callable[[bytes], AdapterResult],
) -> AdapterResult:
    data = js
    tried: set[tuple[int, int]] = set()
    for _ in range(_MAX_RESHAPES):
        error = _first_syntax_error(result)
        if error is None:
            break
        # The tags in the error, the one after it (a parser errs at the token before the
        # stray one), the one before it.
        near = [v for v in values if error[0] <= v[0] < error[1]]
        near += [v for v in values if v[0] >= error[1]][:1]
        near += [v for v in values if v[1] <= error[0]][-1:]
        near = [v for v in near if v not in tried]
        better = None
        for tag in near:
            tried.add(tag)
            for shape in (templates.member, templates.statement):
                replaced = shape(data, *tag)
                if replaced is None:
                    continue
                candidate = data[: tag[0]] + replaced + data[tag[1] :]
                retried = run(candidate)
                if any(e.kind == "parse" for e in retried.errors):  # the shared budget ran out
                    return _without_errors_at_tags(result, values, data)
                moved = _first_syntax_error(retried)
                if moved is None or moved[0] > error[0]:
                    better = candidate, retried
                    break
            if better is not None:
                break
        if better is None:
            break
        data, result = better
    return _without_errors_at_tags(result, values, data)


def _without_errors_at_tags(
    result: AdapterResult, values: Sequence[tuple[int, int]], data: bytes
) -> AdapterResult:
    """Any error still at a tag is the mask's doing, not the template's."""
    errors = tuple(e for e in result.errors if not _at_tag(e, values, data))
    return AdapterResult(result.calls, errors)


def _first_syntax_error(result: AdapterResult) -> tuple[int, int] | None:
    spans = [e.span for e in result.errors if e.kind == "syntax" and e.span is not None]
    if not spans:
        return None
    first = min(spans, key=lambda s: s.start_byte)
    return first.start_byte, max(first.end_byte, first.start_byte + 1)


def _at_tag(error: FileError, values: Sequence[tuple[int, int]], data: bytes) -> bool:
    """Does the syntax error touch a masked tag (up to the next token after it)?"""
    span = error.span
    if error.kind != "syntax" or span is None:
        return False
    for start, end in values:
        after = _NEXT_TOKEN.search(data, end)
        reach = after.start() if after is not None else len(data)
        if span.start_byte <= reach and start <= max(span.end_byte, span.start_byte):
            return True
    return False


def fragment(
    text: SourceText, path: str, outer: tuple[Handler, ...],
    placeholders: Sequence[Placeholder] = (),
) -> AdapterResult:
    """The calls of an HTML fragment held in a string: `Markup("<script>...</script>")`;
    `placeholders` are the unknown values spliced into it (PHP's `"..." . $x . "..."`)."""
    page = _Page(text, templates.Masked(text.data), languages.HTML, path)
    result = page.run(text.data, None, placeholders, outer)
    return AdapterResult(result.calls, tuple(page.errors) + result.errors)


def _error(source: SourceText, path: str, offset: int, message: str) -> FileError:
    span = source.span(offset, offset)
    return FileError(
        path, "syntax",
        f"{message} at {span.start_line}:{span.start_col}; the rest of the file was still checked",
        span,
    )


def _component_name(path: str) -> str:
    """`LoginForm.vue` → "LoginForm"; SvelteKit's `login/+page.svelte`, `login/index.vue` →
    "login": a route's page is named by its directory."""
    file = Path(path)
    stem = file.stem
    if (stem.startswith("+") or stem.lower() == "index") and file.parent.name:
        return file.parent.name
    return stem


class _Page:
    """The script regions, event handlers and listener bindings of one page."""

    def __init__(
        self, source: SourceText, masked: templates.Masked, language: str, path: str
    ) -> None:
        self.source = source
        self.masked = masked
        self.markup = language
        self.path = path
        self.regions: list[Region] = []
        self.decoded: list[tuple[SourceText, Region]] = []  # handlers written with entities
        self.bindings: dict[str, Handler] = {}
        self.errors: list[FileError] = []
        # Svelte's `{...}` expressions, by start
        self.expressions = dict(masked.values) if language == languages.SVELTE else {}
        parser, query = _grammar()
        tree = parse_bounded(parser, masked.data)
        attributes: list[tuple[ts.Node, ts.Node]] = []
        for _, captures in ts.QueryCursor(query).matches(tree.root_node):
            if "raw" in captures:
                self.script(captures["raw"][0])
            else:
                attributes.append((captures["attr"][0], captures["name"][0]))
        # A component's handlers and markup expressions are in the language of its script.
        self.language = languages.JAVASCRIPT
        if self.regions and language in (languages.VUE, languages.SVELTE):
            self.language = self.regions[0].language
        for attribute, name in attributes:
            self.attribute(attribute, name)
        if language == languages.SVELTE:
            self.svelte_expressions()

    def text(self, node: ts.Node) -> str:
        return self.masked.data[node.start_byte : node.end_byte].decode("utf-8", "replace")

    def run(
        self, js: bytes, linker: Linker | None, placeholders: Sequence[Placeholder],
        outer: tuple[Handler, ...],
    ) -> AdapterResult:
        results = [regions.run(
            self.source, js, sorted(self.regions, key=lambda r: r.start), self.path, linker,
            placeholders=placeholders, bindings=self.bindings, outer=outer,
        )]
        for text, region in self.decoded:
            results.append(regions.run(
                text, text.data, [region], self.path, linker, bindings=self.bindings, outer=outer
            ))
        calls = sorted((c for r in results for c in r.calls), key=lambda c: c.span.start_byte)
        return AdapterResult(tuple(calls), tuple(e for r in results for e in r.errors))

    # -- scripts -------------------------------------------------------------------------------

    def script(self, raw: ts.Node) -> None:
        tag = raw.prev_named_sibling
        if tag is None or tag.type != "start_tag" or self.tag_name(tag).lower() != "script":
            return  # a <style>
        language = _script_language(self.attributes(tag))
        if language is None or raw.end_byte == raw.start_byte:
            return
        element = raw.parent
        if element is None or element.type != "script_element" or element.child_count < 3:
            self.errors.append(_error(
                self.source, self.path, tag.start_byte,
                "unterminated <script> (no </script>): read as script up to the end of the file",
            ))
        self.regions.append(Region(raw.start_byte, raw.end_byte, language))

    def tag_name(self, tag: ts.Node) -> str:
        name = next((c for c in tag.named_children if c.type == "tag_name"), None)
        return self.text(name) if name is not None else ""

    def attributes(self, tag: ts.Node) -> dict[str, str]:
        found: dict[str, str] = {}
        for attribute in tag.named_children:
            if attribute.type == "attribute" and attribute.named_child_count:
                name = self.text(attribute.named_children[0]).lower()
                value = _value_node(attribute)
                found.setdefault(name, html.unescape(self.text(value)) if value else "")
        return found

    # -- event handlers ------------------------------------------------------------------------

    def attribute(self, attribute: ts.Node, name_node: ts.Node) -> None:
        event = _EVENT.fullmatch(self.text(name_node).split("|")[0].split(".")[0])
        value = _value_node(attribute)
        tag = attribute.parent
        if event is None or value is None or tag is None:
            return
        listener = Handler(
            HandlerKind.LISTENER, None, self.source.span(attribute.start_byte, attribute.end_byte),
            event=event[1].lower(), target=self.describe(tag), password=self.has_password(tag),
        )
        start, end = value.start_byte, value.end_byte
        if start in self.expressions:  # Svelte: `on:submit={...}`, read inside the braces
            start, end = start + 1, self.expressions.pop(start) - 1
            code = self.source.data[start:end]
        else:
            code = self.masked.data[start:end]
        bound = _BOUND.fullmatch(html.unescape(code.decode("utf-8", "replace")))
        if bound is not None:
            self.bindings.setdefault(bound[1], listener)
        if self.markup == languages.VUE:
            return  # Vue's template expressions see the component, not the page's globals
        if b"&" in code and _ENTITY.search(code):  # `onclick="userengage(&quot;...&quot;)"`
            text = _unescaped(self.source, code, start)
            self.decoded.append((text, Region(0, len(text.data), self.language, listener)))
        else:
            self.regions.append(Region(start, end, self.language, listener))

    def describe(self, tag: ts.Node) -> str:
        """The element as a selector: `form#login-form`, `form.signup[name=register]`.
        Values a template writes are left out: they are not known."""
        text = self.tag_name(tag) or "element"
        for attribute in tag.named_children:
            value = _value_node(attribute) if attribute.type == "attribute" else None
            if value is None or self.source.data[value.start_byte : value.end_byte] != (
                self.masked.data[value.start_byte : value.end_byte]
            ):
                continue
            key = self.text(attribute.named_children[0]).lower()
            literal = html.unescape(self.text(value)).strip()
            if key == "id":
                text += f"#{literal}"
            elif key == "class":
                text += "".join(f".{c}" for c in literal.split())
            elif key in ("name", "action", "data-testid"):
                text += f"[{key}={literal}]"
        return text if len(text) <= _MAX_NAME else text[: _MAX_NAME - 1] + "…"

    def has_password(self, tag: ts.Node) -> bool:
        """Is this a form with a password field (evidence of a login or sign-up form)?"""
        form = tag.parent
        if form is None or self.tag_name(tag).lower() != "form":
            return False
        return _PASSWORD_FIELD.search(self.masked.data, form.start_byte, form.end_byte) is not None

    def svelte_expressions(self) -> None:
        """`{userengage(...)}` in markup is code too (block tags `{#if}`, `{@html}` are not)."""
        data = self.source.data
        for start, end in self.expressions.items():
            block = data[start + 1 : start + 2] in (b"#", b":", b"/", b"@")
            if not block and prefilter.is_candidate(data[start:end]):
                self.regions.append(Region(start + 1, end - 1, self.language))


def _value_node(attribute: ts.Node) -> ts.Node | None:
    """The value of an attribute without its quotes (None for `<input disabled>`, `x=""`)."""
    value = attribute.named_children[-1] if attribute.named_child_count > 1 else None
    if value is not None and value.type == "quoted_attribute_value":
        return value.named_children[0] if value.named_child_count else None
    return value if value is not None and value.type == "attribute_value" else None


def _script_language(attributes: dict[str, str]) -> str | None:
    """JavaScript, TypeScript or TSX for a script block that runs in the page; else None."""
    if "src" in attributes:
        return None  # the browser ignores its content
    lang = attributes.get("lang")
    if lang is not None:
        return _LANGS.get(lang.strip().lower())
    kind = attributes.get("type", "").split(";")[0].strip().lower()
    if kind in _TS_TYPES:
        return languages.TYPESCRIPT
    if kind in _JS_TYPES:
        return languages.JAVASCRIPT
    if kind == "text/plain" and (
        _CONSENT_ATTRIBUTES & attributes.keys()
        or attributes.get("data-type", "").strip().lower() in _JS_TYPES - {""}
    ):
        return languages.JAVASCRIPT
    return None


def _unescaped(host: SourceText, code: bytes, start: int) -> SourceText:
    """An attribute value with its character references decoded, mapped back to the host."""
    rebuilt = Rebuilt()
    pos = 0
    for match in _ENTITY.finditer(code):
        rebuilt.add(code[pos : match.start()], start + pos)
        entity = match.group().decode("ascii")
        rebuilt.add(html.unescape(entity).encode("utf-8"), start + match.start())
        pos = match.end()
    rebuilt.add(code[pos:], start + pos)
    return rebuilt.text(host, start + len(code))
