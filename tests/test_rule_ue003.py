"""UE003 immutable-attribute on hand-built IR (see tests/rule_tester.py for the layout)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.fix_helpers import findings, fixed
from tests.rule_tester import Error, Invalid, RuleTester, Valid, call, via
from tests.test_cli import uelint
from uelint import Level, ParsedFile
from uelint.ir import CIVCHAT, CLIENT_UPDATE, PAGE_HIT
from uelint.rules.immutable_attribute import ImmutableAttribute

DOCUMENTED = ("is detected automatically by the SDK and cannot be overwritten with "
              "client.update (documented immutable attribute).")
SYSTEM = ("is a read-only system field of the user profile and cannot be changed with "
          "client.update (system/computed attribute).")
AUTO = ("is detected by the SDK and overwritten on every visit, so a value set with "
        "client.update does not last (auto-detected technical attribute); store your own "
        "value under a custom attribute name.")
IP_GEO = ("is detected from the visitor's IP address and may be overwritten on the next visit "
          "(IP-geo attribute).")


def key_error(key: str, line: int, why: str, level: Level) -> Error:
    """The diagnostic on `key`, written on `line`, with its tier's explanation."""
    return Error(at=(line, 3, line, 3 + len(key)), message=f"`{key}` {why}", level=level)


test_ue003 = RuleTester(ImmutableAttribute, Level.ERROR).run(
    valid=[
        Valid("custom attributes", call(CLIENT_UPDATE, ["preferred_language", "plan", "erp_id"])),
        Valid("IP-geo attributes are off by default",
              call(CLIENT_UPDATE, ["country", "region", "city"])),
        Valid("user_id is UE001's", call(CLIENT_UPDATE, ["user_id"])),
        Valid("UE.pageHit may carry anything", call(PAGE_HIT, ["browser_language", "timezone"])),
        Valid("window.civchat may carry anything", call(CIVCHAT, ["language", "id"])),
        Valid("an event may carry anything", call("event.visit", ["browser", "url"])),
        Valid("a payload that is not a literal", call(CLIENT_UPDATE, None)),
        Valid("a tier turned off", call(CLIENT_UPDATE, ["timezone", "browser"]),
              options={"tiers": {"auto-detected": "off"}}),
        Valid("an attribute taken out", call(CLIENT_UPDATE, ["language"]),
              options={"attributes": {"language": "off"}}),
        Valid("taking out an unknown attribute is harmless", call(CLIENT_UPDATE, ["plan"]),
              options={"attributes": {"plan": "off"}}),
        Valid("an attribute moved into a tier that is off", call(CLIENT_UPDATE, ["timezone"]),
              options={"attributes": {"timezone": "ip-geo"}}),
    ],
    invalid=[
        Invalid("documented immutable: an error", call(CLIENT_UPDATE, ["plan", "browser_language"]),
                [key_error("browser_language", 3, DOCUMENTED, Level.ERROR)]),
        Invalid("system fields: errors", call(CLIENT_UPDATE, ["id", "created_at", "tags"]),
                [key_error("id", 2, SYSTEM, Level.ERROR),
                 key_error("created_at", 3, SYSTEM, Level.ERROR),
                 key_error("tags", 4, SYSTEM, Level.ERROR)]),
        Invalid("auto-detected: a warning", call(CLIENT_UPDATE, ["timezone"]),
                [key_error("timezone", 2, AUTO, Level.WARNING)]),
        Invalid("every tier in one payload, each at its level",
                call(CLIENT_UPDATE, ["ip_address", "page_views", "user_agent", "city", "plan"]),
                [key_error("ip_address", 2, DOCUMENTED, Level.ERROR),
                 key_error("page_views", 3, SYSTEM, Level.ERROR),
                 key_error("user_agent", 4, AUTO, Level.WARNING)]),
        Invalid("present keys count in an incomplete payload",
                call(CLIENT_UPDATE, ["ip_address"], complete=False),
                [key_error("ip_address", 2, DOCUMENTED, Level.ERROR)]),
        Invalid("through a wrapper: the message names it",
                call(CLIENT_UPDATE, ["timezone"], via=[via("Tracker.set")]),
                [Error(at=(2, 3, 2, 11), message=f"`timezone` (via `Tracker.set`) {AUTO}",
                       level=Level.WARNING)]),
        Invalid("a tier turned on", call(CLIENT_UPDATE, ["country"]),
                [key_error("country", 2, IP_GEO, Level.WARNING)],
                options={"tiers": {"ip-geo": "warning"}}),
        Invalid("a tier's level changed, the others kept",
                call(CLIENT_UPDATE, ["browser_language", "id"]),
                [key_error("browser_language", 2, DOCUMENTED, Level.NOTE),
                 key_error("id", 3, SYSTEM, Level.ERROR)],
                options={"tiers": {"documented": "note"}}),
        Invalid("an attribute added to a tier", call(CLIENT_UPDATE, ["erp_id"]),
                [key_error("erp_id", 2, SYSTEM, Level.ERROR)],
                options={"attributes": {"erp_id": "system"}}),
        Invalid("an attribute moved to another tier", call(CLIENT_UPDATE, ["language"]),
                [key_error("language", 2, DOCUMENTED, Level.ERROR)],
                options={"attributes": {"language": "documented"}}),
        Invalid("an attribute moved into a tier that is off, turned on",
                call(CLIENT_UPDATE, ["timezone"]),
                [key_error("timezone", 2, IP_GEO, Level.NOTE)],
                options={"attributes": {"timezone": "ip-geo"}, "tiers": {"ip-geo": "note"}}),
    ],
)


@pytest.mark.parametrize(("options", "match"), [
    ({"tier": {}}, "unknown option.*tier; UE003 takes tiers, attributes"),
    ({"tiers": {"geo": "warning"}}, "`tiers`: unknown tier 'geo'; one of documented, system"),
    ({"tiers": {"system": "fatal"}},
     "`tiers.system`: must be error, warning, note or off, not 'fatal'"),
    ({"tiers": ["system"]}, "`tiers` must be a table of strings"),
    ({"attributes": {"erp_id": "custom"}},
     "`attributes.erp_id`: must be one of .* or off, not 'custom'"),
    ({"attributes": {"erp_id": 1}}, "`attributes` must be a table of strings"),
])
def test_ue003_rejects_bad_options(options: dict[str, object], match: str) -> None:
    with pytest.raises(ValueError, match=match):
        ImmutableAttribute().configure(options)


def test_ue003_configure_starts_from_the_defaults() -> None:
    """Options change the defaults, not what an earlier configure() left."""
    rule = ImmutableAttribute()
    rule.configure({"tiers": {"ip-geo": "error"}, "attributes": {"erp_id": "system"}})
    rule.configure({})
    update = call(CLIENT_UPDATE, ["country", "erp_id"])
    assert list(rule.check(update, ParsedFile("src/app.js", "javascript", (update,)))) == []


# --- the fix: remove the key (real source, the JavaScript adapter, fitted to the layout) ---

def test_a_key_among_others_is_removed_safely_with_its_line() -> None:
    source = ('userengage("client.update", {\n  plan: "pro",\n'
              '  browser_language: navigator.language,\n  ip_address: ip, // the server\'s\n'
              '  seats: 3\n});\n')
    found = findings(source, "UE003")
    assert [(d.span.start_line, d.unsafe_fix) for d in found] == [(3, False), (4, False)]
    assert fixed(source, found) == (
        'userengage("client.update", {\n  plan: "pro",\n  seats: 3\n});\n')


def test_on_one_line_the_key_goes_with_its_comma() -> None:
    source = 'userengage("client.update", { browser_language: x, plan: 1 });\n'
    assert fixed(source, findings(source, "UE003")) == 'userengage("client.update", { plan: 1 });\n'
    last = 'userengage("client.update", { plan: 1, "browser_language": x });\n'
    assert fixed(last, findings(last, "UE003")) == 'userengage("client.update", { plan: 1, });\n'


def test_a_payload_left_empty_is_an_unsafe_fix() -> None:
    source = 'userengage("client.update", {\n  ip_address: ip,\n  timezone: tz,\n});\n'
    found = findings(source, "UE003")
    assert [d.unsafe_fix for d in found] == [True, True]
    assert fixed(source, found) == 'userengage("client.update", {\n});\n'


@pytest.mark.parametrize("source", [
    'userengage("client.update", { ...base, browser_language: x, plan: 1 });\n',  # a spread
    'const a = {};\na.browser_language = x;\nuserengage("client.update", a);\n',  # assigned
])
def test_no_fix_where_the_text_between_keys_is_not_known(source: str) -> None:
    found = findings(source, "UE003")
    assert found and not any(d.fix for d in found)


def test_check_fix_applies_it_and_sarif_carries_it(tmp_path: Path) -> None:
    source = 'userengage("client.update", {\n  plan: "pro",\n  browser_language: l,\n});\n'
    (tmp_path / "a.js").write_text(source)
    done = uelint("check", "--format", "sarif", "a.js", cwd=tmp_path)
    (result,) = json.loads(done.stdout)["runs"][0]["results"]
    (change,) = result["fixes"][0]["artifactChanges"]
    assert change["artifactLocation"]["uri"] == "a.js"
    (replacement,) = change["replacements"]
    start = source.index("  browser_language")
    assert replacement == {"deletedRegion": {"byteOffset": start,
                                             "byteLength": len("  browser_language: l,\n")}}
    assert result["fixes"][0]["properties"] == {"safety": "safe"}
    done = uelint("check", "--fix", "a.js", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "a.js").read_text() == 'userengage("client.update", {\n  plan: "pro",\n});\n'
