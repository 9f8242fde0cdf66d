"""Generate Acme, a synthetic organisation of about 1,200 people, as the three files kshare reads.

Everything this script writes is invented. Acme is not a real company, and no row describes a real person. The
files exist so that an L&D strategist can see what kshare expects from their own organisation
(``docs/own_organisation.md``) before preparing real exports, and so that the reader of these files
(``sim/orgdata/``) has a realistic example to be tested against.

    python examples/acme/make_acme.py            # rewrite org.csv, ties.csv and survey.csv beside this script

The output is deterministic: one seeded ``numpy.random.default_rng`` draws everything, in a fixed order, so
running the script again gives byte-identical files (a changed file in a diff means the script changed).

What is realistic on purpose, and why:

- **Structure.** A CEO at the root with a small office (department "Executive"); eight departments of unequal
  size; the large ones split into groups whose heads manage the team managers; teams of 5-12 with their manager
  inside; spans of control of 2-12. An export with this shape exercises what a reader must handle (several
  layers, managers in another team than their reports, one root).
- **Ids** are strings ("E00017") numbered roughly in order of hiring, with gaps for people who have left, as an
  HR system assigns them, so an id says nothing about where someone sits.
- **Extra columns.** ``name`` ("Person 17") and ``email`` (person17@acme.example) stand for the personal data a
  real HR export carries. kshare must drop them on reading; they are here so that this can be shown and tested.
- **Tenure** is right-skewed (many people of a few years, a long tail of veterans) with about one in eight in
  their first year; managers and leaders have served longer.
- **Ties** are weekly collaboration strength (meetings together plus message threads), mostly inside teams,
  some across teams and departments, each pair once, no self-ties.
- **Survey** holds team means on a 1-5 scale with the respondent count. Five teams are clearly low in
  psychological safety: the three teams of Inside Sales, under one harsh group head, and one team each in
  Operations and Customer Support. Some small teams have fewer than five respondents, so that the suppression
  of small groups can be shown.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
SEED = 20261201  # fixed, so that the files are reproducible; any other value gives another Acme

# Department, (group name, number of teams) ..., team size range (manager included). The large departments are
# split into groups with a head between the department head and the team managers, so that no one manages more
# than about twelve people; the small ones have their team managers report to the department head.
DEPARTMENTS: list[tuple[str, list[tuple[str, int]], tuple[int, int]]] = [
    (
        "Engineering",
        [
            ("Platform", 8),
            ("Product Engineering", 8),
            ("Mobile", 6),
            ("Data & Analytics", 8),
            ("Infrastructure", 8),
            ("Security & Quality", 5),
            ("Developer Experience", 5),
        ],
        (6, 10),
    ),
    (
        "Customer Support",
        [("Frontline EMEA", 7), ("Frontline Americas", 6), ("Technical Support", 5), ("Customer Success", 5)],
        (9, 12),
    ),
    (
        "Sales",
        [
            ("Enterprise Sales", 7),
            ("Mid-Market Sales", 6),
            ("Partner Sales", 4),
            ("Inside Sales", 3),
            ("Sales Operations", 2),
        ],
        (6, 10),
    ),
    ("Operations", [("Logistics", 6), ("Facilities", 3), ("Procurement", 3), ("IT Service Desk", 4)], (7, 12)),
    ("Marketing", [("Brand", 3), ("Growth", 4), ("Product Marketing", 3), ("Communications", 2)], (5, 8)),
    ("Finance", [("Accounting", 3), ("FP&A", 2), ("Treasury", 1), ("Tax", 1), ("Payroll", 1)], (6, 9)),
    (
        "HR",
        [
            ("Talent Acquisition", 2),
            ("HR Business Partners", 2),
            ("Learning & Development", 1),
            ("Reward", 1),
            ("People Operations", 1),
        ],
        (6, 9),
    ),
    ("Legal", [("Commercial Legal", 2), ("Corporate & Compliance", 1), ("Privacy & IP", 1)], (6, 8)),
]
SMALL = {"Finance", "HR", "Legal"}  # no group layer: team managers report to the department head

# The five teams the survey shows as clearly unsafe: a harsh group head's whole group, plus two elsewhere.
LOW_SAFETY = ["Inside Sales 1", "Inside Sales 2", "Inside Sales 3", "Logistics 4", "Frontline Americas 2"]

# How much two departments work together (symmetric; unlisted pairs 1). Used to pick cross-department partners.
AFFINITY = {
    ("Engineering", "Customer Support"): 3.0,
    ("Engineering", "Marketing"): 2.0,
    ("Engineering", "Operations"): 2.0,
    ("Sales", "Marketing"): 4.0,
    ("Sales", "Customer Support"): 4.0,
    ("Sales", "Legal"): 3.0,
    ("Sales", "Finance"): 2.0,
    ("Finance", "HR"): 2.0,
    ("Finance", "Operations"): 3.0,
    ("HR", "Legal"): 2.0,
    ("Customer Support", "Operations"): 2.0,
}

# Organisation-wide team means on 1-5 (mean, s.d. between teams) for an ordinary team, close to what staff
# surveys of this kind typically report: safety and self-efficacy fairly high, recognition and ease lower.
SURVEY = {
    "psychological_safety": (3.78, 0.22),
    "recognition": (3.35, 0.25),
    "reciprocation": (3.65, 0.2),
    "ease": (3.2, 0.25),
    "self_efficacy": (3.85, 0.18),
}
# How far below an ordinary team the low-safety teams sit, in points, for each item.
LOW_SHIFT = {"psychological_safety": 1.5, "recognition": 0.9, "reciprocation": 0.8, "ease": 0.4, "self_efficacy": 0.45}
# Processes are heavier in some departments (approvals, compliance); ease is shifted by this much there.
EASE_SHIFT = {"Legal": -0.25, "Finance": -0.2, "Operations": -0.1, "Engineering": 0.1}


def draw_tenure(rng: np.random.Generator, level: str) -> int:
    """Weeks of service: right-skewed, about one in eight in their first year, managers and leaders longer."""
    if level == "staff" and rng.random() < 0.13:
        return int(rng.integers(0, 52))
    median = {"staff": 150.0, "senior": 260.0, "manager": 300.0, "leader": 420.0}[level]
    while True:  # no one has served forty years
        weeks = int(26 + rng.lognormal(np.log(median), 0.7))
        if weeks < 2080:
            return weeks


def build_chart(rng: np.random.Generator) -> list[dict]:
    """The people, with their manager (by index), department, team and level; ids are added afterwards."""
    people: list[dict] = []

    def add(manager: int | None, department: str, team: str, level: str) -> int:
        people.append({"manager": manager, "department": department, "team": team, "level": level})
        return len(people) - 1

    ceo = add(None, "Executive", "Office of the CEO", "leader")
    for _ in range(4):  # chief of staff, assistant, two strategy analysts
        add(ceo, "Executive", "Office of the CEO", "staff")
    for department, groups, (low, high) in DEPARTMENTS:
        leadership = f"{department} leadership"
        head = add(ceo, department, leadership, "leader")
        if department in SMALL:
            for _ in range(4):  # the department's own analysts, business partners and assistant
                add(head, department, leadership, "staff")
        for group, n_teams in groups:
            # A group head sits in the department's leadership team; in a small department the head manages
            # the team managers directly.
            boss = head if department in SMALL else add(head, department, leadership, "manager")
            for t in range(n_teams):
                team = group if n_teams == 1 else f"{group} {t + 1}"
                manager = add(boss, department, team, "manager")
                for _ in range(int(rng.integers(low, high + 1)) - 1):
                    add(manager, department, team, "staff")
    for person in people:
        person["tenure_weeks"] = draw_tenure(rng, person["level"])
        if person["level"] == "staff" and rng.random() < min(0.6, 0.05 + person["tenure_weeks"] / 900):
            person["level"] = "senior"
            person["tenure_weeks"] = max(person["tenure_weeks"], draw_tenure(rng, "senior"))
    assign_ids(rng, people)
    return people


def assign_ids(rng: np.random.Generator, people: list[dict]) -> None:
    """Number people in order of hiring with gaps for leavers, as an HR system does, and derive fake names."""
    order = sorted(range(len(people)), key=lambda i: (-people[i]["tenure_weeks"], i))
    number = 0
    for i in order:
        number += int(rng.geometric(0.6))  # 1 mostly; a larger step is a leaver
        people[i]["number"] = number
        people[i]["id"] = f"E{number:05d}"
        people[i]["name"] = f"Person {number}"
        people[i]["email"] = f"person{number}@acme.example"


def affinity(a: str, b: str) -> float:
    return AFFINITY.get((a, b), AFFINITY.get((b, a), 1.0))


def build_ties(rng: np.random.Generator, people: list[dict]) -> dict[tuple[int, int], float]:
    """Weekly collaboration strength for each pair that works together; a pair drawn twice adds up."""
    ties: dict[tuple[int, int], float] = {}

    def tie(i: int, j: int, weight: float) -> None:
        if i != j:
            key = (min(i, j), max(i, j))
            ties[key] = ties.get(key, 0.0) + weight

    teams: dict[str, list[int]] = {}
    for i, person in enumerate(people):
        teams.setdefault(person["team"], []).append(i)
    # Inside a team: nearly everyone works with everyone, and most with their manager, every week.
    for members in teams.values():
        for a, i in enumerate(members):
            for j in members[a + 1 :]:
                with_manager = people[j]["manager"] == i or people[i]["manager"] == j
                if with_manager or rng.random() < 0.8:
                    tie(i, j, rng.gamma(4.0, 1.2) if with_manager else rng.gamma(2.5, 1.1))
    # A reporting line that crosses teams (team manager to group head, head to CEO) is a strong tie too.
    for i, person in enumerate(people):
        boss = person["manager"]
        if boss is not None and people[boss]["team"] != person["team"]:
            tie(i, boss, rng.gamma(3.0, 1.2))
    # Across teams: a few colleagues elsewhere in the department, fewer in other departments; managers and
    # leaders have more of both, as they coordinate.
    by_department: dict[str, list[int]] = {}
    for i, person in enumerate(people):
        by_department.setdefault(person["department"], []).append(i)
    departments = sorted(by_department)
    for i, person in enumerate(people):
        own = by_department[person["department"]]
        extra = 1.0 if person["level"] in ("manager", "leader") else 0.0
        for _ in range(rng.poisson(1.2 + extra)):
            tie(i, own[int(rng.integers(len(own)))], rng.gamma(1.5, 0.8))
        weights = np.array(
            [
                0.0 if d == person["department"] else affinity(d, person["department"]) * len(by_department[d])
                for d in departments
            ]
        )
        for _ in range(rng.poisson(0.6 + 1.5 * extra)):
            other = by_department[departments[int(rng.choice(len(departments), p=weights / weights.sum()))]]
            tie(i, other[int(rng.integers(len(other)))], rng.gamma(1.2, 0.7))
    return ties


def build_survey(rng: np.random.Generator, people: list[dict]) -> list[dict]:
    """Team means on 1-5 from one team climate factor, the low-safety teams well below, and respondent counts."""
    teams: dict[str, list[int]] = {}
    for i, person in enumerate(people):
        teams.setdefault(person["team"], []).append(i)
    rows = []
    for team, members in teams.items():
        department = people[members[0]]["department"]
        climate = rng.normal()  # one factor: a team that feels safe also tends to recognise and reciprocate
        if team in LOW_SAFETY:
            climate = -abs(climate)  # below the ordinary on the shared factor as well, so that they stand out
        row: dict = {"team": team}
        for item, (mean, sd) in SURVEY.items():
            value = mean + sd * (0.7 * climate + 0.7 * rng.normal())
            if item == "ease":
                value += EASE_SHIFT.get(department, 0.0)
            if team in LOW_SAFETY:
                value -= LOW_SHIFT[item] + 0.1 * rng.normal()
            row[item] = f"{min(4.4, max(1.9, value)):.2f}"
        # About five in six answer; a low-safety team is kept visible (at least five answers) on purpose.
        respondents = int(rng.binomial(len(members), rng.beta(14.0, 2.5)))
        if team in LOW_SAFETY:
            respondents = max(respondents, 5)
        row["respondents"] = respondents
        rows.append(row)
    return rows


def write(people: list[dict], ties: dict[tuple[int, int], float], survey: list[dict]) -> None:
    """Write the three files: UTF-8, comma-separated, rows sorted by id (chart, ties) or by team (survey)."""
    by_number = sorted(people, key=lambda p: p["number"])
    with open(HERE / "org.csv", "w", newline="", encoding="utf-8") as f:
        out = csv.writer(f, lineterminator="\n")
        out.writerow(["id", "name", "email", "manager_id", "department", "team", "level", "tenure_weeks"])
        for p in by_number:
            boss = "" if p["manager"] is None else people[p["manager"]]["id"]
            out.writerow(
                [p["id"], p["name"], p["email"], boss, p["department"], p["team"], p["level"], p["tenure_weeks"]]
            )
    rows = sorted(
        (min(people[i]["id"], people[j]["id"]), max(people[i]["id"], people[j]["id"]), max(0.1, round(w, 1)))
        for (i, j), w in ties.items()
    )
    with open(HERE / "ties.csv", "w", newline="", encoding="utf-8") as f:
        out = csv.writer(f, lineterminator="\n")
        out.writerow(["source", "target", "weight"])
        out.writerows((s, t, f"{w:.1f}") for s, t, w in rows)
    with open(HERE / "survey.csv", "w", newline="", encoding="utf-8") as f:
        out = csv.DictWriter(f, ["team", *SURVEY, "respondents"], lineterminator="\n")
        out.writeheader()
        out.writerows(sorted(survey, key=lambda r: r["team"]))


def summary(people: list[dict], ties: dict[tuple[int, int], float], survey: list[dict]) -> str:
    """The figures the README quotes, so that they are printed, not typed."""
    degree = np.zeros(len(people), dtype=int)
    for i, j in ties:
        degree[i] += 1
        degree[j] += 1
    same_team = sum(people[i]["team"] == people[j]["team"] for i, j in ties)
    same_dept = sum(people[i]["department"] == people[j]["department"] for i, j in ties)
    levels = {lvl: sum(p["level"] == lvl for p in people) for lvl in ("staff", "senior", "manager", "leader")}
    tenure = np.array([p["tenure_weeks"] for p in people])
    team_sizes = np.unique([p["team"] for p in people], return_counts=True)[1]
    spans = np.bincount([p["manager"] for p in people if p["manager"] is not None])
    spans = spans[spans > 0]
    departments: dict[str, int] = {}
    for p in people:
        departments[p["department"]] = departments.get(p["department"], 0) + 1
    suppressed = [r["team"] for r in survey if r["respondents"] < 5]
    low = {t: next(p["department"] for p in people if p["team"] == t) for t in LOW_SAFETY}
    safety = [float(r["psychological_safety"]) for r in survey]
    return "\n".join(
        [
            f"people {len(people)}; departments {departments}",
            f"teams {len(team_sizes)} (size {team_sizes.min()}-{team_sizes.max()}, median {np.median(team_sizes):g})",
            f"spans of control {spans.min()}-{spans.max()} (median {np.median(spans):g}); levels {levels}",
            f"tenure weeks median {np.median(tenure):g}, first year {np.mean(tenure < 52):.1%}, max {tenure.max()}",
            (
                f"ties {len(ties)}: per person mean {degree.mean():.1f}, 10-90 % {np.percentile(degree, 10):g}-"
                f"{np.percentile(degree, 90):g}, min {degree.min()}; within team {same_team / len(ties):.0%}, "
                f"within department {same_dept / len(ties):.0%}"
            ),
            f"survey teams {len(survey)}; psychological_safety {min(safety):.2f}-{max(safety):.2f}; low-safety {low}",
            f"suppressed (fewer than 5 respondents): {len(suppressed)} {suppressed}",
        ]
    )


def main() -> None:
    rng = np.random.default_rng(SEED)
    people = build_chart(rng)
    ties = build_ties(rng, people)
    survey = build_survey(rng, people)
    write(people, ties, survey)
    print(summary(people, ties, survey))


if __name__ == "__main__":
    main()
