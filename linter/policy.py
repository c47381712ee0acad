"""What configuration and suppression comments do to one file's findings: the filter stage.

It runs on every run, after the cache, on each file's Analysis (analysis.py), in order: the
rules this run selects, per-rule severity (`off` drops the finding), `per-file-ignores`,
then the file's suppression comments, which also report their own problems (UE100 unused,
UE101 invalid). Suppressed findings are kept, marked with their justification, so that
SARIF can show them to editors on request. It reads no file: everything it needs is in the
analysis.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from uelint import suppressions
from uelint.analysis import Analysis
from uelint.config import Settings, level_of
from uelint.diagnostic import Diagnostic

if TYPE_CHECKING:
    import pathspec

    from uelint.project import Configs


class Filter(Protocol):
    """What the engine applies to each file's analysis: a Policy, or Policies."""

    def apply(self, path: str, analysis: Analysis) -> list[Diagnostic]: ...


@dataclass(frozen=True)
class Policy:
    settings: Settings
    known: frozenset[str]  # every registered rule code (a directive naming another is invalid)
    active: frozenset[str]  # the codes this run reports (only their directives can be unused)
    cwd: Path  # what the engine's paths are relative to

    @cached_property
    def _ignores(self) -> list[tuple[pathspec.GitIgnoreSpec, tuple[str, ...]]]:
        if not self.settings.per_file_ignores:
            return []
        import pathspec  # only with per-file-ignores: it costs 10 ms of start-up

        return [(pathspec.GitIgnoreSpec.from_lines([glob]), codes)
                for glob, codes in self.settings.per_file_ignores]

    def apply(self, path: str, analysis: Analysis) -> list[Diagnostic]:
        """The findings of the file at `path` that this run reports (suppressed ones marked)."""
        kept = []
        ignored = self._ignored_codes(path)
        for diagnostic in analysis.diagnostics:
            if diagnostic.code not in self.active:
                continue
            severity = self.settings.severity_of(diagnostic.code)
            if severity is not None:
                level = level_of(severity)
                if level is None:
                    continue
                diagnostic = replace(diagnostic, level=level)
            if not any(diagnostic.code.startswith(code) for code in ignored):
                kept.append(diagnostic)
        outcome = suppressions.apply(analysis.comments, path, kept, self.known,
                                     self.active - set(ignored))
        marked = [replace(d, suppressed=reason or "") for d, reason in outcome.suppressed]
        problems = [p for p in outcome.problems if not any(p.code.startswith(c) for c in ignored)]
        return [*outcome.kept, *marked, *problems]

    def _ignored_codes(self, path: str) -> tuple[str, ...]:
        if not self._ignores:
            return ()
        absolute = Path(path) if Path(path).is_absolute() else self.cwd / path
        try:
            relative = absolute.resolve().relative_to(self.settings.root).as_posix()
        except ValueError:
            return ()  # outside the configuration's tree
        return tuple(code for spec, codes in self._ignores if spec.match_file(relative)
                     for code in codes)


class Policies:
    """Each file's policy: that of the configuration file governing it (project.Configs),
    each made once by `make`."""

    def __init__(self, configs: Configs, make: Callable[[Settings], Policy], cwd: Path) -> None:
        self.configs = configs
        self._make = make
        self._cwd = str(cwd)
        self._made: dict[int, Policy] = {}  # by the id of the Settings (kept alive by configs)

    def of(self, path: str) -> Policy:
        settings = self.configs.settings(os.path.join(self._cwd, path))
        policy = self._made.get(id(settings))
        if policy is None:
            policy = self._made[id(settings)] = self._make(settings)
        return policy

    def apply(self, path: str, analysis: Analysis) -> list[Diagnostic]:
        return self.of(path).apply(path, analysis)
