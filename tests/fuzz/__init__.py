"""uelint's fuzzing (issue #18): seeded mutations of the real fixtures (`mutate`), the
properties every run must keep (`harness`), and a long campaign (`campaign.py`).

The quick, bounded harness that runs in CI is tests/test_fuzz.py; the campaign is run by hand:

    .venv/bin/python tests/fuzz/campaign.py --cases 10000 --seed 1 --jobs 2
"""
