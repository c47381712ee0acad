from __future__ import annotations

import re
from collections.abc import Iterator, Mapping

from uelint import Diagnostic, Level, ParsedFile, Rule, TrackingCall
from uelint.config import ATTRIBUTE_TYPES
from uelint.ir import Entry, Value, ValueKind
from uelint.rules._docs import API_DOCS, via
from uelint.rules.nonstandard_attribute_name import ATTRIBUTE_PAYLOADS

PRODUCT_EVENT = "product_event"
# Documented enumerations (userengage-api.md §1-2): a value outside them is an error.
ENUMS: dict[str, tuple[str, ...]] = {
    "gender": ("1", "2", "3"),  # 1 unknown, 2 male, 3 female
    "status": ("1", "2"),  # 1 visitor, 2 user
}
EVENT_TYPES = ("view", "detail", "add to cart", "checkout", "checkout option", "order",
               "purchase", "click", "promo click", "add", "remove", "add to observation",
               "liking", "reservation", "return", "refund")
BOOLEANS = frozenset({"unsubscribed", "notifications"})
_E164 = re.compile(r"^\+[1-9][0-9]{1,14}$")
_NUMBER = re.compile(r"^\s*-?[0-9]+(?:\.[0-9]+)?\s*$")
_INTEGER = re.compile(r"^\s*-?[0-9]+\s*$")
_DATE = re.compile(r"^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$")
_DATETIME = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}([T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?"
                       r"(Z|[+-][0-9]{2}:?[0-9]{2})?)?$")
_QUOTED = re.compile(r"""^(["']).*\1$""", re.S)


class InvalidAttributeValue(Rule):
    """
    ## What it does
    Flags values of standard attributes that cannot be right, where the file shows the value
    (a literal, a constant, each side of a ternary or of `||` / `??`); a value the file does
    not show is never guessed:

    - `gender` not 1, 2 or 3 (`'male'`, `'M'`), `status` not 1 or 2 (`'Active'`), and
      `product_event`'s `event_type` not a documented type: errors;
    - `unsubscribed` / `notifications` not a boolean, `score` not a number, a literal
      `phone_number` not in E.164 (`+48123456789`), a literal `email` without `@`, and any
      value wrapped in literal quotes (`'"' + name + '"'`): warnings.

    ## Why is this bad?
    User.com stores these attributes with a type: `gender` and `status` are numeric codes,
    `event_type` is one of a fixed list. A value of another shape is rejected or stored as
    something else, with no error in the page; quotes written into a string are sent as
    part of the value.

    ## Example
    ```js
    userengage("client.update", { gender: "male", status: "Active", name: '"' + name + '"' });
    ```

    ## Use instead
    ```js
    userengage("client.update", { gender: 2, status: 2, name });
    ```

    ## Options
    Typed custom attributes are checked the same way (warnings), declared in the
    configuration's `[tool.uelint.attributes]` table, e.g. `plan_expires = "date"`; the
    types are those of User.com: `boolean`, `integer`, `float`, `string`, `date`
    (`YYYY-MM-DD`), `datetime` (ISO 8601), `fixed choice`, `json` (the last three and
    `string` take any literal).
    """  # noqa: E501 - the examples: a payload on one line reads as it is written

    code = "UE006"
    name = "invalid-attribute-value"
    summary = "Standard attributes take values of their documented type."
    level = Level.ERROR
    tags = ("correctness", "attributes", "userengage")
    help_uri = API_DOCS
    precision = "high"

    def __init__(self) -> None:
        self.custom: dict[str, str] = {}

    def configure(self, options: Mapping[str, object]) -> None:
        unknown = set(options) - {"attributes"}
        if unknown:
            raise ValueError(f"unknown option(s) {', '.join(sorted(unknown))}; UE006 takes "
                             "attributes (or [tool.uelint.attributes])")
        table = options.get("attributes", {})
        if not isinstance(table, dict) or not all(v in ATTRIBUTE_TYPES for v in table.values()):
            raise ValueError("`attributes` must be a table of custom attribute = type, one of "
                             + ", ".join(ATTRIBUTE_TYPES))
        self.custom = {k: v for k, v in table.items() if isinstance(v, str)}

    def check(self, call: TrackingCall, file: ParsedFile) -> Iterator[Diagnostic]:
        if call.payload is None:
            return
        if call.api == PRODUCT_EVENT:
            what = "product_event"
        else:
            what = ATTRIBUTE_PAYLOADS.get(call.api or "", "")
            if not what:
                return
        for entry in call.payload.entries:
            found = self.problem(entry, call.api == PRODUCT_EVENT)
            if found is not None:
                why, level = found
                yield self.diagnostic(file, entry.key_span,
                                      f"`{entry.key}` in {what}{via(call)} {why}", level)

    def problem(self, entry: Entry, product: bool) -> tuple[str, Level] | None:
        """Why the entry's value cannot be right, and how bad that is; None when it may be."""
        declared = None if product else self.custom.get(entry.key)
        for value in entry.value.alternatives():
            found = (_typed(declared, value) if declared is not None else None) or _problem(
                entry.key, value, product)
            if found is not None:
                return found
        return None


def _problem(key: str, value: Value, product: bool) -> tuple[str, Level] | None:
    text = _text(value)
    if product:
        if key == "event_type" and value.kind is ValueKind.STRING and text is not None and (
                text not in EVENT_TYPES):
            return (f"is {text!r}, not a documented event type ({', '.join(EVENT_TYPES)}).",
                    Level.ERROR)
        return None
    if key in ENUMS and text is not None and value.kind in (ValueKind.STRING, ValueKind.NUMBER,
                                                           ValueKind.BOOL):
        if value.kind is ValueKind.BOOL or text not in ENUMS[key]:
            codes = "1 unknown, 2 male, 3 female" if key == "gender" else "1 visitor, 2 user"
            return f"is {_show(value)}: it takes a numeric code ({codes}).", Level.ERROR
    if key in BOOLEANS and value.kind in (ValueKind.STRING, ValueKind.NUMBER) and (
            text is not None and text not in ("0", "1")):
        return f"is {_show(value)}: it takes a boolean (true or false).", Level.WARNING
    if key == "score" and (value.kind is ValueKind.BOOL or value.kind is ValueKind.STRING and (
            text is not None and not _NUMBER.match(text))):
        return f"is {_show(value)}: it takes a number.", Level.WARNING
    if key == "phone_number" and value.kind is ValueKind.STRING and text and not _E164.match(
            re.sub(r"[\s().-]", "", text)):
        return (f"is {_show(value)}, not a phone number in E.164 (`+48123456789`).",
                Level.WARNING)
    if key == "email" and value.kind is ValueKind.STRING and text and "@" not in text:
        return f"is {_show(value)}, not an e-mail address (no `@`).", Level.WARNING
    written = text if value.kind is ValueKind.STRING and text is not None else value.shape
    if written is not None and len(written) > 2 and _QUOTED.match(written):
        return (f"is wrapped in literal quotes ({written}): the quotes are sent as part of "
                "the value.", Level.WARNING)
    return None


def _typed(kind: str, value: Value) -> tuple[str, Level] | None:
    """Why a value cannot be of a custom attribute's declared type; None when it may be."""
    text = _text(value)
    if text is None or value.kind not in (ValueKind.STRING, ValueKind.NUMBER, ValueKind.BOOL):
        return None
    boolean = value.kind is ValueKind.BOOL
    wrong = {
        "boolean": not boolean and text not in ("0", "1"),
        "integer": boolean or not _INTEGER.match(text),
        "float": boolean or not _NUMBER.match(text),
        "date": value.kind is not ValueKind.STRING or not _DATE.match(text),
        "datetime": value.kind is not ValueKind.STRING or not _DATETIME.match(text),
    }.get(kind, False)
    if not wrong:
        return None
    form = {"date": " (YYYY-MM-DD)", "datetime": " (ISO 8601)"}.get(kind, "")
    article = "an" if kind == "integer" else "a"
    return (f"is {_show(value)}, not {article} {kind}{form}: the attribute is declared {kind} in "
            "[tool.uelint.attributes].", Level.WARNING)


def _text(value: Value) -> str | None:
    """The literal as the API would read it: `2` and `"2"` alike; None when not a literal."""
    literal = value.literal
    if isinstance(literal, bool):
        return str(literal).lower()
    if isinstance(literal, float) and literal.is_integer():
        return str(int(literal))
    return None if literal is None else str(literal).strip()


def _show(value: Value) -> str:
    return repr(value.literal) if value.kind is ValueKind.STRING else f"`{_text(value)}`"
