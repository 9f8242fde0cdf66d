"""Create one Mesa agent per employee, fast enough for a million of them.

``Agent.__init__`` registers each agent one at a time, emitting a signal and
formatting a log message per agent: about 5 s for a million employees, a
sixth of the whole budget for a one-year run at that size. When nothing can
be listening (the model is still being built, and no agent type has data
sets attached), the agents are created and registered in bulk instead, with
the same unique ids, types and agent sets the one-by-one path would give.
If Mesa's internals ever differ from what this expects, it falls back to the
ordinary path, so the result is always a correctly registered population.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from mesa.agentset import _HardKeyAgentSet

if TYPE_CHECKING:
    from sim.agents.employee import Employee
    from sim.model import KnowledgeSharingModel


def _bulk_possible(model: KnowledgeSharingModel, types: tuple[type[Employee], ...]) -> bool:
    return (
        isinstance(getattr(model.agents, "_agents", None), dict)
        and isinstance(getattr(model, "_agents_by_type", None), dict)
        and len(model.agents) == 0
        and not any(cls._datasets for cls in types)
    )


def create_population(
    model: KnowledgeSharingModel, types: tuple[type[Employee], ...], kind: np.ndarray
) -> list[Employee]:
    """Agents for rows 0..n-1, row i of type ``types[kind[i]]``."""
    if not _bulk_possible(model, types):
        return [types[k](model, i) for i, k in enumerate(kind.tolist())]
    first = model.agent_id_counter
    make = object.__new__
    agents = [make(types[k]) for k in kind.tolist()]
    for i, agent in enumerate(agents):  # a fresh __dict__ is the cheapest way to set four attributes
        agent.__dict__ = {"model": model, "unique_id": first + i, "pos": None, "index": i}
    model.agent_id_counter = first + len(agents)
    model.agents._agents.update(dict.fromkeys(agents))
    for code, cls in enumerate(types):
        rows = np.flatnonzero(kind == code)
        if rows.size:
            model._agents_by_type[cls] = _HardKeyAgentSet([agents[i] for i in rows.tolist()], random=model.random)
    return agents
