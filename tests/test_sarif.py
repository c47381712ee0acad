"""The SARIF reporter: schema-valid SARIF 2.1.0 that GitHub code scanning and viewers can use."""

from __future__ import annotations

import json
import os
import re
import urllib.parse
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import rfc3986_validator
from jsonschema import validators

from tests.formats_sample import FILES, run_sample
from uelint import fingerprints, plugins
from uelint.diagnostic import Diagnostic, Edit, FileError, Level, Related, RunResult
from uelint.ir import ParsedFile, Span, TrackingCall
from uelint.reporters import ReportOptions, sarif
from uelint.reporters import render as render_format
from uelint.rule import Rule
from uelint.source import SourceText

SCHEMAS = Path(__file__).parent / "schemas"
SCHEMA_FILES = ("sarif-schema-2.1.0.json", "codeql-action-sarif-schema-2.1.0.json")
ROOT = os.path.abspath(os.path.join(os.sep, "srv", "project"))
OPTIONS = ReportOptions(tool_version="1.2.3")


class UnusedThing(Rule):
    """## What it does
    Checks for `userengage("thing")` calls whose **result** is never used.
    See [the docs](https://example.invalid/thing).

    ## Why is this bad?
    An unused thing costs a request and tells nobody anything.

    ## Example
    ```js
    userengage("thing");
    ```

    ## Use instead
    ```js
    const t = userengage("thing");
    ```
    """

    code = "XX001"
    name = "unused-thing"
    summary = "The result of a thing call is never used."
    level = Level.WARNING
    tags = ("maintainability", "tracking")
    help_uri = "https://example.invalid/rules/XX001"
    precision = "very-high"

    def check(self, call: TrackingCall, file: ParsedFile) -> Iterable[Diagnostic]:
        return ()


class BadThing(Rule):
    """## What it does
    Flags a *bad* thing, such as `user_id` in a
    `client.update` payload.

    A second paragraph of what it does.

    ## Why is this bad?
    It is bad.

    ## Example
    ```python
    ue.client_update(user_id=1)
    ```

    ## Use instead
    Nothing.
    """

    code = "XX002"
    name = "bad-thing"
    summary = "A bad thing."
    level = Level.ERROR
    precision = "medium"

    def check(self, call: TrackingCall, file: ParsedFile) -> Iterable[Diagnostic]:
        return ()


class QuietThing(Rule):
    code = "XX003"
    name = "quiet-thing"
    summary = "A thing worth a note."
    level = Level.NOTE
    tags = ("style",)
    precision = "low"

    def check(self, call: TrackingCall, file: ParsedFile) -> Iterable[Diagnostic]:
        return ()


# Deliberately not in code order: the driver sorts them.
RULES: dict[str, Rule] = {"XX002": BadThing(), "XX003": QuietThing(), "XX001": UnusedThing()}

WEIRD_PATH = "src/dir with space/ünïcode%.js"


def span(line: int, col: int, end_line: int | None = None, end_col: int | None = None) -> Span:
    return Span(line, col, end_line or line, end_col or col + 5, 0, 0)


def diag(code: str, level: Level, message: str, path: str, where: Span) -> Diagnostic:
    return Diagnostic(code, level, message, path, where)


def make_result(
    diagnostics: Iterable[Diagnostic] = (), errors: Iterable[FileError] = ()
) -> RunResult:
    return RunResult(
        diagnostics=tuple(diagnostics),
        errors=tuple(errors),
        files_checked=4,
        files_parsed=3,
        root=ROOT,
    )


def full_result() -> RunResult:
    return make_result(
        [
            diag("XX001", Level.WARNING, "Unused `thing` result.", "app/a.js", span(3, 7, 3, 12)),
            diag(
                "XX002",
                Level.ERROR,
                "`user_id` in `client.update` — 🙈.",
                "app/a.js",
                span(10, 1, 12, 4),
            ),
            replace(
                diag("XX003", Level.NOTE, "A note.", "app/b.py", span(1, 1)),
                related=(Related("lib/c.js", span(2, 3), "via `track`, defined here"),),
            ),
            diag("XX001", Level.WARNING, "Unused `thing` result.", WEIRD_PATH, span(2, 20, 2, 31)),
        ],
        [
            FileError("app/broken.js", "syntax", "unexpected token `}`", span(4, 2, 4, 3)),
            FileError("app/secret.js", "read", "permission denied"),
        ],
    )


def log_of(result: RunResult, rules: dict[str, Rule] | None = None) -> dict[str, Any]:
    text = sarif.render(result, RULES if rules is None else rules, OPTIONS)
    loaded: dict[str, Any] = json.loads(text)
    return loaded


# --- schema validation -------------------------------------------------------------------

def format_checker(cls: type[Any]) -> jsonschema.FormatChecker:
    """The draft's own format checker; `jsonschema[format-nongpl]` brings the URI checks
    (draft-04 has only `uri`; `uri-reference` came with draft-06)."""
    checker: jsonschema.FormatChecker = cls.FORMAT_CHECKER
    assert "uri" in checker.checkers, "install jsonschema[format-nongpl]"
    return checker


@pytest.fixture(scope="module", params=SCHEMA_FILES)
def validator(request: pytest.FixtureRequest) -> Any:
    schema = json.loads((SCHEMAS / request.param).read_text(encoding="utf-8"))
    cls = validators.validator_for(schema)
    # No check_schema(): the codeql-action copy is not itself valid against the 2020-12
    # meta-schema (an `anyOf` sits inside region's `properties`), yet it is what GitHub uses.
    return cls(schema, format_checker=format_checker(cls))


def errors_of(validator: Any, log: dict[str, Any]) -> list[str]:
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(log)]


def test_schema_validators_are_the_declared_drafts() -> None:
    drafts = {
        name: validators.validator_for(json.loads((SCHEMAS / name).read_text(encoding="utf-8")))
        for name in SCHEMA_FILES
    }
    assert drafts["sarif-schema-2.1.0.json"] is validators.Draft4Validator
    assert drafts["codeql-action-sarif-schema-2.1.0.json"] is validators.Draft202012Validator


def test_format_checking_catches_bad_uri_references(validator: Any) -> None:
    log = log_of(full_result())
    location = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    location["artifactLocation"]["uri"] = "src/dir with space/a.js"
    found = errors_of(validator, log)
    if validator.__class__ is validators.Draft4Validator:
        assert found == []  # draft-04 has no uri-reference format
    else:
        assert any("uri-reference" in e for e in found), found


@pytest.mark.parametrize("case", ["full", "clean", "errors-only", "unknown-rule", "no-rules"])
def test_output_validates_against_schemas(validator: Any, case: str) -> None:
    result = {
        "full": full_result(),
        "clean": make_result(),
        "errors-only": make_result(errors=[FileError("x.js", "decode", "bad utf-8")]),
        "unknown-rule": make_result(
            [diag("ZZ999", Level.WARNING, "Who am I?", "a.js", span(1, 1))]
        ),
        "no-rules": full_result(),
    }[case]
    log = log_of(result, {} if case == "no-rules" else None)
    assert errors_of(validator, log) == []


def test_a_real_run_validates(validator: Any, tmp_path: Path) -> None:
    """The sample project: awkward paths, CJK and emoji, related locations, broken files."""
    result = run_sample(tmp_path)
    log = json.loads(sarif.render(result, plugins.load(autoload=False).rules, OPTIONS))
    assert errors_of(validator, log) == []
    results = log["runs"][0]["results"]
    assert len(results) == len(result.diagnostics)
    assert all(set(r["partialFingerprints"]) == {"primaryLocationLineHash", "uelint/v2"}
               for r in results)


def test_columns_count_utf16_code_units_on_cjk_and_emoji_lines(tmp_path: Path) -> None:
    result = run_sample(tmp_path)
    (finding,) = [d for d in result.diagnostics if d.path.endswith(".ts")]
    line = FILES[finding.path]
    assert isinstance(line, str)
    prefix = line[: line.index("user_id")]
    assert finding.span.start_col == len(prefix.encode("utf-16-le")) // 2 + 1
    assert finding.span.start_col != len(prefix) + 1  # the emoji is two code units


# --- the log -----------------------------------------------------------------------------


def test_log_and_driver() -> None:
    log = log_of(full_result())
    assert log["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json"
    assert log["version"] == "2.1.0"
    assert len(log["runs"]) == 1
    run = log["runs"][0]
    assert run["columnKind"] == "utf16CodeUnits"
    driver = run["tool"]["driver"]
    assert driver["name"] == "uelint"
    assert driver["fullName"].startswith("uelint 1.2.3: a policy linter for User.com")
    assert driver["version"] == "1.2.3"
    assert driver["semanticVersion"] == "1.2.3"
    assert driver["informationUri"] == "https://pypi.org/project/uelint/"
    assert [r["id"] for r in driver["rules"]] == ["XX001", "XX002", "XX003"]


def test_rule_descriptors() -> None:
    rules = {r["id"]: r for r in log_of(make_result())["runs"][0]["tool"]["driver"]["rules"]}

    first = rules["XX001"]
    assert first["name"] == "unused-thing"
    assert first["shortDescription"] == {"text": UnusedThing.summary}
    assert first["fullDescription"] == {
        "text": 'Checks for userengage("thing") calls whose result is never used. '
        "See the docs (https://example.invalid/thing)."
    }
    assert first["help"]["markdown"] == UnusedThing.documentation()
    text = first["help"]["text"]
    assert "##" not in text and "```" not in text and "`" not in text
    assert "Why is this bad?" in text
    assert '    userengage("thing");' in text  # code blocks stay, indented
    assert first["helpUri"] == "https://example.invalid/rules/XX001"
    assert first["defaultConfiguration"] == {"level": "warning"}
    assert first["properties"] == {
        "tags": ["maintainability", "tracking"],
        "precision": "very-high",
        "problem.severity": "warning",
    }

    second = rules["XX002"]
    assert "helpUri" not in second
    assert second["fullDescription"]["text"] == (
        "Flags a bad thing, such as user_id in a client.update payload.\n\n"
        "A second paragraph of what it does."
    )
    assert "ue.client_update(user_id=1)" in second["help"]["text"]  # not taken for emphasis
    assert second["defaultConfiguration"] == {"level": "error"}
    assert second["properties"]["problem.severity"] == "error"
    assert second["properties"]["tags"] == []

    third = rules["XX003"]  # no docstring: documentation() is the summary
    assert third["fullDescription"]["text"] == QuietThing.summary
    assert third["help"] == {"text": QuietThing.summary, "markdown": QuietThing.summary}
    assert third["properties"]["problem.severity"] == "recommendation"
    assert third["defaultConfiguration"] == {"level": "note"}


def test_results_in_order_with_rule_index() -> None:
    result = full_result()
    run = log_of(result)["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert len(run["results"]) == len(result.diagnostics)
    for entry, diagnostic in zip(run["results"], result.diagnostics, strict=True):
        assert entry["ruleId"] == diagnostic.code
        assert rules[entry["ruleIndex"]]["id"] == diagnostic.code
        assert entry["level"] == diagnostic.level.value
        assert entry["message"] == {"text": diagnostic.message}
        (location,) = entry["locations"]
        artifact = location["physicalLocation"]["artifactLocation"]
        assert artifact["uriBaseId"] == "%SRCROOT%"
        assert urllib.parse.unquote(artifact["uri"]) == diagnostic.path
    assert [e["ruleIndex"] for e in run["results"]] == [0, 1, 2, 0]


def test_unknown_rule_has_no_rule_index() -> None:
    result = make_result([diag("ZZ999", Level.WARNING, "Who?", "a.js", span(1, 1))])
    (entry,) = log_of(result)["runs"][0]["results"]
    assert entry["ruleId"] == "ZZ999"
    assert "ruleIndex" not in entry


def test_columns_pass_through_unchanged() -> None:
    # Columns are UTF-16 code units already; the reporter must not convert them.
    where = Span(7, 23, 9, 4, start_byte=1000, end_byte=1234)
    result = make_result([diag("XX001", Level.WARNING, "m", "a.js", where)])
    (entry,) = log_of(result)["runs"][0]["results"]
    region = entry["locations"][0]["physicalLocation"]["region"]
    assert region == {"startLine": 7, "startColumn": 23, "endLine": 9, "endColumn": 4}


def test_clean_run() -> None:
    log = log_of(make_result())
    run = log["runs"][0]
    assert run["results"] == []
    (invocation,) = run["invocations"]
    assert invocation["executionSuccessful"] is True
    assert invocation["toolExecutionNotifications"] == []
    assert '"results": []' in sarif.render(make_result(), RULES, OPTIONS)


def test_file_errors_become_notifications() -> None:
    run = log_of(full_result())["runs"][0]
    (invocation,) = run["invocations"]
    assert invocation["executionSuccessful"] is False
    syntax, read = invocation["toolExecutionNotifications"]

    assert syntax["level"] == "error"
    assert syntax["message"] == {"text": "syntax: unexpected token `}`"}
    assert syntax["descriptor"]["id"] == "uelint/syntax-error"
    physical = syntax["locations"][0]["physicalLocation"]
    assert physical["artifactLocation"] == {"uri": "app/broken.js", "uriBaseId": "%SRCROOT%"}
    assert physical["region"] == {"startLine": 4, "startColumn": 2, "endLine": 4, "endColumn": 3}

    assert read["message"] == {"text": "read: permission denied"}
    assert read["descriptor"]["id"] == "uelint/read-error"
    physical = read["locations"][0]["physicalLocation"]
    assert physical["artifactLocation"] == {"uri": "app/secret.js", "uriBaseId": "%SRCROOT%"}
    assert "region" not in physical

    descriptors = run["tool"]["driver"]["notifications"]
    for notification in (syntax, read):
        index = notification["descriptor"]["index"]
        assert descriptors[index]["id"] == notification["descriptor"]["id"]


def test_every_descriptor_has_what_github_requires() -> None:
    # GitHub (Sarif.Multitool GH2012) wants descriptions and help on every reportingDescriptor.
    driver = log_of(full_result())["runs"][0]["tool"]["driver"]
    for descriptor in driver["rules"] + driver["notifications"]:
        assert descriptor["id"] and descriptor["name"]
        for key in ("shortDescription", "fullDescription"):
            assert descriptor[key]["text"].strip()
            assert len(descriptor[key]["text"]) <= 1024
        assert descriptor["help"]["text"].strip() and descriptor["help"]["markdown"].strip()
    ids = [d["id"] for d in driver["notifications"]]
    assert len(set(ids)) == len(ids)


def test_long_what_it_does_is_cut_to_github_limit() -> None:
    class Wordy(QuietThing):
        __doc__ = "## What it does\n" + "word " * 400 + "\n\n## Why is this bad?\nLong."

    (rule,) = log_of(make_result(), {"XX003": Wordy()})["runs"][0]["tool"]["driver"]["rules"]
    assert len(rule["fullDescription"]["text"]) == 1024
    assert rule["fullDescription"]["text"].endswith("…")
    assert rule["help"]["markdown"] == Wordy.documentation()


def test_notification_ids_are_stable_per_kind() -> None:
    kinds = ["read", "decode", "binary", "syntax", "parse", "internal", "Odd kind!"]
    result = make_result(errors=[FileError(f"{i}.js", kind, "x") for i, kind in enumerate(kinds)])
    notifications = log_of(result)["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    ids = [n["descriptor"]["id"] for n in notifications]
    assert len(set(ids)) == len(ids)
    assert all(re.fullmatch(r"uelint/[a-z0-9-]+", i) for i in ids), ids
    assert ids[3] == "uelint/syntax-error" and ids[-1] == "uelint/odd-kind-error"
    again = log_of(result)["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert [n["descriptor"]["id"] for n in again] == ids


# --- URIs --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("app/a.js", "app/a.js"),
        (WEIRD_PATH, "src/dir%20with%20space/%C3%BCn%C3%AFcode%25.js"),
        ("a:b.js", "a%3Ab.js"),  # would otherwise read as a URI scheme
        ("weird #?[]@.js", "weird%20%23%3F%5B%5D%40.js"),
        ("./app/../app/c.js", "app/c.js"),
        (os.path.join(ROOT, "lib", "d.js"), "lib/d.js"),
    ],
)
def test_paths_become_relative_uri_references(path: str, expected: str) -> None:
    result = make_result([diag("XX001", Level.WARNING, "m", path, span(1, 1))])
    (entry,) = log_of(result)["runs"][0]["results"]
    artifact = entry["locations"][0]["physicalLocation"]["artifactLocation"]
    uri = artifact["uri"]
    assert uri == expected
    assert artifact["uriBaseId"] == "%SRCROOT%"
    assert rfc3986_validator.validate_rfc3986(uri, rule="URI_reference")
    parts = urllib.parse.urlsplit(uri)
    assert (parts.scheme, parts.netloc, parts.query, parts.fragment) == ("", "", "", "")
    assert not uri.startswith("/") and "\\" not in uri
    resolved = os.path.normpath(os.path.join(ROOT, urllib.parse.unquote(uri)))
    assert resolved == os.path.normpath(os.path.join(ROOT, path))


def test_weird_path_round_trips() -> None:
    uri, base = sarif.artifact_uri(WEIRD_PATH, ROOT)
    assert base == "%SRCROOT%"
    assert uri.isascii()
    assert urllib.parse.unquote(uri) == WEIRD_PATH


def test_path_outside_root_is_an_absolute_file_uri() -> None:
    outside = os.path.abspath(os.path.join(ROOT, "..", "elsewhere", "e f.js"))
    uri, base = sarif.artifact_uri(outside, ROOT)
    assert base is None
    assert uri == Path(outside).as_uri()
    assert uri.startswith("file:///") and uri.endswith("/e%20f.js")


def test_base_and_working_directory_uris(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    work = tmp_path / "wörk dir"
    work.mkdir()
    monkeypatch.chdir(work)
    run = log_of(full_result())["runs"][0]
    base = run["originalUriBaseIds"]["%SRCROOT%"]["uri"]
    assert base == Path(ROOT).as_uri() + "/"
    working = run["invocations"][0]["workingDirectory"]["uri"]
    assert working == Path(os.getcwd()).as_uri() + "/"
    assert working.endswith("/w%C3%B6rk%20dir/")


# --- fingerprints and stability ----------------------------------------------------------


def test_fingerprints_come_from_the_engine() -> None:
    source = b'userengage("client.update", { user_id: 1 });\n'
    text = SourceText(source)
    where = text.span(source.index(b"user_id"), source.index(b"user_id") + 7)
    stamped = fingerprints.stamp(text, [diag("XX002", Level.ERROR, "m", "a.js", where)])
    (entry,) = log_of(make_result(stamped))["runs"][0]["results"]
    prints = stamped[0].fingerprints
    assert prints is not None and prints.line_hash is not None
    assert entry["partialFingerprints"] == {
        "primaryLocationLineHash": prints.line_hash,
        "uelint/v2": prints.stable,
    }


def test_fingerprints_without_the_source_text() -> None:
    same = "Unused `thing` result."
    result = make_result(
        [
            diag("XX001", Level.WARNING, same, "a.js", span(1, 1)),
            diag("XX001", Level.WARNING, same, "a.js", span(5, 1)),
            diag("XX001", Level.WARNING, same, "b.js", span(1, 1)),
            diag("XX002", Level.ERROR, same, "a.js", span(1, 1)),
        ]
    )
    prints = [r["partialFingerprints"] for r in log_of(result)["runs"][0]["results"]]
    assert all(list(p) == ["uelint/v2"] for p in prints)  # no line hash without the text
    values = [p["uelint/v2"] for p in prints]
    assert all(re.fullmatch(r"[0-9a-f]{32}", v) for v in values)
    assert len(set(values)) == 4


def test_automation_details_carry_the_category() -> None:
    def category(name: str) -> str:
        options = ReportOptions(tool_version="1.2.3", sarif_category=name)
        log = sarif.build_log(make_result(), RULES, options, cwd=ROOT)
        value: str = log["runs"][0]["automationDetails"]["id"]
        return value

    assert log_of(make_result())["runs"][0]["automationDetails"] == {"id": "uelint/"}
    assert category("frontend") == "frontend/"
    assert category("uelint/web/") == "uelint/web/"


def test_related_locations() -> None:
    via = Related("lib/tracking.js", span(3, 10, 3, 20), "via `track`, defined here")
    result = make_result([replace(
        diag("XX001", Level.WARNING, "m", "app/a.js", span(1, 1)), related=(via,)
    )])
    (entry,) = log_of(result)["runs"][0]["results"]
    assert entry["relatedLocations"] == [{
        "id": 1,
        "physicalLocation": {
            "artifactLocation": {"uri": "lib/tracking.js", "uriBaseId": "%SRCROOT%"},
            "region": {"startLine": 3, "startColumn": 10, "endLine": 3, "endColumn": 20},
        },
        "message": {"text": "via `track`, defined here"},
    }]


def test_results_are_sorted_whatever_the_input_order() -> None:
    result = full_result()
    shuffled = make_result(reversed(result.diagnostics), result.errors)
    assert sarif.render(shuffled, RULES, OPTIONS) == sarif.render(result, RULES, OPTIONS)


def test_output_is_byte_identical_and_stable() -> None:
    first = sarif.render(full_result(), RULES, OPTIONS)
    second = sarif.render(full_result(), dict(reversed(list(RULES.items()))), OPTIONS)
    assert first == second
    assert first.endswith("}\n") and not first.endswith("\n\n")
    assert "🙈" in first and "ünïcode" not in first  # ensure_ascii=False; paths are encoded
    assert first.startswith('{\n  "$schema": "https://json.schemastore.org/sarif-2.1.0.json"')
    assert json.dumps(json.loads(first), indent=2, ensure_ascii=False) + "\n" == first


def test_render_through_the_format_registry() -> None:
    assert render_format("sarif", full_result(), RULES, OPTIONS) == sarif.render(
        full_result(), RULES, OPTIONS
    )


@pytest.mark.parametrize(
    ("version", "semantic"),
    [
        ("1.2.3", "1.2.3"),
        ("0.1.0", "0.1.0"),
        ("1.0.0-rc.1+build.5", "1.0.0-rc.1+build.5"),
        ("1.2", "1.2.0"),
        ("0.1.0rc1", "0.1.0-rc1"),
        ("0.2.0.dev3+g1234abc", "0.2.0-dev3+g1234abc"),
        ("0.1.dev0", "0.1.0-dev0"),
        ("not a version", None),
        ("1.0.post1", None),
    ],
)
def test_semantic_version(version: str, semantic: str | None) -> None:
    assert sarif.semantic_version(version) == semantic
    log = sarif.build_log(make_result(), RULES, ReportOptions(tool_version=version), cwd=ROOT)
    driver = log["runs"][0]["tool"]["driver"]
    assert driver["version"] == version
    assert driver.get("semanticVersion") == semantic


def test_markdown_to_text() -> None:
    markdown = (
        "## Why?\n"
        'A rejected request (`{"errors": {"user_id":\n[...]}}`) saves **nothing**.\n'
        "Keep `snake_case` and a_b_c as they are; a lone ` stays.\n"
        "\n"
        "~~~~js\n"
        "const a = `template ${x}`;\n"
        "~~~\n"
        "still code\n"
        "~~~~\n"
        "After <https://example.invalid/x> and \\*stars\\*."
    )
    assert sarif.markdown_to_text(markdown) == (
        "Why?\n"
        'A rejected request ({"errors": {"user_id": [...]}}) saves nothing.\n'
        "Keep snake_case and a_b_c as they are; a lone ` stays.\n"
        "\n"
        "    const a = `template ${x}`;\n"
        "    ~~~\n"
        "    still code\n"
        "After https://example.invalid/x and *stars*."
    )


def test_fixes_are_artifact_changes_that_validate(validator: Any) -> None:
    """A fix is the finding's byte edits in its file; an unsafe one says so."""
    safe = replace(diag("XX001", Level.WARNING, "m", "app/a.js", span(3, 7)),
                   fix=(Edit(40, 52, ""),))
    unsafe = replace(diag("XX002", Level.ERROR, "m", "app/é b.js", span(9, 1)),
                     fix=(Edit(90, 97, ""), Edit(60, 60, "UE.pageHit({ user_id: 1 });\n")),
                     unsafe_fix=True)
    log = log_of(make_result([safe, unsafe]))
    assert errors_of(validator, log) == []
    first, second = log["runs"][0]["results"]
    assert first["fixes"] == [{
        "description": {"text": "Fix XX001"},
        "artifactChanges": [{
            "artifactLocation": first["locations"][0]["physicalLocation"]["artifactLocation"],
            "replacements": [{"deletedRegion": {"byteOffset": 40, "byteLength": 12}}],
        }],
        "properties": {"safety": "safe"},
    }]
    (fix,) = second["fixes"]
    assert "unsafe" in fix["description"]["text"] and fix["properties"]["safety"] == "unsafe"
    assert fix["artifactChanges"][0]["replacements"] == [
        {"deletedRegion": {"byteOffset": 60, "byteLength": 0},
         "insertedContent": {"text": "UE.pageHit({ user_id: 1 });\n"}},
        {"deletedRegion": {"byteOffset": 90, "byteLength": 7}},
    ]
    assert "fixes" not in log_of(make_result([diag("XX001", Level.NOTE, "m", "a.js",
                                                   span(1, 1))]))["runs"][0]["results"][0]
