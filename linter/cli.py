"""The `uelint` command: wires the stages together (no stage imports this module)."""

from __future__ import annotations

import argparse
import contextlib
import os
import stat
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, NoReturn

from uelint import (
    __version__,
    baseline,
    cache,
    config,
    configured,
    engine,
    fixes,
    languages,
    plugins,
    project,
)
from uelint.diagnostic import Level, RunResult
from uelint.discover import Exclude, PathError
from uelint.overrides import Overrides, Pairs, patterns, per_file
from uelint.policy import Policies, Policy
from uelint.reporters import DEFAULT_SARIF_CATEGORY, FORMATS, ReportOptions, render
from uelint.rule import Rule
from uelint.source import write_atomically
from uelint.timing import Timings

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


class UsageError(Exception):
    """Bad arguments: reported on stderr with exit code 2."""


@dataclass(frozen=True)
class Report:
    """One report of a run: a format, and the file it goes to (None: standard output)."""

    fmt: str
    path: Path | None
    concise: bool = False  # text: one line per finding (`--output-format concise`)


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        if args.command is None:
            parser.print_help()
            return EXIT_CLEAN
        return int(args.handler(args))
    except (UsageError, PathError, plugins.PluginError, config.ConfigError,
            baseline.BaselineError) as exc:
        print(f"uelint: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `uelint check | head`: the reader left, nothing more to say
        sys.stderr.close()
        return EXIT_ERROR
    except Exception:  # a bug: say so, and never exit 1, which means "problems found"
        import traceback

        traceback.print_exc()
        print("uelint: internal error (a bug in uelint: please report it with the traceback "
              "above)", file=sys.stderr)
        return EXIT_ERROR


def run() -> NoReturn:
    """The `uelint` command: `main`, then out without tearing the interpreter down, which
    would free every object one by one (10 ms of a warm run; mypy exits the same way).
    Everything is written and closed by then; the standard streams are flushed here."""
    code = main()  # argparse's SystemExit (a usage error, --help) leaves the usual way
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a full disk, a reader that left, a stream closed above
            code = EXIT_ERROR
    os._exit(code)


class _Version(argparse.Action):
    """--version: uelint's, and those of the parsers it reads code with (their metadata
    only: importing them would cost start-up time)."""

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace,
                 values: object, option_string: str | None = None) -> NoReturn:
        from importlib import metadata

        lines = [f"uelint {__version__}"]
        for name in _PARSERS:
            try:
                lines.append(f"  {name} {metadata.version(name)}")
            except metadata.PackageNotFoundError:
                lines.append(f"  {name} (not installed)")
        print("\n".join(lines))
        parser.exit()


# The distributions whose versions decide what uelint can parse.
_PARSERS = ("tree-sitter", "tree-sitter-javascript", "tree-sitter-typescript", "tree-sitter-html",
            "tree-sitter-php", "libcst")


class _Formatter(argparse.HelpFormatter):
    """argparse's, sized without shutil: argparse imports it (with bz2 and lzma, 3 ms) on
    every run, for a width that only --help uses."""

    def __init__(self, prog: str, indent_increment: int = 2, max_help_position: int = 24,
                 width: int | None = None) -> None:
        super().__init__(prog, indent_increment, max_help_position, width or _columns())


class _Parser(argparse.ArgumentParser):
    """The subcommands' parsers: argparse's, with the same formatter."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **{"formatter_class": _Formatter, **kwargs})


def _columns() -> int:
    """The terminal's width, as shutil.get_terminal_size finds it."""
    with contextlib.suppress(ValueError):
        if int(os.environ.get("COLUMNS", "0")) > 0:
            return int(os.environ["COLUMNS"])
    try:
        return os.get_terminal_size(sys.__stdout__.fileno()).columns or 80  # type: ignore[union-attr]
    except (AttributeError, ValueError, OSError):  # no standard output, not a terminal
        return 80


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="uelint", allow_abbrev=False, formatter_class=_Formatter,
        description="Static policy linter for User.com (UserEngage) tracking code.",
    )
    parser.add_argument("--version", action=_Version, nargs=0,
                        help="print uelint's version and those of its parsers, and exit")
    # No abbreviations: `--form json --stat` must be an error, not --format json --statistics.
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    check = sub.add_parser("check", help="check files and directories (default: .)",
                           allow_abbrev=False,
                           description="Check JavaScript, TypeScript and Python files.")
    check.add_argument("paths", nargs="*", type=Path, metavar="PATH",
                       help="files or directories to check (default: the current directory)")
    # Ruff's help headings, so that --help reads as the README's Usage does
    reports = check.add_argument_group("reports")
    rules = check.add_argument_group("rule selection (codes or prefixes, comma-separated)")
    files = check.add_argument_group("file selection")
    settings = check.add_argument_group("configuration")
    exit_code = check.add_argument_group("exit code")
    fixing = check.add_argument_group("fixes")
    baselines = check.add_argument_group("baselines")
    speed = check.add_argument_group("speed")
    reports.add_argument("--format", choices=list(FORMATS),
                       help="report format (default: text)")
    reports.add_argument("--output", "-o", type=Path, metavar="FILE",
                       help="write the report to FILE instead of standard output")
    reports.add_argument("--output-format", action="append", default=[], type=_report,
                       metavar="FORMAT[=PATH]",
                       help="also write a report in FORMAT to PATH (- or none: standard "
                            "output); repeatable, so one run writes several reports. "
                            "concise and full (Ruff's names) are the text report with one "
                            "line per finding, or with the source excerpt (text's default)")
    reports.add_argument("--statistics", action="store_true",
                       help="print the number of problems per rule instead of the problems")
    reports.add_argument("--sarif-category", default=DEFAULT_SARIF_CATEGORY, type=_category,
                       metavar="CATEGORY",
                       help="SARIF run.automationDetails.id, which GitHub code scanning reads "
                            f"as the analysis category (default: {DEFAULT_SARIF_CATEGORY})")
    files.add_argument("--stdin-filename", metavar="NAME",
                       help="check standard input as if it were the file NAME")
    rules.add_argument("--select", action="append", default=[], metavar="CODES",
                       help="only these rule codes or prefixes, comma-separated (e.g. "
                            "UE001,UE003; ALL: every rule), in place of the configuration's")
    rules.add_argument("--extend-select", action="append", default=[], metavar="CODES",
                       help="these codes or prefixes too, on top of select")
    rules.add_argument("--ignore", action="append", default=[], metavar="CODES",
                       help="skip these rule codes or prefixes, comma-separated")
    rules.add_argument("--per-file-ignores", action="append", type=per_file, metavar="GLOB:CODES",
                       help="skip CODES in the files GLOB matches (relative to the working "
                            "directory), in place of the configuration's per-file-ignores; "
                            "repeatable, or GLOB:CODE,CODE,GLOB:CODE")
    rules.add_argument("--extend-per-file-ignores", action="append", default=[], type=per_file,
                       metavar="GLOB:CODES", help="as --per-file-ignores, on top of the "
                       "configuration's")
    files.add_argument("--exclude", action="append", type=patterns, metavar="PATTERNS",
                       help="gitignore-style patterns (comma-separated, relative to the working "
                            "directory) to skip, in place of the configured and default excludes")
    files.add_argument("--extend-exclude", action="append", default=[], type=patterns,
                       metavar="PATTERNS", help="as --exclude, on top of the configured and "
                                                "default excludes")
    settings.add_argument("--isolated", action="store_true",
                       help="ignore every configuration file: the defaults and the command line")
    files.add_argument("--show-files", action="store_true",
                       help="list the files that would be checked, and exit")
    settings.add_argument("--show-settings", action="store_true",
                       help="print the settings that govern the first PATH (the configuration "
                            "file and the command line's overrides), and exit")
    reports.add_argument("--color", choices=("auto", "always", "never"), default="auto",
                       help="colour in text output (default: auto, on a terminal without NO_COLOR)")
    speed.add_argument("--jobs", "-j", type=_jobs, metavar="N",
                       help="processes that parse files (default: the number of cores); "
                            "a small input (a pre-commit batch) is checked in one")
    speed.add_argument("--no-cache", action="store_true",
                       help=f"neither read nor write the cache (${cache.ENV_DIR}, else "
                            "one directory per project in the user's cache directory)")
    exit_code.add_argument("--exit-zero", action="store_true",
                       help="exit 0 even when problems are found (2 still means an error)")
    exit_code.add_argument("--max-warnings", type=_count, metavar="N",
                       help="exit 1 when there are more than N warnings, whatever fail-on says")
    reports.add_argument("--quiet", "-q", action="store_true",
                       help="print the findings only: no summary, no notes on standard error")
    fixing.add_argument("--diff", action="store_true",
                       help="show the fixes --fix would make as a unified diff, write nothing, "
                            "and exit 1 if there are any")
    speed.add_argument("--timing", action="store_true",
                       help="print where the time went on standard error")
    settings.add_argument("--verbose", "-v", action="store_true",
                       help="say on standard error which configuration file governs the run "
                            "and why, where the cache is, and which rules run")
    _config_option(settings)
    files.add_argument("--force-exclude", action="store_true",
                       help="apply the configured excludes to files named on the command line "
                            "too (pre-commit names files)")
    fixing.add_argument("--fix", action="store_true",
                       help="apply the fixes that findings carry (removes unused suppressions)")
    fixing.add_argument("--unsafe-fixes", action="store_true",
                       help="with --fix, also apply the fixes that change what is sent (UE004's "
                            "event. prefix, UE007's standardised names)")
    reports.add_argument("--include-suppressed", action="store_true",
                       help="keep findings suppressed in the source in SARIF and JSON reports, "
                            "marked with their justification (for editors)")
    baselines.add_argument("--write-baseline", type=Path, metavar="FILE",
                       help="record today's findings in FILE and exit 0")
    baselines.add_argument("--baseline", type=Path, metavar="FILE",
                       help="report only findings that are not in the baseline FILE")
    baselines.add_argument("--prune-baseline", action="store_true",
                       help="with --baseline: drop the entries that no longer match from FILE")
    check.set_defaults(handler=_check)

    show = sub.add_parser("config", help="print the effective configuration",
                          allow_abbrev=False)
    show.add_argument("path", nargs="?", type=Path, default=Path("."), metavar="PATH",
                      help="where to look for the configuration (default: .)")
    _config_option(show)
    show.set_defaults(handler=_config)

    rule = sub.add_parser("rule", help="show a rule's documentation", allow_abbrev=False)
    which = rule.add_mutually_exclusive_group(required=True)
    which.add_argument("code", nargs="?", metavar="CODE", help="a rule's code or name")
    which.add_argument("--all", action="store_true", help="every rule's documentation")
    rule.set_defaults(handler=_rule)

    listing = sub.add_parser("rules", help="list the rules", allow_abbrev=False)
    listing.add_argument("--format", choices=("text", "json"), default="text",
                         help="a table (default) or JSON")
    listing.set_defaults(handler=_rules)
    sub.add_parser("plugins", help="list the loaded plugins").set_defaults(handler=_plugins)
    sub.add_parser("server", help="run the language server (LSP over standard input and "
                   "output; needs the lsp extra)", allow_abbrev=False).set_defaults(
        handler=_server)
    return parser


def _config_option(parser: argparse.ArgumentParser | argparse._ArgumentGroup) -> None:
    parser.add_argument("--config", type=Path, metavar="PATH",
                        help="the configuration file to use (default: the nearest "
                             f"{', '.join(config.CONFIG_FILES)} with [tool.uelint] up from PATH)")


def _check(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    try:
        os.getcwd()
    except FileNotFoundError:
        raise UsageError("the current directory does not exist any more") from None
    reports = _reports(args)
    if args.prune_baseline and args.baseline is None:
        raise UsageError("--prune-baseline goes with --baseline FILE")
    if args.isolated and args.config is not None:
        raise UsageError("--config cannot be used with --isolated (which reads no configuration)")
    cwd = Path.cwd()
    paths, buffers = _inputs(args)
    root = project.root_for(cwd, paths, configured=args.config is None and not args.isolated)
    cache_dir = None if args.no_cache else cache.default_directory(root or cwd)
    registry = plugins.load(cache_dir=cache_dir)
    configs = _configs(args, registry.rules, root or cwd)
    settings = configs.top
    rules = configured.configure(registry.rules, settings)
    known = frozenset(registry.rules)
    active = _active(registry.rules, settings, args)
    policies = Policies(configs, lambda s: Policy(s, known, frozenset(
        _chosen(registry.rules, s, args)), cwd), cwd)
    entries = baseline.read(args.baseline) if args.baseline is not None else None
    if args.show_settings:
        return _show_settings(configs, paths[0], registry.rules, args)
    if args.verbose:
        where = cache_dir or "off (--no-cache)"
        print(f"uelint: project: {root or 'none (the paths named are checked alone)'}\n"
              f"uelint: configuration: {configs.governing(paths[0]).describe()}\n"
              f"uelint: cache: {where}\n"
              f"uelint: rules: {', '.join(active)} of {len(rules)} loaded", file=sys.stderr)
    timings = Timings()
    exclude = Exclude(
        settings.root,  # with no configuration file: the working directory (the CLI's patterns)
        (settings.exclude or ()) + settings.extend_exclude,
        defaults=settings.exclude is None, force=args.force_exclude or settings.force_exclude,
    )
    if args.show_files:
        return _show_files(paths, buffers, exclude)
    store = None if cache_dir is None else cache.Cache(
        cache_dir, configured.analysis_digest(rules, settings))
    if buffers and exclude.force and exclude.skips_named(paths[0]):
        result = RunResult((), (), 0, 0, str(cwd))  # --force-exclude: as pre-commit expects
    else:
        result = engine.run(paths, rules, project=root, buffers=buffers, jobs=args.jobs,
                            cache=store, timings=timings, policy=policies, exclude=exclude,
                            declared=settings.wrappers)
    if args.diff:
        return _show_diff(result, args)
    if args.fix:
        result, refused = fixes.apply(result, unsafe=args.unsafe_fixes)
        for path in refused:
            print(f"uelint: not fixed: {path}: the fixed file would not parse (a bug in a "
                  "fix: please report it); its findings stay reported", file=sys.stderr)
    if args.write_baseline is not None:
        findings = [d for d in result.diagnostics if d.suppressed is None]
        _write_baseline(args.write_baseline, baseline.write(args.write_baseline, findings))
        print(f"Wrote {len(findings)} finding(s) to the baseline {args.write_baseline}.",
              file=sys.stderr)
        return EXIT_ERROR if result.errors else EXIT_CLEAN
    if entries is not None:
        result = _against_baseline(args, entries, result)
    reporting = time.perf_counter()
    written = True
    # Files first: a reader that closes standard output early must not cost them.
    for report in sorted(reports, key=lambda r: r.path is None):
        on_terminal = report.path is None
        options = ReportOptions(
            color=on_terminal and _use_color(args.color, sys.stdout),
            tool_version=__version__,
            width=_terminal_width(sys.stdout) if on_terminal else None,
            sarif_category=args.sarif_category,
            concise=report.concise,
            quiet=args.quiet,
        )
        keep_suppressed = args.include_suppressed and report.fmt in ("sarif", "json")
        shown = result if keep_suppressed else _unsuppressed(result)
        text = render(report.fmt, shown, registry.rules, options)
        try:  # one report that cannot be written must not cost the others
            if report.path is None:
                sys.stdout.write(text)
                sys.stdout.flush()
            else:
                _write_report(report.path, text)
        except BrokenPipeError:
            raise
        except OSError as exc:
            where = report.path or "standard output"
            print(f"uelint: error: cannot write the {report.fmt} report to {where}: "
                  f"{exc.strerror or exc}", file=sys.stderr)
            written = False
    if args.timing:
        timings.seconds["report"] += time.perf_counter() - reporting
        sys.stderr.write(timings.render(time.perf_counter() - started))
    if result.fixed and not args.quiet:
        print(f"Fixed {result.fixed} problem(s).", file=sys.stderr)
    code = _exit_code(_unsuppressed(result), Level(settings.fail_on), args.max_warnings)
    if not written:
        return EXIT_ERROR
    return EXIT_CLEAN if args.exit_zero and code == EXIT_FINDINGS else code


def _configs(args: argparse.Namespace, rules: dict[str, Rule], root: Path) -> project.Configs:
    if args.config is not None and not args.config.is_file():
        raise UsageError(f"{args.config}: no such configuration file")
    override = _overrides(args, list(rules))
    return project.Configs(root, lambda path: override(config.load(path, rules)),
                           fixed=args.config, isolated=getattr(args, "isolated", False))


def _overrides(args: argparse.Namespace, known: list[str]) -> Overrides:
    """The command line's --exclude, --per-file-ignores and their extend- forms (none for
    `uelint config`, which takes none of them)."""
    def pairs(values: list[list[tuple[str, list[str]]]]) -> Pairs:
        found = [pair for value in values for pair in value]
        for _, codes in found:
            _check_codes(known, codes)
        return tuple((glob, config.expand_all(codes, known)) for glob, codes in found)

    exclude, per_file = getattr(args, "exclude", None), getattr(args, "per_file_ignores", None)
    return Overrides(
        Path.cwd().resolve(),
        exclude=None if exclude is None else tuple(p for ps in exclude for p in ps),
        extend_exclude=tuple(p for ps in getattr(args, "extend_exclude", []) for p in ps),
        per_file_ignores=None if per_file is None else pairs(per_file),
        extend_per_file_ignores=pairs(getattr(args, "extend_per_file_ignores", [])),
    )


def _show_settings(configs: project.Configs, path: Path, rules: dict[str, Rule],
                   args: argparse.Namespace) -> int:
    """--show-settings: what governs `path`, with the command line's overrides applied."""
    settings = configs.settings(path)
    active = _chosen(rules, settings, args)
    sys.stdout.write(f"# settings for {path}\n# {configs.governing(path).describe()}\n"
                     f"{settings.as_toml()}\n# rules reported: {', '.join(active) or 'none'}\n")
    return EXIT_CLEAN


def _show_files(paths: list[Path], buffers: dict[str, bytes], exclude: Exclude) -> int:
    """--show-files: the files a run would check (and report), sorted, one a line."""
    from uelint.checker import display_path
    from uelint.discover import discover

    if buffers:
        found = [str(paths[0])]
    else:
        cwd = Path.cwd()
        found = sorted({display_path(Path(s.path), cwd) for s in discover(paths, exclude)
                        if s.language is not None or s.explicit})
    sys.stdout.write("".join(f"{name}\n" for name in found))
    return EXIT_CLEAN


def _show_diff(result: RunResult, args: argparse.Namespace) -> int:
    """--diff: the fixes as a unified diff on standard output, nothing written; 1 if any."""
    text, count = fixes.diff(result, unsafe=args.unsafe_fixes)
    sys.stdout.write(text)
    if not args.quiet:
        print(f"Would fix {count} problem(s)." if count else "No fixes available.",
              file=sys.stderr)
    if result.errors:
        return EXIT_ERROR
    return EXIT_FINDINGS if count else EXIT_CLEAN


def _active(
    rules: dict[str, Rule], settings: config.Settings, args: argparse.Namespace
) -> list[str]:
    """The codes this run reports: the command line's --select/--ignore over the
    configuration's, less the rules whose severity is `off`. None is an error: a run that
    checks nothing must not pass (a broken install, a filter that matches nothing)."""
    if not rules:
        raise UsageError("no rules are loaded: the installation is broken (reinstall uelint; "
                         "`uelint plugins` lists what is loaded)")
    active = _chosen(rules, settings, args)
    if not active:
        raise UsageError("every rule is turned off (by select, ignore or severity); "
                         "`uelint config` shows the configuration in force")
    return active


def _chosen(
    rules: dict[str, Rule], settings: config.Settings, args: argparse.Namespace
) -> list[str]:
    """The codes reported for the files `settings` govern. As Ruff's: the command line's
    --select replaces the configuration's select and extend-select; extend-select adds to
    whichever select is in force (with none, every rule already is)."""
    select = _codes(args.select) or ([*settings.select, *settings.extend_select]
                                     if settings.select else [config.ALL])
    select += _codes(getattr(args, "extend_select", []))
    chosen = _select(rules, select, [*settings.ignore, *_codes(args.ignore)])
    return [r.code for r in chosen if settings.severity_of(r.code) != "off"]


def _unsuppressed(result: RunResult) -> RunResult:
    if all(d.suppressed is None for d in result.diagnostics):
        return result
    return replace(result, diagnostics=tuple(d for d in result.diagnostics if d.suppressed is None))


def _against_baseline(
    args: argparse.Namespace, entries: list[baseline.Entry], result: RunResult
) -> RunResult:
    comparison = baseline.compare(entries, [d for d in result.diagnostics if d.suppressed is None])
    if comparison.fixed:
        noun = ("entry no longer matches" if len(comparison.fixed) == 1
                else "entries no longer match")
        action = ("removed from it" if args.prune_baseline
                  else "run with --prune-baseline to remove them")
        print(f"{len(comparison.fixed)} baseline {noun} (fixed?): {action}.", file=sys.stderr)
        if args.prune_baseline:
            kept = baseline.pruned(entries, comparison.fixed)
            _write_baseline(args.baseline, baseline.dumps(kept))
    suppressed = tuple(d for d in result.diagnostics if d.suppressed is not None)
    return replace(result, diagnostics=comparison.new + suppressed)


def _config(args: argparse.Namespace) -> int:
    rules = plugins.load().rules
    cwd = Path.cwd()
    configs = _configs(args, rules, project.find_root(cwd, configured=args.config is None) or cwd)
    start = args.path if args.path.exists() else Path(".")
    governing = configs.governing(start)
    sys.stdout.write(f"# {governing.describe()}\n" + configs.settings(start).as_toml())
    return EXIT_CLEAN


def _count(value: str) -> int:
    if not value.isdigit():
        raise argparse.ArgumentTypeError(f"expected a number (0 or more), got {value!r}")
    return int(value)


def _jobs(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(
            f"expected a number of processes (1 or more), got {value!r}")
    return int(value)


def _inputs(args: argparse.Namespace) -> tuple[list[Path], dict[str, bytes]]:
    """The paths to report, and the buffers that stand for files: standard input, as the
    file --stdin-filename names (or as `-`), read in its project as that file would be."""
    stdin = args.stdin_filename is not None or args.paths == [Path("-")]
    if not stdin:
        if Path("-") in args.paths:
            raise UsageError("`-` (standard input) cannot be checked with other paths")
        return args.paths or [Path(".")], {}
    if args.paths not in ([], [Path("-")]):
        raise UsageError("--stdin-filename checks standard input; give no PATH")
    if args.fix:
        raise UsageError("--fix cannot write to standard input; run it on the file")
    name = Path(args.stdin_filename or "-")
    data = sys.stdin.buffer.read()
    if engine.buffer_language(name, data) is None:
        known = " ".join(sorted(languages.SUFFIXES))
        raise UsageError(f"cannot tell the language of {str(name)!r}; "
                         f"uelint checks {known} and scripts with a python or node shebang")
    return [name], {os.path.abspath(name): data}


def _report(value: str) -> Report:
    """`FORMAT`, `FORMAT=-` or `FORMAT=PATH`, for --output-format."""
    fmt, equals, path = value.partition("=")
    if fmt not in FORMATS and fmt not in _TEXT_VARIANTS:
        raise argparse.ArgumentTypeError(f"unknown format {fmt!r} (choose from "
                                         f"{', '.join([*FORMATS, *_TEXT_VARIANTS])})")
    if equals and not path:
        raise argparse.ArgumentTypeError(f"no path after {fmt}= (use - for standard output)")
    where = None if path in ("", "-") else Path(path)
    if fmt in _TEXT_VARIANTS:
        return Report("text", where, concise=fmt == "concise")
    return Report(fmt, where)


# Ruff's --output-format names for its two text layouts.
_TEXT_VARIANTS = ("concise", "full")


def _category(value: str) -> str:
    if not value.strip("/"):
        raise argparse.ArgumentTypeError("the SARIF category must not be empty")
    return value


def _reports(args: argparse.Namespace) -> list[Report]:
    """The reports to write, checked before the (possibly long) run."""
    reports: list[Report] = list(args.output_format)
    if args.format is not None or args.output is not None:
        reports.insert(0, Report(args.format or "text", args.output))
    if args.statistics:
        reports.append(Report("statistics", None))
    if not reports:
        reports.append(Report("text", None))
    on_stdout = [r.fmt for r in reports if r.path is None]
    if len(on_stdout) > 1:
        raise UsageError("only one report can go to standard output, not "
                         f"{' and '.join(on_stdout)}; "
                         "send the others to files with --output-format FORMAT=PATH")
    seen: set[str] = set()
    for report in reports:
        if report.path is None:
            continue
        target = os.path.realpath(report.path)
        if target in seen:
            raise UsageError(f"two reports would overwrite each other in {report.path}")
        seen.add(target)
        if not os.path.isdir(os.path.dirname(target)):
            raise UsageError(f"cannot write {report.path}: its directory does not exist")
    return reports


def _exit_code(result: RunResult, fail_on: Level = Level.NOTE,
               max_warnings: int | None = None) -> int:
    if result.errors:
        return EXIT_ERROR
    failing = any(d.level.rank >= fail_on.rank for d in result.diagnostics)
    if max_warnings is not None:  # ESLint's: too many warnings fail, whatever their level says
        warnings = sum(d.level is Level.WARNING for d in result.diagnostics)
        failing = failing or warnings > max_warnings
    return EXIT_FINDINGS if failing else EXIT_CLEAN


def _codes(values: list[str]) -> list[str]:
    return [code.strip().upper() for value in values for code in value.split(",") if code.strip()]


def _close_matches(word: str, choices: list[str]) -> list[str]:
    import difflib  # only for a mistake: not worth importing on every start-up

    return difflib.get_close_matches(word, choices, n=1)


def _check_codes(codes: list[str], selectors: list[str]) -> None:
    for selector in selectors:
        if selector != config.ALL and not any(code.startswith(selector) for code in codes):
            hint = _close_matches(selector, codes)
            raise UsageError(
                f"unknown rule code or prefix {selector!r}"
                + (f"; did you mean {hint[0]}?" if hint else f" (known rules: "
                                                              f"{', '.join(codes)})")
            )


def _select(rules: dict[str, Rule], select: list[str], ignore: list[str]) -> list[Rule]:
    _check_codes(list(rules), select + ignore)
    chosen = [r for code, r in rules.items() if not select or any(_selects(s, code)
                                                                  for s in select)]
    return [r for r in chosen if not any(_selects(s, r.code) for s in ignore)]


def _selects(selector: str, code: str) -> bool:
    return selector == config.ALL or code.startswith(selector)


def _use_color(choice: str, stream: object) -> bool:
    if choice != "auto":
        return choice == "always"
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty()) and os.environ.get("TERM") != "dumb"


def _terminal_width(stream: object) -> int | None:
    """Columns to fit text in: COLUMNS when set, else the terminal's; None for a pipe or a
    file, which get unwrapped lines."""
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    isatty, fileno = getattr(stream, "isatty", None), getattr(stream, "fileno", None)
    try:
        if isatty and fileno and isatty():
            return os.get_terminal_size(fileno()).columns or None
    except (OSError, ValueError):
        pass
    return None


def _write_baseline(path: Path, text: str) -> None:
    """A baseline: written whole or not at all."""
    try:
        _write_report(path, text)
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror or exc}") from exc


def _write_report(path: Path, text: str) -> None:
    """Never leave a half-written report: a new file renamed over the old one, which stays
    whole if the write fails. Through a symbolic link to its target; into a device or a pipe
    (`/dev/stdout`, a FIFO) directly: replacing it would replace the device node."""
    target = Path(os.path.realpath(path))
    try:
        special = not stat.S_ISREG(target.stat().st_mode)
    except FileNotFoundError:
        special = False
    if special:
        with open(target, "wb") as handle:
            handle.write(text.encode("utf-8"))
    else:
        write_atomically(target, text.encode("utf-8"), _report_mode(target))


def _report_mode(path: Path) -> int:
    """The permissions a plain write would give `path` (mkstemp's are owner-only): an existing
    report's own, else the usual ones under the umask."""
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _rule(args: argparse.Namespace) -> int:
    rules = plugins.load().rules
    if args.all:
        print("\n\n".join(_documentation(rule) for rule in rules.values()))
        return EXIT_CLEAN
    code = args.code.strip().upper()
    by_name = {r.name: r for r in rules.values()}
    rule = rules.get(code) or by_name.get(args.code.strip())
    if rule is None:
        hint = (_close_matches(code, list(rules))
                or _close_matches(args.code.strip().lower(), list(by_name)))
        raise UsageError(f"unknown rule {args.code!r}" + (f"; did you mean {hint[0]}?" if hint else
                                                          "; `uelint rules` lists them"))
    print(_documentation(rule))
    return EXIT_CLEAN


def _documentation(rule: Rule) -> str:
    more = f"\n\nMore: {rule.help_uri}" if rule.help_uri else ""
    return (f"# {rule.code} {rule.name} ({rule.level.value})\n\n{rule.summary}\n\n"
            f"{rule.documentation()}{more}")


def _rules(args: argparse.Namespace) -> int:
    rules = plugins.load().rules.values()
    if args.format == "json":
        import json

        print(json.dumps([{"code": r.code, "name": r.name, "level": r.level.value,
                           "summary": r.summary, "tags": list(r.tags), "url": r.help_uri}
                          for r in rules], indent=2))
        return EXIT_CLEAN
    name_width = max((len(r.name) for r in rules), default=4)
    indent = 6 + 1 + name_width + 1 + 7 + 1
    width = _terminal_width(sys.stdout)
    print(f"{'CODE':<6} {'NAME':<{name_width}} {'LEVEL':<7} SUMMARY")
    for r in rules:
        head = f"{r.code:<6} {r.name:<{name_width}} {r.level.value:<7} "
        print(head + _wrapped(r.summary, width, indent))
    return EXIT_CLEAN


def _wrapped(text: str, width: int | None, indent: int) -> str:
    """`text` in the column that starts at `indent`, wrapped at words to fit `width` (the
    terminal would break words); on one line without a width (a pipe) or with too little."""
    room = (width or 0) - indent
    if room < 20:
        return text
    import textwrap

    return f"\n{' ' * indent}".join(textwrap.wrap(text, room, break_long_words=False,
                                                   break_on_hyphens=False))


def _server(args: argparse.Namespace) -> int:
    from uelint import server  # pygls: only when the server runs

    return server.main()


def _plugins(args: argparse.Namespace) -> int:
    for name, origin in plugins.load().plugins:
        print(f"{name} ({origin})")
    return EXIT_CLEAN


if __name__ == "__main__":
    sys.exit(main())
