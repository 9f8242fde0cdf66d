"""Experiments at scale: sweeps over scenarios and parameters with replications, on any engine.

``load_experiment`` checks a file; ``run_sweep`` runs it into a folder,
resumably; ``sim.runner.results`` reads the folder back; ``analyse``
turns it into tables, figures and a report. Names load on first use, so the
command line starts without importing the model.
"""

from importlib import import_module

_PUBLIC = {
    "ExperimentError": "sim.runner.definition",
    "LoadedExperiment": "sim.runner.definition",
    "experiment_names": "sim.runner.definition",
    "load_experiment": "sim.runner.definition",
    "SweepError": "sim.runner.sweep",
    "SweepResult": "sim.runner.sweep",
    "run_sweep": "sim.runner.sweep",
    "analyse": "sim.runner.report",
}

__all__ = list(_PUBLIC)


def __getattr__(name: str):
    if name in _PUBLIC:
        return getattr(import_module(_PUBLIC[name]), name)
    raise AttributeError(f"module 'sim.runner' has no attribute {name!r}")
