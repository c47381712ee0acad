"""The `uelint` command: wires the stages together (no stage imports this module)."""

from __future__ import annotations

import argparse
import difflib
import os
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from linter import __version__, engine, plugins
from linter.diagnostic import RunResult
from linter.discover import PathError
from linter.reporters import FORMATS, ReportOptions, render
from linter.rule import Rule

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


class UsageError(Exception):
    """Bad arguments: reported on stderr with exit code 2."""


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        if args.command is None:
            parser.print_help()
            return EXIT_CLEAN
        return int(args.handler(args))
    except (UsageError, PathError, plugins.PluginError) as exc:
        print(f"uelint: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `uelint check | head`: the reader left, nothing more to say
        sys.stderr.close()
        return EXIT_ERROR


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="uelint",
        description="Static policy linter for User.com (UserEngage) tracking code.",
    )
    parser.add_argument("--version", action="version", version=f"uelint {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    check = sub.add_parser("check", help="check files and directories (default: .)",
                           description="Check JavaScript, TypeScript and Python files.")
    check.add_argument("paths", nargs="*", type=Path, metavar="PATH",
                       help="files or directories to check (default: the current directory)")
    check.add_argument("--format", choices=sorted(FORMATS), default="text",
                       help="report format (default: text)")
    check.add_argument("--output", "-o", type=Path, metavar="FILE",
                       help="write the report to FILE instead of standard output")
    check.add_argument("--select", action="append", default=[], metavar="CODES",
                       help="only these rule codes or prefixes, comma-separated (e.g. UE001,UE003)")
    check.add_argument("--ignore", action="append", default=[], metavar="CODES",
                       help="skip these rule codes or prefixes, comma-separated")
    check.add_argument("--color", choices=("auto", "always", "never"), default="auto",
                       help="colour in text output (default: auto, on a terminal without NO_COLOR)")
    check.set_defaults(handler=_check)

    rule = sub.add_parser("rule", help="show a rule's documentation")
    rule.add_argument("code", metavar="CODE")
    rule.set_defaults(handler=_rule)

    sub.add_parser("rules", help="list the rules").set_defaults(handler=_rules)
    sub.add_parser("plugins", help="list the loaded plugins").set_defaults(handler=_plugins)
    return parser


def _check(args: argparse.Namespace) -> int:
    registry = plugins.load()
    active = _select(registry.rules, _codes(args.select), _codes(args.ignore))
    result = engine.run(args.paths or [Path(".")], active)
    options = ReportOptions(
        color=args.output is None and _use_color(args.color, sys.stdout),
        tool_version=__version__,
    )
    report = render(args.format, result, registry.rules, options)
    if args.output is None:
        sys.stdout.write(report)
        sys.stdout.flush()
    else:
        _write_atomically(args.output, report)
    return _exit_code(result)


def _exit_code(result: RunResult) -> int:
    if result.errors:
        return EXIT_ERROR
    return EXIT_FINDINGS if result.diagnostics else EXIT_CLEAN


def _codes(values: list[str]) -> list[str]:
    return [code.strip().upper() for value in values for code in value.split(",") if code.strip()]


def _select(rules: dict[str, Rule], select: list[str], ignore: list[str]) -> list[Rule]:
    for selector in select + ignore:
        if not any(code.startswith(selector) for code in rules):
            hint = difflib.get_close_matches(selector, list(rules), n=1)
            known = ", ".join(rules)
            raise UsageError(
                f"unknown rule code or prefix {selector!r}"
                + (f"; did you mean {hint[0]}?" if hint else f" (known rules: {known})")
            )
    chosen = [r for code, r in rules.items() if not select or any(code.startswith(s) for s in select)]
    return [r for r in chosen if not any(r.code.startswith(s) for s in ignore)]


def _use_color(choice: str, stream: object) -> bool:
    if choice != "auto":
        return choice == "always"
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty()) and os.environ.get("TERM") != "dumb"


def _write_atomically(path: Path, text: str) -> None:
    """Never leave a half-written report: write a temporary file, then rename it over `path`."""
    directory = path.parent if str(path.parent) else Path(".")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror or exc}") from exc
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise


def _rule(args: argparse.Namespace) -> int:
    rules = plugins.load().rules
    code = args.code.strip().upper()
    by_name = {r.name: r for r in rules.values()}
    rule = rules.get(code) or by_name.get(args.code.strip())
    if rule is None:
        hint = difflib.get_close_matches(code, list(rules) + list(by_name), n=1)
        raise UsageError(f"unknown rule {args.code!r}" + (f"; did you mean {hint[0]}?" if hint else
                                                          "; `uelint rules` lists them"))
    print(f"# {rule.code} {rule.name} ({rule.level.value})\n\n{rule.summary}\n")
    print(rule.documentation())
    if rule.help_uri:
        print(f"\nMore: {rule.help_uri}")
    return EXIT_CLEAN


def _rules(args: argparse.Namespace) -> int:
    rules = plugins.load().rules.values()
    name_width = max((len(r.name) for r in rules), default=4)
    print(f"{'CODE':<6} {'NAME':<{name_width}} {'LEVEL':<7} SUMMARY")
    for r in rules:
        print(f"{r.code:<6} {r.name:<{name_width}} {r.level.value:<7} {r.summary}")
    return EXIT_CLEAN


def _plugins(args: argparse.Namespace) -> int:
    for name, origin in plugins.load().plugins:
        print(f"{name} ({origin})")
    return EXIT_CLEAN


if __name__ == "__main__":
    sys.exit(main())
