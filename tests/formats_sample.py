"""A small project that exercises every report format: findings of each rule and level, a
wrapper with a related location, awkward paths and text (spaces, non-ASCII, `%`, `,` and `:`
in names; emoji, CJK, tabs and control characters on finding lines; a long line), and files
that cannot be checked completely."""

from __future__ import annotations

import os
from pathlib import Path

from tests.test_cli import write
from uelint import engine, plugins
from uelint.diagnostic import RunResult

FILES: dict[str, str | bytes] = {
    "web/src/profile.js": (
        "// Profile page.\n"
        "export function saveProfile(user) {\n"
        '  userengage("client.update", {\n'
        "    user_id: user.id,\n"
        "    first_name: user.firstName,\n"
        "    browser: navigator.userAgent,\n"
        "  });\n"
        "}\n"
    ),
    "web/src/LoginForm.jsx": (
        "export function LoginForm({ customer }) {\n"
        "  function handleSubmit(event) {\n"
        "\tevent.preventDefault();\n"
        '\twindow.userengage("client.update", { email: customer.email });\n'
        "  }\n"
        "  return <form onSubmit={handleSubmit} />;\n"
        "}\n"
    ),
    "web/src/i18n/挨拶.ts": (
        'const greeting: string = "こんにちは 🙈"; userengage("client.update", { user_id: 1 });\n'
    ),
    "web/src/dir with space/ünï,co:de%.js": 'userengage("client.update", { ip_address: ip });\n',
    "web/src/control.js": 'userengage("client.update", { user_id: "\x1b[31m\x07" });\n',
    "web/src/tracking.js": (
        "function send(method, data) {\n"
        "  window.userengage(method, data);\n"
        "}\n"
        'send("client.update", { user_id: 42 });\n'
    ),
    "web/static/bundle.min.js": (
        "".join(f"function f{i}(a){{return a+{i}}};" for i in range(12))
        + 'window.userengage("client.update",{created_at:Date.now()});'
        + "".join(f"var v{i}={i};" for i in range(12))
        + "\n"
    ),
    "web/src/broken.js": 'function (\nuserengage("client.update", { user_id: 1 });\n',
    "web/src/latin1.js": b'userengage("client.update", { name: "Jos\xe9", user_id: 2 });\n',
    "pyscript/app.py": (
        "from js import window\n"
        "\n"
        "def save(user):\n"
        "    window.userengage('client.update', {'user_id': user.id, 'timezone': 'UTC'})\n"
    ),
    "web/src/clean.js": 'userengage("client.update", { first_name: "Ada" });\n',
}


def run_sample(root: Path) -> RunResult:
    """The sample checked from `root` with the built-in rules, as `uelint check` would."""
    write(root, FILES)
    rules = list(plugins.load(autoload=False).rules.values())
    previous = os.getcwd()
    os.chdir(root)
    try:
        return engine.run([Path(".")], rules, root)
    finally:
        os.chdir(previous)
