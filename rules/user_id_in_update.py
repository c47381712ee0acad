from __future__ import annotations

from collections.abc import Iterator

from uelint import Diagnostic, Level, ParsedFile, Rule, TrackingCall, languages
from uelint.diagnostic import Edit
from uelint.ir import Entry
from uelint.rules._docs import DOCS, unsafe_fix, via
from uelint.rules._payload_edits import expression, removal
from uelint.sdk import CIVCHAT, CLIENT_UPDATE, PAGE_HIT

_SCRIPTS = (languages.JAVASCRIPT, languages.TYPESCRIPT, languages.TSX)


class UserIdInUpdate(Rule):
    """
    ## What it does
    Flags `user_id` in the attributes of `userengage("client.update", ...)`.

    ## Why is this bad?
    `client.update` updates the *current* user and never switches the tracking session. With a
    `user_id` in the payload, one of two things happens: if no user has that id, it overwrites
    the current user's id (an anonymous visitor silently becomes someone else's record); if
    another user already has it, the request is rejected with a 400 (`{"errors": {"user_id":
    [...]}}`) and none of the attributes are saved. It never logs the user in.

    ## Example
    ```js
    userengage("client.update", {
      user_id: user.id,
      first_name: user.firstName,
    });
    ```

    ## Use instead
    Identify the user with `UE.pageHit()` (after login or sign-up), `UE.resetAuth()` (logout),
    or `user_id` in the initial `window.civchat` configuration, and keep `client.update` for
    the other attributes:
    ```js
    UE.pageHit({ apiKey: API_KEY, user_id: user.id, email: user.email });
    userengage("client.update", { first_name: user.firstName });
    ```

    ## Fix
    Where the file gives the widget its apiKey (`window.civchat` or `UE.pageHit`), `uelint
    check --fix --unsafe-fixes` moves `user_id` out of the payload into `UE.pageHit({ apiKey,
    user_id })` on a line of its own before the call. It changes what is sent (a page hit
    that identifies the user): review it.
    """

    code = "UE001"
    name = "user-id-in-update"
    summary = ("`user_id` in a client.update payload overwrites the user's id or fails; "
               "it never switches users.")
    level = Level.ERROR
    tags = ("correctness", "identity", "userengage")
    help_uri = f"{DOCS}#the-user-id-limitation"
    precision = "very-high"

    def check(self, call: TrackingCall, file: ParsedFile) -> Iterator[Diagnostic]:
        if call.api != CLIENT_UPDATE or call.payload is None:
            return
        for entry in call.payload.entries:
            if entry.key == "user_id":
                found = self.diagnostic(
                    file, entry.key_span,
                    f"`user_id` in client.update{via(call)} never switches users: it overwrites "
                    "the current user's id, or fails with a 400 if another user has that id. "
                    "Identify users with UE.pageHit({ user_id, ... }), UE.resetAuth() or "
                    "window.civchat instead.",
                )
                edits = _moved_to_page_hit(call, entry, file)
                yield unsafe_fix(found, *edits) if edits else found


def _moved_to_page_hit(call: TrackingCall, entry: Entry, file: ParsedFile) -> tuple[Edit, ...]:
    """`user_id` taken out of the client.update call and sent with UE.pageHit on a line of
    its own before it, with the apiKey the file gives the widget. None where the file gives
    no apiKey, or the value or the payload's layout cannot be told."""
    if file.language not in _SCRIPTS or call.via:
        return ()
    key = _api_key(file)
    value = expression(entry.value, entry)
    removed = removal(call, entry)
    if key is None or value is None or removed is None:
        return ()
    page_hit = f"UE.pageHit({{ apiKey: {key}, user_id: {value} }});\n"
    return (Edit(call.span.start_byte, call.span.start_byte, page_hit), removed)


def _api_key(file: ParsedFile) -> str | None:
    """The apiKey the file passes to window.civchat or UE.pageHit, as code, when it shows
    it (a string, or a name)."""
    for call in file.calls:
        if call.api in (CIVCHAT, PAGE_HIT) and call.payload is not None:
            for entry in call.payload.entries:
                if entry.key == "apiKey":
                    found = expression(entry.value, entry)
                    if found is not None:
                        return found
    return None
