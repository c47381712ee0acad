"""Static values of Python expressions: namespaces, bindings, constants, aliases.

The Python counterpart of `js_scope`. The adapter's visitor records every namespace (module,
class, function, lambda, comprehension) with the bindings made in it and where each starts to
hold; `Resolver` then answers what an expression denotes: a string constant, a path on the
page's globals (`window.userengage` through `from js import window`), a function, a class or
an instance of it, a dict literal, a parameter, something another scanned file exports, or
`UNKNOWN`. Lookups follow Python's rules (a name bound anywhere in a function is local to
it; class bodies do not enclose methods), take the nearest binding before the use, are
memoised per binding and bounded in depth: whatever cannot be proved stays unknown.
"""

from __future__ import annotations

import ast
import warnings
from bisect import bisect_right
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import libcst as cst
from libcst.metadata import CodeRange

from uelint.adapters.values import UNKNOWN, Ext, Global, Param, Str, Unknown
from uelint.wrappers import Linker, Wrapper

# Names through which Python code reaches the page's globals: `js.window.top.userengage`.
# `self` is not one of them: in Python it is the instance. `pyscript` exports `window`.
GLOBAL_OBJECTS = frozenset({"window", "js", "top", "parent", "globalThis", "pyscript"})
# Modules whose names are the browser's globals: `from js import userengage as ue`.
GLOBAL_MODULES = frozenset({"js", "pyscript"})
_MAX_DEPTH = 12
_MAX_BASES = 32

Pos = tuple[int, int]  # (line, column) of libcst positions: ordered like the source


# -- namespaces and bindings -----------------------------------------------------------------


@dataclass(eq=False, slots=True)
class Namespace:
    """A module, class, function (or lambda) or comprehension body."""

    kind: str  # "module", "class", "function", "comprehension"
    node: cst.CSTNode
    parent: Namespace | None
    name: str | None = None  # of a def or class, or the name a lambda is bound to
    bindings: dict[str, list[Binding]] = field(default_factory=dict)
    declared: dict[str, str] = field(default_factory=dict)  # name → "global" / "nonlocal"
    # Functions: parameters as callers pass them, in signature syntax ("a", "*", "b", "**kw"),
    # so that index i is the i-th positional argument and keywords map by name.
    params: tuple[str, ...] = ()
    defaults: dict[int, cst.BaseExpression] = field(default_factory=dict)
    method: str | None = None  # "instance", "class" or "static" for a def in a class body
    # Classes: `self.x = ...` in its methods, and its base classes.
    attributes: dict[str, list[Binding]] = field(default_factory=dict)
    bases: tuple[cst.BaseExpression, ...] = ()

    def function(self) -> Namespace | None:
        """The function this namespace runs in (itself, or around a comprehension)."""
        ns: Namespace | None = self
        while ns is not None and ns.kind == "comprehension":
            ns = ns.parent
        return ns if ns is not None and ns.kind == "function" else None

    def owner(self) -> Namespace | None:
        """The class whose body defines this function."""
        return self.parent if self.parent is not None and self.parent.kind == "class" else None

    def inside(self, other: Namespace) -> bool:
        ns: Namespace | None = self
        while ns is not None:
            if ns is other:
                return True
            ns = ns.parent
        return False


@dataclass(eq=False, slots=True)
class Binding:
    # "value" (node is evaluated in ns), "param", "self", "cls", "def", "class" (ns is the
    # function's or class's own namespace), "import", "unknown" (a loop target, `del`, ...)
    kind: str
    ns: Namespace | None
    at: Pos  # where it starts to hold
    node: cst.BaseExpression | None = None
    index: int = -1  # of a parameter, in the function's `params`
    module: str | None = None  # of an import: "js", ".analytics", "app.analytics"
    name: str | None = None  # the imported name; None for the module itself
    fallback: bool = False  # made in an `except` clause: the other branch is the usual one


SHADOWED = Binding("unknown", None, (0, 0))  # a local name read before it is bound


# -- abstract values -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Func:
    ns: Namespace
    unbound: bool = False  # an instance method reached through its class: `self` comes first


@dataclass(frozen=True, slots=True)
class Cls:
    ns: Namespace


@dataclass(frozen=True, slots=True)
class Inst:
    cls: Namespace


@dataclass(frozen=True, slots=True)
class Obj:
    node: cst.Dict  # a dict literal
    ns: Namespace


@dataclass(frozen=True, slots=True)
class Mod:
    """A module (or a name in it) that is not the browser's: "app.analytics", ".tracking"."""

    specifier: str


Value = Global | Str | Func | Cls | Inst | Obj | Param[Namespace] | Ext | Mod | Unknown


def wrapper_of(value: Value, local: Mapping[Namespace, Wrapper]) -> Wrapper | None:
    """The wrapper a callee denotes: a function of this file, or one imported."""
    if isinstance(value, Func):
        return local.get(value.ns)
    if isinstance(value, Ext) and isinstance(value.export, Wrapper):
        return value.export
    return None


# -- evaluation ------------------------------------------------------------------------------


class Resolver:
    """Name resolution and evaluation for one file, after the visitor recorded it."""

    def __init__(
        self, module: Namespace, positions: Mapping[cst.CSTNode, CodeRange], path: str,
        linker: Linker | None, star_imports: list[str], lambdas: Mapping[cst.Lambda, Namespace],
    ) -> None:
        self.module = module
        self.positions = positions
        self.path = path
        self.linker = linker
        self.star_imports = star_imports  # `from .x import *` at module level
        self.lambdas = lambdas
        self._bound: dict[Binding, Value] = {}
        self._imports: dict[tuple[str, str | None], Value] = {}
        self._lineages: dict[Namespace, list[Namespace | Ext]] = {}

    def pos(self, node: cst.CSTNode) -> Pos:
        start = self.positions[node].start
        return start.line, start.column

    # -- bindings ------------------------------------------------------------------------

    def lookup(self, name: str, ns: Namespace, at: Pos) -> Binding | None:
        """The binding of `name` read at `at` in `ns`; None for a global (or builtin) name,
        SHADOWED for a local read before it is bound."""
        scope: Namespace | None = ns
        local = True
        while scope is not None:
            declared = scope.declared.get(name)
            if declared is not None and scope.kind != "module":
                scope = self.module if declared == "global" else scope.parent
                local = False
                continue
            if scope.kind == "class" and not local:  # class bodies do not enclose methods
                scope = scope.parent
                continue
            bindings = scope.bindings.get(name)
            if bindings:
                found = _pick(bindings, at, before_only=local)
                if found is not None:
                    return found
                if scope.kind in ("function", "comprehension"):
                    return SHADOWED  # Python makes the name local to the whole function
                if scope.kind == "module":
                    return None  # bound later: here it is still the global
            scope = scope.parent
            local = False
        return None

    def bound(self, binding: Binding, depth: int = 0) -> Value:
        cached = self._bound.get(binding)
        if cached is not None:
            return cached
        self._bound[binding] = UNKNOWN  # a cycle reads as unknown
        value = self._bound_value(binding, depth)
        self._bound[binding] = value
        return value

    def _bound_value(self, binding: Binding, depth: int) -> Value:
        kind, ns = binding.kind, binding.ns
        if ns is None:
            return UNKNOWN
        if kind == "value":
            return self.value(binding.node, ns, depth + 1)
        if kind == "param":
            return Param(ns, binding.index)
        if kind in ("self", "cls"):
            owner = ns.owner()
            if owner is None:
                return UNKNOWN
            return Inst(owner) if kind == "self" else Cls(owner)
        if kind == "def":
            return Func(ns)
        if kind == "class":
            return Cls(ns)
        if kind == "import" and binding.module is not None:
            return self.imported(binding.module, binding.name)
        return UNKNOWN

    def imported(self, module: str, name: str | None) -> Value:
        key = (module, name)
        found = self._imports.get(key)
        if found is None:
            found = self._imported(module, name)
            self._imports[key] = found
        return found

    def _imported(self, module: str, name: str | None) -> Value:
        if module in GLOBAL_MODULES:  # `import js`, `from js import window, userengage`
            if name is None or name in GLOBAL_OBJECTS:
                return Global(())
            return Global((name,))
        if name is None:
            return Mod(module)
        export = self.linker.resolve(self.path, module, name) if self.linker else None
        if isinstance(export, str):
            return Str(export)
        if export is not None:
            return Ext(export)
        return Mod(module + name if module.endswith(".") else f"{module}.{name}")  # a submodule

    # -- values --------------------------------------------------------------------------

    def value(self, node: cst.BaseExpression | None, ns: Namespace, depth: int = 0) -> Value:
        if node is None or depth > _MAX_DEPTH:
            return UNKNOWN
        if isinstance(node, (cst.SimpleString, cst.ConcatenatedString, cst.FormattedString)):
            literal = self.string(node, ns, depth)
            return Str(literal) if literal is not None else UNKNOWN
        if isinstance(node, cst.Name):
            return self.identifier(node, ns, depth)
        if isinstance(node, cst.Attribute):
            return self.member(self.value(node.value, ns, depth + 1), node.attr.value, depth)
        if isinstance(node, cst.Subscript):
            return self.subscript(node, ns, depth)
        if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.Add):
            left = self.value(node.left, ns, depth + 1)
            right = self.value(node.right, ns, depth + 1) if isinstance(left, Str) else UNKNOWN
            if isinstance(left, Str) and isinstance(right, Str):
                return Str(left.value + right.value)
            return UNKNOWN
        if isinstance(node, cst.BooleanOperation) and isinstance(node.operator, cst.Or):
            left = self.value(node.left, ns, depth + 1)  # `window.userengage or noop`
            return left if left is not UNKNOWN else self.value(node.right, ns, depth + 1)
        if isinstance(node, cst.Call):
            return self.call(node, ns, depth)
        if isinstance(node, cst.Dict):
            return Obj(node, ns)
        if isinstance(node, cst.Lambda) and node in self.lambdas:
            return Func(self.lambdas[node])
        return UNKNOWN

    def identifier(self, node: cst.Name, ns: Namespace, depth: int) -> Value:
        name = node.value
        binding = self.lookup(name, ns, self.pos(node))
        if binding is not None:
            return self.bound(binding, depth)
        for specifier in self.star_imports:
            star = self.imported(specifier, name)
            if isinstance(star, (Str, Ext)):
                return star
        if name in ("True", "False", "None"):
            return UNKNOWN
        return Global(()) if name in GLOBAL_OBJECTS else Global((name,))

    def member(self, obj: Value, key: str, depth: int) -> Value:
        if isinstance(obj, Global):
            if not obj.path and key in GLOBAL_OBJECTS:
                return obj
            return Global((*obj.path, key))
        if isinstance(obj, Mod):
            return self.imported(obj.specifier, key)
        if isinstance(obj, Cls):
            return self.class_attribute(obj.ns, key, False, depth)
        if isinstance(obj, Inst):
            return self.class_attribute(obj.cls, key, True, depth)
        if isinstance(obj, Ext) and isinstance(obj.export, dict):
            inner = obj.export.get(key)
            return Str(inner) if isinstance(inner, str) else Ext(inner) if inner else UNKNOWN
        if isinstance(obj, Str) and key == "value":  # an enum member: `Events.UPDATE.value`
            return obj
        return UNKNOWN

    def class_attribute(self, cls: Namespace, key: str, instance: bool, depth: int) -> Value:
        """A method or attribute of a class (or of its instance), its bases included."""
        if depth > _MAX_DEPTH:
            return UNKNOWN
        for owner in self.lineage(cls):
            if isinstance(owner, Ext):
                found = self.member(owner, key, depth + 1)
                if found is not UNKNOWN:
                    return found
                continue
            if instance and key in owner.attributes:  # `self.sdk = window.userengage`
                first, *others = (self.bound(b, depth + 1) for b in owner.attributes[key])
                return first if all(other == first for other in others) else UNKNOWN
            bindings = owner.bindings.get(key)
            if bindings:
                binding = bindings[-1]  # the class body has run by the time anything reads it
                if binding.kind == "def" and binding.ns is not None:
                    return Func(binding.ns, not instance and binding.ns.method == "instance")
                return self.bound(binding, depth + 1)
        return UNKNOWN

    def lineage(self, cls: Namespace) -> list[Namespace | Ext]:
        """The class, then its bases depth first (the MRO of simple hierarchies), each once;
        a base imported from another file is the namespace it exports."""
        found = self._lineages.get(cls)
        if found is None:
            found = self._lineages[cls] = [cls]  # a cyclic hierarchy reads this much
            for base in cls.bases:
                parent = self.value(base, cls.parent or self.module)
                if isinstance(parent, Cls):
                    found += [c for c in self.lineage(parent.ns) if c not in found]
                elif isinstance(parent, Ext) and isinstance(parent.export, dict):
                    found.append(parent)
                if len(found) > _MAX_BASES:
                    break
        return found

    def subscript(self, node: cst.Subscript, ns: Namespace, depth: int) -> Value:
        """`EVENTS["UPDATE"]` of a dict literal. Not `window["userengage"]`: Pyodide's JS
        proxies do not read properties by subscript."""
        if len(node.slice) != 1 or not isinstance(node.slice[0].slice, cst.Index):
            return UNKNOWN
        key = self.value(node.slice[0].slice.value, ns, depth + 1)
        obj = self.value(node.value, ns, depth + 1)
        if not isinstance(key, Str):
            return UNKNOWN
        if isinstance(obj, Obj):
            for element in reversed(obj.node.elements):
                if not isinstance(element, cst.DictElement):
                    return UNKNOWN  # a later key may come from the spread
                if self.value(element.key, obj.ns, depth + 1) == key:
                    return self.value(element.value, obj.ns, depth + 1)
            return UNKNOWN
        if isinstance(obj, Ext):
            return self.member(obj, key.value, depth)
        return UNKNOWN

    def call(self, node: cst.Call, ns: Namespace, depth: int) -> Value:
        func = self.value(node.func, ns, depth + 1)
        if isinstance(func, Cls):
            return Inst(func.ns)
        if isinstance(func, Ext) and isinstance(func.export, dict):
            return func  # an instance of an imported class has the class's wrapper methods
        args = [a.value for a in node.args if not a.star and a.keyword is None]
        if func == Global(("getattr",)) and len(args) >= 2:  # getattr(window, "userengage", None)
            name = self.value(args[1], ns, depth + 1)
            if isinstance(name, Str):
                return self.member(self.value(args[0], ns, depth + 1), name.value, depth)
        if func == Global(("str",)) and len(args) == 1:
            inner = self.value(args[0], ns, depth + 1)
            return inner if isinstance(inner, Str) else UNKNOWN
        return UNKNOWN

    def string(self, node: cst.BaseExpression, ns: Namespace, depth: int = 0) -> str | None:
        """A string literal; an f-string whose substitutions are all constants."""

        def substitute(part: cst.FormattedStringExpression) -> str | None:
            if part.format_spec or part.equal or (part.conversion or "s") != "s":
                return None
            inner = self.value(part.expression, ns, depth + 1)
            return inner.value if isinstance(inner, Str) else None

        return string(node, substitute)


def _pick(bindings: list[Binding], at: Pos, before_only: bool) -> Binding | None:
    """The nearest binding before `at` (the list is in source order), preferring the usual
    path over `except` fallbacks; when none comes before and that is allowed, the last one
    (a function runs after the module has finished binding its names)."""
    end = bisect_right(bindings, at, key=_at)
    if end == 0:
        if before_only:
            return None
        end = len(bindings)
    for i in range(end - 1, -1, -1):
        if not bindings[i].fallback:
            return bindings[i]
    return bindings[end - 1]


def _at(binding: Binding) -> Pos:
    return binding.at


def string(
    node: cst.BaseExpression | None,
    substitute: Callable[[cst.FormattedStringExpression], str | None] | None = None,
) -> str | None:
    """The value of a string literal: quotes, prefixes, escapes and implicit concatenation
    resolved. An f-string counts when `substitute` gives every substitution's value (so,
    without it, when it has none). None for anything else."""
    if isinstance(node, cst.SimpleString):
        return None if "b" in node.prefix.lower() else literal_str(node.value)
    if isinstance(node, cst.ConcatenatedString):
        left = string(node.left, substitute)
        right = string(node.right, substitute) if left is not None else None
        return None if left is None or right is None else left + right
    if not isinstance(node, cst.FormattedString):
        return None
    prefix = node.prefix.lower().replace("f", "")
    quote = node.start[len(node.prefix):]
    parts: list[str] = []
    for part in node.parts:
        if isinstance(part, cst.FormattedStringText):
            body = part.value.replace("{{", "{").replace("}}", "}")
            text = literal_str(prefix + quote + body + node.end)
        elif isinstance(part, cst.FormattedStringExpression) and substitute is not None:
            text = substitute(part)
        else:
            text = None
        if text is None:
            return None
        parts.append(text)
    return "".join(parts)


def literal_str(code: str) -> str | None:
    try:
        with warnings.catch_warnings():  # "invalid escape sequence" must not reach stderr
            warnings.simplefilter("ignore")
            value = ast.literal_eval(code)
    except (ValueError, SyntaxError):  # e.g. an invalid \N{...} escape
        return None
    return value if isinstance(value, str) else None
