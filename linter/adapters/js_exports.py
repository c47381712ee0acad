"""What a JavaScript file exports that other files may call: wrappers and SDK method names.

ES module exports and re-exports, CommonJS `module.exports` and `exports.x`; a class, an
instance, an object literal or a constructor function is exported as its wrapper methods and
method-name constants, those assigned as members too (`UE.track = function ...`,
`Tracker.prototype.track = ...`, `this.track = ...` in a constructor).
"""

from __future__ import annotations

import tree_sitter as ts

from uelint import sdk
from uelint.adapters.js_scope import Cls, Func, Inst, Obj, Value, class_member, unwrap
from uelint.adapters.js_tree import JsFile
from uelint.adapters.values import UNKNOWN, Ext, Global, Str
from uelint.wrappers import Export, ModuleExports, Wrapper


class Exports:
    """The exports of one file, given the wrappers its calls revealed."""

    def __init__(self, file: JsFile, wrappers: dict[ts.Node, Wrapper]) -> None:
        self.file = file
        self.wrappers = wrappers

    def collect(self) -> ModuleExports:
        """What other files can import from this one: wrappers and string constants."""
        exports = ModuleExports()
        for stmt in self.file.root.named_children:
            if stmt.type == "export_statement":
                self._export_statement(stmt, exports)
            elif stmt.type == "expression_statement" and stmt.named_child_count:
                self._commonjs_export(stmt.named_children[0], exports)
        return exports

    def _export_statement(self, stmt: ts.Node, exports: ModuleExports) -> None:
        source = stmt.child_by_field_name("source")
        clause = next((c for c in stmt.named_children if c.type == "export_clause"), None)
        if source is not None:  # re-exports
            specifier = self.file.scope.static_string(source) or ""
            namespace = next((c for c in stmt.named_children if c.type == "namespace_export"),
                             None)
            if namespace is not None:  # export * as ns from
                exports.reexports.append((specifier, "*", self._spec_name(namespace)))
            elif clause is None:
                exports.reexports.append((specifier, "*", "*"))
            for spec in clause.named_children if clause is not None else []:
                name, alias = spec.child_by_field_name("name"), spec.child_by_field_name("alias")
                # `default as x` and `default` have no name field: the keyword stands for it.
                original = self._spec_name(name) if name is not None else (
                    "default" if spec.children and spec.children[0].type == "default" else None)
                if original is not None:
                    exported = self._spec_name(alias) if alias is not None else original
                    exports.reexports.append((specifier, original, exported))
            return
        is_default = any(c.type == "default" for c in stmt.children)
        declaration = stmt.child_by_field_name("declaration")
        value = stmt.child_by_field_name("value")
        if declaration is not None:
            if declaration.type in ("lexical_declaration", "variable_declaration"):
                for decl in declaration.named_children:
                    name = decl.child_by_field_name("name")
                    if name is not None and name.type == "identifier":
                        bound = self.file.scope.value(decl.child_by_field_name("value"))
                        self._put(exports, self.file.text(name), bound)
            else:
                name = declaration.child_by_field_name("name")
                key = "default" if is_default or name is None else self.file.text(name)
                self._put(exports, key, self.file.scope.value(declaration))
        elif value is not None:
            self._put(exports, "default", self.file.scope.value(value))
        for spec in clause.named_children if clause is not None else []:
            name, alias = spec.child_by_field_name("name"), spec.child_by_field_name("alias")
            if name is not None:
                local = self.file.text(name)
                self._put(exports, self.file.text(alias) if alias is not None else local,
                          self.file.scope.value(name))

    def _spec_name(self, node: ts.Node) -> str:
        """An export name: `track`, `"a b"` (a string name), the last of `* as ns`."""
        if node.type == "namespace_export" and node.named_child_count:
            node = node.named_children[-1]
        if node.type == "string":
            return self.file.scope.static_string(node) or ""
        return self.file.text(node)

    def _commonjs_export(self, expr: ts.Node, exports: ModuleExports) -> None:
        """`module.exports = {...}`, `module.exports = fn`, `exports.track = fn`."""
        if expr.type != "assignment_expression":
            return
        left, right = expr.child_by_field_name("left"), expr.child_by_field_name("right")
        if left is None or right is None:
            return
        target = self.file.text(left)
        if target == "module.exports":
            value = self.file.scope.value(right)
            if isinstance(value, Obj) and unwrap(right).type == "object":
                for prop in unwrap(right).named_children:  # a class, an object: a namespace
                    key, member = self._member(prop)
                    if key is not None:
                        self._put(exports, key, member)
            else:
                self._put(exports, "default", value)
        elif target.startswith(("exports.", "module.exports.")) and target.count(".") <= 2:
            self._put(exports, target.rsplit(".", 1)[1], self.file.scope.value(right))

    def _put(self, exports: ModuleExports, name: str, value: Value) -> None:
        export = self._export_of(value)
        if export is not None:
            exports.names[name] = export

    def _export_of(self, value: Value) -> Export | None:
        if isinstance(value, Func):
            own = self.wrappers.get(value.node)
            return own if own is not None else self._assigned(value, Inst(value.node)) or None
        if isinstance(value, Ext):
            return value.export
        if isinstance(value, (Cls, Inst, Obj)):
            members = self._members(value)
            return members or None
        if isinstance(value, Global) and value.path:
            return self._assigned(value) or None
        return self._member_of(value)

    def _assigned(self, *values: Global | Obj | Cls | Inst | Func) -> dict[str, Wrapper | str]:
        """Wrappers and method names assigned as members: `UE.track = function ...`,
        `F.prototype.track = ...`, `this.track = ...` in the constructor F."""
        members: dict[str, Wrapper | str] = {}
        for value in values:
            for key, node in self.file.scope.assigned_members(value).items():
                export = self._member_of(self.file.scope.value(node))
                if export is not None:
                    members.setdefault(key, export)
        return members

    def _member_of(self, value: Value) -> Wrapper | str | None:
        """A member that matters: a wrapper or a method name, never a namespace (which
        could hold itself: `F.prototype.constructor = F`, `UE.self = UE`)."""
        if isinstance(value, Str):
            return value.value if sdk.METHOD_NAME.match(value.value) else None
        if isinstance(value, Func):
            return self.wrappers.get(value.node)
        if isinstance(value, Ext) and isinstance(value.export, (Wrapper, str)):
            return value.export
        return None

    def _members(self, value: Cls | Inst | Obj) -> dict[str, Wrapper | str]:
        """The wrappers and SDK method names among an object's or a class's members."""
        members: dict[str, Wrapper | str] = {}
        if isinstance(value, Obj):
            obj = value.node
            body = obj.child_by_field_name("body") if obj.type == "enum_declaration" else obj
            for prop in body.named_children if body is not None else []:
                key, member = self._member(prop)
                export = self._member_of(member) if key is not None else None
                if key is not None and export is not None:
                    members[key] = export
            return self._assigned(value) | members
        cls = value.node if isinstance(value, Cls) else value.cls
        name = cls.child_by_field_name("name")
        for wrapper in self.wrappers.values():
            owner, _, method = wrapper.name.rpartition(".")
            if (
                name is not None and owner == self.file.text(name)
                and class_member(self.file.scope, cls, method) is not None
            ):
                members[method] = wrapper
        return self._assigned(value if isinstance(value, Inst) else Inst(cls)) | members

    def _member(self, prop: ts.Node) -> tuple[str | None, Value]:
        """(key, value) of one member of an object literal or enum body."""
        if prop.type == "method_definition":
            name = prop.child_by_field_name("name")
            return (self.file.text(name) if name is not None else None), Func(prop)
        if prop.type == "shorthand_property_identifier":
            return self.file.text(prop), self.file.scope.identifier(prop, 0)
        if prop.type in ("pair", "enum_assignment"):
            key = prop.child_by_field_name("key") or prop.child_by_field_name("name")
            return (self.file.scope.property_name(key) if key is not None else None,
                    self.file.scope.value(prop.child_by_field_name("value")))
        return None, UNKNOWN
