"""Where a run's time went, for `--timing`: seconds per stage, and what happened to the files."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

STAGES = ("discovery", "read", "prefilter", "cache", "parse", "rules", "report")


@dataclass
class Timings:
    # Seconds per stage; parse and rules are summed over worker processes when there are any.
    seconds: dict[str, float] = field(default_factory=lambda: dict.fromkeys(STAGES, 0.0))
    counts: Counter[str] = field(default_factory=Counter)  # "files", "candidates", "cached", ...
    workers: int = 0  # the most worker processes one stage used (0: none, all in this one)

    def add(self, other: Timings) -> None:
        for stage, seconds in other.seconds.items():
            self.seconds[stage] += seconds
        self.counts.update(other.counts)

    def render(self, wall: float) -> str:
        where = f"{self.workers} worker processes" if self.workers else "one process"
        lines = [f"uelint: {wall:.3f} s wall ({where}; stage times are summed over processes)"]
        lines += [f"  {stage:<10} {seconds:8.3f} s" for stage, seconds in self.seconds.items()]
        counts = self.counts
        lines.append(
            f"  files: {counts['files']} found"
            + (" (listed by the cache's index: no walk)" if counts["listed"] else "")
            + f", {counts['candidates']} candidates after the "
            f"prefilter, {counts['cached']} from the cache, {counts['parsed']} parsed"
            + (f", {counts['linked']} re-checked with other files' exports"
               if counts["linked"] else "")
        )
        if "reported" in counts and counts["reported"] < counts["files"]:  # the rest: context
            analyses = counts["cached"] + counts["parsed"]
            reused = f"{counts['cached'] / analyses:.0%}" if analyses else "all"
            lines.append(f"  project: {counts['reported']} of its {counts['files']} files "
                         f"reported, the others read as context; {reused} of the analyses "
                         "reused from the cache" + (
                             f"; only the files named and those changed since "
                             f"({counts['past']}) checked, against the exports the last run "
                             "found" if counts["past"] else ""))
        return "\n".join(lines) + "\n"
