"""Wrapper inference is one (`uelint.adapters.inference`): the same wrapper, written in
JavaScript and in Python, gives the same IR, and the right one."""

from __future__ import annotations

import textwrap

import pytest

from uelint.adapters import javascript, python
from uelint.ir import TrackingCall
from uelint.source import SourceText

Shape = tuple[int, str | None, tuple[str, ...] | None, bool | None, tuple[str, ...]]


def shapes(calls: tuple[TrackingCall, ...]) -> list[Shape]:
    """What inference decides about each call: line, api, payload keys, completeness, via."""
    return [
        (
            c.span.start_line, c.api,
            tuple(e.key for e in c.payload.entries) if c.payload is not None else None,
            c.payload.complete if c.payload is not None else None,
            tuple(v.name for v in c.via),
        )
        for c in calls
    ]


def both(js: str, py: str) -> tuple[list[Shape], list[Shape]]:
    js_result = javascript.extract(
        SourceText(textwrap.dedent(js).encode()), "app.js", "javascript"
    )
    py_result = python.extract(SourceText(textwrap.dedent(py).encode()), "app.py", "python")
    assert js_result.errors == () and py_result.errors == ()
    return shapes(js_result.calls), shapes(py_result.calls)


# Each case: the same program in both languages, line for line, and what its last call is.
CASES = {
    "an unknown spread makes the payload incomplete": (
        """\
        function track(data) {
          userengage("client.update", {...defaults, ...data});
        }
        track({a: 1});
        """,
        """\
        def track(data):
            userengage("client.update", {**defaults, **data})

        track({"a": 1})
        """,
        (4, "client.update", ("a",), False, ("track",)),
    ),
    "the wrapper's keys and the caller's": (
        """\
        function track(method, data) {
          userengage(method, {source: "web", ...data});
        }
        track("client.update", {a: 1});
        """,
        """\
        def track(method, data):
            userengage(method, {"source": "web", **data})

        track("client.update", {"a": 1})
        """,
        (4, "client.update", ("a", "source"), True, ("track",)),
    ),
    "an argument the file cannot see": (
        """\
        function track(method, data) {
          userengage(method, {source: "web", ...data});
        }
        track("client.update", unknown);
        """,
        """\
        def track(method, data):
            userengage(method, {"source": "web", **data})

        track("client.update", unknown)
        """,
        (4, "client.update", ("source",), False, ("track",)),
    ),
    "an argument not passed": (
        """\
        function track(method, data) {
          userengage(method, {source: "web", ...data});
        }
        track("client.update");
        """,
        """\
        def track(method, data=None):
            userengage(method, {"source": "web", **data})

        track("client.update")
        """,
        (4, "client.update", ("source",), True, ("track",)),
    ),
    "the method parameter's default": (
        """\
        function track(data, method = "client.update") {
          userengage(method, data);
        }
        track({a: 1});
        """,
        """\
        def track(data, method="client.update"):
            userengage(method, data)

        track({"a": 1})
        """,
        (4, "client.update", ("a",), True, ("track",)),
    ),
    "two parameters spread: the other one is unknown at the call site": (
        """\
        function track(data, more) {
          userengage("client.update", {...data, ...more});
        }
        track({a: 1}, {b: 2});
        """,
        """\
        def track(data, more):
            userengage("client.update", {**data, **more})

        track({"a": 1}, {"b": 2})
        """,
        (4, "client.update", ("a",), False, ("track",)),
    ),
    "a fixed payload with an unknown part, the method from the caller": (
        """\
        function mark(method) {
          userengage(method, {plan: "x", ...extra});
        }
        mark("client.update");
        """,
        """\
        def mark(method):
            userengage(method, {"plan": "x", **extra})

        mark("client.update")
        """,
        (4, "client.update", ("plan",), False, ("mark",)),
    ),
    "wrappers of wrappers name their chain": (
        """\
        class Driver {
          push(name, payload) { userengage(name, payload); }
        }
        function track(method, attrs) { new Driver().push(method, attrs); }
        track("client.update", {a: 1});
        """,
        """\
        class Driver:
            def push(self, name, payload): userengage(name, payload)

        def track(method, attrs): Driver().push(method, attrs)
        track("client.update", {"a": 1})
        """,
        (5, "client.update", ("a",), True, ("track", "Driver.push")),
    ),
    "a fixed wrapper: its payload is checked where it is written": (
        """\
        function identify(user) {
          UE.pageHit({user_id: user.id});
        }
        identify(me);
        """,
        """\
        def identify(user):
            UE.pageHit({"user_id": user.id})

        identify(me)
        """,
        (4, "UE.pageHit", None, None, ("identify",)),
    ),
    "a fixed wrapper called where it is defined is not a second call": (
        """\
        function login(user) {
          function mark() { userengage("client.update", {}); }
          mark();
        }
        """,
        """\
        def login(user):
            def mark(): userengage("client.update", {})
            mark()

        """,
        (2, "client.update", (), True, ()),
    ),
    "a function is one wrapper: the first call through a wrapper decides": (
        """\
        function identify(user) { UE.pageHit({user_id: user.id}); }
        function mark() { userengage("client.update", {plan: "x"}); }
        function login(user) { identify(user); mark(); }
        login(me);
        """,
        """\
        def identify(user): UE.pageHit({"user_id": user.id})
        def mark(): userengage("client.update", {"plan": "x"})
        def login(user): identify(user); mark()
        login(me)
        """,
        (4, "UE.pageHit", None, None, ("login", "identify")),
    ),
    "a method name no caller can fix: no wrapper": (
        """\
        function send(payload) {
          userengage(payload.method, payload);
        }
        send({method: "client.update"});
        """,
        """\
        def send(payload):
            userengage(payload["method"], payload)

        send({"method": "client.update"})
        """,
        (2, None, (), False, ()),
    ),
}


@pytest.mark.parametrize("js, py, last", CASES.values(), ids=list(CASES))
def test_the_same_wrapper_gives_the_same_ir_in_both_languages(
    js: str, py: str, last: Shape
) -> None:
    js_calls, py_calls = both(js, py)
    assert js_calls == py_calls
    assert js_calls[-1] == last
