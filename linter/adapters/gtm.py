"""The adapter for `.tpl` files: Google Tag Manager custom templates, else Smarty.

A template exported from GTM's editor is a `.tpl` file of sections, each opened by a line
`___NAME___`: JSON metadata (`___INFO___`), fields (`___TEMPLATE_PARAMETERS___`), the
sandboxed JavaScript (`___SANDBOXED_JS_FOR_WEB_TEMPLATE___`), permissions and tests. Only
the sandboxed code runs in the page: it is read as JavaScript in place (the rest blanked,
so locations are the file's), where `js_gtm` follows the sandbox API. A `.tpl` without that
section is a Smarty template (`html`).
"""

from __future__ import annotations

import re

from uelint import languages
from uelint.adapters import AdapterResult, html, regions
from uelint.source import SourceText
from uelint.wrappers import Linker

MARKER = b"___SANDBOXED_JS_FOR_WEB_TEMPLATE___"
# A whole line, whatever ends it (LF, CRLF or a lone CR, as JavaScript reads line breaks).
_SECTION = re.compile(rb"(?<![^\r\n])___[A-Z0-9_]+___[ \t]*(?![^\r\n])")


def extract(
    source: SourceText, path: str, language: str, linker: Linker | None = None
) -> AdapterResult:
    section = sandboxed_section(source.data)
    if section is None:
        return html.extract(source, path, language, linker)
    code = [regions.Region(*section, languages.JAVASCRIPT)]
    return regions.run(source, source.data, code, path, linker)


def sandboxed_section(data: bytes) -> tuple[int, int] | None:
    """Where the sandboxed JavaScript of an exported template lies: (start, end)."""
    for match in _SECTION.finditer(data):
        if match.group().rstrip() == MARKER:
            following = _SECTION.search(data, match.end())
            return match.end(), following.start() if following else len(data)
    return None
