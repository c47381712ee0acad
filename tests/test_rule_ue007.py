"""UE007 nonstandard-attribute-name on hand-built IR (see tests/rule_tester.py for the layout)."""

from __future__ import annotations

import pytest

from tests.rule_tester import Error, Invalid, Key, RuleTester, Valid, call, via
from uelint import Level, ParsedFile
from uelint.diagnostic import Edit
from uelint.ir import CIVCHAT, CLIENT_UPDATE, PAGE_HIT, RESET_AUTH, Value, ValueKind
from uelint.rules.nonstandard_attribute_name import NonstandardAttributeName, standardised


def at(key: str, line: int = 2) -> tuple[int, int, int, int]:
    return (line, 3, line, 3 + len(key))


LONG = "favourite_product_category_of_the_customer"

test_ue007 = RuleTester(NonstandardAttributeName, Level.WARNING).run(
    valid=[
        Valid("standardised names", call(CLIENT_UPDATE, ["first_name", "plan", "score2", "a"])),
        Valid("32 characters", call(CLIENT_UPDATE, ["a" * 32])),
        Valid("the SDK's configuration keys",
              call(CIVCHAT, ["apiKey", "onLoad", "onOpen", "onClose", "onMessage",
                             "onPayloadReceived", "state"], callee="window.civchat")),
        Valid("a callback is no attribute",
              call(PAGE_HIT, [Key("onReady", Value(ValueKind.FUNCTION))])),
        Valid("event data is free-form", call("event.Sign Up", ["Plan Type", "planType"])),
        Valid("UE003's attributes are UE003's", call(CLIENT_UPDATE, ["userKey"])),
        Valid("an ignored key", call(PAGE_HIT, ["widgetTheme"]),
              options={"ignore-keys": ["widgetTheme"]}),
        Valid("a payload that is not a literal", call(CLIENT_UPDATE, None)),
    ],
    invalid=[
        Invalid("a label as a key", call(CLIENT_UPDATE, ["First name"]), [Error(
            at=at("First name"),
            message="`First name` in client.update is a nonstandard spelling of the standard "
                    "attribute `first_name`: User.com stores attributes as `first_name`, so "
                    "this key does not match it. Write `first_name`.")]),
        Invalid("camelCase of a standard attribute in UE.pageHit",
                call(PAGE_HIT, ["apiKey", "phoneNumber"]),
                [Error(at=at("phoneNumber", 3), contains="`phone_number`")]),
        Invalid("a custom attribute with a hyphen", call(RESET_AUTH, ["plan-type"]),
                [Error(at=at("plan-type"), contains=(
                    "is not a standardised attribute name (lower snake case): User.com "
                    "stores attributes as `plan_type`"))]),
        Invalid("too long", call(CIVCHAT, [LONG], callee="window.civchat"),
                [Error(at=at(LONG), contains="is longer than 32 characters")]),
        Invalid("the camelCase map", call(CLIENT_UPDATE, ["fullName", "eMail"]),
                [Error(at=at("fullName"), contains="standard attribute `name`"),
                 Error(at=at("eMail", 3), contains="standard attribute `email`")],
                options={"camel-case": {"eMail": "email"}}),
        Invalid("no letters at all", call(CLIENT_UPDATE, ["--"]),
                [Error(at=at("--"), contains="it has no letters or digits")]),
        Invalid("through a wrapper", call(CLIENT_UPDATE, ["Last name"],
                                          via=[via("UserComDriver.push")]),
                [Error(at=at("Last name"),
                       contains="`Last name` in client.update (via `UserComDriver.push`)")]),
    ],
)


def test_standardised() -> None:
    assert standardised("My Attribute") == "my_attribute"
    assert standardised("firstName") == "first_name"
    assert standardised("HTMLColor") == "html_color"
    assert standardised("plan-type 2") == "plan_type_2"


def fix(key: Key, width: int) -> list[Edit]:
    """The unsafe fix for a key whose written form is `width` bytes long."""
    found = call(CLIENT_UPDATE, [key])
    assert found.payload is not None
    entry = found.payload.entries[0]
    span = entry.key_span
    written = span.__class__(span.start_line, span.start_col, span.end_line,
                             span.start_col + width, span.start_byte, span.start_byte + width)
    found = found.__class__(found.api, found.span, found.callee, found.payload.__class__(
        (entry.__class__(entry.key, written, entry.value, entry.origin),), found.payload.span,
        True))
    [diagnostic] = NonstandardAttributeName().check(found, ParsedFile("a.js", "js", (found,)))
    assert diagnostic.unsafe_fix or not diagnostic.fix
    return list(diagnostic.fix)


def test_the_fix_renames_the_key_as_written() -> None:
    start = call(CLIENT_UPDATE, ["x"]).payload.entries[0].key_span.start_byte  # type: ignore[union-attr]
    assert fix(Key("firstName"), 9) == [Edit(start, start + 9, "first_name")]
    assert fix(Key("First name", origin="quoted"), 12) == [Edit(start + 1, start + 11,
                                                                "first_name")]
    assert fix(Key("firstName", origin="shorthand"), 9) == [Edit(start, start, "first_name: ")]
    # A key from a constant, or a quoted key with escapes, is not rewritten.
    assert fix(Key("firstName", origin="computed"), 9) == []
    assert fix(Key("First name", origin="quoted"), 16) == []


def test_ue007_options_are_checked() -> None:
    with pytest.raises(ValueError, match="UE007 takes camel-case, ignore-keys"):
        NonstandardAttributeName().configure({"map": {}})
    with pytest.raises(ValueError, match="`camel-case` must be a table"):
        NonstandardAttributeName().configure({"camel-case": {"eMail": "E-mail"}})
