"""A project's rules as its configuration sets them up: what `uelint check` and
`uelint server` both run with, so that the editor shows what CI reports.

The command line adds its own flags (--select, --ignore, --force-exclude) on top; the
language server uses the configuration alone.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from uelint import cache, config
from uelint.discover import Exclude
from uelint.rule import Rule


def configure(rules: dict[str, Rule], settings: config.Settings) -> list[Rule]:
    """Every rule, configured with its options: a file's analysis runs them all (and is
    cached so); which of their findings are reported is the policy's to say. Raises
    config.ConfigError for an option a rule rejects."""
    for rule in rules.values():
        try:
            rule.configure(settings.options_for(rule.code))
        except ValueError as exc:
            raise config.ConfigError(config.option_error(settings, rule.code, str(exc))) from exc
    return list(rules.values())


def reported(rules: Iterable[str], settings: config.Settings, select: list[str] | None = None,
             ignore: Iterable[str] = ()) -> list[str]:
    """The codes reported for the files `settings` govern: `select` (the command line's)
    over the configuration's select, `ignore` added to its ignores, less the rules whose
    severity is `off`. Selectors are not validated here."""
    chosen = select or [*settings.select, *settings.extend_select]
    if not select and not settings.select and settings.extend_select:
        chosen = []  # extend-select alone adds to the default (everything)
    ignored = [*settings.ignore, *ignore]
    return [code for code in rules
            if (not chosen or any(code.startswith(s) for s in chosen))
            and not any(code.startswith(s) for s in ignored)
            and settings.severity_of(code) != "off"]


def exclude(settings: config.Settings, root: Path, force: bool = False) -> Exclude:
    """The configured excludes (relative to the configuration file's directory)."""
    return Exclude(
        settings.root if settings.path else root,
        (settings.exclude or ()) + settings.extend_exclude,
        defaults=settings.exclude is None, force=force or settings.force_exclude,
    )


def analysis_digest(rules: list[Rule], settings: config.Settings) -> str:
    """What the configuration gives the analysis (rule options, declared wrappers), with the
    rules themselves: the cache key's part besides each file's content and path."""
    options = {"rules": [(r.code, settings.options_for(r.code)) for r in rules],
               "wrappers": [repr(w) for w in settings.wrappers]}
    return cache.analysis_digest(rules, {k: repr(v) for k, v in options.items()})
