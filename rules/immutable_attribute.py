from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import replace

from uelint import Diagnostic, Level, ParsedFile, Rule, TrackingCall
from uelint.rules._docs import DOCS, unsafe_fix, via
from uelint.rules._payload_edits import removal
from uelint.rules.attribute_policy import BY_ATTRIBUTE, BY_KEY, TIERS
from uelint.sdk import CLIENT_UPDATE


class ImmutableAttribute(Rule):
    """
    ## What it does
    Flags attributes in `userengage("client.update", ...)` that the SDK or the platform sets
    itself, by tier:

    | tier | attributes | level |
    |---|---|---|
    | documented immutable | `browser_language`, `ip_address` | error |
    | system / computed | `id`, `key`, `user_key`, `page_views`, `created_at`, `updated_at`, `last_seen`, `lists`, `tags`, ... | error |
    | auto-detected technical | `browser`, `os`, `resolution`, `device`, `timezone`, `url`, `referrer`, `user_agent`, `language`, ... | warning |
    | IP-geo | `country`, `region`, `city` | off |

    The published mutability list is incomplete: every tier is configurable (see Options).

    ## Why is this bad?
    The documentation says that technical fields such as `browser_language` and `ip_address`
    "are detected automatically" and cannot be overwritten with `client.update`; system fields
    of the user model are read-only; auto-detected fields are overwritten on the next visit.
    The call looks like it worked, yet the data is silently dropped or replaced.

    ## Example
    ```js
    userengage("client.update", {
      browser_language: navigator.language,
      plan: "pro",
    });
    ```

    ## Use instead
    Let the SDK detect these fields, and keep your own value, if you need one, in a custom
    attribute:
    ```js
    userengage("client.update", {
      preferred_language: settings.language,
      plan: "pro",
    });
    ```

    ## Options
    - `tiers`: a level per tier (`documented`, `system`, `auto-detected`, `ip-geo`): `error`,
      `warning`, `note` or `off`, e.g. `tiers = { ip-geo = "warning" }`.
    - `attributes`: put attributes in a tier, or take them out with `off`, e.g.
      `attributes = { erp_id = "system", language = "off" }`.

    ## Fix
    `uelint check --fix` removes the attribute from a payload written as an object literal
    (with its value and comma); where no other attribute would be left, only with
    `--unsafe-fixes`: review whether the call is still needed.
    """  # noqa: E501 - the tier table: a Markdown table's row cannot wrap

    code = "UE003"
    name = "immutable-attribute"
    summary = ("An attribute that the SDK detects or the platform computes cannot be set with "
               "client.update.")
    level = Level.ERROR
    tags = ("correctness", "attributes", "userengage")
    help_uri = f"{DOCS}#permitted-attributes"
    precision = "high"

    def __init__(self) -> None:
        self.by_attribute = dict(BY_ATTRIBUTE)
        self.levels = {tier.key: tier.level for tier in TIERS}

    def configure(self, options: Mapping[str, object]) -> None:
        unknown = set(options) - {"tiers", "attributes"}
        if unknown:
            raise ValueError(f"unknown option(s) {', '.join(sorted(unknown))}; UE003 takes "
                             "tiers, attributes")
        allowed = f"one of {', '.join(BY_KEY)}"
        tiers = _table(options, "tiers")
        attributes = _table(options, "attributes")
        levels = {tier.key: tier.level for tier in TIERS}  # options replace the defaults' parts
        by_attribute = dict(BY_ATTRIBUTE)
        for key, level in tiers.items():
            if key not in BY_KEY:
                raise ValueError(f"`tiers`: unknown tier {key!r}; {allowed}")
            if level not in ("error", "warning", "note", "off"):
                raise ValueError(
                    f"`tiers.{key}`: must be error, warning, note or off, not {level!r}")
            levels[key] = None if level == "off" else Level(level)
        for name, key in attributes.items():
            if key == "off":
                by_attribute.pop(name, None)
            elif key in BY_KEY:
                by_attribute[name] = BY_KEY[key]
            else:
                raise ValueError(f"`attributes.{name}`: must be {allowed} or off, not {key!r}")
        self.levels, self.by_attribute = levels, by_attribute

    def check(self, call: TrackingCall, file: ParsedFile) -> Iterator[Diagnostic]:
        if call.api != CLIENT_UPDATE or call.payload is None:
            return
        flagged = [(entry, tier, level) for entry in call.payload.entries
                   if (tier := self.by_attribute.get(entry.key)) is not None
                   and (level := self.levels[tier.key]) is not None]
        keeps = {e.key for e in call.payload.entries} - {e.key for e, _, _ in flagged}
        for entry, tier, level in flagged:
            found = self.diagnostic(
                file, entry.key_span, f"`{entry.key}`{via(call)} {tier.why}.", level
            )
            edit = removal(call, entry)
            if edit is None:
                yield found
            elif keeps:  # the payload still sends something: only a dropped value changes
                yield replace(found, fix=(edit,))
            else:  # an empty client.update is left: the call itself may want to go
                yield unsafe_fix(found, edit)


def _table(options: Mapping[str, object], key: str) -> dict[str, str]:
    value = options.get(key, {})
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        raise ValueError(f"`{key}` must be a table of strings")
    return value
