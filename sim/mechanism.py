"""Every fixed number of the weekly rule, in one place, under the name the ODD gives it (§7.16).

These are modelling choices, not scenario parameters: a scenario file cannot
change them. Keeping them here, rather than beside the code that uses them,
means a reviewer can see every assumption of the mechanism at once, and the
ODD's table of constants has one file to point to. The compiled loops take
them as arguments, never as globals, because numba freezes a global into its
on-disk cache and would not see an edit here.
"""

from __future__ import annotations

from dataclasses import dataclass

from sim.channels import PAIR_KINDS

# ------------------------------------------------------------------ channels (§7.8, §7.9, §7.10)
#: How readily a sharer turns to each channel when it is open to them.
CHANNEL_WEIGHT = {"team": 1.0, "weak": 0.5, "reporting": 0.2, "community": 0.8} | dict.fromkeys(PAIR_KINDS, 0.8)
#: Knowledge received from a broadcast is codified, so less of it sticks.
PLATFORM_ABSORPTION = 0.5
#: How readily a contact answers with knowledge of their own, by channel: strangers reading a post rarely do;
#: mentors, project partners and community members, who share an identity and an ongoing relationship, do
#: more often.
CHANNEL_RECIPROCITY = {"platform": 0.3, "project": 1.3, "community": 1.5, "mentoring": 1.5, "reverse_mentoring": 1.5}
#: How readily a share is thanked, told how it was used, or criticised, by channel (1 where not named). The ties
#: that programmes build are relationships, not just routes: a mentee thanks the mentor and tells the mentor what
#: the advice did, and criticises less; community members share an identity (Wenger 1998); project partners from
#: two teams build trust across the boundary. These multipliers are assumptions: no published effect size could
#: be read for them (docs/evidence.md §11), so ODD §7.10 and §7.16 label them as such.
CHANNEL_RECOGNITION = {"mentoring": 1.5, "reverse_mentoring": 1.5, "community": 1.5, "project": 1.2}
CHANNEL_FEEDBACK = {"mentoring": 1.5, "reverse_mentoring": 1.5, "community": 1.2, "project": 1.3}
CHANNEL_CRITIQUE = {"mentoring": 0.5, "reverse_mentoring": 0.5, "community": 0.7, "project": 0.5}
#: Most colleagues one share can reach, however broad a sharer's reach.
MAX_BREADTH = 100

# ------------------------------------------------------------------ answers (§7.10)
#: A share is recognised with chance lever x (RECOGNISED_BASE + RECOGNISED_USED x used): use is what people thank.
RECOGNISED_BASE = 0.4
RECOGNISED_USED = 0.6

# ------------------------------------------------------------------ critique (§7.4, §7.11)
#: Satisfaction lost per unit share of critiqued contacts.
CRITIQUE_PENALTY = 0.5
#: Ease lost per unit share of critiqued contacts: being criticised makes sharing feel harder.
CRITIQUE_ON_EASE = 0.5
#: Fraction of the critique memory kept from one week to the next: the memory is a running average of the
#: share of one's contacts that answered with critique.
CRITIQUE_MEMORY = 0.85
#: How far perceived safety falls per unit of critique memory.
CRITIQUE_ON_SAFETY = 0.5
#: How far a team's climate target falls per unit of critique rate last week.
CRITIQUE_ON_CLIMATE = 0.3

# ------------------------------------------------------------------ watching (§7.12)
#: How much critique seen to fall on a teammate adds to one's own critique memory, relative to critique of one's
#: own shares (an assumption: seeing it hurts, less than living it).
SEEN_CRITIQUE = 0.5
#: How much hearing that a colleague's knowledge was used counts as evidence that one's own would be, relative to
#: hearing it of one's own share (an assumption after Bandura 1977b: vicarious experience is a weaker source of
#: self-efficacy than mastery, because another's success says less about one's own capability).
SEEN_EFFICACY = 0.5

# ------------------------------------------------------------------ agent types (§5.3, §7.4, §7.6, §7.9, §7.11)


@dataclass(frozen=True)
class Profile:
    """Multipliers on the behaviour parameters of the same name, by agent type."""

    #: How much teammates notice this person's sharing.
    visibility: float = 1.0
    absorptive: float = 1.0
    vicarious: float = 1.0
    experience: float = 1.0


EMPLOYEE_PROFILE = Profile()
#: Managers' settled views change more slowly. Their visibility is not a constant: it is the scenario's
#: ``leader_visibility``.
MANAGER_PROFILE = Profile(experience=0.8)
#: Newcomers absorb more of what they are told, learn the norms by watching, and update faster.
NEWCOMER_PROFILE = Profile(absorptive=1.3, vicarious=2.0, experience=1.5)
#: A team's climate target rises by this much while its manager shares (Edmondson's leader openness).
MANAGER_CLIMATE_PUSH = 0.1
#: A newcomer's hesitation to share, in logits, fading to nothing over their first ``ONBOARDING_WEEKS``.
NEWCOMER_HESITATION = -0.8
ONBOARDING_WEEKS = 26

# ------------------------------------------------------------------ one-off shocks (§7.2)
#: A climate incident multiplies the climate of the teams it hits by 1 - CLIMATE_SHOCK x intensity, and adds
#: the intensity to each person's critique memory.
CLIMATE_SHOCK = 0.6
#: A restructuring moves each eligible person with chance RESHUFFLE_SHARE x intensity ...
RESHUFFLE_SHARE = 0.4
#: ... and movers keep this fraction of their belief that colleagues share back.
RESHUFFLE_RECIPROCATION_KEPT = 0.8

# ------------------------------------------------------------------ warm-up (§5.4)
#: Employees in the organisation that settles in place of a larger one.
DONOR_SIZE = 1000
#: An organisation read from a chart settles itself up to this size, so that its own teams, their survey
#: values and its ties shape its starting state; a larger one takes a generated stand-in's (and pays no more
#: than 104 weeks of 20,000 people, about a second, to do so). A cost limit, not a finding.
CHART_SETTLES_ITSELF = 20_000


# ------------------------------------------------------------------ seeking (§7.19, sim/seeking.py)
#: Weeks a need stays open before it is given up unanswered (assumption).
NEED_PATIENCE = 4
#: Colleagues drawn as candidates for a request; the asker who knows who knows what asks the best of them.
ASK_CANDIDATES = 4
#: An answer is used, thanked and reported back more often than an unsolicited share, by these factors on the
#: same chances: the asker needed it and asked for it (assumption; the direction is Borgatti & Cross's (2003)
#: "valuing", its size is not from a study).
ANSWER_USE = 1.5
ANSWER_THANKS = 1.5
ANSWER_FEEDBACK = 1.5
#: Logits of asking lost per unit of recent critique: the image cost of showing a gap (Lee 1997), assumption.
IMAGE_CRITIQUE = 2.0
#: Logits of asking gained when a manager or leader of one's team asks in public (the ``asking`` lever at 1).
ASKING_EXAMPLE = 1.0
#: Weekly growth of awareness of who knows what, per request made or answered and per unit of the
#: ``expertise`` lever, and its weekly fading (assumptions).
AWARENESS_GROWTH = 0.05
AWARENESS_DECAY = 0.005
