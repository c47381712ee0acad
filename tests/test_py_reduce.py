"""Reducing large Python files before libcst must never change what is found."""

from __future__ import annotations

from pathlib import Path

import pytest

from uelint import engine, plugins
from uelint.adapters import py_reduce
from uelint.discover import SourceFile

FIXTURES = Path(__file__).parent / "fixtures"
PYTHON = sorted(FIXTURES.rglob("*.py"))


def outcome(path: Path) -> engine.Analysis:
    rules = list(plugins.load(autoload=False).rules.values())
    return engine.check_file(SourceFile(str(path), "python", explicit=True), rules, path.name)


@pytest.mark.parametrize("path", PYTHON, ids=lambda p: p.relative_to(FIXTURES).as_posix())
def test_same_findings_when_every_file_is_reduced(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    whole = outcome(path)
    monkeypatch.setattr(py_reduce, "MIN_CHARS", 0)
    reduced = outcome(path)
    assert [(d.code, d.span, d.message) for d in reduced.diagnostics] == [
        (d.code, d.span, d.message) for d in whole.diagnostics
    ]


def test_unrelated_statements_are_left_out(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(py_reduce, "MIN_CHARS", 0)
    text = (
        "import os\nfrom js import window\nUPDATE = 'client.update'\n\n"
        "def unrelated():\n    return os.getcwd()\n\n"
        "def track(m, d):\n    window.userengage(m, d)\n\n"
        "def save(u):\n    track(UPDATE, {'user_id': u})\n"
    )
    reduced = py_reduce.reduce(text, ["userengage"])
    assert reduced.text == (
        "from js import window\nUPDATE = 'client.update'\n"
        "def track(m, d):\n    window.userengage(m, d)\n"
        "def save(u):\n    track(UPDATE, {'user_id': u})\n"
    )
    original = text.splitlines()
    for line, kept in enumerate(reduced.text.splitlines(), start=1):
        assert original[reduced.original_line(line) - 1] == kept
