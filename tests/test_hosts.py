"""JavaScript where it lives: HTML, server templates, Vue and Svelte components, strings.

The annotated fixtures under tests/fixtures/<format>/ say which findings each host file has
(test_fixtures.py); these tests check that findings are located in the original file, that
broken templates and scripts cost only themselves, and the pieces underneath.
"""

from __future__ import annotations

import random
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from identify import identify

from tests.test_cli import write
from uelint import engine, languages, plugins
from uelint.adapters import templates
from uelint.discover import SourceFile, discover
from uelint.rule import Rule
from uelint.source import SourceText

FIXTURES = Path(__file__).parent / "fixtures"
HOSTS = ("html", "jinja", "php", "blade", "smarty", "erb", "vue", "svelte", "strings")
_HOST_FILES = sorted(p for h in HOSTS for p in (FIXTURES / h).iterdir() if languages.by_suffix(p))


@pytest.fixture(scope="module")
def rules() -> list[Rule]:
    return list(plugins.load(autoload=False).rules.values())


def check(path: Path, rules: list[Rule]) -> engine.Analysis:
    source = SourceFile(str(path), languages.by_suffix(path), True)
    return engine.check_file(source, rules, path.name)


def check_text(name: str, text: str, rules: list[Rule]) -> engine.Analysis:
    language = languages.by_suffix(Path(name))
    assert language is not None
    return engine.check_source(text.encode(), language, rules, name)


def test_every_host_format_has_fixtures() -> None:
    host_languages = {languages.by_suffix(p) for p in _HOST_FILES}
    assert {
        languages.HTML, languages.JINJA, languages.PHP, languages.BLADE, languages.SMARTY,
        languages.ERB, languages.EJS, languages.VUE, languages.SVELTE, languages.JAVASCRIPT,
        languages.PYTHON,
    } <= host_languages


@pytest.mark.parametrize("path", _HOST_FILES, ids=lambda p: p.relative_to(FIXTURES).as_posix())
def test_locations_are_those_of_the_original_file(path: Path, rules: list[Rule]) -> None:
    """Line and UTF-16 column of every finding, recomputed from the original text, point
    at what the finding names, also behind non-ASCII text and masked template tags."""
    outcome = check(path, rules)
    data = path.read_bytes()
    lines = data.decode("utf-8").split("\n")
    assert outcome.diagnostics
    after_non_ascii = 0
    for d in outcome.diagnostics:
        line = lines[d.span.start_line - 1]
        line_start = sum(len(text.encode()) + 1 for text in lines[: d.span.start_line - 1])
        before = data[line_start : d.span.start_byte].decode("utf-8")
        assert "\n" not in before
        assert len(before.encode("utf-16-le")) // 2 + 1 == d.span.start_col, d
        written = data[d.span.start_byte : d.span.end_byte].decode("utf-8")
        assert line[len(before) :].startswith(written.split("\n")[0])
        if d.code in ("UE001", "UE003"):  # the key as written: `user_id`, "user_id", \"user_id\"
            assert re.fullmatch(r'(\\?["\']|&quot;)?\w+(\\?["\']|&quot;)?', written), written
        else:
            assert re.match(r"(window\.)?(userengage|UE\.|\w+\()", written), written
        after_non_ascii += not before.isascii()
    assert after_non_ascii, "each host fixture has a finding behind emoji or CJK text"


# -- broken input costs only itself ----------------------------------------------------------

_AFTER = 'userengage("client.update", { user_id: 1 });'


@pytest.mark.parametrize(("name", "text", "error_line"), [
    ("a.j2", "<script>var a = {{ user.id ;\n" + _AFTER + "</script>", 1),
    ("a.j2", "<script>{% if x \n" + _AFTER + "</script>", 1),
    ("a.twig", "<script>{# no end\n" + _AFTER + "</script>", 1),
    ("a.blade.php", "<script>@if($a\n" + _AFTER + "</script>", 1),
    ("a.blade.php", "<script>{!! $raw\n" + _AFTER + "</script>", 1),
    ("a.tpl", "<script>{* never closed\n" + _AFTER + "</script>", 1),
    ("a.tpl", "<script>{literal}\n" + _AFTER + "</script>", 1),
    ("a.erb", "<script><%= @user.id \n" + _AFTER + "</script>", 1),
    ("a.ejs", "<script><% if (x) {\n" + _AFTER + "</script>", 1),
    ("a.svelte", "<p>{oops</p>\n<script>" + _AFTER + "</script>", 1),
    ("a.html", "<script>var s = `never closed;\n</script>\n<script>" + _AFTER + "</script>", 1),
    ("a.html", "<script>/* never closed\n</script><button onclick='" + _AFTER + "'>", 1),
    ("a.html", "<p>text</p>\n<script>\n" + _AFTER, 2),
    ("a.vue", "<template><p>{{ a </p></template>\n<script>\nif (x {\n</script>"
     "<script setup>" + _AFTER + "</script>", 3),
])
def test_broken_input_is_reported_and_the_rest_still_checked(
    name: str, text: str, error_line: int, rules: list[Rule]
) -> None:
    outcome = check_text(name, text, rules)
    # The template's or the page's error, and perhaps the JavaScript error it leaves behind.
    assert {e.kind for e in outcome.errors} == {"syntax"}, outcome.errors
    first = min(e.span.start_byte for e in outcome.errors if e.span is not None)
    assert SourceText(text.encode()).line_of(first) == error_line, outcome.errors
    assert [d.code for d in outcome.diagnostics] == ["UE001"], outcome.diagnostics


@pytest.mark.parametrize(("name", "opener"), [
    ("a.j2", "{{ "), ("a.j2", "{% raw %}"), ("a.twig", "{# "), ("a.blade.php", "@if("),
    ("a.blade.php", "@php "), ("a.erb", "<% '"), ("a.svelte", "{"), ("a.tpl", "{literal}"),
])
def test_many_unterminated_tags_cost_one_scan_and_one_error(
    name: str, opener: str, rules: list[Rule]
) -> None:
    """Hostile input: one error for them all (a scan per unterminated tag was quadratic:
    bench/pathological.py measures the cost as they grow)."""
    outcome = check_text(name, _AFTER + opener * 50_000, rules)
    template_errors = [e for e in outcome.errors if "template tag" in e.message]
    assert len(template_errors) == 1 and "(and 49999 more)" in template_errors[0].message


def test_php_without_a_closing_tag_is_php_to_the_end(rules: list[Rule]) -> None:
    """The markup ends at `<?php`; the script that PHP echoes is read as PHP's output."""
    text = "<script>" + _AFTER + "</script>\n<?php\necho '<script>" + _AFTER + "</script>';\n"
    outcome = check_text("a.php", text, rules)
    assert outcome.errors == ()
    assert [(d.code, d.span.start_line) for d in outcome.diagnostics] == [
        ("UE001", 1), ("UE001", 3)
    ]


@pytest.mark.parametrize("path", _HOST_FILES, ids=lambda p: p.relative_to(FIXTURES).as_posix())
def test_no_crash_on_mangled_input(path: Path, rules: list[Rule]) -> None:
    """Truncated files and stray delimiters: reported problems at most, never an adapter bug."""
    data = path.read_bytes()
    language = languages.by_suffix(path)
    assert language is not None
    shuffle = random.Random(path.name)
    delimiters = [b"{{", b"}}", b"{%", b"{#", b"<?php", b"?>", b"<%", b"%>", b"{", b"}",
                  b"<script>", b"</script>", b"`", b'"', b"'", b"&quot;", b"\\", b"${", b"@if(",
                  b"{*", b"<!--"]
    variants = [data[:cut] for cut in range(0, len(data), max(1, len(data) // 40))]
    for _ in range(40):
        at = shuffle.randrange(len(data))
        variants.append(data[:at] + shuffle.choice(delimiters) + data[at:])
    for variant in variants:
        outcome = engine.check_source(variant, language, rules, path.name)
        assert not [e for e in outcome.errors if e.kind == "internal"], outcome.errors


# -- template masking ------------------------------------------------------------------------

@pytest.mark.parametrize(("dialect", "text", "masked"), [
    (templates.JINJA, 'x = {{ a.b|e }}; {% if y %}f(){% endif %}{# c #}',
     'x = ___________;           f()                  '),
    (templates.JINJA, '{{ "}}" }}{% raw %}{{ k }}{% endraw %}',
     '__________         {{ k }}            '),
    (templates.PHP, '<?= $a ?>, <?php if ($b): ?>f()<?php endif; ?>, <?php echo "?>"; ?>',
     '_________,                  f()               , ___________________'),
    (templates.BLADE, '@json($u) @if($x > 1)f()@endif {!! $r !!} {{-- c --}} a@if.com',
     '_________            f()       __________             a@if.com'),
    (templates.SMARTY, '{$a|escape} {ldelim}k: 1{rdelim} { x: 1 } {if $b}f(){/if}',
     '___________ {       k: 1}        { x: 1 }        f()     '),
    (templates.ERB, '<%= a %> <%- b -%> <%# c %>', '________                   '),
    (templates.EJS, '<%= a %> <%- b %> <%_ c _%>', '________ ________          '),
])
def test_template_tags_are_masked_in_place(dialect: str, text: str, masked: str) -> None:
    result = templates.mask(text.encode(), dialect)
    assert result.data.decode() == masked
    assert result.errors == ()


def test_masking_keeps_lengths_and_line_breaks() -> None:
    text = b"a = {{ x\r\n  | y }};\n{% if\nz %}b"
    result = templates.mask(text, templates.JINJA)
    assert len(result.data) == len(text)
    assert [i for i, c in enumerate(result.data) if c in b"\r\n"] == [
        i for i, c in enumerate(text) if c in b"\r\n"
    ]
    assert result.values == ((4, 18),)


# -- positions of embedded text ----------------------------------------------------------------

def test_embedded_text_answers_in_original_positions() -> None:
    original = SourceText("é 😀 <b onclick='f(&quot;x&quot;)'>\nnext".encode())
    start = original.data.index(b"f(")
    decoded = original.embedded(b'f("x")', [(0, start), (2, start + 2), (3, start + 8),
                                            (4, start + 9), (5, start + 15), (6, start + 16)])
    span = decoded.span(2, 5)  # "x" with its quotes
    assert original.data[span.start_byte : span.end_byte] == b'&quot;x&quot;'
    assert (span.start_line, span.start_col) == (1, 20)  # é is one UTF-16 unit, 😀 two
    # An embedded text of an embedded text answers in the outermost file's positions.
    inner = decoded.embedded(b"x", [(0, 3)])
    assert inner.span(0, 1) == original.span(start + 8, start + 9)
    # A same-length copy needs no pieces.
    assert original.embedded(b"_" * len(original.data)).span(7, 9) == original.span(7, 9)


# -- plumbing --------------------------------------------------------------------------------

@pytest.mark.parametrize(("name", "language"), [
    ("page.html", languages.HTML), ("PAGE.HTM", languages.HTML), ("a.vue", languages.VUE),
    ("a.svelte", languages.SVELTE), ("a.jinja", languages.JINJA), ("a.j2", languages.JINJA),
    ("a.twig", languages.JINJA), ("a.php", languages.PHP), ("a.phtml", languages.PHP),
    ("a.blade.php", languages.BLADE), ("A.Blade.PHP", languages.BLADE),
    (".blade.php", languages.PHP), ("a.tpl", languages.SMARTY), ("a.erb", languages.ERB),
    ("a.html.erb", languages.ERB), ("a.ejs", languages.EJS),
])
def test_languages_by_suffix(name: str, language: str) -> None:
    assert languages.by_suffix(Path(name)) == language


def test_discover_finds_host_files(tmp_path: Path) -> None:
    names = ["a.html", "b.vue", "c.svelte", "d.j2", "e.php", "f.blade.php", "g.tpl", "h.erb",
             "i.ejs", "j.twig", "k.txt"]
    write(tmp_path, {n: "" for n in names})
    found = {Path(s.path).name: s.language for s in discover([tmp_path])}
    assert set(found) == set(names) - {"k.txt"}
    assert found["f.blade.php"] == languages.BLADE


def test_pre_commit_hooks_match_every_suffix() -> None:
    """The hooks select files by identify's types; the suffixes identify has no type for are
    matched by the `files:` line the README gives for them."""
    root = Path(__file__).parents[1]
    hooks = yaml.safe_load((root / ".pre-commit-hooks.yaml").read_text())
    readme = re.search(r"^ +files: (.+)$", (root / "README.md").read_text(), re.MULTILINE)
    assert readme is not None, "the README's files: line for the suffixes identify lacks"
    files = re.compile(readme[1])
    for suffix in [*languages.SUFFIXES, *languages.COMPOUND_SUFFIXES]:
        tags = identify.tags_from_filename(f"dir/name{suffix}")
        for hook in hooks:
            assert tags & set(hook["types_or"]) or files.search(f"dir/name{suffix}"), suffix


def test_a_javascript_run_does_not_load_the_html_adapter(tmp_path: Path) -> None:
    write(tmp_path, {"one.js": _AFTER})
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "uelint", "check", "one.js"],
        cwd=tmp_path, capture_output=True, text=True, check=False,
        env={"UELINT_DISABLE_PLUGIN_AUTOLOAD": "1"},
    )
    assert result.returncode == 1, result.stderr[-2000:]
    imported = {line.rsplit("|", 1)[-1].strip() for line in result.stderr.splitlines()}
    assert "tree_sitter_javascript" in imported
    for module in ("tree_sitter_html", "uelint.adapters.html", "uelint.adapters.templates",
                   "uelint.adapters.regions", "uelint.adapters.literals"):
        assert module not in imported


def test_a_parse_far_costlier_than_the_file_size_warrants_is_cut_short(
    rules: list[Rule], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A mutated fixture once kept tree-sitter busy for 24 s: the parse has a budget of steps
    linear in the size, and the parser is reset after a cut (else the next file's parse would
    resume it). Which mutation does that depends on the fixtures (the fuzzer's seeds), so the
    budget is shrunk here instead, to one a real file of some size exceeds."""
    from uelint import adapters

    monkeypatch.setattr(adapters, "_REPORTS_AT_LEAST", 10)
    monkeypatch.setattr(adapters, "_REPORTS_PER_BYTE", 0)
    costly = b"".join(b"const v%d = { a: [1, 2, (x) => x + %d] };\n" % (i, i) for i in range(300))
    costly += b'userengage("client.update", { user_id: 1 });\n'
    outcome = engine.check_source(costly, "typescript", rules, "costly.ts")
    assert "parse" in [e.kind for e in outcome.errors], outcome.errors
    monkeypatch.undo()
    next_file = engine.check_source(b'userengage("client.update", { user_id: 1 });\n',
                                    "typescript", rules, "ok.ts")
    assert [d.code for d in next_file.diagnostics] == ["UE001"] and next_file.errors == ()


def test_a_script_string_built_over_several_statements_is_one_text() -> None:
    # `html += ...` runs, other statements between them, the variable added to the page:
    # the shape plugins use to build a snippet piece by piece
    from uelint.adapters import javascript

    code = (
        "var html = '<script>';\n"
        "html += 'userengage(\"client.update\", {';\n"
        "if (user) { track(); }\n"
        "html += ' user_id: ' + user.id + ', plan: \"é\" });';\n"
        "html += '</script>';\n"
        "jQuery('body').append(html);\n"
        "var note = 'userengage(\"client.update\", {user_id: 1})';\n"
        "note += ' is how the SDK is called';\n"
        "console.log(note);\n"
    )
    result = javascript.extract(SourceText(code.encode()), "snippet.js", "javascript")
    (call,) = result.calls
    assert (call.api, call.span.start_line, call.span.start_col) == ("client.update", 2, 10)
    assert call.payload is not None
    assert [(e.key, e.key_span.start_line, e.key_span.start_col)
            for e in call.payload.entries] == [("user_id", 4, 11), ("plan", 4, 37)]
