"""The rule interface. A rule sees tracking calls (the IR), never a syntax tree.

A rule's class docstring is its documentation, in Ruff's sections (`## What it does`,
`## Why is this bad?`, `## Example`, `## Use instead`). `uelint rule CODE` prints it and SARIF
carries it as `help.markdown`.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Iterable, Mapping
from typing import ClassVar

from uelint.diagnostic import Diagnostic, Level
from uelint.ir import ParsedFile, Span, TrackingCall

_CODE = re.compile(r"^[A-Z]+[0-9]+$")


class Rule:
    code: ClassVar[str]  # "UE001": letters then digits; the letters are the plugin's prefix
    name: ClassVar[str]  # "user-id-in-update"
    summary: ClassVar[str]  # one sentence, SARIF shortDescription
    level: ClassVar[Level] = Level.WARNING
    tags: ClassVar[tuple[str, ...]] = ()
    help_uri: ClassVar[str | None] = None
    precision: ClassVar[str] = "high"  # SARIF/CodeQL: very-high, high, medium, low

    def configure(self, options: Mapping[str, object]) -> None:
        """Apply the rule's options from configuration; raise ValueError saying what is wrong.
        A rule without options accepts none."""
        if options:
            raise ValueError(
                f"rule {self.code} takes no options (got {', '.join(sorted(options))})")

    def check(self, call: TrackingCall, file: ParsedFile) -> Iterable[Diagnostic]:
        """Yield diagnostics for one call. `file.calls` holds every call of the file."""
        raise NotImplementedError

    def diagnostic(
        self, file: ParsedFile, span: Span, message: str, level: Level | None = None
    ) -> Diagnostic:
        return Diagnostic(self.code, level or self.level, message, file.path, span)

    @classmethod
    def documentation(cls) -> str:
        """The rule's Markdown documentation (its docstring, dedented)."""
        return inspect.cleandoc(cls.__doc__ or cls.summary)

    @classmethod
    def validate(cls) -> None:
        """Raise ValueError when a (plugin) rule class is malformed."""
        for attr in ("code", "name", "summary"):
            if not isinstance(getattr(cls, attr, None), str):
                raise ValueError(f"rule {cls.__qualname__} has no string `{attr}`")
        if not _CODE.match(cls.code):
            raise ValueError(f"rule code {cls.code!r} is not letters followed by digits")
        if not isinstance(cls.level, Level):
            raise ValueError(f"rule {cls.code}: `level` must be a uelint.Level")
