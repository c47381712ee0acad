from __future__ import annotations

from collections.abc import Iterator, Mapping

from uelint import Diagnostic, Level, ParsedFile, Rule, TrackingCall
from uelint.rules._docs import API_DOCS, strings, via
from uelint.rules.auth_handlers import (
    DEFAULT_LOGOUT_WORDS,
    Evidence,
    find_logout,
    logout_vocabulary,
)
from uelint.sdk import CLIENT_UPDATE, RESET_AUTH


class LogoutWithoutReset(Rule):
    """
    ## What it does
    Flags a logout or sign-out handler that talks to User.com (sends an event with
    `userengage("event.<name>")` or attributes with `client.update`, directly or through a
    wrapper) but never calls `UE.resetAuth()`, directly or through a wrapper. A handler is
    known by its name split into words (`handleLogout`, `onSignOut`, `log_out`), its route
    (`@app.post("/logout")`), the element a listener is bound to (`#logout-button`), or the
    sign-out request a callback continues (`auth.signOut().then(...)`); and, when no
    enclosing function has a name, by the file (`pages/logout.tsx`). One finding per
    handler, at its first call.

    ## Why is this bad?
    The SDK keeps the visitor's identity in a cookie. Logging out of the application does
    not log out of User.com: until `UE.resetAuth()` starts a new anonymous visitor, the next
    person on that browser is tracked as the previous user, and their events, chats and
    attributes land in that profile.

    ## Example
    ```js
    async function handleLogout() {
      await api.logout();
      userengage("event.logout");
    }
    ```

    ## Use instead
    ```js
    async function handleLogout() {
      await api.logout();
      userengage("event.logout");
      UE.resetAuth({ apiKey: API_KEY });
    }
    ```

    ## Options
    - `logout-words`: the words and phrases that mark a logout handler (replaces the default
      list: logout, log out, logoff, log off, signout, sign out, signoff, sign off).
    - `extend-logout-words`: more words and phrases, added to the list (e.g. `["abmelden"]`).
    """

    code = "UE009"
    name = "logout-without-reset"
    summary = "A logout handler that talks to User.com must call UE.resetAuth()."
    level = Level.WARNING
    tags = ("correctness", "identity", "userengage")
    help_uri = API_DOCS
    precision = "medium"

    def __init__(self) -> None:
        self.vocabulary = logout_vocabulary()

    def configure(self, options: Mapping[str, object]) -> None:
        unknown = set(options) - {"logout-words", "extend-logout-words"}
        if unknown:
            raise ValueError(f"unknown option(s) {', '.join(sorted(unknown))}; UE009 takes "
                             "logout-words, extend-logout-words")
        self.vocabulary = logout_vocabulary([
            *strings(options, "logout-words", DEFAULT_LOGOUT_WORDS),
            *strings(options, "extend-logout-words"),
        ])

    def check(self, call: TrackingCall, file: ParsedFile) -> Iterator[Diagnostic]:
        if not _talks(call):
            return
        evidence = find_logout(call, file.path, self.vocabulary)
        if evidence is None or _resets(evidence, file) or not self._first(call, evidence, file):
            return
        sent = call.api if call.api == CLIENT_UPDATE else f'userengage("{call.api}")'
        yield self.diagnostic(
            file, call.span,
            f"{sent}{via(call)} {evidence.description}, which never calls UE.resetAuth(): the "
            "next person on this browser is tracked as the user who logged out. Call "
            "UE.resetAuth({ apiKey }) when the user logs out.")

    def _first(self, call: TrackingCall, evidence: Evidence, file: ParsedFile) -> bool:
        """Is `call` the first call of the file that talks to User.com in that handler?"""
        for other in file.calls:
            if other is call:
                return True
            if _talks(other):
                found = find_logout(other, file.path, self.vocabulary)
                if found is not None and _same(found, evidence):
                    return False
        return True


def _talks(call: TrackingCall) -> bool:
    api = call.api or ""
    return api == CLIENT_UPDATE or api.startswith("event.") and len(api) > len("event.")


def _same(a: Evidence, b: Evidence) -> bool:
    if a.handler is None or b.handler is None:
        return a.handler is b.handler
    return a.handler.span == b.handler.span


def _resets(evidence: Evidence, file: ParsedFile) -> bool:
    """Does the handler (or, for a logout page, the file) call UE.resetAuth()?"""
    scope = evidence.handler
    return any(
        other.api == RESET_AUTH
        and (scope is None or any(h.span == scope.span for h in other.handlers))
        for other in file.calls
    )
