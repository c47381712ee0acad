"""Adapters turn one source file into tracking calls (the IR).

Each language's adapter is imported only when a file of that language survives the
prefilter: a JavaScript-only run never imports libcst.
"""

from __future__ import annotations

import functools
import importlib
import itertools
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol, TypeVar

from uelint import languages
from uelint.diagnostic import FileError
from uelint.ir import TrackingCall
from uelint.source import SourceText
from uelint.wrappers import Linker, ModuleExports

if TYPE_CHECKING:
    import tree_sitter as ts


@dataclass(frozen=True, slots=True)
class AdapterResult:
    calls: tuple[TrackingCall, ...]
    # Problems that did not stop the adapter (a syntax error tree-sitter recovered from), or
    # that did (libcst rejected the file; then `calls` is empty).
    errors: tuple[FileError, ...] = ()
    exports: ModuleExports | None = None  # what other files may import (wrappers, constants)


class Adapter(Protocol):
    def __call__(
        self, source: SourceText, path: str, language: str, linker: Linker | None = None
    ) -> AdapterResult: ...


_MODULES = {
    languages.JAVASCRIPT: "uelint.adapters.javascript",
    languages.TYPESCRIPT: "uelint.adapters.javascript",
    languages.TSX: "uelint.adapters.javascript",
    languages.PYTHON: "uelint.adapters.python",
    languages.PHP: "uelint.adapters.php",
    languages.SMARTY: "uelint.adapters.gtm",  # a `.tpl` may be a Tag Manager template
    **dict.fromkeys(
        (languages.HTML, languages.VUE, languages.SVELTE, languages.JINJA,
         languages.BLADE, languages.ERB, languages.EJS),
        "uelint.adapters.html",
    ),
}


def adapter_for(language: str) -> Adapter:
    module = importlib.import_module(_MODULES[language])
    adapter: Adapter = module.extract
    return adapter


class ParseBudgetExceeded(Exception):
    """Tree-sitter worked on a file far longer than its size warrants."""


# Tree-sitter's parse steps allowed per byte of input, with a floor. It reports progress
# about every hundred steps: real code takes 0.007 reports per byte on average and 0.03 at
# worst (measured on the bench corpus's npm packages); a crafted 40 KB file took 24 s and
# millions of reports. The budget counts steps, not seconds, so a verdict does not depend
# on the machine's load.
_REPORTS_PER_BYTE = 1
_REPORTS_AT_LEAST = 10_000
_CHUNK = 1 << 20


# Bytes several parses may read together (retries of one file: `sharing`), still to read.
_shared: ContextVar[list[int] | None] = ContextVar("uelint_shared_parse_budget", default=None)


@contextmanager
def sharing(size: int) -> Iterator[None]:
    """Within it, the parses together may read `size` bytes; past that, each raises
    ParseBudgetExceeded at once. Retries of a file stop at the same point on every machine
    (a step budget does not see every costly parse: a hostile template took half a second
    in 400 progress reports)."""
    token = _shared.set([size])
    try:
        yield
    finally:
        _shared.reset(token)


_Made = TypeVar("_Made")


def per_thread(factory: Callable[..., _Made]) -> Callable[..., _Made]:
    """`functools.cache`, one cache per thread: for what holds a tree-sitter parser. A
    parser is not for two threads at once, and `parse_bounded`'s callbacks let another
    thread run in the middle of a parse (the language server checks in a pool of threads)."""
    local = threading.local()

    @functools.wraps(factory)
    def made(*args: object) -> _Made:
        kept: dict[tuple[object, ...], _Made] = local.__dict__.setdefault("kept", {})
        if args not in kept:
            kept[args] = factory(*args)
        return kept[args]

    return made


def parse_bounded(parser: ts.Parser, data: bytes) -> ts.Tree:
    """`parser.parse(data)` within a budget of steps linear in the size of `data` (and the
    shared budget of `sharing`); raises ParseBudgetExceeded past it."""
    shared = _shared.get()
    if shared is not None:
        shared[0] -= len(data)
        if shared[0] < 0:
            raise ParseBudgetExceeded("the retries of this file read all they may")
    steps = itertools.count()
    budget = _REPORTS_AT_LEAST + _REPORTS_PER_BYTE * len(data)
    try:
        return parser.parse(lambda offset, _: data[offset : offset + _CHUNK],
                            progress_callback=lambda *_: next(steps) > budget)
    except ValueError as exc:  # py-tree-sitter's "Parsing failed": the callback stopped it
        parser.reset()  # else the next parse would resume this one, on another file
        raise ParseBudgetExceeded(f"parsing took more than {budget:,} steps") from exc


def first_error(root: ts.Node) -> ts.Node:
    """The first ERROR or MISSING node of a tree that has errors, the deepest that holds it."""
    node = root
    while True:
        child = next((c for c in node.children if c.has_error or c.is_missing), None)
        if child is None or node.is_error or node.is_missing:
            return node
        node = child


def syntax_error(
    root: ts.Node, source: SourceText, path: str, at: ts.Node | None = None,
    language: str = "", near: str = "calls",
) -> FileError:
    """The error reported for a tree that has errors: at `at`, else at its first error."""
    node = at or first_error(root)
    span = source.span(node.start_byte, max(node.end_byte, node.start_byte))
    what = (f"missing `{node.type}`" if node.is_missing
            else f"unclosed `{node.type}`" if node.type in _OPENERS else "unexpected syntax")
    return FileError(
        path, "syntax",
        f"{language + ' ' if language else ''}syntax error ({what}) at "
        f"{span.start_line}:{span.start_col}; the rest of the file was still checked, but "
        f"{near} near the error may be missed",
        span,
    )


_OPENERS = {"{": "}", "(": ")", "[": "]"}


def unclosed(error: ts.Node) -> ts.Node | None:
    """The last bracket that an ERROR node opens and never closes: where a grammar that
    does not insert the missing `}` (PHP's, at the end of a file) gave up. Its ERROR then
    starts where the unfinished construct does, often the file's first byte."""
    opened: list[ts.Node] = []
    for child in error.children:
        if child.type in _OPENERS:
            opened.append(child)
        elif opened and child.type == _OPENERS[opened[-1].type]:
            opened.pop()
    return opened[-1] if opened else None
