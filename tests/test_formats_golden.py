"""Golden files: every format's report of tests/formats_sample.py, byte for byte.

After an intended change, regenerate them and review the diff:

    UELINT_UPDATE_GOLDEN=1 python -m pytest tests/test_formats_golden.py
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.formats_sample import run_sample
from uelint import plugins
from uelint.reporters import FORMATS, ReportOptions, render

GOLDEN = Path(__file__).parent / "golden"
UPDATE = bool(os.environ.get("UELINT_UPDATE_GOLDEN"))
ROOT_PLACEHOLDER = "/ROOT"

# (file name, format, terminal width)
CASES = [
    ("sample.txt", "text", None),
    ("sample.80.txt", "text", 80),
    ("sample.statistics.txt", "statistics", None),
    ("sample.json", "json", None),
    ("sample.sarif", "sarif", None),
    ("sample.github.txt", "github", None),
    ("sample.gitlab.json", "gitlab", None),
    ("sample.junit.xml", "junit", None),
]


def test_every_format_has_a_golden_file() -> None:
    assert {fmt for _, fmt, _ in CASES} == set(FORMATS)


@pytest.mark.parametrize(("name", "fmt", "width"), CASES)
def test_golden(
    name: str, fmt: str, width: int | None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "project"
    root.mkdir()
    result = run_sample(root)
    monkeypatch.chdir(root)  # SARIF records the working directory
    options = ReportOptions(tool_version="1.0.0", width=width)
    output = render(fmt, result, plugins.load(autoload=False).rules, options)
    # The absolute root varies from run to run; everything else must not.
    output = output.replace(root.as_uri(), "file://" + ROOT_PLACEHOLDER)
    output = output.replace(str(root), ROOT_PLACEHOLDER)
    golden = GOLDEN / name
    if UPDATE:
        golden.write_text(output, encoding="utf-8", newline="\n")
    expected = golden.read_text(encoding="utf-8") if golden.exists() else ""
    assert output == expected, f"{name} differs; UELINT_UPDATE_GOLDEN=1 regenerates it"
