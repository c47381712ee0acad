"""UE001 user-id-in-update on hand-built IR (see tests/rule_tester.py for the layout)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.fix_helpers import findings, fixed
from tests.rule_tester import Error, Invalid, Key, RuleTester, Valid, call, handler, via
from tests.test_cli import uelint
from uelint import Level
from uelint.ir import CIVCHAT, CLIENT_UPDATE, PAGE_HIT, RESET_AUTH, Value, ValueKind
from uelint.rules.user_id_in_update import UserIdInUpdate

MESSAGE = (
    "`user_id` in client.update never switches users: it overwrites the current user's id, "
    "or fails with a 400 if another user has that id. Identify users with "
    "UE.pageHit({ user_id, ... }), UE.resetAuth() or window.civchat instead."
)

test_ue001 = RuleTester(UserIdInUpdate, Level.ERROR).run(
    valid=[
        Valid("other attributes", call(CLIENT_UPDATE, ["first_name", "email"])),
        Valid("user_id in UE.pageHit", call(PAGE_HIT, ["apiKey", "user_id", "email"])),
        Valid("user_id in UE.resetAuth", call(RESET_AUTH, ["apiKey", "user_id"])),
        Valid("user_id in window.civchat",
              call(CIVCHAT, ["apiKey", "user_id"], callee="window.civchat")),
        Valid("user_id in an event", call("event.purchase", ["user_id", "amount"])),
        Valid("a method name that is not static", call(None, ["user_id"])),
        Valid("a payload that is not a literal", call(CLIENT_UPDATE, None)),
        Valid("an incomplete payload without user_id",
              call(CLIENT_UPDATE, ["plan"], complete=False)),
        Valid("a look-alike key: userId is a custom attribute", call(CLIENT_UPDATE, ["userId"])),
        Valid("user_id in a look-alike method", call("client.update_phone", ["user_id"])),
    ],
    invalid=[
        Invalid("user_id alone", call(CLIENT_UPDATE, ["user_id"]),
                [Error(at=(2, 3, 2, 10), message=MESSAGE)]),
        Invalid("user_id after other keys, on a later line",
                call(CLIENT_UPDATE, ["first_name", "email", "user_id"], line=7),
                [Error(at=(10, 3, 10, 10), message=MESSAGE)]),
        # A key that is written is proven even when other parts are not resolved.
        Invalid("user_id beside a spread", call(CLIENT_UPDATE, ["user_id"], complete=False),
                [Error(at=(2, 3, 2, 10), message=MESSAGE)]),
        Invalid("shorthand, a Python keyword argument and a later assignment",
                call(CLIENT_UPDATE, [Key("user_id", origin="shorthand"),
                                     Key("user_id", Value(ValueKind.NUMBER, 42), "kwarg"),
                                     Key("user_id", origin="assignment")]),
                [Error(at=(2, 3, 2, 10)), Error(at=(3, 3, 3, 10)), Error(at=(4, 3, 4, 10))]),
        Invalid("a null user_id is still sent",
                call(CLIENT_UPDATE, [Key("user_id", Value(ValueKind.NULL))]),
                [Error(at=(2, 3, 2, 10))]),
        Invalid("in a login handler: UE001 does not depend on UE002's evidence",
                call(CLIENT_UPDATE, ["user_id"], handlers=[handler("handleLogin")]),
                [Error(at=(2, 3, 2, 10), message=MESSAGE)]),
        Invalid("one call of several", (
            call(PAGE_HIT, ["user_id"], line=1),
            call(CLIENT_UPDATE, ["plan", "user_id"], line=5),
            call("event.login", ["user_id"], line=10),
        ), [Error(at=(7, 3, 7, 10))]),
        Invalid("through a wrapper: the message names it",
                call(CLIENT_UPDATE, ["user_id"], via=[via("TrackingDriver.push")]),
                [Error(at=(2, 3, 2, 10), message=MESSAGE.replace(
                    "client.update never", "client.update (via `TrackingDriver.push`) never"))]),
        Invalid("through a chain of wrappers, outermost first",
                call(CLIENT_UPDATE, ["user_id"],
                     via=[via("track", "src/a.js"), via("Driver.push", "src/b.js")]),
                [Error(at=(2, 3, 2, 10),
                       contains="`user_id` in client.update (via `track → Driver.push`) never")]),
    ],
)


def test_ue001_takes_no_options() -> None:
    with pytest.raises(ValueError, match="rule UE001 takes no options"):
        UserIdInUpdate().configure({"strict": True})


# --- the fix: user_id moved into UE.pageHit (real source, the JavaScript adapter) ---

LOGIN = ('window.civchat = { apiKey: "AbC123" };\n'
         "function login(user) {\n"
         '  userengage("client.update", {\n    user_id: user.id,\n    plan: "pro",\n  });\n'
         "}\n")


def test_user_id_moves_to_a_page_hit_with_the_files_api_key_unsafely() -> None:
    (found,) = findings(LOGIN, "UE001")
    assert found.unsafe_fix
    assert fixed(LOGIN, [found]) == (
        'window.civchat = { apiKey: "AbC123" };\n'
        "function login(user) {\n"
        '  UE.pageHit({ apiKey: "AbC123", user_id: user.id });\n'
        '  userengage("client.update", {\n    plan: "pro",\n  });\n'
        "}\n")


def test_an_api_key_held_in_a_name_is_passed_by_name() -> None:
    source = ("UE.pageHit({ apiKey: KEY });\n"
              'userengage("client.update", { user_id, plan: 1 });\n')
    (found,) = findings(source, "UE001")
    assert fixed(source, [found]) == ("UE.pageHit({ apiKey: KEY });\n"
                                      "UE.pageHit({ apiKey: KEY, user_id: user_id });\n"
                                      'userengage("client.update", { plan: 1 });\n')


@pytest.mark.parametrize("source", [
    'userengage("client.update", { user_id: 1, plan: 2 });\n',  # no apiKey in the file
    LOGIN.replace("  userengage(", "  await userengage("),  # not a statement of its own
    LOGIN.replace("user.id", "ids[0] || fallback()"),  # a value the file does not show whole
])
def test_no_fix_where_it_cannot_be_told(source: str) -> None:
    (found,) = findings(source, "UE001")
    assert found.fix == () and not found.unsafe_fix


def test_check_fix_needs_unsafe_fixes(tmp_path: Path) -> None:
    (tmp_path / "a.js").write_text(LOGIN)
    done = uelint("check", "--fix", "a.js", cwd=tmp_path)
    assert done.returncode == 1 and (tmp_path / "a.js").read_text() == LOGIN
    done = uelint("check", "--fix", "--unsafe-fixes", "a.js", cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    text = (tmp_path / "a.js").read_text()
    assert 'UE.pageHit({ apiKey: "AbC123", user_id: user.id });' in text
