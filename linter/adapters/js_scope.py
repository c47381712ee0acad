"""Static values of JavaScript / TypeScript expressions: scopes, bindings, constants, aliases.

A small abstract interpreter over the tree-sitter tree. It answers what an expression
denotes, as far as the file (and the files it imports) can tell: a string constant, the
SDK global `userengage`, a local function, a class or its instance, an object literal, a
parameter of an enclosing function, something exported by another scanned file, or
`UNKNOWN`. Every lookup is bounded (depth and memoised scope tables), so resolution stays
linear in practice, and anything it cannot prove stays unknown: never a guess.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

import tree_sitter as ts

from uelint import sdk
from uelint.adapters.values import UNKNOWN, Ext, Global, Param, Str, Unknown
from uelint.wrappers import Export, Linker, Wrapper

# Receivers through which the SDK's globals are reached: `window.top.userengage(...)`.
GLOBAL_OBJECTS = frozenset({"window", "top", "parent", "self", "globalThis", "frames"})

# Expression wrappers that do not change the value: `(x as any)`, `x!`, `(x)`, `<T>x`.
TRANSPARENT = frozenset({
    "parenthesized_expression", "non_null_expression", "as_expression", "satisfies_expression",
    "type_assertion",
})
FUNCTIONS = frozenset({
    "function_declaration", "generator_function_declaration", "function_expression",
    "function", "generator_function", "arrow_function", "method_definition",
})
CLASSES = frozenset({"class_declaration", "class", "abstract_class_declaration"})
# Functions that `new` can make an instance of (arrow functions and methods cannot).
_CONSTRUCTORS = frozenset({"function_declaration", "function_expression", "function"})
_BINDING_NAMES = frozenset({"identifier", "type_identifier"})
_SDK_OWNERS = frozenset({*sdk.CALLED, sdk.CONFIG})
_SCOPES = frozenset({"program", "statement_block", "class_body", "switch_body"})
_MAX_DEPTH = 12


# -- abstract values -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Func:
    node: ts.Node  # a function-like node


@dataclass(frozen=True, slots=True)
class Cls:
    node: ts.Node


@dataclass(frozen=True, slots=True)
class Inst:
    cls: ts.Node  # an instance of this class, or of this constructor function


@dataclass(frozen=True, slots=True)
class Obj:
    node: ts.Node  # an object literal


Value = Global | Str | Func | Cls | Inst | Obj | Param[ts.Node] | Ext | Unknown


# -- bindings --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Binding:
    kind: str  # "var", "param", "function", "class", "import", "require", "enum"
    node: ts.Node  # the declarator, parameter, declaration or import specifier
    value: ts.Node | None = None  # the initialiser (for destructuring: the object destructured)
    key: str | None = None  # for destructuring and imports: the property / imported name
    index: int = -1  # for parameters
    function: ts.Node | None = None  # for parameters
    specifier: str | None = None  # for imports and requires


class Parents:
    """Nodes' parents, found from the root down once per chain and kept. Tree-sitter's nodes
    keep no parent: `Node.parent` walks down from the root each time, so climbing from a
    node deep in the tree (20,000 nested functions, a chain of awaits) was quadratic."""

    def __init__(self, root: ts.Node) -> None:
        self.root = root
        # Every node kept here has its ancestors kept too (each was found walking down).
        self._parent: dict[int, ts.Node | None] = {root.id: None}
        self._last = root

    def of(self, node: ts.Node) -> ts.Node | None:
        if node.id not in self._parent:
            current = self._near(node)
            while current.id != node.id:
                child = current.child_with_descendant(node)
                if child is None:
                    if current.id == self.root.id:  # not in this tree (cannot happen)
                        return node.parent
                    child = self.root  # spans it without holding it: from the top
                else:
                    self._parent[child.id] = current
                current = child
            self._last = node
        return self._parent[node.id]

    def _near(self, node: ts.Node) -> ts.Node:
        """Where to walk down from: the innermost ancestor of the last node found that spans
        `node`. Questions come about neighbours (the awaits of a chain, one after another):
        from the root each time, climbing from 2,500 of them was quadratic."""
        current: ts.Node | None = self._last
        while current is not None and not (
            current.start_byte <= node.start_byte and node.end_byte <= current.end_byte
        ):
            current = self._parent[current.id]
        return current if current is not None else self.root

    def chain(self, node: ts.Node, itself: bool = True) -> Iterator[ts.Node]:
        """`node` (unless not `itself`) and its ancestors, innermost first."""
        current = node if itself else self.of(node)
        while current is not None:
            yield current
            current = self.of(current)


# The member assignments of a file whose object is written `owner`: `UE.track = ...`,
# `Tracker.prototype.send = ...`, `this.push = ...` (owners "UE", "Tracker.prototype", "this").
Assigned = Callable[[str], Sequence[ts.Node]]


class Scope:
    """Name resolution and value evaluation for one file."""

    def __init__(
        self, data: bytes, path: str, linker: Linker | None, parents: Parents,
        assigned: Assigned = lambda owner: (),
    ) -> None:
        self.data = data
        self.path = path
        self.linker = linker
        self.parents = parents
        self.assigned = assigned
        self._tables: dict[int, dict[str, Binding]] = {}
        self._constructors: dict[int, bool] = {}  # function id → whether `new` makes it

    def text(self, node: ts.Node) -> str:
        return self.data[node.start_byte : node.end_byte].decode("utf-8", "replace")

    # -- bindings ------------------------------------------------------------------------

    def lookup(self, name: str, at: ts.Node) -> Binding | None:
        """The nearest declaration of `name` visible from `at`, or None for a global."""
        for node in self.parents.chain(at):
            if node.type in FUNCTIONS or node.type in _SCOPES:
                binding = self._table(node).get(name)
                if binding is not None:
                    return binding
        return None

    def _table(self, scope: ts.Node) -> dict[str, Binding]:
        table = self._tables.get(scope.id)
        if table is None:
            table = {}
            if scope.type in FUNCTIONS:
                self._declare_params(scope, table)
            else:
                for child in scope.named_children:
                    self._declare(child, table)
            self._tables[scope.id] = table
        return table

    def _declare_params(self, function: ts.Node, table: dict[str, Binding]) -> None:
        name = function.child_by_field_name("name")
        if name is not None and function.type in ("function_expression", "function"):
            table[self.text(name)] = Binding("function", function)
        for index, param in enumerate(_params(function)):
            pattern, default = _param_parts(param)
            if pattern is not None and pattern.type == "identifier":
                table[self.text(pattern)] = Binding(
                    "param", param, value=default, index=index, function=function
                )

    def _declare(self, stmt: ts.Node, table: dict[str, Binding]) -> None:
        kind = stmt.type
        if kind == "export_statement":
            inner = stmt.child_by_field_name("declaration")
            if inner is not None:
                self._declare(inner, table)
        elif kind in ("lexical_declaration", "variable_declaration"):
            for decl in stmt.named_children:
                if decl.type == "variable_declarator":
                    self._declare_declarator(decl, table)
        elif kind in ("function_declaration", "generator_function_declaration"):
            name = stmt.child_by_field_name("name")
            if name is not None:
                table[self.text(name)] = Binding("function", stmt)
        elif kind in CLASSES:
            name = stmt.child_by_field_name("name")
            if name is not None:
                table[self.text(name)] = Binding("class", stmt)
        elif kind == "enum_declaration":
            name = stmt.child_by_field_name("name")
            if name is not None:
                table[self.text(name)] = Binding("enum", stmt)
        elif kind == "import_statement":
            self._declare_import(stmt, table)

    def _declare_declarator(self, decl: ts.Node, table: dict[str, Binding]) -> None:
        name, value = decl.child_by_field_name("name"), decl.child_by_field_name("value")
        if name is None:
            return
        specifier = self.require_specifier(value) if value is not None else None
        if name.type == "identifier":
            if specifier is not None:
                table[self.text(name)] = Binding("require", decl, key="*", specifier=specifier)
            else:
                table[self.text(name)] = Binding("var", decl, value=value)
        elif name.type == "object_pattern":  # const { userengage: ue } = window
            for prop in name.named_children:
                if prop.type == "shorthand_property_identifier_pattern":
                    key = local = self.text(prop)
                elif prop.type == "pair_pattern":
                    key_node = prop.child_by_field_name("key")
                    local_node = prop.child_by_field_name("value")
                    if key_node is None or local_node is None or local_node.type != "identifier":
                        continue
                    key, local = self.text(key_node).strip("'\"`"), self.text(local_node)
                else:
                    continue
                if specifier is not None:
                    table[local] = Binding("require", decl, key=key, specifier=specifier)
                else:
                    table[local] = Binding("var", decl, value=value, key=key)

    def _declare_import(self, stmt: ts.Node, table: dict[str, Binding]) -> None:
        source = stmt.child_by_field_name("source")
        specifier = _string_body(self.text(source)) if source is not None else None
        clause = next((c for c in stmt.named_children if c.type == "import_clause"), None)
        if specifier is None or clause is None:
            return
        for part in clause.named_children:
            if part.type == "identifier":  # import track from "./a"
                table[self.text(part)] = Binding("import", part, key="default", specifier=specifier)
            elif part.type == "namespace_import" and part.named_child_count:
                local = self.text(part.named_children[-1])
                table[local] = Binding("import", part, key="*", specifier=specifier)
            elif part.type == "named_imports":
                for spec in part.named_children:
                    name = spec.child_by_field_name("name")
                    alias = spec.child_by_field_name("alias")
                    if name is None:
                        continue
                    imported = _string_body(self.text(name))
                    local = self.text(alias) if alias is not None else imported
                    table[local] = Binding("import", spec, key=imported, specifier=specifier)

    def require_specifier(self, node: ts.Node) -> str | None:
        """`require("./a")` → "./a"."""
        node = unwrap(node)
        if node.type != "call_expression":
            return None
        fn, args = node.child_by_field_name("function"), node.child_by_field_name("arguments")
        if fn is None or args is None or self.text(fn) != "require" or args.named_child_count != 1:
            return None
        arg = args.named_children[0]
        return _string_body(self.text(arg)) if arg.type == "string" else None

    # -- values --------------------------------------------------------------------------

    def value(self, node: ts.Node | None, depth: int = 0) -> Value:
        if node is None or depth > _MAX_DEPTH:
            return UNKNOWN
        node = unwrap(node)
        kind = node.type
        if kind in ("string", "template_string"):
            literal = self.static_string(node)
            return Str(literal) if literal is not None else UNKNOWN
        if kind == "identifier":
            return self.identifier(node, depth)
        if kind == "this":
            return self.this(node)
        if kind in ("member_expression", "subscript_expression"):
            obj = node.child_by_field_name("object")
            key = self.member_key(node, depth)
            return self.member(self.value(obj, depth + 1), key, depth) if key else UNKNOWN
        if kind == "binary_expression":
            return self.binary(node, depth)
        if kind in FUNCTIONS:
            return Func(node)
        if kind in CLASSES:
            return Cls(node)
        if kind == "object":
            return Obj(node)
        if kind == "new_expression":
            return self.instance(self.value(node.child_by_field_name("constructor"), depth + 1))
        if kind == "call_expression":
            specifier = self.require_specifier(node)
            if specifier is not None:
                return self.imported(specifier, "*")
            return self.call_value(node, depth)
        return UNKNOWN

    def call_value(self, call: ts.Node, depth: int) -> Value:
        """The few calls whose result is known: `Base.extend({...})` (Ember's, Backbone's,
        Vue's classes: the object), `this.get("name")` and `get(this, "name")` (Ember's
        property reads), Angular's `inject(Service)` (an instance of it)."""
        fn, args = call.child_by_field_name("function"), call.child_by_field_name("arguments")
        if fn is None or args is None or args.type != "arguments":
            return UNKNOWN
        fn = unwrap(fn)
        arguments = [a for a in args.named_children if a.type != "comment"]
        name = fn.child_by_field_name("property") if fn.type == "member_expression" else fn
        called = self.text(name) if name is not None else ""
        if called == "extend" and arguments and unwrap(arguments[-1]).type == "object":
            return Obj(unwrap(arguments[-1]))
        if called == "get" and fn.type == "member_expression" and len(arguments) == 1:
            key = self.static_string(arguments[0])
            return self.member(self.value(fn.child_by_field_name("object"), depth + 1), key, depth)
        if called == "get" and len(arguments) == 2:
            key = self.static_string(arguments[1])
            return self.member(self.value(arguments[0], depth + 1), key, depth)
        if called == "inject" and len(arguments) == 1 and arguments[0].type == "identifier":
            return self.instance(self.value(arguments[0], depth + 1))
        return UNKNOWN

    @staticmethod
    def instance(cls: Value) -> Value:
        """What `new` of a value makes: an instance of a class or constructor function; an
        exported class is its wrapper methods, and so are its instances."""
        if isinstance(cls, Cls) or isinstance(cls, Func) and cls.node.type in _CONSTRUCTORS:
            return Inst(cls.node)
        return cls if isinstance(cls, Ext) and isinstance(cls.export, dict) else UNKNOWN

    def identifier(self, node: ts.Node, depth: int) -> Value:
        name = self.text(node)
        binding = self.lookup(name, node)
        if binding is None:
            if name == "undefined":
                return UNKNOWN
            return Global(()) if name in GLOBAL_OBJECTS else Global((name,))
        return self.bound(binding, depth)

    def bound(self, binding: Binding, depth: int) -> Value:
        kind = binding.kind
        if kind == "var":
            value = self.value(binding.value, depth + 1)
            return self.member(value, binding.key, depth) if binding.key is not None else value
        if kind == "param":
            assert binding.function is not None
            return Param(binding.function, binding.index)
        if kind == "function":
            return Func(binding.node)
        if kind == "class":
            return Cls(binding.node)
        if kind == "enum":
            return Obj(binding.node)
        if kind in ("import", "require"):
            assert binding.specifier is not None and binding.key is not None
            return self.imported(binding.specifier, binding.key)
        return UNKNOWN

    def imported(self, specifier: str, name: str) -> Value:
        if specifier == sdk.CALL_IN_WINDOW:  # Google Tag Manager: require("callInWindow")
            return Global((specifier,))
        if self.linker is None:
            return UNKNOWN
        if name == "*":
            namespace = self.linker.namespace(self.path, specifier)
            return Ext(namespace) if namespace else UNKNOWN
        return _export_value(self.linker.resolve(self.path, specifier, name))

    def this(self, node: ts.Node) -> Value:
        """`this` in a class member is an instance; in an object-literal method, the object."""
        for parent in self.parents.chain(node, itself=False):
            if parent.type in CLASSES:
                return Inst(parent)
            outer = self.parents.of(parent)
            if parent.type == "object":
                if outer is not None and outer.type == "pair" and _is_actions(self, outer):
                    continue  # Ember's `actions: {...}` run with the component as `this`
                return Obj(parent)
            if parent.type in ("function_expression", "function") and outer is not None \
                    and outer.type == "assignment_expression":
                return self._prototype_this(outer)
            if parent.type in _CONSTRUCTORS and (
                outer is None
                or outer.type not in ("pair", "field_definition", "public_field_definition")
            ):
                # A plain function's `this` is whatever calls it; in a constructor, the
                # instance (`this.send = ...` in `function Tracker() {...}`).
                return Inst(parent) if self.makes_instances(parent) else UNKNOWN
        return UNKNOWN

    def _prototype_this(self, assignment: ts.Node) -> Value:
        """`this` in `F.prototype.k = function () {...}`: an instance of F."""
        left = assignment.child_by_field_name("left")
        owner = left.child_by_field_name("object") if left is not None else None
        if owner is None or owner.type != "member_expression":
            return UNKNOWN
        prop, cls = owner.child_by_field_name("property"), owner.child_by_field_name("object")
        if prop is None or cls is None or self.text(prop) != "prototype":
            return UNKNOWN
        found = self.value(cls)
        return Inst(found.node) if isinstance(found, (Func, Cls)) else UNKNOWN

    def makes_instances(self, function: ts.Node) -> bool:
        """A constructor function: one whose prototype is extended, or that `new` makes
        (named in a `new` expression of its file)."""
        known = self._constructors.get(function.id)
        if known is None:
            name = self.binding_name(function)
            known = name is not None and (
                bool(self.assigned(f"{name}.prototype")) or f"new {name}".encode() in self.data
            )
            self._constructors[function.id] = known
        return known

    def member(self, obj: Value, key: str | None, depth: int) -> Value:
        if key is None:
            return UNKNOWN
        if isinstance(obj, Global):
            if not obj.path and key in GLOBAL_OBJECTS:
                return obj
            # The SDK's own objects are not extended: their members are its API.
            sdk_own = not obj.path or obj.path[0] in _SDK_OWNERS
            written = None if sdk_own else self.assignment(self.owners(obj), key)
            return self.value(written, depth + 1) if written else Global((*obj.path, key))
        if isinstance(obj, Obj):
            found = self.object_member(obj.node, key, depth)
            written = self.assignment(self.owners(obj), key) if found is UNKNOWN else None
            return self.value(written, depth + 1) if written is not None else found
        if isinstance(obj, (Cls, Inst, Func)):
            cls = obj.cls if isinstance(obj, Inst) else obj.node
            declared = class_member(self, cls, key) if cls.type in CLASSES else None
            if declared is not None and declared.type in ("call_expression", "decorator"):
                return self.injected(declared, key, depth)  # `x = service()`, `@service x`
            if declared is None and isinstance(obj, Inst) and cls.type in CLASSES:
                typed = self.typed_member(cls, key, depth)
                if typed is not UNKNOWN:
                    return typed
            declared = declared or self.assignment(self.owners(obj), key)
            return self.value(declared, depth + 1) if declared is not None else UNKNOWN
        if isinstance(obj, Ext) and isinstance(obj.export, dict):
            inner = obj.export.get(key)
            return _export_value(inner)
        return UNKNOWN

    # -- injected services -------------------------------------------------------------------

    def injected(self, node: ts.Node, key: str, depth: int) -> Value:
        """A member that a framework injects: Ember's `tracking: service()`, `@service
        tracking` (the service module `services/tracking`), `service("user-engage")`; any
        other call or decorator is what `call_value` says."""
        call = node.named_children[0] if node.type == "decorator" and node.named_child_count \
            else node
        fn = call.child_by_field_name("function") if call.type == "call_expression" else call
        name = self.text(unwrap(fn)).rsplit(".", 1)[-1] if fn is not None else ""
        if name != "service" or self.linker is None:
            return self.value(call, depth + 1) if call.type == "call_expression" else UNKNOWN
        args = call.child_by_field_name("arguments") if call.type == "call_expression" else None
        named = [a for a in args.named_children if a.type != "comment"] if args else []
        service = self.static_string(named[0]) if named else key
        return _export_value(self.linker.service(self.path, service)) if service else UNKNOWN

    def typed_member(self, cls: ts.Node, key: str, depth: int) -> Value:
        """A member whose declared type is a class: Angular's injected services
        (`constructor(private tracking: TrackingService)`), a typed field assigned elsewhere
        (`@Inject() tracking: TrackingService`)."""
        body = cls.child_by_field_name("body")
        for member in (body.named_children if body is not None else []):
            typed: ts.Node | None = None
            if member.type in ("field_definition", "public_field_definition"):
                name = member.child_by_field_name("name") or member.child_by_field_name("property")
                typed = member if name is not None and self.text(name) == key else None
                for decorator in (c for c in member.children if c.type == "decorator"):
                    if typed is not None and self.text(decorator).startswith("@service"):
                        return self.injected(decorator, key, depth)
            elif member.type == "method_definition" and self._is_constructor(member):
                typed = next((p for p in _params(member) if self._parameter_property(p, key)),
                             None)
            annotation = typed.child_by_field_name("type") if typed is not None else None
            if annotation is not None and annotation.named_child_count:
                kind = annotation.named_children[0]
                if kind.type == "type_identifier":
                    return self.instance(self.identifier(kind, depth + 1))
        return UNKNOWN

    def _parameter_property(self, param: ts.Node, key: str) -> bool:
        """`private tracking: T` in a constructor: a parameter that is also a member."""
        pattern = _param_parts(param)[0]
        return (
            pattern is not None and self.text(pattern) == key
            and any(c.type in ("accessibility_modifier", "readonly") for c in param.children)
        )

    def _is_constructor(self, method: ts.Node) -> bool:
        name = method.child_by_field_name("name")
        return name is not None and self.text(name) == "constructor"

    # -- members assigned after their object was made ------------------------------------

    def owners(self, value: Global | Obj | Cls | Inst | Func) -> list[tuple[str, ts.Node | None]]:
        """How the file's member assignments name `value`'s members: (owner as written,
        the constructor a `this` must be in, if any). `UE.track = f` for a global or an
        object bound to `UE`; `F.prototype.track = f` and `this.track = f` in F (or in a
        class's constructor) for an instance; `F.track = f` for a function or class F."""
        if isinstance(value, Global):
            dotted = ".".join(value.path)
            return [(dotted, None), (f"window.{dotted}", None)] if dotted else []
        node = value.cls if isinstance(value, Inst) else value.node
        name = self.binding_name(node)
        if name is None:
            return []
        if isinstance(value, Inst):
            # `this.x = ` in a plain function is not an instance's member: ask only of
            # classes and constructors (a file may have thousands of `this` writes).
            constructs = node.type in CLASSES or self.makes_instances(node)
            return [(f"{name}.prototype", None)] + ([("this", node)] if constructs else [])
        return [(name, None)]

    def assignment(self, owners: list[tuple[str, ts.Node | None]], key: str) -> ts.Node | None:
        """The value first assigned to `owner.key` (or `owner["key"]`) for one of `owners`."""
        for owner, within in owners:
            for write in self.assigned(owner):
                left, right = write.child_by_field_name("left"), write.child_by_field_name("right")
                if left is None or right is None or self.member_key(left, 0) != key:
                    continue
                if within is None or self.constructed_in(write, within):
                    return right
        return None

    def assigned_members(self, value: Global | Obj | Cls | Inst | Func) -> dict[str, ts.Node]:
        """Every member assigned to `value` after it was made, by key."""
        found: dict[str, ts.Node] = {}
        for owner, within in self.owners(value):
            for write in self.assigned(owner):
                left, right = write.child_by_field_name("left"), write.child_by_field_name("right")
                key = self.member_key(left, 0) if left is not None else None
                if key and right is not None and (within is None
                                                  or self.constructed_in(write, within)):
                    found.setdefault(key, right)
        return found

    def constructed_in(self, node: ts.Node, constructor: ts.Node) -> bool:
        """Whether `this` at `node` is the instance `constructor` makes: `node` is in that
        function (not in a nested plain function), or in the constructor of that class."""
        for parent in self.parents.chain(node, itself=False):
            if parent.id == constructor.id:
                return True
            if parent.type == "method_definition":
                name = parent.child_by_field_name("name")
                if name is None or self.text(name) != "constructor":
                    return False
            elif parent.type in FUNCTIONS and parent.type != "arrow_function":
                return False
        return False

    def binding_name(self, node: ts.Node) -> str | None:
        """The name a function, class or object is declared or bound as: `function F`,
        `class C`, `const o = {...}`, `var UE = window.UE || {}`."""
        name = node.child_by_field_name("name")
        if name is not None and node.type != "object" and name.type in _BINDING_NAMES:
            return self.text(name)
        for parent in self.parents.chain(node, itself=False):
            if parent.type in TRANSPARENT or parent.type == "binary_expression":
                continue
            if parent.type == "variable_declarator":
                target = parent.child_by_field_name("name")
                return self.text(target) if target is not None and target.type == "identifier" \
                    else None
            return None
        return None

    def object_member(self, obj: ts.Node, key: str, depth: int) -> Value:
        """The value of `key` in an object literal (or a TS enum body)."""
        body = obj.child_by_field_name("body") if obj.type == "enum_declaration" else obj
        for prop in (body.named_children if body is not None else []):
            if prop.type == "method_definition":
                name = prop.child_by_field_name("name")
                if name is not None and self.text(name) == key:
                    return Func(prop)
            elif prop.type in ("pair", "enum_assignment"):
                name_node = prop.child_by_field_name("key") or prop.child_by_field_name("name")
                if name_node is not None and self.property_name(name_node) == key:
                    value = prop.child_by_field_name("value")
                    if value is not None and unwrap(value).type == "call_expression":
                        return self.injected(unwrap(value), key, depth)
                    return self.value(value, depth + 1)
            elif prop.type == "shorthand_property_identifier" and self.text(prop) == key:
                return self.identifier(prop, depth + 1)
        return UNKNOWN

    def member_key(self, node: ts.Node, depth: int) -> str | None:
        if node.type == "member_expression":
            prop = node.child_by_field_name("property")
            if prop is None or prop.type != "property_identifier":
                return None
            return self.text(prop)
        index = self.value(node.child_by_field_name("index"), depth + 1)
        return index.value if isinstance(index, Str) else None

    def property_name(self, node: ts.Node) -> str | None:
        """A property key as written: `a`, `"a"`, `["a"]`, `[KEY]` with a constant KEY."""
        if node.type in ("property_identifier", "number", "private_property_identifier"):
            return self.text(node)
        if node.type == "string":
            return self.static_string(node)
        if node.type == "computed_property_name" and node.named_child_count:
            value = self.value(node.named_children[0])
            return value.value if isinstance(value, Str) else None
        return None

    def binary(self, node: ts.Node, depth: int) -> Value:
        operator = node.child_by_field_name("operator")
        op = self.text(operator) if operator is not None else ""
        left = self.value(node.child_by_field_name("left"), depth + 1)
        if op in ("||", "??"):  # `window.userengage || function () {}`
            if left is not UNKNOWN:
                return left
            return self.value(node.child_by_field_name("right"), depth + 1)
        if op == "+":
            right = self.value(node.child_by_field_name("right"), depth + 1)
            if isinstance(left, Str) and isinstance(right, Str):
                return Str(left.value + right.value)
        return UNKNOWN

    def static_string(self, node: ts.Node | None) -> str | None:
        """A string literal, or a template literal whose substitutions are all constants."""
        if node is None:
            return None
        if node.type == "string":
            return decode_js_string(self.text(node)[1:-1])
        if node.type != "template_string":
            return None
        parts: list[str] = []
        cursor = node.start_byte + 1
        for child in node.named_children:
            if child.type != "template_substitution":
                continue
            inner = self.value(child.named_children[0]) if child.named_child_count else UNKNOWN
            if not isinstance(inner, Str):
                return None
            parts.append(self._raw_string(cursor, child.start_byte))
            parts.append(inner.value)
            cursor = child.end_byte
        parts.append(self._raw_string(cursor, node.end_byte - 1))
        return "".join(parts)

    def _raw_string(self, start: int, end: int) -> str:
        """A template literal's text between substitutions, escapes decoded."""
        return decode_js_string(self.data[start:end].decode("utf-8", "replace"))


def class_member(scope: Scope, cls: ts.Node, key: str) -> ts.Node | None:
    """A method (or a field's initialiser) named `key` in a class body."""
    body = cls.child_by_field_name("body")
    for member in (body.named_children if body is not None else []):
        if member.type == "method_definition":
            name = member.child_by_field_name("name")
            if name is not None and scope.text(name) == key:
                return member
        elif member.type in ("field_definition", "public_field_definition"):
            name = member.child_by_field_name("property") or member.child_by_field_name("name")
            if name is not None and scope.text(name) == key:
                return member.child_by_field_name("value")
    return None


def _is_actions(scope: Scope, pair: ts.Node) -> bool:
    key = pair.child_by_field_name("key")
    return key is not None and scope.property_name(key) == "actions"


def _export_value(export: Export | None) -> Value:
    if export is None:
        return UNKNOWN
    if isinstance(export, str):
        return Str(export)
    return Ext(export)


def _params(function: ts.Node) -> list[ts.Node]:
    """The formal parameters of a function-like node, in order."""
    single = function.child_by_field_name("parameter")  # `x => ...`
    if single is not None:
        return [single]
    formal = function.child_by_field_name("parameters")
    return [p for p in formal.named_children if p.type != "comment"] if formal is not None else []


def param_default(function: ts.Node, index: int) -> ts.Node | None:
    """The default value of a function's parameter: `method = "client.update"`."""
    params = _params(function)
    return _param_parts(params[index])[1] if index < len(params) else None


def _param_parts(param: ts.Node) -> tuple[ts.Node | None, ts.Node | None]:
    """(pattern, default value) of a formal parameter in JS or TS."""
    if param.type == "identifier":
        return param, None
    if param.type == "assignment_pattern":
        return param.child_by_field_name("left"), param.child_by_field_name("right")
    if param.type in ("required_parameter", "optional_parameter"):
        return param.child_by_field_name("pattern"), param.child_by_field_name("value")
    return None, None


def unwrap(node: ts.Node) -> ts.Node:
    while node.type in TRANSPARENT and node.named_child_count:
        # `<T>x` holds its type first; every other wrapper holds its expression first.
        node = node.named_children[-1 if node.type == "type_assertion" else 0]
    return node


def _string_body(text: str) -> str:
    return decode_js_string(text[1:-1]) if len(text) >= 2 and text[0] in "'\"`" else text


_ESCAPES = re.compile(r"\\(u\{[0-9a-fA-F]+\}|u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|[\s\S])")
_SIMPLE = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "v": "\v", "0": "\0"}


def decode_js_string(body: str) -> str:
    def replace(match: re.Match[str]) -> str:
        esc = match.group(1)
        if esc.startswith("u{"):
            return chr(int(esc[2:-1], 16))
        if esc[0] in "ux" and len(esc) > 1:
            return chr(int(esc[1:], 16))
        if esc in ("\n", "\r", "\u2028", "\u2029"):
            return ""  # a line continuation
        return _SIMPLE.get(esc, esc)

    return _ESCAPES.sub(replace, body) if "\\" in body else body


def wrapper_of(
    value: Value, local: dict[ts.Node, Wrapper], linker: Linker | None
) -> Wrapper | None:
    """The wrapper a callee value denotes: a local wrapper function, an imported one, or one
    that configuration declares for a global (`tracker.push`)."""
    if isinstance(value, Func):
        return local.get(value.node)
    if isinstance(value, Ext) and isinstance(value.export, Wrapper):
        return value.export
    if isinstance(value, Global) and linker is not None:
        return linker.global_wrapper(value.path)
    return None
