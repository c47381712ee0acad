"""Abstract values that both adapters' resolvers use for what is the same in every language."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Generic, TypeVar

from uelint.ir import Entry, ValueKind
from uelint.ir import Value as IRValue
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


# -- what rules learn about attribute values ------------------------------------------------

# Calls whose result differs on every call, by their callee as written (`window.` dropped):
# an id made from one names a new profile each time.
VOLATILE_CALLS = frozenset({
    "Date.now", "performance.now", "Math.random", "crypto.randomUUID", "crypto.getRandomValues",
    "uuid", "uuidv4", "uuidv1", "v4", "v1", "uuid.v4", "uuid.v1", "nanoid", "cuid", "ulid",
    "time.time", "time.time_ns", "time.monotonic", "uuid.uuid4", "uuid.uuid1", "uuid4", "uuid1",
    "random.random", "random.randint", "secrets.token_hex", "secrets.token_urlsafe",
    "datetime.now", "datetime.utcnow", "datetime.datetime.now", "datetime.datetime.utcnow",
    "timezone.now",
})
# Calls that keep their argument's volatility: `String(Date.now())`, `str(uuid.uuid4())`.
CONVERSIONS = frozenset({"String", "str", "Number", "int", "parseInt", "JSON.stringify"})


def is_volatile_call(callee: str) -> bool:
    return callee.removeprefix("window.") in VOLATILE_CALLS


def pick(choices: list[IRValue], source: str | None = None) -> IRValue:
    """A value that is one of `choices` (a ternary's branches, `a || b`): their kind when
    they share one; volatile when any is."""
    flat = [alt for choice in choices for alt in choice.alternatives()]
    kinds = {c.kind for c in flat}
    if ValueKind.VOLATILE in kinds:
        return IRValue(ValueKind.VOLATILE, source=source)
    kind = kinds.pop() if len(kinds) == 1 else ValueKind.UNKNOWN
    return IRValue(kind, choices=tuple(flat), source=source)


def concatenation(parts: list[IRValue | str], source: str | None = None) -> IRValue:
    """A string built from literal text and values: its literal when every part is known,
    else its shape (`…` for each unknown part); volatile when a part is."""
    if any(isinstance(p, IRValue) and p.kind is ValueKind.VOLATILE for p in parts):
        return IRValue(ValueKind.VOLATILE, source=source)
    texts = [t for p in parts for t in ([p] if isinstance(p, str) else _texts(p))]
    if all(t is not None for t in texts):
        return IRValue(ValueKind.STRING, "".join(t for t in texts if t is not None))
    shape = "".join(t if t is not None else "…" for t in texts)
    return IRValue(ValueKind.STRING, shape=shape, source=source)


def _texts(value: IRValue) -> list[str | None]:
    """A part's text, None where unknown (a shape's own unknown parts stay unknown)."""
    if value.shape is not None:
        pieces: list[str | None] = []
        for i, piece in enumerate(value.shape.split("…")):
            pieces += [piece] if i == 0 else [None, piece]
        return pieces
    if value.kind in (ValueKind.STRING, ValueKind.NUMBER) and value.literal is not None:
        return [str(value.literal)]
    return [None]
