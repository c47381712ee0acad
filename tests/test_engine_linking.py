"""Cross-file linking: which files are checked again with other files' exports, and how
the Linker follows re-exports and TypeScript path aliases."""

from __future__ import annotations

import json
from pathlib import Path

from uelint import engine, plugins
from uelint.adapters import javascript
from uelint.ir import Span
from uelint.source import SourceText
from uelint.timing import Timings
from uelint.tsconfig import strip_jsonc
from uelint.wrappers import Linker, ModuleExports, Wrapper

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
    (tmp_path / "profile.js").write_text('userengage("client.update", { email: "e@x.io" });\n')
    (tmp_path / "other.js").write_text('window.UE.pageHit({ apiKey: "k", user_id: 1 });\n')
    (tmp_path / "app.js").write_text(
        'import t from "./tracking";\nt("client.update", { user_id: 1 });\n'
    )
    diagnostics, timings = run(tmp_path)
    assert timings.counts["candidates"] == 4  # app.js names "client.update"
    assert timings.counts["linked"] == 1  # app.js
    assert diagnostics == [("app.js", 2, "UE001")]


def test_a_file_is_checked_again_only_if_it_can_name_the_module(tmp_path: Path) -> None:
    """An export's name is not enough (`track` is everywhere in real code): the importer
    spells the module, by a relative path, an index's `"."`, or a tsconfig alias of its own
    name."""
    named = 'export function track(m, p) {\n  window.userengage(m, p);\n}\n'
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "analytics.js").write_text(named)
    (tmp_path / "lib" / "index.js").write_text('export { track as send } from "./analytics";\n')
    (tmp_path / "lib" / "inner.js").write_text(
        'import { send } from ".";\nsend("client.update", { user_id: 1 });\n')
    (tmp_path / "app.ts").write_text(
        'import { track } from "@metrics";\ntrack("client.update", { user_id: 1 });\n')
    (tmp_path / "tsconfig.json").write_text(
        '{"compilerOptions": {"paths": {"@metrics": ["./lib/analytics.js"]}}}')
    (tmp_path / "other.js").write_text('track("client.update", { user_id: 1 });\n')
    diagnostics, timings = run(tmp_path)
    assert diagnostics == [("app.ts", 2, "UE001"), ("lib/inner.js", 2, "UE001")]
    # Pass one finds other.js ("client.update"); it names neither module: not again. Checked
    # again: lib/index.js, app.ts, lib/inner.js, and that once more when the next round
    # learns index.js's re-exports.
    assert timings.counts["linked"] == 4


# -- re-exports, to any depth, with cycles -------------------------------------------------

def _wrapper(name: str, path: str) -> Wrapper:
    return Wrapper(name, path, Span(1, 1, 1, 1, 0, 0), api_param=0, payload_param=1)


def test_reexports_of_every_form_resolve_through_a_chain_and_a_cycle() -> None:
    track = _wrapper("track", "src/sdk.ts")
    update = _wrapper("update", "src/sdk.ts")
    linker = Linker({
        "src/sdk.ts": ModuleExports(names={"track": track, "default": update}),
        "src/lib/index.ts": ModuleExports(reexports=[
            ("../sdk", "*", "*"), ("../sdk.js", "track", "send"),
            ("../sdk", "default", "updateUser"), ("../sdk", "*", "raw"), ("./more", "*", "*"),
        ]),
        # A cycle: more re-exports the barrel that re-exports it.
        "src/lib/more.ts": ModuleExports(reexports=[(".", "*", "*"), ("./index", "send", "push")]),
        "src/a.ts": ModuleExports(reexports=[("./lib", "send", "one")]),
        "src/b.ts": ModuleExports(reexports=[("./a", "one", "two")]),
        "src/c.ts": ModuleExports(reexports=[("./b", "two", "three")]),
    })
    assert linker.resolve("src/app.ts", "./lib", "send") is track
    assert linker.resolve("src/app.ts", "./lib", "updateUser") is update
    # `export * as ns` is the whole namespace, the default export too.
    assert linker.resolve("src/app.ts", "./lib", "raw") == {"track": track, "default": update}
    assert linker.resolve("src/app.ts", "./lib", "push") is track  # through the cycle
    assert linker.resolve("src/app.ts", "./lib/more", "push") is track
    assert linker.resolve("src/app.ts", "./c", "three") is track  # four modules deep
    # `export *` passes on every name but the default export.
    assert linker.resolve("src/app.ts", "./lib", "default") is None
    assert linker.namespace("src/app.ts", "./lib")["send"] is track
    # What a file must mention to use them: re-exported names too.
    assert {"send", "updateUser", "push", "three"} <= linker.names()


def test_a_reexport_cycle_without_names_ends() -> None:
    linker = Linker({
        "a.js": ModuleExports(reexports=[("./b", "*", "*"), ("./b", "x", "y")]),
        "b.js": ModuleExports(reexports=[("./a", "*", "*"), ("./a", "y", "x")]),
    })
    assert linker.resolve("c.js", "./a", "y") is None
    assert linker.exports["a.js"].names == {}


def test_own_names_shadow_reexported_ones() -> None:
    own, other = _wrapper("track", "a.js"), _wrapper("track", "b.js")
    linker = Linker({
        "a.js": ModuleExports(names={"track": own}, reexports=[("./b", "*", "*")]),
        "b.js": ModuleExports(names={"track": other}),
    })
    assert linker.resolve("c.js", "./a", "track") is own


# -- tsconfig path aliases -------------------------------------------------------------------

SDK_TS = (
    "export function track(method: string, data: object): void {\n"
    "  window.userengage(method, data);\n}\n"
)


def test_tsconfig_paths_with_comments_trailing_commas_and_extends(tmp_path: Path) -> None:
    (tmp_path / "tsconfig.base.json").write_text(
        '{\n  // shared by every package\n  "compilerOptions": {\n    "baseUrl": "./src",\n'
        '    "paths": { "@lib/*": ["lib/*",], "@tracking": ["lib/tracking/index.ts"], },\n'
        '  },\n}\n'
    )
    (tmp_path / "tsconfig.json").write_text('{ "extends": "./tsconfig.base", /* app */ }\n')
    linker = Linker({
        "src/lib/tracking/sdk.ts": ModuleExports(names={"track": _wrapper("track", "sdk")}),
        "src/lib/tracking/index.ts": ModuleExports(reexports=[("./sdk", "track", "send")]),
        "src/utils/ids.ts": ModuleExports(names={"UPDATE": "client.update"}),
    }, root=tmp_path)
    assert linker.module_path("src/app.ts", "@lib/tracking/sdk") == "src/lib/tracking/sdk.ts"
    assert linker.module_path("src/app.ts", "@lib/tracking") == "src/lib/tracking/index.ts"
    assert linker.module_path("src/app.ts", "@tracking") == "src/lib/tracking/index.ts"
    assert linker.module_path("src/app.ts", "utils/ids") == "src/utils/ids.ts"  # baseUrl
    assert linker.module_path("src/app.ts", "react") is None  # a package
    assert linker.resolve("src/app.ts", "@tracking", "send") is not None


def test_the_nearest_tsconfig_governs_and_paths_without_base_url(tmp_path: Path) -> None:
    (tmp_path / "web").mkdir()
    (tmp_path / "tsconfig.json").write_text('{"compilerOptions": {"paths": {"~/*": ["api/*"]}}}')
    (tmp_path / "web" / "jsconfig.json").write_text(
        '{"compilerOptions": {"paths": {"~/*": ["./src/*"]}}}'
    )
    exports = {
        path: ModuleExports(names={"UPDATE": "client.update"})
        for path in ("api/ids.ts", "web/src/ids.js")
    }
    linker = Linker(exports, root=tmp_path)
    assert linker.module_path("api/app.ts", "~/ids") == "api/ids.ts"
    assert linker.module_path("web/src/views/app.js", "~/ids") == "web/src/ids.js"


def test_a_tsconfig_outside_the_project_or_broken_is_not_read(tmp_path: Path) -> None:
    outside, root = tmp_path / "outside", tmp_path / "project"
    outside.mkdir()
    root.mkdir()
    (outside / "tsconfig.json").write_text('{"compilerOptions": {"paths": {"@/*": ["*"]}}}')
    (root / "tsconfig.json").write_text('{"extends": "../outside/tsconfig.json"}')
    (root / "sub").mkdir()
    (root / "sub" / "tsconfig.json").write_text('{"compilerOptions": {"paths": ')  # broken
    (root / "linked").mkdir()
    (root / "linked" / "tsconfig.json").symlink_to(outside / "tsconfig.json")
    exports = {path: ModuleExports(names={"UPDATE": "client.update"})
               for path in ("ids.ts", "sub/ids.ts", "linked/ids.ts")}
    linker = Linker(exports, root=root)
    assert linker.module_path("app.ts", "@/ids") is None  # extends a file outside
    assert linker.module_path("sub/app.ts", "@/ids") is None  # not JSON
    assert linker.module_path("linked/app.ts", "@/ids") is None  # a link to outside
    assert linker.module_path("../elsewhere/app.ts", "@/ids") is None


def test_strip_jsonc_keeps_strings() -> None:
    text = '{"a": "// not a comment", "b": "/* nor this */", "c": [1, 2,], /* x */ "d": 1,}'
    assert json.loads(strip_jsonc(text)) == {
        "a": "// not a comment", "b": "/* nor this */", "c": [1, 2], "d": 1,
    }


def test_tsconfig_aliases_link_files_through_the_adapter(tmp_path: Path) -> None:
    (tmp_path / "tsconfig.json").write_text('{"compilerOptions": {"paths": {"@/*": ["src/*"]}}}')
    sdk = javascript.extract(SourceText(SDK_TS.encode()), "src/lib/sdk.ts", "typescript").exports
    assert sdk is not None
    linker = Linker({"src/lib/sdk.ts": sdk}, root=tmp_path)
    code = 'import { track } from "@/lib/sdk";\ntrack("client.update", { user_id: 1 });\n'
    found = javascript.extract(SourceText(code.encode()), "src/app.ts", "typescript", linker)
    assert [(c.api, c.via[0].path) for c in found.calls] == [("client.update", "src/lib/sdk.ts")]
