from __future__ import annotations

import re
from collections.abc import Iterator, Mapping

from uelint import Diagnostic, Level, ParsedFile, Rule, TrackingCall
from uelint.ir import Value, ValueKind
from uelint.rules._docs import API_DOCS, strings, via
from uelint.sdk import CIVCHAT, PAGE_HIT, RESET_AUTH

KEYED = {CIVCHAT: "window.civchat", PAGE_HIT: "UE.pageHit()", RESET_AUTH: "UE.resetAuth()"}
DEFAULT_PLACEHOLDERS = ("api_key", "apikey", "api-key", "api key", "todo", "changeme",
                        "your_key", "insert_key", "app_key")
_WORD = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|[0-9]+")
_FILLER = re.compile(r"^(?:[xX*.#?_-]{3,}|<[^<>%?]*>|\[[^\[\]]*\])$")
# Words that only an instruction to the developer has: "YOUR_API_KEY", "put_..._here".
_INSTRUCTIONS = ({"your"}, {"here"}, {"placeholder"}, {"replace"}, {"insert"}, {"change", "me"})


class MissingApiKey(Rule):
    """
    ## What it does
    Flags `window.civchat = {...}`, `UE.pageHit({...})` and `UE.resetAuth({...})` whose
    payload is fully visible and has no `apiKey`, or whose `apiKey` is empty or a
    placeholder left from an install snippet: `'YOUR_API_KEY'`, `'xxx'`, `'<api key>'`,
    or an identifier named as an instruction, such as `put_api_key_of_your_app_here`.

    A key read from a variable, a configuration value or a template tag is fine, and so is
    a payload built from parts the file does not show (a spread, a variable).

    ## Why is this bad?
    The SDK finds the application by its `apiKey`: without a real one, the widget does not
    load, the page hit is not counted and the user is not identified, with no error in the
    page. Install snippets ship with a placeholder that is easy to leave in.

    ## Example
    ```js
    window.civchat = { apiKey: "YOUR_API_KEY", user_id: user.id };
    UE.pageHit({ url: location.href });
    ```

    ## Use instead
    ```js
    window.civchat = { apiKey: config.userComApiKey, user_id: user.id };
    UE.pageHit({ apiKey: config.userComApiKey, url: location.href });
    ```

    ## Options
    - `placeholders`: more values that mean "no key yet" (compared without case), e.g.
      `["dev-key"]`.
    """

    code = "UE005"
    name = "missing-api-key"
    summary = "window.civchat, UE.pageHit() and UE.resetAuth() need the application's apiKey."
    level = Level.ERROR
    tags = ("correctness", "configuration", "userengage")
    help_uri = API_DOCS
    precision = "high"

    def __init__(self) -> None:
        self.placeholders = frozenset(DEFAULT_PLACEHOLDERS)

    def configure(self, options: Mapping[str, object]) -> None:
        unknown = set(options) - {"placeholders"}
        if unknown:
            raise ValueError(f"unknown option(s) {', '.join(sorted(unknown))}; UE005 takes "
                             "placeholders")
        extra = strings(options, "placeholders")
        self.placeholders = frozenset({*DEFAULT_PLACEHOLDERS, *(p.lower() for p in extra)})

    def check(self, call: TrackingCall, file: ParsedFile) -> Iterator[Diagnostic]:
        what = KEYED.get(call.api or "")
        payload = call.payload
        if what is None or payload is None:
            return
        keys = [e for e in payload.entries if e.key == "apiKey"]
        if not keys:
            if payload.complete:
                yield self.diagnostic(
                    file, call.span,
                    f"{what}{via(call)} has no `apiKey`: without the application's key the "
                    "SDK does nothing. Add `apiKey` with your application's key.")
            return
        for entry in keys:
            bad = next((why for v in entry.value.alternatives()
                        if (why := self.placeholder(v)) is not None), None)
            if bad is not None:
                yield self.diagnostic(
                    file, entry.key_span,
                    f"`apiKey` of {what}{via(call)} is {bad}: the SDK does nothing without "
                    "the application's real key.")

    def placeholder(self, value: Value) -> str | None:
        """Why the value is no key ("empty", "the placeholder 'YOUR_API_KEY'"), or None."""
        if value.kind is ValueKind.NULL:
            return "null"
        if value.kind is ValueKind.STRING and isinstance(value.literal, str):
            text = value.literal.strip()
            if not text:
                return "empty"
            return f"the placeholder {text!r}" if self._looks_placeholder(text) else None
        name = value.source
        if value.kind is ValueKind.UNKNOWN and name and name.isidentifier() and (
            self._instruction(name)
        ):
            return f"`{name}`, a placeholder name"
        return None

    def _looks_placeholder(self, text: str) -> bool:
        return (text.lower() in self.placeholders or bool(_FILLER.match(text))
                or self._instruction(text))

    @staticmethod
    def _instruction(text: str) -> bool:
        words = {w.lower() for w in _WORD.findall(text)}
        return any(needed <= words for needed in _INSTRUCTIONS) and bool(
            words & {"key", "api", "apikey", "app", "token", "id"})
