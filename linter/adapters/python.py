"""The Python adapter, on libcst: in-browser Python (PyScript / Pyodide).

In the browser, `from js import window` (or `import js`, `from pyscript import window`) gives
Python code the page's globals, so the SDK is reached as `window.userengage(...)`,
`js.UE.pageHit(...)` or `window.civchat = to_js({...})`. One visitor pass (`py_collect`)
records calls, namespaces and bindings; `py_scope` tells what each callee, method name and
payload denotes. Tracking calls are then found in rounds over the recorded calls, as in the
JavaScript adapter: direct SDK calls (through aliases such as `ue = window.userengage` too),
then calls to the wrappers those reveal (functions whose parameters flow into a tracking
call), until no new wrapper appears.

libcst is thorough but fragile on hostile input (see stack-facts.md): deep nesting can
overflow the native stack and kill the process, and deep trees make visitors raise
RecursionError. A byte-level nesting check runs before parsing, and every failure becomes a
`FileError`, so one file never takes the run down.
"""

from __future__ import annotations

import ast
import io
import re
import sys
import tokenize
import warnings
from collections.abc import Callable, Sequence
from dataclasses import replace

import libcst as cst
from libcst.metadata import MetadataWrapper, PositionProvider

from uelint import sdk
from uelint.adapters import AdapterResult, py_reduce
from uelint.adapters.inference import MAX_ROUNDS, Inference
from uelint.adapters.inference import Site as CallSite
from uelint.adapters.py_collect import (
    Assignment,
    Collector,
    Site,
    Write,
    callee_text,
    positional,
    unconverted,
)
from uelint.adapters.py_scope import (
    SHADOWED,
    Binding,
    Cls,
    Func,
    Inst,
    Mod,
    Namespace,
    Pos,
    Resolver,
    Value,
    wrapper_of,
)
from uelint.adapters.py_values import ir_value
from uelint.adapters.values import UNKNOWN, Ext, Global, Param, PayloadParts, Str
from uelint.diagnostic import FileError
from uelint.ir import (
    Entry,
    Handler,
    HandlerKind,
    Payload,
    Span,
    TrackingCall,
)
from uelint.ir import Value as IRValue
from uelint.source import SourceText
from uelint.wrappers import Export, Linker, ModuleExports, Wrapper

_STRINGS = (cst.SimpleString, cst.ConcatenatedString, cst.FormattedString)
_MAX_PAYLOAD_DEPTH = 6
_END: Pos = (sys.maxsize, 0)  # after every line: the module's final bindings

# Bracket nesting beyond which the file is not parsed. The visitor already fails near 150
# (RecursionError at the default limit); libcst's native parser crashes the process near
# 1500 and spends seconds on a few hundred, so 200 costs nothing on real code.
MAX_NESTING = 200
# Operators chained in one statement beyond which the file is not parsed: libcst's parser is
# quadratic in a chain (2,000 terms 0.7 s, 3,000 1.5 s, 50,000 minutes) and crashes on long
# ones; real statements stay far below.
MAX_CHAIN = 2_000
_CHAIN_TOKENS = re.compile(
    rb"\n|[,;()\[\]{}]|\*\*|//|<<|>>|[-+*/%&|^<>@~]|\b(?:and|or|not|lambda|if|else|in|is)\b"
)
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"()[]{}")
_OPENERS = frozenset(b"([{")
# Comments and string literals, whose brackets do not nest (a cheap approximation).
_INERT = re.compile(
    rb'#[^\r\n]*|"""(?:[^"\\]|\\.|"(?!""))*"""|'
    rb"'''(?:[^'\\]|\\.|'(?!''))*'''|"
    rb'"(?:[^"\\\r\n]|\\.)*"|'
    rb"'(?:[^'\\\r\n]|\\.)*'",
    re.DOTALL,
)


def extract(
    source: SourceText, path: str, language: str, linker: Linker | None = None
) -> AdapterResult:
    try:
        return _extract(source, path, linker)
    except RecursionError:
        return _failed(
            path, "parse",
            "the file nests too deeply (or chains too many operators or string pieces in one "
            "expression) to be analysed safely; no tracking calls were read from it",
        )
    except Exception as exc:  # noqa: BLE001 - an adapter bug must cost one file, not the run
        return _failed(path, "internal", f"Python adapter failed: {type(exc).__name__}: {exc}")


def _extract(source: SourceText, path: str, linker: Linker | None) -> AdapterResult:
    # What libcst's parser would take minutes over, or crash on: refused before it sees it.
    depth, chain = _nesting_depth(source.data), 0
    if depth <= MAX_NESTING:
        chain = _longest_chain(source.data)
    if depth > MAX_NESTING or chain > MAX_CHAIN:
        what = (f"brackets nest {depth} levels deep (limit {MAX_NESTING}): too deeply nested"
                if depth > MAX_NESTING else
                f"one expression chains {chain} operators (limit {MAX_CHAIN}): too long")
        return _failed(path, "parse", f"{what} to be analysed safely; no tracking calls were "
                                      "read from this file")
    decoded = _decode(source, path)
    if isinstance(decoded, FileError):
        return AdapterResult((), (decoded,))
    text, encoding = decoded
    locator = _Locator(source, text, encoding)
    words = {*sdk.TRIGGERS, *(linker.names() if linker is not None else ())}
    reduced = py_reduce.reduce(text, words)
    original_line = reduced.original_line

    def offset(line: int, col: int) -> int:  # of a position in the text libcst parsed
        return locator.offset(original_line(line), col)

    try:
        module = cst.parse_module(reduced.text)
    except cst.ParserSyntaxError as exc:
        return AdapterResult((), (_syntax_error(exc, text, path, source, offset),))
    positions = MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
    collector = Collector(source, positions, module, offset, path)
    module.visit(collector)
    analysis = _Analysis(collector, path, linker)
    return AdapterResult(analysis.tracking_calls(), (), analysis.exports() or None)


def _failed(path: str, kind: str, message: str, span: Span | None = None) -> AdapterResult:
    return AdapterResult((), (FileError(path, kind, message, span),))


# -- before parsing ----------------------------------------------------------------------


def _nesting_depth(data: bytes) -> int:
    """Maximum bracket depth, ignoring brackets in strings and comments."""
    if sum(data.count(c) for c in b"([{") <= MAX_NESTING:
        return 0  # cannot be deeper than the number of openers
    depth = _bracket_depth(data)
    # Strings such as ":(" inflate the raw count: strip them only when it matters.
    return _bracket_depth(_INERT.sub(b"", data)) if depth > MAX_NESTING else depth


def _longest_chain(data: bytes) -> int:
    """The most operators in one expression (between commas, or in a statement: a line
    outside brackets), strings and comments aside; cheap when the whole file has fewer
    tokens than the limit."""
    if len(_CHAIN_TOKENS.findall(data)) <= MAX_CHAIN:
        return 0
    depth = count = longest = 0
    for token in _CHAIN_TOKENS.findall(_INERT.sub(b"", data)):
        if token in (b"(", b"[", b"{"):
            depth += 1
        elif token in (b")", b"]", b"}"):
            depth = max(depth - 1, 0)
        elif token in (b",", b";") or token == b"\n" and depth == 0:
            count = 0
        elif token != b"\n":
            count += 1
            longest = max(longest, count)
    return longest


def _bracket_depth(data: bytes) -> int:
    depth = deepest = 0
    for byte in data.translate(None, _NOT_BRACKETS):
        if byte in _OPENERS:
            depth += 1
            deepest = max(deepest, depth)
        elif depth:
            depth -= 1
    return deepest


def _decode(source: SourceText, path: str) -> tuple[str, str] | FileError:
    """The text and its encoding (UTF-8, or what a PEP 263 coding cookie says)."""
    data = source.data
    problem = None
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError as exc:  # an unknown or contradictory cookie, or undecodable bytes
        encoding, problem = "utf-8", str(exc)
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        start = exc.start + (3 if encoding == "utf-8-sig" else 0)  # offsets skip the BOM
        span = source.span(start, min(start + 1, len(data)))
        return FileError(
            path, "decode",
            f"not valid {encoding} text: byte 0x{data[start]:02x} at "
            f"{span.start_line}:{span.start_col} ({exc.reason}); declare the encoding with a "
            "PEP 263 coding comment if the file is not UTF-8",
            span,
        )
    if problem is not None:
        return FileError(path, "decode", f"cannot decode the file: {problem}")
    return text, encoding


def _syntax_error(
    exc: cst.ParserSyntaxError, text: str, path: str, source: SourceText,
    libcst_offset: Callable[[int, int], int],
) -> FileError:
    # libcst's error positions are often a line off; CPython's parser locates errors well.
    try:
        with warnings.catch_warnings():  # "invalid escape sequence" must not reach stderr
            warnings.simplefilter("ignore")
            ast.parse(text)
    except SyntaxError as py_exc:  # reduce() could not parse it either: libcst had all of `text`
        line, col, message = py_exc.lineno or 1, (py_exc.offset or 1) - 1, py_exc.msg
        kind = "syntax"
    except (ValueError, MemoryError, RecursionError):  # null bytes, hostile input
        line, col, message, kind = exc.raw_line, exc.raw_column, exc.message, "syntax"
    else:  # valid for this interpreter, yet libcst rejects it
        line, col, message, kind = exc.raw_line, exc.raw_column, exc.message, "parse"
    offset = libcst_offset(line, col)
    span = source.span(offset, offset)
    if kind == "parse":
        detail = f"libcst cannot parse this (valid) Python at {span.start_line}:{span.start_col}"
    else:
        detail = f"invalid Python syntax at {span.start_line}:{span.start_col}"
    return FileError(
        path, kind, f"{detail}: {message}; no tracking calls were read from this file", span
    )


class _Locator:
    """Byte offsets of libcst positions (1-based line, 0-based code-point column).

    SourceText does the work for plain UTF-8; libcst also breaks lines at a lone CR and does
    not count a BOM, and a coding cookie changes how characters map to bytes.
    """

    def __init__(self, source: SourceText, text: str, encoding: str) -> None:
        self.source = source
        data = source.data
        self.simple = encoding == "utf-8" and data.count(b"\r") == data.count(b"\r\n")
        self.codec = "utf-8" if encoding == "utf-8-sig" else encoding
        self.lines: list[str] = []
        self.starts: list[int] = []
        if not self.simple:
            start = 3 if encoding == "utf-8-sig" else 0
            for line in re.split(r"(?<=\r\n)|(?<=\r)(?!\n)|(?<=\n)", text):
                self.lines.append(line)
                self.starts.append(start)
                start += len(line.encode(self.codec, "replace"))

    def offset(self, line: int, col: int) -> int:
        if self.simple:
            return self.source.offset(min(max(line, 1), self.source.line_count), col)
        index = min(max(line, 1), len(self.lines)) - 1
        return self.starts[index] + len(self.lines[index][:col].encode(self.codec, "replace"))


# -- resolution ----------------------------------------------------------------------------


_PayloadInfo = PayloadParts[Param[Namespace]]


class _Opaque:
    """An argument that is passed, but where it is cannot be told (`*args`, `**kwargs`)."""


_OPAQUE = _Opaque()


class _Analysis:
    """One file after the visit: its tracking calls, wrappers and exports."""

    def __init__(self, collector: Collector, path: str, linker: Linker | None) -> None:
        self.c = collector
        self.path = path
        self.resolver = Resolver(
            collector.module, collector.positions, path, linker, collector.star_imports,
            collector.lambdas,
        )
        self.inference = Inference(path, _Functions(self))
        self.wrappers = self.inference.wrappers
        # Memos: a dict built in many steps and sent many times must not cost quadratic time.
        self._entries: dict[tuple[cst.CSTNode, cst.CSTNode], Entry | None] = {}
        self._written: dict[Write, Binding | None] = {}

    def value(self, node: cst.BaseExpression | None, ns: Namespace) -> Value:
        return self.resolver.value(node, ns)

    def ir_value(self, node: cst.BaseExpression, ns: Namespace) -> IRValue:
        def constant(name: cst.BaseExpression) -> str | None:
            found = self.value(name, ns)
            return found.value if isinstance(found, Str) else None

        return ir_value(node, constant)

    def span(self, node: cst.CSTNode, end_node: cst.CSTNode | None = None) -> Span:
        return self.c.span(node, end_node)

    # -- finding calls -------------------------------------------------------------------

    def tracking_calls(self) -> tuple[TrackingCall, ...]:
        found: dict[cst.CSTNode, TrackingCall] = {}  # by call (or assignment target)
        for site in self.c.sites:
            site.callee = self.value(site.node.func, site.ns)
            call = self.sdk_call(site)
            if call is not None:
                found[site.node] = call
        for assignment in self.c.assignments:
            call = self.civchat(assignment)
            if call is not None:
                found[assignment.target] = call

        done: set[cst.CSTNode] = set(found)
        for _ in range(MAX_ROUNDS):  # wrappers of wrappers, until nothing new
            known = len(self.wrappers)
            for site in self.c.sites:
                wrapper = wrapper_of(site.callee, self.wrappers) if site.node not in done else None
                if wrapper is None:
                    continue
                done.add(site.node)
                call = self.wrapper_call(site, wrapper)
                if call is not None:
                    found[site.node] = call
            if len(self.wrappers) == known:
                break
        calls = sorted([*found.values(), *self.c.in_strings], key=lambda c: c.span.start_byte)
        if self.c.registered:
            calls = [replace(c, handlers=tuple(map(self.as_listener, c.handlers))) for c in calls]
        return tuple(calls)

    def sdk_call(self, site: Site) -> TrackingCall | None:
        """`userengage(...)` however it is reached, `UE.pageHit(...)`, `UE.resetAuth(...)`."""
        callee = site.callee
        if not isinstance(callee, Global):
            return None
        args = positional(site.node.args)
        method: Value
        method_node = None
        if callee.path == (sdk.DISPATCH,):
            method = self.value(args[0], site.ns) if args else UNKNOWN
            payload = args[1] if len(args) > 1 else None
            method_node = args[0] if args else None
        elif callee.path in sdk.IDENTITY:
            method, payload = Str(sdk.IDENTITY[callee.path]), args[0] if args else None
        else:
            return None
        at = self.c.start(site.node)
        info = self.payload_info(payload, site.ns, at) if payload is not None else None
        span = self.span(payload) if payload is not None else None
        return self.track(site, method, info, span, method_node=method_node)

    def wrapper_call(self, site: Site, wrapper: Wrapper) -> TrackingCall | None:
        args = site.node.args
        # `Cls.m(self, …)`: the arguments are shifted by one.
        shift = 1 if isinstance(site.callee, Func) and site.callee.unbound else 0

        def argument(index: int) -> Value | None:
            arg = _argument(args, index, wrapper.params, shift)
            if isinstance(arg, _Opaque):
                return UNKNOWN
            return self.value(arg, site.ns) if arg is not None else None

        method: Value = self.inference.method(wrapper, argument)
        info, span = None, None
        index = wrapper.payload_param
        at = self.c.start(site.node)
        if index is not None and index < len(wrapper.params) and wrapper.params[index][:2] == "**":
            info, span = self.kwargs_info(args, wrapper.params, site.ns, at), self.span(site.node)
        elif index is not None:
            arg = _argument(args, index, wrapper.params, shift)
            if isinstance(arg, _Opaque):
                span = self.span(site.node)
            elif arg is not None:
                info, span = self.payload_info(arg, site.ns, at), self.span(arg)
        method_arg = None
        if wrapper.api_param is not None:
            method_arg = _argument(args, wrapper.api_param, wrapper.params, shift)
        method_node = method_arg if isinstance(method_arg, cst.BaseExpression) else None
        return self.track(site, method, info, span, wrapper, method_node)

    def track(
        self, site: Site, method: Value, info: _PayloadInfo | None, payload_span: Span | None,
        wrapper: Wrapper | None = None, method_node: cst.BaseExpression | None = None,
    ) -> TrackingCall | None:
        where = CallSite(
            self.span(site.node), callee_text(site.node.func), site.ns.function(),
            self.c.handlers(site.scopes),
        )
        call = self.inference.track(
            where, method, info, payload_span, lambda: self._awaited_before(site), wrapper
        )
        name_span = self.literal_span(method_node)
        return replace(call, method_span=name_span) if call and name_span else call

    def literal_span(self, node: cst.BaseExpression | None) -> Span | None:
        """The text between the quotes of a plain string literal (no prefix, no escapes)."""
        if not isinstance(node, cst.SimpleString) or node.prefix or "\\" in node.value:
            return None
        quote = len(node.quote)
        span = self.span(node)
        return self.c.source.span(span.start_byte + quote, span.end_byte - quote)

    def _awaited_before(self, site: Site) -> tuple[str, ...]:
        """The calls awaited earlier in the function that makes this call (auth results)."""
        fn = site.ns.function()
        at = self.c.start(site.node)
        return tuple(text for pos, text in self.c.awaits.get(fn, ()) if pos < at) if fn else ()

    # -- payloads ------------------------------------------------------------------------

    def payload_info(
        self, node: cst.BaseExpression, ns: Namespace, at: Pos, depth: int = 0
    ) -> _PayloadInfo | None:
        """The keys of a payload expression, with where each key is written. None when the
        expression is not a dict this file can see at all. `at` is where it is sent: later
        writes do not count."""
        node = unconverted(node)
        if depth > _MAX_PAYLOAD_DEPTH:
            return _PayloadInfo(complete=False)
        if isinstance(node, cst.Dict):
            return self.dict_info(node, ns, at, depth)
        if isinstance(node, cst.Call):
            return self.call_info(node, ns, at, depth)
        if (
            isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.BitOr)
            or isinstance(node, cst.BooleanOperation) and isinstance(node.operator, cst.Or)
        ):
            info = _PayloadInfo()  # `base | {"k": v}`; `data or {}` may send either side
            info.merge(self.payload_info(node.left, ns, at, depth + 1))
            info.merge(self.payload_info(node.right, ns, at, depth + 1))
            return info
        if not isinstance(node, cst.Name):
            return None
        binding = self.resolver.lookup(node.value, ns, self.c.start(node))
        if binding is None or binding is SHADOWED:
            return None
        if binding.kind == "param" and binding.ns is not None:
            info = _PayloadInfo(params=[Param(binding.ns, binding.index)])
        elif binding.kind == "value" and binding.node is not None and binding.ns is not None:
            found = self.payload_info(binding.node, binding.ns, at, depth + 1)
            if found is None:
                return None
            info = found
        else:
            return None
        self._later_writes(node.value, binding, at, info, depth)
        return info

    def dict_info(self, node: cst.Dict, ns: Namespace, at: Pos, depth: int) -> _PayloadInfo:
        info = _PayloadInfo()
        for element in node.elements:
            if not isinstance(element, cst.DictElement):  # {**base, ...}
                info.merge(self.payload_info(element.value, ns, at, depth + 1))
                continue
            entry = self.entry(element.key, element.value, ns)
            if entry is not None:
                info.entries.append(entry)
            elif not _is_plain_literal(element.key):  # a name or an expression
                info.complete = False
        return info

    def call_info(
        self, node: cst.Call, ns: Namespace, at: Pos, depth: int
    ) -> _PayloadInfo | None:
        """`dict(base, k=v)`, `base.copy()`, `copy.deepcopy(base)`, `js.Object.new()`."""
        func = self.value(node.func, ns)
        args = positional(node.args)
        if func == Global(("dict",)):
            return self.arguments_info(node.args, ns, at, depth)
        if func == Global(("Object", "new")) and not node.args:
            return _PayloadInfo()
        copied = None
        method = node.func
        if isinstance(method, cst.Attribute) and method.attr.value == "copy" and not node.args:
            copied = method.value
        elif isinstance(func, Mod) and func.specifier in ("copy.copy", "copy.deepcopy") and args:
            copied = args[0]
        return self.payload_info(copied, ns, at, depth + 1) if copied is not None else None

    def arguments_info(
        self, args: Sequence[cst.Arg], ns: Namespace, at: Pos, depth: int,
        skip: frozenset[str] = frozenset(),
    ) -> _PayloadInfo:
        """The keys that `dict(...)` or `d.update(...)` arguments give; keywords in `skip`
        are a wrapper's own parameters."""
        info = _PayloadInfo()
        for arg in args:
            if arg.keyword is not None:
                if arg.keyword.value not in skip:
                    info.entries.append(Entry(
                        arg.keyword.value, self.span(arg.keyword),
                        self.ir_value(arg.value, ns), "kwarg",
                    ))
            elif arg.star == "*":
                info.complete = False
            else:  # a mapping, or `**mapping`
                info.merge(self.payload_info(arg.value, ns, at, depth + 1))
        return info

    def kwargs_info(
        self, args: Sequence[cst.Arg], params: tuple[str, ...], ns: Namespace, at: Pos
    ) -> _PayloadInfo:
        """`track("client.update", user_id=1)` to `def track(method, **attrs)`."""
        keywords = [a for a in args if a.keyword is not None or a.star == "**"]
        return self.arguments_info(keywords, ns, at, 0, frozenset(params))

    def entry(
        self, key: cst.BaseExpression, value: cst.BaseExpression, ns: Namespace
    ) -> Entry | None:
        memo = (key, value)
        if memo not in self._entries:
            self._entries[memo] = self._entry(key, value, ns)
        return self._entries[memo]

    def _entry(
        self, key: cst.BaseExpression, value: cst.BaseExpression, ns: Namespace
    ) -> Entry | None:
        if isinstance(key, _STRINGS):
            name, origin = self.resolver.string(key, ns), "quoted"
        else:
            found = self.value(key, ns)  # a constant: {USER_ID: uid}
            name, origin = (found.value if isinstance(found, Str) else None), "computed"
        if name is None:
            return None
        return Entry(name, self.span(key), self.ir_value(value, ns), origin)

    def _later_writes(
        self, name: str, binding: Binding, at: Pos, info: _PayloadInfo, depth: int
    ) -> None:
        """`d["k"] = v`, `d.update(...)`, `del d["k"]`... between the binding and `at`, on
        the same binding, in source order."""
        for write in self.c.writes.get(name, ()):
            if binding.at <= write.at < at and self._written_binding(name, write) is binding:
                self._apply(write, info, at, depth)

    def _written_binding(self, name: str, write: Write) -> Binding | None:
        if write not in self._written:
            self._written[write] = self.resolver.lookup(name, write.ns, write.at)
        return self._written[write]

    def _apply(self, write: Write, info: _PayloadInfo, at: Pos, depth: int) -> None:
        kind, node, ns = write.kind, write.node, write.ns
        if kind == "attr" and isinstance(node, cst.Name) and write.value is not None:
            memo = (node, write.value)
            entry = self._entries.get(memo)
            if entry is None:
                entry = Entry(node.value, self.span(node), self.ir_value(write.value, ns),
                              "assignment")
                self._entries[memo] = entry
            info.entries.append(entry)
        elif kind == "set" and isinstance(node, cst.BaseExpression) and write.value is not None:
            info.add(self.entry(node, write.value, ns))
        elif kind == "merge" and isinstance(node, cst.BaseExpression):
            info.merge(self.payload_info(node, ns, at, depth + 1))
        elif isinstance(node, cst.Call):
            args = positional(node.args)
            if kind == "update":
                info.merge(self.arguments_info(node.args, ns, at, depth))
            elif kind == "setdefault" and len(args) == 2:
                info.add(self.entry(args[0], args[1], ns))
            elif kind == "pop" and args:
                self._remove(info, args[0], ns)
        elif kind == "del" and isinstance(node, cst.BaseExpression):
            self._remove(info, node, ns)

    def _remove(self, info: _PayloadInfo, key: cst.BaseExpression, ns: Namespace) -> None:
        """`del d["k"]`, `d.pop("k")`: the key is not sent; an unknown key may be any."""
        found = self.value(key, ns)
        if isinstance(found, Str):
            info.entries = [e for e in info.entries if e.key != found.value]
        else:
            info.entries, info.complete = [], False

    # -- civchat -------------------------------------------------------------------------

    def civchat(self, assignment: Assignment) -> TrackingCall | None:
        """`window.civchat = {...}`, `window.civchat.user_id = x`, `window.civchat["k"] = x`."""
        target, value, ns = assignment.target, assignment.value, assignment.ns
        at = self.c.start(target)
        if isinstance(target, cst.Attribute) and target.attr.value == sdk.CONFIG:
            if self.value(target.value, ns) != Global(()):
                return None
            info = self.payload_info(value, ns, at)
            return TrackingCall(
                api=sdk.CIVCHAT, span=self.span(target, value), callee=callee_text(target),
                payload=(
                    Payload(tuple(info.entries), self.span(value), info.complete) if info else None
                ),
                handlers=self.c.handlers(assignment.scopes),
            )
        owner = target.value if isinstance(target, (cst.Attribute, cst.Subscript)) else None
        if owner is None or self.value(owner, ns) != Global((sdk.CONFIG,)):
            return None
        if isinstance(owner, cst.Name) and self.resolver.lookup(owner.value, ns, at) is None:
            return None  # a bare `civchat` is a Python variable
        entry: Entry | None = None
        if isinstance(target, cst.Attribute):
            entry = Entry(target.attr.value, self.span(target.attr), self.ir_value(value, ns),
                          "assignment")
        elif isinstance(target, cst.Subscript) and len(target.slice) == 1:
            key = target.slice[0].slice
            entry = self.entry(key.value, value, ns) if isinstance(key, cst.Index) else None
        if entry is None:
            return None
        span = self.span(target, value)
        return TrackingCall(
            api=sdk.CIVCHAT, span=span, callee=callee_text(owner),
            payload=Payload((entry,), span, complete=False),  # other keys are set elsewhere
            handlers=self.c.handlers(assignment.scopes),
        )

    # -- listeners -----------------------------------------------------------------------

    def as_listener(self, handler: Handler) -> Handler:
        """A named function registered as a listener (`addEventListener("submit", fn)`)."""
        listener = self.c.registered.get(handler.name or "")
        if listener is None or handler.kind not in (HandlerKind.FUNCTION, HandlerKind.METHOD):
            return handler
        if handler.event is not None:
            return handler
        return replace(
            handler, kind=HandlerKind.LISTENER, event=listener.event, target=listener.target
        )

    # -- exports -------------------------------------------------------------------------

    def exports(self) -> ModuleExports:
        """What other files can import from this one: wrappers and SDK method constants,
        alone or as members of classes and instances."""
        exports = ModuleExports()
        module = self.c.module
        for name in module.bindings:
            binding = self.resolver.lookup(name, module, _END)
            if binding is not None and binding is not SHADOWED:
                export = self._export_of(self.resolver.bound(binding))
                if export is not None:
                    exports.names[name] = export
        exports.reexports += [(specifier, "*", "*") for specifier in self.c.star_imports]
        return exports

    def _export_of(self, value: Value) -> Export | None:
        if isinstance(value, (Cls, Inst)):
            return self._members(value.ns if isinstance(value, Cls) else value.cls) or None
        if isinstance(value, Ext):
            return value.export
        return self._member(value)

    def _member(self, value: Value) -> Wrapper | str | None:
        """A wrapper or an SDK method name (what a class's members may export)."""
        if isinstance(value, Str):
            return value.value if sdk.METHOD_NAME.match(value.value) else None
        if isinstance(value, Func):
            return self.wrappers.get(value.ns)
        if isinstance(value, Ext) and isinstance(value.export, (Wrapper, str)):
            return value.export
        return None

    def _members(self, cls: Namespace) -> dict[str, Wrapper | str]:
        """A class's wrapper methods and SDK method constants, inherited ones included."""
        members: dict[str, Wrapper | str] = {}
        for owner in reversed(self.resolver.lineage(cls)):  # bases first: subclasses override
            if isinstance(owner, Ext):
                if isinstance(owner.export, dict):
                    members.update(owner.export)
                continue
            for name, bindings in owner.bindings.items():
                member = self._member(self.resolver.bound(bindings[-1]))
                if member is not None:
                    members[name] = member
        return members


class _Functions:
    """The facts about a file's functions that wrapper inference asks for."""

    def __init__(self, analysis: _Analysis) -> None:
        self.analysis = analysis

    def name(self, function: Namespace) -> str | None:
        """How code calls a function: "track", "Tracker.push"."""
        if function.name is None:
            return None
        owner = function.owner()
        return f"{owner.name}.{function.name}" if owner is not None else function.name

    def span(self, function: Namespace) -> Span:
        return self.analysis.span(function.node)

    def params(self, function: Namespace) -> tuple[str, ...]:
        return function.params

    def default(self, param: Param[Namespace]) -> str | None:
        function = param.function
        if param.index not in function.defaults:
            return None
        found = self.analysis.value(function.defaults[param.index], function.parent or function)
        return found.value if isinstance(found, Str) else None

    def inside(self, function: Namespace, outer: Namespace) -> bool:
        return function.inside(outer)


def _argument(
    args: Sequence[cst.Arg], index: int, params: tuple[str, ...], shift: int
) -> cst.BaseExpression | _Opaque | None:
    """The argument a call passes for parameter `index` (by position, or by keyword when the
    parameter names are known); None when it is not passed (its default applies)."""
    name = params[index] if index < len(params) else None
    by_position = not any(p[:1] == "*" for p in params[: index + 1])
    wanted, seen = index + shift, 0
    for arg in args:
        if arg.keyword is not None:
            if arg.keyword.value == name:
                return arg.value
        elif arg.star == "*":
            if by_position:
                return _OPAQUE  # the positions from here on are unknown
        elif not arg.star:
            if by_position and seen == wanted:
                return arg.value
            seen += 1
    return _OPAQUE if any(arg.star == "**" for arg in args) else None


# -- values ----------------------------------------------------------------------------------


def _is_plain_literal(node: cst.BaseExpression) -> bool:
    """A number, bool or None key: harmless, it cannot name an attribute."""
    if isinstance(node, (cst.Integer, cst.Float, cst.Imaginary)):
        return True
    return isinstance(node, cst.Name) and node.value in ("True", "False", "None")
