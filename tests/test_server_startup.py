"""The language server is an extra: `uelint check` never loads it, and `uelint server`
without it says what to install."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

UE001 = 'userengage("client.update", { user_id: 1 });\n'


def _python(code: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", code], cwd=cwd, capture_output=True,
                          text=True, timeout=120)


def test_check_does_not_import_the_server(tmp_path: Path) -> None:
    (tmp_path / "a.js").write_text(UE001)
    done = _python(
        "import sys\nfrom uelint import cli\n"
        "code = cli.main(['check', '--no-cache', 'a.js'])\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] in "
        "('pygls', 'lsprotocol', 'cattrs') or m.startswith('uelint.server'))\n"
        "print(code, loaded)\n", tmp_path)
    assert done.stdout.splitlines()[-1] == "1 []", done.stderr


def test_server_without_the_lsp_extra_says_what_to_install(tmp_path: Path) -> None:
    done = _python("import sys\nsys.modules['pygls'] = None  # as if not installed\n"
                   "from uelint import cli\nsys.exit(cli.main(['server']))\n", tmp_path)
    assert done.returncode == 2
    assert "pip install 'uelint[lsp]'" in done.stderr
