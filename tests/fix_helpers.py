"""Fixes as `uelint check --fix` applies them, on real source through a real adapter."""

from __future__ import annotations

from pathlib import Path

from uelint import engine, plugins
from uelint.diagnostic import Diagnostic


def findings(source: str, code: str, name: str = "app.js") -> list[Diagnostic]:
    """`code`'s findings in `source` (a file named `name`), with their fixes fitted."""
    rules = list(plugins.load().rules.values())
    language = engine.buffer_language(Path(name), source.encode())
    assert language is not None
    analysis = engine.check_source(source.encode(), language, rules, name)
    return [d for d in analysis.diagnostics if d.code == code]


def fixed(source: str, found: list[Diagnostic]) -> str:
    """`source` with the fixes of `found` applied, from the end."""
    data = source.encode()
    for edit in sorted((e for d in found for e in d.fix), key=lambda e: -e.start_byte):
        data = data[: edit.start_byte] + edit.text.encode() + data[edit.end_byte:]
    return data.decode()
