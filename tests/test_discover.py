from __future__ import annotations

from pathlib import Path

import pytest

from tests.test_cli import write
from uelint.discover import Exclude, PathError, discover


def found(*paths: Path) -> list[str]:
    return sorted(Path(s.path).as_posix() for s in discover(list(paths)))


def test_languages_by_suffix_and_skipped_directories(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    names = ["a.js", "b.mjs", "c.cjs", "d.jsx", "e.ts", "f.mts", "g.cts", "h.tsx", "i.py", "j.pyi",
             "k.md", "l.json", "node_modules/x.js", "venv2/pyvenv.cfg", "venv2/lib.py",
             "pkg/__pycache__/m.py", "dist/bundle.js"]
    write(tmp_path, {n: "" for n in names})
    monkeypatch.chdir(tmp_path)
    assert found(Path(".")) == ["a.js", "b.mjs", "c.cjs", "d.jsx", "e.ts", "f.mts", "g.cts",
                                "h.tsx", "i.py", "j.pyi"]
    languages = {Path(s.path).name: s.language for s in discover([Path(".")])}
    assert languages["d.jsx"] == "javascript" and languages["h.tsx"] == "tsx"
    assert languages["f.mts"] == "typescript" and languages["j.pyi"] == "python"


def test_nested_gitignore_and_negation(tmp_path: Path) -> None:
    write(tmp_path, {
        ".gitignore": "*.gen.js\nvendor/\n",
        "app.gen.js": "", "app.js": "", "vendor/v.js": "",
        "sub/.gitignore": "!keep.gen.js\nlocal.js\n",
        "sub/keep.gen.js": "", "sub/drop.gen.js": "", "sub/local.js": "",
    })
    assert found(tmp_path) == [f"{tmp_path.as_posix()}/{n}" for n in ("app.js", "sub/keep.gen.js")]


def test_gitignore_above_the_scanned_directory_applies(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path, {".gitignore": "web/generated/\n", "web/generated/a.js": "", "web/b.js": ""})
    (tmp_path / ".git").mkdir()
    monkeypatch.chdir(tmp_path / "web")
    assert found(Path(".")) == ["b.js"]


def test_a_named_directory_that_is_ignored_or_excluded_is_walked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As a named file is checked: `uelint check vendor/` in a tree that ignores or excludes
    it checks it (by the ignore files inside it); --force-exclude keeps the excludes."""
    write(tmp_path, {".gitignore": "work/\n", "work/x/a.js": "", "work/x/.gitignore": "b.js\n",
                     "work/x/b.js": "", "third/c.js": "", "app.js": ""})
    (tmp_path / ".git").mkdir()
    monkeypatch.chdir(tmp_path)
    assert found(Path(".")) == ["app.js", "third/c.js"]
    assert found(Path("work/x")) == ["work/x/a.js"]
    monkeypatch.chdir(tmp_path / "work" / "x")
    assert found(Path(".")) == ["a.js"]
    monkeypatch.chdir(tmp_path)
    exclude = Exclude(tmp_path, ("/third/",))
    assert [s.path for s in discover([Path(".")], exclude)] == ["app.js"]
    assert [s.path for s in discover([Path("third")], exclude)] == ["third/c.js"]
    forced = Exclude(tmp_path, ("/third/",), force=True)
    assert [s.path for s in discover([Path("third")], forced)] == []


def test_named_files_always_checked_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path, {".gitignore": "*.js\n", "a.js": "", "notes.txt": ""})
    monkeypatch.chdir(tmp_path)
    sources = list(discover([Path("a.js"), Path("a.js"), Path("."), Path("notes.txt")]))
    assert [(Path(s.path).as_posix(), s.explicit, s.language) for s in sources] == [
        ("a.js", True, "javascript"), ("notes.txt", True, None)]


def test_missing_path(tmp_path: Path) -> None:
    with pytest.raises(PathError, match="no such file or directory"):
        list(discover([tmp_path / "missing"]))
