"""Per-seed results summarised as a mean with its 95 % interval, printed and optionally written, for the
experiment scripts that measure an effect or a pattern over paired seeds."""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd


def seed_arguments(doc: str, seeds: int, employees: int, out: str) -> argparse.ArgumentParser:
    """The command line every seed-table script shares (how many seeds, how large an organisation, where to
    write the per-seed rows), described by the first line of the script's ``doc``; add to it what is its own."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=seeds)
    parser.add_argument("--employees", type=int, default=employees)
    parser.add_argument("--out", type=Path, default=None, help=f"write {out} as CSV")
    return parser


def mean_and_interval(values) -> pd.DataFrame:
    """The mean over seeds of each column or group of ``values`` (a DataFrame or a grouped Series) and its 95 %
    interval, 1.96 standard errors either side: the seeds are independent, and their number (10-20) makes the
    normal approximation close enough for a table that states its seeds."""
    mean = values.mean()
    half = 1.96 * values.std(ddof=1) / np.sqrt(values.count())
    return pd.DataFrame({"mean": mean, "low": mean - half, "high": mean + half})


def report(heading: str, table: pd.DataFrame, rows: pd.DataFrame, out: Path | None, digits: int) -> None:
    """Print the table under its heading (what made it: version, sizes, seeds); write the per-seed rows to
    ``out`` as CSV, so that the table can be recomputed and its intervals checked."""
    print(heading)
    print(table.round(digits).to_string())
    if out is not None:
        rows.to_csv(out, index=False, float_format="%.4f")
        print(f"wrote {out}")
