"""Plugin loading: built-in rules and third-party plugins through one pluggy manager."""

from __future__ import annotations

import os
from dataclasses import dataclass

import pluggy

from linter import hookspecs
from linter.rule import Rule

ENTRY_POINT_GROUP = "uelint"
# Like pytest's PYTEST_DISABLE_PLUGIN_AUTOLOAD: any non-empty value turns entry-point loading off.
DISABLE_AUTOLOAD_ENV = "UELINT_DISABLE_PLUGIN_AUTOLOAD"


class PluginError(Exception):
    """A plugin could not be loaded or contributed something invalid."""


@dataclass(frozen=True)
class Registry:
    rules: dict[str, Rule]  # by code, in code order
    plugins: list[tuple[str, str]]  # (name, distribution or "built-in")


def load(autoload: bool | None = None, extra: tuple[object, ...] = ()) -> Registry:
    """Build the registry: the built-in `rules` package, entry points, then `extra` plugins."""
    import rules as builtin

    pm = pluggy.PluginManager(hookspecs.PROJECT)
    pm.add_hookspecs(hookspecs)
    pm.register(builtin, name="uelint.rules")
    if autoload is None:
        autoload = not os.environ.get(DISABLE_AUTOLOAD_ENV)
    if autoload:
        try:
            pm.load_setuptools_entrypoints(ENTRY_POINT_GROUP)
        except Exception as exc:  # a broken third-party package must not look like our crash
            raise PluginError(f"could not load a plugin from entry-point group "
                              f"'{ENTRY_POINT_GROUP}': {type(exc).__name__}: {exc}") from exc
    for plugin in extra:
        pm.register(plugin)

    dists = {id(plugin): dist.project_name for plugin, dist in pm.list_plugin_distinfo()}
    plugins = [
        (name or "?", "built-in" if plugin is builtin else dists.get(id(plugin), "local"))
        for name, plugin in pm.list_name_plugin()
    ]

    found: dict[str, Rule] = {}
    for impl_rules in pm.hook.uelint_rules():
        for rule in impl_rules:
            if not isinstance(rule, Rule):
                raise PluginError(f"a plugin returned {rule!r} from uelint_rules(), not a linter.Rule")
            try:
                type(rule).validate()
            except ValueError as exc:
                raise PluginError(str(exc)) from exc
            if rule.code in found:
                raise PluginError(f"two plugins define rule {rule.code}")
            found[rule.code] = rule
    return Registry(dict(sorted(found.items())), plugins)
