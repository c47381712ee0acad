"""The Python (libcst) adapter, tested on the IR it produces."""

from __future__ import annotations

import textwrap

import pytest

from linter.adapters import AdapterResult
from linter.adapters import python as adapter
from linter.ir import (
    CIVCHAT,
    PAGE_HIT,
    RESET_AUTH,
    Handler,
    HandlerKind,
    Payload,
    Span,
    TrackingCall,
    Value,
    ValueKind,
)
from linter.source import SourceText


def run(code: str | bytes) -> AdapterResult:
    data = code if isinstance(code, bytes) else textwrap.dedent(code).encode("utf-8")
    return adapter.extract(SourceText(data), "app.py", "python")


def calls(code: str | bytes) -> tuple[TrackingCall, ...]:
    result = run(code)
    assert result.errors == ()
    return result.calls


def only(code: str | bytes) -> TrackingCall:
    found = calls(code)
    assert len(found) == 1, found
    return found[0]


def payload(code: str) -> Payload:
    found = only(code).payload
    assert found is not None
    return found


def col16(line: str, needle: str) -> int:
    """1-based UTF-16 column of `needle` in `line`."""
    return len(line[: line.index(needle)].encode("utf-16-le")) // 2 + 1


# -- which calls are tracking calls ----------------------------------------------------------


@pytest.mark.parametrize("callee", [
    "userengage", "window.userengage", "window.top.userengage", "js.userengage",
    "js.window.userengage", "window.parent.userengage", "globalThis.userengage",
    "pyscript.window.userengage",
])
def test_userengage_forms(callee: str) -> None:
    line = f'{callee}("client.update", {{"email": e}})'
    call = only(line + "\n")
    assert call.api == "client.update"
    assert call.callee == callee
    assert call.span == Span(1, 1, 1, len(line) + 1, 0, len(line))


@pytest.mark.parametrize("code", [
    'obj.userengage("client.update", {"user_id": 1})',
    'self.userengage("client.update", {"user_id": 1})',
    'window.tracker.userengage("client.update", {"user_id": 1})',
    'socket.emit("client.update", {"user_id": 1})',
    'rpc("client.update", {"user_id": 1})',
    'sellsy_request("Client.update", {"user_id": 1})',
    'UE.getEditor("editor")',
    'queue.resetAuth()',
    'editor.UE.pageHit({"user_id": 1})',
    'get_ue().pageHit({"user_id": 1})',
    'window["userengage"]("client.update", {})',
    '# userengage("client.update", {"user_id": 1})',
    'HELP = \'userengage("client.update", {"user_id": 1})\'',
    '"""Docstring: window.userengage("client.update", {"user_id": 1})."""',
])
def test_look_alikes_are_not_tracking_calls(code: str) -> None:
    assert calls(code + "\n") == ()


@pytest.mark.parametrize("code, api, callee", [
    ('UE.pageHit({"user_id": 1})', PAGE_HIT, "UE.pageHit"),
    ('window.UE.pageHit({"user_id": 1})', PAGE_HIT, "window.UE.pageHit"),
    ('js.UE.resetAuth({"apiKey": "k"})', RESET_AUTH, "js.UE.resetAuth"),
    ('window.top.UE.resetAuth({"apiKey": "k"})', RESET_AUTH, "window.top.UE.resetAuth"),
])
def test_ue_methods(code: str, api: str, callee: str) -> None:
    call = only(code + "\n")
    assert (call.api, call.callee) == (api, callee)
    assert call.payload is not None and call.payload.entries


def test_ue_method_without_payload() -> None:
    call = only("UE.resetAuth()\n")
    assert call.api == RESET_AUTH and call.payload is None


def test_import_aliases_name_the_globals() -> None:
    found = calls("""\
        from js import userengage as ue, window as w, UE as sdk
        import js as J
        ue("client.update", {})
        w.userengage("event.x")
        sdk.pageHit({})
        J.window.userengage("client.update")
    """)
    assert [(c.api, c.callee) for c in found] == [
        ("client.update", "ue"), ("event.x", "w.userengage"), (PAGE_HIT, "sdk.pageHit"),
        ("client.update", "J.window.userengage"),
    ]


# -- the method name ---------------------------------------------------------------------------


@pytest.mark.parametrize("literal", [
    '"client.update"', "'client.update'", '"""client.update"""', "'''client.update'''",
    'r"client.update"', 'u"client.update"', '"client" ".update"', '"client" f".update"',
    'f"client.update"', 'rf"client.update"', '"client\\x2eupdate"', '"client\\u002eupdate"',
])
def test_static_method_names(literal: str) -> None:
    assert only(f"userengage({literal}, {{}})\n").api == "client.update"


@pytest.mark.parametrize("arg", [
    'f"client.{what}"', "method", 'b"client.update"', "get()", "*args",
])
def test_dynamic_method_names(arg: str) -> None:
    call = only(f"userengage({arg}, {{}})\n")
    assert call.api is None


def test_method_name_from_a_module_constant() -> None:
    found = calls("""\
        UPDATE = "client.update"
        OTHER = "event.a"
        OTHER = compute()
        def save():
            userengage(UPDATE, {})
            userengage(OTHER, {})
    """)
    assert [c.api for c in found] == ["client.update", None]


def test_fstring_braces_and_event_names() -> None:
    assert only('userengage(f"event.{{odd}}")\n').api == "event.{odd}"
    assert only('userengage("event.add to cart")\n').api == "event.add to cart"


# -- payloads ----------------------------------------------------------------------------------


def test_dict_literal_entries() -> None:
    line = 'userengage("client.update", {"user_id": uid, \'email\': e, """name""": n})'
    found = payload(line + "\n")
    assert [(e.key, e.origin) for e in found.entries] == [
        ("user_id", "quoted"), ("email", "quoted"), ("name", "quoted"),
    ]
    first = found.entries[0].key_span
    assert (first.start_line, first.start_col, first.end_col) == (1, 30, 39)  # with the quotes
    assert found.complete
    assert found.span == Span(1, 29, 1, len(line), 28, len(line) - 1)


def test_key_columns_count_utf16_after_an_emoji() -> None:
    line = 'window.userengage("client.update", {"note": "🦊 ünï", "user_id": uid})'
    found = payload(line + "\n")
    span = found.entries[1].key_span
    assert span.start_line == 1
    assert span.start_col == col16(line, '"user_id"')  # the fox counts as two UTF-16 units
    assert span.start_col == line.index('"user_id"') + 2
    assert span.start_byte == len(line[: line.index('"user_id"')].encode())
    assert span.end_col - span.start_col == len('"user_id"')


def test_multiline_dict_key_lines() -> None:
    found = payload("""\
        def save(u):
            window.userengage("client.update", {
                "email": u.email,
                    "user_id": u.id,
            })
    """)
    spans = [e.key_span for e in found.entries]
    assert [(s.start_line, s.start_col) for s in spans] == [(3, 9), (4, 13)]


def test_incomplete_dict_literals() -> None:
    spread = payload('userengage("client.update", {**base, "user_id": 1})\n')
    assert not spread.complete and [e.key for e in spread.entries] == ["user_id"]
    computed = payload('userengage("client.update", {KEY: 1, "email": e})\n')
    assert not computed.complete and [e.key for e in computed.entries] == ["email"]
    numeric = payload('userengage("client.update", {1: "a", "email": e})\n')
    assert numeric.complete and [e.key for e in numeric.entries] == ["email"]


def test_dict_call_keywords() -> None:
    line = 'js.userengage("client.update", dict(user_id=uid, plan="pro"))'
    found = payload(line + "\n")
    assert [(e.key, e.origin) for e in found.entries] == [("user_id", "kwarg"), ("plan", "kwarg")]
    span = found.entries[0].key_span
    assert (span.start_col, span.end_col) == (col16(line, "user_id="), col16(line, "=uid"))
    assert found.complete
    assert found.span.start_col == col16(line, "dict(")


def test_dict_call_incomplete_parts() -> None:
    assert not payload('userengage("client.update", dict(a=1, **more))\n').complete
    assert not payload('userengage("client.update", dict(base, a=1))\n').complete
    merged = payload('userengage("client.update", dict({"user_id": 1}, plan="x"))\n')
    assert merged.complete
    assert [(e.key, e.origin) for e in merged.entries] == [("user_id", "quoted"), ("plan", "kwarg")]


@pytest.mark.parametrize("wrapped", [
    'to_js({"user_id": 1})',
    'to_js({"user_id": 1}, dict_converter=js.Object.fromEntries)',
    'pyodide.ffi.to_js({"user_id": 1})',
    'js.Object.fromEntries(to_js({"user_id": 1}))',
    'to_js(dict(user_id=1))',
])
def test_conversions_are_unwrapped(wrapped: str) -> None:
    found = payload(f'userengage("client.update", {wrapped})\n')
    assert [e.key for e in found.entries] == ["user_id"]


@pytest.mark.parametrize("arg", ["attrs", "build_attrs()", "{k: v for k, v in x}", "to_js(attrs)"])
def test_payloads_that_cannot_be_read(arg: str) -> None:
    assert only(f'userengage("client.update", {arg})\n').payload is None


def test_no_payload() -> None:
    assert only('userengage("widget.open")\n').payload is None


def test_values() -> None:
    found = payload("""\
        userengage("client.update", {
            "s": "x", "f": f"{a}", "i": 3, "neg": -2, "fl": 1.5, "t": True, "no": None,
            "d": {}, "dc": dict(a=1), "l": [1], "tu": (1,), "fn": lambda: 1, "v": value,
            "px": create_proxy(handler), "b": b"x", "cat": "a" "b",
        })
    """)
    values = {e.key: e.value for e in found.entries}
    assert values == {
        "s": Value(ValueKind.STRING, "x"), "f": Value(ValueKind.STRING),
        "i": Value(ValueKind.NUMBER, 3), "neg": Value(ValueKind.NUMBER, -2),
        "fl": Value(ValueKind.NUMBER, 1.5), "t": Value(ValueKind.BOOL, True),
        "no": Value(ValueKind.NULL), "d": Value(ValueKind.OBJECT), "dc": Value(ValueKind.OBJECT),
        "l": Value(ValueKind.ARRAY), "tu": Value(ValueKind.ARRAY),
        "fn": Value(ValueKind.FUNCTION), "v": Value(ValueKind.UNKNOWN),
        "px": Value(ValueKind.FUNCTION), "b": Value(ValueKind.UNKNOWN),
        "cat": Value(ValueKind.STRING, "ab"),
    }


# -- civchat -----------------------------------------------------------------------------------


def test_civchat_assignment() -> None:
    line = 'window.civchat = to_js({"apiKey": "k", "user_id": uid})'
    call = only(f"def boot(uid):\n    {line}\n")
    assert (call.api, call.callee) == (CIVCHAT, "window.civchat")
    assert call.span == Span(2, 5, 2, 5 + len(line), 19, 19 + len(line))
    assert call.payload is not None
    assert [e.key for e in call.payload.entries] == ["apiKey", "user_id"]
    assert call.handlers[0].name == "boot"


def test_civchat_forms() -> None:
    found = calls("""\
        js.window.civchat = dict(apiKey="k")
        window.civchat.user_id = uid
        window.civchat["email"] = email
        civchat = {"user_id": 1}
        window.settings = {"user_id": 1}
        obj.civchat = {"user_id": 1}
    """)
    assert [(c.api, c.callee) for c in found] == [
        (CIVCHAT, "js.window.civchat"), (CIVCHAT, "window.civchat"), (CIVCHAT, "window.civchat"),
    ]
    key = found[1].payload
    assert key is not None and not key.complete
    assert [(e.key, e.origin) for e in key.entries] == [("user_id", "assignment")]
    assert (key.entries[0].key_span.start_line, key.entries[0].key_span.start_col) == (2, 16)
    assert found[1].span == Span(2, 1, 2, 29, 37, 65)
    quoted = found[2].payload
    assert quoted is not None and [(e.key, e.origin) for e in quoted.entries] == [
        ("email", "quoted")
    ]


# -- handlers ----------------------------------------------------------------------------------


def test_function_method_and_class_handlers() -> None:
    found = calls("""\
        class SignupForm:
            def submit(self):
                def later():
                    userengage("client.update", {})
                userengage("event.a")
                userengage("event.b")

        async def handle_login(event):
            userengage("event.c")
    """)
    later, a, b, c = found
    assert [(h.kind, h.name) for h in later.handlers] == [
        (HandlerKind.FUNCTION, "later"), (HandlerKind.METHOD, "submit"),
        (HandlerKind.CLASS, "SignupForm"),
    ]
    assert a.handlers == b.handlers  # the same function: the same handler spans
    assert a.handlers[0].span.start_line == 2 and a.handlers[1].span.start_line == 1
    assert [(h.kind, h.name) for h in c.handlers] == [(HandlerKind.FUNCTION, "handle_login")]
    assert c.handlers[0].span.start_col == 1  # from `async`
    assert calls("userengage('event.top')\n")[0].handlers == ()


def test_when_decorator_makes_a_listener() -> None:
    found = calls("""\
        from pyscript import when

        @when("submit", "#login-form")
        def on_submit(event):
            userengage("client.update", {})
            UE.pageHit({})

        @pyscript.when("click", selector="#btn")
        def on_click(event):
            userengage("event.click")
    """)
    submit = found[0].handlers[0]
    assert (submit.kind, submit.name, submit.event, submit.target) == (
        HandlerKind.LISTENER, "on_submit", "submit", "#login-form",
    )
    assert submit.span.start_line == 4  # the `def`, not the decorator
    assert found[1].handlers[0].span == submit.span
    click = found[2].handlers[0]
    assert (click.kind, click.event, click.target) == (HandlerKind.LISTENER, "click", "#btn")


@pytest.mark.parametrize("decorator", [
    '@app.post("/login")', '@app.route("/login", methods=["GET", "POST"])',
    '@router.get("/login")', '@bp.route(rule="/login")', '@api.post(path="/login")',
])
def test_route_decorators(decorator: str) -> None:
    call = only(f'{decorator}\ndef view():\n    userengage("client.update", {{}})\n')
    handler = call.handlers[0]
    assert (handler.kind, handler.name, handler.route) == (HandlerKind.FUNCTION, "view", "/login")


def test_decorators_that_are_not_routes() -> None:
    call = only('@cache.get("key")\n@functools.wraps(f)\ndef view():\n    userengage("event.x")\n')
    assert call.handlers[0] == Handler(HandlerKind.FUNCTION, "view", call.handlers[0].span)


def test_lambda_callbacks() -> None:
    found = calls("""\
        button.addEventListener("click", create_proxy(lambda e: userengage("event.click")))
        js.setTimeout(create_proxy(lambda: userengage("event.later")), 100)
        api.login(creds).then(lambda user: userengage("event.in"))
        run(callback=lambda: userengage("event.kw"))
    """)
    click, later, then, keyword = (c.handlers[0] for c in found)
    assert (click.kind, click.event, click.target, click.callee) == (
        HandlerKind.LISTENER, "click", "button", "button.addEventListener",
    )
    assert (later.kind, later.callee) == (HandlerKind.CALLBACK, "js.setTimeout")
    assert (then.kind, then.callee) == (HandlerKind.CALLBACK, "api.login().then")
    assert (keyword.kind, keyword.callee) == (HandlerKind.CALLBACK, "run")
    assert click.span.start_col == len('button.addEventListener("click", create_proxy(') + 1


def test_listener_targets_and_named_listeners() -> None:
    found = calls("""\
        form = document.getElementById("signup-form")

        def on_submit(event):
            userengage("client.update", {})

        class Page:
            def on_send(self, event):
                userengage("event.sent")

            def bind(self):
                js.document.querySelector("form.login").addEventListener(
                    "submit", create_proxy(self.on_send))

        form.addEventListener("submit", create_proxy(on_submit))
        add_event_listener(document.getElementById("x"), "submit", other)
    """)
    submit, sent = (c.handlers[0] for c in found)
    assert (submit.kind, submit.name, submit.event, submit.target) == (
        HandlerKind.LISTENER, "on_submit", "submit", "#signup-form",
    )
    assert (sent.kind, sent.name, sent.event, sent.target) == (
        HandlerKind.LISTENER, "on_send", "submit", "form.login",
    )


# -- files that cannot be read -----------------------------------------------------------------


def test_empty_file() -> None:
    assert run(b"") == AdapterResult(())
    assert run(b"\n\n# nothing\n") == AdapterResult(())


def test_syntax_error() -> None:
    result = run("def ok():\n    pass\n\nuserengage('client.update', {'user_id': 1}\nx = 2\n")
    assert result.calls == ()
    (error,) = result.errors
    assert error.kind == "syntax" and error.path == "app.py"
    assert error.span is not None and error.span.start_line == 4
    assert "4:" in error.message and "'(' was never closed" in error.message


def test_deep_nesting_is_refused_before_parsing() -> None:
    result = run(b"x = " + b"[" * 5000 + b"]" * 5000 + b"\nuserengage('client.update')\n")
    assert result.calls == ()
    (error,) = result.errors
    assert error.kind == "parse" and "too deeply nested" in error.message


def test_brackets_in_strings_and_comments_do_not_count() -> None:
    code = 'SMILEYS = "' + ":(" * 300 + '"  # ' + "[" * 300 + "\nuserengage('event.x')\n"
    assert [c.api for c in calls(code)] == ["event.x"]


def test_recursion_error_becomes_a_file_error() -> None:
    pieces = "\n".join('    "x"' for _ in range(3000))
    result = run(f"HTML = (\n{pieces}\n)\nuserengage('event.x')\n")
    assert result.calls == ()
    assert [e.kind for e in result.errors] == ["parse"]


def test_invalid_utf8() -> None:
    result = run(b"x = 1\ny = '\xff'\nuserengage('event.x')\n")
    (error,) = result.errors
    assert error.kind == "decode" and "0xff" in error.message
    assert error.span is not None and (error.span.start_line, error.span.start_byte) == (2, 11)


def test_unknown_coding_cookie() -> None:
    (error,) = run(b"# -*- coding: klingon -*-\nuserengage('event.x')\n").errors
    assert error.kind == "decode" and "klingon" in error.message


def test_coding_cookie_is_honoured() -> None:
    data = "# -*- coding: latin-1 -*-\nuserengage('client.update', {'nom': 'é', 'user_id': 1})\n"
    call = only(data.encode("latin-1"))
    entry = call.payload.entries[1] if call.payload else None
    assert entry is not None and entry.key == "user_id"
    line = data.splitlines()[1]
    start = len(data.splitlines()[0]) + 1 + len(line[: line.index("'user_id'")])
    assert entry.key_span.start_byte == start  # one byte per character in latin-1


def test_bom_and_line_endings() -> None:
    line = 'userengage("client.update", {"user_id": 1})'
    key_at = line.index('"user_id"')
    bom = only(b"\xef\xbb\xbf" + line.encode() + b"\n")
    assert bom.payload is not None and bom.payload.entries[0].key_span.start_byte == 3 + key_at
    crlf = only(f"x = 1\r\n{line}\r\n".encode())
    assert crlf.span.start_line == 2 and crlf.span.start_byte == 7
    assert crlf.payload is not None and crlf.payload.entries[0].key_span.start_col == key_at + 1
    cr = only(f"x = 1\r{line}\r".encode())
    assert cr.span.start_byte == 6
    assert cr.payload is not None and cr.payload.entries[0].key_span.start_byte == 6 + key_at


def test_unexpected_failures_become_internal_errors(monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(*args: object) -> None:
        raise ValueError("kaboom")

    monkeypatch.setattr(adapter._Collector, "visit_Call", boom)
    (error,) = run("userengage('event.x')\n").errors
    assert error.kind == "internal" and "kaboom" in error.message
