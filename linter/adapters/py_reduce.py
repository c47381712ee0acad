"""Give libcst only the part of a large Python file that can matter.

libcst parses ~10x slower than CPython's own parser, and a large test module with one
tracking call can cost seconds. CPython's `ast` finds the top-level statements cheaply; the
ones that mention a trigger word (the SDK's names, other files' exports) are kept, with every
statement that defines a name they use (imports, constants, wrappers) and every statement that
uses a name they define (the callers of a wrapper). The others are left out whole, lines and
all (libcst would still make a node of every blank line): columns of what is kept do not
move, and `Reduced.original_line` tells where its lines come from.
"""

from __future__ import annotations

import ast
import warnings
from collections.abc import Iterable
from dataclasses import dataclass, field

# Below this size the `ast` pass costs about what it saves: the file is parsed as it is.
MIN_CHARS = 2_048


@dataclass(frozen=True)
class Reduced:
    text: str
    kept: list[int] | None = None  # the 0-based line of the original each line of `text` is

    def original_line(self, line: int) -> int:
        """The original's 1-based line number of `text`'s `line`."""
        if self.kept is None or line < 1:
            return line
        if line > len(self.kept):  # the end of the text
            return self.kept[-1] + 1 + line - len(self.kept)
        return self.kept[line - 1] + 1


@dataclass
class _Statement:
    first: int  # 0-based line indexes, inclusive
    last: int
    defines: set[str] = field(default_factory=set)
    uses: set[str] = field(default_factory=set)
    callable_defs: set[str] = field(default_factory=set)  # defined by def/class/assignment


def reduce(text: str, words: Iterable[str]) -> Reduced:
    """`text` without the top-level statements that cannot matter, or `text` itself when it
    is small, cannot be read by `ast`, or nothing could be left out."""
    if len(text) < MIN_CHARS or "\r" in text.replace("\r\n", ""):
        return Reduced(text)
    try:
        with warnings.catch_warnings():  # "invalid escape sequence" must not reach stderr
            warnings.simplefilter("ignore")
            tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return Reduced(text)  # libcst reports it
    lines = text.splitlines(keepends=True)
    statements = _statements(tree)
    if len(statements) < 2:
        return Reduced(text)
    triggers = tuple(words)
    keep = {
        i for i, s in enumerate(statements)
        if any(word in line for line in lines[s.first : s.last + 1] for word in triggers)
    }
    keep = _closure(statements, keep)
    if len(keep) == len(statements):
        return Reduced(text)
    kept = [n for i in sorted(keep) for n in range(statements[i].first, statements[i].last + 1)]
    return Reduced("".join(lines[n] for n in kept), kept)


def _statements(tree: ast.Module) -> list[_Statement]:
    """Top-level statements, those that share a line merged (`a = 1; b = 2`)."""
    merged: list[_Statement] = []
    for node in tree.body:
        first = min([node.lineno, *(d.lineno for d in getattr(node, "decorator_list", []))]) - 1
        last = (node.end_lineno or node.lineno) - 1
        statement = _Statement(first, last)
        _names(node, statement)
        if merged and first <= merged[-1].last:
            previous = merged[-1]
            previous.last = max(previous.last, last)
            previous.defines |= statement.defines
            previous.uses |= statement.uses
            previous.callable_defs |= statement.callable_defs
        else:
            merged.append(statement)
    return merged


def _names(node: ast.stmt, statement: _Statement) -> None:
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        statement.callable_defs.add(node.name)
    for child in ast.walk(node):
        if isinstance(child, ast.Name):
            names = statement.defines if isinstance(child.ctx, ast.Store) else statement.uses
            names.add(child.id)
        elif isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            statement.defines.add(child.name)
        elif isinstance(child, (ast.Import, ast.ImportFrom)):
            for alias in child.names:
                statement.defines.add((alias.asname or alias.name).split(".")[0])
        elif isinstance(child, ast.Attribute) and isinstance(child.value, ast.Name):
            statement.uses.add(child.value.id)
    if isinstance(node, (ast.Assign, ast.AnnAssign)):
        statement.callable_defs |= statement.defines


def _closure(statements: list[_Statement], seeds: set[int]) -> set[int]:
    """The seeds, the callers of what they define (a wrapper's call sites), and everything
    that defines what those use (imports, constants, the wrappers themselves)."""
    core = set(seeds)
    changed = True
    while changed:  # callers of functions, classes and values defined by the core
        offered = set().union(*(statements[i].callable_defs for i in core))
        grown = {i for i, s in enumerate(statements) if i not in core and s.uses & offered}
        changed = bool(grown)
        core |= grown
    keep = set(core)
    needed = set().union(*(statements[i].uses for i in keep))
    while True:  # definitions of every name the kept statements use
        grown = {i for i, s in enumerate(statements) if i not in keep and s.defines & needed}
        if not grown:
            return keep
        keep |= grown
        needed |= set().union(*(statements[i].uses for i in grown))
