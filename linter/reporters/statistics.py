"""`--statistics`: how many problems each rule found, most first, then the text summary."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping

from uelint.diagnostic import Level, RunResult
from uelint.reporters import ReportOptions, text
from uelint.rule import Rule


def render(result: RunResult, rules: Mapping[str, Rule], options: ReportOptions) -> str:
    paint = text.Painter(options.color)
    counts = Counter(d.code for d in result.diagnostics)
    worst: dict[str, Level] = {}  # a row's colour: its rule's most severe finding
    for d in result.diagnostics:
        if d.code not in worst or d.level.rank > worst[d.code].rank:
            worst[d.code] = d.level
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    count_width = len(str(max(counts.values(), default=0)))
    code_width = max((len(code) for code in counts), default=0)
    lines = [
        f"{count:>{count_width}}  {paint(worst[code].value, f'{code:<{code_width}}')}  "
        f"{rules[code].name if code in rules else ''}".rstrip()
        for code, count in ranked
    ]
    lines += [text.error_line(e, paint, options.width) for e in result.errors]
    if lines:
        lines.append("")
    lines.append(text.summary(result, paint, options.width))
    return "\n".join(lines) + "\n"

