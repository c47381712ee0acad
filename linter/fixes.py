"""`uelint check --fix`: apply the edits that findings carry, then drop those findings.

A fix must never damage code: a file is rewritten only if its fixed text parses with no more
syntax errors than before (the same adapter that read it judges), else it is left as it was
and its findings stay reported.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from pathlib import Path

from uelint import languages
from uelint.adapters import adapter_for
from uelint.diagnostic import Diagnostic, Edit, RunResult
from uelint.source import SourceText, write_atomically


def apply(result: RunResult, unsafe: bool = False) -> tuple[RunResult, list[str]]:
    """Fix every fixable finding of `result` in its file (those whose fix is unsafe only
    when `unsafe`); the rest stay reported. Also returns the paths of the files left unfixed
    because the fixed text would not parse."""
    fixed: set[Diagnostic] = set()
    refused: list[str] = []
    for path, diagnostics in _fixable(result, unsafe).items():
        file = Path(result.root, path)
        done = _fixed(file, diagnostics)
        if done is None:
            refused.append(path)
        elif done[2]:
            write_atomically(file, done[1], file.stat().st_mode & 0o7777)
            fixed.update(done[2])
    if not fixed:
        return result, refused
    remaining = tuple(d for d in result.diagnostics if d not in fixed)
    return replace(result, diagnostics=remaining, fixed=result.fixed + len(fixed)), refused


def diff(result: RunResult, unsafe: bool = False) -> tuple[str, int]:
    """What `apply` would change, as a unified diff (paths as reported, `a/` and `b/` as git
    writes them), written nowhere; and how many findings it fixes."""
    import difflib  # only for --diff

    chunks: list[str] = []
    count = 0
    for path, diagnostics in sorted(_fixable(result, unsafe).items()):
        done = _fixed(Path(result.root, path), diagnostics)
        if done is None or not done[2]:
            continue
        before, after = (data.decode("utf-8", "surrogateescape").splitlines(keepends=True)
                         for data in done[:2])
        chunks.extend(difflib.unified_diff(before, after, f"a/{path}", f"b/{path}"))
        count += len(done[2])
    return "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n"
                   for line in chunks), count


def fitted(data: bytes, diagnostic: Diagnostic) -> Diagnostic:
    """`diagnostic` with its fix fitted to `data`, the text it was found in (see `tidy`)."""
    if not diagnostic.fix:
        return diagnostic
    fix = tidy(data, diagnostic.fix)
    return replace(diagnostic, fix=fix, unsafe_fix=diagnostic.unsafe_fix and bool(fix))


def tidy(data: bytes, edits: tuple[Edit, ...]) -> tuple[Edit, ...]:
    """`edits` fitted to the layout of the text they apply to (a rule sees the code, not
    its layout): a deletion that would leave its lines blank takes the whole lines; an
    insertion of whole lines (its text ends with a line break) at the start of a line's
    code gets that line's indentation after it. Such an insertion anywhere else (after
    `await `, inside an expression) would not be a statement of its own: the fix is
    dropped, () returned. Only blanks and line breaks differ from the edits as given."""
    fitted: list[Edit] = []
    for edit in edits:
        if not edit.text:
            fitted.append(_whole_lines(data, edit))
        elif edit.text.endswith("\n") and edit.start_byte == edit.end_byte:
            indent = data[data.rfind(b"\n", 0, edit.start_byte) + 1:edit.start_byte]
            if indent.strip():
                return ()
            fitted.append(Edit(edit.start_byte, edit.end_byte,
                               edit.text + indent.decode("utf-8", "replace")))
        else:
            fitted.append(edit)
    return tuple(fitted)


def _whole_lines(data: bytes, edit: Edit) -> Edit:
    start, end = edit.start_byte, edit.end_byte
    while end > start and data[end - 1:end] in (b" ", b"\t", b"\r", b"\n"):
        end -= 1  # the blanks before the next key, or before the closing brace
    line_start = data.rfind(b"\n", 0, start) + 1
    line_end = data.find(b"\n", end)
    line_end = len(data) if line_end < 0 else line_end
    if end == start or data[line_start:start].strip() or data[end:line_end].strip():
        return edit  # the edit shares a line with code that stays
    return Edit(line_start, min(line_end + 1, len(data)), "")


def _fixable(result: RunResult, unsafe: bool) -> dict[str, list[Diagnostic]]:
    by_path: dict[str, list[Diagnostic]] = defaultdict(list)
    for diagnostic in result.diagnostics:
        if diagnostic.fix and diagnostic.suppressed is None and (
            unsafe or not diagnostic.unsafe_fix
        ):
            by_path[diagnostic.path].append(diagnostic)
    return by_path


def _fixed(
    path: Path, diagnostics: list[Diagnostic]
) -> tuple[bytes, bytes, list[Diagnostic]] | None:
    """The file's text before and after its non-overlapping edits, applied from the end (an
    edit that overlaps one already taken waits for the next run), and the findings they
    fix. None when the fixed text would not parse."""
    try:
        data = path.read_bytes()
    except OSError:
        return b"", b"", []
    original = data
    applied: list[Diagnostic] = []
    taken: list[Edit] = []
    for diagnostic in sorted(diagnostics, key=lambda d: -d.fix[0].start_byte):
        if any(_overlap(edit, other) for edit in diagnostic.fix for other in taken):
            continue
        taken.extend(diagnostic.fix)
        applied.append(diagnostic)
    for edit in sorted(taken, key=lambda e: -e.start_byte):
        data = data[: edit.start_byte] + edit.text.encode() + data[edit.end_byte :]
    if _syntax_errors(path, data) > _syntax_errors(path, original):
        return None
    return original, data, applied


def _syntax_errors(path: Path, data: bytes) -> int:
    """How many syntax errors the adapter of `path`'s language finds in `data`."""
    language = languages.by_suffix(path) or languages.by_shebang(data[:128])
    if language is None:
        return 0
    result = adapter_for(language)(SourceText(data), path.name, language, None)
    return sum(e.kind in ("syntax", "parse", "decode") for e in result.errors)


def _overlap(a: Edit, b: Edit) -> bool:
    return a.start_byte < b.end_byte and b.start_byte < a.end_byte
