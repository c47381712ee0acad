"""Fingerprints: GitHub's primaryLocationLineHash (checked against the upload action's own
test vectors) and uelint's stable fingerprint."""

from __future__ import annotations

import random

import pytest

from uelint import fingerprints
from uelint.diagnostic import Diagnostic, Level
from uelint.source import SourceText

# github/codeql-action, src/fingerprints.test.ts ("hash"), at a7d3945a: each input and the
# hashes its lines get, written down here as data.
CODEQL_ACTION_VECTORS: list[tuple[str, list[str]]] = [
    ("", ["c129715d7a2bc9a3:1"]),
    (" a\nb\n  \t\tc\n d", [
        "271789c17abda88f:1", "54703d4cd895b18:1", "180aee12dab6264:1", "a23a3dc5e078b07b:1",
    ]),
    (" hello; \t\nworld!!!\n\n\n  \t\tGreetings\n End", [
        "8b7cf3e952e7aeb2:1", "b1ae1287ec4718d9:1", "bff680108adb0fcc:1",
        "c6805c5e1288b612:1", "b86d3392aea1be30:1", "e6ceba753e1a442:1",
    ]),
    *[
        (text, [
            "e9496ae3ebfced30:1", "fb7c023a8b9ccb3f:1", "ce8ba1a563dcdaca:1",
            "e20e36e16fcb0cc8:1", "b3edc88f2938467e:1", "c8e28b0b4002a3a0:1",
            "c129715d7a2bc9a3:1",
        ])
        for text in (
            " hello; \t\nworld!!!\n\n\n  \t\tGreetings\n End\n",
            " hello; \t\nworld!!!\r\r\r  \t\tGreetings\r End\r",
            " hello; \t\r\nworld!!!\r\n\r\n\r\n  \t\tGreetings\r\n End\r\n",
            " hello; \t\nworld!!!\r\n\n\r  \t\tGreetings\r End\r\n",
        )
    ],
    ("Lorem ipsum dolor sit amet.\n" * 10, [
        *(f"a7f2ff13bc495cf2:{n}" for n in range(1, 7)),
        "a7f2ff1481e87703:1", "a9cf91f7bbf1862b:1", "55ec222b86bcae53:1",
        "cc97dc7b1d7d8f7b:1", "c129715d7a2bc9a3:1",
    ]),
    ("x = 2\nx = 1\nprint(x)\nx = 3\nprint(x)\nx = 4\nprint(x)\n", [
        "e54938cc54b302f1:1", "bb609acbe9138d60:1", "1131fd5871777f34:1",
        "5c482a0f8b35ea28:1", "54517377da7028d2:1", "2c644846cb18d53e:1",
        "f1b89f20de0d133:1", "c129715d7a2bc9a3:1",
    ]),
]

# github/codeql-action, src/testdata/testFile1.js and testFile2.js with the hashes that
# fingerprinting.expected.sarif gives their results (line 1 and line 2).
CODEQL_ACTION_FILES = [
    ("var a = 0;\nvar b = 0;\nvar c = 0;\nvar d = 0;\n", 1, "5e4d5a9cf1294ad9:1"),
    ("var foo = 0;\nvar bar = 0;\nvar baz = 0;\nvar qux = 0;\n", 2, "f7592a95a9381ac0:1"),
]


@pytest.mark.parametrize(("text", "expected"), CODEQL_ACTION_VECTORS)
def test_line_hashes_match_the_upload_action(text: str, expected: list[str]) -> None:
    hashes = fingerprints.line_hashes(text.encode("utf-8"))
    assert [hashes[line] for line in sorted(hashes)] == expected
    assert sorted(hashes) == list(range(1, len(expected) + 1))


@pytest.mark.parametrize(("text", "line", "expected"), CODEQL_ACTION_FILES)
def test_line_hash_of_a_result_matches_the_upload_action(
    text: str, line: int, expected: str
) -> None:
    assert fingerprints.line_hashes(text.encode("utf-8"), [line]) == {line: expected}


def reference_hashes(text: str) -> list[str]:
    """The algorithm as the upload action describes it, one UTF-16 code unit at a time."""
    units = list(text.encode("utf-16-le"))
    stream: list[int] = []
    starts: list[int] = []
    line_start, previous_cr = True, False
    for unit in [a | b << 8 for a, b in zip(units[::2], units[1::2], strict=True)] + [0xFFFF]:
        if unit in (0x20, 0x09) or (previous_cr and unit == 0x0A):
            previous_cr = False
            continue
        previous_cr = unit == 0x0D
        unit = 0x0A if unit == 0x0D else unit
        if line_start:
            starts.append(len(stream))
            line_start = False
        line_start = unit == 0x0A
        stream.append(unit)
    stream += [0] * 100
    seen: dict[int, int] = {}
    hashes = []
    for start in starts:
        value = 0
        for unit in stream[start : start + 100]:
            value = (value * 37 + unit) % 2**64
        seen[value] = seen.get(value, 0) + 1
        hashes.append(f"{value:x}:{seen[value]}")
    return hashes


def test_reference_agrees_with_the_vectors() -> None:
    for text, expected in CODEQL_ACTION_VECTORS:
        assert reference_hashes(text) == expected


@pytest.mark.parametrize("seed", range(40))
def test_line_hashes_agree_with_the_reference_on_awkward_text(seed: int) -> None:
    rng = random.Random(seed)
    alphabet = ["a", "b", " ", "\t", "\n", "\r", "\r\n", "\u00e9", "日本", "🙈", "\ufeff", "x" * 60]
    text = "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 400)))
    hashes = fingerprints.line_hashes(text.encode("utf-8"))
    assert [hashes[line] for line in sorted(hashes)] == reference_hashes(text)


@pytest.mark.parametrize("seed", range(40))
def test_ascii_text_with_the_line_table_agrees_with_the_reference(seed: int) -> None:
    rng = random.Random(seed)
    alphabet = ["a", "b", " ", "\t", "\n", "x" * 60, "x" * 99, "\n" * 3, " " * 150]
    text = "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 400)))
    data = text.encode("ascii")
    expected = reference_hashes(text)
    starts = SourceText(data).line_starts
    asked = sorted(rng.sample(range(1, len(expected) + 1), min(3, len(expected))))
    hashes = fingerprints.line_hashes(data, asked, starts)  # only up to the last one asked
    assert hashes == {line: expected[line - 1] for line in asked}


@pytest.mark.parametrize("seed", range(20))
def test_occurrences_of_repeated_lines_agree_with_the_reference(seed: int) -> None:
    rng = random.Random(seed)
    lines = ["x();", "x();x();", "  x();", "", "y", "x();" * 30]
    text = "\n".join(rng.choice(lines) for _ in range(rng.randrange(1, 300)))
    hashes = fingerprints.line_hashes(text.encode("utf-8"))
    assert [hashes[line] for line in sorted(hashes)] == reference_hashes(text)


def test_only_the_asked_lines_are_returned() -> None:
    data = b"a\nb\na\n"
    assert fingerprints.line_hashes(data, [3, 99]) == {3: fingerprints.line_hashes(data)[3]}
    assert fingerprints.line_hashes(data, []) == {}


# --- stamping ------------------------------------------------------------------------------


def diagnostics_of(source: str, path: str = "app.js") -> tuple[Diagnostic, ...]:
    """A finding on every `user_id` of `source`, stamped as the engine stamps them."""
    text = SourceText(source.encode("utf-8"))
    found = []
    start = source.find("user_id")
    while start != -1:
        begin = len(source[:start].encode("utf-8"))
        span = text.span(begin, begin + len("user_id"))
        found.append(Diagnostic("UE001", Level.ERROR, "m", path, span))
        start = source.find("user_id", start + 1)
    return fingerprints.stamp(text, reversed(found))


def test_stamp_orders_dedupes_and_fingerprints() -> None:
    source = 'f({ user_id: 1 });\ng({ user_id: 2 });\n'
    text = SourceText(source.encode())
    (first, second) = diagnostics_of(source)
    assert (first.span.start_line, second.span.start_line) == (1, 2)
    assert first.fingerprints is not None and second.fingerprints is not None
    assert first.fingerprints.line_hash == fingerprints.line_hashes(text.data)[1]
    assert first.fingerprints.stable != second.fingerprints.stable  # occurrence 0 and 1
    assert fingerprints.stamp(text, [first, first, second]) == (first, second)
    assert fingerprints.stamp(text, []) == ()


def test_stable_fingerprint_survives_moves_and_reformatting() -> None:
    before = diagnostics_of('f({ user_id: 1 });\n')
    after = diagnostics_of('// a new comment\n\n\n   f({\n     user_id :1 });\n')
    assert [d.span.start_line for d in after] == [5]
    assert [fingerprints.of(d).stable for d in before] == [fingerprints.of(d).stable for d in after]
    assert fingerprints.of(before[0]).line_hash != fingerprints.of(after[0]).line_hash


def test_stable_fingerprint_depends_on_rule_path_and_region() -> None:
    (base,) = diagnostics_of("f({ user_id: 1 });\n")
    (other_path,) = diagnostics_of("f({ user_id: 1 });\n", path="b.js")
    assert fingerprints.of(base).stable != fingerprints.of(other_path).stable
    text = SourceText(b"f({ user_id: 1 });\n")
    (other_rule,) = fingerprints.stamp(text, [Diagnostic("UE003", Level.ERROR, "m", "app.js",
                                                         base.span)])
    assert fingerprints.of(base).stable != fingerprints.of(other_rule).stable
    key = fingerprints.stable_fingerprint("UE001", "app.js", "user_id", 0)
    assert fingerprints.of(base).stable == key
    assert len(key) == 32 and int(key, 16) >= 0


def test_unstamped_diagnostic_gets_a_stable_fingerprint_and_no_line_hash() -> None:
    (base,) = diagnostics_of("f({ user_id: 1 });\n")
    bare = Diagnostic(base.code, base.level, base.message, base.path, base.span)
    prints = fingerprints.of(bare)
    assert prints.line_hash is None
    assert prints == fingerprints.of(bare) and len(prints.stable) == 32


def test_many_lines_are_counted_in_one_pass_with_the_same_result() -> None:
    """Thousands of identical findings: each line's occurrence searched for in the file was
    quadratic (10,000 findings took 80 s); beyond a few lines, one pass counts them all."""
    data = b"".join(b'userengage("client.update", { user_id: %d });\n' % (i % 3)
                    for i in range(200)) + "\tcaf\u00e9 = 1;\n".encode()
    lines = list(range(1, 202))
    one_by_one = {line: fingerprints.line_hashes(data, [line])[line] for line in lines}
    assert fingerprints.line_hashes(data, lines) == one_by_one
    assert one_by_one[4] == one_by_one[1].replace(":1", ":2")  # the same window, again
