"""Report formats. Each module has `render(result, rules, options) -> str`."""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from dataclasses import dataclass

from linter.diagnostic import RunResult
from linter.rule import Rule

FORMATS = {
    "text": "linter.reporters.text",
    "sarif": "linter.reporters.sarif",
}


@dataclass(frozen=True)
class ReportOptions:
    color: bool = False
    tool_version: str = "0.0.0"


def render(fmt: str, result: RunResult, rules: Mapping[str, Rule], options: ReportOptions) -> str:
    module = importlib.import_module(FORMATS[fmt])
    text: str = module.render(result, rules, options)
    return text
