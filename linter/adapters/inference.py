"""Wrapper inference, the same for every language.

Each adapter finds calls and resolves their arguments in its own language; the decisions are
taken here, once, so that the languages cannot drift apart: what makes a function a wrapper
(which of its parameters flows into the method name or the payload of a call it makes), and
how a call through a wrapper becomes a tracking call (its method, its payload with the keys
the wrapper adds, whether that payload is complete, the chain of wrappers it went through).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar

from uelint import sdk
from uelint.adapters.values import UNKNOWN, Param, PayloadParts, Str, Unknown
from uelint.ir import Entry, Handler, Payload, Span, TrackingCall, Via
from uelint.wrappers import Wrapper

# A function as an adapter knows it: a tree-sitter node, a libcst namespace.
F = TypeVar("F", bound=Hashable)

V = TypeVar("V")  # a value, as each adapter's resolver tells it

# Rounds of "calls through the wrappers found so far": wrappers of wrappers, this deep.
MAX_ROUNDS = 8


class Functions(Protocol[F]):
    """What the inference asks an adapter about one of its functions."""

    def name(self, function: F) -> str | None:
        """How code calls it: "track", "Driver.push"; None when nothing can."""

    def span(self, function: F) -> Span: ...

    def params(self, function: F) -> tuple[str, ...]:
        """`Wrapper.params`: its parameters as callers may name them."""

    def default(self, param: Param[F]) -> str | None:
        """The parameter's default value, when it is a string constant."""

    def inside(self, function: F, outer: F) -> bool:
        """Whether `function` is defined in `outer`."""


@dataclass(frozen=True, slots=True)
class Site(Generic[F]):
    """One call, as its adapter sees it."""

    span: Span  # the call expression
    callee: str  # as written
    function: F | None  # the function it is made in
    handlers: tuple[Handler, ...]


class Inference(Generic[F]):
    """The wrappers of one file, as its calls reveal them, and its calls through them."""

    def __init__(self, path: str, functions: Functions[F]) -> None:
        self.path = path
        self.functions = functions
        self.wrappers: dict[F, Wrapper] = {}  # by the function that is the wrapper
        self._defined: dict[int, F] = {}  # id of a wrapper → its function

    def method(
        self, wrapper: Wrapper, argument: Callable[[int], V | None]
    ) -> V | Str | Unknown:
        """The method name a call through `wrapper` sends: the wrapper's own, the argument
        for its method parameter (`argument(i)`: the value passed for parameter i, None when
        none is), or else that parameter's default."""
        if wrapper.api is not None:
            return Str(wrapper.api)
        if wrapper.api_param is not None:
            found = argument(wrapper.api_param)
            if found is not None:
                return found
        return Str(wrapper.api_default) if wrapper.api_default is not None else UNKNOWN

    def track(
        self, site: Site[F], method: object, parts: PayloadParts[Param[F]] | None,
        payload_span: Span | None, awaited: Callable[[], tuple[str, ...]],
        wrapper: Wrapper | None = None,
    ) -> TrackingCall | None:
        """The tracking call at `site`, which sends `method` (a resolved value: a `Str`, a
        `Param`, anything else) with the payload `parts` written at `payload_span` (None when
        no payload argument is passed; `parts` None when one is but cannot be seen), directly
        or through `wrapper`. Notes the function the call is made in as a wrapper when its
        parameters flow into the call. None when the call only repeats calls already made."""
        api = method.value if isinstance(method, Str) else None
        via: tuple[Via, ...] = ()
        if wrapper is not None:
            via = (wrapper.as_via(), *wrapper.via)
            if parts is None and payload_span is not None:
                parts = PayloadParts(complete=False)  # the wrapper's argument is not visible
            if wrapper.entries or not wrapper.complete:
                parts = parts or PayloadParts()
                parts.entries += wrapper.entries_at(self.path, site.span)
                parts.complete = parts.complete and wrapper.complete
        payload = None  # e.g. a fixed wrapper: its own payload is checked where it is written
        if parts is not None:
            payload = Payload(
                tuple(parts.entries), payload_span or site.span, parts.complete and not parts.params
            )
        self._note(site, api, method, parts, via)
        if wrapper is not None and self._repeats(site, wrapper):
            return None
        return TrackingCall(
            api=api, span=site.span, callee=site.callee, payload=payload,
            handlers=site.handlers, via=via,
            awaited=awaited() if api == sdk.CLIENT_UPDATE else (),
        )

    def _repeats(self, site: Site[F], wrapper: Wrapper) -> bool:
        """A fixed wrapper defined inside the function that calls it: the calls inside it
        already carry every handler around this call, so this one would repeat them."""
        defined = self._defined.get(id(wrapper))
        return (
            wrapper.api_param is None and wrapper.payload_param is None
            and defined is not None and site.function is not None
            and self.functions.inside(defined, site.function)
        )

    def _note(
        self, site: Site[F], api: str | None, method: object,
        parts: PayloadParts[Param[F]] | None, via: tuple[Via, ...],
    ) -> None:
        """Make the function the call is made in a wrapper, when its parameters decide the
        method or the payload, or when it makes a call with a fixed effect."""
        params = parts.params if parts is not None else []
        function: F | None = None
        if isinstance(method, Param):
            function = method.function
        elif params:
            function = params[0].function
        if function is None:
            fixed = site.function
            if api in sdk.FIXED_WRAPPER_APIS and fixed is not None and fixed not in self.wrappers:
                self._add(fixed, api, None, None, None, None, via)
            return
        if function in self.wrappers:
            return
        api_param = method.index if isinstance(method, Param) else None
        default = self.functions.default(method) if isinstance(method, Param) else None
        payload_param = next((p.index for p in params if p.function == function), None)
        if api is None and api_param is None and default is None:
            return  # the method name is dynamic in a way no caller can fix
        self._add(
            function, api if api_param is None else None, api_param, default, payload_param,
            parts, via,
        )

    def _add(
        self, function: F, api: str | None, api_param: int | None, default: str | None,
        payload_param: int | None, parts: PayloadParts[Param[F]] | None, via: tuple[Via, ...],
    ) -> None:
        name = self.functions.name(function)
        if name is None:
            return  # nothing can call it by name
        entries: tuple[Entry, ...] = ()
        complete = True
        if parts is not None:  # the keys it adds, to its parameter's payload or its own
            entries = tuple(parts.entries)
            # Another parameter (of this function or one around it) spread into the payload
            # is unknown at the wrapper's call sites.
            complete = parts.complete and all(
                p.function == function and p.index == payload_param for p in parts.params
            )
        wrapper = Wrapper(
            name=name, path=self.path, span=self.functions.span(function), api=api,
            api_param=api_param, api_default=default, payload_param=payload_param,
            entries=entries, complete=complete, via=via, params=self.functions.params(function),
        )
        self.wrappers[function] = wrapper
        self._defined[id(wrapper)] = function
