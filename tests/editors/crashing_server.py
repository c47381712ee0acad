"""`uelint server` with Python's adapter made to die of SIGSEGV on a file holding `crash`:
how tests/test_server.py crashes an adapter in the server's own process."""

from __future__ import annotations

import os
import signal
import sys

from uelint import server
from uelint.adapters import python as python_adapter

_extract = python_adapter.extract


def _crashing(source, path, language, linker=None):  # type: ignore[no-untyped-def]
    if b"crash" in source.data:
        os.kill(os.getpid(), signal.SIGSEGV)
    return _extract(source, path, language, linker)


python_adapter.extract = _crashing
sys.exit(server.main())
