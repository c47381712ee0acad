"""The language server: LSP over standard input and output, on pygls.

Buffers are checked off the event loop, in a pool of threads, from the editor's text (never
the file on disk): on open and save at once, on change after a short pause (typing goes on,
only the last version is checked). A check whose buffer changed meanwhile is dropped, not
published. Each buffer is checked in its project's context, as `uelint check` checks a file
(the project read through its cache, the other open buffers standing for their files), and
an edit checks again the open buffers that may use what the edited file exports. As in
`uelint check`, a Python file, and any file over 4 MB, is analysed in a process of its own,
bounded in time and memory: native code that crashes or runs away costs that buffer's
diagnostics (and a log message), never the server; and a huge bundle waits in its own
process while other buffers are checked.
"""

from __future__ import annotations

import asyncio
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import to_fs_path
from pygls.workspace import TextDocument

from uelint import __version__, config, engine, plugins
from uelint.checker import display_path
from uelint.server import actions, depends
from uelint.server.actions import Checked
from uelint.server.convert import diagnostic as to_lsp
from uelint.server.folders import Folders, check_buffer

DEBOUNCE = 0.025  # seconds of quiet after a change before the buffer is checked
_MANY = 64  # files changed on disk at once beyond which every open buffer is checked again
_KINDS = {types.FileChangeType.Created: "created", types.FileChangeType.Changed: "changed",
          types.FileChangeType.Deleted: "deleted"}


@dataclass(frozen=True)
class Outcome:
    """What a check in a thread hands back to the event loop, which alone talks to the
    editor: the buffer's check (None: not a language uelint checks, or it failed), why it
    failed, and the file's syntax and decoding problems, for the log."""

    checked: Checked | None
    failure: str | None = None
    notes: tuple[str, ...] = ()


class UelintServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__("uelint", __version__)
        self.folders = Folders()
        self.checked: dict[str, Checked] = {}  # by URI: each open buffer's last check
        self._pending: dict[str, asyncio.Task[None]] = {}
        self.pool = ThreadPoolExecutor(max_workers=max(2, min(4, os.cpu_count() or 1)),
                                        thread_name_prefix="uelint-check")

    def document(self, uri: str) -> TextDocument | None:
        """The open buffer `uri` (pygls keeps buffers by their unquoted URIs: an editor
        sends `%40scope` for `@scope`), without pygls's fallback to the file on disk."""
        found: TextDocument | None = self.workspace.text_documents.get(unquote(uri))
        return found

    def log(self, kind: types.MessageType, message: str) -> None:
        self.window_log_message(types.LogMessageParams(type=kind, message=message))

    def schedule(self, uri: str, delay: float = 0.0, cascade: bool = False) -> None:
        """Check the buffer `uri` after `delay` seconds, instead of any check not yet done;
        with `cascade` (its text changed), then the open buffers that depend on it."""
        pending = self._pending.pop(uri, None)
        if pending is not None:
            pending.cancel()
        self._pending[uri] = asyncio.get_running_loop().create_task(
            self._check(uri, delay, cascade))

    def forget(self, uri: str) -> None:
        pending = self._pending.pop(uri, None)
        if pending is not None:
            pending.cancel()
        self.checked.pop(uri, None)
        self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri, []))
        self.recheck_dependents(uri)  # the file on disk stands for it now

    def recheck_all(self) -> None:
        for document in list(self.workspace.text_documents.values()):
            self.schedule(document.uri)

    def recheck_dependents(self, uri: str) -> None:
        """Check again the open buffers whose findings the file `uri` may change: those of
        its project that name it as a module, or went through its wrappers last time."""
        if not uri.startswith("file:"):
            return
        path = Path(to_fs_path(uri) or uri)
        root = self.folders.root_of(path)
        displayed = display_path(path, root)
        for document in list(self.workspace.text_documents.values()):
            other = document.uri
            if other == uri or not other.startswith("file:"):
                continue
            there = Path(to_fs_path(other) or other)
            if self.folders.root_of(there) != root:
                continue
            checked = self.checked.get(other)
            if depends.mentions(document.source.encode("utf-8", "surrogatepass"), path) or (
                checked is not None and depends.went_through(checked.findings, displayed)
            ):
                self.schedule(other)

    def _context(self, uri: str, path: Path, data: bytes) -> dict[str, bytes]:
        """What stands for files on disk in a check of `uri`: its text, and the other open
        buffers whose text has been checked (so their analysis is known, and cached). One
        still being checked (a huge bundle) is read from disk meanwhile, so that it holds
        up no other buffer; its dependents are checked again when its check is done."""
        buffers = {os.path.abspath(path): data}
        for document in list(self.workspace.text_documents.values()):
            checked = self.checked.get(document.uri)
            if document.uri != uri and checked is not None and (
                checked.version == document.version
            ):
                buffers.setdefault(os.path.abspath(checked.path), checked.data)
        return buffers

    async def _check(self, uri: str, delay: float, cascade: bool = False) -> None:
        if delay:
            await asyncio.sleep(delay)
        document = self.document(uri)
        if document is None or not uri.startswith("file:"):
            return
        version, data = document.version, document.source.encode("utf-8", "surrogatepass")
        path = Path(to_fs_path(uri) or uri)
        buffers = self._context(uri, path, data)
        loop = asyncio.get_running_loop()
        try:
            outcome = await loop.run_in_executor(self.pool, self._analyse, uri, version, path,
                                                 buffers)
        except Exception as exc:  # a bug in uelint: it costs this buffer, not the server
            import traceback

            traceback.print_exc()  # standard error: the editor's server log
            outcome = Outcome(None, f"uelint: {path}: internal error (please report it with "
                                    f"the server's log): {exc!r}")
        current = self.document(uri)
        if current is None or current.version != version:
            return  # closed, or changed since: a newer check is on its way
        if self._pending.get(uri) is asyncio.current_task():
            del self._pending[uri]
        for note in outcome.notes:
            self.log(types.MessageType.Log, note)
        if outcome.failure is not None:
            self.log(types.MessageType.Error, outcome.failure)
        if outcome.checked is None:
            self.checked.pop(uri, None)
            if outcome.failure is None:
                return  # not a language uelint checks: nothing to say about it
            found: list[types.Diagnostic] = []
        else:
            checked = self.checked[uri] = outcome.checked
            found = [to_lsp(d, checked.folder.by_code, checked.folder.root)
                     for d in checked.findings]
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri, found, version=version))
        if cascade:
            self.recheck_dependents(uri)

    def _analyse(self, uri: str, version: int | None, path: Path,
                 buffers: dict[str, bytes]) -> Outcome:
        """In a thread of the pool: the buffer's check, or why there is none. The engine
        analyses a Python file, and any file over 4 MB, in a process of its own, bounded in
        time and memory, as `uelint check` does."""
        data = buffers[os.path.abspath(path)]
        language = engine.buffer_language(path, data)
        if language is None:
            return Outcome(None)
        try:
            folder = self.folders.of(path)
        except (config.ConfigError, plugins.PluginError) as exc:
            return Outcome(None, f"uelint: {path}: not checked: {exc}")
        result = check_buffer(folder, path, buffers)
        assert result is not None
        own = display_path(path, folder.root)
        crashes = [e for e in result.errors if e.kind == "internal" and e.path == own]
        if crashes:
            return Outcome(None, "; ".join(f"uelint: {path}: {e.message}" for e in crashes))
        findings = tuple(d for d in result.diagnostics if d.suppressed is None)
        return Outcome(Checked(uri, version, path, language, data, folder, findings),
                       notes=tuple(f"uelint: {e.path}: {e.message}" for e in result.errors))


def build() -> UelintServer:
    """The server, its features registered."""
    server = UelintServer()

    @server.feature(types.INITIALIZED)
    async def initialized(ls: UelintServer, params: types.InitializedParams) -> None:
        ls.folders.workspace = _workspace_folders(ls)
        watching = ls.client_capabilities.workspace
        dynamic = watching is not None and watching.did_change_watched_files is not None and (
            watching.did_change_watched_files.dynamic_registration)
        if dynamic:
            # Every file: configuration files to read them again, the others so that a
            # check stats only those reported changed, not the whole project (watched.py).
            watchers = [types.FileSystemWatcher(glob_pattern="**/*")]
            await ls.client_register_capability_async(types.RegistrationParams([
                types.Registration("uelint-files", types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                                   types.DidChangeWatchedFilesRegistrationOptions(watchers)),
            ]))
            ls.folders.watch()

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: UelintServer, params: types.DidOpenTextDocumentParams) -> None:
        # Its text may not be the file's on disk, which the open buffers that use it saw.
        ls.schedule(params.text_document.uri, cascade=True)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: UelintServer, params: types.DidChangeTextDocumentParams) -> None:
        ls.schedule(params.text_document.uri, DEBOUNCE, cascade=True)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: UelintServer, params: types.DidSaveTextDocumentParams) -> None:
        ls.schedule(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: UelintServer, params: types.DidCloseTextDocumentParams) -> None:
        ls.forget(params.text_document.uri)

    @server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def watched(ls: UelintServer, params: types.DidChangeWatchedFilesParams) -> None:
        paths = {change.uri: Path(to_fs_path(change.uri) or change.uri)
                 for change in params.changes}
        for change in params.changes:
            ls.folders.report(paths[change.uri], _KINDS[change.type])
        if any(path.name in config.CONFIG_FILES for path in paths.values()):
            ls.folders.forget()
            ls.recheck_all()
            return
        on_disk = [uri for uri in paths if ls.document(uri) is None]
        if len(on_disk) > _MANY:  # a branch switched: checking every buffer is cheaper
            ls.recheck_all()
            return
        for uri in on_disk:  # a file on disk the open buffers may use
            ls.recheck_dependents(uri)

    @server.feature(types.WORKSPACE_DID_CHANGE_WORKSPACE_FOLDERS)
    def folders_changed(ls: UelintServer,
                        params: types.DidChangeWorkspaceFoldersParams) -> None:
        ls.folders.workspace = _workspace_folders(ls)
        ls.recheck_all()

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    def hover(ls: UelintServer, params: types.HoverParams) -> types.Hover | None:
        checked = _current(ls, params.text_document.uri)
        return actions.hover(checked, params.position) if checked is not None else None

    @server.feature(types.TEXT_DOCUMENT_CODE_ACTION, types.CodeActionOptions(
        code_action_kinds=[types.CodeActionKind.QuickFix, actions.FIX_ALL]))
    async def code_action(ls: UelintServer,
                          params: types.CodeActionParams) -> list[types.CodeAction] | None:
        checked = _current(ls, params.text_document.uri)
        if checked is None:
            return None
        # In the pool: a suppression is proved by parsing the edited buffer, which for a
        # huge bundle must not hold up the other buffers' messages.
        found = await asyncio.get_running_loop().run_in_executor(
            ls.pool, actions.code_actions, checked, params.range, params.context.only)
        return found or None

    return server


def _current(ls: UelintServer, uri: str) -> Checked | None:
    """The buffer's last check, if it is of the text the editor has now."""
    checked = ls.checked.get(uri)
    document = ls.document(uri)
    if checked is None or document is None or document.version != checked.version:
        return None
    return checked


def _workspace_folders(ls: UelintServer) -> list[Path]:
    found = [to_fs_path(folder.uri) for folder in ls.workspace.folders.values()]
    if not found and ls.workspace.root_path:
        found = [ls.workspace.root_path]
    return [Path(f).resolve() for f in found if f]
