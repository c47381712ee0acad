"""Google Tag Manager's sandboxed JavaScript: the SDK reached through the sandbox API.

A custom template cannot touch `window`; it asks for globals by path: `callInWindow(
'userengage', 'client.update', attrs)`, `callInWindow('UE.pageHit', data)`,
`setInWindow('civchat', data, true)`, and `const ue = copyFromWindow('userengage');
ue('event.x', {})`. The APIs come from `require('callInWindow')`, under any name. The
JavaScript adapter reads `callInWindow('userengage', ...)` where the name is written; this
module finds the other shapes (the name in a constant too), in `.js` files and in the
sandboxed section of an exported template (`gtm`). Payloads built from template fields
(`data.userAttributes`) are not visible: their keys stay unknown.
"""

from __future__ import annotations

from collections.abc import Callable

import tree_sitter as ts

from uelint import sdk
from uelint.adapters.js_scope import Value
from uelint.adapters.js_tree import JsFile
from uelint.adapters.values import UNKNOWN, Str
from uelint.ir import TrackingCall

SET_IN_WINDOW = "setInWindow"
COPY_FROM_WINDOW = "copyFromWindow"
_SANDBOX = (sdk.CALL_IN_WINDOW, SET_IN_WINDOW, COPY_FROM_WINDOW)
_WORDS = tuple(name.encode() for name in _SANDBOX)

# (call, callee, method, payload) → the tracking call, as the JavaScript adapter makes it.
Track = Callable[[ts.Node, ts.Node, Value, "ts.Node | None"], "TrackingCall | None"]


def sandbox_calls(
    file: JsFile, track: Track, known: tuple[TrackingCall, ...]
) -> tuple[TrackingCall, ...]:
    """The SDK calls made through the sandbox API that are not `known` already."""
    data = file.source.data
    if not any(word in data for word in _WORDS):
        return ()
    seen = {call.span.start_byte for call in known}
    apis = _api_names(file)
    copies = _copied(file, apis)
    found = []
    for node in file.calls_named(set(apis) | set(copies)):
        fn, args = node.child_by_field_name("function"), file.args(node)
        if fn is None or args is None or node.start_byte in seen:
            continue
        name = file.text(fn)
        if name in copies:
            call = _dispatched(node, fn, copies[name], args, file, track)
        elif args:
            path = _string(file, args[0])
            call = _by_path(node, fn, apis.get(name), path, args[1:], file, track)
        else:
            call = None
        if call is not None:
            found.append(call)
    return tuple(found)


def _api_names(file: JsFile) -> dict[str, str]:
    """Local name → sandbox API: `const callInWindow = require('callInWindow')`, `ciw`..."""
    names = {api: api for api in _SANDBOX}
    for declarator in _declarators(file):
        target, value = declarator.child_by_field_name("name"), declarator.child_by_field_name(
            "value")
        if target is None or value is None or target.type != "identifier":
            continue
        specifier = file.scope.require_specifier(value)
        if specifier in _SANDBOX:
            names[file.text(target)] = specifier
    return names


def _copied(file: JsFile, apis: dict[str, str]) -> dict[str, tuple[str, ...]]:
    """Local name → global path: `const ue = copyFromWindow('userengage')`."""
    copies = {}
    names = {name for name, api in apis.items() if api == COPY_FROM_WINDOW}
    for call in file.calls_named(names):
        declarator, args = call.parent, file.args(call)
        target = declarator.child_by_field_name("name") if declarator is not None else None
        if declarator is None or declarator.type != "variable_declarator" or not args:
            continue
        path = _string(file, args[0])
        if target is not None and target.type == "identifier" and path is not None:
            copies[file.text(target)] = tuple(path.split("."))
    return copies


def _string(file: JsFile, node: ts.Node) -> str | None:
    """A string the file shows: a literal, a constant (`const NAMESPACE = 'userengage'`)."""
    value = file.scope.value(node)
    return value.value if isinstance(value, Str) else None


def _declarators(file: JsFile) -> list[ts.Node]:
    found = []
    data = file.source.data
    for word in _WORDS:
        at = data.find(word)
        while at != -1:
            node = file.root.descendant_for_byte_range(at, at + len(word))
            while node is not None and node.type not in ("variable_declarator", "program"):
                node = node.parent
            if node is not None and node.type == "variable_declarator":
                found.append(node)
            at = data.find(word, at + len(word))
    return found


def _by_path(
    node: ts.Node, fn: ts.Node, api: str | None, path: str | None, rest: list[ts.Node],
    file: JsFile, track: Track,
) -> TrackingCall | None:
    """`callInWindow('UE.pageHit', data)`, `setInWindow('civchat', data, true)`."""
    if path is None:
        return None
    target = tuple(path.split("."))
    if api == SET_IN_WINDOW and target == (sdk.CONFIG,):
        return track(node, fn, Str(sdk.CIVCHAT), rest[0] if rest else None)
    if api == sdk.CALL_IN_WINDOW:
        return _dispatched(node, fn, target, rest, file, track)
    return None


def _dispatched(
    node: ts.Node, fn: ts.Node, target: tuple[str, ...], args: list[ts.Node], file: JsFile,
    track: Track,
) -> TrackingCall | None:
    """A call of the global at `target` with `args`."""
    if target == (sdk.DISPATCH,):
        method = file.scope.value(args[0]) if args else UNKNOWN
        return track(node, fn, method, args[1] if len(args) > 1 else None)
    if target in sdk.IDENTITY:
        return track(node, fn, Str(sdk.IDENTITY[target]), args[0] if args else None)
    return None

