"""Runners that misbehave on purpose, for the sweep's failure tests.

They live in a module of their own so that worker processes can import them
by name; which run misbehaves, and how, travels with the pickled runner.
"""

import os
import signal
from dataclasses import dataclass
from pathlib import Path

from sim.runner.worker import execute


@dataclass
class Misbehave:
    """Run everything normally except ``victim``, which kills its worker (SIGKILL) or raises.

    ``once`` names a marker file: the victim misbehaves only on its first
    attempt, and the marker proves that it did.
    """

    victim: str
    how: str = "kill"  # or "raise"
    once: Path | None = None

    def __call__(self, spec):
        if spec.run_id == self.victim and not (self.once and self.once.exists()):
            if self.once:
                self.once.touch()
            if self.how == "kill":
                os.kill(os.getpid(), signal.SIGKILL)
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


class Terminate(Interrupt):
    """SIGTERM to this process in the middle of a sequential sweep, after ``after`` runs have finished."""

    def __call__(self, spec):
        if self.count == self.after:
            os.kill(os.getpid(), signal.SIGTERM)
        self.count += 1
        return execute(spec)
