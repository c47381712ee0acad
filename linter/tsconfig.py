"""TypeScript path aliases: `compilerOptions.paths` and `baseUrl` of `tsconfig.json`.

`import { track } from "@/lib/analytics"` names a file of the project only through the
nearest `tsconfig.json` (or `jsconfig.json`) up from the importer, and the files it
`extends`. They are read as data (JSON with comments and trailing commas, as TypeScript
accepts), never run, and only inside the project: a config outside the root, one that
`extends` a package or a path that leaves the root, is ignored (its aliases are not known).
"""

from __future__ import annotations

import json
import os
import posixpath
import re
from dataclasses import dataclass

from uelint.source import read_file

CONFIG_NAMES = ("tsconfig.json", "jsconfig.json")
_MAX_SIZE = 1 << 20  # far more than any real tsconfig
_MAX_EXTENDS = 8  # a chain of `extends` this long, or a cycle, stops here

# A string or a comment; then, those gone, a string or a comma before a closing bracket.
_COMMENTS = re.compile(r'"(?:[^"\\]|\\.)*"|//[^\n]*|/\*[\s\S]*?\*/')
_TRAILING_COMMAS = re.compile(r'"(?:[^"\\]|\\.)*"|,(?=\s*[\]}])')


@dataclass(frozen=True, slots=True)
class Aliases:
    """What one config declares: its paths patterns, resolved against their base."""

    base: str | None  # baseUrl, relative to the project root ("" for the root itself)
    paths: tuple[tuple[str, tuple[str, ...]], ...]  # pattern → targets, relative to the root

    def targets(self, specifier: str) -> list[str]:
        """The root-relative paths (without suffix) that `specifier` may name, best first:
        an exact pattern, then the longest prefix before a `*`, then baseUrl."""
        found: list[str] = []
        best: tuple[int, tuple[str, ...], str] | None = None
        for pattern, targets in self.paths:
            if "*" not in pattern:
                if pattern == specifier:
                    found += targets
                continue
            prefix, _, suffix = pattern.partition("*")
            if (
                specifier.startswith(prefix) and specifier.endswith(suffix)
                and len(specifier) >= len(prefix) + len(suffix)
                and (best is None or len(prefix) > best[0])
            ):
                best = (len(prefix), targets, specifier[len(prefix) : len(specifier) - len(suffix)])
        if best is not None:
            found += [target.replace("*", best[2], 1) for target in best[1]]
        if self.base is not None:
            found.append(posixpath.normpath(posixpath.join(self.base, specifier)))
        return found


@dataclass(frozen=True)
class Listing:
    """What a walk saw (absolute paths): the directories it listed, and the entries in them
    named like a config. A directory listed has no config but those: a warm run of a large
    project does not probe each of its thousands of directories for two file names."""

    directories: frozenset[str]
    configs: frozenset[str]


class TsConfigs:
    """The aliases governing each directory of a project, each config read once.

    Paths in and out are as the engine displays them: relative to `display` (the working
    directory, which may lie below the project's root) when inside it, else absolute."""

    def __init__(self, root: str, display: str | None = None,
                 listing: Listing | None = None) -> None:
        self.root = os.path.realpath(root)
        self._display = os.path.realpath(display) if display is not None else self.root
        self._listing = listing
        self._dirs: dict[str, Aliases | None] = {}  # root-relative directory → its aliases

    def targets(self, importer: str, specifier: str) -> list[str]:
        """Candidates (paths without suffix) for a bare `specifier` imported by `importer`."""
        relative = self._relative(importer)
        if relative is None:
            return []  # outside the project
        aliases = self._aliases(posixpath.dirname(relative))
        if aliases is None:
            return []
        if self._display == self.root:
            return aliases.targets(specifier)
        return [self._displayed(target) for target in aliases.targets(specifier)]

    def configured(self) -> set[str] | None:
        """The directories that hold a config, when the walk listed the whole project (the
        root down): the aliases of every directory follow from theirs. None: not known."""
        listing = self._listing
        if listing is None or self.root not in listing.directories:
            return None
        inside = (os.path.relpath(os.path.dirname(config), self.root) for config in listing.configs
                  if _within(os.path.relpath(config, self.root)))
        return {self._displayed("" if d == "." else d.replace(os.sep, "/")) for d in inside}

    def fingerprint(self, directories: set[str]) -> str:
        """What the aliases governing `directories` are: a part of the cache key of files
        checked with them, so that editing a tsconfig re-checks its importers."""
        inside = {d: self._relative(d) for d in directories}
        return repr(sorted((d, self._aliases(r)) for d, r in inside.items() if r is not None))

    def alias_names(self, directories: set[str]) -> frozenset[str]:
        """The names of the exact path aliases (no `*`) governing `directories`, as a
        specifier ends with them: "@track" maps a module that need not be named track."""
        names: set[str] = set()
        for directory in directories:
            relative = self._relative(directory)
            aliases = self._aliases(relative) if relative is not None else None
            for pattern, _ in aliases.paths if aliases is not None else ():
                if "*" not in pattern:
                    names.add(pattern.rsplit("/", 1)[-1].lstrip("@~#"))
        return frozenset(names - {""})

    def _relative(self, path: str) -> str | None:
        """A displayed path, relative to the root; None outside it."""
        if self._display != self.root:
            absolute = os.path.normpath(os.path.join(self._display, path))
            path = os.path.relpath(absolute, self.root).replace(os.sep, "/")
        return ("" if path == "." else path) if _within(path) else None

    def _displayed(self, relative: str) -> str:
        absolute = os.path.join(self.root, relative)
        inside = os.path.relpath(absolute, self._display).replace(os.sep, "/")
        return inside if _within(inside) else absolute

    def _aliases(self, directory: str) -> Aliases | None:
        if directory in self._dirs:
            return self._dirs[directory]
        found: Aliases | None = None
        listing = self._listing
        # The configs of a directory the walk listed are known: no probing for the others.
        known = listing.configs if listing is not None and (
            os.path.join(self.root, directory) if directory else self.root
        ) in listing.directories else None
        for name in CONFIG_NAMES:
            config = posixpath.join(directory, name) if directory else name
            path = os.path.join(self.root, config)
            if known is not None and path not in known:
                continue
            if os.path.isfile(path):
                found = self._read(config, 0)
                break
        else:
            if directory:
                found = self._aliases(posixpath.dirname(directory))
        self._dirs[directory] = found
        return found

    def _read(self, config: str, depth: int) -> Aliases | None:
        """The aliases a config declares, its `extends` chain applied (its own win)."""
        options = self._options(config)
        if options is None or depth > _MAX_EXTENDS:
            return None
        here = posixpath.dirname(config)
        inherited = Aliases(None, ())
        extends = options.get("extends")
        for parent in extends if isinstance(extends, list) else [extends]:
            if isinstance(parent, str) and parent.startswith("."):
                target = posixpath.normpath(posixpath.join(here, parent))
                if not target.endswith(".json"):
                    target += ".json"
                found = self._read(target, depth + 1) if self._inside(target) else None
                if found is not None:
                    inherited = Aliases(found.base if found.base is not None else inherited.base,
                                        found.paths or inherited.paths)
        compiler = options.get("compilerOptions")
        compiler = compiler if isinstance(compiler, dict) else {}
        base = compiler.get("baseUrl")
        own_base = _join(here, base) if isinstance(base, str) else None
        paths = compiler.get("paths")
        if not isinstance(paths, dict):
            return Aliases(own_base if own_base is not None else inherited.base, inherited.paths)
        # Paths are relative to baseUrl, else (TypeScript 4.1+) to the config declaring them.
        anchor = own_base if own_base is not None else (inherited.base or here)
        resolved = tuple(
            (pattern, tuple(_join(anchor, t) for t in targets if isinstance(t, str)))
            for pattern, targets in paths.items()
            if isinstance(pattern, str) and isinstance(targets, list)
        )
        return Aliases(own_base if own_base is not None else inherited.base, resolved)

    def _options(self, config: str) -> dict[str, object] | None:
        path = os.path.join(self.root, config)
        if not self._inside(config):
            return None
        try:
            text = read_file(path, _MAX_SIZE).decode("utf-8-sig")
            data = json.loads(strip_jsonc(text))
        except (OSError, ValueError):
            return None  # unreadable or not JSON: no aliases, as if it were absent
        return data if isinstance(data, dict) else None

    def _inside(self, config: str) -> bool:
        """Whether a root-relative path stays in the project, links resolved."""
        real = os.path.realpath(os.path.join(self.root, config))
        return real == self.root or real.startswith(self.root.rstrip(os.sep) + os.sep)


def _within(path: str) -> bool:
    """Whether a path relative to the root (as the engine displays it) stays inside."""
    return not (path.startswith(("/", "../")) or path == "..")


def strip_jsonc(text: str) -> str:
    """JSON with comments and trailing commas, as plain JSON (strings left alone)."""
    def keep_strings(match: re.Match[str]) -> str:
        return match.group(0) if match.group(0).startswith('"') else ""

    return _TRAILING_COMMAS.sub(keep_strings, _COMMENTS.sub(keep_strings, text))


def _join(directory: str, path: str) -> str:
    joined = posixpath.normpath(posixpath.join(directory, path))
    return "" if joined == "." else joined
