"""No number changes unless a commit means it to: every preset at two sizes against its recorded hash.

After an intended change of the numbers, regenerate the record with ``uv run python tests/golden.py --update``.
"""

import json

import pytest

from tests.golden import RECORD, SIZES, digest

KEPT = json.loads(RECORD.read_text())


@pytest.mark.parametrize("key", sorted(KEPT))
def test_weekly_tables_match_the_golden_record(key):
    scenario, size = key.split("@")
    assert int(size) in SIZES
    assert digest(scenario, int(size)) == KEPT[key], (
        f"{key}: the weekly tables changed; if that was intended, run `uv run python tests/golden.py --update`"
    )
