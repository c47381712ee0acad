"""JavaScript embedded in another file, run through the JavaScript adapter.

A host file (HTML, a template, a component, a string literal) holds regions of JavaScript:
script blocks, event-handler attributes, markup expressions. The regions of one language are
parsed together, as the page runs them in one global scope (a function defined in one
`<script>` is called from another, or from an `onclick`), from a copy of the host with every
byte outside them blanked: offsets stay those of the host, and `SourceText.embedded` turns
them into lines and UTF-16 columns of the original file. When that parse fails somewhere,
each region is parsed alone as well, so one broken script does not hide the others' calls.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from uelint import prefilter
from uelint.adapters import AdapterResult, javascript
from uelint.diagnostic import FileError
from uelint.ir import Entry, Handler, HandlerKind, Payload, TrackingCall, Value, ValueKind
from uelint.source import SourceText
from uelint.wrappers import Linker

_SPACES = bytes(b if b in b"\r\n" else 0x20 for b in range(256))


@dataclass(frozen=True, slots=True)
class Region:
    start: int  # byte offsets in the host
    end: int
    language: str  # languages.JAVASCRIPT, TYPESCRIPT or TSX
    # An event attribute's listener (`<form onsubmit="...">`): the outermost handler of the
    # calls written in it.
    listener: Handler | None = None


@dataclass(frozen=True, slots=True)
class Placeholder:
    """A template tag masked as an unknown value: in original-file offsets, with the text
    that stands for it in the JavaScript the adapter read."""

    start: int
    end: int
    text: str
    # The tag as written (`{{ customer.email }}`), first line, when the host knows it: the
    # source of a value that is the tag alone or holds it (`"{{ customer.email }}"`).
    source: str | None = None


class Rebuilt:
    """Bytes decoded from a stretch of a host (escapes, character references), with the
    pieces that map them back to it for `SourceText.embedded`."""

    def __init__(self) -> None:
        self.parts: list[bytes] = []
        self.pieces: list[tuple[int, int]] = []
        self.size = 0

    def add(self, text: bytes, origin: int) -> None:
        """`text` stands for the host from `origin` on: a verbatim copy or a decoded escape."""
        if text:
            self.pieces.append((self.size, origin))
            self.parts.append(text)
            self.size += len(text)

    def text(self, host: SourceText, end: int) -> SourceText:
        """The decoded text, standing for the host up to `end`."""
        return host.embedded(b"".join(self.parts), [*self.pieces, (self.size, end)])


def run(
    host: SourceText,
    masked: bytes,
    regions: Sequence[Region],
    path: str,
    linker: Linker | None = None,
    *,
    placeholders: Sequence[Placeholder] = (),
    bindings: Mapping[str, Handler] | None = None,
    outer: tuple[Handler, ...] = (),
) -> AdapterResult:
    """The tracking calls of `regions` of `host` (`masked`: the host's bytes with template
    tags masked, same length). `bindings` name functions that markup registers as listeners
    (`@submit="login"`); `outer` handlers enclose every region (the component)."""
    calls: list[TrackingCall] = []
    errors: list[FileError] = []
    for language in dict.fromkeys(r.language for r in regions):
        group = [r for r in regions if r.language == language]
        result = javascript.extract(host.embedded(_blanked(masked, group)), path, language, linker)
        errors += result.errors
        if not result.errors or len(group) == 1:
            calls += result.calls
            continue
        for region in group:  # one broken region may have swallowed the ones after it
            if prefilter.is_candidate(masked[region.start : region.end]):
                text = host.embedded(masked[region.start : region.end], ((0, region.start),))
                calls += javascript.extract(text, path, language, linker).calls

    located = _Located(host, regions)
    unknown = _Placeholders(placeholders)
    finished = [
        unknown.applied(
            replace(c, handlers=_listening(c.handlers, bindings) + located.listener(c) + outer)
        )
        for c in calls
    ]
    return AdapterResult(tuple(sorted(finished, key=lambda c: c.span.start_byte)), tuple(errors))


def _blanked(masked: bytes, regions: Sequence[Region]) -> bytes:
    """`masked` with only `regions` left, and a line break and `;` after each, so that a
    trailing line comment or a missing semicolon does not run into the next region."""
    out = bytearray(masked.translate(_SPACES))
    for region in regions:
        out[region.start : region.end] = masked[region.start : region.end]
        separator = b"\n;"[: len(out) - region.end]  # regions are apart by at least two bytes
        out[region.end : region.end + len(separator)] = separator
    return bytes(out)


class _Located:
    """Which region a call lies in, in original-file offsets (the host may be embedded)."""

    def __init__(self, host: SourceText, regions: Sequence[Region]) -> None:
        with_listener = sorted(
            ((host.span(r.start, r.end), r.listener) for r in regions if r.listener is not None),
            key=lambda pair: pair[0].start_byte,
        )
        self.starts = [span.start_byte for span, _ in with_listener]
        self.regions = with_listener

    def listener(self, call: TrackingCall) -> tuple[Handler, ...]:
        index = bisect_right(self.starts, call.span.start_byte) - 1
        if index < 0:
            return ()
        span, listener = self.regions[index]
        inside = call.span.start_byte < span.end_byte
        return (listener,) if inside and listener is not None else ()


def _listening(
    handlers: tuple[Handler, ...], bindings: Mapping[str, Handler] | None
) -> tuple[Handler, ...]:
    """Named functions that markup binds to an event (`<form @submit="login">`) become
    listeners of that event, with the element as target."""
    if not bindings:
        return handlers
    return tuple(
        replace(h, kind=HandlerKind.LISTENER, event=bound.event, target=bound.target)
        if h.kind in (HandlerKind.FUNCTION, HandlerKind.METHOD) and h.event is None
        and (bound := bindings.get(h.name or "")) is not None
        else h
        for h in handlers
    )


class _Placeholders:
    """A value that a template tag produces is unknown: a method name built from one is not
    known, nor a key, nor a string value (the adapter saw the placeholder in their text)."""

    def __init__(self, placeholders: Sequence[Placeholder]) -> None:
        self.placeholders = sorted(placeholders, key=lambda p: p.start)
        self.starts = [p.start for p in self.placeholders]

    def applied(self, call: TrackingCall) -> TrackingCall:
        first = bisect_left(self.starts, call.span.start_byte)
        last = bisect_left(self.starts, call.span.end_byte, first)
        return _unknown(call, self.placeholders[first:last]) if last > first else call


def _unknown(call: TrackingCall, inside: Sequence[Placeholder]) -> TrackingCall:
    texts = [p.text for p in inside]
    api = None if call.api is not None and any(t in call.api for t in texts) else call.api
    payload = call.payload
    if payload is not None:
        entries: list[Entry] = []
        for entry in payload.entries:
            key = entry.key_span
            if any(p.start < key.end_byte and key.start_byte < p.end for p in inside):
                continue  # a key the template writes
            literal = entry.value.literal
            if isinstance(literal, str) and any(t in literal for t in texts):
                entry = replace(entry, value=Value(ValueKind.STRING,
                                                   source=_written(literal, inside)))
            elif entry.value.source is not None and any(
                    t in entry.value.source for t in texts):
                entry = replace(entry, value=replace(
                    entry.value, source=_written(entry.value.source, inside)))
            entries.append(entry)
        complete = payload.complete and len(entries) == len(payload.entries)
        payload = Payload(tuple(entries), payload.span, complete)
    return replace(call, api=api, payload=payload)


def _written(text: str, inside: Sequence[Placeholder]) -> str | None:
    """`text` with each placeholder replaced by its tag as written; None when one of them
    is not known."""
    for p in inside:
        if p.text in text:
            if p.source is None:
                return None
            text = text.replace(p.text, p.source)
    return text
