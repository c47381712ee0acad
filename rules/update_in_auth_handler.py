from __future__ import annotations

from collections.abc import Iterator

from linter import Diagnostic, Handler, Level, ParsedFile, Rule, TrackingCall
from linter.ir import CLIENT_UPDATE, PAGE_HIT, RESET_AUTH
from rules._docs import DOCS, via
from rules.auth_handlers import is_auth_handler

IDENTIFYING = frozenset({PAGE_HIT, RESET_AUTH})


class UpdateInAuthHandler(Rule):
    """
    ## What it does
    Flags `userengage("client.update", ...)` inside a login, sign-in, sign-up or registration
    handler (a function, method, class or form `submit` listener whose name, selector or route
    says so) that does not also call `UE.pageHit()` or `UE.resetAuth()`.

    ## Why is this bad?
    `client.update` never switches the tracking session: after a login it keeps enriching the
    anonymous visitor (or the previous user) instead of the person who just logged in, and the
    documentation says it is not for tracking sign-up or login form submissions. A login or
    sign-up must identify the user with `UE.pageHit()`.

    ## Example
    ```js
    loginForm.addEventListener("submit", async () => {
      const user = await api.login(email, password);
      userengage("client.update", { email: user.email, first_name: user.firstName });
    });
    ```

    ## Use instead
    ```js
    loginForm.addEventListener("submit", async () => {
      const user = await api.login(email, password);
      UE.pageHit({ apiKey: API_KEY, user_id: user.id, email: user.email });
      userengage("event.login", { method: "password" });
    });
    ```
    """

    code = "UE002"
    name = "update-in-auth-handler"
    summary = "Login and sign-up handlers must identify the user with UE.pageHit(), not client.update."
    level = Level.WARNING
    tags = ("correctness", "identity", "userengage")
    help_uri = f"{DOCS}#not-for-form-submissions"
    precision = "medium"

    def check(self, call: TrackingCall, file: ParsedFile) -> Iterator[Diagnostic]:
        if call.api != CLIENT_UPDATE:
            return
        evidence = next((h for h in call.handlers if is_auth_handler(h)), None)
        if evidence is None or _identifies_user(evidence, file):
            return
        where = call.handlers[0].describe()
        if evidence is not call.handlers[0]:
            where += f" in {evidence.describe()}"
        yield self.diagnostic(
            file, call.span,
            f"client.update{via(call)} inside {where}, a login/sign-up handler: it never "
            "switches users. Identify the user with UE.pageHit({ apiKey, user_id, email, ... }) "
            'and track the action as userengage("event.<name>").',
        )


def _identifies_user(handler: Handler, file: ParsedFile) -> bool:
    """Does `handler` (or anything inside it) also call UE.pageHit or UE.resetAuth?"""
    return any(
        other.api in IDENTIFYING and any(h.span == handler.span for h in other.handlers)
        for other in file.calls
    )
