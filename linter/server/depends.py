"""Which open buffers an edit of another file may change: its cross-file dependents.

A file's findings depend on another file when it calls a wrapper (or uses a constant) that
file exports. Analyses do not record imports, so this asks what the engine's linking round
asks of a file before checking it again (linking._linkable): does it name the module? A
JavaScript import names it after a `/` (`./analytics`, `../lib/analytics.js`; an index
module by its directory), a Python import as a word (`from .analytics import track`). And a
file whose last findings went through a wrapper of the edited file (`via` that file) depends
on it whatever it names, so that a finding that the edit removes is cleared.

Not seen: a file that reaches the edited one only through a barrel module of another name
(`export * from "./analytics"` in lib/index.js); it is checked again on its own next edit.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable
from pathlib import Path

from uelint.diagnostic import Diagnostic

_PYTHON = (".py", ".pyi")


def module_word(path: Path) -> str:
    """The name an import gives the module at `path`: its stem, or for an index module
    (index.js, __init__.py) its directory's name."""
    stem = path.name.split(".", 1)[0]
    return path.parent.name if stem in ("index", "__init__") else stem


def mentions(data: bytes, module: Path) -> bool:
    """Whether the text `data` names `module` as an import would."""
    word = re.escape(module_word(module).encode())
    if not word:
        return False
    if module.suffix in _PYTHON:
        return re.search(rb"(?<!\w)" + word + rb"(?!\w)", data) is not None
    return re.search(rb"/" + word + rb"(?![\w$-])", data) is not None  # not ./analytics-v2


def went_through(findings: Iterable[Diagnostic], displayed: str) -> bool:
    """Whether a finding went through a wrapper defined in the file shown as `displayed`."""
    wanted = posixpath.normpath(displayed)
    return any(posixpath.normpath(r.path) == wanted for d in findings for r in d.related)
