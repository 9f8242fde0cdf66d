"""Reading a calibration's posterior: weighted parameter sets to run ensembles over.

``kshare calibrate`` writes the last generation of its ABC-SMC particles as a Parquet file, one row per
particle: a column per parameter and a ``weight`` column (summing to 1), with the provenance (kshare version,
patterns, priors, seed, command, size) as JSON under the metadata key ``kshare``. ``--install`` copies it into
the package (``sim/calibration/posterior.parquet``), which ``load_posterior()`` reads by default::

    from sim.calibration.posterior import load_posterior

    posterior = load_posterior()
    for overrides in posterior.draw(10, rng=1):       # ten parameter sets, drawn by weight
        sim.simulate("baseline", **overrides)
    sim.simulate("baseline", **posterior.representative())

This module needs only numpy, pandas and pyarrow: running ensembles over a posterior needs no pyabc.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sim.calibration.files import packaged
from sim.files import atomic_write

FILE = "posterior.parquet"
WEIGHT = "weight"
METADATA_KEY = b"kshare"


class PosteriorError(ValueError):
    """A posterior that cannot be read or used; the message is one line."""


@dataclass
class Posterior:
    """Particles of a posterior: one parameter set per row of ``parameters``, with normalised ``weights``."""

    parameters: pd.DataFrame
    weights: np.ndarray
    metadata: dict[str, Any] = field(default_factory=dict)
    source: str = ""

    @property
    def names(self) -> list[str]:
        return list(self.parameters.columns)

    @property
    def particles(self) -> int:
        """Particles with a positive weight: the most distinct parameter sets a draw can hold."""
        return int((self.weights > 0).sum())

    @property
    def effective_sample_size(self) -> float:
        """Kish's effective sample size of the weights, 1 / sum(w²): how many equally weighted particles they
        are worth."""
        return float(1.0 / np.sum(self.weights**2))

    def draw(self, n: int, rng: np.random.Generator | int | None = None) -> list[dict[str, float]]:
        """``n`` parameter sets drawn with replacement in proportion to the weights, as overrides by bare name.

        The same ``rng`` (a seed or a Generator in the same state) gives the same draws. At most
        ``particles`` draws may be asked for: more would only repeat parameter sets (an ensemble wanting more
        runs should give each drawn set several seeds instead).
        """
        if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
            raise PosteriorError(f"the number of draws must be a whole number of at least 1, got {n!r}")
        if n > self.particles:
            raise PosteriorError(
                f"asked for {n} draws, but the posterior {self.source} holds {self.particles} particles "
                f"(effective sample size {self.effective_sample_size:.0f}): draw at most {self.particles} and run "
                f"each with several seeds"
            )
        generator = rng if isinstance(rng, np.random.Generator) else np.random.default_rng(rng)
        rows = generator.choice(len(self.weights), size=n, replace=True, p=self.weights)
        values = self.parameters.to_numpy(dtype=np.float64)
        return [dict(zip(self.names, values[row].tolist())) for row in rows]

    def representative(self) -> dict[str, float]:
        """The weighted posterior mean of every parameter, as overrides by bare name.

        The mean, not the highest-weight particle: in ABC-SMC a particle's weight is its prior density over
        the density it was proposed from, an importance correction rather than a measure of fit, so the
        heaviest particle is not the best-fitting one and changes from run to run. The mean is stable, lies
        inside the priors' box, and keeps every linear constraint all particles keep (such as
        cooperator_share + defector_share <= 1). With a strongly curved or two-peaked posterior it may fall
        between the peaks, so an ensemble over ``draw`` is the better use of a posterior.
        """
        values = self.parameters.to_numpy(dtype=np.float64)
        # Weighted sums, not a BLAS product, whose last digit depends on the CPU's kernel.
        return dict(zip(self.names, (self.weights[:, None] * values).sum(axis=0).tolist()))

    def summary(self) -> pd.DataFrame:
        """Weighted mean, s.d. and 2.5, 50 and 97.5 % quantiles of each parameter."""
        rows = []
        for name in self.names:
            x = self.parameters[name].to_numpy(dtype=np.float64)
            mean = float((self.weights * x).sum())
            sd = float(np.sqrt((self.weights * (x - mean) ** 2).sum()))
            low, median, high = weighted_quantiles(x, self.weights, (0.025, 0.5, 0.975))
            rows.append({"parameter": name, "mean": mean, "sd": sd, "q2.5": low, "median": median, "q97.5": high})
        return pd.DataFrame(rows)


def weighted_quantiles(x: np.ndarray, weights: np.ndarray, qs: tuple[float, ...]) -> list[float]:
    """Quantiles of ``x`` under ``weights`` (the inverse of the weighted empirical distribution function)."""
    order = np.argsort(x)
    cumulative = np.cumsum(weights[order])
    cumulative /= cumulative[-1]
    ranked = x[order]
    return [float(ranked[min(int(np.searchsorted(cumulative, q)), len(x) - 1)]) for q in qs]


def default_path() -> Path:
    return packaged(FILE)


def load_posterior(path: str | Path | None = None) -> Posterior:
    """The posterior in ``path`` (default: the one shipped with kshare); PosteriorError if it is missing or
    unusable."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    target = Path(path) if path is not None else default_path()
    if not target.is_file():
        hint = (
            "kshare ships no posterior yet: make one with `kshare calibrate --install`"
            if path is None
            else "run `kshare calibrate --out DIR` to make one"
        )
        raise PosteriorError(f"no posterior at {target}: {hint}")
    try:
        table = pq.read_table(target)
    except (pa.ArrowException, OSError) as error:
        raise PosteriorError(f"{target} is not a readable posterior: {_first_line(error)}") from None
    raw = (table.schema.metadata or {}).get(METADATA_KEY)
    try:
        metadata = json.loads(raw) if raw else {}
    except ValueError:
        raise PosteriorError(f"{target} is not a readable posterior: its metadata is not valid JSON") from None
    frame = table.to_pandas()
    return _checked(frame, metadata, str(target))


def _checked(frame: pd.DataFrame, metadata: dict[str, Any], source: str) -> Posterior:
    if WEIGHT not in frame.columns:
        raise PosteriorError(f"{source} is not a posterior: it has no '{WEIGHT}' column")
    parameters = frame.drop(columns=WEIGHT)
    if parameters.columns.empty or len(frame) == 0:
        raise PosteriorError(f"{source} is not a posterior: it holds no parameters or no particles")
    numeric = [name for name in frame.columns if not pd.api.types.is_numeric_dtype(frame[name])]
    if numeric:
        raise PosteriorError(f"{source} is not a posterior: column(s) {', '.join(numeric)} are not numbers")
    values = frame.to_numpy(dtype=np.float64)
    if not np.isfinite(values).all():
        raise PosteriorError(f"{source} is not a usable posterior: it holds missing or infinite values")
    weights = frame[WEIGHT].to_numpy(dtype=np.float64)
    if (weights < 0).any() or weights.sum() <= 0:
        raise PosteriorError(f"{source} is not a usable posterior: weights must be >= 0 with a positive sum")
    return Posterior(parameters.reset_index(drop=True), weights / weights.sum(), metadata, source)


def write_posterior(path: Path, parameters: pd.DataFrame, weights: np.ndarray, metadata: dict[str, Any]) -> None:
    """Write particles and their weights (normalised here) with ``metadata``, whole or not at all."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    frame = parameters.reset_index(drop=True).astype(np.float64)
    frame[WEIGHT] = np.asarray(weights, dtype=np.float64) / np.sum(weights)
    _checked(frame, metadata, str(path))  # never write what could not be read back
    table = pa.Table.from_pandas(frame, preserve_index=False)
    table = table.replace_schema_metadata(
        {**(table.schema.metadata or {}), METADATA_KEY: json.dumps(metadata, default=str).encode()}
    )
    atomic_write(path, lambda tmp: pq.write_table(table, tmp))


def _first_line(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__
