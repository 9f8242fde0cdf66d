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

from sim.dashboard.labels import DRIVER_LABELS

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


def moves(value: float) -> str:
    """'raises the weekly chance of sharing by about 3 points', or 'lowers ... by about 12 points'."""
    size = max(1, round(abs(value)))
    return f"{'raises' if value > 0 else 'lowers'} the weekly chance of sharing by about {size} point" + (
        "s" if size != 1 else ""
    )


def listed(effects: list[tuple[str, float]]) -> str:
    """Drivers that move the chance the same way, strongest first, the verb said once: "self-efficacy lowers
    the weekly chance of sharing by about 12 points, satisfaction by about 10"."""
    if not effects:
        return ""
    first, *rest = effects
    return ", ".join([f"{first[0]} {moves(first[1])}", *(f"{name} by about {round(abs(v))}" for name, v in rest)])


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
    effects = sorted(((DRIVER_LABELS[name], value) for name, value in points(d).items()), key=lambda e: -e[1])
    up = [effect for effect in effects if effect[1] >= NEGLIGIBLE][:2]
    down = [effect for effect in reversed(effects) if effect[1] <= -NEGLIGIBLE][:2]
    reasons = [_capital(listed(side)) + "." for side in (up, down) if side]
    return " ".join([who, this_week, *reasons]).replace(" %", "\u00a0%")  # "39 %" never broken over two lines


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]
