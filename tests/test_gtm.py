"""Google Tag Manager: exported `.tpl` templates and the sandbox API in JavaScript."""

from __future__ import annotations

import textwrap

from uelint.adapters import adapter_for, gtm
from uelint.ir import CIVCHAT, CLIENT_UPDATE, PAGE_HIT, TrackingCall
from uelint.source import SourceText

_EXPORT = """\
___INFO___

{{ "type": "TAG", "displayName": "userengage('client.update', {{user_id: 1}})" }}


___SANDBOXED_JS_FOR_WEB_TEMPLATE___

{code}

___WEB_PERMISSIONS___

[]
"""


def tpl(code: str) -> tuple[TrackingCall, ...]:
    text = _EXPORT.format(code=textwrap.dedent(code).strip())
    result = adapter_for("smarty")(SourceText(text.encode()), "t.tpl", "smarty")
    assert result.errors == ()
    return result.calls


def js(code: str) -> tuple[TrackingCall, ...]:
    data = textwrap.dedent(code).encode()
    result = adapter_for("javascript")(SourceText(data), "tag.js", "javascript")
    assert result.errors == ()
    return result.calls


def test_only_the_sandboxed_section_is_code_located_in_the_file() -> None:
    (call,) = tpl("""
        const callInWindow = require('callInWindow');
        callInWindow('userengage', 'client.update', { user_id: data.id });
        """)
    assert (call.api, call.span.start_line, call.span.start_col) == (CLIENT_UPDATE, 9, 1)
    assert call.payload is not None
    assert [(e.key, e.key_span.start_line, e.key_span.start_col) for e in call.payload.entries] \
        == [("user_id", 9, 47)]


def test_sandbox_apis_under_other_names_dotted_paths_and_constants() -> None:
    calls = js("""
        const ciw = require('callInWindow');
        const put = require('setInWindow');
        const copy = require('copyFromWindow');
        const NAMESPACE = 'userengage', IDENTIFY = 'UE.pageHit';
        ciw(IDENTIFY, { apiKey: data.apiKey, user_id: data.userId });
        put('civchat', { apiKey: data.apiKey }, true);
        ciw(NAMESPACE, 'client.update', { plan: data.plan });
        const ue = copy(NAMESPACE);
        ue('event.purchase', makeTableMap(data.userAttributes, 'name', 'value'));
        ciw('dataLayer.push', { event: 'client.update' });
        put('userengage', {}, true);
        """)
    assert [(c.api, c.callee, c.span.start_line) for c in calls] == [
        (PAGE_HIT, "ciw", 6), (CIVCHAT, "put", 7), (CLIENT_UPDATE, "ciw", 8),
        ("event.purchase", "ue", 10),
    ]
    # a payload built from a template field is not a literal: its keys are unknown
    assert calls[-1].payload is None


def test_a_tpl_without_the_section_is_smarty() -> None:
    text = b"{if $user}<script>userengage('client.update', { plan: '{$plan}' });</script>{/if}"
    assert gtm.sandboxed_section(text) is None
    result = adapter_for("smarty")(SourceText(text), "t.tpl", "smarty")
    assert [c.api for c in result.calls] == [CLIENT_UPDATE]


def test_the_section_ends_at_the_next_one() -> None:
    data = _EXPORT.format(code="x();").encode()
    section = gtm.sandboxed_section(data)
    assert section is not None
    assert data[section[0] : section[1]].strip() == b"x();"
