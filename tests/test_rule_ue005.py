"""UE005 missing-api-key on hand-built IR (see tests/rule_tester.py for the layout)."""

from __future__ import annotations

import pytest

from tests.rule_tester import Error, Invalid, Key, RuleTester, Valid, call, via
from uelint import Level
from uelint.ir import CIVCHAT, CLIENT_UPDATE, PAGE_HIT, RESET_AUTH, Value, ValueKind
from uelint.rules.missing_api_key import MissingApiKey


def key(literal: str | None = None, *, source: str | None = None,
        kind: ValueKind = ValueKind.STRING) -> Key:
    return Key("apiKey", Value(kind, literal, source=source))


def either(*literals: str) -> Key:
    return Key("apiKey", Value(ValueKind.STRING, choices=tuple(
        Value(ValueKind.STRING, lit) for lit in literals)))


KEY_AT = (2, 3, 2, 9)  # `apiKey`, the first key

test_ue005 = RuleTester(MissingApiKey, Level.ERROR).run(
    valid=[
        Valid("a literal key", call(PAGE_HIT, [key("a1b2c3"), "user_id"])),
        Valid("a key from a variable",
              call(CIVCHAT, [key(source="config.apiKey", kind=ValueKind.UNKNOWN)],
                   callee="window.civchat")),
        Valid("a key from a template tag", call(PAGE_HIT, [key(None)])),
        Valid("an incomplete payload may carry the key", call(PAGE_HIT, ["url"], complete=False)),
        Valid("a payload the file does not show", call(RESET_AUTH, None)),
        Valid("client.update and events need no key", (
            call(CLIENT_UPDATE, ["plan"]), call("event.signup", ["plan"], line=5))),
        Valid("an ordinary identifier", call(PAGE_HIT, [key(source="apiKey",
                                                             kind=ValueKind.UNKNOWN)])),
        Valid("a fixture key is not a default placeholder", call(PAGE_HIT, [key("KEY")])),
    ],
    invalid=[
        Invalid("UE.pageHit without apiKey", call(PAGE_HIT, ["url"]), [Error(
            at=(1, 1, 3, 3), message="UE.pageHit() has no `apiKey`: without the application's "
            "key the SDK does nothing. Add `apiKey` with your application's key.")]),
        Invalid("window.civchat without apiKey",
                call(CIVCHAT, ["user_id", "email"], callee="window.civchat"),
                [Error(at=(1, 1, 4, 3), contains="window.civchat has no `apiKey`")]),
        Invalid("UE.resetAuth with an empty key", call(RESET_AUTH, [key("  ")]),
                [Error(at=KEY_AT, message="`apiKey` of UE.resetAuth() is empty: the SDK does "
                                          "nothing without the application's real key.")]),
        Invalid("the install snippet's placeholder", call(CIVCHAT, [key("YOUR_API_KEY")]),
                [Error(at=KEY_AT, contains="is the placeholder 'YOUR_API_KEY'")]),
        Invalid("filler", call(PAGE_HIT, [key("xxxx")]),
                [Error(at=KEY_AT, contains="placeholder 'xxxx'")]),
        Invalid("angle brackets", call(PAGE_HIT, [key("<api key>")]),
                [Error(at=KEY_AT, contains="placeholder '<api key>'")]),
        Invalid("an instruction as an identifier",
                call(CIVCHAT, [key(source="put_api_key_of_your_app_here",
                                   kind=ValueKind.UNKNOWN)]),
                [Error(at=KEY_AT, contains="`put_api_key_of_your_app_here`, a placeholder")]),
        Invalid("null", call(PAGE_HIT, [Key("apiKey", Value(ValueKind.NULL))]),
                [Error(at=KEY_AT, contains="is null")]),
        Invalid("one branch of a ternary", call(PAGE_HIT, [either("a1b2c3", "YOUR_API_KEY")]),
                [Error(at=KEY_AT, contains="'YOUR_API_KEY'")]),
        Invalid("a configured placeholder", call(PAGE_HIT, [key("dev-key")]),
                [Error(at=KEY_AT, contains="'dev-key'")], options={"placeholders": ["DEV-KEY"]}),
        Invalid("through a wrapper", call(PAGE_HIT, ["user_id"], via=[via("identify")]),
                [Error(at=(1, 1, 3, 3), contains="UE.pageHit() (via `identify`) has no")]),
    ],
)


def test_ue005_options_are_checked() -> None:
    with pytest.raises(ValueError, match="UE005 takes placeholders"):
        MissingApiKey().configure({"keys": []})
    with pytest.raises(ValueError, match="`placeholders` must be a list of strings"):
        MissingApiKey().configure({"placeholders": "x"})
