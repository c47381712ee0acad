"""`uelint server` end to end: a real LSP client (pytest-lsp) drives the server over stdio."""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from collections.abc import AsyncIterator, Callable, Sequence
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

pytestmark = pytest.mark.asyncio

SERVER = [sys.executable, "-m", "uelint", "server"]
# The server with hostile adapters: Python's dies of SIGSEGV on a file holding `crash`,
# JavaScript's works on a file holding `slowpoke` while the file $UELINT_TEST_GATE exists.
HOSTILE = [sys.executable, str(Path(__file__).parent / "editors" / "hostile_server.py")]
GATE = Path(tempfile.gettempdir(), f"uelint-test-gate-{os.getpid()}")
UE001 = 'userengage("client.update", { user_id: 1 });\n'
CLEAN = 'userengage("client.update", { plan: "pro" });\n'
UNUSED = "// uelint-disable-next-line UE003 -- old\n"
DEADLINE = 30.0  # seconds: a check on a loaded machine; never an assertion about speed


async def _session(client: LanguageClient, root: Path) -> AsyncIterator[None]:
    client.registrations = []  # type: ignore[attr-defined]

    @client.feature(types.CLIENT_REGISTER_CAPABILITY)
    def register(params: types.RegistrationParams) -> None:
        client.registrations += params.registrations  # type: ignore[attr-defined]

    await client.initialize_session(types.InitializeParams(
        capabilities=client_capabilities("visual-studio-code"),
        workspace_folders=[types.WorkspaceFolder(root.as_uri(), root.name)],
    ))
    yield
    await client.shutdown_session()


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER))
async def client(lsp_client: LanguageClient, tmp_path: Path) -> AsyncIterator[None]:
    async for _ in _session(lsp_client, tmp_path):
        yield


@pytest_lsp.fixture(config=ClientServerConfig(
    server_command=HOSTILE, server_env={**os.environ, "UELINT_TEST_GATE": str(GATE)}))
async def hostile(lsp_client: LanguageClient, tmp_path: Path) -> AsyncIterator[None]:
    GATE.touch()
    async for _ in _session(lsp_client, tmp_path):
        yield
    GATE.unlink(missing_ok=True)


def _open(client: LanguageClient, path: Path, text: str, language: str = "javascript") -> str:
    uri = path.as_uri()
    client.diagnostics.pop(uri, None)
    client.text_document_did_open(types.DidOpenTextDocumentParams(
        types.TextDocumentItem(uri, language, 1, text)))
    return uri


def _change(client: LanguageClient, uri: str, version: int, text: str) -> None:
    client.diagnostics.pop(uri, None)
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        types.VersionedTextDocumentIdentifier(version, uri),
        [types.TextDocumentContentChangeWholeDocument(text)]))


async def _published(client: LanguageClient, uri: str,
                     until: Callable[[Sequence[types.Diagnostic]], bool] = lambda d: True,
                     ) -> list[types.Diagnostic]:
    """The diagnostics published for `uri`, once they satisfy `until`."""
    async def wait() -> list[types.Diagnostic]:
        while uri not in client.diagnostics or not until(client.diagnostics[uri]):
            await asyncio.sleep(0.02)
        return list(client.diagnostics[uri])

    return await asyncio.wait_for(wait(), DEADLINE)


def _codes(diagnostics: Sequence[types.Diagnostic]) -> list[str]:
    return sorted(str(d.code) for d in diagnostics)


def _utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _apply(text: str, edits: Sequence[types.TextEdit]) -> str:
    """`edits` applied as an editor applies them: LSP positions in UTF-16 code units."""
    lines = text.split("\n")

    def offset(position: types.Position) -> int:
        head = sum(len(line) + 1 for line in lines[: position.line])
        line, units, index = lines[position.line], 0, 0
        while units < position.character:
            units += _utf16(line[index])
            index += 1
        return head + index

    for edit in sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character),
                       reverse=True):
        text = text[: offset(edit.range.start)] + edit.new_text + text[offset(edit.range.end):]
    return text


async def _actions(client: LanguageClient, uri: str, where: types.Range,
                   only: list[str] | None = None) -> list[types.CodeAction]:
    found = await client.text_document_code_action_async(types.CodeActionParams(
        types.TextDocumentIdentifier(uri), where, types.CodeActionContext([], only=only)))
    return [a for a in found or [] if isinstance(a, types.CodeAction)]


def _edits(action: types.CodeAction, uri: str) -> list[types.TextEdit]:
    assert action.edit is not None and action.edit.changes is not None
    return list(action.edit.changes[uri])


async def test_open_change_save_close(client: LanguageClient, tmp_path: Path) -> None:
    path = tmp_path / "app.js"
    path.write_text(CLEAN)  # on disk: clean; the buffer is what counts
    uri = _open(client, path, UE001)
    (found,) = await _published(client, uri)
    assert (found.code, found.source, found.severity) == (
        "UE001", "uelint", types.DiagnosticSeverity.Error)
    assert found.range == types.Range(types.Position(0, 30), types.Position(0, 37))
    assert found.code_description is not None
    assert found.code_description.href.endswith("#the-user-id-limitation")

    _change(client, uri, 2, CLEAN)
    assert await _published(client, uri) == []
    _change(client, uri, 3, "\n" + UE001)
    (moved,) = await _published(client, uri)
    assert moved.range.start == types.Position(1, 30)

    client.diagnostics.pop(uri)
    client.text_document_did_save(types.DidSaveTextDocumentParams(
        types.TextDocumentIdentifier(uri)))
    assert _codes(await _published(client, uri)) == ["UE001"]  # the buffer, not the file

    client.text_document_did_close(types.DidCloseTextDocumentParams(
        types.TextDocumentIdentifier(uri)))
    assert await _published(client, uri, lambda d: not d) == []


async def test_the_wrapper_chain_is_related_information(
    client: LanguageClient, tmp_path: Path
) -> None:
    text = 'function track(attrs) {\n  userengage("client.update", attrs);\n}\n' \
           "track({ user_id: 1 });\n"
    uri = _open(client, tmp_path / "wrapped.js", text)
    (found,) = await _published(client, uri)
    assert found.range.start == types.Position(3, 8)
    (related,) = found.related_information or []
    assert related.location.uri == uri and related.location.range.start == types.Position(0, 0)
    assert related.message == "via `track`, defined here"


FORWARDS = 'export function track(attrs) {\n  userengage("client.update", attrs);\n}\n'
SWALLOWS = 'export function track(attrs) {\n  console.log(attrs);\n}\n'
CALLS = 'import { track } from "./analytics";\ntrack({ user_id: 1 });\n'


async def test_editing_a_wrapper_republishes_the_open_files_that_call_it(
    client: LanguageClient, tmp_path: Path
) -> None:
    (tmp_path / "analytics.js").write_text(SWALLOWS)  # on disk: no wrapper; the buffer counts
    (tmp_path / "closed.js").write_text(CALLS)  # calls it, but is not open
    other = _open(client, tmp_path / "other.js", UE001)
    wrapper = _open(client, tmp_path / "analytics.js", FORWARDS)
    caller = _open(client, tmp_path / "caller.js", CALLS)
    (found,) = await _published(client, caller, lambda d: bool(d))
    assert (found.code, found.range.start) == ("UE001", types.Position(1, 8))
    (related,) = found.related_information or []
    assert related.location.uri == wrapper
    assert _codes(await _published(client, other)) == ["UE001"]
    await _published(client, wrapper)
    await asyncio.sleep(0.5)  # whatever opening them set off is done
    for uri in (other, caller, wrapper):
        client.diagnostics.pop(uri)

    _change(client, wrapper, 2, SWALLOWS)  # track() no longer reaches client.update
    assert await _published(client, caller) == []
    client.diagnostics.pop(caller)
    _change(client, wrapper, 3, FORWARDS)  # and again: the caller names ./analytics
    assert _codes(await _published(client, caller)) == ["UE001"]
    await asyncio.sleep(0.5)
    assert other not in client.diagnostics  # it calls nothing of analytics.js
    assert (tmp_path / "closed.js").as_uri() not in client.diagnostics


async def test_a_change_on_disk_the_watcher_reports_republishes_the_callers(
    client: LanguageClient, tmp_path: Path
) -> None:
    """A wrapper changed on disk, not in a buffer (a git checkout): the editor's file
    watcher reports it, and the open files that call it are checked again, with it."""
    analytics = tmp_path / "analytics.js"
    analytics.write_text(SWALLOWS)
    caller = _open(client, tmp_path / "caller.js", CALLS)
    assert await _published(client, caller) == []
    await asyncio.sleep(0.2)
    client.diagnostics.pop(caller)
    analytics.write_text(FORWARDS)
    client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams([
        types.FileEvent(analytics.as_uri(), types.FileChangeType.Changed)]))
    assert _codes(await _published(client, caller)) == ["UE001"]


async def test_a_uri_with_quoted_characters(client: LanguageClient, tmp_path: Path) -> None:
    """Editors quote `@` and spaces (`%40scope/my%20app.js`); the server answers in kind."""
    folder = tmp_path / "@scope" / "my app"
    folder.mkdir(parents=True)
    uri = _open(client, folder / "index.js", UE001)
    assert "%40scope/my%20app" in uri
    assert _codes(await _published(client, uri)) == ["UE001"]


async def test_only_the_last_of_quick_changes_is_published(
    client: LanguageClient, tmp_path: Path
) -> None:
    uri = _open(client, tmp_path / "typing.js", CLEAN)
    assert await _published(client, uri) == []
    for version in range(2, 12):  # typing: each keystroke supersedes the last
        _change(client, uri, version, CLEAN if version % 2 else UE001 * version)
    final = await _published(client, uri)
    await asyncio.sleep(0.5)  # anything stale would arrive after it
    assert list(client.diagnostics[uri]) == final == []


async def test_positions_count_utf16_code_units(client: LanguageClient, tmp_path: Path) -> None:
    head = 'const greeting = "😀 zażółć 👩‍👩‍👧";  '
    uri = _open(client, tmp_path / "emoji.js", head + UE001)
    (found,) = await _published(client, uri)
    start = _utf16(head) + UE001.index("user_id")
    assert found.range == types.Range(types.Position(0, start),
                                      types.Position(0, start + len("user_id")))


async def test_every_language_uelint_checks(client: LanguageClient, tmp_path: Path) -> None:
    buffers = {
        "a.ts": ("typescript", "declare const userengage: any;\n" + UE001),
        "a.py": ("python", 'from js import window\nwindow.userengage("client.update", '
                           '{"user_id": 1})\n'),
        "a.html": ("html", f"<p>x</p>\n<script>\n{UE001}</script>\n"),
        "a.vue": ("vue", f"<template><p/></template>\n<script>\n{UE001}</script>\n"),
        "a.svelte": ("svelte", f"<script>\n{UE001}</script>\n<p>x</p>\n"),
    }
    uris = {name: _open(client, tmp_path / name, text, language)
            for name, (language, text) in buffers.items()}
    for uri in uris.values():
        assert _codes(await _published(client, uri)) == ["UE001"]
    _open(client, tmp_path / "notes.txt", UE001, "plaintext")
    await asyncio.sleep(0.3)
    assert (tmp_path / "notes.txt").as_uri() not in client.diagnostics


async def test_hover_shows_the_rule_documentation(client: LanguageClient, tmp_path: Path) -> None:
    uri = _open(client, tmp_path / "a.js", UE001)
    (found,) = await _published(client, uri)
    hover = await client.text_document_hover_async(types.HoverParams(
        types.TextDocumentIdentifier(uri), found.range.start))
    assert hover is not None and isinstance(hover.contents, types.MarkupContent)
    page = hover.contents.value
    assert "UE001 user-id-in-update" in page
    assert "## What it does" in page and "## Use instead" in page
    nothing = await client.text_document_hover_async(types.HoverParams(
        types.TextDocumentIdentifier(uri), types.Position(0, 2)))
    assert nothing is None


async def test_a_fix_is_a_preferred_quick_fix_and_applying_it_clears_the_finding(
    client: LanguageClient, tmp_path: Path
) -> None:
    text = UNUSED + CLEAN
    uri = _open(client, tmp_path / "a.js", text)
    (unused,) = await _published(client, uri)
    actions = await _actions(client, uri, unused.range)
    (fix,) = [a for a in actions if a.title.startswith("Fix UE100")]
    assert fix.kind == types.CodeActionKind.QuickFix and fix.is_preferred
    fixed = _apply(text, _edits(fix, uri))
    assert fixed == CLEAN
    _change(client, uri, 2, fixed)
    assert await _published(client, uri) == []


async def test_an_unsafe_fix_is_offered_but_not_preferred_nor_in_fix_all(
    client: LanguageClient, tmp_path: Path
) -> None:
    text = UNUSED + 'userengage("signup", { plan: "pro" });\n'
    uri = _open(client, tmp_path / "a.js", text)
    unknown, _ = sorted(await _published(client, uri), key=lambda d: str(d.code))
    (unsafe,) = [a for a in await _actions(client, uri, unknown.range)
                 if a.title.startswith("Fix UE004")]
    assert not unsafe.is_preferred
    assert _apply(text, _edits(unsafe, uri)).endswith('userengage("event.signup", '
                                                      '{ plan: "pro" });\n')
    (everything,) = await _actions(client, uri, unknown.range, only=["source.fixAll.uelint"])
    assert everything.kind == "source.fixAll.uelint"
    fixed = _apply(text, _edits(everything, uri))
    assert fixed == 'userengage("signup", { plan: "pro" });\n'
    _change(client, uri, 2, fixed)
    assert _codes(await _published(client, uri)) == ["UE004"]


@pytest.mark.parametrize(("name", "language", "text", "line", "comment"), [
    ("a.js", "javascript", UE001, 0, "// uelint-disable-line UE001 -- reason"),
    ("a.py", "python", 'from js import window\nwindow.userengage("client.update", '
                       '{"user_id": 1})\n', 1, "# uelint-disable-line UE001 -- reason"),
    ("a.html", "html", f"<script>\n{UE001}</script>\n", 1,
     "// uelint-disable-line UE001 -- reason"),
])
async def test_a_suppression_in_the_host_language_silences_the_finding(
    client: LanguageClient, tmp_path: Path, name: str, language: str, text: str, line: int,
    comment: str,
) -> None:
    uri = _open(client, tmp_path / name, text, language)
    (found,) = await _published(client, uri)
    assert found.range.start.line == line
    (suppress,) = [a for a in await _actions(client, uri, found.range)
                   if a.title == "Suppress UE001 on this line"]
    fixed = _apply(text, _edits(suppress, uri))
    assert fixed.split("\n")[line].endswith(comment)
    _change(client, uri, 2, fixed)
    assert await _published(client, uri) == []  # and neither UE100 nor UE101


async def test_configuration_is_reloaded_when_it_changes(
    client: LanguageClient, tmp_path: Path
) -> None:
    uri = _open(client, tmp_path / "a.js", UE001)
    assert _codes(await _published(client, uri)) == ["UE001"]
    (watching,) = client.registrations  # type: ignore[attr-defined]
    assert watching.method == types.WORKSPACE_DID_CHANGE_WATCHED_FILES
    config = tmp_path / "uelint.toml"
    config.write_text('severity = { UE001 = "note" }\n')
    client.diagnostics.pop(uri)
    client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams([
        types.FileEvent(config.as_uri(), types.FileChangeType.Created)]))
    (found,) = await _published(client, uri)
    assert found.severity == types.DiagnosticSeverity.Information
    config.write_text('ignore = ["UE001"]\n')
    client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams([
        types.FileEvent(config.as_uri(), types.FileChangeType.Changed)]))
    assert await _published(client, uri, lambda d: not d) == []


async def test_each_folder_of_a_workspace_has_its_own_configuration(
    client: LanguageClient, tmp_path: Path
) -> None:
    one, two = tmp_path / "one", tmp_path / "two"
    for folder in (one, two):
        (folder / ".git").mkdir(parents=True)  # two repositories side by side
    (two / "uelint.toml").write_text('severity = { UE001 = "warning" }\n')
    client.workspace_did_change_workspace_folders(types.DidChangeWorkspaceFoldersParams(
        types.WorkspaceFoldersChangeEvent(
            added=[types.WorkspaceFolder(f.as_uri(), f.name) for f in (one, two)], removed=[])))
    first, second = (_open(client, folder / "a.js", UE001) for folder in (one, two))
    assert [d.severity for d in await _published(client, first)] == [
        types.DiagnosticSeverity.Error]
    assert [d.severity for d in await _published(client, second)] == [
        types.DiagnosticSeverity.Warning]


async def test_a_file_that_crashes_its_adapter_costs_only_itself(
    hostile: LanguageClient, tmp_path: Path
) -> None:
    crash = _open(hostile, tmp_path / "crash.py",
                  'from js import window\nwindow.userengage("event.x")\nx = crash\n', "python")
    assert await _published(hostile, crash) == []
    assert any("crash.py" in m.message and "SIGSEGV" in m.message
               for m in hostile.log_messages if m.type == types.MessageType.Error)
    uri = _open(hostile, tmp_path / "a.js", UE001)
    assert _codes(await _published(hostile, uri)) == ["UE001"]


async def test_a_slow_file_blocks_no_other_and_its_superseded_result_is_dropped(
    hostile: LanguageClient, tmp_path: Path
) -> None:
    slow = _open(hostile, tmp_path / "bundle.js", "// slowpoke\n" + UE001 * 3)
    quick = _open(hostile, tmp_path / "a.js", UE001)
    assert _codes(await _published(hostile, quick)) == ["UE001"]
    assert slow not in hostile.diagnostics  # still being checked, and it did not hold a.js up
    _change(hostile, slow, 2, CLEAN)  # the editor moved on: version 1's check is stale
    assert await _published(hostile, slow) == []
    GATE.unlink()  # version 1's check ends now; its three findings must never be shown
    _change(hostile, quick, 2, UE001 + UE001)
    assert _codes(await _published(hostile, quick)) == ["UE001", "UE001"]
    await asyncio.sleep(0.3)
    assert list(hostile.diagnostics[slow]) == []
