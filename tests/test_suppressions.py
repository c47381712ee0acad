"""The suppression grammar, on its own (CLI behaviour is in tests/test_adoption.py)."""

from __future__ import annotations

from uelint.diagnostic import Diagnostic, Level
from uelint.source import SourceText
from uelint.suppressions import apply, parse

KNOWN = {"UE001", "UE002", "UE003", "UE100", "UE101"}


def finding(text: SourceText, line: int, code: str = "UE001") -> Diagnostic:
    start = text.line_starts[line - 1]
    return Diagnostic(code, Level.ERROR, "m", "a.js", text.span(start, start + 1))


def run(source: str, lines: list[tuple[int, str]],
        language: str = "javascript") -> tuple[list[tuple[int, str]], list[str]]:
    text = SourceText(source.encode())
    findings = [finding(text, n, c) for n, c in lines]
    outcome = apply(parse(text, language), "a.js", findings, KNOWN, KNOWN)
    kept = [(d.span.start_line, d.code) for d in outcome.kept]
    return kept, [f"{p.code}@{p.span.start_line}: {p.message}" for p in outcome.problems]


def test_next_line_and_same_line() -> None:
    source = (
        "// uelint-disable-next-line UE001 -- migrating ids\n"
        "x\n"
        "y // uelint-disable-line UE003\n"
    )
    kept, problems = run(source, [(2, "UE001"), (3, "UE003"), (3, "UE001")])
    assert kept == [(3, "UE001")] and problems == []


def test_block_and_file() -> None:
    source = (
        "/* uelint-disable UE003 */\n"
        "a\n"
        "/* uelint-enable UE003 */\n"
        "b\n"
        "/* uelint-disable-file UE002 */\n"
    )
    kept, problems = run(source, [(2, "UE003"), (4, "UE003"), (1, "UE002"), (4, "UE002")])
    assert kept == [(4, "UE003")] and problems == []


def test_several_codes_and_python_noqa() -> None:
    source = "x  # uelint-disable-line UE001, UE003\ny  # noqa: E501, UE001\nz  # noqa\n"
    kept, problems = run(source, [(1, "UE001"), (1, "UE003"), (2, "UE001"), (3, "UE001")],
                         "python")
    assert kept == [(3, "UE001")] and problems == []


def test_strict_parsing() -> None:
    source = (
        "a // uelint-disable-line\n"  # blanket: not allowed
        "b // uelint-disabel-line UE001\n"  # typo in the directive
        "c // uelint-disable-line UE01\n"  # unknown code
        "d // uelint-disable-line UE001 UE003\n"  # missing comma
        "e  // noqa: UE999\n"  # unknown code of ours
    )
    kept, problems = run(source, [(1, "UE001"), (2, "UE001"), (3, "UE001"), (4, "UE001")])
    assert [k for k, _ in kept] == [1, 2, 3, 4]  # nothing was silently suppressed
    assert problems == [
        "UE101@1: invalid suppression: `uelint-disable-line` must name the rules it disables, "
        "e.g. `uelint-disable-line UE001` (blanket suppressions are not allowed)",
        "UE101@2: invalid suppression: unknown directive `uelint-disabel-line`; "
        "did you mean `uelint-disable-line`?",
        "UE101@3: invalid suppression: unknown rule code 'UE01' (did you mean UE101?)",
        "UE101@4: invalid suppression: malformed rule code(s) 'UE001 UE003' (codes are separated "
        "by commas; a reason follows ` -- `)",
        "UE101@5: invalid suppression: unknown rule code 'UE999'",
    ]


def test_unused_with_fixes() -> None:
    source = "// uelint-disable-next-line UE001\nx\ny = 1 // uelint-disable-line UE001, UE003\n"
    text = SourceText(source.encode())
    outcome = apply(parse(text, "javascript"), "a.js", [finding(text, 3, "UE003")], KNOWN, KNOWN)
    assert [(p.code, p.span.start_line) for p in outcome.problems] == [("UE100", 1), ("UE100", 3)]
    data = source
    for problem in sorted(outcome.problems, key=lambda p: -p.span.start_byte):
        (edit,) = problem.fix
        raw = data.encode()
        data = raw[: edit.start_byte].decode() + edit.text + raw[edit.end_byte :].decode()
    assert data == "x\ny = 1 // uelint-disable-line UE003\n"


def test_unused_only_for_active_rules() -> None:
    text = SourceText(b"x // uelint-disable-line UE002\n")
    outcome = apply(parse(text, "javascript"), "a.js", [], KNOWN, {"UE001", "UE100"})
    assert outcome.problems == ()


def test_only_real_comments_are_directives() -> None:
    source = (
        'const tip = "use // uelint-disable-line UE001 there";\n'  # a string
        "const t = `/* uelint-disable-line UE003 */`;\n"  # a template literal
        "/* uelint-disable-line UE001 */ call();\n"  # a block comment, then code
        "<form>{/* uelint-disable-next-line UE002 -- reason */}</form>;\n"  # JSX
        "x();\n"
    )
    kept, problems = run(source, [(1, "UE001"), (2, "UE003"), (3, "UE001"), (5, "UE002")])
    assert kept == [(1, "UE001"), (2, "UE003")] and problems == []


def test_python_strings_are_not_comments() -> None:
    source = (
        'TIP = "# noqa: UE001"\n'
        'DOC = """\n'
        "# uelint-disable-line UE002\n"
        '"""\n'
        "x()  # noqa: UE001\n"
    )
    kept, problems = run(source, [(1, "UE001"), (3, "UE002"), (5, "UE001")], "python")
    assert kept == [(1, "UE001"), (3, "UE002")] and problems == []


def test_a_directive_followed_by_a_long_run_of_spaces_is_read_in_linear_time() -> None:
    source = "x // uelint-disable-line UE001" + " " * 200_000 + "\n"
    kept, problems = run(source, [(1, "UE001")])  # 49 s with the old backtracking regex
    assert kept == [] and problems == []


def test_block_comments_that_close_before_code_are_directives() -> None:
    source = (
        "/* uelint-disable-next-line UE001 */ prepare();\n"  # the next line, as ESLint reads it
        "x\n"
        "/* uelint-disable-line UE003 -- our own field */ y(); /* other */\n"
        "z\n"
    )
    kept, problems = run(source, [(1, "UE001"), (2, "UE001"), (3, "UE003"), (4, "UE003")])
    assert kept == [(1, "UE001"), (4, "UE003")] and problems == []


def test_jsx_comment_directives() -> None:
    source = (
        "const A = () => (<div>\n"
        "  {/* uelint-disable-next-line UE001 -- reason */}\n"
        "  {track()}\n"
        "  {/* uelint-disable-line UE003 */ track()}\n"
        "</div>);\n"
    )
    for language in ("javascript", "tsx"):
        kept, problems = run(source, [(3, "UE001"), (4, "UE003"), (4, "UE001")], language)
        assert kept == [(4, "UE001")] and problems == [], language


def test_html_and_template_comments_closing_on_the_same_line() -> None:
    source = (
        "<!-- uelint-disable-line UE001 --><script>track()</script>\n"
        "<!--uelint-disable-next-line UE003-->\n"
        "<script>track()</script>\n"
        "<!-- uelint-disable-next-line UE001 -- why -->\n"
        "<script>track()</script>\n"
        "{# uelint-disable-next-line UE003 #}<script>\n"
        "track()</script>\n"
    )
    findings = [(1, "UE001"), (3, "UE003"), (5, "UE001"), (7, "UE003"), (7, "UE001")]
    kept, problems = run(source, findings, "jinja")
    assert kept == [(7, "UE001")] and problems == []
    text = SourceText(source.encode())
    reasons = [c.reason for c in parse(text, "jinja")]
    assert reasons == [None, None, "why", None]


def fixed(source: str, language: str, findings: list[tuple[int, str]]) -> str:
    """`source` with the fixes of its unused suppressions applied."""
    text = SourceText(source.encode())
    outcome = apply(parse(text, language), "a.js", [finding(text, n, c) for n, c in findings],
                    KNOWN, KNOWN)
    data = source.encode()
    for problem in sorted(outcome.problems, key=lambda p: -p.span.start_byte):
        assert problem.code == "UE100"
        (edit,) = problem.fix
        data = data[: edit.start_byte] + edit.text.encode() + data[edit.end_byte :]
    return data.decode()


def test_an_unused_jsx_directive_goes_with_its_braces() -> None:
    source = (
        "const A = () => (<div>\n"
        "  {/* uelint-disable-next-line UE001 -- reason */}\n"
        "  <b>{/* uelint-disable-line UE001, UE003 */}{track()}</b>\n"
        "  <i>{/* uelint-disable-line UE001 */}{track()}</i>\n"
        "</div>);\n"
        "if (x) {/* uelint-disable-line UE001 */}\n"  # a block's braces: they stay
    )
    expected = (
        "const A = () => (<div>\n"
        "  <b>{/* uelint-disable-line UE003 */}{track()}</b>\n"
        "  <i>{track()}</i>\n"
        "</div>);\n"
        "if (x) {}\n"
    )
    for language in ("javascript", "tsx"):
        assert fixed(source, language, [(3, "UE003")]) == expected, language
