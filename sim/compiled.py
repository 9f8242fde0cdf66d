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

Compiled code is cached on disk next to this file (``cache=True``), so only
the first import on a machine pays for compilation.
"""

from __future__ import annotations

import numpy as np
from numba import njit

F = np.float32
ZERO, HALF, ONE, FOUR = F(0), F(0.5), F(1), F(4)
#: A recognition is likelier when the knowledge was used: 0.4 + 0.6 x used.
RECOGNISED_BASE, RECOGNISED_USED = F(0.4), F(0.6)


@njit(cache=True, inline="always")
def _unit(x):
    """Clamp to [0, 1], as ``np.clip(x, 0, 1)`` does (max first, then min)."""
    if x < ZERO:
        x = ZERO
    if x > ONE:
        x = ONE
    return x


@njit(cache=True, inline="always")
def _absorbable(scale, absorptive, absorption, source, own, tanh_own):
    """The part of the gap a recipient takes in: absorptive capacity grows with related knowledge."""
    capacity = scale * absorptive * (ONE + absorption) * (HALF + HALF * tanh_own)
    if capacity > ONE:
        capacity = ONE
    gap = source - own
    if gap < ZERO:
        gap = ZERO
    return capacity * gap


@njit(cache=True)
def offers(knowledge, tanh_knowledge, s, r, channel, discounted, discount, scale, absorptive, absorption):
    """What each contact passes on, the sharer's strongest domain, and how much of it the recipient takes in
    (times ``discount`` on the ``discounted`` channel). Returns everyone's strongest domain too."""
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
        gain[i] = _absorbable(scale, absorptive[ri], absorption[ri], source[i], own, tanh_knowledge[ri, di]) * (
            discount if channel[i] == discounted else ONE)
    return best, d, source, gain


@njit(cache=True)
def flows(knowledge, tanh_knowledge, best, s, r, d, source, gain, returned, scale, absorptive, absorption):
    """Absorb this week's knowledge: what was shared, then what came back from the recipients who answered in
    kind (from their own strongest domain), all measured against the knowledge the week began with."""
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
            gains[k] = _absorbable(scale, absorptive[taker], absorption[taker], sources[k], knowledge[taker, db],
                                   tanh_knowledge[taker, db])
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
def answers(s, r, channel, used, chance, lever_recognition, lever_feedback, lever_reciprocity, lever_critique,
            reciprocation, critique_base, channel_reciprocity, intention, safety):
    """How each recipient answers a share: recognition, feedback on its use, knowledge in return, critique.

    ``chance`` holds one uniform draw per contact for each answer (rows 1 to 4; row 0 decided ``used``).
    """
    e = len(s)
    recognised = np.empty(e, dtype=np.bool_)
    fed_back = np.empty(e, dtype=np.bool_)
    returned = np.empty(e, dtype=np.bool_)
    critiqued = np.empty(e, dtype=np.bool_)
    for i in range(e):
        si, ri = s[i], r[i]
        recognised[i] = chance[1, i] < lever_recognition[si] * (RECOGNISED_BASE + RECOGNISED_USED * F(used[i]))
        fed_back[i] = used[i] and chance[2, i] < lever_feedback[si]
        back = _unit(reciprocation * (HALF + intention[ri]) + lever_reciprocity[ri])
        returned[i] = chance[3, i] < back * channel_reciprocity[channel[i]]
        critiqued[i] = chance[4, i] < _unit(critique_base * (ONE - safety[ri]) + lever_critique[ri])
    return recognised, fed_back, returned, critiqued


@njit(cache=True)
def learn_from_answers(s, recognised, returned, fed_back, critiqued, friction, experience, rate_scale,
                       penalty, disconfirmation, satisfaction_rate, expectation_rate, critique_kept,
                       recognition, reciprocation, ease, self_efficacy, satisfaction, expectation, critique_memory,
                       share_count):
    """Each sharer updates the four experiences, satisfaction and expectation from the answers to their shares.

    Contacts are sorted by sharer, so each sharer's contacts are one run of ``s``.
    Returns the sharers, in order.
    """
    e = len(s)
    who = np.empty(e, dtype=np.int64)
    n_who = 0
    k = 0
    while k < e:
        w = s[k]
        j = k
        rec = back = eff = crit_n = 0
        while j < e and s[j] == w:
            rec += recognised[j]
            back += returned[j]
            eff += fed_back[j]
            crit_n += critiqued[j]
            j += 1
        per = F(j - k)
        rec_obs, back_obs, eff_obs, crit = F(rec) / per, F(back) / per, F(eff) / per, F(crit_n) / per
        ease_obs = _unit(ONE - friction[w] - HALF * crit)
        rate = rate_scale * experience[w]
        if rate > ONE:
            rate = ONE
        recognition[w] += rate * (rec_obs - recognition[w])
        reciprocation[w] += rate * (back_obs - reciprocation[w])
        ease[w] += rate * (ease_obs - ease[w])
        self_efficacy[w] += rate * (eff_obs - self_efficacy[w])
        performance = _unit((rec_obs + back_obs + ease_obs + eff_obs) / FOUR - penalty * crit)
        confirmation = performance - expectation[w]
        target = _unit(performance + disconfirmation * confirmation)
        satisfaction[w] += satisfaction_rate * (target - satisfaction[w])
        expectation[w] += expectation_rate * confirmation
        critique_memory[w] += critique_kept * crit
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
def learn_by_watching(team, n_teams, team_size, shared, s, r, recognised, sharers, vicarious, rate_scale, friction,
                      recognition, reciprocation, ease):
    """People who did not share update, more slowly, from what they saw: their team sharing and being
    recognised, knowledge coming to them, and how easy sharing looks."""
    n = len(team)
    sharer_team = np.empty(len(s), dtype=np.int64)
    for i in range(len(s)):
        sharer_team[i] = team[s[i]]
    team_shares = np.zeros(n_teams, dtype=np.int64)
    for i in range(len(s)):
        team_shares[sharer_team[i]] += 1
    team_rate = team_rates(team, n_teams, shared, team_size)
    seen_recognised = team_rates(sharer_team, n_teams, recognised, team_shares)
    received = np.zeros(n, dtype=np.bool_)
    for i in range(len(r)):
        received[r[i]] = True
    rate = np.empty(n, dtype=F)
    for i in range(n):
        rate[i] = rate_scale * vicarious[i]
        if rate[i] > ONE:
            rate[i] = ONE
    for w in sharers:  # sharers learnt from their own answers
        rate[w] = ZERO
    for i in range(n):
        t = team[i]
        seen_back = HALF * team_rate[t] + HALF * F(received[i])
        reciprocation[i] += rate[i] * (seen_back - reciprocation[i])
        saw = rate[i] if team_shares[t] > 0 else ZERO
        recognition[i] += saw * (seen_recognised[t] - recognition[i])
        ease[i] += rate[i] * ((ONE - friction[i]) - ease[i])


@njit(cache=True, inline="always")
def _teammate(members, team_start, team_size, team, who, u):
    """A uniformly chosen teammate of ``who`` (never themselves): on landing on oneself, the next member round."""
    t = team[who]
    size = team_size[t]
    pick = team_start[t] + np.int64(u * size)
    mate = members[pick]
    if mate == who:
        mate = members[team_start[t] + (pick - team_start[t] + 1) % size]
    return mate


@njit(cache=True)
def teammates(members, team_start, team_size, team, who, u):
    out = np.empty(len(who), dtype=members.dtype)
    for i in range(len(who)):
        out[i] = _teammate(members, team_start, team_size, team, who[i], u[i])
    return out


#: Channel codes of the contacts ``contacts`` itself resolves; the others are left to ``sim.channels``.
TEAM, WEAK, REPORTING = 0, 1, 2


@njit(cache=True)
def contacts(s, pick, kind, draw_start, draw, members, team_start, team_size, team, weak_ties, manager_of):
    """The colleague each contact reaches through its channel: ``pick`` is the channel's place in ``kind``
    (its code), and a contact of place j uses the next unused of the draws starting at ``draw_start[j]``.

    Contacts through pairs and communities are left at -1 for the caller.
    """
    e = len(s)
    r = np.full(e, -1, dtype=np.int64)
    used = np.zeros(len(kind), dtype=np.int64)
    width = weak_ties.shape[1]
    for i in range(e):
        j = pick[i]
        u = draw[draw_start[j] + used[j]]
        used[j] += 1
        who = s[i]
        if kind[j] == TEAM:
            r[i] = _teammate(members, team_start, team_size, team, who, u)
        elif kind[j] == WEAK:
            r[i] = weak_ties[who, np.int64(u * width)]
        elif kind[j] == REPORTING:
            r[i] = manager_of[who]
    return r


@njit(cache=True)
def intention_terms(bias, disposition, weights, inputs, bonus):
    """Each driver's push on the intention, in logits (one row per driver, in the order of
    ``sim.dynamics.DRIVERS``), and their sum, added up in that order.

    ``inputs`` are the weighted drivers, each pushing by ``weight x (value - 1/2)``.
    """
    n = len(disposition)
    terms = np.empty((len(inputs) + 3, n), dtype=F)
    z = np.empty(n, dtype=F)
    for i in range(n):
        terms[0, i] = bias
        terms[1, i] = disposition[i]
        total = bias + disposition[i]
        for k in range(len(inputs)):
            push = weights[k] * (inputs[k][i] - HALF)
            terms[k + 2, i] = push
            total += push
        terms[len(inputs) + 2, i] = bonus[i]
        z[i] = total + bonus[i]
    return terms, z


@njit(cache=True)
def perceived_safety(climate, team, offset, critique_memory, critique_weight):
    """Each person's safety: their team's climate, their own offset, less what recent critique took away."""
    out = np.empty(len(team), dtype=F)
    for i in range(len(team)):
        out[i] = _unit(climate[team[i]] + offset[i] - critique_weight * critique_memory[i])
    return out


@njit(cache=True)
def activity(last_shared, week, window, never):
    """How many have shared within ``window`` weeks (active), shared before that (lapsed), or never shared."""
    active = lapsed = none = 0
    for last in last_shared:
        if last == never:
            none += 1
        elif week - last < window:
            active += 1
        else:
            lapsed += 1
    return active, lapsed, none


@njit(cache=True)
def share_crossing(group, s, r):
    """The share of contacts whose sharer and recipient are in different groups (teams, departments)."""
    crossing = 0
    for i in range(len(s)):
        crossing += group[s[i]] != group[r[i]]
    return crossing / len(s)


@njit(cache=True)
def settle_climate(climate, climate_base, push, rate, memory_rate):
    """Each team's climate moves toward its resting level plus this week's push; a climate lived long
    enough becomes the resting level. The push may be float64, and the target is taken in its precision."""
    for t in range(len(climate)):
        target = _unit(climate_base[t] + push[t])
        climate[t] += rate * F(target - climate[t])
        climate_base[t] += memory_rate * (climate[t] - climate_base[t])


@njit(cache=True)
def real_contacts(s, r, channel):
    """The contacts that reached someone: not nobody (-1), not oneself."""
    keep = 0
    for i in range(len(s)):
        keep += r[i] >= 0 and r[i] != s[i]
    out_s, out_r = np.empty(keep, dtype=s.dtype), np.empty(keep, dtype=r.dtype)
    out_c = np.empty(keep, dtype=channel.dtype)
    k = 0
    for i in range(len(s)):
        if r[i] >= 0 and r[i] != s[i]:
            out_s[k], out_r[k], out_c[k] = s[i], r[i], channel[i]
            k += 1
    return out_s, out_r, out_c


@njit(cache=True)
def top_shares(counts, people):
    """The share of all contacts made by the ``people[j]`` most active employees, for each j (exact counts)."""
    total = 0
    for c in counts:
        total += c
    out = np.zeros(len(people), dtype=np.float64)
    if total == 0:
        return out
    ordered = np.sort(counts)
    n = len(counts)
    for j in range(len(people)):
        top = 0
        for k in range(n - people[j], n):
            top += ordered[k]
        out[j] = top / total
    return out


@njit(cache=True)
def drift_knowledge(knowledge, specialty, kept, learned):
    """Everything one knows keeps ``kept`` of its value; one's specialty then grows by ``learned``."""
    for i in range(knowledge.shape[0]):
        for k in range(knowledge.shape[1]):
            knowledge[i, k] *= kept
        knowledge[i, specialty[i]] += learned


@njit(cache=True)
def choose_channels(fixed, u):
    """For each draw in ``u``, the first channel whose cumulative weight ``fixed`` exceeds it (scaled to the
    total), as ``np.searchsorted(fixed, u * fixed[-1], side="right")``; and where each channel's colleague
    draws start, when they are made channel by channel."""
    total = fixed[len(fixed) - 1]
    pick = np.empty(len(u), dtype=np.int64)
    counts = np.zeros(len(fixed), dtype=np.int64)
    for i in range(len(u)):
        x = u[i] * total
        j = 0
        while j < len(fixed) and fixed[j] <= x:
            j += 1
        pick[i] = j
        counts[j] += 1
    start = np.zeros(len(fixed), dtype=np.int64)
    for j in range(1, len(fixed)):
        start[j] = start[j - 1] + counts[j - 1]
    return pick, start


@njit(cache=True)
def colleagues_example(team, n_teams, visibility, shared, team_visibility):
    """How much of their team each person saw sharing last week, weighted by visibility (managers count more)."""
    seen = np.zeros(n_teams, dtype=np.float64)
    for i in range(len(team)):
        seen[team[i]] += visibility[i] * F(shared[i])
    out = np.empty(len(team), dtype=F)
    for i in range(len(team)):
        out[i] = F(seen[team[i]] / team_visibility[team[i]])
    return out


@njit(cache=True)
def follow_intention(intention, exp_minus_z, rate):
    """Intention moves toward the logistic of its drivers; ``exp_minus_z`` is exp(-logit), taken in numpy."""
    for i in range(len(intention)):
        intention[i] += rate * (ONE / (ONE + exp_minus_z[i]) - intention[i])


@njit(cache=True)
def chance_to_share(intention, opportunity, friction, friction_weight):
    """Intention times opportunity, less the part of friction that stops people."""
    out = np.empty(len(intention), dtype=F)
    for i in range(len(intention)):
        out[i] = intention[i] * opportunity[i] * (ONE - friction_weight * friction[i])
    return out


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
