"""UE004 unknown-method on hand-built IR (see tests/rule_tester.py for the layout)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from tests.rule_tester import Error, Invalid, RuleTester, Valid, call, span, via
from uelint import Level, ParsedFile
from uelint.diagnostic import Edit
from uelint.ir import CIVCHAT, CLIENT_UPDATE, PAGE_HIT, RESET_AUTH, TrackingCall
from uelint.rules.unknown_method import UnknownMethod


def named(api: str, *, written: bool = True) -> TrackingCall:
    """`userengage("<api>", {...})` on line 1, the name's literal from column 13 (when
    `written`: else the name comes from a constant, and the call is where it is reported)."""
    found = call(api, ["plan"])
    return replace(found, method_span=span(1, 13, 1, 13 + len(api))) if written else found


def at_name(api: str) -> tuple[int, int, int, int]:
    return (1, 13, 1, 13 + len(api))


test_ue004 = RuleTester(UnknownMethod, Level.ERROR).run(
    valid=[
        Valid("client.update", named(CLIENT_UPDATE)),
        Valid("an event", named("event.download_pdf")),
        Valid("an event name with spaces", named("event.Sign up")),
        Valid("a product event", named("product_event")),
        Valid("widget control", named("widget.open")),
        Valid("UE.pageHit, UE.resetAuth and civchat are not dispatched by name", (
            call(PAGE_HIT, ["apiKey"]), call(RESET_AUTH, ["apiKey"], line=5),
            call(CIVCHAT, ["apiKey"], line=9))),
        Valid("a method name that is not static", call(None, ["plan"])),
        Valid("a method the project's setup adds", named("chat.open"),
              options={"extend-methods": ["chat.open"]}),
        Valid("a prefix the project's setup adds", named("chat.open"),
              options={"extend-methods": ["chat."]}),
    ],
    invalid=[
        Invalid("a bare event name", named("download_pdf"), [Error(
            at=at_name("download_pdf"),
            message='userengage("download_pdf") sends nothing: a custom event needs the '
                    '`event.` prefix, "event.download_pdf".')]),
        Invalid("a bare name from a constant: reported at the call", named("purchase",
                                                                           written=False),
                [Error(at=(1, 1, 3, 3), contains='"event.purchase"')]),
        Invalid("a typo", named("client.udpate"),
                [Error(at=at_name("client.udpate"), message=(
                    'userengage("client.udpate") is not a method of the SDK: did you mean '
                    '"client.update"? The call does nothing.'))]),
        Invalid("wrong case", named("Client.update"),
                [Error(at=at_name("Client.update"), contains='did you mean "client.update"?')]),
        Invalid("an underscore for the dot", named("client_update"),
                [Error(at=at_name("client_update"), contains='did you mean "client.update"?')]),
        Invalid("camelCase", named("productEvent"),
                [Error(at=at_name("productEvent"), contains='did you mean "product_event"?')]),
        Invalid("a capitalised prefix keeps its name", named("Event.Signup"),
                [Error(at=at_name("Event.Signup"), contains='did you mean "event.Signup"?')]),
        Invalid("a prefix joined by an underscore", named("widget_open"),
                [Error(at=at_name("widget_open"), contains='did you mean "widget.open"?')]),
        Invalid("event. with no name", named("event."),
                [Error(at=at_name("event."), message=(
                    'userengage("event."): `event.` needs a name after it, e.g. '
                    '"event.signup".'))]),
        Invalid("an unknown dotted method", named("user.update"),
                [Error(at=at_name("user.update"), contains=(
                    "is not a method of the SDK (documented: client.update, product_event, "
                    "event.<name>, widget.<name>)"))]),
        Invalid("through a wrapper: the message names it",
                replace(named("signup"), via=(via("Tracking.push"),)),
                [Error(at=at_name("signup"),
                       contains='userengage("signup") (via `Tracking.push`) sends nothing')]),
        Invalid("an added method does not hide typos of the documented ones",
                named("client.updat"), [Error(at=at_name("client.updat"))],
                options={"extend-methods": ["chat.open"]}),
    ],
)


def check(found: TrackingCall) -> list[Edit]:
    diagnostics = list(UnknownMethod().check(found, ParsedFile("a.js", "javascript", (found,))))
    assert len(diagnostics) == 1
    return [*diagnostics[0].fix] if diagnostics[0].unsafe_fix else []


def test_a_bare_name_written_at_the_call_is_fixed_unsafely_with_the_prefix() -> None:
    name = span(1, 13, 1, 25)
    assert check(named("download_pdf")) == [Edit(name.start_byte, name.start_byte, "event.")]


def test_no_fix_without_the_literal_or_for_a_typo() -> None:
    assert check(named("download_pdf", written=False)) == []
    assert check(named("client.udpate")) == []
    # A literal whose bytes are not the name (a rebuilt template string) is not edited.
    assert check(replace(named("signup"), method_span=span(1, 13, 1, 15))) == []


def test_ue004_options_are_checked() -> None:
    with pytest.raises(ValueError, match="UE004 takes extend-methods"):
        UnknownMethod().configure({"methods": []})
    with pytest.raises(ValueError, match="`extend-methods` must be a list of strings"):
        UnknownMethod().configure({"extend-methods": "chat.open"})
