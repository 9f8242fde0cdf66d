"""kshare: how knowledge sharing grows, stalls or dies in an organisation, and what culture interventions do about it.

The public names are loaded on first use, so that ``kshare validate`` does
not pay for importing Mesa, pandas and matplotlib.
"""

from importlib import import_module
from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("kshare")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+source"

_PUBLIC = {
    "KnowledgeSharingModel": "sim.model",
    "Scenario": "sim.scenario",
    "ScenarioError": "sim.scenario_files",
    "load_scenario": "sim.scenario_files",
    "preset_names": "sim.scenario_files",
    "simulate": "sim.simulation",
}

__all__ = [
    "KnowledgeSharingModel",
    "Scenario",
    "ScenarioError",
    "__version__",
    "load_scenario",
    "preset_names",
    "simulate",
]
assert set(__all__) == {*_PUBLIC, "__version__"}


def __getattr__(name: str):
    if name in _PUBLIC:
        return getattr(import_module(_PUBLIC[name]), name)
    raise AttributeError(f"module 'sim' has no attribute {name!r}")
