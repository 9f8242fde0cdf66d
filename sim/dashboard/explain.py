"""Why one employee shares or not, in a sentence a manager can read out.

``Employee.drivers()`` gives each driver's push on the intention to share, in
logits, and the chance to share this week (intention, times having the time,
times what friction lets through). Logits mean nothing to a manager, so each
push is turned into percentage points of this week's chance to share
(``points``), and the paragraph says who the person is, where they stand, and
the two strongest drivers each way.
"""

from __future__ import annotations

import math

from sim.dashboard.labels import ASKING_LABELS, DRIVER_LABELS

STATUS_WORDS = {
    "active": "is still sharing (active)",
    "lapsed": "has stopped sharing (lapsed)",
    "never": "has never shared",
}
KIND_WORDS = {"Employee": "", "Manager": "", "Newcomer": "newcomer, "}
#: A driver that moves the chance by less than this many points is not worth a sentence.
NEGLIGIBLE = 0.5
#: Keeps an intention of exactly 0 or 1 off the logit scale's infinities.
_EDGE = 1e-6


def chance(intention: float, opportunity: float, friction_holds_back: float) -> float:
    """This week's chance to share, as the rule forms it (``sim.compiled.chance_to_share``): the intention,
    times the chance of having the time, less the share of intended shares that friction stops."""
    return intention * opportunity * (1.0 - friction_holds_back)


def points(drivers: dict[str, float]) -> dict[str, float]:
    """Each driver's effect on this week's chance to share, in percentage points.

    A driver's push is removed from the intention on the logit scale it is added on (``sim.dynamics``: the
    intention moves toward the logistic of the sum of the pushes), and the chance is formed again from the
    intention without it, as the rule forms it (``chance``)::

        points_i = 100 * (chance(I) - chance(logistic(logit(I) - push_i)))

    This reads the current intention as the logistic of its drivers, which it is once it has settled (it
    moves a fraction of the way there each week). It is a one-at-a-time attribution: the logistic is not
    linear, so the points of several drivers need not add up to the chance, nor to the effect of removing
    them together.
    """
    intention = min(max(drivers["intention"], _EDGE), 1.0 - _EDGE)
    scale = drivers["opportunity"] * (1.0 - drivers["friction_holds_back"])
    logit = math.log(intention / (1.0 - intention))
    return {
        name: 100.0 * scale * (intention - 1.0 / (1.0 + math.exp(-(logit - drivers[name]))))
        for name in DRIVER_LABELS
        if name in drivers
    }


def signed_points(value: float) -> str:
    """+3 or −12 (a real minus sign), in whole points."""
    rounded = round(value)
    return f"{rounded:+d}".replace("-", "−") if rounded else "0"


def moves(value: float, of: str = "sharing") -> str:
    """'raises the weekly chance of sharing by about 3 points', or 'lowers ... by about 12 points'; ``of`` says
    the chance of what."""
    size = max(1, round(abs(value)))
    return f"{'raises' if value > 0 else 'lowers'} the weekly chance of {of} by about {size} point" + (
        "s" if size != 1 else ""
    )


def listed(effects: list[tuple[str, float]], of: str = "sharing") -> str:
    """Drivers that move the chance the same way, strongest first, the verb said once: "self-efficacy lowers
    the weekly chance of sharing by about 12 points, satisfaction by about 10"."""
    if not effects:
        return ""
    first, *rest = effects
    return ", ".join([f"{first[0]} {moves(first[1], of)}", *(f"{name} by about {round(abs(v))}" for name, v in rest)])


def years(weeks: int) -> str:
    """'less than a year', '1 year', '10 years'."""
    count = weeks // 52
    return "less than a year" if count == 0 else f"{count} year{'s' if count != 1 else ''}"


def record(info: dict) -> str:
    """Where the employee stands, truthfully: the status counts sharing before week 0 (the organisation's
    history before the run, its warm-up), while the count of shares starts at week 0, so someone can have
    stopped sharing with no share to count."""
    status, shares = info["status"], info["shares"]
    if status == "never":
        return STATUS_WORDS["never"]
    if shares == 0:
        before = "stopped sharing before the run began" if status == "lapsed" else "last shared before the run began"
        return f"{before} ({status}), and has shared with no one since week 0"
    counted = f"since week 0 they have shared with {shares:,} colleague{'s' if shares != 1 else ''}"
    return f"{STATUS_WORDS[status]}; {counted}"


def why(info: dict) -> str:
    """A paragraph on one employee from ``Run.describe``."""
    d = info["drivers"]
    kind = KIND_WORDS.get(info["kind"], "")
    who = (
        f"Employee {info['id']} ({kind}{info['level']}, department {info['department']}, "
        f"team {info['team']}, {years(info['tenure_weeks'])} here) {record(info)}"
        # At week 0 "this week" is the history's last week, before the count of shares begins.
        f"{', including this week' if info['shared_this_week'] and info['shares'] else ''}."
    )
    if d is None:
        return who + (
            " In this scenario nobody decides whether to share (two neighbours trade whenever each "
            "knows something the other lacks), so there are no drivers to show."
        )
    this_week = (
        f"This week the chance that they share is {100 * d['chance_to_share']:.0f} %: intention "
        f"{100 * d['intention']:.0f} %, time to share {100 * d['opportunity']:.0f} %, and friction stops "
        f"{100 * d['friction_holds_back']:.0f} % of what they intend."
    )
    reasons = strongest({DRIVER_LABELS[name]: value for name, value in points(d).items()})
    asked = asking(info.get("seeking"))
    return " ".join([who, this_week, *reasons, *asked]).replace(" %", "\u00a0%")  # "39 %" never broken over two lines


def strongest(effects: dict[str, float], of: str = "sharing") -> list[str]:
    """The two strongest pushes each way, in points, as sentences: those that raise the chance, those that lower it."""
    ranked = sorted(effects.items(), key=lambda e: -e[1])
    up = [effect for effect in ranked if effect[1] >= NEGLIGIBLE][:2]
    down = [effect for effect in reversed(ranked) if effect[1] <= -NEGLIGIBLE][:2]
    return [_capital(listed(side, of)) + "." for side in (up, down) if side]


def _logistic(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z))


def asking_points(terms: dict[str, float]) -> dict[str, float]:
    """Each push on the choice to ask (``sim.seeking.asking_terms``, one person's) in percentage points of the
    chance to ask, one at a time as ``points`` does for sharing: the chance less the chance without the push,
    ``100 * through * (logistic(logit) - logistic(logit - push))``."""
    logit, through = terms["logit"], terms["through"]
    return {
        name: 100.0 * through * (_logistic(logit) - _logistic(logit - terms[name]))
        for name in ASKING_LABELS
        if name in terms
    }


def asking(seeking: dict | None) -> list[str]:
    """What seeking did for the person this week (``Run.describe``'s ``seeking``), in sentences: their need and
    since when, this week's chance to ask and what pushes it, whether they asked and were answered, whether they
    answered someone. Nothing when nobody asks in the scenario."""
    if seeking is None:
        return []
    said = []
    if seeking["needing"]:
        still = seeking["need"] >= 0
        need = (
            f"They have needed help from colleagues in knowledge domain {seeking['need']} since week {seeking['since']}"
            if still
            else f"They needed help from colleagues (since week {seeking['since']})"
        )
        outcome = (
            "they asked a colleague and were answered"
            if seeking["answered"]
            else "they asked a colleague but got no answer"
            if seeking["asked"]
            else "they did not ask"
        )
        said.append(f"{need}: this week their chance to ask was {100 * seeking['chance']:.0f} %, and {outcome}.")
        terms = seeking["terms"]
        pushes = strongest({ASKING_LABELS[name]: v for name, v in asking_points(terms).items()}, "asking for help")
        if pushes:
            said.append("As things stand now, " + pushes[0][:1].lower() + pushes[0][1:])
            said += pushes[1:]
        if terms["through"] < 0.995:
            said.append(f"Friction stops {100 * (1 - terms['through']):.0f} % of the requests they mean to make.")
    elif seeking["gave_up"]:
        waited = seeking["week"] - seeking["since"]
        said.append(f"This week they gave up on a need for help left unanswered for {waited} weeks.")
    else:
        said.append("They had no open need for help from colleagues this week.")
    if seeking["answerer"]:
        said.append("They answered a colleague's request for help this week.")
    return said


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]
