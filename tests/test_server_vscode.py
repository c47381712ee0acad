"""The VS Code extension hands the server every file uelint checks, and activates on them."""

from __future__ import annotations

import json
import re
from pathlib import Path

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
