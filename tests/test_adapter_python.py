"""The Python (libcst) adapter, tested on the IR it produces."""

from __future__ import annotations

import textwrap

import pytest

from uelint.adapters import AdapterResult, py_collect
from uelint.adapters import python as adapter
from uelint.ir import (
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
from uelint.source import SourceText
from uelint.wrappers import Linker, ModuleExports, Wrapper


def run(code: str | bytes, path: str = "app.py", linker: Linker | None = None) -> AdapterResult:
    data = code if isinstance(code, bytes) else textwrap.dedent(code).encode("utf-8")
    return adapter.extract(SourceText(data), path, "python", linker)


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
        "s": Value(ValueKind.STRING, "x"),
        "f": Value(ValueKind.STRING, source='f"{a}"', shape="…"),
        "i": Value(ValueKind.NUMBER, 3), "neg": Value(ValueKind.NUMBER, -2),
        "fl": Value(ValueKind.NUMBER, 1.5), "t": Value(ValueKind.BOOL, True),
        "no": Value(ValueKind.NULL), "d": Value(ValueKind.OBJECT), "dc": Value(ValueKind.OBJECT),
        "l": Value(ValueKind.ARRAY), "tu": Value(ValueKind.ARRAY),
        "fn": Value(ValueKind.FUNCTION), "v": Value(ValueKind.UNKNOWN, source="value"),
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


# -- resolution: constants, aliases, scopes ----------------------------------------------------


def test_constants_in_scope() -> None:
    found = calls("""\
        CLIENT = "client."
        class Events:
            UPDATE = CLIENT + "update"
        def save(kind):
            local = f"{CLIENT}update"
            userengage(local)
            userengage(Events.UPDATE)
            userengage(f"{CLIENT}{kind}")
            userengage(f"{CLIENT:>10}update")
    """)
    assert [c.api for c in found] == ["client.update", "client.update", None, None]


def test_aliases_and_shadowing() -> None:
    found = calls("""\
        from js import window
        sdk = window.userengage
        def aliased():
            sdk("client.update")
        def parameter(sdk, window):
            sdk("client.update")
            window.userengage("client.update")
        def assigned_later():
            sdk("client.update")
            sdk = None
        def imported():
            from editor import UE
            UE.pageHit({})
        class Holder:
            window = None
            def method(self):
                window.userengage("event.in_method")  # class bodies do not enclose methods
    """)
    assert [(c.api, c.span.start_line) for c in found] == [
        ("client.update", 4), ("event.in_method", 17),
    ]


def test_global_and_nonlocal_declarations() -> None:
    found = calls("""\
        def setup():
            global send
            send = window.userengage
        def use():
            send("client.update")
    """)
    assert [c.api for c in found] == ["client.update"]


# -- resolution: wrappers ----------------------------------------------------------------------


def test_wrapper_calls_name_their_path() -> None:
    found = calls("""\
        class Driver:
            def push(self, name, payload):
                window.userengage(name, payload)

        def track(method, attrs=None):
            Driver().push(method, attrs)

        track("client.update", {"user_id": 1})
    """)
    inner, middle, outer = found
    assert (inner.api, inner.via) == (None, ())
    assert middle.api is None and [v.name for v in middle.via] == ["Driver.push"]
    assert outer.api == "client.update"
    assert [(v.name, v.path, v.span.start_line) for v in outer.via] == [
        ("track", "app.py", 5), ("Driver.push", "app.py", 2),
    ]
    assert outer.payload is not None and [e.key for e in outer.payload.entries] == ["user_id"]


@pytest.mark.parametrize("call, api, keys", [
    ('track({"a": 1})', "client.update", ["a"]),
    ('track({"a": 1}, "event.x")', "event.x", ["a"]),
    ('track(method="event.x", attrs={"a": 1})', "event.x", ["a"]),
    ('track(attrs={"a": 1})', "client.update", ["a"]),
    ("track(*args)", None, []),
    ('track({"a": 1}, *rest)', None, ["a"]),
    ('track(**options)', None, []),
])
def test_arguments_map_to_parameters(call: str, api: str | None, keys: list[str]) -> None:
    found = calls(f"""\
        def track(attrs, method="client.update"):
            userengage(method, attrs)
        {call}
    """)
    site = found[-1]
    assert site.api == api
    assert site.payload is not None and [e.key for e in site.payload.entries] == keys


def test_keyword_only_and_kwargs_parameters() -> None:
    found = calls("""\
        def send(*, method, **attrs):
            userengage(method, attrs)
        send(method="client.update", user_id=1, **more)
    """)
    site = found[-1]
    assert site.api == "client.update" and site.payload is not None
    assert [(e.key, e.origin) for e in site.payload.entries] == [("user_id", "kwarg")]
    assert not site.payload.complete


def test_unbound_and_static_methods() -> None:
    found = calls("""\
        class T:
            def push(self, name, data):
                userengage(name, data)
            @staticmethod
            def send(name, data):
                userengage(name, data)
            @classmethod
            def post(cls, name, data):
                cls.send(name, data)
        T.push(T(), "client.update", {})
        T.send("client.update", {})
        T.post("client.update", {})
    """)
    assert [c.api for c in found[-3:]] == ["client.update"] * 3
    assert [c.via[0].name for c in found[-3:]] == ["T.push", "T.send", "T.post"]


def test_fixed_wrappers() -> None:
    found = calls("""\
        def identify(user):
            UE.pageHit({"user_id": user.id})
        def mark():
            userengage("client.update", {"plan": "x"})
        def login(user):
            identify(user)
            mark()
            def nested():
                userengage("client.update", {})
            nested()
    """)
    apis = [(c.api, c.span.start_line, bool(c.via)) for c in found]
    assert apis == [
        (PAGE_HIT, 2, False), ("client.update", 4, False), (PAGE_HIT, 6, True),
        ("client.update", 7, True), ("client.update", 9, False),  # not `nested()` again
    ]
    assert found[3].payload is None  # its keys are checked where they are written


def test_awaited_calls_before_an_update() -> None:
    found = calls("""\
        async def submit(form):
            await js.fetch("/api/register", form)
            user = await js.api.signup(form).then(check)
            userengage("client.update", {})
            await later()
        async def other():
            userengage("client.update", {})
    """)
    assert [c.awaited for c in found] == [
        ('js.fetch("/api/register")', "js.api.signup().then()"), (),
    ]


def test_not_a_wrapper() -> None:
    assert calls("""\
        def emit(socket, name, data):
            socket.emit(name, data)
        def dynamic(payload):
            userengage(payload["method"], payload)
        emit(s, "client.update", {"user_id": 1})
        dynamic({"method": "client.update"})
    """)[0].api is None


# -- resolution: payloads ----------------------------------------------------------------------


def test_payload_keys_located_where_written() -> None:
    found = payload("""\
        KEY = "ip_address"
        def save(u):
            attrs = {"email": u.email}
            attrs["user_id"] = u.id
            attrs.update(plan=u.plan)
            attrs.update({KEY: u.ip})
            attrs.setdefault("name", u.name)
            attrs.pop("email")
            window.userengage("client.update", attrs)
            attrs["late"] = 1
    """)
    assert [(e.key, e.key_span.start_line, e.origin) for e in found.entries] == [
        ("user_id", 4, "quoted"), ("plan", 5, "kwarg"), ("ip_address", 6, "computed"),
        ("name", 7, "quoted"),
    ]
    assert found.complete
    assert found.span.start_line == 9


@pytest.mark.parametrize("code, keys, complete", [
    ('base = {"a": 1}\nsend({**base, "b": 2})', ["a", "b"], True),
    ('base = dict(a=1)\nsend(dict(base, b=2))', ["a", "b"], True),
    ('send({"a": 1} | {"b": 2})', ["a", "b"], True),
    ('base = {"a": 1}\nc = base.copy()\nc["b"] = 2\nsend(c)', ["a", "b"], True),
    ('d = {"a": 1}\nd |= other\nsend(d)', ["a"], False),
    ('d = {"a": 1}\nd[key()] = 2\nsend(d)', ["a"], False),
    ('d = {"a": 1}\nd.pop(k)\nsend(d)', [], False),
    ('d = {"a": 1}\nd = {"b": 1}\nsend(d)', ["b"], True),
    ("send({**unknown})", [], False),
])
def test_payload_shapes(code: str, keys: list[str], complete: bool) -> None:
    found = calls("def send(attrs):\n    userengage('client.update', attrs)\n" + code + "\n")
    site = found[-1].payload
    assert site is not None and [e.key for e in site.entries] == keys
    assert site.complete is complete


def test_payload_from_a_parameter_is_incomplete() -> None:
    inner = calls("def f(attrs):\n    userengage('client.update', {**attrs, 'source': 'web'})\n")[0]
    assert inner.payload is not None and not inner.payload.complete
    assert [e.key for e in inner.payload.entries] == ["source"]


# -- resolution: across files ------------------------------------------------------------------


def test_exports() -> None:
    result = run("""\
        from js import window
        from .other import thing
        UPDATE = "client.update"
        TEMPLATES = "templates"
        def track(method, attrs=None):
            window.userengage(method, attrs)
        def helper():
            pass
        class Tracker:
            EVENT = "event.x"
            def push(self, name, data):
                window.userengage(name, data)
        tracker = Tracker()
    """, path="pkg/analytics.py")
    exports = result.exports
    assert exports is not None
    assert set(exports.names) == {"UPDATE", "track", "Tracker", "tracker"}
    track = exports.names["track"]
    assert isinstance(track, Wrapper)
    assert (track.name, track.api_param, track.payload_param, track.params) == (
        "track", 0, 1, ("method", "attrs"),
    )
    assert exports.names["UPDATE"] == "client.update"
    members = exports.names["tracker"]
    assert isinstance(members, dict) and set(members) == {"EVENT", "push"}
    push = members["push"]
    assert isinstance(push, Wrapper) and push.params == ("name", "data")


def test_imports_through_the_linker() -> None:
    analytics = run("""\
        from js import window
        UPDATE = "client.update"
        def track(method, attrs=None):
            window.userengage(method, {**(attrs or {}), "source": "py"})
        class Tracker:
            def push(self, name, data):
                window.userengage(name, data)
    """, path="shop/analytics.py").exports
    assert analytics is not None
    linker = Linker({
        "shop/analytics.py": analytics,
        "shop/__init__.py": ModuleExports(reexports=[(".analytics", "*", "*")]),
    })
    found = run("""\
        from . import analytics
        from .analytics import UPDATE, track as t
        from shop import Tracker
        import shop.analytics as a
        t(UPDATE, {"user_id": 1})
        analytics.track("client.update", {})
        a.track(method="client.update")
        Tracker().push("client.update", {})
        class Mine(Tracker):
            def save(self):
                self.push("client.update", {})
        class Holder:
            def __init__(self):
                self.tracker = Tracker()
            def save(self):
                self.tracker.push("client.update", {})
    """, path="shop/views.py", linker=linker).calls
    assert [(c.api, c.via[0].name, c.via[0].path) for c in found] == [
        ("client.update", "track", "shop/analytics.py"),
        ("client.update", "track", "shop/analytics.py"),
        ("client.update", "track", "shop/analytics.py"),
        ("client.update", "Tracker.push", "shop/analytics.py"),
        ("client.update", "Tracker.push", "shop/analytics.py"),
        ("client.update", "Tracker.push", "shop/analytics.py"),
    ]
    first = found[0].payload
    assert first is not None
    # The wrapper's own key lives in another file: it is located at the call site.
    assert [(e.key, e.key_span.start_line) for e in first.entries] == [
        ("user_id", 5), ("source", 5),
    ]


def test_without_the_linker_imports_are_not_the_sdk() -> None:
    assert calls("from .analytics import track\ntrack('client.update', {'user_id': 1})\n") == ()


@pytest.mark.parametrize("importer, specifier, expected", [
    ("shop/views/profile.py", ".analytics", None),
    ("shop/views/profile.py", "..analytics", "shop/analytics.py"),
    ("shop/checkout.py", ".analytics", "shop/analytics.py"),
    ("shop/checkout.py", ".", "shop/__init__.py"),
    ("main.py", ".", "__init__.py"),
    ("main.py", "shop.analytics", "shop/analytics.py"),
    ("shop/checkout.py", "analytics", "shop/analytics.py"),
    ("other/run.py", "analytics", "other/analytics.py"),
    ("main.py", "shop", "shop/__init__.py"),
])
def test_python_module_paths(importer: str, specifier: str, expected: str | None) -> None:
    linker = Linker({
        path: ModuleExports(names={"X": "client.update"})
        for path in ("shop/analytics.py", "shop/__init__.py", "other/analytics.py", "__init__.py")
    })
    assert linker.module_path(importer, specifier) == expected


# -- resolution: hostile shapes ----------------------------------------------------------------


def test_cycles_and_deep_chains_stay_unknown() -> None:
    chain = "".join(f"a{i + 1} = a{i}\n" for i in range(300))
    found = calls(
        "a = b\nb = a\nclass A(A):\n    pass\ndef f(m, d):\n    f(m, d)\n"
        f'a0 = "client.update"\n{chain}userengage(a)\nuserengage(a300)\nA().x("client.update")\n'
    )
    assert [c.api for c in found] == [None, None]


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
    result = run(f"userengage('event.x', (\n{pieces}\n))\n")
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

    monkeypatch.setattr(py_collect.Collector, "visit_Call", boom)
    (error,) = run("userengage('event.x')\n").errors
    assert error.kind == "internal" and "kaboom" in error.message


@pytest.mark.parametrize("expression", [
    " + ".join(["1"] * 50_000),  # quadratic in libcst's parser: minutes
    "not " * 50_000 + "y",  # crashed libcst's parser (SIGSEGV)
])
def test_an_operator_chain_too_long_to_parse_safely_is_refused_at_once(expression: str) -> None:
    code = f'from js import window\nwindow.userengage("event.x")\nx = {expression}\n'
    result = adapter.extract(SourceText(code.encode()), "chain.py", "python")
    assert [(e.kind, "operators (limit 2000)" in e.message) for e in result.errors] == [
        ("parse", True)]


def test_long_data_literals_are_not_chains() -> None:
    table = "TABLE = [\n" + "".join(f"    -{i}, {i} + 1,\n" for i in range(5_000)) + "]\n"
    code = table + 'from js import window\nwindow.userengage("client.update", {"user_id": 1})\n'
    result = adapter.extract(SourceText(code.encode()), "data.py", "python")
    assert result.errors == () and [c.api for c in result.calls] == ["client.update"]
