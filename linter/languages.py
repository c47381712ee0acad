"""Which language a file is, by suffix (or, for a file named explicitly, by its shebang)."""

from __future__ import annotations

import re
from pathlib import Path

JAVASCRIPT = "javascript"  # includes JSX
TYPESCRIPT = "typescript"
TSX = "tsx"
PYTHON = "python"

SUFFIXES: dict[str, str] = {
    ".js": JAVASCRIPT, ".mjs": JAVASCRIPT, ".cjs": JAVASCRIPT, ".jsx": JAVASCRIPT,
    ".ts": TYPESCRIPT, ".mts": TYPESCRIPT, ".cts": TYPESCRIPT,
    ".tsx": TSX,
    ".py": PYTHON, ".pyi": PYTHON,
}

_SHEBANG = re.compile(rb"^#![^\n]*\b(?P<interp>python[0-9.]*|node|nodejs|deno|bun)\b")


def by_suffix(path: Path) -> str | None:
    return SUFFIXES.get(path.suffix.lower())


def by_shebang(head: bytes) -> str | None:
    match = _SHEBANG.match(head)
    if not match:
        return None
    return PYTHON if match["interp"].startswith(b"python") else JAVASCRIPT
