"""UE002 update-in-auth-handler on hand-built IR (see tests/rule_tester.py for the layout).

Every client.update here is `update(...)`: one key, so the call spans lines L to L + 2.
"""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from tests.rule_tester import Error, Invalid, RuleTester, Valid, call, handler, via
from uelint import Level
from uelint.ir import CLIENT_UPDATE, PAGE_HIT, RESET_AUTH, Handler, HandlerKind, TrackingCall
from uelint.rules.update_in_auth_handler import UpdateInAuthHandler

ADVICE = (
    ": it never switches users. A login or sign-up must identify the user with "
    'UE.pageHit({ apiKey, user_id, email, ... }); track the action as userengage("event.<name>").'
)
AT = (1, 1, 3, 3)  # update() on line 1
LOGIN = handler("handleLogin", line=1)
SUBMIT = HandlerKind.LISTENER


def update(*handlers: Handler, line: int = 1, awaited: Sequence[str] = ()) -> TrackingCall:
    return call(CLIENT_UPDATE, ["email"], line=line, handlers=handlers, awaited=awaited)


def flagged(name: str, calls: TrackingCall | tuple[TrackingCall, ...], evidence: str,
            path: str = "src/app.js", options: dict[str, object] | None = None) -> Invalid:
    """A case with one diagnostic, on the first call, that gives `evidence` as its reason."""
    return Invalid(name, calls, [Error(at=AT, message=f"client.update {evidence}{ADVICE}")],
                   options=options or {}, path=path)


test_ue002 = RuleTester(UpdateInAuthHandler, Level.WARNING).run(
    valid=[
        *(Valid(f"look-alike name {name}", update(handler(name))) for name in (
            "registerServiceWorker", "registerPlugin", "logInfo", "eventRegistry",
            "designUp", "signal", "blogLogo", "handleLogout", "logoutUser",
        )),
        Valid("no enclosing handler", update()),
        Valid("an event in a login handler", call("event.login", ["method"], handlers=[LOGIN])),
        Valid("UE.pageHit in a login handler", call(PAGE_HIT, ["user_id"], handlers=[LOGIN])),
        Valid("UE.pageHit in the same handler",
              (update(LOGIN), call(PAGE_HIT, ["user_id"], line=5, handlers=[LOGIN]))),
        Valid("UE.resetAuth in the same handler",
              (call(RESET_AUTH, ["user_id"], line=5, handlers=[LOGIN]), update(LOGIN))),
        Valid("UE.pageHit in a callback inside the same handler", (
            update(LOGIN),
            call(PAGE_HIT, ["user_id"], line=5, handlers=[
                handler(None, HandlerKind.CALLBACK, line=4, callee="setTimeout"), LOGIN]),
        )),
        Valid("a click on a login button is not a form submission",
              update(handler(None, SUBMIT, event="click", target="#login-button"))),
        Valid("a submit handler of a form without auth words or password",
              update(handler(None, SUBMIT, event="submit", target="#newsletter-form"))),
        Valid("a password field counts only in a submit handler",
              update(handler(None, SUBMIT, event="input", target="form", password=True))),
        Valid("catch is not the continuation of an auth request",
              update(handler(None, HandlerKind.CALLBACK, callee="auth.login().catch"))),
        Valid("then of a request that is not about auth",
              update(handler(None, HandlerKind.CALLBACK, callee="api.fetchProfile().then"))),
        Valid("after an await that is not about auth",
              update(handler("save"), awaited=["api.getProfile()"])),
        Valid("a login page, but inside a named function",
              update(handler("saveProfile")), path="pages/login.tsx"),
        Valid("a login page that calls UE.pageHit anywhere",
              (update(), call(PAGE_HIT, ["user_id"], line=5, handlers=[handler("identify")])),
              path="pages/login.tsx"),
        Valid("auth-words replaces the vocabulary", update(LOGIN),
              options={"auth-words": ["anmelden"]}),
        Valid("register-objects replaces the words after register",
              update(handler("registerUser")), options={"register-objects": ["widget"]}),
    ],
    invalid=[
        *(flagged(f"name {name}", update(handler(name, kind)), f"inside `{name}`")
          for name, kind in (
            ("handleLogin", HandlerKind.FUNCTION), ("onSignUp", HandlerKind.FUNCTION),
            ("submit_registration", HandlerKind.FUNCTION), ("login", HandlerKind.METHOD),
            ("registerUser", HandlerKind.FUNCTION), ("onRegisterSubmit", HandlerKind.FUNCTION),
            ("register", HandlerKind.METHOD), ("createAccount", HandlerKind.FUNCTION),
            ("logOnUser", HandlerKind.FUNCTION), ("authenticate", HandlerKind.FUNCTION),
            ("createUserWithEmailAndPassword", HandlerKind.FUNCTION),
            ("RegisterComponent", HandlerKind.CLASS),  # Angular's sign-up component
        )),
        flagged("a method of a login component",
                update(handler("save", HandlerKind.METHOD, line=3),
                       handler("LoginForm", HandlerKind.CLASS)),
                "inside `save` in `LoginForm`"),
        flagged("an inner callback of a login handler",
                update(handler(None, HandlerKind.CALLBACK, line=3, callee="setTimeout"), LOGIN),
                "inside the callback passed to `setTimeout` in `handleLogin`"),
        flagged("the submit handler of a sign-up form",
                update(handler(None, SUBMIT, event="submit", target="#signup-form")),
                "inside the submit handler of `#signup-form`"),
        flagged("Angular's ngSubmit of a login form",
                update(handler("onSubmit", SUBMIT, event="ngsubmit", target="form.login")),
                "inside `onSubmit`, the ngsubmit handler of `form.login`"),
        flagged("the submit handler of a form with a password field",
                update(handler(None, SUBMIT, event="submit", target="form", password=True)),
                "inside the submit handler of `form`, a form with a password field"),
        flagged("a web route", update(handler("view", route="/login")),
                "inside `view`, the view of route `/login`"),
        flagged("the continuation of an auth request",
                update(handler(None, HandlerKind.CALLBACK, callee="auth.login().then")),
                "inside the callback passed to `auth.login().then`, "
                "the continuation of an auth request"),
        flagged("the continuation of a fetch to a login endpoint",
                update(handler(None, HandlerKind.CALLBACK, callee='fetch("/api/login").then')),
                'inside the callback passed to `fetch("/api/login").then`, '
                "the continuation of an auth request"),
        flagged("after await of a sign-up", update(handler("submit"), awaited=["api.signup()"]),
                "inside `submit`, after `await api.signup()`"),
        flagged("after await at the top level", update(awaited=["api.signup()"]),
                "after `await api.signup()`"),
        flagged("a login page with no named handler",
                update(handler(None, HandlerKind.CALLBACK, callee="useEffect")),
                "in `pages/login.tsx`, a login/sign-up page", path="pages/login.tsx"),
        flagged("UE.pageHit in another handler does not count",
                (update(LOGIN), call(PAGE_HIT, ["user_id"], line=5,
                                     handlers=[handler("identify", line=30)])),
                "inside `handleLogin`"),
        flagged("an event does not identify the user",
                (update(LOGIN), call("event.login", ["user_id"], line=5, handlers=[LOGIN])),
                "inside `handleLogin`"),
        flagged("through a wrapper: the message names it",
                call(CLIENT_UPDATE, ["email"], handlers=[LOGIN], via=[via("Auth.track")]),
                "(via `Auth.track`) inside `handleLogin`"),
        flagged("extend-auth-words adds a word", update(handler("handleAnmelden")),
                "inside `handleAnmelden`", options={"extend-auth-words": ["anmelden"]}),
        flagged("extend-auth-words keeps the defaults", update(LOGIN),
                "inside `handleLogin`", options={"extend-auth-words": ["anmelden"]}),
        flagged("extend-auth-words takes phrases", update(handler("seConnecter")),
                "inside `seConnecter`", options={"extend-auth-words": ["se connecter"]}),
        flagged("auth-words sets the vocabulary", update(handler("zalogujForm")),
                "inside `zalogujForm`", options={"auth-words": ["zaloguj"]}),
        flagged("register-objects sets the words after register",
                update(handler("registerWidget")), "inside `registerWidget`",
                options={"register-objects": ["widget"]}),
        Invalid("one diagnostic per update, at each call", (
            update(LOGIN, line=1), update(LOGIN, line=5),
        ), [Error(at=AT, contains="inside `handleLogin`"), Error(at=(5, 1, 7, 3))]),
    ],
)


@pytest.mark.parametrize(("options", "match"), [
    ({"auth-word": ["login"]}, "unknown option.*auth-word; UE002 takes auth-words"),
    ({"extend-auth-words": "anmelden"}, "`extend-auth-words` must be a list of strings"),
    ({"auth-words": ["login", 1]}, "`auth-words` must be a list of strings"),
    ({"register-objects": None}, "`register-objects` must be a list of strings"),
])
def test_ue002_rejects_bad_options(options: dict[str, object], match: str) -> None:
    with pytest.raises(ValueError, match=match):
        UpdateInAuthHandler().configure(options)
