"""Who asked whom: seeking's requests pair by pair, and Borgatti & Cross's (2003) relational factors measured on
them.

Borgatti & Cross asked people whom they go to for information and found four features of the relation behind
it: *knowing* what the other knows, *valuing* it, having timely *access* to them, and (not significant) the
*cost* of asking them. The weekly outputs count requests; only the pairs show whether the model's requests
go where theirs did. ``RequestLog`` keeps each week's ``sim.seeking.Requests``; ``relational_factors``
measures the three factors the model has at the level of a pair (its cost of asking is a person's image cost,
the same whoever is asked, so it has no pair-level measure: docs/validation.md, "Seeking").
"""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from sim.contacts import CHANNELS

if TYPE_CHECKING:
    from sim.model import KnowledgeSharingModel


class RequestLog:
    """Every request of the weeks it was called for: ``record(model)`` after each ``model.step()``."""

    def __init__(self) -> None:
        self._weeks: list[pd.DataFrame] = []

    def record(self, model: KnowledgeSharingModel) -> None:
        seeking = getattr(model.rule, "seeking", None)
        if seeking is None:
            raise ValueError("seeking is off in this model (behaviour.seeking = false): no requests to record")
        r = seeking.last.requests
        rows = np.arange(len(r.asker))
        picked = r.chosen >= 0
        others = r.candidates_know.astype(np.float64)
        others[rows[picked], r.chosen[picked]] = np.nan  # the candidates not asked
        with warnings.catch_warnings():  # a request with one candidate has no others: NaN, as meant
            warnings.simplefilter("ignore", RuntimeWarning)
            others_know = np.nanmean(others, axis=1)
            best_known = np.nanmax(r.candidates_know, axis=1)
        self._weeks.append(
            pd.DataFrame(
                {
                    "week": np.full(len(rows), model.week, dtype=np.int32),
                    "asker": r.asker,
                    "asked": r.asked,
                    "channel": pd.Categorical.from_codes(
                        np.where(picked, r.channel, -1).astype(np.int64), dtype=pd.CategoricalDtype(list(CHANNELS))
                    ),
                    "domain": r.domain,
                    "answered": r.answered,
                    "awareness": r.awareness,
                    "asker_knows": r.asker_knows,
                    "asked_knows": r.asked_knows,
                    "others_know": others_know,
                    "best_known": best_known,
                }
            )
        )

    def frame(self) -> pd.DataFrame:
        """One row per request: the week, asker and person asked (-1: no one usable was drawn), the channel
        that reached them, the need's domain, whether it was answered that week, the asker's awareness, what the
        asker and the person asked knew of the domain when the request was made, and what the candidates not
        asked (their mean) and the best-informed candidate knew before the week's answers."""
        if not self._weeks:
            raise ValueError("no week recorded yet: call record(model) after each model.step()")
        return pd.concat(self._weeks, ignore_index=True)


def relational_factors(requests: pd.DataFrame) -> dict[str, float]:
    """Borgatti & Cross's factors on a log of requests (``RequestLog.frame``), each a difference whose sign is
    the direction they found:

    - ``knowing``: the share of requests that went to the best-informed of the colleagues drawn, for askers in
      the upper half of awareness of who knows what minus those in the lower half. The rule makes it positive
      (the aware ask the one who knows best), so it checks the rule, not the model;
    - ``knowing_reached``: the same difference in the share of requests that reached someone who knew more of
      the domain than the asker, which only such a colleague can answer: whether knowing who knows pays, which
      the rule does not decide (the aware are also those who ask and answer most, and know more themselves);
    - ``valuing``: the mean knowledge of the domain of the person asked minus that of the candidates not asked;
    - ``access_team``: the share of requests that went to a teammate, the most accessible colleagues;
    - ``answered_team`` and ``answered_other``: the share answered, of requests to a teammate and to anyone else.
    """
    made = requests[requests["asked"] >= 0]
    names = ("knowing", "knowing_reached", "valuing", "access_team", "answered_team", "answered_other")
    if made.empty:
        return dict.fromkeys(names, float("nan"))
    aware = made["awareness"] > made["awareness"].median()
    best = made["asked_knows"] >= made["best_known"]
    reached = made["asked_knows"] > made["asker_knows"]
    team = made["channel"] == "team"
    return {
        "knowing": float(best[aware].mean() - best[~aware].mean()),
        "knowing_reached": float(reached[aware].mean() - reached[~aware].mean()),
        "valuing": float((made["asked_knows"] - made["others_know"]).mean()),
        "access_team": float(team.mean()),
        "answered_team": float(made["answered"][team].mean()),
        "answered_other": float(made["answered"][~team].mean()),
    }
