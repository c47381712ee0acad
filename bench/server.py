"""The language server's speed targets (#14), measured with a real LSP client over stdio.

    python bench/server.py [--corpus-files N] [--no-corpus] [--no-watcher]

- change to diagnostics: a warm server, a 1,000-line JavaScript file with 20 calls, a
  one-line edit at a time; from sending didChange to receiving that version's diagnostics
  (the debounce included), median of 30 (target: 100 ms);
- start to first diagnostics: from starting `uelint server` to the first diagnostics of a
  small file, initialize included, median of 5 (target: 500 ms);
- memory: the server's resident set (current and peak, /proc) after every file of the bench
  corpus (bench/work/corpus, built by bench/run.py) was opened, checked and closed, 16
  buffers open at a time (target: 300 MB).

The client advertises a file watcher, as VS Code does, so the server stats only the files
reported changed (linter/watched.py); `--no-watcher` measures a client without one.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import time
from pathlib import Path

from lsprotocol import types
from pygls.lsp.client import BaseLanguageClient

from uelint import languages

HERE = Path(__file__).resolve().parent
CORPUS = Path(os.environ.get("UELINT_BENCH_DIR", HERE / "work")) / "corpus"
SERVER = [sys.executable, "-m", "uelint", "server"]
CALL = 'userengage("client.update", {{ user_id: account.id, plan: "pro", step: {n} }});'


class Client(BaseLanguageClient):
    """Records when each document's diagnostics arrive, by URI and version."""

    def __init__(self) -> None:
        super().__init__("uelint-bench", "1")
        self.arrived: dict[str, asyncio.Future[int | None]] = {}
        self.draining: asyncio.Task[None] | None = None  # reads the server's log

        @self.feature(types.CLIENT_REGISTER_CAPABILITY)
        def register(params: types.RegistrationParams) -> None:
            pass  # the server's file watcher: accepted, as an editor does

        @self.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        def published(params: types.PublishDiagnosticsParams) -> None:
            waiting = self.arrived.get(params.uri)
            if waiting is not None and not waiting.done():
                waiting.set_result(params.version)

    def expect(self, uri: str) -> asyncio.Future[int | None]:
        self.arrived[uri] = asyncio.get_running_loop().create_future()
        return self.arrived[uri]


def thousand_lines() -> str:
    """A 1,000-line module: 20 tracking calls among ordinary code."""
    lines: list[str] = []
    for block in range(20):
        lines += [f"export function step{block}(account, cart) {{",
                  *(f"  const total{i} = cart.items.reduce((sum, item) => sum + item.price "
                    f"* {i}, 0);" for i in range(44)),
                  "  if (total0 > 100) {", f"    {CALL.format(n=block)}", "  }",
                  "  return total0;", "}"]
    return "\n".join(lines) + "\n"


WATCHING = True  # advertise a file watcher, as VS Code does (--no-watcher: as Neovim 0.7)


async def started(root: Path) -> Client:
    client = Client()
    await client.start_io(*SERVER)
    # The server's log, read as an editor reads it: a pipe nobody reads fills up (64 KB)
    # and blocks the server's next write to it (the corpus run once stalled on that).
    assert client._server is not None and client._server.stderr is not None
    client.draining = asyncio.get_running_loop().create_task(
        _drain(client._server.stderr))
    await client.initialize_async(types.InitializeParams(
        # An editor that watches the files for the server (VS Code does): a check then
        # stats only the files reported changed, not the whole project (watched.py).
        capabilities=types.ClientCapabilities(workspace=types.WorkspaceClientCapabilities(
            did_change_watched_files=types.DidChangeWatchedFilesClientCapabilities(
                dynamic_registration=WATCHING))),
        process_id=os.getpid(),
        workspace_folders=[types.WorkspaceFolder(root.as_uri(), root.name)]))
    client.initialized(types.InitializedParams())
    return client


async def _drain(stream: asyncio.StreamReader) -> None:
    while await stream.read(1 << 16):
        pass


async def stopped(client: Client) -> None:
    await client.shutdown_async(None)
    client.exit(None)
    await client.stop()


def opened(client: Client, path: Path, text: str) -> asyncio.Future[int | None]:
    uri = path.as_uri()
    waiting = client.expect(uri)
    client.text_document_did_open(types.DidOpenTextDocumentParams(
        types.TextDocumentItem(uri, "javascript", 1, text)))
    return waiting


async def change_to_diagnostics(root: Path, changes: int = 30) -> list[float]:
    path = root / "checkout.js"
    text = thousand_lines()
    client = await started(root)
    await opened(client, path, text)
    times = []
    for version in range(2, changes + 2):
        edited = text.replace("step: 7 ", f"step: {version} ")
        waiting = client.expect(path.as_uri())
        start = time.perf_counter()
        client.text_document_did_change(types.DidChangeTextDocumentParams(
            types.VersionedTextDocumentIdentifier(version, path.as_uri()),
            [types.TextDocumentContentChangeWholeDocument(edited)]))
        assert await waiting == version
        times.append(time.perf_counter() - start)
        await asyncio.sleep(0.05)
    await stopped(client)
    return times


async def start_to_first_diagnostics(root: Path, runs: int = 5) -> list[float]:
    times = []
    for run in range(runs):
        start = time.perf_counter()
        client = await started(root)
        await opened(client, root / f"first{run}.js", CALL.format(n=run) + "\n")
        times.append(time.perf_counter() - start)
        await stopped(client)
    return times


def _children_rss() -> tuple[float, float]:
    """The resident set of this process's child (the server), now and at its peak, in MB."""
    pids = [pid for task in os.listdir("/proc/self/task")
            for pid in Path(f"/proc/self/task/{task}/children").read_text().split()]
    status = dict(line.split(":", 1) for line in
                  Path(f"/proc/{pids[0]}/status").read_text().splitlines() if ":" in line)
    return (int(status["VmRSS"].split()[0]) / 1024, int(status["VmHWM"].split()[0]) / 1024)


async def corpus_memory(limit: int | None, window: int = 16) -> tuple[int, float, float]:
    files = sorted(p for p in CORPUS.rglob("*") if p.is_file()
                   and languages.by_name(p.name) is not None)[:limit]
    client = await started(CORPUS)
    slots = asyncio.Semaphore(window)

    async def check(path: Path) -> None:
        async with slots:
            text = path.read_bytes().decode("utf-8", "replace")
            await opened(client, path, text)
            client.text_document_did_close(types.DidCloseTextDocumentParams(
                types.TextDocumentIdentifier(path.as_uri())))

    await asyncio.gather(*(check(path) for path in files))
    rss, peak = _children_rss()
    await stopped(client)
    return len(files), rss, peak


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--corpus-files", type=int, help="only the first N corpus files")
    parser.add_argument("--no-watcher", action="store_true",
                        help="a client that watches no files for the server (each check "
                             "stats every file of its project)")
    parser.add_argument("--no-corpus", action="store_true", help="skip the memory run")
    args = parser.parse_args()
    global WATCHING
    WATCHING = not args.no_watcher
    root = Path(os.environ.get("TMPDIR", "/tmp"), f"uelint-bench-server-{os.getpid()}")
    root.mkdir(exist_ok=True)
    changes = await change_to_diagnostics(root)
    print(f"change to diagnostics, 1,000 lines, 20 calls: median "
          f"{statistics.median(changes) * 1000:.0f} ms (min {min(changes) * 1000:.0f}, "
          f"max {max(changes) * 1000:.0f}, {len(changes)} changes)")
    starts = await start_to_first_diagnostics(root)
    print(f"start to first diagnostics: median {statistics.median(starts) * 1000:.0f} ms "
          f"(min {min(starts) * 1000:.0f}, max {max(starts) * 1000:.0f})")
    if args.no_corpus:
        return
    if not CORPUS.is_dir():
        print(f"memory: no corpus at {CORPUS} (build it with bench/run.py)")
        return
    count, rss, peak = await corpus_memory(args.corpus_files)
    print(f"memory after checking {count:,} corpus files: {rss:.0f} MB resident, "
          f"peak {peak:.0f} MB")


if __name__ == "__main__":
    asyncio.run(main())
