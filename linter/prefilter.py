"""Rule files out on their raw bytes: a file without any trigger word is never parsed.

Every tracking call spells one of these words literally (the SDK global, the UE methods, the
civchat configuration), so a file without them has nothing for an adapter to find. One
compiled alternation: several `in` scans would cost twice as much (stack-facts.md).
"""

from __future__ import annotations

import re

TRIGGERS = (b"userengage", b"pageHit", b"resetAuth", b"civchat")
_PATTERN = re.compile(b"|".join(re.escape(t) for t in TRIGGERS))


def is_candidate(data: bytes) -> bool:
    return _PATTERN.search(data) is not None


def words(names: set[str]) -> re.Pattern[bytes] | None:
    """A pattern for any of `names` as a whole word (the exports of other files), or None."""
    if not names:
        return None
    alternatives = b"|".join(re.escape(n.encode()) for n in sorted(names, key=len, reverse=True))
    return re.compile(rb"(?<![\w$])(?:" + alternatives + rb")(?![\w$])")
