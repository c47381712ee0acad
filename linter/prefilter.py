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
