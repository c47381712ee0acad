from __future__ import annotations

import pytest

from linter import prefilter

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
    assert [prefilter._substrings(s) for s in SAMPLES] == [
        False, True, True, True, True, True, True, False, False]


def test_hyperscan_agrees_with_the_substring_scans():
    pytest.importorskip("hyperscan")
    search = prefilter._hyperscan()
    assert search is not None
    assert [search(s) for s in SAMPLES] == [prefilter._substrings(s) for s in SAMPLES]


def test_hyperscan_takes_over_only_after_a_few_megabytes(monkeypatch):
    pytest.importorskip("hyperscan")
    monkeypatch.setattr(prefilter, "_search", prefilter._substrings)
    monkeypatch.setattr(prefilter, "_searched", 0)
    chunk = b"x" * 1_000_000
    for _ in range(3):
        assert not prefilter.is_candidate(chunk)
    assert prefilter._search is prefilter._substrings  # a pre-commit batch never loads it
    assert not prefilter.is_candidate(chunk)
    assert prefilter._search is not prefilter._substrings
    assert prefilter.is_candidate(chunk + b"userengage")
