"""`--fix` never damages source code: directive look-alikes in strings are not directives, and
a fix whose result would not parse is not applied."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.test_cli import uelint, write
from uelint import fixes
from uelint.diagnostic import Diagnostic, Edit, Level, RunResult
from uelint.ir import Span

STRINGS = {
    "tip.js": 'const tip = "silence it with # noqa: UE001 on the line";\n',
    "tip.py": 'TIP = "silence it with # noqa: UE001 on the line"\nwindow.userengage("x")\n',
    "page.html": '<a href="/docs#noqa: UE002">docs</a>\n<script>userengage("x");</script>\n',
    "hint.ts": "const hint = `// uelint-disable-line UE001`;\nuserengage(\"x\");\n",
}


@pytest.mark.parametrize("name", sorted(STRINGS))
def test_fix_leaves_directive_look_alikes_in_strings_alone(tmp_path: Path, name: str) -> None:
    write(tmp_path, {name: STRINGS[name]})
    done = uelint("check", "--fix", "--format", "json", name, cwd=tmp_path)
    assert (tmp_path / name).read_text() == STRINGS[name], done.stderr
    found = json.loads(done.stdout)
    assert not [f for f in found["findings"] if f["rule"] in ("UE100", "UE101")], found
    assert found["errors"] == []
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_a_fix_that_would_break_the_syntax_is_not_applied(tmp_path: Path) -> None:
    source = 'const a = "keep me";\n'
    (tmp_path / "a.js").write_text(source)
    start = source.index('"')
    broken = Diagnostic("UE100", Level.WARNING, "m", "a.js", Span(1, 11, 1, 12, start, start + 1),
                        fix=(Edit(start, start + 1, ""),))  # drops the opening quote
    result = RunResult((broken,), (), 1, 1, str(tmp_path))
    fixed, refused = fixes.apply(result)
    assert refused == ["a.js"] and fixed == result
    assert (tmp_path / "a.js").read_text() == source
