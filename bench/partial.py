"""One file named in a large project, as pre-commit and editors run uelint (#13).

    python bench/partial.py            # the corpus must exist: python bench/run.py builds it
    python bench/partial.py --repeat 15

A file named alone is checked in its project's context: the whole project is read (from the
cache when warm) so that wrappers and constants of other files count. Measured side by side,
interleaved, on the bench corpus (~25,000 files) with a wrapper and its caller added:

- warm: the project's analyses in the cache, one file named;
- alone: the same file, copied into a directory of its own (a run that has no project to read:
  what a partial run cost before #13);
- cold: one file named with --no-cache, against a cold run of the whole corpus;
- edited: one file named right after the file exporting the wrapper it calls was edited
  (the next warm run comes once a run has indexed that edit, 2 s later);
- edited caller: the file named right after it was edited itself, as a commit stages it.

Prints medians and the ratios the issue sets targets for. Wall time only: no memory sampler
runs beside the commands (it slowed the forked stat pass by a third, see measure.py).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import corpus
from measure import measure

UELINT = [sys.executable, "-m", "uelint", "check", "--jobs", "2"]
WRAPPER = "export function track(name, data) {\n  window.userengage(name, data);\n}\n"
CALLER = ('import { track } from "./analytics";\n'
          'export function save(user) {\n  track("client.update", { user_id: user.id });\n}\n')


def wall(command: list[str], cwd: Path) -> float:
    return measure(command, cwd, memory=False).wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=9, help="runs per scenario (median)")
    args = parser.parse_args()
    root = corpus.CORPUS
    if not (root / "npm").is_dir():
        sys.exit("no corpus: run `python bench/run.py --quick` once to build it")
    added = root / "uelint-partial-bench"
    scratch = Path(tempfile.mkdtemp(prefix="uelint-partial-"))
    try:
        added.mkdir()
        (added / "analytics.js").write_text(WRAPPER)
        (added / "settings.js").write_text(CALLER)
        (scratch / "settings.js").write_text(CALLER)
        named = "uelint-partial-bench/settings.js"
        # What changed within 2 s (the files and the directory just made) is not indexed
        # (cache.RACY_NS): once it settled, a run walks the project and indexes it all.
        time.sleep(2.1)
        found = measure([*UELINT, named], root, memory=False)  # also warms the project's cache
        assert found.returncode == 1 and "UE001" in found.stdout, found.stdout
        measure([*UELINT, "settings.js"], scratch, memory=False)  # warm the lone file's cache
        walls: dict[str, list[float]] = {k: [] for k in ("warm", "alone", "cold", "full cold",
                                                         "edited", "edited caller")}

        def settle() -> None:
            # The edit settles and a run indexes it: a file changed within 2 s is not
            # indexed (git's "racily clean" rule, cache.RACY_NS), so the next warm run would
            # read it again as changed, and save the index.
            time.sleep(2.1)
            wall([*UELINT, named], root)

        for round_ in range(args.repeat):
            walls["warm"].append(wall([*UELINT, named], root))
            walls["alone"].append(wall([*UELINT, "settings.js"], scratch))
            (added / "analytics.js").write_text(WRAPPER + f"// edit {round_}\n")
            walls["edited"].append(wall([*UELINT, named], root))
            settle()
            (added / "settings.js").write_text(CALLER + f"// edit {round_}\n")
            walls["edited caller"].append(wall([*UELINT, named], root))
            settle()
            if round_ < 3:  # a cold run of the corpus takes seconds: three of each
                walls["cold"].append(wall([*UELINT, "--no-cache", named], root))
                walls["full cold"].append(wall([*UELINT, "--no-cache", "."], root))
    finally:
        shutil.rmtree(added, ignore_errors=True)
        shutil.rmtree(scratch, ignore_errors=True)
    median = {k: statistics.median(v) for k, v in walls.items()}
    print(f"## One file named in the bench corpus (medians; {args.repeat} interleaved runs, "
          "cold ones 3)\n")
    print("| scenario | wall ms | target |\n|---|---:|---|")
    print(f"| warm: project index in the cache | {median['warm'] * 1000:.0f} | < 150 ms, "
          f"< 2x alone (here {median['warm'] / median['alone']:.2f}x) |")
    print(f"| alone: the file outside any project | {median['alone'] * 1000:.0f} | |")
    print(f"| after editing the wrapper's file | {median['edited'] * 1000:.0f} | < 300 ms |")
    print(f"| after editing the file named (what a commit stages) | "
          f"{median['edited caller'] * 1000:.0f} | |")
    print(f"| cold (--no-cache), one file named | {median['cold'] * 1000:.0f} | <= full cold "
          f"(here {median['cold'] / median['full cold']:.2f}x) |")
    print(f"| cold (--no-cache), the whole corpus | {median['full cold'] * 1000:.0f} | |")
    print("\nEach run, in order (ms): " + "; ".join(
        f"{name} {', '.join(f'{wall * 1000:.0f}' for wall in runs)}"
        for name, runs in walls.items()))


if __name__ == "__main__":
    main()
