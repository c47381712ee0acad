"""UE008 unstable-user-id on hand-built IR (see tests/rule_tester.py for the layout)."""

from __future__ import annotations

import pytest

from tests.rule_tester import Error, Invalid, Key, RuleTester, Valid, call, via
from uelint import Level
from uelint.ir import CIVCHAT, CLIENT_UPDATE, PAGE_HIT, RESET_AUTH, Value, ValueKind
from uelint.rules.unstable_user_id import UnstableUserId, email_source


def uid(kind: ValueKind = ValueKind.UNKNOWN, source: str | None = None,
        literal: str | None = None) -> Key:
    return Key("user_id", Value(kind, literal, source=source))


def volatile(source: str | None = "Date.now()") -> Key:
    return uid(ValueKind.VOLATILE, source)


def read(source: str) -> Key:
    return uid(source=source)


ID_AT = (2, 3, 2, 10)  # `user_id`, the first key

test_ue008 = RuleTester(UnstableUserId, Level.ERROR).run(
    valid=[
        Valid("a stable id", call(PAGE_HIT, [read("user.id"), "email"])),
        Valid("an id from a template", call(CIVCHAT, [uid(ValueKind.STRING, "{{ user.pk }}")])),
        Valid("a literal id", call(PAGE_HIT, [uid(ValueKind.STRING, literal="42")])),
        Valid("a volatile value under another key",
              call(PAGE_HIT, [read("user.id"), Key("visited_at", Value(ValueKind.VOLATILE))])),
        Valid("client.update and events carry no identity", (
            call(CLIENT_UPDATE, [volatile()]), call("event.signup", [volatile()], line=5))),
        Valid("UE.resetAuth starts a new visitor anyway", call(RESET_AUTH, [volatile()])),
        Valid("a payload the file does not show", call(PAGE_HIT, None)),
        Valid("a hashed address", call(PAGE_HIT, [read("md5(user.email)")])),
        Valid("a field next to the address", call(PAGE_HIT, [read("user.emailVerified")])),
        Valid("a literal address is no read", call(PAGE_HIT, [uid(ValueKind.STRING,
                                                                   literal="user.email")])),
        Valid("the e-mail part off", call(PAGE_HIT, [read("user.email")]),
              options={"email": "off"}),
    ],
    invalid=[
        Invalid("a time", call(PAGE_HIT, [volatile()]), [Error(
            at=ID_AT, message="`user_id` of UE.pageHit() differs on every call (`Date.now()`): "
            "each call creates a new profile and switches a logged-in visitor away from "
            "theirs. Use the user's id from your database, or leave `user_id` out for "
            "anonymous visitors.")]),
        Invalid("a random value in civchat", call(CIVCHAT, ["apiKey", volatile("uuid()")]),
                [Error(at=(3, 3, 3, 10), contains="window.civchat differs on every call "
                                                  "(`uuid()`)")]),
        Invalid("without a source", call(PAGE_HIT, [volatile(None)]),
                [Error(at=ID_AT, contains="differs on every call: each call")]),
        Invalid("through a wrapper", call(PAGE_HIT, [volatile()], via=[via("identify")]),
                [Error(at=ID_AT, contains="UE.pageHit() (via `identify`) differs")]),
        Invalid("an e-mail field", call(CIVCHAT, [read("customer.email")]), [Error(
            at=ID_AT, level=Level.WARNING,
            message="`user_id` of window.civchat is an e-mail address (`customer.email`): the "
            "id changes when the address does, and personal data becomes the primary key. "
            "Use the user's id from your database and send the address as `email`.")]),
        Invalid("a template variable", call(CIVCHAT, [uid(ValueKind.STRING,
                                                          "{{ customer.email }}")]),
                [Error(at=ID_AT, level=Level.WARNING, contains="(`{{ customer.email }}`)")]),
        Invalid("one side of a pick", call(PAGE_HIT, [Key("user_id", Value(
            ValueKind.UNKNOWN, choices=(Value(ValueKind.UNKNOWN, source="user.id"),
                                        Value(ValueKind.UNKNOWN, source="form.email.value"))))]),
                [Error(at=ID_AT, level=Level.WARNING, contains="(`form.email.value`)")]),
        Invalid("the e-mail part as an error", call(PAGE_HIT, [read("userEmail")]),
                [Error(at=ID_AT, level=Level.ERROR, contains="e-mail address")],
                options={"email": "error"}),
        Invalid("the e-mail part off keeps the volatile part", call(PAGE_HIT, [volatile()]),
                [Error(at=ID_AT, contains="differs on every call")], options={"email": "off"}),
    ],
)


@pytest.mark.parametrize("source", [
    "email", "user.email", "userEmail", "customer_email", "$user->user_email",
    'form["email"]', "form.email.value.trim()", "user.email.toLowerCase()",
    "$('#email').val()", "{{ customer.email }}", "{{ user.email|tojson }}",
    "<?= esc_js($current_user->user_email) ?>", "user.getEmail()", "emailAddress", "eMail",
])
def test_email_sources(source: str) -> None:
    assert email_source(Value(ValueKind.UNKNOWN, source=source))


@pytest.mark.parametrize("source", [
    "user.id", "md5(user.email)", "sha256(email)", "hashEmail(user.email)", "user.emailVerified",
    "email_hash", "user.mailbox", "gmail", "emails.length", "sendEmail(user)",
    "{{ user.pk }}", "user.email_id",
])
def test_not_email_sources(source: str) -> None:
    assert not email_source(Value(ValueKind.UNKNOWN, source=source))


def test_ue008_options_are_checked() -> None:
    with pytest.raises(ValueError, match="UE008 takes email"):
        UnstableUserId().configure({"emails": "off"})
    with pytest.raises(ValueError, match="`email` must be one of error, warning, note, off"):
        UnstableUserId().configure({"email": False})
