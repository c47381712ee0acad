"""The benchmark's inputs: pinned tools and packages, the corpus built from them, the seeded calls.

Everything lives in bench/work/ (gitignored). `install()` needs the npm registry and PyPI once;
after that, building and running need no network.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
WORK = Path(os.environ.get("UELINT_BENCH_DIR", HERE / "work"))
CORPUS = WORK / "corpus"
CANDIDATES = WORK / "candidates"
MANIFEST = WORK / "corpus.json"

# The corpus: popular npm packages (with their dependencies) and Python packages, pinned.
NPM_PACKAGES = {
    "react-dom": "19.3.1", "lodash": "4.18.1", "typescript": "7.0.2", "vue": "3.5.45",
    "three": "0.187.0", "rxjs": "7.8.2", "moment": "2.31.0", "@angular/core": "21.2.26",
    "jquery": "4.0.0", "d3": "7.9.2", "webpack": "5.113.0", "eslint": "10.15.0", "next": "16.4.6",
    "date-fns": "4.4.0",
}
PIP_PACKAGES = {
    "django": "5.2.19", "sqlalchemy": "2.1.9", "numpy": "2.4.6", "pandas": "3.1.1",
    "sympy": "1.14.0",
}
# The tools compared with uelint.
SEMGREP = "1.185.0"
ESLINT = "10.15.0"

JS_SUFFIXES = (".js", ".mjs", ".cjs", ".jsx", ".ts", ".mts", ".cts", ".tsx")
PY_SUFFIXES = (".py", ".pyi")
ESLINT_SUFFIXES = (".js", ".mjs", ".cjs", ".jsx")  # ESLint without a TypeScript parser

SEED = 8
INJECTED_JS = 50
INJECTED_PY = 10
CANDIDATES_MB = 20.0


@dataclass(frozen=True)
class Injected:
    path: str  # relative to the corpus
    line: int  # 1-based line of the call


def semgrep_bin() -> Path:
    return WORK / "tools" / "semgrep" / "bin" / "semgrep"


def eslint_bin() -> Path:
    return WORK / "tools" / "eslint" / "node_modules" / ".bin" / "eslint"


def install() -> None:
    """Install the pinned packages and tools (the only step that needs the registries)."""
    _npm_install(WORK / "npm", NPM_PACKAGES)
    _npm_install(WORK / "tools" / "eslint", {"eslint": ESLINT})
    if not semgrep_bin().exists():
        venv = WORK / "tools" / "semgrep"
        _run([sys.executable, "-m", "venv", str(venv)])
        _run([str(venv / "bin" / "pip"), "install", "-q", f"semgrep=={SEMGREP}"])
    if not (WORK / "pip").exists():
        pins = [f"{name}=={version}" for name, version in PIP_PACKAGES.items()]
        _run([sys.executable, "-m", "pip", "install", "-q", "--no-deps",
              "--target", str(WORK / "pip"), *pins])


def _npm_install(directory: Path, packages: dict[str, str]) -> None:
    if (directory / "node_modules").exists():
        return
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "package.json").write_text(json.dumps({"private": True, "dependencies": packages}))
    _run(["npm", "install", "--ignore-scripts", "--omit=optional", "--no-audit", "--no-fund"],
         cwd=directory)


def _run(command: list[str], cwd: Path | None = None) -> None:
    print("+", " ".join(command), file=sys.stderr)
    subprocess.run(command, cwd=cwd, check=True)


def build(skipped_dirs: frozenset[str]) -> list[Injected]:
    """Lay the corpus out (once) and return the calls injected into it.

    Only source files are copied, so every tool reads the same files. Directories that uelint
    skips by default (`dist`, `build`, `node_modules`, ...) get a `_` appended: they are real
    code here, and every tool must see them.
    """
    for root in (CORPUS, CANDIDATES):  # left by a `uelint check .` there: grep would read it
        shutil.rmtree(root / ".uelint_cache", ignore_errors=True)
    if MANIFEST.exists():
        manifest = json.loads(MANIFEST.read_text())
        if manifest.get("renamed") == sorted(skipped_dirs):  # else uelint skips more now
            return [Injected(**item) for item in manifest["injected"]]
    for target in (CORPUS, CANDIDATES):
        shutil.rmtree(target, ignore_errors=True)
    _copy_tree(WORK / "npm" / "node_modules", CORPUS / "npm", JS_SUFFIXES, skipped_dirs)
    _copy_tree(WORK / "pip", CORPUS / "pypi", PY_SUFFIXES, skipped_dirs)
    files = sorted(p.relative_to(CORPUS).as_posix() for p in CORPUS.rglob("*") if p.is_file())
    rng = random.Random(SEED)
    # Not .d.ts, .d.mts, .d.cts: a call statement is not allowed in a declaration file.
    scripts = [f for f in files if f.endswith(JS_SUFFIXES) and ".d." not in f.rsplit("/", 1)[-1]]
    picked = sorted(rng.sample(scripts, INJECTED_JS))
    injected = [_inject(f, i, python=False) for i, f in enumerate(picked)]
    modules = [f for f in files if f.endswith(".py")]
    picked = sorted(rng.sample(modules, INJECTED_PY))
    injected += [_inject(f, i, python=True) for i, f in enumerate(picked)]
    _build_candidates(scripts, rng)
    # A repository of its own: .gitignore files above it (this checkout's) do not apply.
    subprocess.run(["git", "init", "-q", str(CORPUS)], check=True)
    subprocess.run(["git", "init", "-q", str(CANDIDATES)], check=True)
    # Semgrep's default ignores (tests/, *.min.js, ...) would leave out files the others read.
    for root in (CORPUS, CANDIDATES):
        (root / ".semgrepignore").write_text("# scan everything, as the other tools do\n")
    MANIFEST.write_text(json.dumps({
        "seed": SEED, "renamed": sorted(skipped_dirs), "injected": [asdict(i) for i in injected],
    }))
    return injected


def _copy_tree(
    source: Path, target: Path, suffixes: tuple[str, ...], skipped: frozenset[str]
) -> None:
    for directory, dirnames, filenames in os.walk(source):
        dirnames[:] = [d for d in dirnames if not d.startswith(".") and d != "__pycache__"]
        relative = Path(directory).relative_to(source)
        parts = [p + "_" if p in skipped else p for p in relative.parts]
        for name in filenames:
            path = Path(directory, name)
            if name.endswith(suffixes) and not path.is_symlink():
                destination = target.joinpath(*parts, name)
                destination.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(path, destination)


def _inject(relative: str, n: int, python: bool) -> Injected:
    path = CORPUS / relative
    data = path.read_bytes()
    if python:
        call = f'window.userengage("client.update", {{"user_id": "bench-py-{n}"}})\n'
    else:
        callee = "window.userengage" if n % 2 else "userengage"
        call = f';{callee}("client.update", {{ user_id: "bench-js-{n}", name: "x" }});\n'
    head = data if data.endswith(b"\n") else data + b"\n"
    path.write_bytes(head + call.encode())
    return Injected(relative, head.count(b"\n") + 1)


def _build_candidates(scripts: list[str], rng: random.Random) -> None:
    """A corpus where every file is a candidate: real files, each with a tracking call."""
    total = 0
    for relative in rng.sample(scripts, len(scripts)):
        data = (CORPUS / relative).read_bytes()
        if b"\0" in data or len(data) > 1_000_000:
            continue
        destination = CANDIDATES / relative
        destination.parent.mkdir(parents=True, exist_ok=True)
        destination.write_bytes(data + b'\n;window.userengage("client.update", { user_id: 1 });\n')
        total += len(data)
        if total > CANDIDATES_MB * 1e6:
            break
