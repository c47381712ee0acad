"""Abstract values that both adapters' resolvers use for what is the same in every language."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Generic, TypeVar

from uelint.ir import Entry
from uelint.wrappers import Export

F = TypeVar("F")  # a function, as each adapter knows it
P = TypeVar("P")


@dataclass(frozen=True, slots=True)
class Global:
    """A path on the page's global object, global-object names stripped:
    `window.top.UE.pageHit` → ("UE", "pageHit")."""

    path: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Str:
    """A string constant."""

    value: str


@dataclass(frozen=True, slots=True)
class Ext:
    """Something another scanned file exports (in JavaScript, also a namespace of it)."""

    export: Export


@dataclass(frozen=True, slots=True)
class Param(Generic[F]):
    """A parameter of an enclosing function: what flows in is up to each caller."""

    function: F
    index: int  # by position; for Python, in the function's `params`


class Unknown:
    def __repr__(self) -> str:
        return "UNKNOWN"


UNKNOWN = Unknown()  # what a resolver cannot tell


@dataclass
class PayloadParts(Generic[P]):
    """The keys of a payload expression as they are gathered from its parts, and the
    parameters of an enclosing function that flow into it (`P`: each adapter's parameter)."""

    entries: list[Entry] = field(default_factory=list)
    complete: bool = True
    params: list[P] = field(default_factory=list)

    def add(self, entry: Entry | None) -> None:
        """Add a key; None: one the file does not show, so the payload is no longer complete."""
        if entry is None:
            self.complete = False
        else:
            self.entries.append(entry)

    def merge(self, part: PayloadParts[P] | None) -> None:
        """Add a part: a spread, an `Object.assign` / `update` argument, a later write.
        None: something the file does not show, so the payload is no longer complete."""
        if part is None:
            self.complete = False
            return
        self.entries += part.entries
        self.complete = self.complete and part.complete
        self.params += part.params
