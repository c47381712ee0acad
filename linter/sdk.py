"""The SDK's vocabulary: the names through which code reaches User.com's web SDK.

Every adapter, the prefilter and the rules read them here, and every word list is derived
from them, so that an entry point added here is recognised, searched for and kept everywhere.
"""

from __future__ import annotations

import re

# The API names that `TrackingCall.api` takes (besides any `userengage` method name), and the
# method the rules are about.
CLIENT_UPDATE = "client.update"
PAGE_HIT = "UE.pageHit"
RESET_AUTH = "UE.resetAuth"
CIVCHAT = "civchat"

# The global function that takes the method name first: `userengage("client.update", {...})`.
DISPATCH = "userengage"
# Global methods that take the payload alone, by their path on the page's globals.
IDENTITY: dict[tuple[str, ...], str] = {
    ("UE", "pageHit"): PAGE_HIT,
    ("UE", "resetAuth"): RESET_AUTH,
}
# The global configuration object, assigned whole or key by key: `window.civchat = {...}`.
CONFIG = "civchat"
# Google Tag Manager's sandbox API that calls a global by name: `callInWindow("userengage", ...)`.
CALL_IN_WINDOW = "callInWindow"

# APIs whose calls with a fixed method make the enclosing function a wrapper: calling it has
# their effect (identifying the user, or updating them).
FIXED_WRAPPER_APIS = frozenset({*IDENTITY.values(), CLIENT_UPDATE})

# The names code calls the SDK by.
CALLED = (DISPATCH, *(path[-1] for path in IDENTITY))
# Where the SDK is reached in code: its calls, its configuration, the sandbox API.
ENTRY_WORDS = (*CALLED, CONFIG, CALL_IN_WINDOW)
# What a file must contain to matter. The sandbox API is no trigger (its calls name the SDK
# global in a string); a method name is (a module that only holds it in a constant must be
# read, so that the files importing the constant can be followed).
TRIGGERS = (*CALLED, CONFIG, CLIENT_UPDATE)

# String constants worth exporting to other files: SDK method names, nothing else.
METHOD_NAME = re.compile(r"(client|event|product_event|widget|chat)\b")
