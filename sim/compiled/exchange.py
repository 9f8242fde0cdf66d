"""The exchange, contact by contact: what flows, how recipients answer, what is absorbed, and what sharers
and onlookers learn from it."""

from __future__ import annotations

import numpy as np
from numba import njit

from sim.compiled.common import FOUR, HALF, ONE, ZERO, F, clamp01


@njit(cache=True, inline="always")
def _absorbable(capacity, who, source, own, tanh_own):
    """The part of the gap ``who`` takes in: absorptive capacity grows with related knowledge."""
    capacity = capacity.scale * capacity.absorptive[who] * (ONE + capacity.lever[who]) * (HALF + HALF * tanh_own)
    if capacity > ONE:
        capacity = ONE
    gap = source - own
    if gap < ZERO:
        gap = ZERO
    return capacity * gap


@njit(cache=True)
def offers(knowledge, tanh_knowledge, ex, discounted, discount, capacity):
    """What each contact passes on, the sharer's strongest domain, and how much of it the recipient takes in
    (times ``discount`` on the ``discounted`` channel). Returns everyone's strongest domain too."""
    s, r, channel = ex
    n, domains = knowledge.shape
    best = np.empty(n, dtype=np.int64)
    for i in range(n):  # the first of equal maxima, as argmax
        top = 0
        for k in range(1, domains):
            if knowledge[i, k] > knowledge[i, top]:
                top = k
        best[i] = top
    e = len(s)
    d = np.empty(e, dtype=np.int64)
    source = np.empty(e, dtype=F)
    gain = np.empty(e, dtype=F)
    for i in range(e):
        ri, di = r[i], best[s[i]]
        d[i] = di
        source[i] = knowledge[s[i], di]
        own = knowledge[ri, di]
        gain[i] = _absorbable(capacity, ri, source[i], own, tanh_knowledge[ri, di]) * (
            discount if channel[i] == discounted else ONE
        )
    return best, d, source, gain


@njit(cache=True)
def flows(knowledge, tanh_knowledge, best, ex, d, source, gain, returned, capacity):
    """Absorb this week's knowledge: what was shared, then what came back from the recipients who answered in
    kind (from their own strongest domain), all measured against the knowledge the week began with."""
    s, r = ex.sharer, ex.recipient
    domains = knowledge.shape[1]
    e = len(s)
    m = e + returned.sum()
    cell = np.empty(m, dtype=np.int64)
    gains = np.empty(m, dtype=F)
    sources = np.empty(m, dtype=F)
    for i in range(e):
        cell[i], gains[i], sources[i] = r[i] * domains + d[i], gain[i], source[i]
    k = e
    for i in range(e):
        if returned[i]:
            giver, taker = r[i], s[i]
            db = best[giver]
            cell[k] = taker * domains + db
            sources[k] = knowledge[giver, db]
            gains[k] = _absorbable(capacity, taker, sources[k], knowledge[taker, db], tanh_knowledge[taker, db])
            k += 1
    absorb(knowledge, cell, gains, sources)


@njit(cache=True)
def absorb(knowledge, cell, gain, source):
    """Add this week's gains to knowledge (``cell`` indexes it flattened), in order; no one ends up knowing
    more than their best source this week, however many sources taught them the same thing."""
    flat = knowledge.reshape(-1)
    m = len(cell)
    before = np.empty(m, dtype=flat.dtype)
    ceiling = np.empty(m, dtype=flat.dtype)
    for k in range(m):
        before[k] = flat[cell[k]]
    for k in range(m):  # each taught cell's ceiling, gathered in the cell itself for a moment
        if source[k] > flat[cell[k]]:
            flat[cell[k]] = source[k]
    for k in range(m):
        ceiling[k] = flat[cell[k]]
    for k in range(m):
        flat[cell[k]] = before[k]
    for k in range(m):
        flat[cell[k]] += gain[k]
    for k in range(m):
        if flat[cell[k]] > ceiling[k]:
            flat[cell[k]] = ceiling[k]


@njit(cache=True)
def answers(ex, used, chance, chances, intention, safety):
    """How each recipient answers a share: recognition, feedback on its use, knowledge in return, critique.

    ``chance`` holds one uniform draw per contact for each answer (rows 1 to 4; row 0 decided ``used``).
    A recognition is likelier when the knowledge was used.
    """
    s, r, channel = ex
    c = chances
    e = len(s)
    recognised = np.empty(e, dtype=np.bool_)
    fed_back = np.empty(e, dtype=np.bool_)
    returned = np.empty(e, dtype=np.bool_)
    critiqued = np.empty(e, dtype=np.bool_)
    for i in range(e):
        si, ri = s[i], r[i]
        ch = channel[i]
        engaged = HALF + intention[ri]  # thanks and word of use come from colleagues engaged in sharing
        recognition = c.recognition[si] * (c.recognised_base + c.recognised_used * F(used[i])) * engaged
        recognised[i] = chance[1, i] < recognition * c.channel_recognition[ch]
        fed_back[i] = used[i] and chance[2, i] < c.feedback[si] * engaged * c.channel_feedback[ch]
        back = clamp01(c.reciprocation[ri] * (HALF + intention[ri]) + c.reciprocity[ri])
        returned[i] = chance[3, i] < back * c.channel_reciprocity[ch]
        critique = clamp01(c.critique_base * (ONE - safety[ri]) + c.critique[ri])
        critiqued[i] = chance[4, i] < critique * c.channel_critique[ch]
    return recognised, fed_back, returned, critiqued


@njit(cache=True)
def learn_from_answers(s, answers, friction, learning, beliefs, share_count):
    """Each sharer updates the four experiences, satisfaction and expectation from the answers to their shares.

    Contacts are sorted by sharer, so each sharer's contacts are one run of ``s``.
    Returns the sharers, in order.
    """
    a, g, b = answers, learning, beliefs
    e = len(s)
    who = np.empty(e, dtype=np.int64)
    n_who = 0
    k = 0
    while k < e:
        w = s[k]
        j = k
        rec = back = eff = crit_n = 0
        while j < e and s[j] == w:
            rec += a.recognised[j]
            back += a.returned[j]
            eff += a.fed_back[j]
            crit_n += a.critiqued[j]
            j += 1
        per = F(j - k)
        rec_obs, back_obs, eff_obs, crit = F(rec) / per, F(back) / per, F(eff) / per, F(crit_n) / per
        ease_obs = clamp01(ONE - friction[w] - g.critique_on_ease * crit)
        rate = g.rate * g.experience[w]
        if rate > ONE:
            rate = ONE
        b.recognition[w] += rate * (rec_obs - b.recognition[w])
        b.reciprocation[w] += rate * (back_obs - b.reciprocation[w])
        b.ease[w] += rate * (ease_obs - b.ease[w])
        b.self_efficacy[w] += rate * (eff_obs - b.self_efficacy[w])
        performance = clamp01((rec_obs + back_obs + ease_obs + eff_obs) / FOUR - g.critique_penalty * crit)
        confirmation = performance - b.expectation[w]
        target = clamp01(performance + g.disconfirmation * confirmation)
        b.satisfaction[w] += g.satisfaction_rate * (target - b.satisfaction[w])
        b.expectation[w] += g.expectation_rate * confirmation
        b.critique_memory[w] += g.critique_added * crit
        share_count[w] += j - k
        who[n_who] = w
        n_who += 1
        k = j
    return who[:n_who]


@njit(cache=True)
def team_rates(team, n_teams, flag, denominator):
    """Per team, the count of ``flag`` over ``denominator`` (at least one), divided in float64 and kept as float32."""
    hits = np.zeros(n_teams, dtype=np.float64)
    for i in range(len(team)):
        hits[team[i]] += flag[i]
    out = np.empty(n_teams, dtype=F)
    for t in range(n_teams):
        out[t] = F(hits[t] / max(denominator[t], 1))
    return out


@njit(cache=True)
def learn_by_watching(teams, ex, answers, sharers, watching, friction, beliefs):
    """People who did not share form the same four beliefs, more slowly, from what they saw happen to the
    teammates who shared this week: how often those shares were recognised, answered in kind, used (and the
    sharer told so) and criticised. Seeing colleagues criticised makes sharing look harder and feel less safe.
    Nothing is learnt in a week when no teammate shared."""
    s = ex.sharer
    team, n_teams = teams.team, len(teams.size)
    n = len(team)
    sharer_team = np.empty(len(s), dtype=np.int64)
    for i in range(len(s)):
        sharer_team[i] = team[s[i]]
    team_shares = np.zeros(n_teams, dtype=np.int64)
    for i in range(len(s)):
        team_shares[sharer_team[i]] += 1
    seen_recognised = team_rates(sharer_team, n_teams, answers.recognised, team_shares)
    seen_returned = team_rates(sharer_team, n_teams, answers.returned, team_shares)
    seen_fed_back = team_rates(sharer_team, n_teams, answers.fed_back, team_shares)
    seen_critiqued = team_rates(sharer_team, n_teams, answers.critiqued, team_shares)
    rate = np.empty(n, dtype=F)
    for i in range(n):
        rate[i] = watching.rate * watching.vicarious[i]
        if rate[i] > ONE:
            rate[i] = ONE
    for w in sharers:  # sharers learnt from their own answers
        rate[w] = ZERO
    b = beliefs
    for i in range(n):
        t = team[i]
        if team_shares[t] == 0 or rate[i] == ZERO:
            continue
        saw = rate[i]
        critiqued = seen_critiqued[t]
        b.recognition[i] += saw * (seen_recognised[t] - b.recognition[i])
        b.reciprocation[i] += saw * (seen_returned[t] - b.reciprocation[i])
        b.ease[i] += saw * (clamp01(ONE - friction[i] - watching.critique_on_ease * critiqued) - b.ease[i])
        b.self_efficacy[i] += saw * (watching.efficacy_seen * seen_fed_back[t] - b.self_efficacy[i])
        b.critique_memory[i] += watching.critique_added * critiqued


@njit(cache=True)
def critique_rates(team, r, critiqued, n_teams):
    """The share of each team's received contacts that its members answered with critique."""
    events = np.zeros(n_teams, dtype=np.int64)
    for i in range(len(r)):
        events[team[r[i]]] += 1
    recipient_team = np.empty(len(r), dtype=np.int64)
    for i in range(len(r)):
        recipient_team[i] = team[r[i]]
    return team_rates(recipient_team, n_teams, critiqued, events)
