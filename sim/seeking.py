"""Seeking: people who meet a knowledge need ask a colleague they believe knows, who answers or does not.

Sharing in the rest of the model is pushed: a person decides to share and colleagues receive. Much of what
moves inside an organisation is pulled: someone stuck on a task asks, and a colleague answers. The handbook
behind kshare counts seeking as half of a learning culture, and the blog post among its sources names the
reluctance to show a gap beside the fear of critique (ODD §7.19). This module adds the pull, in four steps a
week, after the intentions are formed and before the unsolicited shares are drawn:

1. **A need.** Someone without an open need meets one with chance ``need_rate``: a task in a domain drawn at
   random, which is a need only if they know less of it than the organisation's median person does. A need
   stays open until it is answered or ``NEED_PATIENCE`` weeks have passed.
2. **Asking.** Whether someone with a need asks this week is a logistic choice (Lee 1997 on the image cost of
   asking; Borgatti & Cross 2003 on knowing who knows, access and cost; Edmondson 1999 on safety and learning
   behaviour): perceived safety, awareness of who knows what, the expected responsiveness of colleagues
   (reciprocation), the ease of the channels, and one's own history of being answered (readiness) raise it;
   recent critique raises the image cost and lowers it; a manager or leader of one's team who asks in public
   (the ``asking`` lever) lowers the image cost. Friction stops some intended requests as it stops shares.
3. **Whom.** ``ASK_CANDIDATES`` colleagues are drawn through the channels a share would use (team,
   acquaintances, the reporting line, mentoring pairs, projects, communities). Someone aware of who knows what
   (``awareness``, chance) asks the one who knows the domain best; otherwise the first drawn.
4. **The answer.** The person asked can answer only if they know more of the domain than the asker (so
   asking the right person matters), and then answers with their own chance to share this week, from the same
   four-experience rule that decides an unsolicited share, times ``answer_readiness`` (a request brings the
   occasion and names the need). An answer moves knowledge in the need's domain as a share does, is
   used more often (the asker needed it), and is thanked and reported back more often (``ANSWER_*``); the
   answerer learns recognition and self-efficacy from it as a sharer does. An answered asker's reciprocation
   belief and readiness to ask rise; an unanswered one's fall.

Awareness of who knows what grows with every request made or answered, and with the ``expertise`` lever
(platforms and communities of practice make expertise visible), and fades slowly otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from sim import compiled
from sim.arrays import F
from sim.compiled import Answering, AnswerLevers, Asked, Asker, AskingChoice, RequestRecord
from sim.compiled.seeking import NO_NEED
from sim.contacts import draw_contacts
from sim.mechanism import (
    ANSWER_FEEDBACK,
    ANSWER_THANKS,
    ANSWER_USE,
    ASK_CANDIDATES,
    ASKING_EXAMPLE,
    AWARENESS_DECAY,
    AWARENESS_GROWTH,
    IMAGE_CRITIQUE,
    NEED_PATIENCE,
)

if TYPE_CHECKING:
    from sim.model import KnowledgeSharingModel

#: The pushes on the logit of the choice to ask (``asking_terms``), in the kernel's order.
ASKING_TERMS = ("bias", "safety", "awareness", "reciprocation", "ease", "readiness", "critique", "example")

#: Weeks between two measurements of the median knowledge a need is judged against.
MEDIAN_EVERY = 4


@dataclass
class Week:
    """What seeking did this week, person by person (for outputs and the per-person "why")."""

    needing: np.ndarray  # bool: had an open need this week
    asked: np.ndarray  # bool: asked someone
    answered: np.ndarray  # bool: asked and was answered
    answerer: np.ndarray  # bool: answered someone's request
    gave_up: np.ndarray  # bool: a need closed unanswered (patience ran out)
    waited: np.ndarray  # int32 weeks from need to answer, one per answered asker
    chance_to_ask: np.ndarray  # float32: this week's chance to ask, for everyone with a need (0 otherwise)
    requests: Requests  # who asked whom, one entry per request


@dataclass
class Requests:
    """This week's requests, pair by pair: what Borgatti & Cross (2003) studied (whom people go to for
    information, and through which relation), kept so that the pair-level patterns can be measured
    (``sim.seeking_pairs``). Index k is the k-th asker of the week."""

    asker: np.ndarray  # int64: who asked
    asked: np.ndarray  # int64: whom (-1: nobody usable was drawn)
    channel: np.ndarray  # int8: the channel the person asked was reached through (sim.contacts' codes; -1: none)
    domain: np.ndarray  # int16: the need's domain
    answered: np.ndarray  # bool: answered this week
    awareness: np.ndarray  # float32: the asker's awareness of who knows what, when they asked
    asker_knows: np.ndarray  # float32: the asker's knowledge of the domain when they asked
    asked_knows: np.ndarray  # float32: that of the person asked, when asked (NaN: nobody)
    candidates_know: np.ndarray  # float32, one row per asker: each candidate's, before the week's answers (NaN: none)
    chosen: np.ndarray  # int8: which candidate was asked (-1: none)


class Seeking:
    """Open needs and what seeking did last week; the weekly rule calls ``week`` once a week."""

    def __init__(self, model: KnowledgeSharingModel):
        self.model = model
        n = model.org.n
        self.need = np.full(n, NO_NEED, dtype=np.int16)  # the domain of one's open need
        self.need_since = np.zeros(n, dtype=np.int32)
        self.last = self._empty(n)
        #: Whose knowledge gives the median a need is measured against: everyone, or every k-th of a large
        #: organisation (2,000 people place a median within a few hundredths of everyone's; it is only a bar).
        self._sample = np.arange(0, n, max(1, n // 2000))
        self._median: np.ndarray | None = None
        b = model.params.behaviour
        self._answering = Answering(
            F(b.answer_readiness), F(b.absorptive_capacity), F(b.use_scale), F(ANSWER_USE), F(ANSWER_THANKS),
            F(ANSWER_FEEDBACK), F(b.experience_rate), F(b.ask_rate),
        )  # fmt: skip
        self._choice = AskingChoice(
            b.need_rate, NEED_PATIENCE, b.ask_bias, b.w_ask_safety, b.w_ask_awareness, b.w_ask_reciprocation,
            b.w_ask_ease, b.w_ask_readiness, IMAGE_CRITIQUE, ASKING_EXAMPLE, b.friction_weight,
        )  # fmt: skip

    def _asked(self) -> Asked:
        st = self.model.state
        return Asked(st.awareness, st.recognition, st.self_efficacy, st.reciprocation, st.ask_readiness, st.share_count)

    @staticmethod
    def _empty(n: int) -> Week:
        none = np.zeros(n, dtype=bool)
        nobody = np.zeros(0, np.int64)
        requests = _requests(nobody, np.zeros(0, np.int16), np.zeros(0, bool), np.zeros(0, F), _record(0))
        return Week(none, none, none, none, none, np.zeros(0, dtype=np.int32), np.zeros(n, dtype=F), requests)

    def week(self, chance_to_share: np.ndarray) -> Week:
        """This week's needs, requests and answers; returns them, and the answerers count as sharing."""
        m = self.model
        st, org, rng, levers = m.state, m.org, m.rng, m.levers
        n, week = org.n, m.week
        knowledge = st.knowledge

        # 1-2. Needs (a task in a random domain, a need where one knows less of it than the median person; one
        # draw decides both) and the choice to ask, around the image cost of showing a gap.
        u = rng.random(n)
        v = rng.random(n, dtype=F)
        if week % MEDIAN_EVERY == 1 or self._median is None:  # knowledge moves slowly: a bar for a few weeks
            self._median = _column_median(knowledge[self._sample])
        person = _asker(m)
        needing, expired, chance, asked = compiled.needs_and_asking(
            self.need, self.need_since, week, u, v, knowledge, self._median, self._choice, person,
            levers.team_asking, org.team,
        )  # fmt: skip
        askers = np.flatnonzero(asked)

        # 3-4. Whom (the best-known of a few colleagues, for those who know who knows), and the answer: by the
        # rule that decides a share, made likelier by the request (``answer_readiness``), and only from
        # someone who knows more of the domain than the asker.
        drawn, channel = draw_contacts(m, np.repeat(askers, ASK_CANDIDATES))
        drawn, channel = drawn.reshape(len(askers), ASK_CANDIDATES), channel.reshape(len(askers), ASK_CANDIDATES)
        domain = self.need[askers].copy()  # before answers close the needs
        aware = st.awareness[askers]  # before the week's requests teach it: the pairs' record
        record = _record(len(askers))
        draws = rng.random((5, len(askers)), dtype=F)
        answered, answerer, waited = compiled.answer_requests(
            askers, drawn, channel, self.need, self.need_since, week, knowledge, draws, chance_to_share,
            self._answering, self._asked(), AnswerLevers(levers["recognition"], levers["feedback"]), record,
        )  # fmt: skip
        requests = _requests(askers, domain, answered[askers], aware, record)

        # Knowing who knows what: every request made or answered teaches it; visible expertise too; unused, it
        # fades.
        compiled.learn_who_knows(
            st.awareness, asked | answerer, levers["expertise"], levers.showing_expertise,
            F(AWARENESS_GROWTH), F(1 - AWARENESS_DECAY),
        )  # fmt: skip

        self.last = Week(needing, asked, answered, answerer, expired, waited, chance, requests)
        return self.last


def _column_median(values: np.ndarray) -> np.ndarray:
    """``np.median(values, axis=0)`` of float32 values, as numpy takes it (the middle value, or the two middle
    ones' float32 sum halved), without its general machinery, which was a tenth of a small organisation's
    seeking week."""
    n = len(values)
    k = n // 2
    if n % 2:
        return np.partition(values, k, axis=0)[k]
    middle = np.partition(values, [k - 1, k], axis=0)
    return (middle[k - 1] + middle[k]) / F(2)


def _record(askers: int) -> RequestRecord:
    """Room for a week's requests, pair by pair, which ``answer_requests`` fills in."""
    return RequestRecord(
        np.empty(askers, dtype=np.int64), np.empty(askers, dtype=np.int8), np.empty(askers, dtype=np.int8),
        np.empty(askers, dtype=F), np.empty(askers, dtype=F), np.empty((askers, ASK_CANDIDATES), dtype=F),
    )  # fmt: skip


def _requests(askers, domain, answered, aware, record: RequestRecord) -> Requests:
    """A week's ``Requests``: who asked, in which domain, answered or not and how aware, with what the answer
    kernel recorded of each pair."""
    return Requests(
        askers, record.asked, record.channel, domain, answered, aware, record.asker_knows, record.asked_knows,
        record.candidates_know, record.chosen,
    )  # fmt: skip


def _asker(model: KnowledgeSharingModel) -> Asker:
    """What each person brings to the choice to ask, as the kernel takes it."""
    st = model.state
    return Asker(
        st.safety, st.awareness, st.reciprocation, st.ease, st.ask_readiness, st.critique_memory,
        model.levers["friction"],
    )  # fmt: skip


def asking_terms(model: KnowledgeSharingModel, who: np.ndarray | int) -> dict[str, np.ndarray]:
    """The choice to ask of the people ``who``, term by term, from their state now: the one place outside the
    kernel that forms it (the per-person "why" reads it; nothing else may restate the formula).

    The compiled kernel (``sim.compiled.seeking.needs_and_asking``) forms, for someone with an open need::

        z = bias
            + w_safety        * (safety - 0.5)          perceived psychological safety
            + w_awareness     * (awareness - 0.5)       knowing who knows what
            + w_reciprocation * (reciprocation - 0.5)   expecting colleagues to answer
            + w_ease          * (ease - 0.5)            how easy the channels are
            + w_readiness     * (readiness - 0.5)       one's own history of being answered
            - image_critique  * critique_memory         recent critique: the image cost of a gap
            + asking_example  * team_asking[team]       a manager or leader of the team asking in public
        chance = (1 - friction_weight * friction) / (1 + exp(-z))

    Returns each of ``ASKING_TERMS`` (its push on ``z``, in logits), their sum ``logit`` (``z``), ``through``
    (the share of intended requests friction lets through) and ``chance``, one value per person in ``who``.
    It reads the state as it is now: after a week, the chance a person had that week is
    ``Seeking.last.chance_to_ask``, which the week's answers and awareness have since moved on from. Raises if
    seeking is off.
    """
    seeking = getattr(model.rule, "seeking", None)
    if seeking is None:
        raise ValueError("seeking is off in this model (behaviour.seeking = false)")
    c, person = seeking._choice, _asker(model)
    index = np.atleast_1d(np.asarray(who, dtype=np.int64))

    def centred(values: np.ndarray) -> np.ndarray:
        return values[index].astype(np.float64) - 0.5

    terms = {
        "bias": np.full(len(index), float(c.bias)),
        "safety": c.w_safety * centred(person.safety),
        "awareness": c.w_awareness * centred(person.awareness),
        "reciprocation": c.w_reciprocation * centred(person.reciprocation),
        "ease": c.w_ease * centred(person.ease),
        "readiness": c.w_readiness * centred(person.readiness),
        "critique": -c.image_critique * person.critique_memory[index].astype(np.float64),
        "example": c.asking_example * model.levers.team_asking[model.org.team[index]].astype(np.float64),
    }
    z = np.sum([terms[name] for name in ASKING_TERMS], axis=0)
    through = 1.0 - c.friction_weight * person.friction[index].astype(np.float64)
    return {**terms, "logit": z, "through": through, "chance": through / (1.0 + np.exp(-z))}
