"""A PHP-heavy tree against the bench corpus: seconds per MB, side by side.

Exports the PHP files (`.php`, `.phtml`, `.tpl`, `.twig`) of a PHP application mirrored in
/work/.mirror (default: OpenCart, 4,800 PHP files) under bench/work/php-tree/ (read as bytes,
never run), and a copy where every PHP file ends with a script that PHP echoes (so every file
survives the prefilter and goes through tree-sitter-php and the reassembly). Then runs
`uelint check --no-cache` on the bench corpus and on both trees, interleaved, best of N, and
prints each one's MB/s and its ratio to the corpus's (the target: at most 2x the corpus's
seconds per MB). Run it from any checkout to compare versions:

    python bench/php_tree.py [--repo owner/name] [--rounds 3] [--jobs 1]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

WORK = Path(__file__).parent / "work"
CORPUS = WORK / "corpus"
MIRROR = Path("/work/.mirror")
SUFFIXES = (".php", ".phtml", ".tpl", ".twig")
ECHOED = (b"\necho '<script>userengage(\"client.update\", {user_id: ' . (int) $id"
          b" . '});</script>';\n")


def export(repo: str, target: Path) -> None:
    """The PHP files of `repo`'s newest snapshot, through `git cat-file --batch` (a snapshot
    may lack its largest blobs: those are skipped)."""
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
        path = target / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(batch[pos : pos + size])
        pos += size + 1


def candidates(tree: Path, target: Path) -> None:
    """A copy of `tree` where each PHP file that ends in PHP code echoes a tracking script."""
    if target.is_dir():
        return
    for path in tree.rglob("*"):
        if not path.is_file():
            continue
        data = path.read_bytes()
        if path.suffix in (".php", ".phtml") and data.rfind(b"<?") > data.rfind(b"?>"):
            data += ECHOED
        out = target / path.relative_to(tree)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(data)


def size_mb(tree: Path) -> float:
    return sum(p.stat().st_size for p in tree.rglob("*") if p.is_file()) / 1e6


def run(tree: Path, jobs: int) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "uelint", "check", "--no-cache", "--jobs", str(jobs),
                    "--format", "json", "-o", os.devnull, str(tree)],
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repo", default="opencart/opencart")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=1)
    args = parser.parse_args()
    tree = WORK / "php-tree"
    export(args.repo, tree)
    echoed = WORK / "php-tree-candidates"
    candidates(tree, echoed)
    trees = {"bench corpus": CORPUS, "PHP tree": tree, "PHP tree, every file a candidate": echoed}
    best = dict.fromkeys(trees, float("inf"))
    for _ in range(args.rounds):  # interleaved: load on the machine hits each alike
        for name, path in trees.items():
            best[name] = min(best[name], run(path, args.jobs))
    corpus_rate = best["bench corpus"] / size_mb(CORPUS)
    print(f"| tree | MB | wall s (best of {args.rounds}, --jobs {args.jobs}) | MB/s "
          "| s per MB / corpus's |")
    print("|---|---:|---:|---:|---:|")
    for name, path in trees.items():
        mb = size_mb(path)
        print(f"| {name} | {mb:.1f} | {best[name]:.2f} | {mb / best[name]:.1f} "
              f"| {best[name] / mb / corpus_rate:.2f}x |")


if __name__ == "__main__":
    main()
