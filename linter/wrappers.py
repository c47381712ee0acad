"""Wrappers: functions that forward to the SDK, and how they are found across files.

A wrapper is a function whose parameters flow into the method name or the payload of a
tracking call (or of another wrapper): `push(name, data) { window.userengage(name, data) }`.
A call to it with `"client.update"` is a tracking call at the call site. Adapters describe each
file's wrappers and what it exports; the engine indexes every file of the scan first, then
analyses each file with a `Linker` that answers "what is `track` imported from ./analytics?".
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field

from uelint.ir import Entry, Span, Via


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


class Linker:
    """Resolves imports between the files of one scan, following re-exports."""

    def __init__(
        self, exports: dict[str, ModuleExports], declared: tuple[DeclaredWrapper, ...] = ()
    ) -> None:
        self.exports = exports  # by file path, as the engine displays it (posix)
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
        return self._lookup(path, name, depth=0)

    def namespace(self, importer: str, specifier: str) -> dict[str, Wrapper | str]:
        """`import * as ns`: the module's wrappers and constants by name."""
        path = self.module_path(importer, specifier)
        if path is None:
            found = self._declared_export(specifier, "*")
            return found if isinstance(found, dict) else {}
        module = self.exports.get(path)
        if module is None:
            return {}
        return {k: v for k, v in module.names.items() if isinstance(v, (Wrapper, str))}

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

    def _lookup(self, path: str | None, name: str, depth: int) -> Export | None:
        module = self.exports.get(path) if path is not None else None
        if module is None or depth > 8:
            return None
        if name in module.names:
            return module.names[name]
        for specifier, original, alias in module.reexports:
            target = self.module_path(path or "", specifier)
            if original == "*" and alias == "*":
                found = self._lookup(target, name, depth + 1)
                if found is not None:
                    return found
            elif alias == name:
                return self._lookup(target, original, depth + 1)
        return None

    def module_path(self, importer: str, specifier: str) -> str | None:
        """The scanned file a specifier names: "./analytics" → "src/analytics.ts"."""
        if specifier.startswith("."):
            if importer.endswith((".py", ".pyi")):
                return self._python_relative(importer, specifier)
            base = posixpath.normpath(posixpath.join(posixpath.dirname(importer), specifier))
            candidates = [base] + [base + s for s in JS_SUFFIXES]
            candidates += [f"{base}/index{s}" for s in JS_SUFFIXES]
            return next((c for c in candidates if c in self.exports), None)
        if importer.endswith((".py", ".pyi")):
            return self._python_absolute(importer, specifier)
        return None  # a package: wrappers there come from configuration

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
            if candidate in self.exports:
                return candidate
        return None


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
