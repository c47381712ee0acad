"""The PHP adapter: JavaScript emitted by PHP strings, and PHP tags that print members."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from uelint.adapters import AdapterResult, php
from uelint.ir import CIVCHAT, CLIENT_UPDATE, TrackingCall, ValueKind
from uelint.source import SourceText


def run(code: str, path: str = "plugin.php") -> AdapterResult:
    return php.extract(SourceText(textwrap.dedent(code).lstrip("\n").encode()), path, "php")


def calls(code: str, path: str = "plugin.php") -> tuple[TrackingCall, ...]:
    result = run(code, path)
    assert result.errors == ()
    return result.calls


def keys(call: TrackingCall) -> list[tuple[str, int, int]]:
    """(key, line, UTF-16 column) of each payload entry."""
    assert call.payload is not None
    return [(e.key, e.key_span.start_line, e.key_span.start_col) for e in call.payload.entries]


def test_strings_joined_with_dots_are_located_in_the_php_file() -> None:
    (call,) = calls("""
        <?php
        $out = "userengage('client.update', {" .
               "'user_id': '" . $customer->getId() . "'," .
               "'émail': '" . $email . "'});";
        echo $out;
        """)
    assert call.api == CLIENT_UPDATE
    assert (call.span.start_line, call.span.start_col) == (2, 9)
    assert keys(call) == [("user_id", 3, 9), ("émail", 4, 9)]
    assert call.payload is not None and call.payload.complete
    # a value PHP computes is a string of unknown content, not the placeholder's underscores
    assert {e.value.kind for e in call.payload.entries} == {ValueKind.STRING}
    assert all(e.value.literal is None for e in call.payload.entries)


def test_heredoc_interpolations_and_escapes_keep_columns() -> None:
    (call,) = calls("""
        <?php
        echo <<<JS
        <script>var a = "\\x41{$name}"; userengage("event.{$event}", { user_id: {$id} });</script>
        JS;
        """)
    assert call.api is None  # the method name holds an interpolation: not known
    assert keys(call) == [("user_id", 3, 63)]


def test_a_variable_built_over_several_statements_is_one_text() -> None:
    (call,) = calls("""
        <?php
        $js = '<script>';
        $js .= 'if (window.userengage) {';
        foreach ($events as $event) { $names[] = $event; }
        $js .= "userengage('client.update', {plan: 'pro'});";
        $js .= '}</script>';
        echo $js;
        """)
    assert (call.api, call.span.start_line, call.span.start_col) == (CLIENT_UPDATE, 5, 9)


def test_sprintf_conversions_are_unknown_values() -> None:
    (call,) = calls("""
        <?php
        printf("<script>userengage('client.update', {user_id: %d, plan: '%%s'});</script>", $id);
        """)
    assert keys(call) == [("user_id", 2, 46), ("plan", 2, 59)]
    assert call.payload is not None
    assert call.payload.entries[1].value.literal == "%s"


def test_json_encoded_array_gives_the_payload_keys() -> None:
    (civchat, update) = calls("""
        <?php
        $data = ['apiKey' => $key, 'name' => $name];
        if ($loggedIn) {
            $data['user_id'] = $id;
        }
        $encoded = json_encode($data);
        echo "<script>window.civchat = {$encoded};</script>";
        $attributes = array('plan' => 'pro');
        $attributes[$dynamic] = 1;
        echo '<script>userengage("client.update", ' . json_encode($attributes) . ');</script>';
        """)
    assert civchat.api == CIVCHAT
    assert keys(civchat) == [("apiKey", 2, 10), ("name", 2, 28), ("user_id", 4, 11)]
    assert civchat.payload is not None and civchat.payload.complete
    assert update.api == CLIENT_UPDATE
    assert keys(update) == [("plan", 8, 21)]
    assert update.payload is not None and not update.payload.complete  # `[$dynamic]`
    assert update.payload.entries[0].value.literal == "pro"


def test_json_printed_by_a_template_tag() -> None:
    (call,) = calls("""
        <?php $attributes = ['user_id' => $customer->getId()]; ?>
        <script>userengage('client.update', <?= json_encode($attributes) ?>);</script>
        """, "head.phtml")
    assert keys(call) == [("user_id", 1, 22)]


def test_strings_that_only_mention_the_sdk_are_not_code() -> None:
    assert calls("""
        <?php
        $help = "Call userengage('client.update', {...}) once the customer logs in.";
        $label = __('Sends client.update to User.com');
        $sql = "SELECT value FROM settings WHERE module = 'userengage'";
        echo '<p>userengage("client.update", { user_id: 1 }) is documented here</p>';
        log_message("civchat = " . $config);
        error_log("userengage('client.update') failed: " . $error);
        """) == ()


def test_tags_that_print_members_are_no_syntax_error() -> None:
    result = run("""
        <script>
          window.civchat = {
            apiKey: '<?php echo $block->getKey(); ?>'
            <?php echo $block->getUserData(); ?>
          };
          <?= $block->getMoreScript() ?>
          userengage('client.update', { plan: 'pro', <?= $block->getAttributes() ?> });
        </script>
        """, "track.phtml")
    assert result.errors == ()
    civchat, update = result.calls
    assert civchat.payload is not None and not civchat.payload.complete
    assert keys(civchat) == [("apiKey", 3, 5)]
    assert update.payload is not None and not update.payload.complete
    assert keys(update) == [("plan", 7, 33)]


def test_the_templates_own_syntax_error_is_still_reported() -> None:
    result = run("""
        <script>
          var broken = (1 + ;
        </script>
        <script>userengage('client.update', { plan: '<?= $plan ?>' });</script>
        """, "page.phtml")
    assert [(e.kind, e.span.start_line if e.span else None) for e in result.errors] == [
        ("syntax", 2)
    ]
    assert [c.api for c in result.calls] == [CLIENT_UPDATE]


def test_malformed_php_neither_crashes_nor_hides_later_calls() -> None:
    result = run("""
        <?php
        $broken = "userengage('event.open', {" . ;
        echo "<script>userengage('event.open', {id: 1" . ");</script>";
        echo "<script>userengage('client.update', {user_id: 7});</script>";
        """)
    assert [e.kind for e in result.errors] == ["syntax"]
    assert "PHP syntax error (unexpected syntax) at 2:" in result.errors[0].message
    assert [(c.api, c.span.start_line) for c in result.calls] == [
        ("event.open", 3), (CLIENT_UPDATE, 4)
    ]


def test_an_unclosed_brace_is_located_at_the_brace_not_at_the_start_of_the_file() -> None:
    # tree-sitter-php inserts no missing `}` at the end of a file: its ERROR node starts with
    # the unfinished function, here at the file's first byte
    result = run("""
        <?php
        function head() {
            echo '<script>userengage("client.update", {user_id: 1});</script>';
        """)
    (error,) = result.errors
    assert error.span is not None and (error.span.start_line, error.span.start_col) == (2, 17)
    assert "(unclosed `{`) at 2:17" in error.message
    assert [(c.api, c.span.start_line) for c in result.calls] == [(CLIENT_UPDATE, 3)]
    (error,) = run("<?php\n$data = ['apiKey' => 'é',\n").errors
    assert error.span is not None and (error.span.start_line, error.span.start_col) == (2, 9)


def test_a_class_whose_trigger_words_are_all_in_php_code_is_read_without_its_page() -> None:
    found = calls("""
        <?php
        class Tracker {
            public function head() {
                return '<script>userengage("client.update", {user_id: 1});</script>';
            }
        }
        ?>
        <script>var x = 1;</script>
        """)
    assert [(c.api, c.span.start_line) for c in found] == [(CLIENT_UPDATE, 4)]
    found = calls("""
        <?php $key = 'k'; $hit = 'UE.pageHit'; ?>
        <script>window.civchat = { apiKey: '<?= $key ?>' };</script>
        """, "head.phtml")
    assert [(c.api, c.span.start_line) for c in found] == [(CIVCHAT, 2)]


def test_checking_files_without_php_never_imports_the_php_parser(tmp_path: Path) -> None:
    call = 'userengage("client.update", { user_id: 1 });'
    files = {"a.js": call, "b.html": f"<script>{call}</script>",
             "c.vue": f"<script>{call}</script>", "d.tpl": f"<script>{call}</script>"}
    for name, text in files.items():
        (tmp_path / name).write_text(text + "\n")
    program = ("import sys; from uelint.cli import main; main(sys.argv[1:]); "
               "print('tree_sitter_php' in sys.modules)")
    done = subprocess.run(
        [sys.executable, "-c", program, "check", "--no-cache", "--format", "json", *files],
        cwd=tmp_path, capture_output=True, text=True, check=False,
    )
    assert done.stdout.count("UE001") == 4, done.stderr  # every file was checked
    assert done.stdout.splitlines()[-1] == "False"


def test_members_printed_by_a_variable_and_runs_inside_branches() -> None:
    # a WordPress plugin's shapes: `window.civchat` built in one branch with a variable that
    # prints `"key": "value",` pairs, and a `.=` run whose payload splices such pairs
    found = run("""
        <?php
        function head($key) {
            $extra = '';
            foreach (fields() as $field => $value) {
                $extra .= '"' . $field . '": "' . $value . '",';
            }
            if ($key) {
                $html = "<script>
        window.civchat = {
            apiKey: \\"$key\\",
            " . $extra . "
            user_id: '" . $order["id"] . "'
        };
        </script>";
                echo $html;
            }
        }
        function cart($p) {
            $js = '<script>';
            $js .= "userengage('event.cart', {'pid': '" . $p->id . "'," . $more . "'price': 1 });";
            $js .= '</script>';
            echo $js;
        }
        """)
    assert found.errors == ()
    civchat, cart = found.calls
    assert (civchat.api, civchat.span.start_line, civchat.span.start_col) == (CIVCHAT, 9, 1)
    assert civchat.payload is not None and not civchat.payload.complete
    assert keys(civchat) == [("apiKey", 10, 5), ("user_id", 12, 5)]
    assert (cart.api, cart.span.start_line) == ("event.cart", 20)
    assert cart.payload is not None and not cart.payload.complete
    assert keys(cart) == [("pid", 20, 39), ("price", 20, 76)]
