"""The command line's settings over every configuration file's, as Ruff applies its own.

Each file stays governed by its nearest configuration file (project.Configs); `--exclude`,
`--extend-exclude`, `--per-file-ignores` and `--extend-per-file-ignores` replace or extend
what that file says. Their patterns are written relative to the working directory, and a
configuration's patterns are relative to its own directory, so each is rebased there.
"""

from __future__ import annotations

import argparse
import fnmatch
from dataclasses import dataclass, replace
from pathlib import Path

from uelint.config import Settings

Pairs = tuple[tuple[str, tuple[str, ...]], ...]  # (glob, codes), as Settings holds them


@dataclass(frozen=True)
class Overrides:
    cwd: Path  # what the patterns are relative to (resolved)
    exclude: tuple[str, ...] | None = None  # None: the configuration's
    extend_exclude: tuple[str, ...] = ()
    per_file_ignores: Pairs | None = None  # None: the configuration's
    extend_per_file_ignores: Pairs = ()

    def __call__(self, settings: Settings) -> Settings:
        def rebase(patterns: tuple[str, ...]) -> tuple[str, ...]:
            found = (rebased(p, self.cwd, settings.root) for p in patterns)
            return tuple(p for p in found if p is not None)

        def rebase_pairs(pairs: Pairs) -> Pairs:
            found = ((rebased(glob, self.cwd, settings.root), codes) for glob, codes in pairs)
            return tuple((glob, codes) for glob, codes in found if glob is not None)

        exclude, extend = settings.exclude, settings.extend_exclude
        if self.exclude is not None:  # Ruff's --exclude: in place of the default excludes too
            exclude, extend = rebase(self.exclude), ()
        pairs = (settings.per_file_ignores if self.per_file_ignores is None
                 else rebase_pairs(self.per_file_ignores))
        return replace(settings, exclude=exclude,
                       extend_exclude=extend + rebase(self.extend_exclude),
                       per_file_ignores=pairs + rebase_pairs(self.extend_per_file_ignores))


def rebased(pattern: str, cwd: Path, root: Path) -> str | None:
    """A gitignore-style pattern written relative to `cwd`, relative to `root` instead; None
    when it cannot match anything under `root`."""
    negated, body = (True, pattern[1:]) if pattern.startswith("!") else (False, pattern)
    anchored = "/" in body.rstrip("/")  # gitignore: a slash before the end anchors it
    try:
        offset = cwd.relative_to(root).as_posix()
    except ValueError:  # the root is below the working directory, or elsewhere
        try:
            below = root.relative_to(cwd).parts
        except ValueError:
            return None  # a pattern under the working directory matches nothing there
        if anchored:
            left = _under(body.lstrip("/"), below)
            if left is None:
                return None
            body = left
        elif any(fnmatch.fnmatchcase(d, body.rstrip("/")) for d in below):
            body = "**"  # a directory on the way down matches: all of that tree does
    else:
        if offset != ".":
            body = f"{offset}/{body.lstrip('/')}" if anchored else f"{offset}/**/{body}"
    return ("!" if negated else "") + body


def _under(body: str, directories: tuple[str, ...]) -> str | None:
    """What is left of the anchored pattern `body` to match below `directories`: None if it
    matches nothing there, `**` if it matches all of it."""
    parts = body.split("/")
    for directory in directories:
        if parts[0] == "**":
            return "/".join(parts)  # any depth: the directories are absorbed
        if not fnmatch.fnmatchcase(directory, parts[0]):
            return None
        parts = parts[1:]
        if not any(parts):  # `src` or `src/`: the whole directory
            return "**"
    return "/" + "/".join(parts)


def patterns(value: str) -> list[str]:
    """Comma-separated gitignore-style patterns (Ruff's --exclude): an argparse type."""
    found = [p.strip() for p in value.split(",") if p.strip()]
    if not found:
        raise argparse.ArgumentTypeError("expected one or more patterns, comma-separated")
    return found


def per_file(value: str) -> list[tuple[str, list[str]]]:
    """Ruff's `GLOB:CODE,GLOB:CODE`, and `GLOB:CODE,CODE` (a part without a colon adds a code
    to the pair before it): an argparse type."""
    pairs: list[tuple[str, list[str]]] = []
    for part in (p.strip() for p in value.split(",")):
        glob, colon, code = part.rpartition(":")
        if colon and glob:
            pairs.append((glob, []))
        elif colon or not pairs:
            raise argparse.ArgumentTypeError(f"expected GLOB:CODE[,CODE...], got {value!r}")
        if code.strip():
            pairs[-1][1].append(code.strip().upper())
    if any(not codes for _, codes in pairs):
        raise argparse.ArgumentTypeError(f"no rule code after the colon in {value!r}")
    return pairs
