"""A RuleTester in ESLint's style: run one rule on hand-built IR, with `valid` and `invalid` cases.

No parser is involved: a case is a file of `TrackingCall`s built with the helpers below, so a
rule's test says exactly what the rule sees, in every language at once.

    test_ue001 = RuleTester(UserIdInUpdate, Level.ERROR).run(
        valid=[Valid("user_id in UE.pageHit", call(PAGE_HIT, ["user_id"]))],
        invalid=[Invalid("user_id", call(CLIENT_UPDATE, ["user_id"]),
                         [Error(at=(2, 3, 2, 10), contains="`user_id` in client.update")])],
    )

The module attribute `test_ue001` is one pytest test per case, named `valid: ...` or
`invalid: ...`.

Layout. `call(api, keys, line=L)` stands for a call written as formatted code: the call on line
L, from column 1, then one key per line, indented by two, and `});` on the line after the last
key; the i-th key (from 0) is on line L + 1 + i, columns 3 to 3 + len(key). Handlers and wrapper
definitions are placed by their `line`: two handlers are the same handler exactly when they
are on the same line (the IR identifies a handler by its span).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import pytest

from uelint import Diagnostic, Level, ParsedFile, Rule
from uelint.ir import (
    UNKNOWN,
    Entry,
    Handler,
    HandlerKind,
    Payload,
    Span,
    TrackingCall,
    Value,
    Via,
)

_LINE_WIDTH = 100  # the byte offsets of a span assume lines of this many bytes


def span(line: int, col: int, end_line: int, end_col: int) -> Span:
    """A span with byte offsets consistent with its lines and columns (ASCII lines)."""
    return Span(line, col, end_line, end_col,
                (line - 1) * _LINE_WIDTH + col - 1, (end_line - 1) * _LINE_WIDTH + end_col - 1)


@dataclass(frozen=True)
class Key:
    """A payload key with its value and how it was written; `call` places it. A plain string
    in `call`'s keys is `Key(name)`: an unknown value, written as a literal key."""

    name: str
    value: Value = UNKNOWN
    origin: str = "literal"


def call(
    api: str | None,
    keys: Iterable[str | Key] | None = (),
    *,
    line: int = 1,
    complete: bool = True,
    handlers: Sequence[Handler] = (),
    via: Sequence[Via] = (),
    awaited: Sequence[str] = (),
    callee: str = "userengage",
) -> TrackingCall:
    """A tracking call laid out as the module docstring says; `keys=None`: no literal payload.
    `complete=False`: the payload has parts that were not resolved (a spread, say)."""
    if keys is None:
        return TrackingCall(api, span(line, 1, line, 30), callee, None,
                            tuple(handlers), tuple(via), tuple(awaited))
    entries = tuple(
        Entry(k.name, span(line + 1 + i, 3, line + 1 + i, 3 + len(k.name)), k.value, k.origin)
        for i, k in enumerate(Key(k) if isinstance(k, str) else k for k in keys)
    )
    last = line + len(entries) + 1
    payload = Payload(entries, span(line, 29, last, 2), complete)
    return TrackingCall(api, span(line, 1, last, 3), callee, payload,
                        tuple(handlers), tuple(via), tuple(awaited))


def handler(
    name: str | None,
    kind: HandlerKind = HandlerKind.FUNCTION,
    *,
    line: int = 1,
    event: str | None = None,
    target: str | None = None,
    callee: str | None = None,
    route: str | None = None,
    password: bool = False,
) -> Handler:
    """An enclosing function, method, callback, listener or class, identified by its `line`."""
    return Handler(kind, name, span(line, 1, line + 20, 2), event, target, callee, route, password)


def via(name: str, path: str = "src/tracking.js", line: int = 1) -> Via:
    """A wrapper the call went through, defined at `path`:`line`."""
    return Via(name, path, span(line, 1, line + 5, 2))


@dataclass(frozen=True)
class Error:
    """An expected diagnostic: its message (exactly, or a part of it with `contains`), its
    place `at` = (line, column, end line, end column), and its level (None: the tester's)."""

    at: tuple[int, int, int, int]
    contains: str = ""
    message: str | None = None
    level: Level | None = None


@dataclass(frozen=True)
class Valid:
    """A file of calls on which the rule reports nothing."""

    name: str
    calls: TrackingCall | tuple[TrackingCall, ...]
    options: Mapping[str, object] = field(default_factory=dict)
    path: str = "src/app.js"


@dataclass(frozen=True)
class Invalid:
    """A file of calls on which the rule reports exactly `errors`, in report order."""

    name: str
    calls: TrackingCall | tuple[TrackingCall, ...]
    errors: Sequence[Error]
    options: Mapping[str, object] = field(default_factory=dict)
    path: str = "src/app.js"

    def __post_init__(self) -> None:
        if not self.errors:
            raise ValueError(f"invalid case {self.name!r} expects no error: make it a Valid case")


class RuleTester:
    """Runs the cases of one rule; `level` is the level its diagnostics have by default."""

    def __init__(self, rule: Callable[[], Rule], level: Level) -> None:
        self.rule = rule
        self.level = level

    def lint(self, case: Valid | Invalid) -> list[Diagnostic]:
        """Configure a fresh rule with the case's options and check every call of its file,
        as the engine does; the diagnostics in report order."""
        rule = self.rule()
        rule.configure(case.options)
        calls = case.calls if isinstance(case.calls, tuple) else (case.calls,)
        file = ParsedFile(case.path, "javascript", calls)
        found = [d for c in calls for d in rule.check(c, file)]
        return sorted(found, key=lambda d: d.sort_key)

    def assert_valid(self, case: Valid) -> None:
        found = self.lint(case)
        if found:
            pytest.fail("expected no diagnostic, got:\n" + "\n".join(map(_show, found)))

    def assert_invalid(self, case: Invalid) -> None:
        found = self.lint(case)
        code = self.rule().code
        problems = [] if len(found) == len(case.errors) else [
            f"expected {len(case.errors)} diagnostic(s), got {len(found)}"]
        for i, (got, want) in enumerate(zip(found, case.errors, strict=False), start=1):
            mismatches = _mismatches(got, want, code, want.level or self.level, case.path)
            problems += [f"#{i}: {p}" for p in mismatches]
        if problems:
            pytest.fail("\n".join(problems) + "\ngot:\n" + "\n".join(map(_show, found)))

    def run(
        self, valid: Sequence[Valid], invalid: Sequence[Invalid]
    ) -> Callable[[Valid | Invalid], None]:
        """One pytest test per case: assign the result to a module attribute named test_*."""
        names = [*(c.name for c in valid), *(c.name for c in invalid)]
        repeated = sorted({n for n in names if names.count(n) > 1})
        if repeated:
            raise ValueError(f"cases share a name: {repeated}")

        @pytest.mark.parametrize("case", [
            *(pytest.param(c, id=f"valid: {c.name}") for c in valid),
            *(pytest.param(c, id=f"invalid: {c.name}") for c in invalid),
        ])
        def test(case: Valid | Invalid) -> None:
            if isinstance(case, Valid):
                self.assert_valid(case)
            else:
                self.assert_invalid(case)

        return test


def _mismatches(got: Diagnostic, want: Error, code: str, level: Level, path: str) -> list[str]:
    s = got.span
    problems = [] if got.code == code else [f"code {code}, not {got.code}"]
    if (s.start_line, s.start_col, s.end_line, s.end_col) != want.at:
        problems.append(f"at {want.at}, not {(s.start_line, s.start_col, s.end_line, s.end_col)}")
    if got.level is not level:
        problems.append(f"level {level.value}, not {got.level.value}")
    if want.contains not in got.message:
        problems.append(f"message should contain {want.contains!r}")
    if want.message is not None and got.message != want.message:
        problems.append(f"message should be {want.message!r}")
    if got.path != path:
        problems.append(f"path {path!r}, not {got.path!r}")
    return problems


def _show(d: Diagnostic) -> str:
    s = d.span
    return (f"  {d.code} {d.level.value} at ({s.start_line}, {s.start_col}, {s.end_line}, "
            f"{s.end_col}): {d.message}")
