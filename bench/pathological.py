"""Inputs that once cost quadratic time, measured as they grow: linear stays linear.

Each case is checked at size N and 4N in the same run, interleaved; the ratio of the times is
about 4 for linear work and about 16 for quadratic work (the regression the tests' fixes
guard against: the tests check what is reported, this checks what it costs). Run:

    python bench/pathological.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from uelint import plugins
from uelint.engine import check_source
from uelint.languages import by_suffix
from uelint.rule import Rule

_AFTER = 'userengage("client.update", { user_id: 1 });\n'


def _cases() -> dict[str, tuple[str, Callable[[int], bytes]]]:
    return {
        "long non-ASCII line (JS)": (
            "line.js", lambda n: (b'userengage("client.update", { ' + "é, ".encode() * n
                                  + b"user_id: 1 });\n")),
        "await chain (JS)": (
            "chain.js", lambda n: (b"function signUp(form) {" + b"await " * (n // 40) + b"x\n"
                                   b'  userengage("client.update", { user_id: 1 });\n}\n')),
        "unterminated Jinja tags": (
            "a.j2", lambda n: (_AFTER + "{{ " * (n * 2)).encode()),
        "unterminated Blade directives": (
            "a.blade.php", lambda n: (_AFTER + "@if(" * (n * 2)).encode()),
    }


def _time(rules: list[Rule], name: str, data: bytes) -> float:
    language = by_suffix(Path(name))
    assert language is not None, name
    start = time.perf_counter()
    check_source(data, language, rules, name)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=25_000, help="N (default 25,000)")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    rules = list(plugins.load(autoload=False).rules.values())
    print(f"{'case':32} {'N s':>8} {'4N s':>8} {'ratio':>6}  (linear ~4, quadratic ~16)")
    for label, (name, make) in _cases().items():
        small, large = make(args.size), make(4 * args.size)
        times: dict[str, list[float]] = {"small": [], "large": []}
        for _ in range(args.repeat):  # interleaved: the machine's load hits both alike
            times["small"].append(_time(rules, name, small))
            times["large"].append(_time(rules, name, large))
        low, high = statistics.median(times["small"]), statistics.median(times["large"])
        print(f"{label:32} {low:8.3f} {high:8.3f} {high / low:6.1f}")


if __name__ == "__main__":
    main()
