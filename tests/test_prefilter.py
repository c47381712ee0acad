from __future__ import annotations

import pickle

import pytest

from uelint import prefilter


def test_prefilter() -> None:
    assert prefilter.is_candidate(b"window.userengage('x')")
    assert prefilter.is_candidate(b"UE.pageHit({})")
    assert prefilter.is_candidate(b"window.civchat = {}")
    # A method-name constant alone makes a file worth reading (its importers need it).
    assert prefilter.is_candidate(b"export const UPDATE = 'client.update';")
    assert not prefilter.is_candidate(b"socket.emit('profile.save', {user_id: 1})")


SAMPLES = [
    b"",
    b"userengage",
    b'window.userengage("client.update", {})',
    b"UE.pageHit({})",
    b"x" * 100_000 + b"UE.resetAuth()",
    b"window.civchat = {apiKey: 'k'}",
    b'const UPDATE = "client.update"',
    b"clientXupdate pageHi resetauth UserEngage civ-chat",  # near misses
    b"\x00\xff" * 50_000,
]


def test_substring_scans_find_the_triggers():
    words = prefilter.Words(prefilter.TRIGGERS)
    assert [words._substrings(s) for s in SAMPLES] == [
        False, True, True, True, True, True, True, False, False]


def test_hyperscan_agrees_with_the_substring_scans():
    pytest.importorskip("hyperscan")
    words = prefilter.Words(prefilter.TRIGGERS)
    search = prefilter._hyperscan(words.words)
    assert search is not None
    assert [search(s) for s in SAMPLES] == [words._substrings(s) for s in SAMPLES]


def test_hyperscan_searches_in_many_threads_at_once():
    """The language server screens buffers in a pool of threads, with one database."""
    pytest.importorskip("hyperscan")
    from concurrent.futures import ThreadPoolExecutor

    search = prefilter._hyperscan(prefilter.TRIGGERS)
    assert search is not None
    data = [b"x" * 2_000_000 + (b"userengage" if i % 2 else b"") for i in range(64)]
    with ThreadPoolExecutor(max_workers=8) as pool:
        assert list(pool.map(search, data)) == [bool(i % 2) for i in range(64)]


def test_hyperscan_takes_over_only_after_a_few_megabytes():
    pytest.importorskip("hyperscan")
    words = prefilter.Words([b"userengage", b"a.b"])
    chunk = b"x" * 1_000_000
    for _ in range(3):
        assert not words(chunk)
    assert words._search == words._substrings  # a pre-commit batch never loads it
    assert not words(chunk + b"aXb")  # the dot is a dot, not any character
    assert words._search != words._substrings
    assert words(chunk + b"userengage") and words(b"a.b")


def test_words_travel_to_a_spawned_worker_without_their_database():
    words = prefilter.Words([b"userengage"])
    for _ in range(5):
        words(b"x" * 1_000_000)
    copy = pickle.loads(pickle.dumps(words))
    assert copy.words == words.words and copy(b"userengage") and not copy(b"user")


def test_prepare_switches_at_once():
    pytest.importorskip("hyperscan")
    words = prefilter.Words([b"userengage"])
    words.prepare()
    assert words._search != words._substrings
    assert words(b"x userengage") and not words(b"user engage")


def test_the_triggers_are_the_sdks_vocabulary() -> None:
    """An entry point added to uelint.sdk is a trigger, with nothing else to edit."""
    from uelint import sdk

    assert prefilter.TRIGGERS == tuple(word.encode() for word in sdk.TRIGGERS)
    for path in sdk.IDENTITY:
        assert prefilter.is_candidate(f"{'.'.join(path)}({{}})".encode())
    assert prefilter.is_candidate(f"{sdk.DISPATCH}('x')".encode())
    assert prefilter.is_candidate(f"window.{sdk.CONFIG} = {{}}".encode())
