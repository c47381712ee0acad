"""`uelint server`: a language server (LSP over standard input and output).

pygls and lsprotocol are the optional `lsp` extra (`pip install 'uelint[lsp]'`): only this
package imports them, and only `uelint server` imports this package.
"""

from __future__ import annotations

import sys


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
    build().start_io()
    return 0
