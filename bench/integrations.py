"""SDK call sites that uelint extracts from User.com's real integrations, against those present.

The integrations are public repositories (User.com's official Magento, PrestaShop, WordPress,
Joomla, WHMCS, Drupal and Google Tag Manager plugins, and third-party ones), mirrored into
/work/.mirror by the search library's `fetch`. Their newest snapshot is exported under
bench/work/integrations/ (never executed: read as bytes only), then every file uelint would
check goes through its adapter, as `uelint check` runs it.

"Present" counts call-shaped text in the file, by regular expression: `userengage(`,
`UE.pageHit(`, `UE.resetAuth(`, `civchat =`, `callInWindow(`/`setInWindow(` naming the SDK or
through a constant. That is an upper bound written without a parser (it counts a call in a
comment too), so the per-file table is printed for a reader to judge. Run it from any
checkout to compare versions side by side:

    python bench/integrations.py                         # this checkout
    /path/to/venv/bin/python bench/integrations.py       # a venv with another checkout
                                                         # installed (pip install -e)
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from pathlib import Path

REPOSITORIES = (
    "UserEngage/User.com-Magento2-plugin", "UserEngage/userengage-magento",
    "UserEngage/userengage-magento2", "UserEngage/userengage-prestashop",
    "UserEngage/userengage-wordpress", "UserEngage/userengage-joomla",
    "UserEngage/userengage-whmcs", "UserEngage/User.com-HWMCS", "UserEngage/userengage-drupal8",
    "UserEngage/gtm-implementation-tag", "UserEngage/gtm-javascript-methods",
    "UserEngage/gtm-userengage-methods", "BitBagCommerce/SyliusUserComPlugin",
    "IP-CAM/userengage-opencart", "droptica/userengage",
)
MIRROR = Path("/work/.mirror")
WORK = Path(__file__).parent / "work" / "integrations"

# Call-shaped text: what a reader counts as one SDK call site.
_PRESENT = re.compile(
    rb"(?<![\w.])(?:window\.)?userengage\s*\(|\bUE\.(?:pageHit|resetAuth)\s*\(|"
    rb"\bcivchat\s*=(?!=)|\b(?:callInWindow|setInWindow)\s*\(\s*(?!['\"](?!userengage|UE\.|"
    rb"civchat))"
)

_GTM_CODE = b"___SANDBOXED_JS_FOR_WEB_TEMPLATE___"


def export(repo: str) -> Path | None:
    """The repository's newest snapshot as files under WORK (once)."""
    owner, name = repo.split("/")
    target = WORK / f"{owner}+{name}"
    if target.is_dir():
        return target
    git_dir = MIRROR / f"{owner}+{name}" / "repo"
    if (git_dir / ".git").is_dir():
        git_dir = git_dir / ".git"
    if not git_dir.is_dir():
        print(f"not mirrored: {repo} (fetch it first)", file=sys.stderr)
        return None
    target.mkdir(parents=True)
    archive = subprocess.run(["git", "--git-dir", str(git_dir), "archive", "HEAD"],
                             check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(target)], input=archive, check=True)
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--files", action="store_true", help="print every file's counts")
    args = parser.parse_args()

    from uelint import languages, prefilter
    from uelint.analysis import analyse

    roots = [root for repo in REPOSITORIES if (root := export(repo)) is not None]
    total_found = total_present = 0
    errors: list[str] = []
    for root in roots:
        found = present = 0
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            language = languages.by_name(path.name)
            data = path.read_bytes()
            code = data.partition(_GTM_CODE)[2].partition(b"\n___")[0] or data  # GTM: its JS
            here = len(_PRESENT.findall(code)) if language else 0
            if language is None or not prefilter.is_candidate(data):
                count = 0
            else:
                from uelint.adapters import adapter_for
                from uelint.source import SourceText

                shown = str(path.relative_to(WORK))
                count = len(adapter_for(language)(SourceText(data), shown, language).calls)
                errors += [f"{e.path}:{e.span.start_line if e.span else '?'}: {e.message}"
                           for e in analyse(data, language, shown, ()).errors]
            if args.files and (here or count):
                print(f"  {count:3d} / {here:3d}  {path.relative_to(WORK)}")
            found += count
            present += here
        print(f"{found:4d} / {present:4d}  {root.name}")
        total_found += found
        total_present += present
    share = total_found / total_present if total_present else 0.0
    print(f"{total_found:4d} / {total_present:4d}  extracted / present ({share:.0%})")
    print(f"{len(errors)} errors reported:")
    for error in errors:
        print(f"  {error}")


if __name__ == "__main__":
    main()
