"""Adapter throughput on real code where every file is a candidate.

Reads JavaScript/TypeScript (or, with --python, Python) files under CORPUS, appends a
tracking call to each (so every file survives the prefilter), and reports MB/s for: bare
parsing (tree-sitter; libcst for Python), and uelint's adapter (parse + resolution). Run it
from any checkout, e.g. to compare two versions side by side in one run:

    python bench/throughput.py CORPUS                     # this checkout
    /path/to/venv/bin/python bench/throughput.py CORPUS   # another checkout, pip install -e
"""

from __future__ import annotations

import argparse
import random
import time
from collections.abc import Callable
from pathlib import Path

SUFFIXES = {".js": "javascript", ".mjs": "javascript", ".cjs": "javascript", ".jsx": "javascript",
            ".ts": "typescript", ".tsx": "tsx"}
CALL = b'\n;window.userengage("client.update", { user_id: 1, browser_language: "en" });\n'
PY_CALL = b'\nwindow.userengage("client.update", {"user_id": 1, "browser_language": "en"})\n'


def load(
    corpus: Path, limit_mb: float, seed: int, python: bool = False
) -> list[tuple[str, str, bytes]]:
    suffixes = {".py": "python"} if python else SUFFIXES
    call = PY_CALL if python else CALL
    files = sorted(p for p in corpus.rglob("*") if p.suffix in suffixes and p.is_file())
    random.Random(seed).shuffle(files)
    picked, total = [], 0
    for path in files:
        data = path.read_bytes()
        if b"\0" in data or len(data) > 2_000_000:
            continue
        picked.append((str(path), suffixes[path.suffix], data + call))
        total += len(data)
        if total > limit_mb * 1e6:
            break
    return picked


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--mb", type=float, default=20.0,
                        help="how much code to read (default 20 MB)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3, help="best of N (default 3)")
    parser.add_argument("--python", action="store_true", help="Python files, libcst as the floor")
    args = parser.parse_args()
    if args.python:
        _python(args)
        return

    import tree_sitter as ts
    import tree_sitter_javascript
    import tree_sitter_typescript

    from uelint.adapters.javascript import extract
    from uelint.source import SourceText

    files = load(args.corpus, args.mb, args.seed)
    megabytes = sum(len(d) for _, _, d in files) / 1e6
    parsers = {
        "javascript": ts.Parser(ts.Language(tree_sitter_javascript.language())),
        "typescript": ts.Parser(ts.Language(tree_sitter_typescript.language_typescript())),
        "tsx": ts.Parser(ts.Language(tree_sitter_typescript.language_tsx())),
    }

    def bare() -> int:
        return sum(parsers[lang].parse(data).root_node.child_count for _, lang, data in files)

    def adapter() -> int:
        return sum(len(extract(SourceText(data), path, lang).calls) for path, lang, data in files)

    print(f"{len(files)} files, {megabytes:.1f} MB, best of {args.repeat}")
    _compare(("tree-sitter parse", bare), ("uelint JS adapter", adapter), megabytes, args.repeat)


def _python(args: argparse.Namespace) -> None:
    import libcst

    from uelint.adapters.python import extract
    from uelint.source import SourceText

    files = load(args.corpus, args.mb, args.seed, python=True)
    megabytes = sum(len(d) for _, _, d in files) / 1e6

    def bare() -> int:
        count = 0
        for _, _, data in files:
            try:
                count += len(libcst.parse_module(data).body)
            except Exception:  # noqa: BLE001 - the adapter reports these; the floor skips them
                pass
        return count

    def adapter() -> int:
        return sum(len(extract(SourceText(data), path, lang).calls) for path, lang, data in files)

    print(f"{len(files)} Python files, {megabytes:.2f} MB, best of {args.repeat}")
    _compare(("libcst parse", bare), ("uelint Python adapter", adapter), megabytes, args.repeat)


_Run = tuple[str, Callable[[], object]]


def _compare(floor: _Run, ours: _Run, megabytes: float, repeat: int) -> None:
    """Best of `repeat` runs of each, and the adapter's throughput against the floor's."""
    best = {}
    for name, fn in (floor, ours):
        best[name] = min(_timed(fn) for _ in range(repeat))
        seconds = best[name]
        print(f"  {name:<22} {seconds:7.2f} s  {megabytes / seconds:6.2f} MB/s  "
              f"{seconds / megabytes * 1000:7.1f} ms/MB")
    print(f"  adapter throughput = {best[floor[0]] / best[ours[0]]:.0%} of {floor[0]}")


def _timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


if __name__ == "__main__":
    main()
