"""Cross-file rounds: files that call another file's wrappers, checked against its exports.

Pass one collects what each file exports (wrappers of the SDK, string constants). Only when
some file exports something do the files that may use it (they name its module, as an
import would: `_linkable`) get checked again, with a `wrappers.Linker` over the exports,
until the exports stop changing. Most repositories need pass one only; a warm run searches
only the files that mentioned those modules last time and those changed since (`_mentions`).
"""

from __future__ import annotations

import hashlib
import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from enum import Enum
from pathlib import Path

from uelint import prefilter
from uelint.analysis import Analysis
from uelint.cache import Cache
from uelint.checker import Checker, Done, Task, Unread, display_path
from uelint.discover import SourceFile
from uelint.named import Named
from uelint.scan import Scan
from uelint.schedule import Dispatch, stream
from uelint.source import read_file
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


class Diverged(Enum):
    """A past run's rounds do not hold for this one: link it whole."""

    DIVERGED = "diverged"


DIVERGED = Diverged.DIVERGED


@dataclass(frozen=True)
class Past:
    """What the cross-file rounds of a past run over the same files started from: each
    round's exports (rounds[0]: pass one's), under the tsconfig aliases `fingerprint`.
    This run checks only the files at `places` (those named, those changed since) against
    them, and they hold for it if those files export what they did then."""

    places: frozenset[int]
    paths: frozenset[str]  # the files at `places`, as the rounds name them
    fingerprint: str
    rounds: list[dict[str, ModuleExports]]


def past(scan: Scan, named: Named) -> Past | None:
    """The rounds a past run left for this scan's files as its index's table holds them,
    when files alone are named (a directory named is reported whole: no saving) and the
    table stands for the walk; else None."""
    cache, index = scan.cache, scan.index
    if cache is None or index is None or index.table is None or scan.changed is None or (
        named.directories
    ):
        return None
    kept = cache.rounds(_rounds_key(scan, cache))
    if kept is None or kept[0] != index.table.digest:
        return None
    places = scan.changed | set(scan.places_of(named.files).values())
    paths = {display_path(source.path, scan.root) for _, source in scan.found(places)}
    return Past(places, frozenset(paths), kept[1], kept[2])


def link(scan: Scan, checker: Checker, jobs: int, wrappers: tuple[DeclaredWrapper, ...],
         candidates: dict[int, Task], analyses: dict[int, Analysis],
         project: Path | None = None, past: Past | None = None) -> Checker | None | Diverged:
    """Check again, against the exports of pass one's `analyses`, every file that may use
    them; update `candidates` and `analyses` (by discovery index) in place. The checker of
    the last round, if any: what checks a file against the project's exports. `project`:
    the root whose tsconfig files declare path aliases (default: the checker's root).

    With `past` (pass one checked only the files at its places): only those again, each
    round's exports the past ones with theirs; DIVERGED, `candidates` and `analyses` left
    as they were, as soon as one of them exports otherwise than it did then."""
    given = candidates, analyses
    if past is not None:  # on copies, committed once the past rounds held
        candidates, analyses = dict(candidates), dict(analyses)
    exports = _exports(candidates, analyses, past, 0)
    if past is not None and exports != past.rounds[0]:
        return DIVERGED
    rounds = [exports]
    linked: Checker | None = None
    before: Linker | None = None
    tsconfigs: tuple[str, frozenset[str]] | None = None  # as _tsconfigs, once
    listing = scan.listing()
    for k in range(_ROUNDS):
        if not any(module.names for module in exports.values()):
            break  # nothing, or only re-exports: nothing that a file could call through them
        linker = Linker(exports, wrappers, root=checker.root, project=project, listing=listing)
        if tsconfigs is None:
            tsconfigs = _tsconfigs(linker, scan)
            if past is not None and tsconfigs[0] != past.fingerprint:
                return DIVERGED
        fingerprint, aliases = tsconfigs
        digest = hashlib.sha256(repr((sorted(exports.items()), fingerprint)).encode())
        linked = _searching(replace(checker, linker=linker, exports=digest.hexdigest()[:32]),
                            linker, aliases=aliases)
        # After the first round, only the files that mention what changed since the last
        # one: the others' analyses cannot depend on it (a file that names none of a
        # module's exports, nor the module, does not use it).
        searched = linked
        if before is not None:
            searched = _searching(linked, linker, _changed(before, linker), before, aliases)
            if searched.names is None and searched.python_names is None:
                break
        dispatch = Dispatch(searched, jobs)
        among, mentioned = _mentions(scan, searched, past)
        matched: set[int] = set()

        def relink(done: Done, dispatch: Dispatch = dispatch, matched: set[int] = matched,
                   candidates: dict[int, Task] = candidates,
                   analyses: dict[int, Analysis] = analyses) -> None:
            if done.task is not None:
                matched.add(done.index)
            if done.task is not None and done.analysis is None:
                dispatch.add(done.task)
            elif done.task is not None and done.analysis is not None and done.analysis.parsed:
                checker.timings.counts["linked"] += 1
                analyses[done.index], candidates[done.index] = done.analysis, done.task

        # Every file again (those that may import are not known before), or what a past
        # run says may mention the words: read and searched in the workers too when many.
        stream(scan.found(among), _unread, dispatch, relink)
        mentioned(matched)
        updated = _exports(candidates, analyses, past, k + 1)
        if past is not None and (k + 1 == len(past.rounds) or updated != past.rounds[k + 1]):
            return DIVERGED
        rounds.append(updated)
        if updated == exports:
            break
        exports, before = updated, linker
    if past is not None:
        given[0].update(candidates)
        given[1].update(analyses)
    _keep(scan, checker, tsconfigs[0] if tsconfigs is not None else "", rounds, past)
    return linked


def _rounds_key(scan: Scan, cache: Cache) -> str:
    assert scan.index is not None
    return f"{scan.index.scan}-{cache.analysis[:16]}"


def _keep(scan: Scan, checker: Checker, fingerprint: str,
          rounds: list[dict[str, ModuleExports]], past: Past | None) -> None:
    """Keep the rounds for the next run, with the table it will load, unless kept already.
    Not when an editor's buffer differs from its file: the rounds are the buffer's, the
    table holds the file."""
    cache, saved, index = scan.cache, scan.saved, scan.index
    if cache is None or saved is None or index is None or any(
        _unsaved(path, data) for path, data in checker.buffers.items()
    ):
        return
    key = _rounds_key(scan, cache)
    kept = (index.table.digest, past.fingerprint, past.rounds) if (
        past is not None and index.table is not None) else cache.rounds(key)
    if kept != (saved.digest, fingerprint, rounds):
        cache.put_rounds(key, saved, fingerprint, rounds)


def _unsaved(path: str, data: bytes) -> bool:
    try:
        return read_file(path) != data
    except OSError:
        return True


def _mentions(
    scan: Scan, searched: Checker, past: Past | None = None,
) -> tuple[set[int] | None, Callable[[set[int]], None]]:
    """The places of the files a round must search (None: all of them), and what keeps
    those that mention its words for the next run.

    A file mentions the words or not by its content alone. So a past run with the same
    words over the same index table (every file in the state its stat signature says)
    leaves to search only the files that mentioned them then, and those changed since
    (the scan's `changed`): a warm run one file at a time reads a handful, not the project.
    With `past`, only the files at its places (changed ones among them): the others
    mention what they did."""
    cache, index = scan.cache, scan.index
    if cache is None or index is None:
        return None, lambda matched: None
    words = repr((searched.names and searched.names.pattern,
                  searched.python_names and searched.python_names.pattern))
    key = hashlib.sha256(f"{index.scan}\0{words}".encode()).hexdigest()[:32]
    among = None
    known = cache.mentions(key) if scan.changed is not None else None
    if known is not None and scan.changed is not None and index.table is not None and (
        known[0] == index.table.digest
    ):
        among = {i for i in known[1] if 0 <= i < scan.files} | scan.changed
    if past is not None:
        others = among - past.places if among is not None else None
        among = set(past.places)

    def keep(matched: set[int]) -> None:
        # The saved table's places are this run's (the files found, in order). A file read
        # from an editor's buffer is kept whatever it mentions: the disk may say otherwise.
        if scan.saved is None:
            return
        if past is not None:
            if others is None:
                return  # what the other files mention is not known
            matched = matched | others
        places = sorted(matched | scan.buffered())
        if known is None or known != (scan.saved.digest, places):  # else kept already
            cache.put_mentions(key, scan.saved, places)

    return among, keep


def _changed(before: Linker, after: Linker) -> set[str]:
    """The modules whose exports (re-exports resolved) differ between two rounds."""
    return {path for path in before.exports.keys() | after.exports.keys()
            if before.exports.get(path) != after.exports.get(path)}


def _unread(i: int, source: SourceFile) -> Done | Unread:
    return Unread(i, source, 0) if source.language is not None else Done(i, None, None, None)


def _exports(
    candidates: dict[int, Task], analyses: dict[int, Analysis], past: Past | None = None,
    k: int = 0,
) -> dict[str, ModuleExports]:
    """What the files export, by path; with `past`, its round `k`'s but for the files
    at its places, whose exports are those of `analyses`."""
    found = {
        candidates[i].path: analysis.exports
        for i, analysis in sorted(analyses.items())
        if analysis.exports
    }
    if past is None:
        return found
    kept = past.rounds[k] if k < len(past.rounds) else {}
    return {**{path: e for path, e in kept.items() if path not in past.paths}, **found}


def _tsconfigs(linker: Linker, scan: Scan) -> tuple[str, frozenset[str]]:
    """What the tsconfig aliases governing the scan's directories are (a key part for the
    files checked with a Linker), and the names of its exact aliases (see _linkable)."""
    if linker.tsconfigs is None:
        return "", frozenset()
    # Those of the directories that hold a config stand for all (a directory's aliases are
    # its nearest config's); else by directory, not by file (display_path costs).
    directories = linker.tsconfigs.configured()
    if directories is None:
        shown = {display_path(directory or ".", scan.root) for directory in scan.directories()}
        directories = {"" if directory == "." else directory for directory in shown}
    return (linker.tsconfigs.fingerprint(directories),
            linker.tsconfigs.alias_names(directories))


def _searching(checker: Checker, linker: Linker, only: set[str] | None = None,
               before: Linker | None = None, aliases: frozenset[str] = frozenset()) -> Checker:
    """`checker` set to check again the files that may use `linker`'s exports: JavaScript
    modules' in the files that can import them (every language but Python), Python
    modules' in Python files."""
    names, quick = _linkable(linker, False, only, before, aliases)
    python_names, python_quick = _linkable(linker, True, only, before)
    return replace(checker, names=names, quick=quick, python_names=python_names,
                   python_quick=python_quick)


def _linkable(
    linker: Linker, python: bool, only: set[str] | None = None, before: Linker | None = None,
    aliases: frozenset[str] = frozenset(),
) -> tuple[re.Pattern[bytes] | None, prefilter.Words | None]:
    """What a file must mention to use the exports of the Python modules (`python`) or the
    others: the module's name, as its import names it, or None for nothing to mention. Files
    that mention none are not checked again.

    The module's name is its file name, or for an index module its directory's too. Python
    names it as a word (`from shop.tracking import track`; an export's name too, for `from .
    import track` of a package). A JavaScript import spells it in its specifier, after a
    `/`, a quote or `@` (`./analytics`, `@/lib/analytics`, `"analytics"` with a baseUrl), or
    is a path alias of tsconfig's that maps a name of its own (`aliases`: those names), or,
    for an index module, `"."` or `"../"`. An export's name alone says nothing in JavaScript:
    `track` is a common word, and a file that uses another module's `track` imports it.

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
    if not modules:
        return None, None
    words: set[str] = set()
    index = False
    for path in modules:
        directory, name = posixpath.split(path)
        stem = name.split(".", 1)[0]
        words.add(stem)  # `./index` names an index module too
        if stem in ("index", "__init__"):
            index = True
            words.add(posixpath.basename(directory))
    words -= {"", "__init__"}
    if python:
        words |= names - {""}
        pattern = rb"(?<![\w$])(?:" + _either(words) + rb")(?![\w$])"
        return re.compile(pattern), prefilter.Words(w.encode() for w in sorted(words))
    words |= aliases
    alternatives = [rb"[/\"'`@](?:" + _either(words) + rb")(?![\w$-])"] if words else []
    quick = {w.encode() for w in words}
    if index:  # "." and "../" name an index module without its directory's name
        alternatives.append(rb"[\"'`](?:\.\.?/)*\.\.?/?[\"'`]")
        quick |= {q + dots + q for q in (b'"', b"'", b"`") for dots in (b".", b"./", b"..")}
        quick |= {q + b"../" for q in (b'"', b"'", b"`")}
    if not alternatives:
        return None, None
    return re.compile(b"|".join(alternatives)), prefilter.Words(sorted(quick))


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
