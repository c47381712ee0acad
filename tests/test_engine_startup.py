"""What `uelint check` costs before it checks anything, and what --timing tells."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

# Run in a fresh interpreter: what the check of one file imported.
_IMPORTS = """
import sys
from uelint.cli import main
code = main(sys.argv[1:])
heavy = ("libcst", "multiprocessing", "concurrent.futures", "tree_sitter_typescript",
         "hyperscan",  # only once megabytes have been searched
         "pathspec", "tomllib",  # only for ignore and configuration files
         "difflib")  # only for a mistake
print(" ".join(name for name in heavy if name in sys.modules))
"""


def test_checking_one_js_file_imports_nothing_heavy(tmp_path: Path) -> None:
    (tmp_path / "one.js").write_text('userengage("client.update", { user_id: 1 });\n')
    done = subprocess.run(
        [sys.executable, "-c", _IMPORTS, "check", "--format", "json", "one.js"],
        cwd=tmp_path, capture_output=True, text=True, check=True,
    )
    assert done.stdout.splitlines()[-1] == ""


def test_timing_tells_where_the_time_went(tmp_path: Path, _own_cache_directory: Path) -> None:
    (tmp_path / "one.js").write_text('userengage("client.update", { user_id: 1 });\n')
    done = subprocess.run(
        [sys.executable, "-m", "uelint", "check", "--timing", "--no-cache", "one.js"],
        cwd=tmp_path, capture_output=True, text=True, check=False,
    )
    assert done.returncode == 1 and "UE001" in done.stdout
    for stage in ("discovery", "prefilter", "parse", "rules", "report"):
        assert f"  {stage} " in done.stderr
    assert "1 candidates after the prefilter" in done.stderr
    assert not list(_own_cache_directory.iterdir())  # --no-cache writes nothing


def test_jobs_must_be_a_positive_number(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "uelint", "check", "--jobs", "0", "."],
                          cwd=tmp_path, capture_output=True, text=True, check=False)
    assert done.returncode == 2 and "--jobs" in done.stderr


def test_the_public_api_lists_every_lazy_export() -> None:
    import uelint

    assert sorted(uelint.__all__) == sorted([*uelint._EXPORTS, "__version__"])
    for name in uelint.__all__:
        assert getattr(uelint, name) is not None
