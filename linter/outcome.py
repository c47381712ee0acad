"""What checking one file yields: what the engine caches, and what worker processes send back."""

from __future__ import annotations

from dataclasses import dataclass

from uelint.diagnostic import Diagnostic, FileError
from uelint.wrappers import ModuleExports


@dataclass(frozen=True, slots=True)
class FileOutcome:
    diagnostics: tuple[Diagnostic, ...] = ()
    errors: tuple[FileError, ...] = ()
    parsed: bool = False
    exports: ModuleExports | None = None  # wrappers and constants other files may import
