"""Plugin loading: built-in rules and third-party plugins (the `uelint` entry points of the
installed distributions) through one pluggy manager."""

from __future__ import annotations

import importlib
import os
import sys
from dataclasses import dataclass
from pathlib import Path

import pluggy

from uelint import cache, hookspecs
from uelint.rule import Rule

ENTRY_POINT_GROUP = "uelint"
# Like pytest's PYTEST_DISABLE_PLUGIN_AUTOLOAD: any non-empty value turns entry-point loading off.
DISABLE_AUTOLOAD_ENV = "UELINT_DISABLE_PLUGIN_AUTOLOAD"


class PluginError(Exception):
    """A plugin could not be loaded or contributed something invalid."""


@dataclass(frozen=True)
class Registry:
    rules: dict[str, Rule]  # by code, in code order
    plugins: list[tuple[str, str]]  # (name, distribution or "built-in")


def load(
    autoload: bool | None = None, extra: tuple[object, ...] = (), cache_dir: Path | None = None
) -> Registry:
    """Build the registry: the built-in `rules` package, entry points, then `extra` plugins.
    `cache_dir`: where to keep the entry points found, for the next run."""
    from uelint import rules as builtin

    pm = pluggy.PluginManager(hookspecs.PROJECT)
    pm.add_hookspecs(hookspecs)
    pm.register(builtin, name="uelint.rules")
    if autoload is None:
        autoload = not os.environ.get(DISABLE_AUTOLOAD_ENV)
    dists: dict[int, str] = {}
    for name, value, dist in _entry_points(cache_dir) if autoload else []:
        if pm.get_plugin(name) is not None or pm.is_blocked(name):
            continue
        try:
            plugin = _load_entry_point(value)
        except Exception as exc:  # a broken third-party package must not look like our crash
            raise PluginError(f"could not load plugin {name!r} ({value}) from entry-point "
                              f"group '{ENTRY_POINT_GROUP}': {type(exc).__name__}: {exc}") from exc
        pm.register(plugin, name=name)
        dists[id(plugin)] = dist
    for plugin in extra:
        pm.register(plugin)

    plugins = [
        (name or "?", "built-in" if plugin is builtin else dists.get(id(plugin), "local"))
        for name, plugin in pm.list_name_plugin()
    ]

    found: dict[str, Rule] = {}
    for impl_rules in pm.hook.uelint_rules():
        for rule in impl_rules:
            if not isinstance(rule, Rule):
                raise PluginError(
                    f"a plugin returned {rule!r} from uelint_rules(), not a uelint.Rule")
            try:
                type(rule).validate()
            except ValueError as exc:
                raise PluginError(str(exc)) from exc
            if rule.code in found:
                raise PluginError(f"two plugins define rule {rule.code}")
            found[rule.code] = rule
    return Registry(dict(sorted(found.items())), plugins)


_EntryPoint = tuple[str, str, str]  # name, value ("module:attr"), distribution
_KEPT = "plugins.json"  # in the cache directory


def _entry_points(cache_dir: Path | None) -> list[_EntryPoint]:
    """The `uelint` entry points of the installed distributions. Importing importlib.metadata
    to find them costs 12-16 ms of every run, so what it found is kept in the cache with the
    signature of every sys.path entry: a distribution installed, upgraded or removed adds or
    removes a `.dist-info` directory in one of them, which changes its mtime."""
    environment = [sys.executable, sys.version, [[entry, _stamp(entry)] for entry in sys.path]]
    kept = cache.load_kept(cache_dir, _KEPT) if cache_dir is not None else None
    if isinstance(kept, dict) and kept.get("environment") == environment:
        entry_points = kept.get("entry_points")
        if isinstance(entry_points, list) and all(
            isinstance(ep, list) and len(ep) == 4 and all(isinstance(part, str) for part in ep)
            and _installed(*ep) for ep in entry_points
        ):
            return [(name, value, dist) for name, value, dist, _ in entry_points]
    import importlib.metadata

    found = [[ep.name, ep.value, ep.dist.name if ep.dist else "?",
              str(getattr(ep.dist, "_path", ""))]
             for ep in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP)]
    if cache_dir is not None:
        cache.keep(cache_dir, _KEPT, {"environment": environment, "entry_points": found})
    return [(name, value, dist) for name, value, dist, _ in found]


def _installed(name: str, value: str, dist: str, metadata: str) -> bool:
    """Whether a kept entry point is still what an installed distribution declares: its
    metadata directory lies on sys.path and its entry_points.txt names it. A kept list is
    data in a cache directory; it must not be able to make uelint import anything else."""
    directory = os.path.dirname(metadata)
    if not metadata or not any(entry and os.path.samefile(directory, entry)
                               for entry in sys.path if os.path.isdir(entry or ".")):
        return False
    try:
        with open(os.path.join(metadata, "entry_points.txt"), encoding="utf-8") as handle:
            declared = handle.read()
    except OSError:
        return False
    return any(line.partition("=")[0].strip() == name and line.partition("=")[2].strip() == value
               for line in declared.splitlines())


def _stamp(entry: str) -> list[int] | None:
    try:
        st = os.stat(entry or ".")
    except OSError:
        return None
    return [st.st_mtime_ns, st.st_ctime_ns, st.st_ino]


def _load_entry_point(value: str) -> object:
    """What `module.path:attr.path [extras]` names (importlib.metadata.EntryPoint.load)."""
    module, _, attrs = value.partition("[")[0].partition(":")
    loaded = importlib.import_module(module.strip())
    for attr in filter(None, attrs.strip().split(".")):
        loaded = getattr(loaded, attr)
    return loaded
