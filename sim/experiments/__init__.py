"""Experiments at scale: sweeps over scenarios and parameters with replications, on any engine.

``load_experiment`` checks a file; ``run_sweep`` runs it into a folder,
resumably; ``sim.experiments.results`` reads the folder back; ``analyse``
turns it into tables, figures and a report. Names load on first use, so the
command line starts without importing the model.
"""

from importlib import import_module

_PUBLIC = {
    "ExperimentError": "sim.experiments.definition",
    "LoadedExperiment": "sim.experiments.definition",
    "experiment_names": "sim.experiments.definition",
    "load_experiment": "sim.experiments.definition",
    "SweepError": "sim.experiments.sweep",
    "SweepResult": "sim.experiments.sweep",
    "run_sweep": "sim.experiments.sweep",
    "analyse": "sim.experiments.report",
}

__all__ = list(_PUBLIC)


def __getattr__(name: str):
    if name in _PUBLIC:
        return getattr(import_module(_PUBLIC[name]), name)
    raise AttributeError(f"module 'sim.experiments' has no attribute {name!r}")
