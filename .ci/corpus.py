#!/usr/bin/env python3
"""Build a large, real test corpus: copy the JavaScript, TypeScript and Python files found
under SOURCE directories into OUT and inject User.com tracking calls into some of them.

    python3 .ci/corpus.py OUT SOURCE [SOURCE ...]

Deterministic for the same sources. Some copies get awkward names (spaces, non-ASCII, `%`,
`#`, emoji), CRLF line endings, or an injected line with CJK and emoji before the call, so
that paths, URIs, UTF-16 columns and line hashes are exercised on real code. Every 3rd file
(not TypeScript declarations, which cannot hold statements) gets a call, capped so that a
report stays under the 1,000 results per run that Sarif.Multitool's GitHub rules accept
(GH1004).
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

SUFFIXES = {".js", ".mjs", ".cjs", ".jsx", ".ts", ".tsx", ".py"}
MAX_FILES = 6000
MAX_INJECTED = 650
AWKWARD = ["dir with space", "ünïcödé", "100%", "#hash", "🙈 emoji", "日本語"]

JS_CALLS = [
    '\n;/* 日本語 🙈 */ userengage("client.update", { user_id: uid, first_name: name });\n',
    ('\n;function handleLogin(user) { '
     'window.userengage("client.update", { email: user.email }); }\n'),
    ('\n;userengage("client.update", {\n'
     '  browser_language: navigator.language,\n  ip_address: ip,\n});\n'),
]
PY_CALL = '\nimport js\njs.window.userengage("client.update", {"user_id": 1, "timezone": "UTC"})\n'


def main(out: Path, sources: list[Path]) -> int:
    files = sorted(
        path for source in sources for path in source.rglob("*")
        if path.suffix in SUFFIXES and path.is_file() and not path.is_symlink()
    )[:MAX_FILES]
    if out.exists():
        shutil.rmtree(out)
    injected = 0
    for index, path in enumerate(files):
        data = path.read_bytes()
        if b"\0" in data[:8192]:
            continue
        target = out / f"{index // 500:02d}" / _name(index, path)
        target.parent.mkdir(parents=True, exist_ok=True)
        if index % 3 == 0 and injected < MAX_INJECTED and not path.name.endswith(".d.ts"):
            call = PY_CALL if path.suffix == ".py" else JS_CALLS[index // 3 % len(JS_CALLS)]
            data = data + call.encode("utf-8")
            if index % 7 == 0:
                data = data.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
            injected += 1
        target.write_bytes(data)
    print(f"{len(files)} files copied into {out}, {injected} with tracking calls")
    return 0


def _name(index: int, path: Path) -> str:
    """`path`'s name, made awkward for every 25th file, and unique in its folder."""
    if index % 25 == 0:
        return f"{AWKWARD[index // 25 % len(AWKWARD)]} {index}{path.suffix}"
    return f"{index}-{path.name}"


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    sys.exit(main(Path(sys.argv[1]), [Path(p) for p in sys.argv[2:]]))
