"""UE006 invalid-attribute-value on hand-built IR (see tests/rule_tester.py for the layout)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.rule_tester import Error, Invalid, Key, RuleTester, Valid, call, via
from uelint import Level, config
from uelint.ir import CIVCHAT, CLIENT_UPDATE, PAGE_HIT, UNKNOWN, Value, ValueKind
from uelint.rules.invalid_attribute_value import InvalidAttributeValue


def s(text: str) -> Value:
    return Value(ValueKind.STRING, text)


def n(number: int | float) -> Value:
    return Value(ValueKind.NUMBER, number)


def b(flag: bool) -> Value:
    return Value(ValueKind.BOOL, flag)


def pick(*values: Value) -> Value:
    kinds = {v.kind for v in values}
    return Value(kinds.pop() if len(kinds) == 1 else ValueKind.UNKNOWN, choices=values)


def at(key: str, line: int = 2) -> tuple[int, int, int, int]:
    return (line, 3, line, 3 + len(key))


test_ue006 = RuleTester(InvalidAttributeValue, Level.ERROR).run(
    valid=[
        Valid("documented codes, numbers or digits",
              call(CLIENT_UPDATE, [Key("gender", n(2)), Key("status", s("1"))])),
        Valid("a pick of documented codes",
              call(CLIENT_UPDATE, [Key("gender", pick(n(2), n(3)))])),
        Valid("unknown values stay silent",
              call(CLIENT_UPDATE, [Key("gender", UNKNOWN), Key("status", pick(UNKNOWN, n(2))),
                                   Key("email", Value(ValueKind.UNKNOWN, source="user.email"))])),
        Valid("booleans, 0 and 1",
              call(CLIENT_UPDATE, [Key("unsubscribed", b(False)), Key("notifications", n(1))])),
        Valid("a score as a number or digits",
              call(PAGE_HIT, [Key("score", n(10)), Key("score", s("4.5"))])),
        Valid("E.164 and a formatted E.164 number",
              call(CLIENT_UPDATE, [Key("phone_number", s("+48123456789")),
                                   Key("phone_number", s("+1 (415) 555-0100"))])),
        Valid("an e-mail address; an empty one clears it",
              call(CLIENT_UPDATE, [Key("email", s("ann@example.com")), Key("email", s(""))])),
        Valid("documented event types",
              call("product_event", [Key("event_type", s("add to cart")),
                                     Key("event_type", s("purchase"))])),
        Valid("event_type outside product_event is a custom attribute",
              call(CLIENT_UPDATE, [Key("event_type", s("signup"))])),
        Valid("event data is free-form",
              call("event.signup", [Key("gender", s("male")), Key("label", s('"x"'))])),
        Valid("a quote inside a value",
              call(CLIENT_UPDATE, [Key("bio", s('She said "hi"')),
                                   Key("name", Value(ValueKind.STRING, shape='"…'))])),
        Valid("no literal payload", call(CLIENT_UPDATE, None)),
    ],
    invalid=[
        Invalid("gender as a word", call(CLIENT_UPDATE, [Key("gender", s("male"))]), [Error(
            at=at("gender"),
            message="`gender` in client.update is 'male': it takes a numeric code "
                    "(1 unknown, 2 male, 3 female).")]),
        Invalid("a ternary that always yields a word",
                call(PAGE_HIT, [Key("gender", pick(s("M"), s("F")))]),
                [Error(at=at("gender"), contains="is 'M'")]),
        Invalid("status from a billing system",
                call(CIVCHAT, [Key("status", s("Active"))], callee="window.civchat"),
                [Error(at=at("status"), contains="(1 visitor, 2 user)")]),
        Invalid("status out of range", call(CLIENT_UPDATE, [Key("status", n(3))]),
                [Error(at=at("status"), contains="is `3`")]),
        Invalid("a boolean as a string",
                call(CLIENT_UPDATE, [Key("unsubscribed", s("yes")),
                                     Key("notifications", s("false"))]),
                [Error(at=at("unsubscribed"), contains="it takes a boolean",
                       level=Level.WARNING),
                 Error(at=at("notifications", 3), contains="'false'", level=Level.WARNING)]),
        Invalid("a score that is no number",
                call(CLIENT_UPDATE, [Key("score", s("high")), Key("score", b(True))]),
                [Error(at=at("score"), contains="it takes a number", level=Level.WARNING),
                 Error(at=at("score", 3), contains="is `true`", level=Level.WARNING)]),
        Invalid("a local phone number",
                call(CLIENT_UPDATE, [Key("phone_number", s("123 456 789"))]),
                [Error(at=at("phone_number"), contains="not a phone number in E.164",
                       level=Level.WARNING)]),
        Invalid("an e-mail without @", call(CLIENT_UPDATE, [Key("email", s("ann.example.com"))]),
                [Error(at=at("email"), contains="no `@`", level=Level.WARNING)]),
        Invalid("an undocumented event type",
                call("product_event", [Key("event_type", s("add_to_cart"))]),
                [Error(at=at("event_type"),
                       contains="`event_type` in product_event is 'add_to_cart', not a "
                                "documented event type")]),
        Invalid("a value built inside quotes",
                call(CLIENT_UPDATE, [Key("name", Value(ValueKind.STRING, shape='"…"'))]),
                [Error(at=at("name"), contains="wrapped in literal quotes (\"…\")",
                       level=Level.WARNING)]),
        Invalid("a literal inside quotes", call(CLIENT_UPDATE, [Key("plan", s("'pro'"))]),
                [Error(at=at("plan"), contains="wrapped in literal quotes", level=Level.WARNING)]),
        Invalid("through a wrapper",
                call(CLIENT_UPDATE, [Key("gender", s("female"))], via=[via("Tracker.push")]),
                [Error(at=at("gender"), contains="in client.update (via `Tracker.push`)")]),
    ],
)

TYPED = {"attributes": {"plan_expires": "date", "trial": "boolean", "seats": "integer",
                        "mrr": "float", "signed_up": "datetime", "plan": "fixed choice"}}

test_ue006_typed = RuleTester(InvalidAttributeValue, Level.WARNING).run(
    valid=[
        Valid("values of the declared types", call(CLIENT_UPDATE, [
            Key("plan_expires", s("2026-12-31")), Key("trial", b(True)), Key("seats", n(3)),
            Key("mrr", s("9.99")), Key("signed_up", s("2026-12-05T08:00:00Z")),
            Key("plan", s("Pro plan")), Key("seats", UNKNOWN)]), options=TYPED),
        Valid("undeclared custom attributes take anything",
              call(CLIENT_UPDATE, [Key("plan_expires", s("soon"))])),
    ],
    invalid=[
        Invalid("values that are not of the declared types", call(CLIENT_UPDATE, [
            Key("plan_expires", s("31.12.2026")), Key("trial", s("yes")),
            Key("seats", n(2.5)), Key("mrr", s("lots")), Key("signed_up", s("yesterday"))]),
            [Error(at=at("plan_expires"),
                   message="`plan_expires` in client.update is '31.12.2026', not a date "
                           "(YYYY-MM-DD): the attribute is declared date in "
                           "[tool.uelint.attributes]."),
             Error(at=at("trial", 3), contains="not a boolean"),
             Error(at=at("seats", 4), contains="is `2.5`, not an integer"),
             Error(at=at("mrr", 5), contains="not a float"),
             Error(at=at("signed_up", 6), contains="not a datetime (ISO 8601)")],
            options=TYPED),
    ],
)


def test_ue006_options_are_checked() -> None:
    with pytest.raises(ValueError, match="UE006 takes attributes"):
        InvalidAttributeValue().configure({"types": {}})
    with pytest.raises(ValueError, match="one of boolean, integer, float, string, date"):
        InvalidAttributeValue().configure({"attributes": {"plan_expires": "day"}})


def test_the_attributes_table_reaches_ue006(tmp_path: Path) -> None:
    path = tmp_path / "pyproject.toml"
    path.write_text('[tool.uelint.attributes]\nplan_expires = "date"\n', "utf-8")
    settings = config.load(path, ["UE006", "UE007"])
    assert settings.options_for("UE006") == {"attributes": {"plan_expires": "date"}}
    assert settings.options_for("UE007") == {}
    assert '[tool.uelint.attributes]\n"plan_expires" = "date"' in settings.as_toml()


def test_a_bad_attributes_table_is_a_config_error(tmp_path: Path) -> None:
    path = tmp_path / "pyproject.toml"
    path.write_text('[tool.uelint.attributes]\nplan_expires = "day"\n', "utf-8")
    with pytest.raises(config.ConfigError, match=(
            r"`tool.uelint.attributes.plan_expires`: unknown type 'day'; the types are "
            r"boolean, integer, float, string, date, datetime, fixed choice, json")):
        config.load(path, ["UE006"])
    path.write_text('[tool.uelint]\nattributes = ["plan"]\n', "utf-8")
    with pytest.raises(config.ConfigError, match="`tool.uelint.attributes`: must be a table"):
        config.load(path, ["UE006"])
