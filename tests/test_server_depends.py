"""Which open buffers an edit may change (linter/server/depends.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from uelint.diagnostic import Diagnostic, Level, Related
from uelint.ir import Span
from uelint.server import depends


@pytest.mark.parametrize(("text", "module", "expected"), [
    (b'import { track } from "./analytics";', "src/analytics.js", True),
    (b'const a = require("../lib/analytics.js");', "lib/analytics.js", True),
    (b'import { track } from "./analytics-v2";', "src/analytics.js", False),
    (b'import { track } from "./myanalytics";', "src/analytics.js", False),
    (b'import { track } from "./tracking";', "src/tracking/index.ts", True),
    (b"from .analytics import track", "app/analytics.py", True),
    (b"import app.analytics", "app/analytics.py", True),
    (b"from app import analytics_v2", "app/analytics.py", False),
    (b"from tracking import push", "tracking/__init__.py", True),
])
def test_a_file_names_a_module_as_its_imports_do(text: bytes, module: str, expected: bool) -> None:
    assert depends.mentions(text, Path("/p", module)) is expected


def test_a_finding_through_a_wrapper_depends_on_its_file() -> None:
    span = Span(0, 1, 1, 0, 1, 1)
    via = Related("src/./analytics.js", span, "via `track`, defined here")
    found = Diagnostic("UE001", Level.ERROR, "m", "src/app.js", span, related=(via,))
    assert depends.went_through([found], "src/analytics.js")
    assert not depends.went_through([found], "src/other.js")
