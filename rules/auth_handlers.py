"""Is a handler a login / sign-up handler? Evidence from names, listener targets and routes.

Names are split into words (camelCase, PascalCase, snake_case, kebab-case, selectors), so
`handleLogin`, `onSignUp`, `submit_registration` and `#signup-form` match, while look-alikes
made of other words (`logInfo`, `signal`, `designUp`, `registerServiceWorker`) do not.
"""

from __future__ import annotations

import re

from linter.ir import Handler, HandlerKind

_WORD = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|[0-9]+")

AUTH_WORDS = frozenset({
    "login", "signin", "signup", "logon", "register", "registration", "authenticate",
    "authentication",
})
AUTH_PHRASES = frozenset({("log", "in"), ("sign", "in"), ("sign", "up"), ("log", "on"),
                          ("create", "account")})
# `register` is also an everyday verb (registerServiceWorker, registerComponent): it counts
# alone, last, or before a word that makes it about a user's registration.
REGISTER_OBJECTS = frozenset({
    "user", "account", "form", "submit", "page", "view", "component", "handler", "button",
    "click", "modal", "dialog", "screen", "step", "success", "complete", "done", "callback",
    "request", "route", "me", "customer", "member", "new",
})


def words(name: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(name)]


def names_auth(name: str | None) -> bool:
    """True when a name or selector says login, sign-in, sign-up or registration."""
    if not name:
        return False
    ws = words(name)
    for i, word in enumerate(ws):
        following = ws[i + 1] if i + 1 < len(ws) else None
        if word == "register":
            if following is None or following in REGISTER_OBJECTS:
                return True
        elif word in AUTH_WORDS:
            return True
        elif following is not None and (word, following) in AUTH_PHRASES:
            return True
    return False


def is_auth_handler(handler: Handler) -> bool:
    if names_auth(handler.name) or names_auth(handler.route):
        return True
    return (
        handler.kind is HandlerKind.LISTENER
        and handler.event == "submit"
        and names_auth(handler.target)
    )
