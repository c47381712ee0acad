"""`python -m uelint`: Python puts the working directory first on sys.path, so a scanned
repository's `tomllib.py`, `difflib.py` or `pathspec.py` would be imported in place of the
real modules (and run). Take it off before anything else is imported, as pylint does; an
empty or `.` entry from PYTHONPATH means the same directory. (Nothing here can stop a
`uelint/` package in the working directory: Python imports it to find this module.)"""

import os
import sys


def _drop_working_directory() -> None:
    cwd = os.path.realpath(os.getcwd())
    sys.path[:] = [entry for entry in sys.path
                   if entry not in ("", ".") and os.path.realpath(entry) != cwd]


_drop_working_directory()

from uelint.cli import run  # noqa: E402  after the sys.path change, which is the point

run()
