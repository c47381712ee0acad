"""Cross-file rounds: which files are checked again with other files' exports."""

from __future__ import annotations

from pathlib import Path

from uelint import engine, plugins
from uelint.timing import Timings

TRACKING = (
    "export default function track(method, payload) {\n  window.userengage(method, payload);\n}\n"
)


def run(root: Path) -> tuple[list[tuple[str, int, str]], Timings]:
    timings = Timings()
    rules = list(plugins.load(autoload=False).rules.values())
    result = engine.run([root], rules, root=root, jobs=1, timings=timings)
    return [(d.path, d.span.start_line, d.code) for d in result.diagnostics], timings


def test_a_default_import_reaches_a_file_without_any_trigger_word(tmp_path: Path) -> None:
    (tmp_path / "tracking.js").write_text(TRACKING)
    (tmp_path / "app.js").write_text(
        'import send from "./tracking";\n\nsend("client.update", { user_id: 1 });\n'
    )
    assert run(tmp_path)[0] == [("app.js", 3, "UE001")]


def test_files_that_name_no_export_nor_its_module_are_not_checked_again(tmp_path: Path) -> None:
    (tmp_path / "tracking.js").write_text(TRACKING)
    (tmp_path / "profile.js").write_text('userengage("client.update", { email: "e" });\n')
    (tmp_path / "other.js").write_text('window.UE.pageHit({ user_id: 1 });\n')
    (tmp_path / "app.js").write_text(
        'import t from "./tracking";\nt("client.update", { user_id: 1 });\n'
    )
    diagnostics, timings = run(tmp_path)
    assert timings.counts["candidates"] == 4  # app.js names "client.update"
    assert timings.counts["linked"] == 1  # app.js
    assert diagnostics == [("app.js", 2, "UE001")]
