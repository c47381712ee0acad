from __future__ import annotations

from collections.abc import Iterator

from uelint import Diagnostic, Level, ParsedFile, Rule, TrackingCall
from uelint.rules._docs import DOCS, via
from uelint.sdk import CLIENT_UPDATE


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
                yield self.diagnostic(
                    file, entry.key_span,
                    f"`user_id` in client.update{via(call)} never switches users: it overwrites "
                    "the current user's id, or fails with a 400 if another user has that id. "
                    "Identify users with UE.pageHit({ user_id, ... }), UE.resetAuth() or "
                    "window.civchat instead.",
                )
