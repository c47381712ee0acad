from __future__ import annotations

import re
from collections.abc import Iterator, Mapping

from uelint import Diagnostic, Level, ParsedFile, Rule, TrackingCall
from uelint.ir import Entry, Value, ValueKind
from uelint.rules._docs import API_DOCS, via
from uelint.sdk import CIVCHAT, PAGE_HIT

IDENTIFYING = {CIVCHAT: "window.civchat", PAGE_HIT: "UE.pageHit()"}
_LEVELS = ("error", "warning", "note", "off")
_WORD = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|[0-9]+")
# A path read from code or a template tag: `user.email`, `$user->email`, `form["email"]`.
_PATH = re.compile(r"""[$@]?[A-Za-z_]\w*(?:\s*(?:\.|->|\?\.|\[\s*['"]?)\s*[A-Za-z_]\w*['"]?\]?)*""")
_SEGMENT = re.compile(r"[A-Za-z_]\w*")
# What a read of a field ends with after the field itself: `form.email.value`, `.trim()`.
_ACCESSORS = frozenset({"value", "val", "trim", "strip", "lower", "to_lower_case", "text",
                        "escape", "e", "json", "tojson", "safe", "js", "to_string", "str"})
# An e-mail address hashed is no longer personal data in clear: another rule's business.
_HASHES = frozenset({"md5", "sha1", "sha256", "sha512", "hash", "digest", "hmac", "btoa",
                     "base64", "encrypt", "crypt", "hashed"})


class UnstableUserId(Rule):
    """
    ## What it does
    Flags `user_id` in `UE.pageHit({...})` and `window.civchat = {...}` when its value
    differs on every call: `Date.now()`, `new Date().getTime()`, `Math.random()`,
    `crypto.randomUUID()`, `uuid()`, Python's `time.time()` or `uuid.uuid4()`, or a string
    built from one (`"anon-" + Date.now()`), also as one branch of `a || b` or a ternary
    (error). And, as a warning, `user_id` taken from an e-mail address: a value read from an
    `email` field or variable (`user.email`, `form.email.value`, `userEmail`) or a template
    variable that names one (`"{{ customer.email }}"`, `<?= $user->user_email ?>`).

    ## Why is this bad?
    `user_id` is the primary key of a User.com profile, and `UE.pageHit` and `civchat` switch
    the visitor to the profile with that id. A new id on every call creates a new profile on
    every page view and switches a logged-in visitor away from theirs. An e-mail address as
    the id changes when the address does (the person gets a second profile), and puts
    personal data where a stable, opaque key belongs.

    ## Example
    ```js
    UE.pageHit({ apiKey: API_KEY, user_id: Date.now(), email });
    window.civchat = { apiKey: API_KEY, user_id: "{{ customer.email }}" };
    ```

    ## Use instead
    The id of the user in your own database; leave `user_id` out for anonymous visitors and
    send the address as `email`:
    ```js
    UE.pageHit({ apiKey: API_KEY, user_id: user.id, email });
    window.civchat = { apiKey: API_KEY, user_id: "{{ customer.id }}",
                       email: "{{ customer.email }}" };
    ```

    ## Options
    - `email`: the level of the e-mail finding, `"warning"` (default), `"error"`, `"note"` or
      `"off"` (for an application whose users' ids are their addresses by design).
    """

    code = "UE008"
    name = "unstable-user-id"
    summary = ("`user_id` in UE.pageHit() or window.civchat must be a stable id: not a "
               "time, a random value or an e-mail address.")
    level = Level.ERROR
    tags = ("correctness", "identity", "userengage")
    help_uri = API_DOCS
    precision = "high"

    def __init__(self) -> None:
        self.email_level: Level | None = Level.WARNING

    def configure(self, options: Mapping[str, object]) -> None:
        unknown = set(options) - {"email"}
        if unknown:
            raise ValueError(f"unknown option(s) {', '.join(sorted(unknown))}; UE008 takes "
                             "email")
        level = options.get("email", "warning")
        if level not in _LEVELS:
            raise ValueError(f"`email` must be one of {', '.join(_LEVELS)}, not {level!r}")
        self.email_level = None if level == "off" else Level(level)

    def check(self, call: TrackingCall, file: ParsedFile) -> Iterator[Diagnostic]:
        what = IDENTIFYING.get(call.api or "")
        if what is None or call.payload is None:
            return
        for entry in call.payload.entries:
            if entry.key == "user_id":
                yield from self._check_id(entry, f"{what}{via(call)}", file)

    def _check_id(self, entry: Entry, what: str, file: ParsedFile) -> Iterator[Diagnostic]:
        value = entry.value
        if value.kind is ValueKind.VOLATILE:
            source = f" (`{value.source}`)" if value.source else ""
            yield self.diagnostic(
                file, entry.key_span,
                f"`user_id` of {what} differs on every call{source}: each call creates a new "
                "profile and switches a logged-in visitor away from theirs. Use the user's "
                "id from your database, or leave `user_id` out for anonymous visitors.")
            return
        if self.email_level is None:
            return
        email = next((alt.source for alt in value.alternatives() if email_source(alt)), None)
        if email is not None:
            yield self.diagnostic(
                file, entry.key_span,
                f"`user_id` of {what} is an e-mail address (`{email}`): the id changes when "
                "the address does, and personal data becomes the primary key. Use the user's "
                "id from your database and send the address as `email`.",
                self.email_level)


def email_source(value: Value) -> bool:
    """Is the value read from an e-mail field, variable or template variable?"""
    if value.kind not in (ValueKind.UNKNOWN, ValueKind.STRING) or value.literal is not None:
        return False
    source = value.source
    if not source:
        return False
    for match in _PATH.finditer(source):
        segments = _SEGMENT.findall(match.group())
        called = source[match.end():].lstrip().startswith("(")
        if called and segments and _name(segments[-1]) not in _ACCESSORS:
            # A function: a hash of the address is no address; a getter reads one.
            if _HASHES & {*map(str.lower, segments), *_words(segments[-1])}:
                return False
            if _words(segments[-1])[-2:] == ["get", "email"]:  # `user.getEmail()`
                return True
            continue  # else its arguments may be the read
        while len(segments) > 1 and _name(segments[-1]) in _ACCESSORS:
            segments.pop()
        words = _words(segments[-1]) if segments else []
        if words[-2:] == ["email", "address"]:
            return True
        return bool(words) and (words[-1] == "email" or words[-2:] == ["e", "mail"])
    return False


def _name(segment: str) -> str:
    """A segment in snake case: `toLowerCase` → "to_lower_case"."""
    return "_".join(_words(segment))


def _words(name: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(name)]
