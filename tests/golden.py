"""The golden record: a hash of every preset's weekly tables at two sizes, so a change that should change no
number can prove it did not.

Regenerate after an intended change of the numbers, and say why in the commit::

    uv run python tests/golden.py --update

``tests/test_golden.py`` compares a fresh run with ``tests/golden.json``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

import numpy as np

from sim import KnowledgeSharingModel
from sim.scenario_files import preset_names

#: Two sizes: one small enough that every preset runs in seconds, one that has several departments and a
#: warm-up donor smaller than the organisation.
SIZES = (150, 1200)
#: Final per-person state hashed beside the weekly tables: a change that cancels out in the means still shows.
STATE = (
    "knowledge",
    "intention",
    "satisfaction",
    "recognition",
    "reciprocation",
    "ease",
    "self_efficacy",
    "safety",
    "climate",
    "share_count",
    "last_shared",
)
RECORD = Path(__file__).with_name("golden.json")


def digest(scenario: str, employees: int) -> str:
    """The SHA-256 of one run's weekly tables (column names and exact values) and its final state."""
    model = KnowledgeSharingModel(scenario, employees=employees)
    model.run()
    h = hashlib.sha256()
    frame = model.timeseries()
    for column in frame.columns:
        h.update(str(column).encode())
        h.update(np.ascontiguousarray(frame[column].to_numpy(dtype=np.float64)).tobytes())
    for name in STATE:
        h.update(name.encode())
        h.update(np.ascontiguousarray(getattr(model.state, name)).tobytes())
    if model.params.behaviour.decision != "barter":  # the per-person "why" the dashboard shows
        for name, values in model.rule.drivers_table().items():
            h.update(name.encode())
            h.update(np.ascontiguousarray(values, dtype=np.float32).tobytes())
    return h.hexdigest()


def record() -> dict[str, str]:
    return {f"{name}@{size}": digest(name, size) for name in preset_names() for size in SIZES}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--update", action="store_true", help=f"rewrite {RECORD.name} instead of comparing")
    args = parser.parse_args()
    now = record()
    if args.update:
        RECORD.write_text(json.dumps(now, indent=1, sort_keys=True) + "\n")
        print(f"wrote {len(now)} hashes to {RECORD}")
        return 0
    kept = json.loads(RECORD.read_text())
    changed = sorted(key for key in kept.keys() | now.keys() if kept.get(key) != now.get(key))
    print("\n".join(f"changed: {key}" for key in changed) or f"all {len(now)} hashes unchanged")
    return 1 if changed else 0


if __name__ == "__main__":
    sys.exit(main())
