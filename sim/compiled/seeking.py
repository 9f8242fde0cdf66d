"""Seeking's passes over everyone (sim/seeking.py): needs, the choice to ask, and awareness of who knows what.

Written as numpy, each was a dozen passes over the organisation for a few hundred requests; one loop does it.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from sim.compiled.common import F, clamp01

NO_NEED = -1


@njit(cache=True)
def needs_and_asking(need, need_since, week, u, v, knowledge, median, c, person, team_asking, team):
    """Open and close needs, then decide who asks this week.

    A person without a need whose draw ``u`` falls below ``c.need_rate`` meets a task in the domain where in
    [0, need_rate) it fell, which is a need if they know less of it than ``median``; a need open for
    ``c.patience`` weeks is given up. Someone with a need asks if ``v`` falls below the logistic chance of
    asking times what friction lets through. Returns (needing, gave_up, chance, asked), one per person.
    """
    n, domains = knowledge.shape
    needing = np.zeros(n, dtype=np.bool_)
    gave_up = np.zeros(n, dtype=np.bool_)
    asked = np.zeros(n, dtype=np.bool_)
    chance = np.zeros(n, dtype=F)
    for i in range(n):
        if need[i] == NO_NEED:
            if u[i] < c.need_rate:
                d = min(int(u[i] / c.need_rate * domains), domains - 1)
                if knowledge[i, d] < median[d]:
                    need[i] = d
                    need_since[i] = week
        elif week - need_since[i] >= c.patience:
            need[i] = NO_NEED
            gave_up[i] = True
        if need[i] == NO_NEED:
            continue
        needing[i] = True
        z = (
            c.bias
            + c.w_safety * (person.safety[i] - 0.5)
            + c.w_awareness * (person.awareness[i] - 0.5)
            + c.w_reciprocation * (person.reciprocation[i] - 0.5)
            + c.w_ease * (person.ease[i] - 0.5)
            + c.w_readiness * (person.readiness[i] - 0.5)
            - c.image_critique * person.critique_memory[i]
            + c.asking_example * team_asking[team[i]]
        )
        through = 1.0 - c.friction_weight * person.friction[i]
        chance[i] = F(through / (1.0 + math.exp(-z)))
        asked[i] = v[i] < chance[i]
    return needing, gave_up, chance, asked


@njit(cache=True)
def learn_who_knows(awareness, learnt, expertise, showing, growth, kept):
    """Awareness fades to ``kept`` of itself; visible expertise and every request made or answered (``learnt``)
    each move it ``growth`` (times the lever) of the way to 1."""
    for i in range(len(awareness)):
        a = awareness[i] * kept
        if showing:
            a += growth * expertise[i] * (F(1) - a)
        if learnt[i]:
            a += growth * (F(1) - a)
        awareness[i] = clamp01(a)


@njit(cache=True)
def answer_requests(
    askers, drawn, channel, need, need_since, week, knowledge, draws, chance_to_share, c, person, answers_to, record
):
    """Who each asker asks, whether they are answered, and what both learn (sim/seeking.py, steps 3 and 4).

    ``drawn`` holds each asker's candidates (-1: nobody); ``draws`` one row per asker of uniform draws: aware,
    answered, used, thanked, told. The asker asks the candidate who knows the need's domain best if aware of who
    knows (draw 0 below their awareness), else the first usable one. Only someone who knows more of it can
    answer, with min(answer_readiness x chance to share, 1). Requests are taken in turn, so someone asked twice
    learns from both answers. Returns (answered, answerer) per person and the weeks each answered asker waited.

    ``record`` (``Requests``' arrays, one entry per asker) receives the pairs as they are made: the candidates'
    knowledge of the domain before the week's answers (NaN where none was drawn), which candidate was asked, who,
    and what the asker and the person asked knew of the domain at that moment (NaN for nobody).
    """
    n = len(need)
    answered = np.zeros(n, dtype=np.bool_)
    answerer = np.zeros(n, dtype=np.bool_)
    waited = np.empty(len(askers), dtype=np.int32)
    for k in range(len(askers)):  # before any answer moves knowledge
        for j in range(drawn.shape[1]):
            who = drawn[k, j]
            record.candidates_know[k, j] = knowledge[who, need[askers[k]]] if who >= 0 else np.nan
    done = 0
    for k in range(len(askers)):
        a = askers[k]
        d = need[a]
        best, first = -1, -1
        for j in range(drawn.shape[1]):
            who = drawn[k, j]
            if who < 0 or who == a:
                continue
            if first < 0:
                first = j
            if best < 0 or knowledge[who, d] > knowledge[drawn[k, best], d]:
                best = j
        pick = best if draws[0, k] < person.awareness[a] else first
        t = drawn[k, pick] if pick >= 0 else -1
        record.chosen[k] = pick
        record.asked[k] = t
        record.channel[k] = channel[k, pick] if pick >= 0 else -1
        record.asker_knows[k] = knowledge[a, d]
        record.asked_knows[k] = knowledge[t, d] if t >= 0 else np.nan
        if t >= 0 and knowledge[t, d] > knowledge[a, d]:
            willing = min(c.answer_readiness * chance_to_share[t], F(1))
            if draws[1, k] < willing:
                gain = c.absorptive_capacity * (knowledge[t, d] - knowledge[a, d])
                knowledge[a, d] += gain
                used = draws[2, k] < min(c.answer_use * F(-math.expm1(-gain / c.use_scale)), F(1))
                thanked = draws[3, k] < min(c.answer_thanks * answers_to.recognition[t], F(1))
                told = used and draws[4, k] < min(c.answer_feedback * answers_to.feedback[t], F(1))
                person.recognition[t] += c.experience_rate * (F(thanked) - person.recognition[t])
                person.self_efficacy[t] += c.experience_rate * (F(told) - person.self_efficacy[t])
                person.share_count[t] += 1
                person.reciprocation[a] += c.experience_rate * (F(1) - person.reciprocation[a])
                person.ask_readiness[a] += c.ask_rate * (F(1) - person.ask_readiness[a])
                answered[a] = True
                answerer[t] = True
                waited[done] = week - need_since[a] + 1
                done += 1
                need[a] = NO_NEED
                continue
        # Unanswered: colleagues did not respond, and asking seems less worth it.
        person.reciprocation[a] += c.experience_rate * (F(0) - person.reciprocation[a])
        person.ask_readiness[a] += c.ask_rate * (F(0) - person.ask_readiness[a])
    return answered, answerer, waited[:done]


@njit(cache=True, error_model="numpy")
def group_ratios(group, size, asked, answered, gave_up, waited):
    """Per group (``group[i]`` of person i, ``size`` people each): the share who asked, the share of requests
    answered, the share of closed needs given up, and the median weeks the answered waited; ``asked``,
    ``answered`` and ``gave_up`` are who did, by number in ascending order, and ``waited[j]`` the wait of
    ``answered[j]``. NaN where there is nothing to divide by, from the division itself as numpy makes it
    (numpy's error model), and where no one was answered. One pass over the few who asked, for every grouping
    of a week's outputs (numpy took a dozen calls a grouping)."""
    g = len(size)
    counts = np.zeros((3, g))
    for i in asked:
        counts[0, group[i]] += 1.0
    for i in answered:
        counts[1, group[i]] += 1.0
    for i in gave_up:
        counts[2, group[i]] += 1.0
    out = np.empty(4 * g)
    for k in range(g):
        a, b, c = counts[0, k], counts[1, k], counts[2, k]
        out[k] = a / size[k]
        out[g + k] = b / a
        out[2 * g + k] = c / (c + b)
        out[3 * g + k] = np.nan
    # The medians: the waits sorted by group, then by length, and each group's middle.
    order = np.argsort(group[answered] * np.int64(1 << 20) + waited)
    start = 0
    while start < len(order):
        k = group[answered[order[start]]]
        end = start
        while end < len(order) and group[answered[order[end]]] == k:
            end += 1
        m = end - start
        low, high = waited[order[start + (m - 1) // 2]], waited[order[start + m // 2]]
        out[3 * g + k] = (low + high) / 2.0
        start = end
    return out
