"""Agent types: regular employees, managers and leaders, newcomers.

Each type is a Mesa agent that is a window onto one row of the model's state
arrays. Types differ in parameters (how visible their behaviour is, how much
they learn from what they see) and in behaviour hooks that the weekly rules
call once per type on all its members at once.
"""

from sim.agents.employee import Employee
from sim.agents.manager import Manager
from sim.agents.newcomer import Newcomer

AGENT_TYPES: tuple[type[Employee], ...] = (Employee, Manager, Newcomer)

__all__ = ["AGENT_TYPES", "Employee", "Manager", "Newcomer"]
