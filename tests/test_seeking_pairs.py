"""Who asked whom (sim/seeking_pairs.py): the pair-level record agrees with the weekly counts and with the rule
that made it, and its relational factors have the directions docs/validation.md reports."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sim import KnowledgeSharingModel
from sim.seeking_pairs import RequestLog, relational_factors


def logged(seed: int, weeks: int = 30, employees: int = 300, **settings):
    model = KnowledgeSharingModel("baseline", rng=seed, employees=employees, weeks=weeks, **settings)
    log, counts = RequestLog(), []
    for _ in range(weeks):
        model.step()
        log.record(model)
        week = model.rule.seeking.last
        counts.append((int(week.asked.sum()), int(week.answered.sum())))
    return model, log.frame(), counts


def test_the_log_holds_every_request_and_every_answer_comes_from_someone_who_knew_more():
    _, requests, counts = logged(5)
    weeks = range(1, 31)
    assert requests.groupby("week").size().reindex(weeks, fill_value=0).tolist() == [asked for asked, _ in counts]
    by_week = requests.groupby("week")["answered"].sum().reindex(weeks, fill_value=0)
    assert by_week.tolist() == [answered for _, answered in counts]
    assert (requests["asker"] != requests["asked"]).all()
    answered = requests[requests["answered"]]
    assert len(answered) > 20
    assert (answered["asked"] >= 0).all()
    assert (answered["asked_knows"] > answered["asker_knows"]).all()  # only someone who knows more can answer


def test_requests_go_to_colleagues_who_know_more_than_those_not_asked_and_mostly_to_teammates():
    """Knowing, valuing and access: built into whom people ask (the best-informed candidate, for those who know
    who knows; candidates drawn through the channels, the team's the widest), so they must show. Valuing and
    access are large and hold in every one of 4 seeds; knowing is a few points (awareness differs little
    between the halves it compares), so it is asked of the requests of 4 seeds together, about 1,900, where
    it stands about four standard errors above zero (0.095, s.e. 0.022). ``knowing_reached`` is not built
    in, and docs/validation.md reports what it does."""
    frames = []
    for seed in range(4):
        requests = logged(seed, weeks=40, employees=500)[1]
        factors = relational_factors(requests)
        assert factors["valuing"] > 0, seed
        assert 0.3 < factors["access_team"] < 0.9, seed
        frames.append(requests)
    assert relational_factors(pd.concat(frames))["knowing"] > 0


def test_the_log_refuses_a_model_without_seeking():
    model = KnowledgeSharingModel("baseline", rng=1, employees=100, weeks=2, seeking=False)
    model.step()
    with pytest.raises(ValueError, match="seeking is off"):
        RequestLog().record(model)
    with pytest.raises(ValueError, match="no week recorded"):
        RequestLog().frame()
    assert np.isnan(relational_factors(logged(1, weeks=1)[1].iloc[:0])["knowing"])
