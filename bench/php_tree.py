"""What PHP costs: a PHP-heavy tree against the bench corpus, and what a tree without PHP pays
for the PHP adapter (start-up, prefilter), measured side by side in one run.

1. Throughput. Exports the PHP files (`.php`, `.phtml`, `.tpl`, `.twig`) of a PHP application
   mirrored in /work/.mirror by the search library's `fetch` (default: OpenCart, ~5,200 files,
   53 MB) under bench/work/php-tree/ (read as bytes, never run), and a copy where every PHP file
   that ends in PHP code echoes a tracking script (so ~4,000 files survive the prefilter and go
   through tree-sitter-php and the reassembly). `uelint check --no-cache` runs on the bench
   corpus and on both trees, interleaved; each tree's seconds per MB is divided by the
   corpus's (the issue's target: at most 2x).
2. No PHP, no cost. With `--before REV` (default: the commit before the PHP adapter), that
   revision of this repository is exported as a package beside this checkout and both run,
   interleaved: `uelint check --no-cache` on one small JavaScript file (start-up) and on the
   bench corpus, which holds no PHP (walk, read, prefilter, parse of its candidates). The
   ratio now / before is the change (it includes whatever else changed since REV).
3. Imports. A check of JavaScript, HTML, Vue and Smarty files (no PHP) must not import
   tree-sitter-php; printed as measured.

Times are the median of `--rounds` runs (the machine is shared: compare the ratios, which
come from the same minutes, not the seconds). Run it from any checkout:

    python bench/php_tree.py [--repo owner/name] [--rounds 5] [--jobs 1] [--before REV]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from corpus import CORPUS  # noqa: E402  (bench/ is not a package)

WORK = HERE / "work"
MIRROR = Path("/work/.mirror")
SUFFIXES = (".php", ".phtml", ".tpl", ".twig")
ECHOED = (b"\necho '<script>userengage(\"client.update\", {user_id: ' . (int) $id"
          b" . '});</script>';\n")
# The commit before the PHP adapter (d3ada94): what a tree without PHP cost then.
BEFORE = "36209fb"
_IMPORTS = (
    "import sys; from uelint.cli import main; main(sys.argv[1:]); "
    "print('tree_sitter_php' in sys.modules, 'uelint.adapters.php' in sys.modules)"
)


def export(repo: str, target: Path) -> None:
    """The PHP files of `repo`'s newest snapshot, through `git cat-file --batch` (a snapshot
    may lack its largest blobs: those are skipped). Directories uelint skips by default
    (`vendor`) get a `_`, as in the bench corpus: every file exported is read."""
    from uelint.discover import SKIPPED_DIRS

    if target.is_dir():
        return
    git_dir = MIRROR / repo.replace("/", "+") / "repo"
    if (git_dir / ".git").is_dir():
        git_dir = git_dir / ".git"
    listing = subprocess.run(["git", "--git-dir", str(git_dir), "ls-tree", "-r", "HEAD"],
                             check=True, capture_output=True, text=True).stdout
    blobs = [(line.split()[2], line.split("\t", 1)[1]) for line in listing.splitlines()
             if line.split("\t", 1)[1].endswith(SUFFIXES)]
    batch = subprocess.run(["git", "--git-dir", str(git_dir), "cat-file", "--batch"],
                           input="".join(f"{sha}\n" for sha, _ in blobs).encode(),
                           check=True, capture_output=True).stdout
    pos = 0
    for _, name in blobs:
        header_end = batch.index(b"\n", pos)
        header = batch[pos:header_end].split()
        pos = header_end + 1
        if header[-1] == b"missing":
            continue
        size = int(header[2])
        path = target.joinpath(*(f"{part}_" if part in SKIPPED_DIRS else part
                                 for part in name.split("/")))
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(batch[pos : pos + size])
        pos += size + 1
    _own_repository(target)


def candidates(tree: Path, target: Path) -> None:
    """A copy of `tree` where each PHP file that ends in PHP code echoes a tracking script."""
    if target.is_dir():
        return
    for path in tree.rglob("*"):
        if not path.is_file() or ".git" in path.parts:
            continue
        data = path.read_bytes()
        if path.suffix in (".php", ".phtml") and data.rfind(b"<?") > data.rfind(b"?>"):
            data += ECHOED
        out = target / path.relative_to(tree)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(data)
    _own_repository(target)


def _own_repository(tree: Path) -> None:
    """A git repository of its own, so that no `.gitignore` of this checkout applies."""
    subprocess.run(["git", "init", "-q", str(tree)], check=True)


def before_package(rev: str) -> Path:
    """`rev` of this repository as an importable `uelint` (linter/ and rules/ laid out as the
    editable install maps them), under bench/work/."""
    target = WORK / f"uelint-{rev}"
    if (target / "uelint").is_dir():
        return target
    with tempfile.TemporaryDirectory() as tmp:
        archive = subprocess.run(["git", "-C", str(HERE.parent), "archive", rev, "linter", "rules"],
                                 check=True, capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", tmp], input=archive, check=True)
        target.mkdir(parents=True, exist_ok=True)
        os.replace(Path(tmp) / "linter", target / "uelint")
        os.replace(Path(tmp) / "rules", target / "uelint" / "rules")
    return target


def size_mb(tree: Path) -> float:
    return sum(p.stat().st_size for p in tree.rglob("*")
               if p.is_file() and ".git" not in p.parts) / 1e6


def run(arguments: list[str], cwd: Path, package: Path | None = None) -> float:
    """Wall seconds of `uelint check ARGUMENTS` in `cwd` (from `package`, else this
    checkout's). A tree is checked from its own top, as its users would: from another
    repository's directory, that repository would be the project, and read too."""
    env = dict(os.environ)
    if package is not None:
        env["PYTHONPATH"] = str(package)
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "uelint", "check", "--no-cache", "--format", "json",
                    "-o", os.devnull, *arguments], cwd=cwd, env=env,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - started


_BARE = (
    "import sys, pathlib, tree_sitter as ts, tree_sitter_php as php\n"
    "parser = ts.Parser(ts.Language(php.language_php()))\n"
    "for path in pathlib.Path(sys.argv[1]).rglob('*'):\n"
    "    if path.suffix in ('.php', '.phtml') and path.is_file() and '.git' not in path.parts:\n"
    "        parser.parse(path.read_bytes())\n"
)


def bare_parse(tree: Path) -> float:
    """Wall seconds to read every PHP file of `tree` and parse it with tree-sitter-php, in
    one fresh process: the floor for a tree where every file is a candidate."""
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", _BARE, str(tree)], check=True)
    return time.perf_counter() - started


def imports_without_php(tmp: Path) -> str:
    """Whether checking pages, components and scripts without PHP imported the PHP parser."""
    call = 'userengage("client.update", { user_id: 1 });'
    files = {"a.js": call, "b.html": f"<script>{call}</script>",
             "c.vue": f"<script>{call}</script>", "d.tpl": f"{{literal}}<script>{call}</script>"
             "{/literal}"}
    for name, text in files.items():
        (tmp / name).write_text(text + "\n")
    done = subprocess.run([sys.executable, "-c", _IMPORTS, "check", "--no-cache", "--format",
                           "json", "-o", os.devnull, *files], cwd=tmp, capture_output=True,
                          text=True, check=False)
    php, adapter = done.stdout.split()[-2:]
    return f"tree_sitter_php imported: {php}; uelint.adapters.php imported: {adapter}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repo", default="opencart/opencart")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--before", default=BEFORE, help="the revision to compare with")
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    args = parser.parse_args()
    tree = WORK / "php-tree"
    export(args.repo, tree)
    echoed = WORK / "php-tree-candidates"
    candidates(tree, echoed)
    old = before_package(args.before)
    jobs = ["--jobs", str(args.jobs)]
    with tempfile.TemporaryDirectory() as tmp:
        one = Path(tmp)
        print(imports_without_php(one))
        (one / "save.js").write_text('userengage("client.update", { name: "x" });\n')
        timed = {
            "bench corpus": lambda: run([*jobs, "."], args.corpus),
            "PHP tree": lambda: run([*jobs, "."], tree),
            "PHP tree, every PHP file a candidate": lambda: run([*jobs, "."], echoed),
            "bare tree-sitter-php parse of its PHP files": lambda: bare_parse(echoed),
            "one JS file, now": lambda: run(["save.js"], one),
            f"one JS file, at {args.before}": lambda: run(["save.js"], one, old),
            f"bench corpus, at {args.before}": lambda: run([*jobs, "."], args.corpus, old),
        }
        times: dict[str, list[float]] = {name: [] for name in timed}
        for _ in range(args.rounds):  # interleaved: load on the machine hits each alike
            for name, measure in timed.items():
                times[name].append(measure())
    wall = {name: statistics.median(values) for name, values in times.items()}
    corpus_rate = wall["bench corpus"] / size_mb(args.corpus)
    print(f"\n| tree | MB | wall s (median of {args.rounds}, --jobs {args.jobs}) | MB/s "
          "| s per MB / corpus's |")
    print("|---|---:|---:|---:|---:|")
    for name, path in (("bench corpus", args.corpus), ("PHP tree", tree),
                       ("PHP tree, every PHP file a candidate", echoed)):
        mb = size_mb(path)
        print(f"| {name} | {mb:.1f} | {wall[name]:.2f} | {mb / wall[name]:.1f} "
              f"| {wall[name] / mb / corpus_rate:.2f}x |")
    bare = wall["bare tree-sitter-php parse of its PHP files"]
    print(f"\nEvery PHP file a candidate, against a bare tree-sitter-php parse of the same files "
          f"(one process): {bare:.2f} s; uelint (--jobs {args.jobs}) reaches "
          f"{bare / wall['PHP tree, every PHP file a candidate']:.0%} of its speed.")
    print(f"\n| without PHP | now s | at {args.before} s | now / before |")
    print("|---|---:|---:|---:|")
    for what, now in (("one JS file", "one JS file, now"), ("bench corpus", "bench corpus")):
        then = wall[f"{what}, at {args.before}"]
        print(f"| {what} | {wall[now]:.3f} | {then:.3f} | {wall[now] / then:.2f}x |")


if __name__ == "__main__":
    main()
