from __future__ import annotations

from collections.abc import Iterator

from linter import Diagnostic, Level, ParsedFile, Rule, TrackingCall
from linter.ir import CLIENT_UPDATE
from rules._docs import DOCS, via
from rules.attribute_policy import BY_ATTRIBUTE


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
    """

    code = "UE003"
    name = "immutable-attribute"
    summary = "An attribute that the SDK detects or the platform computes cannot be set with client.update."
    level = Level.ERROR
    tags = ("correctness", "attributes", "userengage")
    help_uri = f"{DOCS}#permitted-attributes"
    precision = "high"

    def check(self, call: TrackingCall, file: ParsedFile) -> Iterator[Diagnostic]:
        if call.api != CLIENT_UPDATE or call.payload is None:
            return
        for entry in call.payload.entries:
            tier = BY_ATTRIBUTE.get(entry.key)
            if tier is None or tier.level is None:
                continue
            yield self.diagnostic(
                file, entry.key_span, f"`{entry.key}`{via(call)} {tier.why}.", tier.level
            )
