"""The floor for parsing: read every JavaScript/TypeScript file under a directory and parse it
with tree-sitter, nothing else, in one process (what bench/run.py compares uelint with)."""

from __future__ import annotations

import os
import sys

import tree_sitter as ts
import tree_sitter_javascript
import tree_sitter_typescript

GRAMMARS = {
    "javascript": ts.Language(tree_sitter_javascript.language()),
    "typescript": ts.Language(tree_sitter_typescript.language_typescript()),
    "tsx": ts.Language(tree_sitter_typescript.language_tsx()),
}
SUFFIXES = {".js": "javascript", ".mjs": "javascript", ".cjs": "javascript", ".jsx": "javascript",
            ".ts": "typescript", ".mts": "typescript", ".cts": "typescript", ".tsx": "tsx"}


def main(root: str) -> None:
    parsers = {name: ts.Parser(language) for name, language in GRAMMARS.items()}
    nodes = 0
    for directory, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if d != ".git"]
        for name in filenames:
            language = SUFFIXES.get(os.path.splitext(name)[1])
            if language:
                with open(os.path.join(directory, name), "rb") as handle:
                    nodes += parsers[language].parse(handle.read()).root_node.child_count
    print(nodes)


if __name__ == "__main__":
    main(sys.argv[1])
