"""Report formats. Each module has `render(result, rules, options) -> str` and is imported
only when its format is asked for.

Every reporter reports all of `result.diagnostics`; findings that must not be reported are
taken out before the reporters see them.
"""

from __future__ import annotations

import importlib
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass

from uelint.diagnostic import RunResult
from uelint.rule import Rule

FORMATS = {
    "text": "uelint.reporters.text",
    "statistics": "uelint.reporters.statistics",
    "json": "uelint.reporters.json",
    "sarif": "uelint.reporters.sarif",
    "github": "uelint.reporters.github",
    "gitlab": "uelint.reporters.gitlab",
    "junit": "uelint.reporters.junit",
}

DEFAULT_SARIF_CATEGORY = "uelint/"


@dataclass(frozen=True)
class ReportOptions:
    color: bool = False
    tool_version: str = "0.0.0"
    width: int | None = None  # terminal columns to fit the text report in; None: never wrap
    sarif_category: str = DEFAULT_SARIF_CATEGORY  # run.automationDetails.id, "category/"
    concise: bool = False  # text: one line per finding, no source excerpt (Ruff's "concise")
    quiet: bool = False  # text: the findings only, no summary (Ruff's --quiet)


# What a path may hold that no report can show as it is: bytes that are not UTF-8 (Python
# decodes them to lone surrogates, which no output can encode), control characters (a
# newline or a terminal escape in a file name would forge report lines), and the backslash
# that starts the escapes (on Windows it is the separator, and never escaped).
_UNSHOWABLE = re.compile(r"[\ud800-\udfff\x00-\x1f\x7f-\x9f]" + (r"|\\" if os.sep == "/" else ""))
_SURROGATE = re.compile(r"[\ud800-\udfff]")


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    if char == "\\":
        return "\\\\"
    if 0xDC80 <= code <= 0xDCFF:  # an undecodable byte
        return f"\\x{code - 0xDC00:02x}"
    return f"\\u{code:04x}" if code > 0xFF else f"\\x{code:02x}"


def shown_path(path: str) -> str:
    """`path` as every report shows it: losslessly, each undecodable byte and control
    character as `\\xNN` and a backslash as two."""
    return _UNSHOWABLE.sub(_escape, path) if not path.isprintable() or "\\" in path else path


def shown_text(text: str) -> str:
    """A message that may quote a path: undecodable bytes as `\\xNN`, so that it can be
    written at all (formats escape the rest as their syntax requires)."""
    return text if text.isascii() else _SURROGATE.sub(_escape, text)


def error_id(kind: str) -> str:
    """The id of a kind of file error in every report format, e.g. "uelint/syntax-error"."""
    slug = re.sub(r"[^a-z0-9]+", "-", kind.lower()).strip("-") or "unknown"
    return f"uelint/{slug}-error"


def render(fmt: str, result: RunResult, rules: Mapping[str, Rule], options: ReportOptions) -> str:
    module = importlib.import_module(FORMATS[fmt])
    text: str = module.render(result, rules, options)
    return text
