"""The README's install snippets, as printed, and what the install tests share.

A snippet is a fenced `yaml` block whose first line names the file it is (`# .gitlab-ci.yml`).
The README writes the repository's URL as one placeholder; tests replace it with a local clone.
"""

from __future__ import annotations

import os
import re
import subprocess
import venv
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).parents[1]
README = ROOT / "README.md"
PLACEHOLDER = "https://github.com/OWNER/uelint"
_FENCE = re.compile(r"^```yaml\n(# (\S+)\n.*?)^```$", re.M | re.S)


def snippets(name: str) -> list[str]:
    """The README's snippets of the file `name`, in order."""
    return [m.group(1) for m in _FENCE.finditer(README.read_text()) if m.group(2) == name]


class _Yaml12Loader(yaml.SafeLoader):
    """YAML 1.2 booleans, as GitHub and GitLab read them: `on:` is a key, not True."""


_Yaml12Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Yaml12Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
    list("tTfF"))


def load(text: str) -> Any:
    return yaml.load(text, Loader=_Yaml12Loader)  # a SafeLoader


def clone(into: Path) -> Path:
    """A clone of this repository (its committed history), as a user's would be."""
    subprocess.run(["git", "clone", "-q", str(ROOT), str(into)], check=True)
    return into


def tool_env(bin_dir: Path | None = None, **extra: str) -> dict[str, str]:
    """The environment for installers: the real pip cache (conftest moves XDG_CACHE_HOME
    per test), no outer virtual environment, `bin_dir` first on PATH."""
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")}
    env.setdefault("PIP_CACHE_DIR", str(Path.home() / ".cache" / "pip"))
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    if bin_dir is not None:
        env["PATH"] = f"{bin_dir}{os.pathsep}{env.get('PATH', '')}"
    env.update(extra)
    return env


def fresh_venv(where: Path) -> Path:
    """A new virtual environment with a current pip, as CI images have (the pip that venv
    bundles with Python 3.11 rejects `git+file:///...` URLs); its bin directory."""
    venv.create(where, with_pip=True)
    subprocess.run([str(where / "bin" / "python"), "-m", "pip", "install", "-q", "-U", "pip"],
                   check=True, capture_output=True, env=tool_env())
    return where / "bin"


def git_repo(where: Path) -> Path:
    where.mkdir(parents=True, exist_ok=True)
    subprocess.run(["git", "init", "-q", str(where)], check=True)
    for key, value in (("user.name", "uelint tests"), ("user.email", "tests@example.invalid"),
                       ("commit.gpgsign", "false")):
        subprocess.run(["git", "-C", str(where), "config", key, value], check=True)
    return where
