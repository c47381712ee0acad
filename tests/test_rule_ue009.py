"""UE009 logout-without-reset on hand-built IR (see tests/rule_tester.py for the layout)."""

from __future__ import annotations

import pytest

from tests.rule_tester import Error, Invalid, RuleTester, Valid, call, handler, via
from uelint import Level
from uelint.ir import CLIENT_UPDATE, PAGE_HIT, RESET_AUTH, HandlerKind
from uelint.rules.logout_without_reset import LogoutWithoutReset

LOGOUT = handler("handleLogout")
SIGN_OUT = handler("signOut", HandlerKind.METHOD, line=30)


test_ue009 = RuleTester(LogoutWithoutReset, Level.WARNING).run(
    valid=[
        Valid("a logout handler that resets", (
            call("event.logout", None, line=2, handlers=[LOGOUT]),
            call(RESET_AUTH, ["apiKey"], line=3, handlers=[LOGOUT]))),
        Valid("a reset through a wrapper", (
            call("event.logout", None, line=2, handlers=[LOGOUT]),
            call(RESET_AUTH, None, line=3, handlers=[LOGOUT], via=[via("resetTracking")]))),
        Valid("a reset in a callback inside the handler", (
            call(CLIENT_UPDATE, ["signed_in"], line=2, handlers=[LOGOUT]),
            call(RESET_AUTH, None, line=6, handlers=[
                handler(None, HandlerKind.CALLBACK, line=5, callee="api.logout().then"),
                LOGOUT]))),
        Valid("a logout handler that does not talk to User.com",
              call(PAGE_HIT, ["apiKey"], line=2, handlers=[LOGOUT])),
        Valid("look-alike names", (
            call("event.info", None, line=2, handlers=[handler("logInfo")]),
            call("event.checkout", None, line=4, handlers=[handler("checkout", line=3)]),
            call("event.login", None, line=6, handlers=[handler("handleLogin", line=5)]))),
        Valid("a dynamic method name", call(None, None, line=2, handlers=[LOGOUT])),
        Valid("a component named so does more than log out",
              call("event.opened", None, line=2, handlers=[
                  handler("onOpen", HandlerKind.METHOD, line=2),
                  handler("LogoutButton", HandlerKind.CLASS, line=1)])),
        Valid("a logout page that resets", (
            call("event.logout", None, line=2), call(RESET_AUTH, None, line=3)),
            path="src/pages/logout.js"),
        Valid("other words, configured",
              call("event.logout", None, line=2, handlers=[LOGOUT]),
              options={"logout-words": ["abmelden"]}),
    ],
    invalid=[
        Invalid("an event in a logout function",
                call("event.logout", None, line=2, handlers=[LOGOUT]), [Error(
                    at=(2, 1, 2, 30), message='userengage("event.logout") inside '
                    "`handleLogout`, which never calls UE.resetAuth(): the next person on this "
                    "browser is tracked as the user who logged out. Call "
                    "UE.resetAuth({ apiKey }) when the user logs out.")]),
        Invalid("one finding per handler, at its first call", (
            call("event.logout", None, line=2, handlers=[LOGOUT]),
            call(CLIENT_UPDATE, ["signed_in"], line=3, handlers=[LOGOUT])),
            [Error(at=(2, 1, 2, 30), contains='userengage("event.logout") inside')]),
        Invalid("a reset in another handler does not count", (
            call("event.logout", None, line=2, handlers=[LOGOUT]),
            call(RESET_AUTH, None, line=31, handlers=[SIGN_OUT])),
            [Error(at=(2, 1, 2, 30), contains="`handleLogout`")]),
        Invalid("client.update in a sign-out method, through a wrapper",
                call(CLIENT_UPDATE, ["signed_in"], line=31, handlers=[SIGN_OUT],
                     via=[via("Tracker.push")]),
                [Error(at=(31, 1, 33, 3), contains="client.update (via `Tracker.push`) inside "
                                                   "`signOut`")]),
        Invalid("a click listener of a logout button",
                call("event.logout", None, line=2, handlers=[handler(
                    None, HandlerKind.LISTENER, event="click", target="#logout-button")]),
                [Error(at=(2, 1, 2, 30), contains="the click handler of `#logout-button`")]),
        Invalid("a route", call("event.logout", None, line=2, handlers=[
            handler("end_session", route="/logout")]),
                [Error(at=(2, 1, 2, 30), contains="the view of route `/logout`")]),
        Invalid("the continuation of a sign-out request",
                call("event.logout", None, line=2, handlers=[handler(
                    None, HandlerKind.CALLBACK, callee="firebase.auth().signOut().then")]),
                [Error(at=(2, 1, 2, 30), contains="the continuation of a sign-out request")]),
        Invalid("an outer handler names it", call("event.logout", None, line=3, handlers=[
            handler(None, HandlerKind.CALLBACK, line=2, callee="setTimeout"), LOGOUT]),
                [Error(at=(3, 1, 3, 30), contains="inside the callback passed to `setTimeout` "
                                                  "in `handleLogout`")]),
        Invalid("a logout page", call("event.logout", None, line=2),
                [Error(at=(2, 1, 2, 30), contains="in `src/pages/logout.js`, a logout page")],
                path="src/pages/logout.js"),
        Invalid("a configured word", call("event.bye", None, line=2, handlers=[
            handler("abmelden")]), [Error(at=(2, 1, 2, 30), contains="`abmelden`")],
                options={"extend-logout-words": ["abmelden"]}),
    ],
)


def test_ue009_options_are_checked() -> None:
    with pytest.raises(ValueError, match="UE009 takes logout-words, extend-logout-words"):
        LogoutWithoutReset().configure({"words": []})
    with pytest.raises(ValueError, match="`logout-words` must be a list of strings"):
        LogoutWithoutReset().configure({"logout-words": "logout"})
