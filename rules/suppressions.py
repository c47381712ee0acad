"""The rules about suppression comments. The engine's suppression stage reports them (they
read comments, not tracking calls); registering them here gives them documentation, a place
in `uelint rules` and SARIF, and lets `--select` / `--ignore` turn them on and off."""

from __future__ import annotations

from collections.abc import Iterator

from uelint import Diagnostic, Level, ParsedFile, Rule, TrackingCall


class _CommentRule(Rule):
    """A rule about comments: it sees no tracking call; the suppression stage reports it."""

    def check(self, call: TrackingCall, file: ParsedFile) -> Iterator[Diagnostic]:
        return iter(())


class UnusedSuppression(_CommentRule):
    """
    ## What it does
    Flags a suppression comment (`// uelint-disable-next-line UE001`, `# noqa: UE001`, ...)
    that suppresses nothing: the finding it was written for is gone, or it names the wrong
    line or rule.

    ## Why is this bad?
    A stale suppression hides the next real finding at that place, and tells readers that a
    problem exists where none does.

    ## Example
    ```js
    // uelint-disable-next-line UE001 -- legacy id migration
    userengage("client.update", { first_name: name });
    ```

    ## Use instead
    Remove the comment; `uelint check --fix` does it (it keeps the codes that are still used).
    A directive applies to its own line (`uelint-disable-line`, `noqa`), the next line
    (`uelint-disable-next-line`, whatever follows the comment on its own line), a block
    (`uelint-disable` ... `uelint-enable`) or the file (`uelint-disable-file`): move it
    where the finding is rather than keeping one that covers nothing.
    """

    code = "UE100"
    name = "unused-suppression"
    summary = "A suppression comment that suppresses nothing."
    level = Level.WARNING
    tags = ("maintainability", "suppressions")
    precision = "very-high"


class InvalidSuppression(_CommentRule):
    """
    ## What it does
    Flags a malformed suppression comment: an unknown directive (`uelint-disabel-line`), an
    unknown or malformed rule code, or a directive that names no rule at all.

    ## Why is this bad?
    A suppression that cannot be read suppresses nothing, or (if it were read loosely) far more
    than intended. uelint never guesses: blanket suppressions are not allowed.

    ## Example
    ```js
    userengage("client.update", { user_id }); // uelint-disable-line
    ```

    ## Use instead
    ```js
    userengage("client.update", { user_id }); // uelint-disable-line UE001 -- same user, id migration
    ```

    The grammar is ESLint's: a directive (`uelint-disable-next-line`, `uelint-disable-line`,
    `uelint-disable`, `uelint-enable`, `uelint-disable-file`), then the rule codes it
    disables, separated by commas, then ` -- ` and the reason. Python's `# noqa: UE001`
    works too. It is read in any comment of the host language, including a block comment
    that closes before code on the same line:

    ```jsx
    /* uelint-disable-next-line UE001 -- migration */ prepare();
    {/* uelint-disable-next-line UE003 -- our own field */}
    <!-- uelint-disable-next-line UE001 -->
    {# uelint-disable-next-line UE001 #}
    ```
    """  # noqa: E501 - a suppression comment in the example: it cannot go on a line of its own

    code = "UE101"
    name = "invalid-suppression"
    summary = "A suppression comment that cannot be read: unknown directive or rule code."
    level = Level.ERROR
    tags = ("correctness", "suppressions")
    precision = "very-high"
