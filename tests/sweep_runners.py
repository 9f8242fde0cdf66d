"""Runners that misbehave on purpose, for the sweep's failure tests.

They live in a module of their own so that worker processes can import them
by name; which run misbehaves travels with the pickled runner itself.
"""

import os
import signal
from dataclasses import dataclass
from pathlib import Path

from sim.experiments.worker import execute


@dataclass
class KillOnce:
    """The victim's worker is killed (SIGKILL) the first time the victim runs; later attempts succeed."""

    victim: str
    marker: Path

    def __call__(self, spec):
        if spec.run_id == self.victim and not self.marker.exists():
            self.marker.touch()
            os.kill(os.getpid(), signal.SIGKILL)
        return execute(spec)


@dataclass
class KillAlways:
    """The victim kills its worker every time it runs."""

    victim: str

    def __call__(self, spec):
        if spec.run_id == self.victim:
            os.kill(os.getpid(), signal.SIGKILL)
        return execute(spec)


@dataclass
class RaiseAlways:
    """The victim fails with an ordinary Python error every time."""

    victim: str

    def __call__(self, spec):
        if spec.run_id == self.victim:
            raise RuntimeError(f"deliberate failure of {spec.run_id}")
        return execute(spec)


class Interrupt:
    """Ctrl-C in the middle of a sequential sweep, after ``after`` runs have finished."""

    def __init__(self, after: int):
        self.after, self.count = after, 0

    def __call__(self, spec):
        if self.count == self.after:
            raise KeyboardInterrupt
        self.count += 1
        return execute(spec)
