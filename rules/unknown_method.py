from __future__ import annotations

import re
from collections.abc import Iterator, Mapping

from uelint import Diagnostic, Level, ParsedFile, Rule, TrackingCall
from uelint.diagnostic import Edit
from uelint.ir import Span
from uelint.rules._docs import API_DOCS, strings, unsafe_fix, via
from uelint.sdk import CIVCHAT, CLIENT_UPDATE, IDENTITY

# The methods `userengage(...)` knows: exact names, and prefixes that take a name after them.
METHODS = (CLIENT_UPDATE, "product_event")
PREFIXES = ("event.", "widget.")
_NOT_DISPATCHED = frozenset({CIVCHAT, *IDENTITY.values()})
_SEPARATORS = re.compile(r"[\s._-]+")


class UnknownMethod(Rule):
    """
    ## What it does
    Flags a `userengage(...)` call (directly, through a wrapper or a constant) whose method
    name is known statically and is not one of the SDK's documented methods:
    `client.update`, `event.<name>`, `product_event` and `widget.<name>`. A bare event name
    (`userengage("download_pdf")`) is told to take the `event.` prefix; a misspelt or
    miscased method (`client.udpate`, `Client.update`, `client_update`) gets a "did you mean".

    ## Why is this bad?
    The SDK ignores a method it does not know, without an error: the event is never recorded,
    the attributes never saved. The documentation warns that `userengage("download_pdf")`
    "silently fails": an event must be sent as `event.download_pdf`.

    ## Example
    ```js
    userengage("download_pdf", { file: "pricing.pdf" });
    userengage("client.udpate", { plan: "pro" });
    ```

    ## Use instead
    ```js
    userengage("event.download_pdf", { file: "pricing.pdf" });
    userengage("client.update", { plan: "pro" });
    ```

    `uelint check --fix` adds the `event.` prefix to a bare event name written as a string at
    the call. That fix changes what is sent (an event, where nothing was), so review it.

    ## Options
    - `extend-methods`: more method names the SDK of your setup accepts (exact names, or
      prefixes ending in `.`), e.g. `["chat.open", "chat."]`.
    """

    code = "UE004"
    name = "unknown-method"
    summary = "The method name of a userengage() call is not one of the SDK's methods."
    level = Level.ERROR
    tags = ("correctness", "events", "userengage")
    help_uri = API_DOCS
    precision = "high"

    def __init__(self) -> None:
        self.methods: tuple[str, ...] = METHODS
        self.prefixes: tuple[str, ...] = PREFIXES

    def configure(self, options: Mapping[str, object]) -> None:
        unknown = set(options) - {"extend-methods"}
        if unknown:
            raise ValueError(f"unknown option(s) {', '.join(sorted(unknown))}; UE004 takes "
                             "extend-methods")
        extra = strings(options, "extend-methods")
        self.methods = (*METHODS, *(m for m in extra if not m.endswith(".")))
        self.prefixes = (*PREFIXES, *(m for m in extra if m.endswith(".")))

    def check(self, call: TrackingCall, file: ParsedFile) -> Iterator[Diagnostic]:
        api = call.api
        if api is None or api in _NOT_DISPATCHED or self.known(api):
            return
        where = call.method_span or call.span
        said = f'userengage("{api}"){via(call)}'
        prefix = next((p for p in self.prefixes if api == p), None)
        if prefix is not None:
            yield self.diagnostic(file, where, f'{said}: `{prefix}` needs a name after it, '
                                               f'e.g. "{prefix}signup".')
            return
        suggestion = self.suggest(api)
        if suggestion is not None:
            yield self.diagnostic(file, where, f'{said} is not a method of the SDK: did you mean '
                                               f'"{suggestion}"? The call does nothing.')
            return
        if "." not in api and api.strip():
            message = (f'{said} sends nothing: a custom event needs the `event.` prefix, '
                       f'"event.{api}".')
            yield self._with_fix(file, where, message, call.method_span, api)
            return
        documented = ", ".join([*self.methods, *(p + "<name>" for p in self.prefixes)])
        yield self.diagnostic(file, where, f"{said} is not a method of the SDK (documented: "
                                           f"{documented}): the call does nothing.")

    def known(self, api: str) -> bool:
        return api in self.methods or any(
            api.startswith(p) and len(api) > len(p) for p in self.prefixes)

    def suggest(self, api: str) -> str | None:
        """The documented method `api` misspells: the same words in another case or with other
        separators (`Client.update`, `client_update`, `Event.Signup`), or a near typo."""
        words = _SEPARATORS.split(api.lower())
        for method in self.methods:
            if _SEPARATORS.split(method) == words or method.replace(".", "") == api.lower():
                return method
        head, *rest = _SEPARATORS.split(api, maxsplit=1)
        for prefix in self.prefixes:
            if rest and rest[0] and head.lower() + "." == prefix:
                return prefix + rest[0]
        import difflib  # only for a mistake: not imported on every start-up

        close = difflib.get_close_matches(api, self.methods, n=1, cutoff=0.8)
        return close[0] if close else None

    def _with_fix(
        self, file: ParsedFile, where: Span, message: str, name: Span | None, api: str
    ) -> Diagnostic:
        diagnostic = self.diagnostic(file, where, message)
        # Only where the literal's bytes are the name itself (not a rebuilt template string).
        if name is None or name.end_byte - name.start_byte != len(api.encode()):
            return diagnostic
        return unsafe_fix(diagnostic, Edit(name.start_byte, name.start_byte, "event."))
