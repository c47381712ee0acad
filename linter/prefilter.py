"""Rule files out on their raw bytes: a file without any trigger word is never parsed.

Every tracking call spells one of these words literally (`uelint.sdk.TRIGGERS`: the SDK
global, the UE methods, the civchat configuration, the update method), so a file without
them has nothing for an adapter to find.

Most files of a scan are ruled out here, so this is the scan's inner loop. Hyperscan looks
for all the words in one pass (SIMD literal matching): on the benchmark corpus (263 MB) it
takes 0.10 s, where one `in` scan per word takes 0.52 s and one `re` alternation 1.1 s.
Where hyperscan has no wheel (Linux on ARM), the `in` scans do the same job.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterable

from uelint import sdk

TRIGGERS = tuple(word.encode() for word in sdk.TRIGGERS)

# Hyperscan costs ~18 ms to load and compile: worth it once this much has been searched
# without it (~8 ms of `in` scans), never for a pre-commit batch or one file.
_HYPERSCAN_AFTER_BYTES = 4_000_000


class Words:
    """Whether bytes hold any of some words: a substring scan per word, then, once enough
    bytes have gone through to pay for it, hyperscan's one pass."""

    def __init__(self, words: Iterable[bytes]) -> None:
        self.words = tuple(words)
        self._search: Callable[[bytes], bool] = self._substrings
        self._searched = 0  # bytes, until hyperscan takes over

    def __call__(self, data: bytes) -> bool:
        if self._searched < _HYPERSCAN_AFTER_BYTES:
            self._searched += len(data)
            if self._searched >= _HYPERSCAN_AFTER_BYTES:
                self.prepare()
        return self._search(data)

    def prepare(self) -> None:
        """Switch to the one-pass search now: many bytes are to come."""
        if self._search == self._substrings:
            self._searched = _HYPERSCAN_AFTER_BYTES
            self._search = _hyperscan(self.words) or self._substrings

    def _substrings(self, data: bytes) -> bool:
        return any(word in data for word in self.words)

    def __reduce__(self) -> tuple[type[Words], tuple[tuple[bytes, ...]]]:
        return Words, (self.words,)  # to a spawned worker: the words, not a compiled database


is_candidate = Words(TRIGGERS)


def _hyperscan(words: tuple[bytes, ...]) -> Callable[[bytes], bool] | None:
    """A search for all `words` in one pass, or None without the library."""
    try:
        import hyperscan
    except ImportError:
        return None
    database = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
    database.compile(
        expressions=[re.escape(word) for word in words],
        flags=[hyperscan.HS_FLAG_SINGLEMATCH] * len(words),
    )

    # A scan writes to its scratch space, so one in use by another thread's scan fails
    # (ScratchInUseError): the language server screens buffers in several threads.
    local = threading.local()

    def stop(*_: object) -> bool:
        return True  # the first match is enough: the scan ends with ScanTerminated

    def search(data: bytes) -> bool:
        scratch = getattr(local, "scratch", None)
        if scratch is None:
            scratch = local.scratch = hyperscan.Scratch(database)
        try:
            database.scan(data, match_event_handler=stop, scratch=scratch)
        except hyperscan.ScanTerminated:
            return True
        return False

    return search
