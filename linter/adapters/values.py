"""Abstract values that both adapters' resolvers use for what is the same in every language."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Global:
    """A path on the page's global object, global-object names stripped:
    `window.top.UE.pageHit` → ("UE", "pageHit")."""

    path: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Str:
    """A string constant."""

    value: str
