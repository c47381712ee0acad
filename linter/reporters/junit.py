"""`--format junit`: JUnit XML, for CI test-report importers (GitLab, Jenkins, GitHub test
report actions).

One test suite per file with problems, one failing test case per finding (an erroring one
per file that could not be checked); a clean run is one passing test case, so that
importers that refuse an empty report accept it. Test cases are named by position and
grouped by rule (`classname="uelint.UE001"`), and carry `file` and `line` for importers
that annotate code. No times or timestamps: the same run gives the same bytes.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Mapping

from uelint.diagnostic import Diagnostic, FileError, RunResult
from uelint.ir import Span
from uelint.reporters import ReportOptions, error_id, shown_path, shown_text
from uelint.rule import Rule

# Characters XML 1.0 cannot hold, not even escaped (ElementTree would write them as is).
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def render(result: RunResult, rules: Mapping[str, Rule], options: ReportOptions) -> str:
    cases: dict[str, list[ET.Element]] = {}
    for d in sorted(result.diagnostics, key=lambda d: d.sort_key):
        cases.setdefault(d.path, []).append(_finding(d, rules))
    for e in result.errors:
        cases.setdefault(e.path, []).append(_error(e))

    root = ET.Element("testsuites", name="uelint")
    if not cases:
        cases["uelint"] = [_case("uelint", "no problems found", None, None)]
    for path in sorted(cases):
        ET.SubElement(root, "testsuite", name=_xml(shown_path(path))).extend(cases[path])
    for element in root.iter():
        if element.tag in ("testsuites", "testsuite"):
            _count(element)
    ET.indent(root)
    body = ET.tostring(root, encoding="unicode")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n"


def _finding(diagnostic: Diagnostic, rules: Mapping[str, Rule]) -> ET.Element:
    case = _case(f"uelint.{diagnostic.code}", _where(diagnostic.path, diagnostic.span),
                 diagnostic.path, diagnostic.span)
    rule = rules.get(diagnostic.code)
    lines = [f"{_where(diagnostic.path, diagnostic.span)}: {diagnostic.code} {diagnostic.message}"]
    if diagnostic.snippet is not None:
        lines.append(diagnostic.snippet.text)
    if rule is not None and rule.help_uri:
        lines.append(f"{rule.code} {rule.name}: {rule.help_uri}")
    failure = ET.SubElement(case, "failure", message=_xml(diagnostic.message),
                            type=diagnostic.code)
    failure.text = _xml("\n".join(lines))
    return case


def _error(error: FileError) -> ET.Element:
    case = _case(error_id(error.kind).replace("/", "."), _where(error.path, error.span),
                 error.path, error.span)
    problem = ET.SubElement(case, "error", message=_xml(error.message), type=error.kind)
    problem.text = _xml(f"{_where(error.path, error.span)}: {error.message}")
    return case


def _case(classname: str, name: str, path: str | None, span: Span | None) -> ET.Element:
    attributes = {"classname": classname, "name": _xml(name)}
    if path is not None:
        attributes["file"] = _xml(shown_path(path))
    if span is not None:
        attributes["line"] = str(span.start_line)
    attributes["time"] = "0"
    return ET.Element("testcase", attributes)


def _count(element: ET.Element) -> None:
    """Set tests, failures and errors on a suite (or on all suites) from its test cases."""
    tests = failures = errors = 0
    for case in element.iter("testcase"):
        tests += 1
        failures += case.find("failure") is not None
        errors += case.find("error") is not None
    element.set("tests", str(tests))
    element.set("failures", str(failures))
    element.set("errors", str(errors))
    element.set("time", "0")


def _where(path: str, span: Span | None) -> str:
    return f"{shown_path(path)}:{span.start_line}:{span.start_col}" if span else shown_path(path)


def _xml(text: str) -> str:
    return _NOT_XML.sub("\ufffd", shown_text(text))
