"""The per-contact and per-person loops of a week, compiled with numba.

Why compiled: in an organisation of a few hundred people a week has a few
hundred contacts. Written as whole-array numpy code, the exchange was about a
hundred small array operations a week, and their call overhead, not the
arithmetic, set the speed of a sweep. A loop does the same arithmetic in one
pass over the contacts.

The loops keep the numbers of the array code to the last digit: every
quantity stays float32 and is computed in the same order, counts are exact,
and the means taken in float64 are divided in float64 before rounding, as
``np.bincount`` did. Two things stay in numpy on purpose, ``tanh`` and
``exp``/``expm1``: numpy's vectorised float32 versions and the C library that
compiled code calls differ in the last bit.

Compiled code is cached on disk next to the source (``cache=True``), so only
the first run on a machine pays for compilation (about 15 s).
"""

from sim.compiled.arguments import (
    Absorption,
    AnswerChances,
    Answering,
    AnswerLevers,
    Answers,
    Asked,
    Asker,
    AskingChoice,
    Beliefs,
    Exchanges,
    Learning,
    RequestRecord,
    Teams,
    Watching,
)
from sim.compiled.climate import drift_knowledge, perceived_safety, settle_climate
from sim.compiled.contacts import (
    REPORTING,
    TEAM,
    WEAK,
    choose_channels,
    contacts,
    draw_starts,
    real_contacts,
    teammates,
)
from sim.compiled.exchange import (
    absorb,
    answers,
    critique_rates,
    flows,
    learn_by_watching,
    learn_from_answers,
    offers,
    team_rates,
)
from sim.compiled.intention import (
    chance_to_share,
    colleagues_example,
    follow_intention,
    intention_terms,
)
from sim.compiled.outputs import activity, group_sums, row_means, share_crossing, top_shares
from sim.compiled.seeking import answer_requests, group_ratios, learn_who_knows, needs_and_asking

__all__ = [
    "REPORTING",
    "TEAM",
    "WEAK",
    "Absorption",
    "AnswerChances",
    "AnswerLevers",
    "Answering",
    "Answers",
    "Asked",
    "Asker",
    "AskingChoice",
    "Beliefs",
    "Exchanges",
    "Learning",
    "RequestRecord",
    "Teams",
    "Watching",
    "absorb",
    "activity",
    "answer_requests",
    "answers",
    "chance_to_share",
    "choose_channels",
    "colleagues_example",
    "contacts",
    "critique_rates",
    "draw_starts",
    "drift_knowledge",
    "flows",
    "follow_intention",
    "group_ratios",
    "group_sums",
    "intention_terms",
    "learn_by_watching",
    "learn_from_answers",
    "learn_who_knows",
    "needs_and_asking",
    "offers",
    "perceived_safety",
    "real_contacts",
    "row_means",
    "settle_climate",
    "share_crossing",
    "team_rates",
    "teammates",
    "top_shares",
]
