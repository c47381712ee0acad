"""The JavaScript / TypeScript (tree-sitter) adapter, tested on the IR it produces."""

from __future__ import annotations

import textwrap

import pytest

from uelint.adapters import AdapterResult
from uelint.adapters import javascript as adapter
from uelint.ir import (
    CIVCHAT,
    CLIENT_UPDATE,
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
from uelint.wrappers import DeclaredWrapper, Linker, ModuleExports, Wrapper


def run(
    code: str, path: str = "app.js", language: str = "javascript", linker: Linker | None = None
) -> AdapterResult:
    return adapter.extract(SourceText(textwrap.dedent(code).encode()), path, language, linker)


def calls(code: str, language: str = "javascript") -> tuple[TrackingCall, ...]:
    result = run(code, language=language, path="app.tsx" if language == "tsx" else "app.js")
    assert result.errors == ()
    return result.calls


def only(code: str, language: str = "javascript") -> TrackingCall:
    found = calls(code, language)
    assert len(found) == 1, found
    return found[0]


def payload(code: str) -> Payload:
    found = only(code).payload
    assert found is not None
    return found


def keys(call: TrackingCall) -> list[str]:
    assert call.payload is not None
    return [e.key for e in call.payload.entries]


def col16(line: str, needle: str) -> int:
    """1-based UTF-16 column of `needle` in `line`."""
    return len(line[: line.index(needle)].encode("utf-16-le")) // 2 + 1


# -- which calls are tracking calls ----------------------------------------------------------


@pytest.mark.parametrize("callee", [
    "userengage", "window.userengage", "window.top.userengage", "window.parent.userengage",
    "globalThis.userengage", "self.userengage", "top.userengage", 'window["userengage"]',
    "(window as any).userengage", "window.userengage!",
])
def test_userengage_forms(callee: str) -> None:
    line = f'{callee}("client.update", {{ email: e }});'
    call = only(line + "\n", "typescript" if " as " in callee or "!" in callee else "javascript")
    assert call.api == CLIENT_UPDATE
    assert call.callee == callee
    assert call.span == Span(1, 1, 1, len(line), 0, len(line) - 1)  # without the semicolon


def test_optional_call() -> None:
    assert only('window.userengage?.("client.update", {});\n').api == CLIENT_UPDATE


@pytest.mark.parametrize("code", [
    'socket.emit("client.update", { user_id: 1 });',
    'this.client.send("client.update", { user_id: 1 });',
    'rpc("client.update", { user_id: 1 });',
    'audit(req, "client.update");',
    'route("client.update");',
    'obj.userengage("client.update", { user_id: 1 });',
    'window.tracker.userengage("client.update", { user_id: 1 });',
    'UE.getEditor("editor");',
    "UE.Popin.preload();",
    "queue.resetAuth();",
    'editor.UE.pageHit({ user_id: 1 });',
    'UserEngage.update("client.update", { user_id: 1 });',
    '// userengage("client.update", { user_id: 1 });',
    '/* window.userengage("client.update", { user_id: 1 }) */',
    'const help = \'userengage("client.update", { user_id: 1 })\';',
    "userengage`client.update`;",
    'function f(userengage) { userengage("client.update", { user_id: 1 }); }',
    'const userengage = makeQueue(); userengage("client.update", { user_id: 1 });',
    'function f(window) { window.userengage("client.update", { user_id: 1 }); }',
    'function f(UE) { UE.pageHit({ user_id: 1 }); }',
    'obj.civchat = { user_id: 1 };',
    'window.settings = { user_id: 1 };',
])
def test_look_alikes_are_not_tracking_calls(code: str) -> None:
    assert calls(code + "\n") == ()


def test_typescript_declarations_are_not_calls() -> None:
    assert calls("""\
        declare global {
          interface Window { userengage?: (m: string, data?: object) => void; civchat?: object }
        }
        declare function userengage(method: string, data?: object): void;
        type UE = { pageHit(data: object): void };
    """, "typescript") == ()


@pytest.mark.parametrize("code, api, callee", [
    ("UE.pageHit({ user_id: 1 })", PAGE_HIT, "UE.pageHit"),
    ("window.UE.pageHit({ user_id: 1 })", PAGE_HIT, "window.UE.pageHit"),
    ('UE.resetAuth({ apiKey: "k" })', RESET_AUTH, "UE.resetAuth"),
    ('window.top.UE.resetAuth({ apiKey: "k" })', RESET_AUTH, "window.top.UE.resetAuth"),
    ('window["UE"]["pageHit"]({ user_id: 1 })', PAGE_HIT, 'window["UE"]["pageHit"]'),
])
def test_ue_methods(code: str, api: str, callee: str) -> None:
    call = only(code + ";\n")
    assert (call.api, call.callee) == (api, callee)
    assert call.payload is not None and call.payload.entries


def test_ue_method_without_payload() -> None:
    call = only("UE.resetAuth();\n")
    assert call.api == RESET_AUTH and call.payload is None


def test_aliases_name_the_globals() -> None:
    found = calls("""\
        const ue = window.userengage;
        const { userengage: sdk, UE } = window;
        const { pageHit } = window.UE;
        const send = window.userengage || function () {};
        ue("client.update", {});
        sdk("event.x");
        UE.resetAuth();
        pageHit({});
        send("client.update");
    """)
    assert [(c.api, c.callee) for c in found] == [
        (CLIENT_UPDATE, "ue"), ("event.x", "sdk"), (RESET_AUTH, "UE.resetAuth"),
        (PAGE_HIT, "pageHit"), (CLIENT_UPDATE, "send"),
    ]


def test_tag_manager_call_in_window() -> None:
    found = calls("""\
        const callInWindow = require("callInWindow");
        callInWindow("userengage", "client.update", { user_id: data.id });
        callInWindow("dataLayer.push", { event: "x" });
    """)
    (call,) = found
    assert (call.api, call.callee) == (CLIENT_UPDATE, "callInWindow")
    assert keys(call) == ["user_id"]


# -- the method name ---------------------------------------------------------------------------


@pytest.mark.parametrize("literal", [
    '"client.update"', "'client.update'", "`client.update`", '"client" + ".update"',
    '"client\\x2eupdate"', '"client\\u002eupdate"', '"client\\u{2e}update"',
    "`client.${'update'}`",
])
def test_static_method_names(literal: str) -> None:
    assert only(f"userengage({literal}, {{}});\n").api == CLIENT_UPDATE


@pytest.mark.parametrize("arg", ["`client.${what}`", "method", "get()", "...args", "a ? b : c"])
def test_dynamic_method_names(arg: str) -> None:
    assert only(f"userengage({arg}, {{}});\n").api is None


def test_method_names_from_constants() -> None:
    found = calls("""\
        const UPDATE = "client.update";
        const PREFIX = "client.";
        const EVENTS = { UPDATE: "client.update", LOGIN: `event.${"login"}` };
        let changing = "event.a";
        userengage(UPDATE, {});
        userengage(PREFIX + "update", {});
        userengage(EVENTS.UPDATE, {});
        userengage(EVENTS["LOGIN"]);
        userengage(changing);
    """)
    assert [c.api for c in found] == [
        CLIENT_UPDATE, CLIENT_UPDATE, CLIENT_UPDATE, "event.login", "event.a",
    ]


def test_method_names_from_a_typescript_enum() -> None:
    found = calls("""\
        enum Events { Update = "client.update", Login = "event.login" }
        userengage(Events.Update, {});
        userengage(Events.Login);
    """, "typescript")
    assert [c.api for c in found] == [CLIENT_UPDATE, "event.login"]


def test_a_constant_shadowed_in_a_function_is_the_local_one() -> None:
    found = calls("""\
        const M = "client.update";
        function f(M) { userengage(M, {}); }
        function g() { const M = "event.x"; userengage(M); }
        userengage(M, {});
    """)
    assert [c.api for c in found] == [None, "event.x", CLIENT_UPDATE]


# -- payloads ----------------------------------------------------------------------------------


def test_object_literal_entries() -> None:
    line = 'userengage("client.update", { user_id: uid, "email": e, \'name\': n, 42: x, phone });'
    found = payload(line + "\n")
    assert [(e.key, e.origin) for e in found.entries] == [
        ("user_id", "literal"), ("email", "quoted"), ("name", "quoted"), ("42", "literal"),
        ("phone", "shorthand"),
    ]
    first = found.entries[0].key_span
    assert (first.start_line, first.start_col, first.end_col) == (1, 31, 38)
    assert found.entries[1].key_span.end_col - found.entries[1].key_span.start_col == 7
    assert found.complete
    end = line.index(");")
    assert found.span == Span(1, 29, 1, end + 1, 28, end)


def test_key_columns_count_utf16_after_an_emoji() -> None:
    line = 'window.userengage("client.update", { note: "🦊 ünï", user_id: uid });'
    found = payload(line + "\n")
    span = found.entries[1].key_span
    assert span.start_col == col16(line, "user_id")  # the fox counts as two UTF-16 units
    assert span.start_col == line.index("user_id") + 2
    assert span.start_byte == len(line[: line.index("user_id")].encode())
    assert span.end_col - span.start_col == len("user_id")


def test_multiline_object_key_lines() -> None:
    found = payload("""\
        function save(u) {
          window.userengage("client.update", {
            email: u.email,
                user_id: u.id,
          });
        }
    """)
    assert [(e.key_span.start_line, e.key_span.start_col) for e in found.entries] == [
        (3, 5), (4, 9),
    ]


def test_computed_keys() -> None:
    found = payload("""\
        const KEY = "ip_address";
        userengage("client.update", { ["user_id"]: 1, [KEY]: ip, [`a${"b"}`]: 2, [dynamic]: 3 });
    """)
    assert [(e.key, e.origin) for e in found.entries] == [
        ("user_id", "computed"), ("ip_address", "computed"), ("ab", "computed"),
    ]
    assert not found.complete  # [dynamic] may be any key


def test_spreads() -> None:
    found = calls("""\
        const base = { a: 1 };
        userengage("client.update", { ...base, b: 2 });
        userengage("client.update", { ...unknown, b: 2 });
        userengage("client.update", { ...{ c: 3 } });
    """)
    assert [(keys(c), c.payload is not None and c.payload.complete) for c in found] == [
        (["a", "b"], True), (["b"], False), (["c"], True),
    ]


def test_payload_built_in_steps() -> None:
    found = payload("""\
        const KEY = "ip_address";
        function save(u) {
          const attrs = { email: u.email };
          attrs.user_id = u.id;
          attrs[KEY] = u.ip;
          Object.assign(attrs, { plan: u.plan });
          other.name = 1;
          window.userengage("client.update", attrs);
          attrs.late = 1;
        }
    """)
    assert [(e.key, e.key_span.start_line, e.origin) for e in found.entries] == [
        ("email", 3, "literal"), ("user_id", 4, "assignment"), ("ip_address", 5, "assignment"),
        ("plan", 6, "literal"),
    ]
    assert found.complete
    assert found.span.start_line == 8


def test_later_writes_to_another_binding_do_not_count() -> None:
    found = payload("""\
        const attrs = { a: 1 };
        function f() { const attrs = {}; attrs.user_id = 1; }
        userengage("client.update", attrs);
    """)
    assert [e.key for e in found.entries] == ["a"]


@pytest.mark.parametrize("code, expected, complete", [
    ('userengage("client.update", Object.assign({}, { a: 1 }, { b: 2 }));', ["a", "b"], True),
    ('userengage("client.update", Object.assign({}, base, { b: 2 }));', ["b"], False),
    ('const d = { a: 1 };\nd[key()] = 2;\nuserengage("client.update", d);', ["a"], False),
    ('const d = { a: 1 } as Attrs;\nuserengage("client.update", d!);', ["a"], True),
    ('userengage("client.update", { a: 1 } satisfies Attrs);', ["a"], True),
])
def test_payload_shapes(code: str, expected: list[str], complete: bool) -> None:
    found = calls(code + "\n", "typescript")[-1].payload
    assert found is not None and [e.key for e in found.entries] == expected
    assert found.complete is complete


@pytest.mark.parametrize("arg", ["attrs", "buildAttrs()", "JSON.parse(s)", "[a, b]"])
def test_payloads_that_cannot_be_read(arg: str) -> None:
    assert only(f'userengage("client.update", {arg});\n').payload is None


def test_payload_from_a_parameter_is_incomplete() -> None:
    inner = calls('function f(a) { userengage("client.update", { ...a, source: "web" }); }\n')
    assert inner[0].payload is not None and not inner[0].payload.complete
    assert keys(inner[0]) == ["source"]


def test_no_payload() -> None:
    assert only('userengage("widget.open");\n').payload is None


def test_values() -> None:
    found = payload("""\
        userengage("client.update", {
          s: "x", t: `a${b}`, i: 3, h: 0x10, fl: 1.5, yes: true, no: false, n: null,
          u: undefined, o: {}, l: [1], fn: () => 1, f: function () {}, v: value,
          m() { return 1; },
        });
    """)
    assert {e.key: e.value for e in found.entries} == {
        "s": Value(ValueKind.STRING, "x"),
        "t": Value(ValueKind.STRING, source="`a${b}`", shape="a…"),
        "i": Value(ValueKind.NUMBER, 3), "h": Value(ValueKind.NUMBER, 16),
        "fl": Value(ValueKind.NUMBER, 1.5), "yes": Value(ValueKind.BOOL, True),
        "no": Value(ValueKind.BOOL, False), "n": Value(ValueKind.NULL),
        "u": Value(ValueKind.NULL), "o": Value(ValueKind.OBJECT), "l": Value(ValueKind.ARRAY),
        "fn": Value(ValueKind.FUNCTION), "f": Value(ValueKind.FUNCTION),
        "v": Value(ValueKind.UNKNOWN, source="value"), "m": Value(ValueKind.FUNCTION),
    }


# -- civchat -----------------------------------------------------------------------------------


def test_civchat_assignment() -> None:
    line = 'window.civchat = { apiKey: "k", user_id: uid };'
    call = only(f"function boot(uid) {{\n  {line}\n}}\n")
    assert (call.api, call.callee) == (CIVCHAT, "window.civchat")
    assert call.span == Span(2, 3, 2, 2 + len(line), 23, 22 + len(line))
    assert call.payload is not None and call.payload.complete
    assert keys(call) == ["apiKey", "user_id"]
    assert call.handlers[0].name == "boot"


def test_civchat_forms() -> None:
    found = calls("""\
        window["civchat"] = { apiKey: "k" };
        window.civchat.user_id = uid;
        civchat = { user_id: 1 };
        const civchat2 = { user_id: 1 };
    """)
    assert [(c.api, c.callee) for c in found] == [
        (CIVCHAT, 'window["civchat"]'), (CIVCHAT, "window.civchat"), (CIVCHAT, "civchat"),
    ]
    key = found[1].payload
    assert key is not None and not key.complete
    assert [(e.key, e.origin) for e in key.entries] == [("user_id", "assignment")]
    assert (key.entries[0].key_span.start_line, key.entries[0].key_span.start_col) == (2, 16)


def test_a_local_civchat_is_not_the_sdk() -> None:
    assert calls("let civchat = {};\ncivchat = { user_id: 1 };\ncivchat.user_id = 2;\n") == ()


# -- handlers ----------------------------------------------------------------------------------


def handler_names(code: str, language: str = "javascript") -> list[tuple[HandlerKind, str | None]]:
    return [(h.kind, h.name) for h in only(code, language).handlers]


def test_enclosing_functions_innermost_first() -> None:
    found = only("""\
        class AuthController {
          login(user) {
            const done = () => {
              api.then(function onDone() { userengage("client.update", {}); });
            };
          }
        }
    """)
    assert [(h.kind, h.name) for h in found.handlers] == [
        (HandlerKind.CALLBACK, "onDone"), (HandlerKind.FUNCTION, "done"),
        (HandlerKind.METHOD, "login"), (HandlerKind.CLASS, "AuthController"),
    ]
    assert found.handlers[0].callee == "api.then"


@pytest.mark.parametrize("code, expected", [
    ("function handleLogin() { CALL }", [(HandlerKind.FUNCTION, "handleLogin")]),
    ("const onSignUp = () => { CALL };", [(HandlerKind.FUNCTION, "onSignUp")]),
    ("const onSignUp = async function () { CALL };", [(HandlerKind.FUNCTION, "onSignUp")]),
    ("exports.register = function () { CALL };", [(HandlerKind.FUNCTION, "exports.register")]),
    ("const auth = { login() { CALL } };", [(HandlerKind.METHOD, "login")]),
    ("const auth = { login: () => { CALL } };", [(HandlerKind.METHOD, "login")]),
    ("class Form { submit = () => { CALL }; }",
     [(HandlerKind.METHOD, "submit"), (HandlerKind.CLASS, "Form")]),
    ("const LoginForm = class { go() { CALL } };",
     [(HandlerKind.METHOD, "go"), (HandlerKind.CLASS, "LoginForm")]),
    ("setTimeout(() => { CALL });", [(HandlerKind.CALLBACK, None)]),
])
def test_handler_kinds_and_names(code: str, expected: list[tuple[HandlerKind, str]]) -> None:
    assert handler_names(code.replace("CALL", 'userengage("client.update", {});')) == expected


@pytest.mark.parametrize("code, event, target", [
    ('document.getElementById("login-form").addEventListener("submit", (e) => { CALL });',
     "submit", "#login-form"),
    ('document.querySelector("form.signup").addEventListener("submit", function () { CALL });',
     "submit", "form.signup"),
    ('$("#register").on("submit.ns", () => { CALL });', "submit", "#register"),
    ('$("#register").submit(() => { CALL });', "submit", "#register"),
    ("document.forms.login.onsubmit = () => { CALL };", "submit", "form[name=login]"),
    ('document.forms["login"].onsubmit = () => { CALL };', "submit", "form[name=login]"),
    ('const form = document.getElementById("login");\n'
     'form.addEventListener("submit", () => { CALL });', "submit", "#login"),
    ('button.addEventListener("click", () => { CALL });', "click", "button"),
])
def test_listeners(code: str, event: str, target: str) -> None:
    handler = only(code.replace("CALL", 'userengage("client.update", {});') + "\n").handlers[0]
    assert (handler.kind, handler.event, handler.target) == (HandlerKind.LISTENER, event, target)


def test_jsx_form_handlers() -> None:
    found = calls("""\
        function Login() {
          const handleSubmit = async (e) => { userengage("client.update", {}); };
          return (
            <form id="login-form" className="card wide" onSubmit={handleSubmit}>
              <input type="password" />
            </form>
          );
        }
        const Other = () => <form name="x" onSubmit={(e) => userengage("client.update", {})} />;
    """, "tsx")
    first, second = (c.handlers[0] for c in found)
    assert (first.kind, first.name, first.event, first.target, first.password) == (
        HandlerKind.LISTENER, "handleSubmit", "submit", "form#login-form.card.wide", True,
    )
    assert (second.kind, second.event, second.target, second.password) == (
        HandlerKind.LISTENER, "submit", "form[name=x]", False,
    )


def test_angular_ng_submit() -> None:
    handler = only("""\
        @Component({
          template: `<form id="login" (ngSubmit)="onSubmit()"><input type="password"></form>`,
        })
        class LoginComponent {
          onSubmit() { userengage("client.update", {}); }
        }
    """, "typescript").handlers[0]
    assert (handler.kind, handler.name, handler.event, handler.target, handler.password) == (
        HandlerKind.LISTENER, "onSubmit", "submit", "form#login", True,
    )


@pytest.mark.parametrize("code, callee", [
    ("auth.login(user).then(() => { CALL });", "auth.login().then"),
    ("firebase.auth().signInWithEmailAndPassword(e, p).then((r) => { CALL });",
     "firebase.auth().signInWithEmailAndPassword().then"),
    ('fetch("/api/login", opts).then((r) => { CALL });', 'fetch("/api/login").then'),
])
def test_auth_continuations(code: str, callee: str) -> None:
    handler = only(code.replace("CALL", 'userengage("client.update", {});') + "\n").handlers[0]
    assert (handler.kind, handler.callee) == (HandlerKind.CALLBACK, callee)


def test_awaited_calls_before_an_update() -> None:
    found = calls("""\
        async function submit(form) {
          await fetch("/api/register", form);
          const user = await api.signup(form).then(check);
          const inner = async () => { await other(); };
          userengage("client.update", {});
          await later();
          userengage("event.x", {});
        }
        async function plain() { userengage("client.update", {}); }
    """)
    assert [c.awaited for c in found] == [
        ('fetch("/api/register")', "api.signup().then()"), (), (),
    ]


def test_handlers_share_a_span_when_they_are_the_same() -> None:
    first, second, third = calls("""\
        function save() {
          userengage("client.update", {});
          UE.pageHit({});
        }
        function other() { userengage("client.update", {}); }
    """)
    assert first.handlers == second.handlers
    assert first.handlers != third.handlers
    assert first.handlers[0] == Handler(HandlerKind.FUNCTION, "save", Span(1, 1, 4, 2, 0, 72))


# -- resolution: wrappers ----------------------------------------------------------------------


def test_wrapper_calls_name_their_path() -> None:
    found = calls("""\
        class Driver {
          push(name, payload) { window.userengage(name, payload); }
        }
        function track(method, attrs) { new Driver().push(method, attrs); }
        track("client.update", { user_id: 1 });
    """)
    inner, middle, outer = found
    assert (inner.api, inner.via) == (None, ())
    assert middle.api is None and [v.name for v in middle.via] == ["Driver.push"]
    assert outer.api == CLIENT_UPDATE
    assert [(v.name, v.path, v.span.start_line) for v in outer.via] == [
        ("track", "app.js", 4), ("Driver.push", "app.js", 2),
    ]
    assert keys(outer) == ["user_id"]
    assert outer.callee == "track"


def test_tracking_class_with_this() -> None:
    found = calls("""\
        class TrackingDriver {
          constructor() { this.queue = []; }
          push(method, attrs) {
            if (typeof window.userengage === "function") { window.userengage(method, attrs); }
          }
          identify(user) { this.push("client.update", { user_id: user.id }); }
        }
        const driver = new TrackingDriver();
        driver.push("client.update", { email: e });
    """)
    assert [(c.api, [v.name for v in c.via]) for c in found] == [
        (None, []), (CLIENT_UPDATE, ["TrackingDriver.push"]),
        (CLIENT_UPDATE, ["TrackingDriver.push"]),
    ]
    assert keys(found[1]) == ["user_id"] and keys(found[2]) == ["email"]


def test_object_literal_wrappers() -> None:
    found = calls("""\
        const tracking = {
          update(attrs) { userengage("client.update", attrs); },
          send: function (name, data) { userengage(name, data); },
        };
        tracking.update({ user_id: 1 });
        tracking.send("client.update", { email: e });
    """)
    assert [(c.api, [v.name for v in c.via]) for c in found[2:]] == [
        (CLIENT_UPDATE, ["tracking.update"]), (CLIENT_UPDATE, ["tracking.send"]),
    ]


def test_default_method_parameter() -> None:
    found = calls("""\
        function track(attrs, method = "client.update") { userengage(method, attrs); }
        track({ a: 1 });
        track({ a: 1 }, "event.x");
    """)
    assert [c.api for c in found] == [None, CLIENT_UPDATE, "event.x"]


def test_wrappers_at_depth() -> None:
    found = calls("""\
        function a(m, d) { userengage(m, d); }
        function b(m, d) { a(m, d); }
        function c(m, d) { b(m, d); }
        function e(m, d) { c(m, d); }
        e("client.update", { user_id: 1 });
    """)
    last = found[-1]
    assert last.api == CLIENT_UPDATE and [v.name for v in last.via] == ["e", "c", "b", "a"]


def test_wrapper_adds_keys_located_in_the_wrapper() -> None:
    last = calls("""\
        function track(attrs) {
          userengage("client.update", { ...attrs, source: "web" });
        }
        track({ user_id: 1 });
    """)[-1]
    assert last.payload is not None and last.payload.complete
    assert [(e.key, e.key_span.start_line) for e in last.payload.entries] == [
        ("user_id", 4), ("source", 2),
    ]


def test_fixed_wrappers() -> None:
    found = calls("""\
        function identify(user) { UE.pageHit({ user_id: user.id }); }
        function mark() { userengage("client.update", { plan: "x" }); }
        function login(user) {
          identify(user);
          mark();
        }
        login(me);
    """)
    # A function is one wrapper: the first call through a wrapper it makes decides which.
    assert [(c.api, c.span.start_line, [v.name for v in c.via]) for c in found] == [
        (PAGE_HIT, 1, []), (CLIENT_UPDATE, 2, []), (PAGE_HIT, 4, ["identify"]),
        (CLIENT_UPDATE, 5, ["mark"]), (PAGE_HIT, 7, ["login", "identify"]),
    ]
    assert found[3].payload is None  # its keys are checked where they are written


def test_not_a_wrapper() -> None:
    found = calls("""\
        function emit(socket, name, data) { socket.emit(name, data); }
        function dynamic(payload) { userengage(payload.method, payload); }
        const anonymous = [function (m) { userengage(m, {}); }];
        emit(s, "client.update", { user_id: 1 });
        dynamic({ method: "client.update" });
    """)
    assert [c.span.start_line for c in found] == [2, 3]
    assert all(c.api is None for c in found)


def test_declared_wrappers_of_packages() -> None:
    linker = Linker({}, (DeclaredWrapper("analytics.track", 0, 1),
                         DeclaredWrapper("tracker.push", 0, 1)))
    found = run("""\
        import analytics from "@acme/analytics";
        import { track } from "@acme/analytics";
        analytics.track("client.update", { user_id: 1 });
        track("client.update", { user_id: 1 });
        tracker.push("client.update", { user_id: 1 });
    """, linker=linker).calls
    assert [(c.api, c.via[0].name, c.via[0].path) for c in found] == [
        (CLIENT_UPDATE, "analytics.track", ""), (CLIENT_UPDATE, "analytics.track", ""),
        (CLIENT_UPDATE, "tracker.push", ""),
    ]


# -- resolution: across files ------------------------------------------------------------------


def test_exports() -> None:
    result = run("""\
        export const UPDATE = "client.update";
        export const TEMPLATE = "templates";
        export function track(method, attrs) { window.userengage(method, attrs); }
        export function helper() {}
        export class Tracker {
          push(name, data) { window.userengage(name, data); }
        }
        export const tracker = new Tracker();
        export const EVENTS = { UPDATE: "client.update", OTHER: 1 };
        const update = (attrs) => track("client.update", attrs);
        export { update as save };
        export default track;
        export * from "./more";
        export { thing as other } from "./thing";
    """, path="src/analytics.js")
    exports = result.exports
    assert exports is not None
    assert set(exports.names) == {
        "UPDATE", "track", "Tracker", "tracker", "EVENTS", "save", "default",
    }
    track = exports.names["track"]
    assert isinstance(track, Wrapper)
    assert (track.name, track.path, track.api_param, track.payload_param) == (
        "track", "src/analytics.js", 0, 1,
    )
    assert exports.names["default"] == track
    assert exports.names["UPDATE"] == CLIENT_UPDATE
    assert exports.names["EVENTS"] == {"UPDATE": CLIENT_UPDATE}
    members = exports.names["tracker"]
    assert isinstance(members, dict) and set(members) == {"push"}
    save = exports.names["save"]
    assert isinstance(save, Wrapper) and save.api == CLIENT_UPDATE and save.payload_param == 0
    assert exports.reexports == [("./more", "*", "*"), ("./thing", "thing", "other")]


def test_commonjs_exports() -> None:
    result = run("""\
        function track(method, attrs) { userengage(method, attrs); }
        module.exports = { track, UPDATE: "client.update" };
        exports.send = (attrs) => userengage("client.update", attrs);
    """, path="lib/track.js")
    assert result.exports is not None
    assert set(result.exports.names) == {"track", "UPDATE", "send"}


def test_imports_through_the_linker() -> None:
    analytics = run("""\
        export const UPDATE = "client.update";
        export function track(method, attrs) {
          window.userengage(method, { ...attrs, source: "web" });
        }
        export class Tracker { push(name, data) { window.userengage(name, data); } }
    """, path="src/analytics.ts", language="typescript").exports
    assert analytics is not None
    linker = Linker({
        "src/analytics.ts": analytics,
        "src/index.ts": ModuleExports(reexports=[("./analytics", "*", "*")]),
    })
    found = run("""\
        import { UPDATE, track as t } from "./analytics";
        import * as a from "./analytics";
        import { Tracker } from ".";
        const { track } = require("./analytics");
        t(UPDATE, { user_id: 1 });
        a.track("client.update", {});
        new Tracker().push("client.update", {});
        track("client.update", {});
    """, path="src/views.ts", language="typescript", linker=linker).calls
    assert [(c.api, c.via[0].name, c.via[0].path) for c in found] == [
        (CLIENT_UPDATE, "track", "src/analytics.ts"),
        (CLIENT_UPDATE, "track", "src/analytics.ts"),
        (CLIENT_UPDATE, "Tracker.push", "src/analytics.ts"),
        (CLIENT_UPDATE, "track", "src/analytics.ts"),
    ]
    first = found[0].payload
    assert first is not None
    # The wrapper's own key lives in another file: it is located at the call site.
    assert [(e.key, e.key_span.start_line) for e in first.entries] == [
        ("user_id", 5), ("source", 5),
    ]


def test_without_the_linker_imports_are_not_the_sdk() -> None:
    code = 'import { track } from "./analytics";\ntrack("client.update", { user_id: 1 });\n'
    assert calls(code) == ()


@pytest.mark.parametrize("importer, specifier, expected", [
    ("src/views/profile.js", "../analytics", "src/analytics.ts"),
    ("src/app.js", "./analytics", "src/analytics.ts"),
    ("src/app.js", "./lib", "src/lib/index.js"),
    ("src/app.js", "./missing", None),
    ("src/app.js", "@acme/analytics", None),
])
def test_javascript_module_paths(importer: str, specifier: str, expected: str | None) -> None:
    linker = Linker({
        path: ModuleExports(names={"X": CLIENT_UPDATE})
        for path in ("src/analytics.ts", "src/lib/index.js")
    })
    assert linker.module_path(importer, specifier) == expected


# -- TypeScript and TSX ------------------------------------------------------------------------


def test_typescript_shapes() -> None:
    found = calls("""\
        declare const window: any;
        type Attrs = Record<string, unknown>;
        abstract class Base {
          protected send(method: string, attrs?: Attrs): void {
            (window as any).userengage!(method, attrs);
          }
        }
        class Tracker extends Base {
          private readonly update = (attrs: Attrs): void => this.send("client.update", attrs);
        }
        function identify<T extends { id: string }>(user: T): void {
          (<any>window).UE.pageHit({ user_id: user.id } as Attrs);
        }
    """, "typescript")
    assert [(c.api, c.span.start_line) for c in found] == [(None, 5), (PAGE_HIT, 12)]
    assert keys(found[1]) == ["user_id"]


def test_tsx_components() -> None:
    found = calls("""\
        export const Profile: React.FC<Props> = ({ user }) => {
          useEffect(() => {
            window.userengage("client.update", { email: user.email } as const);
          }, [user]);
          return <div title="🦊">{user.name}</div>;
        };
    """, "tsx")
    (call,) = found
    assert call.api == CLIENT_UPDATE and keys(call) == ["email"]
    assert [(h.kind, h.name) for h in call.handlers] == [
        (HandlerKind.CALLBACK, None), (HandlerKind.FUNCTION, "Profile"),
    ]
    assert call.handlers[0].callee == "useEffect"


# -- spans -------------------------------------------------------------------------------------


def test_spans_count_utf16_on_non_ascii_lines() -> None:
    line = 'const é = "ñ🦊"; userengage("client.update", { naïve: 1, user_id: 2 });'
    call = only(f"// ünïcode\n{line}\n")
    start = line.index("userengage")
    prefix = len("// ünïcode\n".encode())
    assert call.span.start_line == 2 and call.span.start_col == col16(line, "userengage")
    assert call.span.start_byte == prefix + len(line[:start].encode())
    assert call.span.end_col == col16(line, "});") + 2
    key = call.payload.entries[1].key_span if call.payload else None
    assert key is not None and key.start_col == col16(line, "user_id")


def test_crlf_line_endings() -> None:
    data = b'const a = 1;\r\nuserengage("client.update", {\r\n  user_id: 1,\r\n});\r\n'
    (call,) = adapter.extract(SourceText(data), "app.js", "javascript").calls
    assert call.span.start_line == 2
    assert call.payload is not None and call.payload.entries[0].key_span.start_line == 3


# -- files that cannot be read -----------------------------------------------------------------


def test_empty_file() -> None:
    assert run("") == AdapterResult((), (), ModuleExports())


def test_syntax_error_is_reported_and_the_rest_still_read() -> None:
    result = run("""\
        userengage("client.update", { user_id: 1 });
        function broken( {
    """)
    (error,) = result.errors
    assert error.kind == "syntax" and error.path == "app.js" and error.span is not None
    assert [c.api for c in result.calls] == [CLIENT_UPDATE]


def test_strings_that_run_as_code() -> None:
    found = calls("""\
        document.write('<script>userengage("client.update", { user_id: 1 });</script>');
        const snippet = `window.civchat = { apiKey: "k" };`;
        const prose = `call userengage("client.update") to update`;
    """)
    assert [c.api for c in found] == [CLIENT_UPDATE, CIVCHAT]


# -- scripts injected as strings ---------------------------------------------------------------


def test_injected_scripts_joined_with_plus_are_read_with_unknowns_masked() -> None:
    code = textwrap.dedent("""\
        $("body").append('<script>userengage("client.update", { user_id: ' + u.id + '});</script>');
        $(el).html("<script>userengage('" + method + "', { user_id: 1 });</script>");
        el.insertAdjacentHTML("afterend", "<script>UE.pageHit({" + k + ": 1, email: e })</script>");
        s.text = 'userengage("client.update", {\\n  plan: "' + plan + '",\\n  "ip_address": 1 });';
    """)
    lines = code.splitlines()
    found = calls(code)
    assert [c.api for c in found] == [CLIENT_UPDATE, None, PAGE_HIT, CLIENT_UPDATE]
    first, _, third, fourth = found
    assert first.payload is not None and first.payload.complete
    (user_id,) = first.payload.entries
    # Located in the original line, in UTF-16 columns, though the string was rebuilt.
    assert (user_id.key_span.start_line, user_id.key_span.start_col) == (
        1, col16(lines[0], "user_id"))
    assert user_id.value.kind is ValueKind.UNKNOWN  # the masked `user.id`
    # A key spliced in from a value is unknown: the payload is incomplete.
    assert third.payload is not None and keys(third) == ["email"]
    assert not third.payload.complete
    # `\n` escapes do not move what follows off the line it is written on.
    assert fourth.payload is not None and keys(fourth) == ["plan", "ip_address"]
    assert [(e.key_span.start_line, e.key_span.start_col) for e in fourth.payload.entries] == [
        (4, col16(lines[3], "plan")), (4, col16(lines[3], '"ip_address"')),
    ]


def test_markup_without_a_script_and_prose_are_not_code() -> None:
    found = calls("""\
        $("#help").html("Call userengage('client.update', { user_id: " + id + " }) to update.");
        console.log('userengage("client.update", { user_id: ' + id + ' })');
        const message = "userengage('client.update', { user_id: " + id + " })";
    """)
    assert found == ()


def test_a_script_built_in_a_variable_counts_where_the_variable_is_injected() -> None:
    found = calls("""\
        var code = '<script>window.civchat = {'
          + ' apiKey: "' + key + '", email: "' + email + '"'
          + '};</script>';
        jQuery("body").append(code);
        var kept = '<script>window.civchat = { apiKey: "' + key + '" };</script>';
        console.log(kept);
    """)
    assert [(c.api, c.span.start_line, keys(c)) for c in found] == [
        (CIVCHAT, 1, ["apiKey", "email"]),
    ]


def test_a_broken_injected_script_neither_fails_nor_hides_the_next() -> None:
    result = run("""\
        $("body").append("<script>userengage('client.update', { user_id: " + id + " </script>");
        $("body").append("<script>userengage('client.update', { user_id: " + id + " });</script>");
    """)
    assert result.errors == ()
    complete = [c.span.start_line for c in result.calls if c.payload and keys(c) == ["user_id"]]
    assert complete[-1] == 2


# -- wrappers assigned to members -------------------------------------------------------------


def test_wrappers_assigned_to_members() -> None:
    found = calls("""\
        var UserEngage = window.UserEngage || {};
        UserEngage.update = function (data) { window.userengage("client.update", data); };
        function Tracker() {
          this.send = function (method, data) { window.userengage(method, data); };
        }
        Tracker.prototype.track = function (data) { this.send("client.update", data); };
        UserEngage.update({ a: 1 });
        new Tracker().send("client.update", { b: 1 });
        var t = new Tracker();
        t.track({ c: 1 });
        function plain() { this.send("client.update", { d: 1 }); }
    """)
    via = [(c.span.start_line, [v.name for v in c.via], keys(c)) for c in found if c.via]
    assert via == [
        (6, ["Tracker.send"], []),  # the prototype method's own call, through this.send
        (7, ["UserEngage.update"], ["a"]),
        (8, ["Tracker.send"], ["b"]),
        (10, ["Tracker.track", "Tracker.send"], ["c"]),
    ]


def test_member_wrappers_are_exported_as_callers_name_them() -> None:
    result = run("""\
        function Tracker() {}
        Tracker.prototype.update = function (data) { window.userengage("client.update", data); };
        module.exports.track = function (method, data) { window.userengage(method, data); };
        exports.Tracker = Tracker;
    """, path="lib/tracker.js")
    assert result.exports is not None
    track, tracker = result.exports.names["track"], result.exports.names["Tracker"]
    assert isinstance(track, Wrapper) and track.name == "track" and track.api_param == 0
    assert isinstance(tracker, dict) and set(tracker) == {"update"}


def test_members_that_hold_their_own_object_end() -> None:
    """`F.prototype.constructor = F`, `UE.self = UE`: found on real code, where exporting
    them recursed without end."""
    result = run("""\
        function Tracker() {}
        Tracker.prototype.constructor = Tracker;
        Tracker.prototype.update = function (data) { window.userengage("client.update", data); };
        var UE2 = {};
        UE2.self = UE2;
        UE2.track = function (m, d) { window.userengage(m, d); };
        module.exports = { Tracker: Tracker, UE2: UE2 };
    """)
    assert result.errors == () and result.exports is not None
    assert {k: set(v) for k, v in result.exports.names.items() if isinstance(v, dict)} == {
        "Tracker": {"update"}, "UE2": {"track"},
    }


def test_a_member_of_another_object_is_not_the_wrapper() -> None:
    found = calls("""\
        const Logger = {};
        Logger.send = function (method, data) { console.log(method, data); };
        const Tracker = {};
        Tracker.send = function (method, data) { window.userengage(method, data); };
        Logger.send("client.update", { user_id: 1 });
    """)
    assert [c.span.start_line for c in found] == [4]


def test_a_call_deep_in_nested_functions_is_found_in_linear_time() -> None:
    """Tree-sitter's Node.parent walks down from the root: climbing from a call 20,000
    functions deep took minutes; the file's parent index makes it linear."""
    depth = 20_000  # a second now; with a quadratic climb, minutes (the suite would stall)
    code = "function f(){" * depth + 'userengage("client.update", { user_id: 1 });' + "}" * depth
    (call,) = calls(code)
    assert call.api == "client.update" and len(call.handlers) == depth


def test_parents_agree_with_tree_sitter_in_any_order() -> None:
    """Parents walks down from a neighbour of the last node it found, not from the root:
    asked in any order, about any node (zero-width ones too), it answers as tree-sitter."""
    import random

    import tree_sitter as ts
    import tree_sitter_javascript

    from uelint.adapters.js_scope import Parents

    code = (b"async function f(a) { await g(await h(x), () => { return await k; }); }\n"
            b"const o = { a: [1, (2), `t${await z}`], b() { if (x) { y } } };\nlet q = (")
    root = ts.Parser(ts.Language(tree_sitter_javascript.language())).parse(code).root_node
    nodes, stack = [], [root]
    while stack:
        node = stack.pop()
        nodes.append(node)
        stack.extend(node.children)
    for seed in range(20):
        random.Random(seed).shuffle(nodes)
        parents = Parents(root)
        for node in nodes:
            expected, found = node.parent, parents.of(node)
            assert (found.id if found else None) == (expected.id if expected else None), node
