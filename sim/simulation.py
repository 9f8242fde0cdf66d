"""A plain function around the model, for experiment and sensitivity tools that know nothing of Mesa."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sim.metrics import HEADLINE
from sim.model import KnowledgeSharingModel
from sim.runner.outcomes import late_sharing, mean_sharing
from sim.scenario import Scenario
from sim.seeking_metrics import headline


def simulate(
    scenario: str | Path | Scenario = "baseline",
    weeks: int | None = None,
    seed: int | None = None,
    *,
    ensemble: int | None = None,
    posterior: str | Path | None = None,
    **overrides: Any,
) -> dict[str, Any]:
    """Run one scenario and return named scalar outcomes and weekly series.

    ``weeks`` and ``seed`` default to the scenario's own; ``overrides`` take
    any parameter by its bare name (``recognition=0.7``) or dotted path.
    Scalars: ``final_<series>`` for the last week, ``steady_week`` (the week a barter run stopped at its
    steady state, else None), ``mean_sharing_rate`` over
    all weeks after week 0, ``late_sharing_rate`` over the last quarter.

    With ``ensemble=N`` the scenario runs once for each of N parameter sets drawn from the calibration's
    posterior (``posterior``: a file from ``kshare calibrate``; default: the one shipped), each with its own
    seed derived from ``seed``. Every series is then the mean over the runs, with ``<series>_low`` and
    ``<series>_high`` the 2.5th and 97.5th percentiles; ``final_<series>`` likewise; ``draws`` and ``seeds``
    say what ran.
    """
    if weeks is not None:
        overrides["weeks"] = weeks
    if ensemble is not None:
        return _ensemble(scenario, ensemble, posterior, seed, overrides)
    model = KnowledgeSharingModel(scenario, rng=seed, **overrides)
    model.run()
    frame = model.timeseries()
    out: dict[str, Any] = {}
    for name in headline(frame.columns):
        series = frame[name].to_numpy(dtype=float)
        out[f"final_{name}"] = float(series[-1])
        out[name] = series
    out["mean_sharing_rate"] = mean_sharing(frame, model.params)
    out["late_sharing_rate"] = late_sharing(frame, model.params)
    out["seed"] = model.seed
    out["weeks"] = model.week
    out["steady_week"] = model.steady_week
    return out


def _ensemble(scenario, n: int, posterior, seed: int | None, overrides: dict[str, Any]) -> dict[str, Any]:
    from sim.ensemble import run_ensemble

    found = run_ensemble(scenario, n, posterior=posterior, seed=seed, **overrides)
    band = found.band()
    out: dict[str, Any] = {}
    for name in HEADLINE:
        for suffix in ("", "_low", "_high"):
            series = band[name + suffix].to_numpy(dtype=float)
            out[name + suffix] = series
            out[f"final_{name}{suffix}"] = float(series[-1])
    out["draws"], out["seeds"], out["posterior"] = found.draws, found.seeds, found.posterior
    return out
