"""JavaScript inside Python string literals: the snippets that Python apps hand to the browser.

`ui.run_javascript("...")`, `driver.execute_script(...)`, `Markup("<script>...")`: the Python
adapter calls in here; a literal that holds a trigger word is decoded and read by `literals`,
imported only then, so that a run without such literals pays nothing for them. (Strings that
JavaScript code injects are `js_injected`'s.)
"""

from __future__ import annotations

from uelint import prefilter
from uelint.ir import Handler, Span, TrackingCall
from uelint.source import SourceText

# The Python calls whose first argument runs in (or is inserted into) a page.
PYTHON_SINKS = frozenset({
    "run_javascript", "execute_script", "execute_async_script", "call_script", "evaluate",
    "Markup", "mark_safe", "format_html", "HTML", "Javascript",
})


def in_python_string(
    source: SourceText, span: Span, handlers: tuple[Handler, ...], path: str
) -> tuple[TrackingCall, ...]:
    """Tracking calls inside the Python string literal at `span` (the first argument of a
    call named in PYTHON_SINKS); () when it is not a literal (a name, a call, bytes)."""
    if not prefilter.is_candidate(source.data[span.start_byte : span.end_byte]):
        return ()
    from uelint.adapters import literals

    text = literals.python_literal(source, span.start_byte, span.end_byte)
    return literals.calls_in(text, path, handlers, run=True) if text is not None else ()
