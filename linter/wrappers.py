"""Wrappers: functions that forward to the SDK, and how they are found across files.

A wrapper is a function whose parameters flow into the method name or the payload of a
tracking call (or of another wrapper): `push(name, data) { window.userengage(name, data) }`.
A call to it with `"client.update"` is a tracking call at the call site. Adapters describe each
file's wrappers and what it exports; the engine indexes every file of the scan first, then
analyses each file with a `Linker` that answers "what is `track` imported from ./analytics?".
"""

from __future__ import annotations

import os
import posixpath
import re
from dataclasses import dataclass, field

from uelint.ir import Entry, Span, Via
from uelint.tsconfig import Listing, TsConfigs


@dataclass(frozen=True, slots=True)
class Wrapper:
    name: str  # as messages show it: "track", "TrackingDriver.push"
    path: str  # the file that defines it
    span: Span  # the definition (SARIF relatedLocations point here)
    api: str | None = None  # the API it always calls, when fixed
    api_param: int | None = None  # else: the parameter that holds the method name
    api_default: str | None = None  # that parameter's default value
    payload_param: int | None = None  # the parameter that flows into the payload
    entries: tuple[Entry, ...] = ()  # keys the wrapper itself adds to the payload
    complete: bool = True  # False when the wrapper adds keys that cannot be read statically
    via: tuple[Via, ...] = ()  # wrappers it calls in turn, outermost first
    # Parameter names as callers pass them, in Python signature syntax ("method", "*",
    # "source", "**attrs"), so that keyword arguments map to the positions above. Empty when
    # arguments can only be passed by position (JavaScript).
    params: tuple[str, ...] = ()

    def as_via(self) -> Via:
        return Via(self.name, self.path, self.span)

    def entries_at(self, path: str, site: Span) -> tuple[Entry, ...]:
        """Its own keys, seen from a call site in `path`: when the wrapper lives in another
        file, located at the call site (the line that file can change)."""
        if path == self.path:
            return self.entries
        return tuple(Entry(e.key, site, e.value, e.origin) for e in self.entries)


# What a module exports that matters here: a wrapper, a string constant (a method name), or a
# namespace of those (a class, an instance, an object literal, `import * as ns`).
Export = Wrapper | str | dict[str, "Wrapper | str"]


@dataclass(slots=True)
class ModuleExports:
    """What one file exports that other files may call."""

    names: dict[str, Export] = field(default_factory=dict)  # export name ("default" too)
    # `export { a as b } from "./x"`, `export * from "./x"`: (specifier, name or "*", alias)
    reexports: list[tuple[str, str, str]] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.names or self.reexports)


# Configuration may declare wrappers that live in packages outside the scan.
@dataclass(frozen=True, slots=True)
class DeclaredWrapper:
    name: str  # dotted: "analytics.track", "tracker.push"
    api_param: int
    payload_param: int | None


JS_SUFFIXES = (".js", ".mjs", ".cjs", ".jsx", ".ts", ".mts", ".cts", ".tsx")
# TypeScript's ESM imports name the emitted file: "./analytics.js" is ./analytics.ts.
_EMITTED = {".js": (".ts", ".tsx"), ".mjs": (".mts",), ".cjs": (".cts",), ".jsx": (".tsx",)}


class Linker:
    """Resolves imports between the files of one scan, following re-exports to any depth.

    Each module's re-exports are resolved once, here, into its `names`: what a file must
    mention to use another's exports (`names()`, and the engine's cross-file prefilter) then
    includes every name a barrel file passes on. With `root` (the directory paths are
    relative to), bare specifiers are resolved through `tsconfig.json` path aliases of the
    `project` (its root: `root` or a directory above it)."""

    def __init__(
        self, exports: dict[str, ModuleExports], declared: tuple[DeclaredWrapper, ...] = (),
        root: str | os.PathLike[str] | None = None, project: str | os.PathLike[str] | None = None,
        listing: Listing | None = None,
    ) -> None:
        self.tsconfigs = None if root is None else TsConfigs(
            os.fspath(project if project is not None else root), os.fspath(root), listing)
        self._raw = exports
        # By file path, as the engine displays it (posix); re-exports resolved into names.
        self.exports = self._resolve_reexports(exports)
        # Wrappers in packages outside the scan, from configuration, by dotted name.
        self.declared = {d.name: _declared_wrapper(d) for d in declared}

    def names(self) -> set[str]:
        """Every exported name, and the members of exported namespaces: the words a file
        must contain to call a wrapper of another file."""
        found: set[str] = set()
        for module in self.exports.values():
            for name, export in module.names.items():
                found.add(name)
                if isinstance(export, dict):
                    found.update(export)
        for dotted in self.declared:
            found.update(dotted.split("."))
        found.discard("default")
        return found

    def global_wrapper(self, path: tuple[str, ...]) -> Wrapper | None:
        """A declared wrapper reached through a global: `tracker.push` with no import."""
        return self.declared.get(".".join(path))

    def resolve(self, importer: str, specifier: str, name: str) -> Export | None:
        """What `name` (or "default", or "*" for the namespace) of `specifier` is, seen from
        the file `importer`."""
        path = self.module_path(importer, specifier)
        if path is None:
            return self._declared_export(specifier, name)
        module = self.exports.get(path)
        return module.names.get(name) if module is not None else None

    def namespace(self, importer: str, specifier: str) -> dict[str, Wrapper | str]:
        """`import * as ns`, `require()`: the module's wrappers and constants by name (a
        CommonJS `module.exports = {...}` object's members too)."""
        path = self.module_path(importer, specifier)
        if path is None:
            found = self._declared_export(specifier, "*")
            return found if isinstance(found, dict) else {}
        module = self.exports.get(path)
        if module is None:
            return {}
        default = module.names.get("default")
        members = dict(default) if isinstance(default, dict) else {}
        members.update({k: v for k, v in module.names.items() if isinstance(v, (Wrapper, str))})
        return members

    def service(self, importer: str, name: str) -> Export | None:
        """An injected service by its name, as Ember finds it: the default export of
        `services/<name>` (`userEngage` is `user-engage`), the one nearest the importer."""
        dashed = re.sub(r"(?<=[a-z0-9])([A-Z])", r"-\1", name).lower()
        found = [path for path in self.exports if _service_name(path) == dashed]
        here = posixpath.dirname(importer).split("/")
        best = max(found, key=lambda path: _shared(here, path.split("/")), default=None)
        return self.exports[best].names.get("default") if best is not None else None

    def _declared_export(self, specifier: str, name: str) -> Export | None:
        """A package's export, from configuration: `analytics.track` is `track` of any module
        named `analytics` (`@acme/analytics`, `acme.analytics`)."""
        module = specifier.rstrip("/").rsplit("/", 1)[-1].rsplit(".", 1)[-1]
        if name in ("default", "*"):
            members: dict[str, Wrapper | str] = {
                dotted.split(".", 1)[1]: wrapper for dotted, wrapper in self.declared.items()
                if dotted.startswith(module + ".") and dotted.count(".") == 1
            }
            return members or None
        return self.declared.get(f"{module}.{name}") or self.declared.get(name)

    # -- re-exports --------------------------------------------------------------------------

    def _resolve_reexports(self, exports: dict[str, ModuleExports]) -> dict[str, ModuleExports]:
        """Every module with its re-exports resolved into its names, to a fixed point: a
        chain of barrels of any depth, and cycles (`a` and `b` re-exporting each other),
        which end when no name is added. A module's own names shadow re-exported ones, a
        named re-export shadows `export *`, which passes on every name but "default"."""
        tables = {path: dict(module.names) for path, module in exports.items()}
        links = {
            path: [(target, original, alias) for specifier, original, alias in module.reexports
                   if (target := self.module_path(path, specifier)) is not None]
            for path, module in exports.items() if module.reexports
        }
        # Each pass carries names one module further; a chain is at most every module long
        # (the bound also ends a conflict, two re-exports of one name, that never settles).
        changed, passes = True, 0
        while changed and passes <= len(links):
            changed, passes = False, passes + 1
            for path, reexports in links.items():
                own, table = exports[path].names, tables[path]
                for target, original, alias in reexports:
                    source = tables[target]
                    if original == "*" and alias == "*":  # export * from
                        found = {k: v for k, v in source.items() if k != "default"}
                    elif original == "*":  # export * as ns from
                        members = {k: v for k, v in source.items()
                                   if isinstance(v, (Wrapper, str))}
                        found = {alias: members} if members else {}
                    else:  # export { original as alias } from
                        found = {alias: source[original]} if original in source else {}
                    for name, export in found.items():
                        explicit = original != "*" or alias != "*"
                        if name in own or (name in table and not explicit):
                            continue
                        if table.get(name) != export:
                            table[name] = export
                            changed = True
        for path, table in tables.items():
            _name_service(path, table)
        return {
            path: module if tables[path] == module.names
            else ModuleExports(tables[path], list(module.reexports))
            for path, module in exports.items()
        }

    # -- module paths ------------------------------------------------------------------------

    def module_path(self, importer: str, specifier: str) -> str | None:
        """The scanned file a specifier names: "./analytics" → "src/analytics.ts", and
        with a tsconfig's paths "@/lib/analytics" → "src/lib/analytics.ts"."""
        if specifier.startswith("."):
            if importer.endswith((".py", ".pyi")):
                return self._python_relative(importer, specifier)
            return self._js_file(
                posixpath.normpath(posixpath.join(posixpath.dirname(importer), specifier)))
        if importer.endswith((".py", ".pyi")):
            return self._python_absolute(importer, specifier)
        if self.tsconfigs is not None:  # a path alias, else a package
            for target in self.tsconfigs.targets(importer, specifier):
                found = self._js_file(target)
                if found is not None:
                    return found
        return None  # a package: wrappers there come from configuration

    def _js_file(self, base: str) -> str | None:
        """The scanned file an extension-less (or emitted-name) path means, or its index."""
        base = "" if base == "." else base
        stem, suffix = posixpath.splitext(base)
        candidates = [base] if base else []
        candidates += [stem + s for s in _EMITTED.get(suffix, ())]
        candidates += [base + s for s in JS_SUFFIXES]
        candidates += [posixpath.join(base, "index" + s) for s in JS_SUFFIXES]
        return next((c for c in candidates if c in self._raw), None)

    def _python_relative(self, importer: str, specifier: str) -> str | None:
        dots = len(specifier) - len(specifier.lstrip("."))
        package = posixpath.dirname(importer)
        for _ in range(dots - 1):
            package = posixpath.dirname(package)
        rest = specifier[dots:].replace(".", "/")
        base = posixpath.join(package, rest) if rest else package
        return self._python_file(posixpath.normpath(base))

    def _python_absolute(self, importer: str, specifier: str) -> str | None:
        tail = specifier.replace(".", "/")
        found = [  # `app.analytics` is `…/app/analytics.py` of the scan
            path for path in self.exports
            for suffix in (f"{tail}.py", f"{tail}/__init__.py")
            if path == suffix or path.endswith("/" + suffix)
        ]
        # Several `analytics.py`: the one nearest the importer (the same source root).
        here = posixpath.dirname(importer).split("/")
        return max(found, key=lambda path: _shared(here, path.split("/")), default=None)

    def _python_file(self, base: str) -> str | None:
        base = "" if base == "." else base  # the package at the root of the scan
        for candidate in (f"{base}.py", posixpath.join(base, "__init__.py")):
            if candidate in self._raw:
                return candidate
        return None


def _service_name(path: str) -> str | None:
    """The name of the service a module defines: `app/services/user-engage.js`."""
    stem, suffix = posixpath.splitext(path)
    directory, name = posixpath.split(stem)
    if suffix in JS_SUFFIXES and posixpath.basename(directory) == "services":
        return name
    return None


def _name_service(path: str, table: dict[str, Export]) -> None:
    """A service is reached by its name (`userengage: service()`, `@service("user-engage")`,
    `userEngage: service()`), not by an import: its default export is named so too, which
    makes the files that inject it mention one of its names."""
    name = _service_name(path)
    default = table.get("default")
    if name is not None and isinstance(default, dict):
        camel = re.sub(r"-([a-z0-9])", lambda m: m.group(1).upper(), name)
        for alias in (name, camel):
            table.setdefault(alias, default)


def _shared(a: list[str], b: list[str]) -> int:
    """How many leading directories two paths share."""
    count = 0
    for x, y in zip(a, b, strict=False):  # the shorter path ends the comparison
        if x != y:
            break
        count += 1
    return count


def _declared_wrapper(declared: DeclaredWrapper) -> Wrapper:
    # No file defines it: an empty path tells reporters there is no location to point to.
    return Wrapper(
        name=declared.name, path="", span=Span(1, 1, 1, 1, 0, 0),
        api_param=declared.api_param, payload_param=declared.payload_param,
    )
