"""VS Code: the extension hands the server every file uelint checks and activates on them;
the README's SARIF route (for SARIF Viewer) gives locations a viewer resolves."""

from __future__ import annotations

import json
import re
import shlex
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlparse
from urllib.request import url2pathname

from uelint import languages

EXTENSION = Path(__file__).parents[1] / "editors" / "vscode"


def _suffixes(pattern: str) -> set[str]:
    found = re.fullmatch(r"\*\*/\*\.\{([a-z0-9,]+)\}", pattern)
    assert found is not None, pattern
    return {f".{suffix}" for suffix in found.group(1).split(",")}


def test_the_extension_covers_every_suffix_uelint_checks() -> None:
    # `.blade.php` is a `.php` file to the editor
    checked = set(languages.SUFFIXES) | {"." + s.rsplit(".", 1)[1]
                                         for s in languages.COMPOUND_SUFFIXES}
    source = (EXTENSION / "extension.js").read_text()
    found = re.search(r'const FILES = "([^"]+)";', source)
    assert found is not None
    assert _suffixes(found.group(1)) == checked
    manifest = json.loads((EXTENSION / "package.json").read_text())
    (activation,) = manifest["activationEvents"]
    assert _suffixes(activation.removeprefix("workspaceContains:")) == checked
    assert manifest["main"] == "./extension.js"
    assert set(manifest["dependencies"]) == {"vscode-languageclient"}


def test_the_readme_sarif_route_gives_locations_a_viewer_resolves(tmp_path: Path) -> None:
    """The README's SARIF route, run as written: every result resolves, as SARIF Viewer
    resolves it (its base's URI plus its own), to the file and the text of the finding."""
    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Without the server: the SARIF route", 1)[1]
    block = re.search(r"```sh\n(.*?)```", section, re.DOTALL)
    assert block is not None
    (command,) = [line for line in block.group(1).splitlines() if line.startswith("uelint ")]
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "app.js").write_text(
        'const hi = "😀";\nuserengage("client.update", { user_id: 1 });\n', encoding="utf-8")
    done = subprocess.run([str(Path(sys.executable).parent / "uelint"),
                           *shlex.split(command)[1:], "--no-cache"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1, done.stderr
    run = json.loads((tmp_path / "uelint.sarif").read_text())["runs"][0]
    (result,) = run["results"]
    where = result["locations"][0]["physicalLocation"]
    base = run["originalUriBaseIds"][where["artifactLocation"]["uriBaseId"]]["uri"]
    path = Path(url2pathname(urlparse(base + where["artifactLocation"]["uri"]).path))
    assert path == tmp_path / "src" / "app.js"
    region = where["region"]
    line = path.read_text(encoding="utf-8").split("\n")[region["startLine"] - 1]
    units = line.encode("utf-16-le")[2 * (region["startColumn"] - 1):2 * (region["endColumn"] - 1)]
    assert units.decode("utf-16-le") == "user_id"
    (rule,) = [r for r in run["tool"]["driver"]["rules"] if r["id"] == result["ruleId"]]
    assert "## What it does" in rule["help"]["markdown"]
