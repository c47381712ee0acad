"""Cross-file rounds: files that call another file's wrappers, checked against its exports.

Pass one collects what each file exports (wrappers of the SDK, string constants). Only when
some file exports something do the files that may use it (they name an export or its
module) get checked again, with a `wrappers.Linker` over the exports, until the exports stop
changing. Most repositories need pass one only.
"""

from __future__ import annotations

import hashlib
import posixpath
import re
from dataclasses import replace
from pathlib import Path

from uelint import prefilter
from uelint.analysis import Analysis
from uelint.checker import Checker, Done, Task, Unread, display_path
from uelint.discover import SourceFile
from uelint.scan import Scan
from uelint.schedule import Dispatch, stream
from uelint.wrappers import DeclaredWrapper, Linker, ModuleExports

# Rounds of cross-file indexing: a wrapper of an imported wrapper needs one more round, and
# rounds go on until the exports stop changing; this bound only stops a pathological chain.
_ROUNDS = 12


def declared(checker: Checker, wrappers: tuple[DeclaredWrapper, ...]) -> Checker:
    """The pass-one checker for a configuration that declares wrappers of packages outside
    the scan: calls to them can be anywhere, so every file that names one is a candidate."""
    if not wrappers:
        return checker
    names = {part for wrapper in wrappers for part in wrapper.name.split(".")}
    return replace(checker, linker=Linker({}, wrappers), names=_words(names))


def link(scan: Scan, checker: Checker, jobs: int, wrappers: tuple[DeclaredWrapper, ...],
         candidates: dict[int, Task], analyses: dict[int, Analysis],
         project: Path | None = None) -> Checker | None:
    """Check again, against the exports of pass one's `analyses`, every file that may use
    them; update `candidates` and `analyses` (by discovery index) in place. The checker of
    the last round, if any: what checks a file against the project's exports. `project`:
    the root whose tsconfig files declare path aliases (default: the checker's root)."""
    exports = _exports(candidates, analyses)
    linked: Checker | None = None
    before: Linker | None = None
    for _ in range(_ROUNDS):
        if not any(module.names for module in exports.values()):
            break  # nothing, or only re-exports: nothing that a file could call through them
        linker = Linker(exports, wrappers, root=checker.root, project=project)
        linked = _searching(replace(checker, linker=linker,
                                    exports=_digest(exports, linker, scan)), linker)
        # After the first round, only the files that mention what changed since the last
        # one: the others' analyses cannot depend on it (a file that names none of a
        # module's exports, nor the module, does not use it).
        searched = linked
        if before is not None:
            searched = _searching(linked, linker, _changed(before, linker), before)
            if searched.names is None and searched.python_names is None:
                break
        dispatch = Dispatch(searched, jobs)

        def relink(done: Done, dispatch: Dispatch = dispatch) -> None:
            if done.task is not None and done.analysis is None:
                dispatch.add(done.task)
            elif done.task is not None and done.analysis is not None and done.analysis.parsed:
                checker.timings.counts["linked"] += 1
                analyses[done.index], candidates[done.index] = done.analysis, done.task

        # Every file again (those that may import are not known before): read and searched
        # in the workers too when there are many.
        stream(scan.found(), _unread, dispatch, relink)
        updated = _exports(candidates, analyses)
        if updated == exports:
            break
        exports, before = updated, linker
    return linked


def _changed(before: Linker, after: Linker) -> set[str]:
    """The modules whose exports (re-exports resolved) differ between two rounds."""
    return {path for path in before.exports.keys() | after.exports.keys()
            if before.exports.get(path) != after.exports.get(path)}


def _unread(i: int, source: SourceFile) -> Done | Unread:
    return Unread(i, source, 0) if source.language is not None else Done(i, None, None, None)


def _exports(
    candidates: dict[int, Task], analyses: dict[int, Analysis]
) -> dict[str, ModuleExports]:
    return {
        candidates[i].path: analysis.exports
        for i, analysis in sorted(analyses.items())
        if analysis.exports
    }


def _digest(exports: dict[str, ModuleExports], linker: Linker, scan: Scan) -> str:
    """Of what a Linker links against (the exports, the tsconfig aliases of the scan's
    directories): a key part for the files checked with it."""
    aliases = ""
    if linker.tsconfigs is not None:
        directories = {posixpath.dirname(display_path(source.path, scan.root))
                       for _, source in scan.found() if source.language is not None}
        aliases = linker.tsconfigs.fingerprint(directories)
    return hashlib.sha256(repr((sorted(exports.items()), aliases)).encode()).hexdigest()[:32]


def _searching(checker: Checker, linker: Linker, only: set[str] | None = None,
               before: Linker | None = None) -> Checker:
    """`checker` set to check again the files that may use `linker`'s exports: JavaScript
    modules' in the files that can import them (every language but Python), Python
    modules' in Python files."""
    names, quick = _linkable(linker, False, only, before)
    python_names, python_quick = _linkable(linker, True, only, before)
    return replace(checker, names=names, quick=quick, python_names=python_names,
                   python_quick=python_quick)


def _linkable(
    linker: Linker, python: bool, only: set[str] | None = None, before: Linker | None = None
) -> tuple[re.Pattern[bytes] | None, prefilter.Words | None]:
    """What a file must mention to use the exports of the Python modules (`python`) or the
    others: an export's name (a named import), or the module's (a default or namespace
    import, a require): its file name, or for an index module its directory's, after a `/`
    in JavaScript, where only relative specifiers name files of the scan. Files that
    mention none are not checked again. None for nothing to mention.

    Two searches: the exact pattern, and the words alone (prefilter.Words: all in one pass),
    which rule most files out many times faster (a lookbehind at every position costs).

    With `only`, the modules in it alone, as `linker` and `before` (the last round's) see
    them: what a file must mention to be affected by their change."""
    names: set[str] = set()
    modules: set[str] = set()
    for seen in (linker, before):
        if seen is not None:
            leading = {path for path in _leading_to_names(seen)
                       if path.endswith((".py", ".pyi")) == python}
            leading = leading if only is None else leading & only
            names |= {name for path in leading for name in seen.exports[path].names
                      if name != "default"}
            modules |= leading
    words: set[str] = set()
    for path in modules:
        directory, name = posixpath.split(path)
        stem = name.split(".", 1)[0]
        words.add(posixpath.basename(directory) if stem in ("index", "__init__") else stem)
    names, words = names - {""}, words - {""}
    if python:  # `from shop.tracking import track`: the module's name is a word of its own
        names, words = names | words, set()
    alternatives = []
    if names:
        alternatives.append(rb"(?<![\w$])(?:" + _either(names) + rb")(?![\w$])")
    if words:
        alternatives.append(rb"/(?:" + _either(words) + rb")(?![\w$])")
    if not alternatives:
        return None, None
    return re.compile(b"|".join(alternatives)), prefilter.Words(
        word.encode() for word in sorted(names | words))


def _leading_to_names(linker: Linker) -> set[str]:
    """The modules that export something callable, or re-export (maybe in turn) from one."""
    found = {path for path, module in linker.exports.items() if module.names}
    grown = True
    while grown:
        grown = False
        for path, module in linker.exports.items():
            if path not in found and any(
                linker.module_path(path, specifier) in found for specifier, _, _ in module.reexports
            ):
                found.add(path)
                grown = True
    return found


def _either(words: set[str]) -> bytes:
    return b"|".join(re.escape(w.encode()) for w in sorted(words, key=len, reverse=True))


def _words(names: set[str]) -> re.Pattern[bytes]:
    """Any of `names` as a whole word."""
    return re.compile(rb"(?<![\w$])(?:" + _either(names) + rb")(?![\w$])")
