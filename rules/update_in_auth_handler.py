from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping

from uelint import Diagnostic, Handler, Level, ParsedFile, Rule, TrackingCall
from uelint.rules._docs import DOCS, via
from uelint.rules.auth_handlers import (
    DEFAULT_REGISTER_OBJECTS,
    DEFAULT_WORDS,
    Vocabulary,
    find_evidence,
)
from uelint.sdk import CLIENT_UPDATE, PAGE_HIT, RESET_AUTH

IDENTIFYING = frozenset({PAGE_HIT, RESET_AUTH})


class UpdateInAuthHandler(Rule):
    """
    ## What it does
    Flags `userengage("client.update", ...)` (also through wrappers) inside a login, sign-in,
    sign-up or registration handler that does not also call `UE.pageHit()` or `UE.resetAuth()`
    (directly or through a wrapper). The evidence, strongest first:

    - **names**, split into words: the function, method, class or component (`handleLogin`,
      `onSignUp`, `submit_registration`, `LoginForm`, `AuthController.login`);
    - **form submissions** whose form says login / sign-up / register (id, name, class,
      action, selector) or holds a password field: `form.addEventListener("submit", ...)`,
      `form.onsubmit = ...`, jQuery `.on("submit", ...)` / `.submit(...)`, React
      `<form onSubmit={...}>`, Angular `(ngSubmit)`, Vue `@submit`, Svelte `on:submit`,
      PyScript `@when("submit", "#login-form")`;
    - **routes**: `@app.post("/login")`, Django views named or routed as login / signup;
    - **auth results**: a continuation of an auth request (`auth.login(...).then(...)`,
      `firebase.auth().signInWithEmailAndPassword(...).then(...)`, `fetch("/api/login").then(...)`)
      or a call after `await api.signup(...)` in the same function;
    - **the file** (`pages/login.tsx`), only when no enclosing function has a name.

    Logout handlers are not login handlers. An innermost callback counts with its parents.

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

    ## Options
    - `auth-words`: the words and phrases that mark a login / sign-up handler (replaces the
      default list: login, log in, logon, log on, signin, sign in, signup, sign up, register,
      registration, create account, authenticate, authentication, create user with).
    - `extend-auth-words`: more words and phrases, added to the list (e.g. `["anmelden"]`).
    - `register-objects`: the words after which `register` means a user's registration
      (`registerUser`, `onRegisterSubmit`); `register` alone or last always counts.
    """

    code = "UE002"
    name = "update-in-auth-handler"
    summary = ("Login and sign-up handlers must identify the user with UE.pageHit(), "
               "not client.update.")
    level = Level.WARNING
    tags = ("correctness", "identity", "userengage")
    help_uri = f"{DOCS}#not-for-form-submissions"
    precision = "medium"

    def __init__(self) -> None:
        self.vocabulary = Vocabulary()

    def configure(self, options: Mapping[str, object]) -> None:
        phrases = list(_strings(options, "auth-words", DEFAULT_WORDS))
        phrases += _strings(options, "extend-auth-words", ())
        objects = _strings(options, "register-objects", DEFAULT_REGISTER_OBJECTS)
        unknown = set(options) - {"auth-words", "extend-auth-words", "register-objects"}
        if unknown:
            raise ValueError(f"unknown option(s) {', '.join(sorted(unknown))}; UE002 takes "
                             "auth-words, extend-auth-words, register-objects")
        self.vocabulary = Vocabulary.of(phrases, objects)

    def check(self, call: TrackingCall, file: ParsedFile) -> Iterator[Diagnostic]:
        if call.api != CLIENT_UPDATE:
            return
        evidence = find_evidence(call, file.path, self.vocabulary)
        if evidence is None or _identifies_user(evidence.handler, file):
            return
        yield self.diagnostic(
            file, call.span,
            f"client.update{via(call)} {evidence.description}: it never switches users. "
            "A login or sign-up must identify the user with "
            "UE.pageHit({ apiKey, user_id, email, ... }); "
            'track the action as userengage("event.<name>").',
        )


def _identifies_user(scope: Handler | None, file: ParsedFile) -> bool:
    """Does the scope (a handler, or the whole file) also call UE.pageHit or UE.resetAuth?"""
    return any(
        other.api in IDENTIFYING
        and (scope is None or any(h.span == scope.span for h in other.handlers))
        for other in file.calls
    )


def _strings(options: Mapping[str, object], key: str, default: Iterable[str]) -> list[str]:
    value = options.get(key, list(default))
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError(f"`{key}` must be a list of strings")
    return value
