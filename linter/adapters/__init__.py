"""Adapters turn one source file into tracking calls (the IR).

Each language's adapter is imported only when a file of that language survives the
prefilter: a JavaScript-only run never imports libcst.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Protocol

from linter import languages
from linter.diagnostic import FileError
from linter.ir import TrackingCall
from linter.source import SourceText
from linter.wrappers import Linker, ModuleExports


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
    languages.JAVASCRIPT: "linter.adapters.javascript",
    languages.TYPESCRIPT: "linter.adapters.javascript",
    languages.TSX: "linter.adapters.javascript",
    languages.PYTHON: "linter.adapters.python",
    **dict.fromkeys(
        (languages.HTML, languages.VUE, languages.SVELTE, languages.JINJA, languages.PHP,
         languages.BLADE, languages.SMARTY, languages.ERB, languages.EJS),
        "linter.adapters.html",
    ),
}


def adapter_for(language: str) -> Adapter:
    module = importlib.import_module(_MODULES[language])
    adapter: Adapter = module.extract
    return adapter
