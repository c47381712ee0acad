"""Configuration: `[tool.uelint]` in pyproject.toml, or `uelint.toml` / `.uelint.toml`.

The nearest configuration file up from the checked path wins (in one directory:
`.uelint.toml`, then `uelint.toml`, then a `pyproject.toml` that has `[tool.uelint]`);
`--config PATH` overrides the search. Every key is validated: an unknown key, a wrong type
or an unknown rule code is a `ConfigError` naming the file, the key and what is allowed.
Paths in the file (`exclude`, `per-file-ignores`) are relative to the file's directory.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

from uelint.diagnostic import Level
from uelint.wrappers import DeclaredWrapper

CONFIG_FILES = (".uelint.toml", "uelint.toml", "pyproject.toml")
LEVELS = ("error", "warning", "note")
ALL = "ALL"  # Ruff's selector for every rule (select, extend-select, ignore, per-file-ignores)
SEVERITIES = (*LEVELS, "off")


# The types of custom attributes (userengage-api.md §3), as `[tool.uelint.attributes]` names them.
ATTRIBUTE_TYPES = ("boolean", "integer", "float", "string", "date", "datetime", "fixed choice",
                   "json")
_ATTRIBUTE_RULE = "UE006"  # the rule that checks their values


class ConfigError(Exception):
    """A configuration file that cannot be used; the message says where and why."""


@dataclass(frozen=True)
class Settings:
    path: Path | None = None  # the configuration file, if any
    root: Path = field(default_factory=Path.cwd)  # where its relative paths start
    select: tuple[str, ...] = ()  # empty: every rule
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    exclude: tuple[str, ...] | None = None  # None: the default excludes
    extend_exclude: tuple[str, ...] = ()
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (glob, codes)
    severity: tuple[tuple[str, str], ...] = ()  # (code, "error" | "warning" | "note" | "off")
    rule_options: tuple[tuple[str, str], ...] = ()  # (code, options as JSON), hashable
    wrappers: tuple[DeclaredWrapper, ...] = ()
    attributes: tuple[tuple[str, str], ...] = ()  # (custom attribute, one of ATTRIBUTE_TYPES)
    # The lowest level that makes the exit code 1. ESLint's default: errors fail, warnings
    # do not (unless --max-warnings), notes never do.
    fail_on: str = "error"
    force_exclude: bool = False

    def options_for(self, code: str) -> dict[str, object]:
        found = dict(self.rule_options).get(code)
        options: dict[str, object] = json.loads(found) if found else {}
        if code == _ATTRIBUTE_RULE and self.attributes:  # the cache key follows, as it reads this
            options["attributes"] = dict(self.attributes)
        return options

    def severity_of(self, code: str) -> str | None:
        return dict(self.severity).get(code)

    def as_toml(self) -> str:
        """The effective configuration, as `uelint config` prints it."""
        lines = [f"# from {self.path}" if self.path else "# defaults (no configuration file)",
                 "[tool.uelint]"]
        plain: dict[str, Any] = {
            "select": list(self.select), "extend-select": list(self.extend_select),
            "ignore": list(self.ignore),
            "extend-exclude": list(self.extend_exclude), "fail-on": self.fail_on,
            "force-exclude": self.force_exclude,
        }
        if self.exclude is not None:
            plain["exclude"] = list(self.exclude)
        lines += [f"{key} = {_toml(value)}" for key, value in plain.items()]
        if self.exclude is None:
            lines.append(
                "# exclude: the defaults (node_modules, .git, virtualenvs, dist, build, ...)")
        if self.per_file_ignores:
            lines.append("\n[tool.uelint.per-file-ignores]")
            lines += [f"{_toml(glob)} = {_toml(list(codes))}"
                      for glob, codes in self.per_file_ignores]
        if self.severity:
            lines.append("\n[tool.uelint.severity]")
            lines += [f"{code} = {_toml(level)}" for code, level in self.severity]
        if self.attributes:
            lines.append("\n[tool.uelint.attributes]")
            lines += [f"{_toml(name)} = {_toml(kind)}" for name, kind in self.attributes]
        for code, options in self.rule_options:
            lines.append(f"\n[tool.uelint.rules.{code}]")
            lines += [f"{key} = {_toml(value)}" for key, value in json.loads(options).items()]
        for wrapper in self.wrappers:
            lines.append("\n[[tool.uelint.wrappers]]")
            lines.append(f"name = {_toml(wrapper.name)}")
            lines.append(f"method-arg = {wrapper.api_param}")
            if wrapper.payload_param is not None:
                lines.append(f"payload-arg = {wrapper.payload_param}")
        return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class Governing:
    """Which configuration file applies to a path, and why the search ended where it did."""

    path: Path | None  # None: the defaults
    stopped: str  # where and why the upward search ended

    def describe(self) -> str:
        return f"{self.path or 'no configuration file (the defaults)'}: {self.stopped}"


def governing(start: Path) -> Governing:
    """The configuration file for `start`: the nearest at or above it, within its project.
    The search never leaves the project, so a file a stranger left higher up (in the temp
    directory, say) cannot change what is checked: it stops at the git work tree's top (or,
    outside git, at the first directory with a pyproject.toml; in a monorepo the packages'
    own pyproject.toml files do not hide the repository's configuration), and before the
    temp and home directories."""
    directory = (start if start.is_dir() else start.parent).resolve()
    outside = {Path(d).resolve() for d in temporary_directories()} | {Path.home().resolve()}
    above: list[Path] = []
    for candidate_dir in (directory, *directory.parents):
        if candidate_dir in outside:
            break
        above.append(candidate_dir)
    marker = ".git" if any((d / ".git").exists() for d in above) else "pyproject.toml"
    for candidate_dir in above:
        found = in_directory(candidate_dir)
        if found is not None:
            return Governing(found, f"the nearest configuration up from {directory}")
        if (candidate_dir / marker).exists():
            return Governing(None, f"the search stopped at {candidate_dir}, the project's top "
                                   f"(it has {marker})")
    return Governing(None, f"none from {directory} up to {above[-1] if above else directory}")


def in_directory(directory: Path) -> Path | None:
    """The configuration file in `directory` itself, if any."""
    for name in CONFIG_FILES:
        path = directory / name
        if path.is_file() and (name != "pyproject.toml" or _has_uelint_table(path)):
            return path
    return None


def temporary_directories() -> list[str]:
    """Where tempfile.gettempdir() may point (importing tempfile costs 10 ms of start-up)."""
    named = [os.environ.get(name) for name in ("TMPDIR", "TEMP", "TMP")]
    return [d for d in (*named, "/tmp", "/var/tmp", "/usr/tmp") if d]


def find(start: Path) -> Path | None:
    """The configuration file for `start` (see `governing`), if any."""
    return governing(start).path


def load(path: Path | None, known_codes: Iterable[str]) -> Settings:
    """Read and validate a configuration file (None: the defaults)."""
    if path is None:
        return Settings()
    document = _parse(path, path.read_text)
    table: Any = document
    prefix = ""
    if path.name == "pyproject.toml":
        tool = document.get("tool", {})
        table = tool.get("uelint", {}) if isinstance(tool, Mapping) else {}
        prefix = "tool.uelint."
    try:
        return _Reader(path, prefix, sorted(known_codes)).settings(table)
    except RecursionError as exc:  # options nested deeper than Python recurses
        raise ConfigError(f"{path}: nested too deeply") from exc


def _parse(path: Path, read: Callable[[str], str]) -> dict[str, Any]:
    """The TOML document of `path` (read by `read("utf-8-sig")`: a byte order mark, which
    Windows editors write, is not content), or a ConfigError naming the file, and the line
    and what is wrong when it is not TOML."""
    toml = _tomllib()
    try:
        document: dict[str, Any] = toml.loads(read("utf-8-sig"))
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    except toml.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from exc
    except UnicodeDecodeError as exc:  # TOML is UTF-8
        line = bytes(exc.object[: exc.start]).count(b"\n") + 1
        raise ConfigError(f"{path}: not valid TOML: not UTF-8 (byte 0x{exc.object[exc.start]:02x} "
                          f"at line {line})") from exc
    except RecursionError as exc:  # tomllib recurses once per nested array or table
        raise ConfigError(f"{path}: not usable: arrays or tables nested too deeply") from exc
    return document


def _tomllib() -> ModuleType:
    """The TOML reader, imported only when a configuration file is read (start-up matters)."""
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib  # type: ignore[import-not-found, unused-ignore]
    return tomllib  # type: ignore[no-any-return, unused-ignore]


def _has_uelint_table(path: Path) -> bool:
    """Whether a pyproject.toml configures uelint; one that mentions uelint but is not TOML
    is a ConfigError (it may well be the configuration, which must not be ignored)."""
    try:
        data = path.read_bytes()
    except OSError:
        return False  # reported if it is ever chosen explicitly; not a uelint file otherwise
    if b"uelint" not in data:
        return False  # most pyproject.toml files: no need to parse them
    document = _parse(path, data.decode)
    tool = document.get("tool")
    return isinstance(tool, dict) and "uelint" in tool


_KEYS = {
    "select": "a list of rule codes or prefixes",
    "extend-select": "a list of rule codes or prefixes",
    "ignore": "a list of rule codes or prefixes",
    "exclude": "a list of gitignore-style patterns",
    "extend-exclude": "a list of gitignore-style patterns",
    "per-file-ignores": "a table of gitignore-style pattern = list of rule codes",
    "severity": "a table of rule code = \"error\" | \"warning\" | \"note\" | \"off\"",
    "rules": "a table of rule code = table of that rule's options",
    "attributes": f"a table of custom attribute = type ({', '.join(ATTRIBUTE_TYPES)})",
    "wrappers": "an array of tables with name, method-arg and payload-arg",
    "fail-on": "\"error\", \"warning\" or \"note\"",
    "force-exclude": "true or false",
}


class _Reader:
    def __init__(self, path: Path, prefix: str, codes: list[str]) -> None:
        self.path = path
        self.prefix = prefix
        self.codes = codes

    def fail(self, key: str, message: str) -> ConfigError:
        return ConfigError(f"{self.path}: `{self.prefix}{key}`: {message}")

    def settings(self, table: Mapping[str, Any]) -> Settings:
        if not isinstance(table, Mapping):
            where = self.prefix.rstrip('.') or 'the file'
            raise ConfigError(f"{self.path}: `{where}` must be a table")
        for key in table:
            if key not in _KEYS:
                import difflib  # only for a mistake: not imported on every start-up

                hint = difflib.get_close_matches(key, list(_KEYS), n=1)
                allowed = ", ".join(_KEYS)
                raise self.fail(key, "unknown key" + (f"; did you mean `{hint[0]}`?" if hint
                                                      else f"; allowed keys: {allowed}"))
        return Settings(
            path=self.path,
            root=self.path.parent.resolve(),
            # ALL spelt out, so that whatever reads these (the CLI, the server) needs no case
            select=expand_all(self.codes_list(table, "select", prefixes=True), self.codes),
            extend_select=expand_all(self.codes_list(table, "extend-select", prefixes=True),
                                     self.codes),
            ignore=expand_all(self.codes_list(table, "ignore", prefixes=True), self.codes),
            exclude=self.strings(table, "exclude") if "exclude" in table else None,
            extend_exclude=self.strings(table, "extend-exclude"),
            per_file_ignores=self.per_file_ignores(table),
            severity=self.severity(table),
            rule_options=self.rule_options(table),
            wrappers=self.wrappers(table),
            attributes=self.attributes(table),
            fail_on=self.choice(table, "fail-on", LEVELS, "error"),
            force_exclude=self.boolean(table, "force-exclude"),
        )

    def strings(
        self, table: Mapping[str, Any], key: str, where: str | None = None
    ) -> tuple[str, ...]:
        value = table.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.fail(where or key, f"must be {_KEYS.get(key, 'a list of strings')}, "
                                          f"not {_describe(value)}")
        return tuple(value)

    def code(self, value: str, key: str, prefixes: bool) -> str:
        code = value.strip().upper()
        if prefixes and (code == ALL or any(c.startswith(code) for c in self.codes) and code):
            return code
        if code in self.codes:
            return code
        import difflib  # only for a mistake: not imported on every start-up

        hint = difflib.get_close_matches(code, self.codes, n=1)
        raise self.fail(key, f"unknown rule code {value!r}" + (
            f"; did you mean {hint[0]}?" if hint else f"; known rules: {', '.join(self.codes)}"))

    def codes_list(
        self, table: Mapping[str, Any], key: str, prefixes: bool = False,
        where: str | None = None,
    ) -> tuple[str, ...]:
        where = where or key
        return tuple(self.code(v, where, prefixes) for v in self.strings(table, key, where))

    def per_file_ignores(self, table: Mapping[str, Any]) -> tuple[tuple[str, tuple[str, ...]], ...]:
        value = table.get("per-file-ignores", {})
        if not isinstance(value, Mapping):
            allowed = _KEYS['per-file-ignores']
            raise self.fail("per-file-ignores", f"must be {allowed}, not {_describe(value)}")
        return tuple(
            (glob, expand_all(self.codes_list(value, glob, prefixes=True,
                                              where=f"per-file-ignores.{_quoted(glob)}"),
                              self.codes))
            for glob in value
        )

    def severity(self, table: Mapping[str, Any]) -> tuple[tuple[str, str], ...]:
        value = table.get("severity", {})
        if not isinstance(value, Mapping):
            raise self.fail("severity", f"must be {_KEYS['severity']}, not {_describe(value)}")
        return tuple(
            (self.code(code, f"severity.{code}", prefixes=False),
             self.choice(value, code, SEVERITIES, "", where=f"severity.{code}"))
            for code in value
        )

    def rule_options(self, table: Mapping[str, Any]) -> tuple[tuple[str, str], ...]:
        value = table.get("rules", {})
        if not isinstance(value, Mapping):
            raise self.fail("rules", f"must be {_KEYS['rules']}, not {_describe(value)}")
        options = []
        for code, rule_table in value.items():
            checked = self.code(code, f"rules.{code}", prefixes=False)
            if not isinstance(rule_table, Mapping):
                raise self.fail(f"rules.{code}",
                                f"must be a table of options, not {_describe(rule_table)}")
            options.append((checked, json.dumps(rule_table, sort_keys=True, default=str)))
        return tuple(options)

    def attributes(self, table: Mapping[str, Any]) -> tuple[tuple[str, str], ...]:
        value = table.get("attributes", {})
        if not isinstance(value, Mapping):
            raise self.fail("attributes", f"must be {_KEYS['attributes']}, not {_describe(value)}")
        for name, kind in value.items():
            if kind not in ATTRIBUTE_TYPES:
                raise self.fail(f"attributes.{name}", f"unknown type {kind!r}; the types "
                                f"are {', '.join(ATTRIBUTE_TYPES)}")
        return tuple(sorted(value.items()))

    def wrappers(self, table: Mapping[str, Any]) -> tuple[DeclaredWrapper, ...]:
        value = table.get("wrappers", [])
        if not isinstance(value, list):
            raise self.fail("wrappers", f"must be {_KEYS['wrappers']}, not {_describe(value)}")
        found = []
        for i, item in enumerate(value):
            where = f"wrappers[{i}]"
            if not isinstance(item, Mapping):
                raise self.fail(where, f"must be a table, not {_describe(item)}")
            unknown = set(item) - {"name", "method-arg", "payload-arg"}
            if unknown:
                raise self.fail(where, f"unknown key(s) {', '.join(sorted(unknown))}; "
                                       "allowed: name, method-arg, payload-arg")
            name = item.get("name")
            if not isinstance(name, str) or not name or not all(
                p.isidentifier() for p in name.split(".")
            ):
                raise self.fail(f"{where}.name",
                                "must be a dotted name such as \"analytics.track\"")
            method, payload = item.get("method-arg", 0), item.get("payload-arg")
            for key, number in (("method-arg", method), ("payload-arg", payload)):
                if number is not None and (
                    not isinstance(number, int) or isinstance(number, bool) or number < 0
                ):
                    raise self.fail(f"{where}.{key}", "must be a position counted from 0")
            found.append(DeclaredWrapper(name, method, payload))
        return tuple(found)

    def choice(self, table: Mapping[str, Any], key: str, allowed: Iterable[str], default: str,
               where: str | None = None) -> str:
        value = table.get(key, default)
        options = tuple(allowed)
        if value not in options:
            raise self.fail(where or key, f"must be one of {', '.join(map(repr, options))}, "
                                          f"not {value!r}")
        return str(value)

    def boolean(self, table: Mapping[str, Any], key: str) -> bool:
        value = table.get(key, False)
        if not isinstance(value, bool):
            raise self.fail(key, f"must be true or false, not {_describe(value)}")
        return value


def _quoted(key: str) -> str:
    """A TOML key as it would be written in a dotted path: bare if it can be."""
    return key if key and all(c.isalnum() or c in "-_" for c in key) else json.dumps(key)


def key_path(path: Path | None, key: str) -> str:
    """`key` as written in the file at `path`: under `tool.uelint.` in a pyproject.toml."""
    return f"tool.uelint.{key}" if path is not None and path.name == "pyproject.toml" else key


def expand_all(codes: Iterable[str], known: Iterable[str]) -> tuple[str, ...]:
    """`codes` with ALL spelt out as every known code (per-file-ignores match by prefix)."""
    listed = tuple(codes)
    return tuple(known) if ALL in listed else listed


def option_error(settings: Settings, code: str, message: str) -> str:
    """A rule's complaint about its options (Rule.configure's ValueError), at the key path it
    is about: a message that starts with a `key` names a key of the rule's table (`tiers`:
    tool.uelint.rules.UE003.tiers in a pyproject.toml)."""
    key, rest = f"rules.{code}", f"{code}: {message}"
    if message.startswith("`") and "`" in message[1:]:
        inner, rest = message[1:].split("`", 1)
        key, rest = f"{key}.{inner}", rest.lstrip(": ") or message
    if settings.path is None:
        return f"{key}: {rest}"
    return f"{settings.path}: `{key_path(settings.path, key)}`: {rest}"


def _describe(value: object) -> str:
    kinds = {str: "a string", int: "a number", float: "a number", bool: "a boolean",
             list: "a list", dict: "a table"}
    return kinds.get(type(value), type(value).__name__) + f" ({value!r})"


def _toml(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{json.dumps(k)} = {_toml(v)}" for k, v in value.items()) + " }"
    return json.dumps(str(value))


def level_of(severity: str) -> Level | None:
    return None if severity == "off" else Level(severity)
