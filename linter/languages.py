"""Which language a file is, by suffix (or, for a file named explicitly, by its shebang)."""

from __future__ import annotations

import os
import re
from pathlib import Path

JAVASCRIPT = "javascript"  # includes JSX
TYPESCRIPT = "typescript"
TSX = "tsx"
PYTHON = "python"
# Files that hold JavaScript in markup, read by adapters/html.py.
HTML = "html"  # also checked for Django/Jinja and ERB-style tags
VUE = "vue"
SVELTE = "svelte"
JINJA = "jinja"  # Django, Jinja, Twig: {{ }}, {% %}, {# #}
PHP = "php"
BLADE = "blade"
SMARTY = "smarty"
ERB = "erb"
EJS = "ejs"

SUFFIXES: dict[str, str] = {
    ".js": JAVASCRIPT, ".mjs": JAVASCRIPT, ".cjs": JAVASCRIPT, ".jsx": JAVASCRIPT,
    ".ts": TYPESCRIPT, ".mts": TYPESCRIPT, ".cts": TYPESCRIPT,
    ".tsx": TSX,
    ".py": PYTHON, ".pyi": PYTHON,
    ".html": HTML, ".htm": HTML, ".vue": VUE, ".svelte": SVELTE,
    ".jinja": JINJA, ".jinja2": JINJA, ".j2": JINJA, ".twig": JINJA,
    ".php": PHP, ".phtml": PHP, ".tpl": SMARTY, ".erb": ERB, ".ejs": EJS,
}
# Suffixes of two parts, which win over the last part alone.
COMPOUND_SUFFIXES: dict[str, str] = {".blade.php": BLADE}

_SHEBANG = re.compile(rb"^#![^\n]*\b(?P<interp>python[0-9.]*|node|nodejs|deno|bun)\b")


def by_suffix(path: Path) -> str | None:
    return by_name(path.name)


def by_name(name: str) -> str | None:
    """By a file name's suffix; the walk asks this of every file, before it builds a Path."""
    name = name.lower()
    for compound, language in COMPOUND_SUFFIXES.items():
        if name.endswith(compound) and len(name) > len(compound):
            return language
    return SUFFIXES.get(os.path.splitext(name)[1])


def by_shebang(head: bytes) -> str | None:
    match = _SHEBANG.match(head)
    if not match:
        return None
    return PYTHON if match["interp"].startswith(b"python") else JAVASCRIPT
