"""One row per team of a run on an organisation's own chart: where the survey put it and what it did.

A strategist's question about their own organisation is about teams: which ones share, which ones do not,
and whether the ones the survey shows as unsafe are among them. The by-department columns of the weekly
table average a department's teams together, and a few unsafe teams in a large department hardly move its
mean; this table shows each team.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from sim.model import KnowledgeSharingModel


def team_table(model: KnowledgeSharingModel) -> pd.DataFrame:
    """Each team's name, department and size, the safety its survey gave it (empty where the survey did not),
    its climate at week 0 and now, the mean share of its members who shared in a week since week 0, and its
    members' perceived safety now."""
    org, st = model.org, model.state
    weeks = max(model.week, 1)
    size = np.maximum(org.team_size, 1)
    shared = np.bincount(org.team, weights=model.weeks_shared, minlength=org.n_teams) / size / weeks
    safety = np.bincount(org.team, weights=st.safety, minlength=org.n_teams) / size
    survey = model.team_culture
    surveyed = (
        np.where(survey.surveyed["psychological_safety"], survey.values["psychological_safety"], np.nan)
        if survey is not None
        else np.full(org.n_teams, np.nan)
    )
    return pd.DataFrame(
        {
            "team": [org.team_label(t) for t in range(org.n_teams)],
            "department": [org.department_label(d) for d in org.team_department],
            "people": org.team_size,
            "survey_safety": surveyed,
            "climate_week_0": model.start_climate,
            "climate_now": st.climate,
            "sharing_rate": shared,
            "perceived_safety_now": safety,
        }
    )
