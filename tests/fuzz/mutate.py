"""Seeded, bounded mutations of uelint's real fixtures: the hostile inputs of the fuzz tests.

Every case is a pure function of `(seed, index)`: `make_case(seed, index)` rebuilds it byte
for byte, so a failure found by a long campaign is reproduced from two numbers (or from the
file the campaign saved). A case starts from one file under tests/fixtures/ (JavaScript,
TypeScript, TSX, JSX, Python, HTML, Vue, Svelte, PHP, Blade, Jinja/Twig, Smarty, ERB/EJS),
keeps its file name (the suffix picks the language) and applies one to four mutations:
byte flips, truncation, NUL bytes, invalid UTF-8, surrogate-like bytes, duplicated or deleted
spans, deeply nested brackets and long operator chains (bounded), long lines, directive
comments (`// uelint-disable-line UE001`, `# noqa: UE001`, ...) anywhere, including inside
strings, CRLF / CR line endings, byte order marks, template tags and `<script>` tags cut in
half, hostile tokens (quotes, comment openers, U+2028, astral characters) and spans spliced
in from another fixture.

Run it alone to see what a case looks like:

    .venv/bin/python -m tests.fuzz.mutate SEED INDEX [--write DIR]
"""

from __future__ import annotations

import argparse
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"

# No case grows past this: a campaign checks thousands, and size alone proves nothing new.
MAX_CASE_BYTES = 400_000
MAX_NESTING = 3_000  # brackets deep, or operators long: bounded, as issue #18 asks
MAX_LONG_LINE = 150_000


@dataclass(frozen=True)
class Seed:
    """A fixture a case starts from."""

    path: str  # relative to tests/fixtures, forward slashes
    data: bytes

    @property
    def name(self) -> str:
        return self.path.rsplit("/", 1)[-1]


@dataclass(frozen=True)
class Case:
    """One mutated file: where it came from, what was done to it, and its bytes."""

    seed: int
    index: int
    source: str  # the fixture, relative to tests/fixtures
    mutations: tuple[str, ...]
    data: bytes

    @property
    def name(self) -> str:
        """Its file name in a run directory: unique in a batch, the fixture's suffix kept."""
        return f"c{self.index:06d}_{self.source.rsplit('/', 1)[-1]}"

    def describe(self) -> str:
        return f"seed {self.seed} case {self.index}: {self.source} + {', '.join(self.mutations)}"


# uelint.config.CONFIG_FILES, spelled here: this module runs without uelint.
CONFIG_FILES = (".uelint.toml", "uelint.toml", "pyproject.toml")


@cache
def corpus() -> tuple[Seed, ...]:
    """Every fixture file, in a stable order (the same cases on every machine); not the
    fixtures' configuration (a case's file is checked, not obeyed)."""
    files = sorted(p for p in FIXTURES.rglob("*") if p.is_file() and "__pycache__" not in p.parts
                   and p.name not in CONFIG_FILES)
    return tuple(Seed(p.relative_to(FIXTURES).as_posix(), p.read_bytes()) for p in files)


# --- the mutations ----------------------------------------------------------------------------

Mutator = Callable[[random.Random, bytes], bytes]

INVALID_UTF8 = (
    b"\xff", b"\xfe", b"\x80", b"\xbf", b"\xc3", b"\xc0\xaf", b"\xc1\xbf", b"\xe2\x82",
    b"\xe0\x80\xaf", b"\xf0\x9f\x98", b"\xf4\x90\x80\x80", b"\xf8\x88\x80\x80\x80",
    b"\xfc\x84\x80\x80\x80\x80",
)
SURROGATES = (  # UTF-16 surrogates encoded as if they were characters (CESU-8, WTF-8)
    b"\xed\xa0\x80", b"\xed\xbf\xbf", b"\xed\xa0\xbd\xed\xb8\x80", b"\xed\xb2\x80",
    b"\\ud83d", b"\\udc00", b'"\\ud800"',
)
DIRECTIVES = (
    b"// uelint-disable-line UE001", b"# noqa: UE001", b"/* uelint-disable UE001 */",
    b"/* uelint-enable UE001 */", b"// uelint-disable-next-line UE001, UE003 -- migrated",
    b"<!-- uelint-disable-line UE001 -->", b"{# uelint-disable-line UE001 #}",
    b"{{-- uelint-disable-line UE001 --}}", b"<%# uelint-disable-line UE001 %>",
    b"// uelint-disable-file UE002", b"// uelint-disable-line", b"// uelint-disable-line UE999",
    b"# noqa", b"// uelint-disble UE001", b"/* uelint-disable-line UE001",
    b"# noqa:UE001,UE100", b"// uelint-disable-line UE001 UE001", b"/* uelint-disable */",
    b"// uelint-disable-next-line UE001 -- ", b"# uelint-disable-line UE001 -- ok",
    b"{* uelint-disable-line UE001 *}", b"// uelint-enable", b"#noqa:UE003",
)
TEMPLATE_TOKENS = (
    b"{{", b"}}", b"{%", b"%}", b"{#", b"#}", b"<?php", b"<?=", b"?>", b"<%", b"<%=", b"%>",
    b"{$", b"{*", b"*}", b"{literal}", b"{/literal}", b"{ldelim}", b"{!!", b"!!}", b"@if(",
    b"@json(", b"<script", b"</script>", b"<script setup lang=\"ts\">", b"<template>",
    b"</template>", b"<style>", b"<!--", b"-->", b"<![CDATA[", b"]]>", b"{#if ", b"{/if}",
)
TOKENS = (
    b'"', b"'", b"`", b"${", b"}", b"/*", b"*/", b"//", b'"""', b"'''", b"\\", b"(", b")",
    b"[", b"]", b"{", b"=>", b"<", b"/", b"#", b"...", b"?.", b"<div>", b"</", b"\n", b"\t",
    b"\xe2\x80\xa8", b"\xe2\x80\xa9", b"\xf0\x9f\x98\x80", b"e\xcc\x81", b"\xef\xbb\xbf",
    b"\xc2\xa0", b'userengage("client.update", {', b"user_id", b"user_id: 1", b"UE.pageHit(",
    b"window.civchat = {", b'"client." + "update"', b"async ", b"def ", b"class ", b"lambda",
    b"@", b":", b";", b",", b"\\u{10FFFF}", b"\r", b"\x0b", b"\x0c", b"\x1b[31m",
)
OPENERS = (b"(", b"[", b"{", b"${`", b"<div>", b"(() => ", b"[{", b"f(")
CLOSERS = {b"(": b")", b"[": b"]", b"{": b"}", b"${`": b"`}", b"<div>": b"</div>",
           b"(() => ": b")", b"[{": b"}]", b"f(": b")"}
CHAINS = (b"not ", b"-", b"!", b"~", b"1 + ", b"a.", b"a && ", b"x if y else ", b"await ",
          b"typeof ", b"a, ", b"lambda: ")


def _spot(rng: random.Random, data: bytes) -> int:
    """A position: anywhere, or (as often) at the end of a line, where comments go."""
    if data and rng.random() < 0.4:
        ends = [i for i, b in enumerate(data) if b == 0x0A]
        if ends:
            return rng.choice(ends)
    return rng.randint(0, len(data))


def _insert(rng: random.Random, data: bytes, piece: bytes) -> bytes:
    at = _spot(rng, data)
    return data[:at] + piece + data[at:]


def _span(rng: random.Random, data: bytes, most: int = 2_000) -> tuple[int, int]:
    start = rng.randint(0, len(data))
    return start, min(len(data), start + rng.randint(0, most))


def flip_bytes(rng: random.Random, data: bytes) -> bytes:
    if not data:
        return data
    out = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        i = rng.randrange(len(out))
        out[i] ^= rng.choice((1 << rng.randrange(8), 0xFF, 0x80))
    return bytes(out)


def truncate(rng: random.Random, data: bytes) -> bytes:
    return data[: rng.randint(0, len(data))]


def nul_bytes(rng: random.Random, data: bytes) -> bytes:
    for _ in range(rng.randint(1, 3)):
        data = _insert(rng, data, b"\0" * rng.choice((1, 1, 2, 16)))
    return data


def invalid_utf8(rng: random.Random, data: bytes) -> bytes:
    for _ in range(rng.randint(1, 4)):
        data = _insert(rng, data, rng.choice(INVALID_UTF8))
    return data


def surrogate_bytes(rng: random.Random, data: bytes) -> bytes:
    return _insert(rng, data, rng.choice(SURROGATES))


def duplicate_span(rng: random.Random, data: bytes) -> bytes:
    start, end = _span(rng, data)
    return _insert(rng, data, data[start:end] * rng.choice((1, 1, 2, 10)))


def delete_span(rng: random.Random, data: bytes) -> bytes:
    start, end = _span(rng, data, rng.choice((4, 50, 2_000)))
    return data[:start] + data[end:]


def deep_nesting(rng: random.Random, data: bytes) -> bytes:
    depth = rng.choice((64, 256, 1_000, MAX_NESTING))
    opener = rng.choice(OPENERS)
    closed = rng.random() < 0.6
    piece = opener * depth + b"x" + (CLOSERS[opener] * depth if closed else b"")
    return _insert(rng, data, piece)


def operator_chain(rng: random.Random, data: bytes) -> bytes:
    length = rng.choice((64, 500, 2_000, MAX_NESTING))
    return _insert(rng, data, rng.choice(CHAINS) * length + b"x")


def long_line(rng: random.Random, data: bytes) -> bytes:
    length = rng.choice((5_000, 40_000, MAX_LONG_LINE))
    unit = rng.choice((b"x", b" ", b"a,", b"// ", b'"a" + ', b"\t", b"\xc3\xa9",
                       b"\xf0\x9f\x98\x80"))
    line = unit * (length // len(unit))
    if rng.random() < 0.5:  # a long line that still holds a finding, at a far column
        line += b' userengage("client.update", { user_id: 1 });'
    return _insert(rng, data, line)


def directive_comment(rng: random.Random, data: bytes) -> bytes:
    for _ in range(rng.randint(1, 3)):
        piece = rng.choice(DIRECTIVES)
        if rng.random() < 0.3:  # right after a `user_id`, where it suppresses something
            at = data.find(b"user_id", rng.randint(0, len(data)))
            if at >= 0:
                end = data.find(b"\n", at)
                end = len(data) if end < 0 else end
                data = data[:end] + b" " + piece + data[end:]
                continue
        if rng.random() < 0.5:
            piece = b" " + piece + rng.choice((b"", b"\n", b" x", b"*/", b"-->"))
        data = _insert(rng, data, piece)
    return data


def line_endings(rng: random.Random, data: bytes) -> bytes:
    unified = data.replace(b"\r\n", b"\n")
    style = rng.choice(("crlf", "cr", "mixed", "lf-cr"))
    if style == "crlf":
        return unified.replace(b"\n", b"\r\n")
    if style == "cr":
        return unified.replace(b"\n", b"\r")
    if style == "lf-cr":
        return unified.replace(b"\n", b"\n\r")
    return b"".join(line + rng.choice((b"\n", b"\r\n", b"\r")) for line in unified.split(b"\n"))


def byte_order_mark(rng: random.Random, data: bytes) -> bytes:
    bom = rng.choice((b"\xef\xbb\xbf", b"\xef\xbb\xbf\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff",
                      b"\xff\xfe\x00\x00"))
    if rng.random() < 0.7:
        return bom + data
    return _insert(rng, data, bom)


def cut_template_tag(rng: random.Random, data: bytes) -> bytes:
    found = [(token, i) for token in TEMPLATE_TOKENS
             for i in _occurrences(data, token)][:500]
    if not found or rng.random() < 0.25:
        token = rng.choice(TEMPLATE_TOKENS)
        return _insert(rng, data, token[: rng.randint(1, len(token))])
    token, at = rng.choice(found)
    half = at + max(1, len(token) // 2)
    how = rng.choice(("truncate", "drop-rest", "drop-start"))
    if how == "truncate":  # the file ends in the middle of the tag
        return data[:half]
    if how == "drop-rest":
        return data[:half] + data[at + len(token):]
    return data[:at] + data[half:]


def hostile_token(rng: random.Random, data: bytes) -> bytes:
    for _ in range(rng.randint(1, 5)):
        data = _insert(rng, data, rng.choice(TOKENS))
    return data


def splice(rng: random.Random, data: bytes) -> bytes:
    other = rng.choice(corpus()).data
    start, end = _span(rng, other, 3_000)
    return _insert(rng, data, other[start:end])


def _occurrences(data: bytes, token: bytes) -> list[int]:
    found, at = [], data.find(token)
    while at >= 0 and len(found) < 100:
        found.append(at)
        at = data.find(token, at + 1)
    return found


MUTATORS: dict[str, Mutator] = {
    "flip": flip_bytes,
    "truncate": truncate,
    "nul": nul_bytes,
    "invalid-utf8": invalid_utf8,
    "surrogates": surrogate_bytes,
    "duplicate": duplicate_span,
    "delete": delete_span,
    "nesting": deep_nesting,
    "chain": operator_chain,
    "long-line": long_line,
    "directive": directive_comment,
    "line-endings": line_endings,
    "bom": byte_order_mark,
    "template-cut": cut_template_tag,
    "token": hostile_token,
    "splice": splice,
}
# Mutations that keep a file mostly valid come up more often: a file that no longer parses
# at all exercises the error paths only, not the analysis behind them.
WEIGHTS: dict[str, int] = {
    "flip": 2, "truncate": 2, "nul": 1, "invalid-utf8": 2, "surrogates": 2, "duplicate": 3,
    "delete": 3, "nesting": 2, "chain": 2, "long-line": 2, "directive": 5, "line-endings": 3,
    "bom": 2, "template-cut": 4, "token": 4, "splice": 3,
}


def make_case(seed: int, index: int, seeds: Sequence[Seed] | None = None,
              mutations: Sequence[str] | None = None) -> Case:
    """Case `index` of campaign `seed`: the same bytes on every run, on every machine.
    `mutations` forces which ones (in order); by default one to four chosen at random."""
    rng = random.Random(f"uelint-fuzz:{seed}:{index}")
    pool = seeds if seeds is not None else corpus()
    start = rng.choice(pool)
    if mutations is None:
        names = list(WEIGHTS)
        mutations = rng.choices(names, weights=[WEIGHTS[n] for n in names],
                                k=rng.choice((1, 1, 2, 2, 3, 4)))
    data = start.data
    for name in mutations:
        data = MUTATORS[name](rng, data)[:MAX_CASE_BYTES]
    return Case(seed, index, start.path, tuple(mutations), data)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Show (or write) one fuzz case.")
    parser.add_argument("seed", type=int)
    parser.add_argument("index", type=int)
    parser.add_argument("--write", type=Path, metavar="DIR", help="write the case into DIR")
    args = parser.parse_args(argv)
    case = make_case(args.seed, args.index)
    print(case.describe(), f"({len(case.data)} bytes)")
    if args.write:
        args.write.mkdir(parents=True, exist_ok=True)
        (args.write / case.name).write_bytes(case.data)
        print(args.write / case.name)
    else:
        print(case.data[:2_000].decode("utf-8", "backslashreplace"))


if __name__ == "__main__":
    main()
