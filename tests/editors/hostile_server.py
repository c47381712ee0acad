"""`uelint server` with hostile adapters, for tests/test_server.py: Python's dies of SIGSEGV
on a file holding `crash` (as libcst's native parser has), JavaScript's works on a file
holding `slowpoke` until the file named by $UELINT_TEST_GATE is gone (a huge bundle)."""

from __future__ import annotations

import os
import signal
import sys
import time

from uelint import server
from uelint.adapters import javascript, python

_python, _javascript = python.extract, javascript.extract


def _crashing(source, path, language, linker=None):  # type: ignore[no-untyped-def]
    if b"crash" in source.data:
        os.kill(os.getpid(), signal.SIGSEGV)
    return _python(source, path, language, linker)


def _slow(source, path, language, linker=None):  # type: ignore[no-untyped-def]
    while b"slowpoke" in source.data and os.path.exists(os.environ["UELINT_TEST_GATE"]):
        time.sleep(0.01)
    return _javascript(source, path, language, linker)


python.extract, javascript.extract = _crashing, _slow
sys.exit(server.main())
