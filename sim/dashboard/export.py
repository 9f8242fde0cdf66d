"""What a user takes away: the settings as a scenario file, the data as CSV, the charts as PNG.

The scenario file is complete: every parameter, the seed and the weeks are
written out, not only what differs from today's defaults, so that ``kshare run``
on it gives the dashboard's numbers even after the defaults change. The CSV
has the columns and number format of ``kshare run``'s ``timeseries.csv``.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pandas as pd
import tomli_w

import sim
from sim.files import clean_stem
from sim.scenario import Scenario


def _drop_none(value: Any) -> Any:
    """TOML has no null: an intervention with no end simply has no ``end`` key."""
    if isinstance(value, dict):
        return {key: _drop_none(item) for key, item in value.items() if item is not None}
    if isinstance(value, list):
        return [_drop_none(item) for item in value]
    return value


def scenario_toml(scenario: Scenario, source: str = "") -> str:
    """The scenario as a TOML file that ``kshare run`` and ``kshare validate`` accept."""
    data = _drop_none(scenario.model_dump(mode="json"))
    header = (
        f"# Exported from the kshare dashboard (kshare {sim.__version__}) on "
        f"{datetime.now(UTC).date().isoformat()}{f', from {source}' if source else ''}.\n"
        f"# Every parameter is written out, so `kshare run` on this file gives the dashboard's numbers.\n\n"
    )
    return header + tomli_w.dumps(data)


def timeseries_csv(frame: pd.DataFrame) -> str:
    """The weekly table in ``kshare run``'s CSV format."""
    return frame.to_csv(index=False, float_format="%.6g")


def file_stem(scenario: Scenario) -> str:
    """A safe file name from the scenario name (``sim.files.clean_stem``): the browser offers it before saving."""
    return clean_stem(scenario.name)
