from __future__ import annotations

import re
from collections.abc import Iterator, Mapping

from uelint import Diagnostic, Level, ParsedFile, Rule, TrackingCall
from uelint.diagnostic import Edit
from uelint.ir import Entry, ValueKind
from uelint.rules._docs import API_DOCS, strings, unsafe_fix, via
from uelint.rules.attribute_policy import BY_ATTRIBUTE
from uelint.sdk import CIVCHAT, CLIENT_UPDATE, PAGE_HIT, RESET_AUTH

ATTRIBUTE_PAYLOADS = {CLIENT_UPDATE: "client.update", PAGE_HIT: "UE.pageHit()",
                      RESET_AUTH: "UE.resetAuth()", CIVCHAT: "window.civchat"}
# Keys of the SDK's own configuration, not attributes (userengage-api.md §1).
SDK_KEYS = frozenset({"apiKey", "onLoad", "onOpen", "onClose", "onMessage",
                      "onPayloadReceived", "state"})
# Spellings of standard attributes seen in real code, and the name the SDK stores them under.
DEFAULT_CAMEL_CASE = {
    "firstName": "first_name", "lastName": "last_name", "phoneNumber": "phone_number",
    "userId": "user_id", "fullName": "name", "emailAddress": "email",
    "mobilePhone": "phone_number", "companyName": "company",
}
STANDARD = frozenset({"email", "name", "first_name", "last_name", "phone_number", "gender",
                      "status", "unsubscribed", "notifications", "score", "company", "user_id"})
MAX_LENGTH = 32
_VALID = re.compile(r"^[a-z0-9_]+$")
_WORD = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|[0-9]+")


def standardised(key: str) -> str:
    """The name User.com stores an attribute under: "First name" → "first_name"."""
    return "_".join(w.lower() for w in _WORD.findall(key))


class NonstandardAttributeName(Rule):
    """
    ## What it does
    Flags attribute keys that are not a standardised attribute name (lower snake case,
    1-32 characters) in `client.update`, `UE.pageHit()`, `UE.resetAuth()` and
    `window.civchat` payloads: keys with spaces, capitals or hyphens (`"First name"`,
    `"Plan-Type"`), longer than 32 characters, and camelCase spellings of standard
    attributes (`firstName` → `first_name`, `phoneNumber` → `phone_number`). The message
    gives the standardised name. The SDK's own configuration keys (`apiKey`, `onLoad`, ...)
    and callbacks are not attributes.

    ## Why is this bad?
    User.com stores attributes under a standardised name (`"My Attribute"` becomes
    `my_attribute`): a key written otherwise does not match the standard attribute or the
    custom attribute you defined, so the value lands in a new attribute or nowhere. The
    Google Tag Manager guide says "do not use First Name, use first_name".

    ## Example
    ```js
    UE.pageHit({ apiKey, user_id: user.id, firstName: user.firstName, "Last name": user.lastName });
    ```

    ## Use instead
    ```js
    UE.pageHit({ apiKey, user_id: user.id, first_name: user.firstName, last_name: user.lastName });
    ```

    `uelint check --fix --unsafe-fixes` renames a key written at the call to its
    standardised name (unsafe: it changes which attribute is written).

    ## Options
    - `camel-case`: more spellings of standard attributes and their names, e.g.
      `camel-case = { eMail = "email" }`.
    - `ignore-keys`: keys that are not attributes in your setup (beside `apiKey`, `onLoad`,
      `onOpen`, `onClose`, `onMessage`, `onPayloadReceived`, `state`).
    """  # noqa: E501 - the examples: a payload on one line reads as it is written

    code = "UE007"
    name = "nonstandard-attribute-name"
    summary = "Attribute keys must be standardised names: lower snake case, 1-32 characters."
    level = Level.WARNING
    tags = ("correctness", "attributes", "userengage")
    help_uri = API_DOCS
    precision = "high"

    def __init__(self) -> None:
        self.camel_case = dict(DEFAULT_CAMEL_CASE)
        self.ignored = SDK_KEYS

    def configure(self, options: Mapping[str, object]) -> None:
        unknown = set(options) - {"camel-case", "ignore-keys"}
        if unknown:
            raise ValueError(f"unknown option(s) {', '.join(sorted(unknown))}; UE007 takes "
                             "camel-case, ignore-keys")
        table = options.get("camel-case", {})
        if not isinstance(table, dict) or not all(
            isinstance(v, str) and _VALID.match(v) for v in table.values()
        ):
            raise ValueError("`camel-case` must be a table of key = standardised name "
                             "(lower snake case)")
        self.camel_case = {**DEFAULT_CAMEL_CASE, **table}
        self.ignored = SDK_KEYS | frozenset(strings(options, "ignore-keys"))

    def check(self, call: TrackingCall, file: ParsedFile) -> Iterator[Diagnostic]:
        what = ATTRIBUTE_PAYLOADS.get(call.api or "")
        if what is None or call.payload is None:
            return
        for entry in call.payload.entries:
            key = entry.key
            if (key in self.ignored or key in BY_ATTRIBUTE or entry.value.kind is
                    ValueKind.FUNCTION or _VALID.match(key) and len(key) <= MAX_LENGTH):
                continue
            yield self.finding(file, call, entry, what)

    def finding(
        self, file: ParsedFile, call: TrackingCall, entry: Entry, what: str
    ) -> Diagnostic:
        key = entry.key
        name = self.camel_case.get(key) or standardised(key)
        where = f"`{key}` in {what}{via(call)}"
        if not name:
            return self.diagnostic(file, entry.key_span,
                                   f"{where} is not an attribute name: it has no letters or "
                                   "digits, so it matches no standardised name.")
        if len(name) > MAX_LENGTH:
            return self.diagnostic(
                file, entry.key_span,
                f"{where} is longer than {MAX_LENGTH} characters, the limit of a standardised "
                "attribute name: the attribute is not stored under it. Use a shorter name.")
        kind = (f"a nonstandard spelling of the standard attribute `{name}`" if name in STANDARD
                else "not a standardised attribute name (lower snake case)")
        diagnostic = self.diagnostic(
            file, entry.key_span,
            f"{where} is {kind}: User.com stores attributes as `{name}`, so this key does not "
            f"match it. Write `{name}`.")
        edit = _rename(entry, name)
        return unsafe_fix(diagnostic, edit) if edit is not None else diagnostic


def _rename(entry: Entry, name: str) -> Edit | None:
    """The edit that writes `name` for the key, where the key's bytes are its text (quoted
    or not); None where they are not (a constant, an escape, a template)."""
    span, size = entry.key_span, len(entry.key.encode())
    length = span.end_byte - span.start_byte
    if entry.origin == "shorthand" and length == size:
        return Edit(span.start_byte, span.start_byte, f"{name}: ")
    if entry.origin in ("literal", "kwarg", "assignment") and length == size:
        return Edit(span.start_byte, span.end_byte, name)
    if entry.origin == "quoted" and length == size + 2:  # no prefix, no escape
        return Edit(span.start_byte + 1, span.end_byte - 1, name)
    return None
