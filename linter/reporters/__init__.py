"""Report formats. Each module has `render(result, rules, options) -> str` and is imported
only when its format is asked for.

Every reporter reports all of `result.diagnostics`; findings that must not be reported are
taken out before the reporters see them.
"""

from __future__ import annotations

import importlib
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


def error_id(kind: str) -> str:
    """The id of a kind of file error in every report format, e.g. "uelint/syntax-error"."""
    slug = re.sub(r"[^a-z0-9]+", "-", kind.lower()).strip("-") or "unknown"
    return f"uelint/{slug}-error"


def render(fmt: str, result: RunResult, rules: Mapping[str, Rule], options: ReportOptions) -> str:
    module = importlib.import_module(FORMATS[fmt])
    text: str = module.render(result, rules, options)
    return text
