"""The plugin contract. Built-in rules are registered through it exactly like third-party ones.

A plugin is any module or object with `@hookimpl`-decorated functions, announced in the
`uelint` entry-point group of its distribution::

    [project.entry-points.uelint]
    mycompany = "mycompany_uelint"
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    from uelint.rule import Rule

PROJECT = "uelint"

hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)


@hookspec
def uelint_rules() -> Sequence[Rule]:  # type: ignore[empty-body]
    """Return the rules this plugin contributes (instances of `linter.Rule`)."""
