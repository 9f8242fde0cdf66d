"""What a trainer says while a preset plays in demonstration mode: a short story for each preset.

Each preset file already has a one-line ``description`` and a ``notice`` (what
to point out). The narrative adds the *why*, in words for a room of managers,
tied to the handbook's four experiences (being recognised, seeing colleagues
share in return, an easy process, believing one's knowledge makes a
difference) and psychological safety. They live here, not in the preset
files, because they are about presenting, not about the model; a preset
without one falls back to its description and notice.
"""

from __future__ import annotations

from sim.scenario import Scenario

NARRATIVES: dict[str, str] = {
    "baseline": (
        "An ordinary organisation with no programme. Each week people decide whether sharing is still worth it, "
        "from what it brought them: recognition, colleagues sharing back, an easy process, the sense that it made "
        "a difference. Watch sharing settle where those experiences leave it: a minority keeps sharing and many "
        "have quietly lapsed. This is the line every programme has to beat."
    ),
    "blame_culture": (
        "An ordinary organisation, sharing as much as the baseline. In week 13 someone is publicly blamed for a "
        "mistake they shared. Watch psychological safety drop, then sharing follow: when every share risks "
        "criticism, even people who want to share stop. The incident is over by week 26; ask the room how long "
        "it will take to win that back, then play on and see."
    ),
    "combined_programme": (
        "From week 10 to 60 the organisation does everything at once: recognition, feedback to contributors, "
        "work on psychological safety, leaders who share visibly, and a platform. Sharing climbs for a year. "
        "In week 60 it all stops. Watch what stays: the climate and habits people built keep part of the gain, "
        "while the part that rested on rewards fades."
    ),
    "communities_of_practice": (
        "Communities of practice gather people with the same expertise across departments from week 10. "
        "Watch the spread view: more knowledge crosses department lines and knowledge inequality falls. "
        "After week 78 membership thins out slowly, not at once."
    ),
    "cross_functional": (
        "Cross-functional projects pair people from different departments from week 10 to 60. The live chart "
        "moves little; the spread view tells the story: the share of knowledge that crosses department lines "
        "rises while the projects run, and part of the new ties outlives them."
    ),
    "feedback_loop": (
        "From week 10 contributors hear how their knowledge was used. That feeds one experience above all: "
        "believing one's knowledge makes a difference. Watch self-efficacy rise first on the experiences chart, "
        "then intention, then sharing."
    ),
    "leader_modelling": (
        "From week 10 managers and leaders share visibly and invite others to. Click a manager (a square) in the "
        "network: their example weighs more than a colleague's, so their teams move first. Sharing spreads team "
        "by team, not evenly."
    ),
    "leaders_asking": (
        "People ask colleagues for what they need, and asking means showing a gap. From week 10 the managers and "
        "leaders of department 1 try something: they ask questions in public and say what they do not know. "
        "Watch asking rise there (the dashed line) and nowhere else: when the boss admits a gap, admitting one "
        "costs less. After week 60, does the habit stay, and would the other departments have followed?"
    ),
    "mentoring": (
        "Mentoring and reverse mentoring pair juniors with seniors and managers from week 10 to 60. New channels "
        "carry knowledge across teams and levels. When the programme ends the pairs do not vanish overnight; "
        "they dissolve slowly, and so does their effect."
    ),
    "protected_time": (
        "From week 10 to 60 people get protected time to share and to take in what others share. Opportunity, "
        "not motivation, was holding many back: watch sharing rise quickly, and watch what happens when the time "
        "is taken away again."
    ),
    "psychological_safety": (
        "A low-trust organisation works on psychological safety from week 10 to 60. Nothing happens fast: team "
        "climates improve slowly, criticism falls, and sharing follows with a lag. The climate outlasts the "
        "programme, which is why the gain holds after week 60."
    ),
    "reciprocity_norm": (
        "From week 10 'share in return' becomes an explicit expectation in every team. People who see colleagues "
        "share back expect more of the same and keep sharing themselves. Watch expected reciprocation on the "
        "experiences chart lead the change."
    ),
    "recognition_programme": (
        "A recognition programme runs from week 10 to 60. Sharing rises while it is recognised. Then the "
        "programme is withdrawn. Watch the line after week 60: recognition that stops leaves little behind, and "
        "sharing drifts back towards where it started. Compare with the combined programme."
    ),
    "restructuring": (
        "In week 26 a restructuring moves people between teams and disrupts work for three months. Watch the "
        "network reshuffle and the dip in sharing: relationships break and safety falls. Afterwards sharing "
        "recovers only partly."
    ),
    "sharing_platform": (
        "A sharing platform arrives in week 10 and stays. It lowers friction and lets each share reach readers "
        "in other teams. Watch the spread view: flows across team lines jump. A tool changes where knowledge "
        "goes more than whether people want to share."
    ),
    "workload_spike": (
        "From week 20 to 32 deadlines leave no time to share. Sharing falls while there is no time. When the "
        "pressure ends, not everyone comes back: people who lapsed have to rediscover that sharing is worth it."
    ),
}


def narrative(name: str, scenario: Scenario | None = None) -> str:
    """The story for a preset, or the scenario's own description and notice."""
    if name in NARRATIVES:
        return NARRATIVES[name]
    if scenario is None:
        return ""
    return " ".join(part for part in (scenario.description, scenario.notice) if part)
