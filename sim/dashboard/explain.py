"""Why one employee shares or not, in a sentence a manager can read out.

``Employee.drivers()`` gives each driver's push on the intention to share, in
logits, and the chance to share this week (intention, times having the time,
times what friction lets through). This turns them into words: who the person
is, where they stand, and the two strongest pushes each way.
"""

from __future__ import annotations

from sim.dashboard.charts import DRIVER_LABELS

STATUS_WORDS = {
    "active": "is still sharing (active)",
    "lapsed": "has stopped sharing (lapsed)",
    "never": "has never shared",
}
KIND_WORDS = {"Employee": "", "Manager": "", "Newcomer": "newcomer, "}


def why(info: dict) -> str:
    """A paragraph on one employee from ``Run.describe``."""
    d = info["drivers"]
    kind = KIND_WORDS.get(info["kind"], "")
    who = (
        f"Employee {info['id']} ({kind}{info['level']}, department {info['department']}, "
        f"team {info['team']}, {info['tenure_weeks'] // 52} years here) {STATUS_WORDS[info['status']]}"
        f"{', and shared this week' if info['shared_this_week'] else ''}; {info['shares']} shares so far."
    )
    if d is None:
        return who + (
            " In this scenario nobody decides whether to share (two neighbours trade whenever each "
            "knows something the other lacks), so there are no drivers to show."
        )
    chance = (
        f"This week the chance that they share is {100 * d['chance_to_share']:.0f} %: intention "
        f"{100 * d['intention']:.0f} %, time to share {100 * d['opportunity']:.0f} %, and friction stops "
        f"{100 * d['friction_holds_back']:.0f} % of what they intend."
    )
    pushes = sorted(((d[name], label) for name, label in DRIVER_LABELS.items() if name in d), reverse=True)
    up = [f"{label} ({_signed(value)})" for value, label in pushes if value > 0.05][:2]
    down = [f"{label} ({_signed(value)})" for value, label in reversed(pushes) if value < -0.05][:2]
    reasons = []
    if up:
        reasons.append("Pushing them to share: " + ", ".join(up) + ".")
    if down:
        reasons.append("Holding them back: " + ", ".join(down) + ".")
    return " ".join([who, chance, *reasons])


def _signed(value: float) -> str:
    """+0.8 or −1.2 (a real minus sign), in logits."""
    return f"{value:+.1f}".replace("-", "−")
