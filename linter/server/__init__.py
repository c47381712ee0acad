"""`uelint server`: a language server (LSP over standard input and output).

pygls and lsprotocol are the optional `lsp` extra (`pip install 'uelint[lsp]'`): only this
package imports them, and only `uelint server` imports this package.
"""

from __future__ import annotations

import ctypes
import sys

_M_ARENA_MAX = -8  # glibc's malloc.h
_ARENAS = 2


def main() -> int:
    """Serve until the editor says exit; 2 when the `lsp` extra is not installed."""
    try:
        from uelint.server.app import build
    except ImportError as exc:
        if exc.name not in ("pygls", "lsprotocol") and not str(exc.name).startswith("pygls."):
            raise
        print("uelint: error: `uelint server` needs the lsp extra: "
              "pip install 'uelint[lsp]'", file=sys.stderr)
        return 2
    _fewer_arenas()
    build().start_io()
    return 0


def _fewer_arenas() -> None:
    """Let the check threads share two malloc arenas. glibc gives a thread that allocates
    an arena of its own (up to 8 per core), and the parse trees of buffers checked at once
    then leave each arena fragmented: after the bench corpus, 289 MB at the peak with the
    default, 201 MB with two (bench/RESULTS.md). Elsewhere than glibc: nothing to do."""
    try:
        ctypes.CDLL(None).mallopt(_M_ARENA_MAX, _ARENAS)
    except (OSError, AttributeError, TypeError):
        pass
