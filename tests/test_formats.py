"""Every report format, checked with the consumers' own schemas and readers: JSON Schema for
our JSON report and GitLab's Code Quality issues, Jenkins' JUnit XSD (xmlschema) and a JUnit
reader (junitparser); the GitHub workflow commands with the Actions runner's unescaping."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import junitparser
import pytest
import xmlschema
from jsonschema import validators

from tests.formats_sample import run_sample
from uelint import fingerprints, plugins
from uelint.diagnostic import Diagnostic, FileError, Level, RunResult, Snippet
from uelint.ir import Span
from uelint.reporters import FORMATS, ReportOptions, render
from uelint.rule import Rule

SCHEMAS = Path(__file__).parent / "schemas"
JSON_SCHEMA = Path(__file__).parents[1] / "linter" / "reporters" / "json-report.schema.json"
RULES: dict[str, Rule] = plugins.load(autoload=False).rules
OPTIONS = ReportOptions(tool_version="1.0.0")
GITLAB_SEVERITIES = {"info", "minor", "major", "critical", "blocker"}  # CodequalityReports


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> RunResult:
    return run_sample(tmp_path_factory.mktemp("sample"))


def clean_result() -> RunResult:
    return RunResult((), (), files_checked=3, files_parsed=1, root="/srv/project")


def report(fmt: str, result: RunResult) -> str:
    return render(fmt, result, RULES, OPTIONS)


def test_the_sample_has_what_the_formats_must_handle(sample: RunResult) -> None:
    assert {d.code for d in sample.diagnostics} == {"UE001", "UE002", "UE003"}
    assert {d.level for d in sample.diagnostics} == {Level.ERROR, Level.WARNING}
    assert any(d.related for d in sample.diagnostics)
    assert {e.kind for e in sample.errors} == {"syntax", "decode"}
    assert all(d.fingerprints and d.fingerprints.line_hash for d in sample.diagnostics)


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_every_format_is_deterministic(fmt: str, sample: RunResult) -> None:
    shuffled = RunResult(tuple(reversed(sample.diagnostics)), sample.errors,
                         sample.files_checked, sample.files_parsed, sample.root)
    assert report(fmt, sample) == report(fmt, shuffled)
    assert report(fmt, sample).endswith("\n")


# --- json -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def json_validator() -> Any:
    schema = json.loads(JSON_SCHEMA.read_text("utf-8"))
    cls = validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


@pytest.mark.parametrize("case", ["sample", "clean"])
def test_json_report_matches_its_schema(case: str, sample: RunResult, json_validator: Any) -> None:
    data = json.loads(report("json", sample if case == "sample" else clean_result()))
    assert [e.message for e in json_validator.iter_errors(data)] == []


def test_json_schema_rejects_what_it_should(sample: RunResult, json_validator: Any) -> None:
    data = json.loads(report("json", sample))
    data["findings"][0]["line"] = 0
    data["findings"][1]["surprise"] = True
    data["errors"][0]["kind"] = ""
    assert len(list(json_validator.iter_errors(data))) == 3


def test_json_findings(sample: RunResult) -> None:
    data = json.loads(report("json", sample))
    assert data["version"] == 1 and data["tool"] == {"name": "uelint", "version": "1.0.0"}
    assert data["files"] == {"checked": sample.files_checked, "parsed": sample.files_parsed}
    assert len(data["findings"]) == len(sample.diagnostics)
    for finding, diagnostic in zip(data["findings"], sample.diagnostics, strict=True):
        assert finding["rule"] == diagnostic.code and finding["path"] == diagnostic.path
        assert (finding["line"], finding["column"]) == (diagnostic.span.start_line,
                                                        diagnostic.span.start_col)
        assert finding["fingerprint"] == fingerprints.of(diagnostic).stable
        assert finding["name"] == RULES[diagnostic.code].name
    assert len({f["fingerprint"] for f in data["findings"]}) == len(data["findings"])
    (wrapped,) = [f for f in data["findings"] if f["related"]]
    assert wrapped["related"][0]["message"].startswith("via `send`")
    kinds = {e["kind"]: e for e in data["errors"]}
    assert kinds["decode"]["line"] == 1


def test_json_error_without_position_has_nulls() -> None:
    result = RunResult((), (FileError("a.js", "read", "permission denied"),), 1, 0, "/srv")
    (error,) = json.loads(report("json", result))["errors"]
    assert error == {"kind": "read", "message": "permission denied", "path": "a.js",
                     "line": None, "column": None, "end_line": None, "end_column": None}


# --- gitlab ---------------------------------------------------------------------------------


def gitlab_issues(result: RunResult) -> list[dict[str, Any]]:
    issues: list[dict[str, Any]] = json.loads(report("gitlab", result))
    return issues


def test_gitlab_issues_pass_gitlabs_own_validation(sample: RunResult) -> None:
    schema = json.loads((SCHEMAS / "gitlab-codeclimate.json").read_text("utf-8"))
    validator = validators.validator_for(schema)(schema)
    issues = gitlab_issues(sample)
    assert len(issues) == len(sample.diagnostics) + len(sample.errors)
    for issue in issues:
        assert [e.message for e in validator.iter_errors(issue)] == []
        # What GitLab's documentation requires beyond its schema.
        assert issue["check_name"] and issue["location"]["path"]
        assert issue["location"]["positions"]["begin"]["line"] >= 1
        assert issue["severity"] in GITLAB_SEVERITIES
    # GitLab keeps one issue per fingerprint: a duplicate would hide a finding.
    assert len({issue["fingerprint"] for issue in issues}) == len(issues)


def test_gitlab_severities_and_descriptions(sample: RunResult) -> None:
    by_check: dict[str, set[str]] = {}
    for issue in gitlab_issues(sample):
        by_check.setdefault(issue["check_name"], set()).add(issue["severity"])
    assert by_check["UE001"] == {"major"} and by_check["UE002"] == {"minor"}
    assert by_check["uelint/syntax-error"] == {"major"}
    first = gitlab_issues(sample)[0]
    assert first["description"].startswith(f"{first['check_name']}: ")


def test_gitlab_clean_report_is_an_empty_array() -> None:
    assert report("gitlab", clean_result()) == "[]\n"


def test_gitlab_error_fingerprints_are_unique_and_stable() -> None:
    same = FileError("a.js", "read", "gone")
    result = RunResult((), (same, same, FileError("b.js", "read", "gone")), 3, 0, "/srv")
    keys = [issue["fingerprint"] for issue in gitlab_issues(result)]
    assert len(set(keys)) == 3
    assert keys == [issue["fingerprint"] for issue in gitlab_issues(result)]


# --- junit ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def junit_schema() -> xmlschema.XMLSchema:
    return xmlschema.XMLSchema(str(SCHEMAS / "jenkins-junit-10.xsd"))


def junit_file(tmp_path: Path, result: RunResult) -> Path:
    path = tmp_path / "report.xml"
    path.write_text(report("junit", result), encoding="utf-8")
    return path


@pytest.mark.parametrize("case", ["sample", "clean"])
def test_junit_is_valid_for_jenkins(
    case: str, sample: RunResult, junit_schema: xmlschema.XMLSchema, tmp_path: Path
) -> None:
    path = junit_file(tmp_path, sample if case == "sample" else clean_result())
    junit_schema.validate(str(path))


def test_junit_reader_counts_agree(sample: RunResult, tmp_path: Path) -> None:
    xml = junitparser.JUnitXml.fromfile(str(junit_file(tmp_path, sample)))
    cases = [case for suite in xml for case in suite]
    failures = [case for case in cases
                if any(isinstance(r, junitparser.Failure) for r in case.result)]
    errors = [case for case in cases if any(isinstance(r, junitparser.Error) for r in case.result)]
    assert len(failures) == len(sample.diagnostics)
    assert len(errors) == len(sample.errors)
    assert {suite.name for suite in xml} == {d.path for d in sample.diagnostics} | {
        e.path for e in sample.errors}
    for suite in xml:
        assert suite.tests == len(list(suite))
        assert suite.failures + suite.errors == suite.tests
    root = ET.parse(junit_file(tmp_path, sample)).getroot()
    assert root.get("tests") == str(len(cases))
    assert root.get("failures") == str(len(failures))


def test_junit_clean_run_is_one_passing_test(tmp_path: Path) -> None:
    xml = junitparser.JUnitXml.fromfile(str(junit_file(tmp_path, clean_result())))
    (suite,) = list(xml)
    (case,) = list(suite)
    assert case.is_passed and suite.tests == 1 and suite.failures == 0


def test_junit_has_no_characters_xml_forbids(sample: RunResult) -> None:
    text = report("junit", sample)
    assert "\x1b" not in text and "\x07" not in text
    ET.fromstring(text)  # well-formed


def test_junit_cases_locate_the_finding(sample: RunResult) -> None:
    root = ET.fromstring(report("junit", sample))
    profile = [c for c in root.iter("testcase") if c.get("file") == "web/src/profile.js"]
    assert [(c.get("classname"), c.get("name"), c.get("line")) for c in profile] == [
        ("uelint.UE001", "web/src/profile.js:4:5", "4"),
        ("uelint.UE003", "web/src/profile.js:6:5", "6"),
    ]


# --- github ---------------------------------------------------------------------------------


def runner_parse(line: str) -> tuple[str, dict[str, str], str]:
    """How the Actions runner reads a workflow command (ActionCommand.TryParseV2): split at
    the first `::` after the name, properties at `,` and the first `=`, then unescape."""
    assert line.startswith("::")
    end = line.index("::", 2)
    info, data = line[2:end], line[end + 2:]
    name, _, listed = info.partition(" ")
    properties = {}
    for pair in filter(None, listed.split(",")):
        key, _, value = pair.partition("=")
        for escaped, raw in (("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","),
                             ("%25", "%")):
            value = value.replace(escaped, raw)
        properties[key] = value
    for escaped, raw in (("%0D", "\r"), ("%0A", "\n"), ("%25", "%")):
        data = data.replace(escaped, raw)
    return name, properties, data


def test_github_commands_round_trip_through_the_runner(sample: RunResult) -> None:
    lines = report("github", sample).splitlines()
    assert len(lines) == len(sample.diagnostics) + len(sample.errors)
    for line, diagnostic in zip(lines, sample.diagnostics, strict=False):  # errors' lines follow
        name, properties, message = runner_parse(line)
        assert name == {"error": "error", "warning": "warning"}[diagnostic.level.value]
        assert message == diagnostic.message
        assert properties == {
            "title": f"{diagnostic.code} {RULES[diagnostic.code].name}",
            "file": diagnostic.path,
            "line": str(diagnostic.span.start_line),
            "endLine": str(diagnostic.span.end_line),
            "col": str(diagnostic.span.start_col),
            "endColumn": str(diagnostic.span.end_col),
        }
    name, properties, message = runner_parse(lines[-1])
    assert (name, properties["title"]) == ("error", f"uelint {sample.errors[-1].kind} error")


def test_github_escaping_of_awkward_text() -> None:
    where = Span(1, 2, 3, 4, 0, 0)
    nasty = "100% done,\r\nnext: ::stop-commands::x"
    result = RunResult(
        (Diagnostic("ZZ001", Level.NOTE, nasty, "a,b:c%d.js", where),), (), 1, 1, "/srv")
    (line,) = report("github", result).splitlines()
    assert line == (
        "::notice title=ZZ001,file=a%2Cb%3Ac%25d.js,line=1,endLine=3,col=2,endColumn=4"
        "::100%25 done,%0D%0Anext: ::stop-commands::x"
    )
    assert runner_parse(line) == ("notice", {
        "title": "ZZ001", "file": "a,b:c%d.js", "line": "1", "endLine": "3", "col": "2",
        "endColumn": "4"}, nasty)


def test_github_error_without_position() -> None:
    result = RunResult((), (FileError("a.js", "read", "gone"),), 1, 0, "/srv")
    assert report("github", result) == "::error title=uelint read error,file=a.js::gone\n"


def test_github_clean_run_prints_nothing() -> None:
    assert report("github", clean_result()) == ""


# --- statistics -----------------------------------------------------------------------------


def test_statistics_counts_per_rule(sample: RunResult) -> None:
    lines = report("statistics", sample).splitlines()
    counts = {}
    for line in lines[:3]:
        count, code, name = line.split()
        counts[code] = int(count)
        assert RULES[code].name == name
    assert counts == {"UE001": 7, "UE003": 4, "UE002": 1}
    assert list(counts) == ["UE001", "UE003", "UE002"]  # most first
    assert lines[-2].startswith("Found 12 problems")
    assert "could not be checked completely" in lines[-1]


def test_statistics_of_a_clean_run() -> None:
    assert report("statistics", clean_result()) == "All checks passed (3 files checked).\n"


# --- text -----------------------------------------------------------------------------------


def text(result: RunResult, width: int | None) -> str:
    return render("text", result, RULES, ReportOptions(tool_version="1.0.0", width=width))


def display_width(line: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(c) in ("W", "F") else 1 for c in line)


def diagnostic_heads(output: str) -> Iterator[str]:
    return (line for line in output.splitlines() if ": UE00" in line and not line.startswith(" "))


@pytest.mark.parametrize("width", [80, 100])
def test_text_fits_the_terminal(width: int, sample: RunResult) -> None:
    output = text(sample, width)
    assert max(display_width(line) for line in output.splitlines()) <= width
    heads = list(diagnostic_heads(output))
    assert len(heads) == len(sample.diagnostics)
    for head, diagnostic in zip(heads, sample.diagnostics, strict=True):
        span = diagnostic.span
        level = diagnostic.level.value
        assert head.startswith(f"{diagnostic.path}:{span.start_line}:{span.start_col}: "
                               f"{diagnostic.code} [{level}] {diagnostic.message.split()[0]}")


def test_text_without_a_width_keeps_each_message_on_its_first_line(sample: RunResult) -> None:
    output = text(sample, None)
    for diagnostic in sample.diagnostics:
        span = diagnostic.span
        assert (f"{diagnostic.path}:{span.start_line}:{span.start_col}: {diagnostic.code} "
                f"[{diagnostic.level.value}] {diagnostic.message}\n") in output


def excerpt(snippet: Snippet, width: int | None) -> list[str]:
    where = Span(7, snippet.start + 1, 7, snippet.end + 1, 0, 0)
    result = RunResult((Diagnostic("UE001", Level.ERROR, "m", "a.js", where, snippet),), (),
                       1, 1, "/srv")
    return text(result, width).splitlines()[1:4]


def caret_columns(lines: list[str]) -> tuple[int, int]:
    marks = lines[2]
    return display_width(marks[: marks.index("^")]), marks.count("^")


def test_text_carets_under_wide_characters_and_tabs() -> None:
    source = "\tconst s = '日本 🙈'; f({ user_id });"
    start = source.index("user_id")
    lines = excerpt(Snippet(source, start, start + 7), None)
    shown = lines[1]
    assert "\t" not in shown
    column, count = caret_columns(lines)
    assert display_width(shown[: shown.index("user_id")]) == column and count == 7


def test_text_long_line_is_windowed_around_the_finding() -> None:
    source = "x" * 300 + " user_id " + "y" * 300
    start = source.index("user_id")
    lines = excerpt(Snippet(source, start, start + 7), 80)
    shown = lines[1]
    assert display_width(shown) <= 80 and "…" in shown
    column, count = caret_columns(lines)
    assert shown[column : column + 7] == "user_id" and count == 7


def test_text_shows_control_characters_harmlessly() -> None:
    source = 'f({ user_id: "\x1b[31m\x07" });'
    start = source.index("user_id")
    shown = excerpt(Snippet(source, start, start + 7), None)[1]
    assert "\x1b" not in shown and "\x07" not in shown and "␛[31m␇" in shown


def test_text_related_locations_are_notes(sample: RunResult) -> None:
    output = text(sample, None)
    assert "  = note: web/src/tracking.js:1:1: via `send`, defined here" in output
