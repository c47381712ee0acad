"""One parsed JavaScript / TypeScript file, as the adapter's parts read it.

The tree with its queries (run once, on first need), the names in scope, the text and spans
of nodes, and how code names a function. Every other part of the adapter reads the file
through this, and nothing here depends on them.
"""

from __future__ import annotations

from dataclasses import dataclass

import tree_sitter as ts

from uelint import languages
from uelint.adapters import per_thread
from uelint.adapters.js_scope import CLASSES, FUNCTIONS, TRANSPARENT, Parents, Scope, unwrap
from uelint.ir import Span
from uelint.source import SourceText
from uelint.wrappers import Linker

# Run only when a file has aliases or wrappers to look for, or a payload built in steps.
_CALLS_QUERY = "(call_expression) @call"
_WRITES_QUERY = (
    "(assignment_expression left: [(member_expression) (subscript_expression)] @lhs) @write"
)
_MAX_NAME = 80
# Objects whose member assignments may define wrappers: `UE.track = `, `this.track = `,
# `Tracker.prototype.track = `, `window.UserEngage.pushEvent = `.
_OWNERS = frozenset({"identifier", "this", "member_expression"})


@dataclass(frozen=True)
class Grammar:
    parser: ts.Parser
    calls: ts.Query
    writes: ts.Query


@per_thread
def grammar(language: str) -> Grammar:
    if language == languages.JAVASCRIPT:
        import tree_sitter_javascript as grammar_js

        lang = ts.Language(grammar_js.language())
    else:
        import tree_sitter_typescript as grammar_ts

        lang = ts.Language(
            grammar_ts.language_tsx() if language == languages.TSX
            else grammar_ts.language_typescript()
        )
    return Grammar(ts.Parser(lang), ts.Query(lang, _CALLS_QUERY), ts.Query(lang, _WRITES_QUERY))


class JsFile:
    """One file's tree, queries, scopes, and the names of its functions."""

    def __init__(
        self, source: SourceText, path: str, root: ts.Node, grammar: Grammar, linker: Linker | None
    ) -> None:
        self.source = source
        self.path = path
        self.root = root
        self.grammar = grammar
        self.linker = linker
        self.parents = Parents(root)
        self.scope = Scope(source.data, path, linker, self.parents, self.assigned)
        self._calls: list[ts.Node] | None = None
        self._writes: dict[str, list[ts.Node]] | None = None
        self._assigned: dict[str, list[ts.Node]] | None = None
        self._inner: dict[int, ts.Node | None] = {}  # node id: the function it is in

    @property
    def calls(self) -> list[ts.Node]:
        """Every call of the file; queried only when aliases or wrappers need them."""
        if self._calls is None:
            captures = ts.QueryCursor(self.grammar.calls).captures(self.root)
            # In source order, as Python's calls are: the first call through a wrapper that
            # a function makes decides what the function is.
            self._calls = sorted(captures.get("call", []), key=lambda node: node.start_byte)
        return self._calls

    @property
    def writes(self) -> dict[str, list[ts.Node]]:
        """`x.k = v` and `x["k"] = v`, by the name `x`; queried on first need."""
        if self._writes is None:
            self._writes, self._assigned = {}, {}
            for _, captures in ts.QueryCursor(self.grammar.writes).matches(self.root):
                obj = unwrap(captures["lhs"][0]).child_by_field_name("object")
                if obj is None:
                    continue
                write = captures["write"][0]
                if obj.type == "identifier":
                    self._writes.setdefault(self.text(obj), []).append(write)
                if obj.type in _OWNERS:
                    self._assigned.setdefault("".join(self.text(obj).split()), []).append(write)
        return self._writes

    def assigned(self, owner: str) -> list[ts.Node]:
        """The member assignments to `owner` as written, without spaces: "UE", "this",
        "Tracker.prototype" (`Scope.assigned`); in source order."""
        if self._assigned is None:
            self.writes  # noqa: B018 - one query fills both tables
        assert self._assigned is not None
        return self._assigned.get(owner, [])

    def text(self, node: ts.Node) -> str:
        return self.scope.text(node)

    def span(self, node: ts.Node) -> Span:
        return self.source.span(node.start_byte, node.end_byte)

    # -- calls -------------------------------------------------------------------------------

    def calls_named(self, names: set[str]) -> list[ts.Node]:
        """The calls whose callee's last name is one of `names`: `track`, `a.b.track`."""
        return [node for node in self.calls if self.last_name(node) in names] if names else []

    def last_name(self, call: ts.Node) -> str | None:
        fn = call.child_by_field_name("function")
        if fn is None:
            return None
        fn = unwrap(fn)
        if fn.type == "identifier":
            return self.text(fn)
        if fn.type == "member_expression":
            prop = fn.child_by_field_name("property")
            return self.text(prop) if prop is not None else None
        if fn.type == "subscript_expression":
            index = fn.child_by_field_name("index")
            return self.scope.static_string(index) if index is not None else None
        return None

    def args(self, call: ts.Node) -> list[ts.Node] | None:
        """A call's arguments, comments left out."""
        args = call.child_by_field_name("arguments")
        if args is None or args.type != "arguments":
            return None  # a tagged template: userengage`...`
        return [a for a in args.named_children if a.type != "comment"]

    def declared_names(self, node: ts.Node) -> set[str]:
        """The names a declaration target or an import binds: `{ a, b: c }` → {"a", "c"}."""
        if node.type == "identifier":
            return {self.text(node)}
        found: set[str] = set()
        for child in node.named_children:
            if child.type in ("identifier", "shorthand_property_identifier_pattern"):
                found.add(self.text(child))
            else:
                found |= self.declared_names(child)
        return found

    # -- names of functions ------------------------------------------------------------------

    def function_name(self, fn: ts.Node) -> str | None:
        """How code calls a function: "track", "TrackingDriver.push", "tracking.update"."""
        name_node = fn.child_by_field_name("name")
        if fn.type == "method_definition":
            container = fn.parent  # a class body or an object literal
            if name_node is None or container is None:
                return None
            owner = self.owner_name(container if container.type == "object" else container.parent)
            return f"{owner}.{self.text(name_node)}" if owner else self.text(name_node)
        if name_node is not None and fn.type.endswith("declaration"):
            return self.text(name_node)
        bound = self.bound_name(fn)
        if bound is None:
            return self.text(name_node) if name_node is not None else None
        ctx = self.context(fn)
        if ctx is not None and ctx.type == "assignment_expression":
            return self._member_name(ctx, bound)
        owner = None
        if ctx is not None and ctx.type == "pair":  # an object-literal method
            owner = self.owner_name(ctx.parent)
        elif ctx is not None and ctx.type in ("field_definition", "public_field_definition"):
            owner = self.owner_name(ctx.parent.parent if ctx.parent is not None else None)
        return f"{owner}.{bound}" if owner else bound

    def _member_name(self, assignment: ts.Node, written: str) -> str:
        """A function assigned to a member, named as code calls it: `exports.track` and
        `module.exports.track` are "track", `window.UE.push` "UE.push", `F.prototype.push`
        and `this.push` in F (or in class F's constructor) "F.push"."""
        parts = written.split(".")
        if parts[:2] == ["module", "exports"]:
            parts = parts[2:]
        elif parts[0] in ("exports", "window", "globalThis"):
            parts = parts[1:]
        parts = [p for p in parts if p != "prototype"]
        if parts and parts[0] == "this":
            maker = next((n for n in self.parents.chain(assignment, itself=False)
                          if n.type in CLASSES or n.type in FUNCTIONS
                          and n.type not in ("arrow_function", "method_definition")), None)
            owner = self.scope.binding_name(maker) if maker is not None else None
            parts = [owner] + parts[1:] if owner else parts[1:]
        return ".".join(parts) or written

    def context(self, node: ts.Node) -> ts.Node | None:
        """The parent of an expression, past transparent wrappers."""
        return next((n for n in self.parents.chain(node, itself=False)
                     if n.type not in TRANSPARENT), None)

    def enclosing_function(self, node: ts.Node) -> ts.Node | None:
        """The innermost function that holds `node`. Kept for every node climbed past: the
        awaits of a chain 2,500 deep each asked again from the top was quadratic."""
        climbed = []
        current = self.parents.of(node)
        while current is not None and current.type not in FUNCTIONS:
            if current.id in self._inner:
                current = self._inner[current.id]
                break
            climbed.append(current.id)
            current = self.parents.of(current)
        for seen in climbed:
            self._inner[seen] = current
        return current

    def owner_name(self, node: ts.Node | None) -> str | None:
        """The name of a class, or of the variable an object literal is bound to."""
        if node is None:
            return None
        if node.type in CLASSES:
            name = node.child_by_field_name("name")
            return self.text(name) if name is not None else self.bound_name(node)
        if node.type == "object":
            return self.bound_name(node)
        return None

    def bound_name(self, node: ts.Node) -> str | None:
        """The name a function, class or object expression is bound to: `const x = ...`."""
        ctx = self.context(node)
        if ctx is None:
            return None
        field_name = {
            "variable_declarator": "name", "pair": "key", "field_definition": "property",
            "public_field_definition": "name", "assignment_expression": "left",
        }.get(ctx.type)
        target = ctx.child_by_field_name(field_name) if field_name else None
        if target is None:
            return None
        name = self.scope.static_string(target) if target.type == "string" else self.text(target)
        return short(name) if name else None




def short(text: str) -> str:
    """Code shown in a name or message: on one line, at most _MAX_NAME characters."""
    text = " ".join(text.split())
    return text if len(text) <= _MAX_NAME else text[: _MAX_NAME - 1] + "…"

