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


@pytest.mark.slow
@pytest.mark.parametrize("kernel", ["Prescott", "Haswell"])
def test_the_numbers_do_not_depend_on_the_cpus_blas_kernel(kernel):
    """The record was once CPU-bound: BLAS products in the observation (OpenBLAS picks its kernel by CPU) moved
    the last digit on a machine with AVX-512. Forcing an older kernel must change nothing."""
    import os
    import subprocess
    import sys

    code = "from tests.golden import digest; print(digest('restructuring', 1200))"
    env = os.environ | {"OPENBLAS_CORETYPE": kernel}
    found = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert found.stdout.strip() == KEPT["restructuring@1200"]
