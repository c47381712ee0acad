"""Adapters turn one source file into tracking calls (the IR).

Each language's adapter is imported only when a file of that language survives the
prefilter: a JavaScript-only run never imports libcst.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Protocol

from uelint import languages
from uelint.diagnostic import FileError
from uelint.ir import TrackingCall
from uelint.source import SourceText
from uelint.wrappers import Linker, ModuleExports


@dataclass(frozen=True, slots=True)
class AdapterResult:
    calls: tuple[TrackingCall, ...]
    # Problems that did not stop the adapter (a syntax error tree-sitter recovered from), or
    # that did (libcst rejected the file; then `calls` is empty).
    errors: tuple[FileError, ...] = ()
    exports: ModuleExports | None = None  # what other files may import (wrappers, constants)


class Adapter(Protocol):
    def __call__(
        self, source: SourceText, path: str, language: str, linker: Linker | None = None
    ) -> AdapterResult: ...


_MODULES = {
    languages.JAVASCRIPT: "uelint.adapters.javascript",
    languages.TYPESCRIPT: "uelint.adapters.javascript",
    languages.TSX: "uelint.adapters.javascript",
    languages.PYTHON: "uelint.adapters.python",
    **dict.fromkeys(
        (languages.HTML, languages.VUE, languages.SVELTE, languages.JINJA, languages.PHP,
         languages.BLADE, languages.SMARTY, languages.ERB, languages.EJS),
        "uelint.adapters.html",
    ),
}


def adapter_for(language: str) -> Adapter:
    module = importlib.import_module(_MODULES[language])
    adapter: Adapter = module.extract
    return adapter
