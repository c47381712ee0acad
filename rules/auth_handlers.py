"""Is a tracking call inside a login / sign-up handler? Evidence, strongest first.

Names are split into words (camelCase, PascalCase, snake_case, kebab-case, selectors, paths),
so `handleLogin`, `onSignUp`, `submit_registration`, `#signup-form` and `pages/login.tsx` match,
while look-alikes made of other words (`logInfo`, `signal`, `designUp`, `eventRegistry`,
`registerServiceWorker`) do not. The vocabulary is data, configurable per project.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from uelint.ir import Handler, HandlerKind, TrackingCall

_WORD = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|[0-9]+")

DEFAULT_WORDS = (
    "login", "log in", "logon", "log on", "signin", "sign in", "signup", "sign up",
    "register", "registration", "create account", "authenticate", "authentication",
    # Auth SDKs: Firebase's createUserWithEmailAndPassword, Auth0's loginWithRedirect, ...
    "create user with",
)
# `register` is also an everyday verb (registerServiceWorker, registerComponent): it counts
# alone, last, or before a word that makes it about a user's registration.
DEFAULT_REGISTER_OBJECTS = (
    "user", "account", "form", "submit", "page", "view", "component", "handler", "button",
    "click", "modal", "dialog", "screen", "step", "success", "complete", "done", "callback",
    "request", "route", "me", "customer", "member", "new", "with",
)
# A callback continues an auth request when it is passed to one of these on the request's result.
CONTINUATIONS = ("then", "finally", "subscribe", "pipe", "done", "success")


def words(name: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(name)]


@dataclass(frozen=True)
class Vocabulary:
    phrases: tuple[tuple[str, ...], ...] = field(
        default_factory=lambda: tuple(tuple(p.split()) for p in DEFAULT_WORDS)
    )
    register_objects: frozenset[str] = frozenset(DEFAULT_REGISTER_OBJECTS)

    @classmethod
    def of(cls, phrases: Iterable[str], register_objects: Iterable[str]) -> Vocabulary:
        return cls(tuple(tuple(words(p)) for p in phrases if words(p)),
                   frozenset(register_objects))

    def names_auth(self, name: str | None) -> bool:
        """True when a name, selector, route or path says login, sign-in, sign-up or
        registration."""
        if not name:
            return False
        ws = words(name)
        for i in range(len(ws)):
            for phrase in self.phrases:
                if tuple(ws[i : i + len(phrase)]) != phrase:
                    continue
                if phrase == ("register",):
                    following = ws[i + 1] if i + 1 < len(ws) else None
                    if following is not None and following not in self.register_objects:
                        continue
                return True
        return False


@dataclass(frozen=True)
class Evidence:
    """Why a call is inside a login / sign-up handler, and the scope to search for UE.pageHit."""

    description: str  # "inside `handleSubmit`, the submit handler of `form#signup-form`"
    handler: Handler | None  # None: the whole file is the scope


def find_evidence(call: TrackingCall, path: str, vocabulary: Vocabulary) -> Evidence | None:
    innermost = call.handlers[0] if call.handlers else None
    for handler in call.handlers:
        reason = _handler_reason(handler, vocabulary)
        if reason is not None:
            where = f"inside {innermost.describe()}" if innermost else "inside"
            if handler is not innermost:
                where += f" in {handler.describe()}"
            return Evidence(where + reason, handler)
    for awaited in call.awaited:
        if vocabulary.names_auth(awaited):
            function = next((h for h in call.handlers if h.kind is not HandlerKind.CLASS), None)
            where = f"inside {function.describe()}, " if function else ""
            return Evidence(f"{where}after `await {awaited}`", function)
    if not any(h.name for h in call.handlers) and vocabulary.names_auth(_file_words(path)):
        return Evidence(f"in `{path}`, a login/sign-up page", None)
    return None


def _handler_reason(handler: Handler, vocabulary: Vocabulary) -> str | None:
    if vocabulary.names_auth(handler.name) or vocabulary.names_auth(handler.route):
        return ""
    if handler.kind is HandlerKind.LISTENER and handler.event in ("submit", "ngsubmit"):
        if vocabulary.names_auth(handler.target):
            return ""
        if handler.password:
            return ", a form with a password field"
    if handler.kind is HandlerKind.CALLBACK and handler.callee:
        request, _, continuation = handler.callee.rpartition(".")
        if continuation in CONTINUATIONS and vocabulary.names_auth(request):
            return ", the continuation of an auth request"
    return None


def _file_words(path: str) -> str:
    """The directory and file names of a path, without the suffix: "pages login"."""
    stem = path.rsplit(".", 1)[0] if "." in path.rsplit("/", 1)[-1] else path
    return " ".join(stem.split("/")[-3:])


# -- logout / sign-out handlers (UE009) --------------------------------------------------------

DEFAULT_LOGOUT_WORDS = (
    "logout", "log out", "logoff", "log off", "signout", "sign out", "signoff", "sign off",
)


def logout_vocabulary(phrases: Iterable[str] = DEFAULT_LOGOUT_WORDS) -> Vocabulary:
    return Vocabulary.of(phrases, ())


def find_logout(call: TrackingCall, path: str, vocabulary: Vocabulary) -> Evidence | None:
    """Is the call inside a logout / sign-out handler? By the names of its handlers, their
    routes, the element a listener is bound to (`#logout-button`), the request a callback
    continues (`auth.signOut().then`), and the file when no enclosing function has a name."""
    innermost = call.handlers[0] if call.handlers else None
    for handler in call.handlers:
        if handler.kind is HandlerKind.CLASS:
            continue  # a `LogoutButton` component does more than log out
        reason = _logout_reason(handler, vocabulary)
        if reason is not None:
            where = f"inside {innermost.describe()}" if innermost else "inside"
            if handler is not innermost:
                where += f" in {handler.describe()}"
            return Evidence(where + reason, handler)
    if not any(h.name for h in call.handlers) and vocabulary.names_auth(_file_words(path)):
        return Evidence(f"in `{path}`, a logout page", None)
    return None


def _logout_reason(handler: Handler, vocabulary: Vocabulary) -> str | None:
    if vocabulary.names_auth(handler.name) or vocabulary.names_auth(handler.route):
        return ""
    if handler.kind is HandlerKind.LISTENER and vocabulary.names_auth(handler.target):
        return ""
    if handler.kind is HandlerKind.CALLBACK and handler.callee:
        request, _, continuation = handler.callee.rpartition(".")
        if continuation in CONTINUATIONS and vocabulary.names_auth(request):
            return ", the continuation of a sign-out request"
    return None
