"""The scenario schema: every key a scenario file may hold, its type, range and default.

One pydantic model per section keeps the file format, the defaults, the
validation messages and the documentation of each parameter in one place.
Leaf names are unique across sections, so a researcher can override any of
them by its bare name (``simulate(recognition=0.8)``) without knowing where
it lives in the file.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from sim.fields import FolderName, Text, numbers_are_numbers
from sim.interventions import FAMILIES, Intervention

#: The largest seed: numpy's generators and TOML's integers are 64-bit, and the command line takes the same range.
SEED_MAX = 2**63 - 1

UnitInterval = Annotated[float, Field(ge=0.0, le=1.0)]
#: The longest file path a scenario may name (Linux's PATH_MAX).
PATH_MAX = 4096


class _Section(BaseModel):
    """Unknown keys are refused: a misspelt key must never be silently ignored; nor is a quoted number."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    @field_validator("*", mode="before")
    @classmethod
    def _numbers_are_numbers(cls, value: Any, info: ValidationInfo) -> Any:
        return numbers_are_numbers(cls, value, info)


class Organisation(_Section):
    """Structure of the organisation: generated from these parameters, or read from a chart.

    With ``chart``, employees and departments are the chart's (sim.scenario_files reads it when the scenario is
    validated and puts its counts here, where everything that sizes a run reads them), and the chart's path is
    stored absolute, so that the validated scenario runs the same from any folder.
    """

    employees: int = Field(500, ge=10, le=2_000_000, description="number of employees")
    departments: int = Field(5, ge=1, le=10_000, description="number of departments")
    team_size: int = Field(8, ge=3, le=50, description="people per team, the manager included")
    weak_ties: int = Field(4, ge=0, le=32, description="cross-team acquaintances per employee")
    cross_department_share: UnitInterval = Field(
        0.3, description="share of cross-team ties that reach another department"
    )
    senior_share: UnitInterval = Field(0.25, description="share of non-managers who are senior")
    newcomer_share: UnitInterval = Field(0.1, description="share of employees in their first year")
    knowledge_domains: int = Field(6, ge=1, le=32, description="knowledge domains tracked per person")
    initial_knowledge: Literal["expertise", "uniform"] = Field(
        "expertise",
        description="'expertise': deep in one's specialty, growing with tenure; "
        "'uniform': every domain drawn uniformly from [0, 1), as in Cowan & Jonard (2004)",
    )
    network: Literal["teams", "ring"] = Field(
        "teams",
        description="'teams': teams, acquaintances and reporting lines; "
        "'ring': a ring lattice with some ties rewired at random (Watts & Strogatz 1998), for the barter rule",
    )
    neighbours: int = Field(10, ge=2, le=100, description="ring network: ties per person before rewiring (even)")
    chart: str | None = Field(
        None,
        max_length=PATH_MAX,
        description="your organisation chart (CSV: id, manager_id, department, team), run instead of a generated "
        "organisation; employees and departments come from it",
    )
    ties: str | None = Field(
        None,
        max_length=PATH_MAX,
        description="collaboration ties between the chart's people (CSV: source, target, weight): whom each "
        "person's acquaintances are drawn from",
    )
    rewiring: UnitInterval = Field(
        0.1, description="ring network: probability that a tie is rewired to a random colleague"
    )
    anonymise: bool = Field(
        False,
        description="with a chart: every output (tables' columns, summary, Parquet metadata, recorded parameters, "
        "dashboard) shows the chart's ids, department and team names as keyed pseudonyms (e-…, dept-…, team-…); "
        "a generated organisation has no names, and it changes nothing there",
    )

    @field_validator("ties")
    @classmethod
    def _ties_need_a_chart(cls, value: str | None, info: ValidationInfo) -> str | None:
        # A chart that failed its own check is missing from info.data and reported under its own key.
        if value is not None and "chart" in info.data and info.data["chart"] is None:
            raise ValueError("ties needs chart: ties link the people of an organisation chart; name the chart too")
        return value

    @model_validator(mode="after")
    def _fits(self) -> Organisation:
        if self.chart is not None and self.network == "ring":
            raise ValueError("chart needs network = 'teams': a ring lattice has no reporting lines or teams")
        if self.departments * 3 > self.employees and self.chart is None:
            raise ValueError(f"{self.departments} departments need at least {self.departments * 3} employees")
        if self.neighbours % 2:
            raise ValueError(f"neighbours must be even (half on each side of the ring), got {self.neighbours}")
        if self.network == "ring" and self.neighbours >= self.employees:
            raise ValueError(f"a ring of {self.employees} employees cannot give each {self.neighbours} neighbours")
        return self


class Culture(_Section):
    """The starting culture: what sharing is like in this organisation before any intervention.

    The first four are the handbook's four experiences as the organisation
    delivers them (how often a share is recognised, how often colleagues share
    back, how easy the process is, how often people hear their knowledge was
    used); people start out believing roughly what the culture delivers.
    """

    recognition: UnitInterval = Field(0.35, description="chance that a share is recognised")
    reciprocation: UnitInterval = Field(0.45, description="readiness of colleagues to share in return")
    ease: UnitInterval = Field(0.5, description="ease of the sharing process (1 = no friction)")
    feedback: UnitInterval = Field(0.3, description="chance that a sharer hears how the knowledge was used")
    psychological_safety: UnitInterval = Field(0.6, description="team climate of psychological safety")
    climate_spread: float = Field(
        0.08, ge=0.0, le=0.5, description="how much teams differ in psychological safety (s.d. of team climate)"
    )
    safety_spread: float = Field(
        0.174,
        ge=0.0,
        le=0.5,
        description="how much teammates differ in the safety they feel (s.d. around the team climate)",
    )
    initial_sharers: UnitInterval = Field(
        0.5, description="share of employees actively sharing at week 0 (only with warmup = 0)"
    )
    initial_lapsed: UnitInterval = Field(
        0.3, description="share who shared once but stopped, at week 0 (only with warmup = 0)"
    )
    survey: str | None = Field(
        None,
        max_length=PATH_MAX,
        description="your team survey (CSV: team, then any of psychological_safety, recognition, reciprocation, "
        "ease, self_efficacy): each surveyed team starts from its own means instead of the values above; "
        "needs organisation.chart",
    )
    survey_scale: Literal["1-5", "1-7", "0-1"] = Field("1-5", description="the scale the survey's means are on")
    survey_reading: Literal["relative", "absolute"] = Field(
        "relative",
        description="'relative': a surveyed team's value is the one above plus the team's distance from the "
        "survey's mean over teams (on 0-1); 'absolute': the team's mean, converted to 0-1, is its value "
        "(sim/team_culture.py)",
    )
    min_respondents: int | None = Field(
        None,
        ge=1,
        le=1_000_000,
        description="the fewest respondents whose team results are used (default 5, or the survey's "
        "min_respondents column); smaller teams take the values above",
    )

    @model_validator(mode="after")
    def _shares_add_up(self) -> Culture:
        if self.initial_sharers + self.initial_lapsed > 1.0:
            raise ValueError("initial_sharers + initial_lapsed must not exceed 1")
        return self


class Behaviour(_Section):
    """Mechanism parameters: how people learn from experience and decide.

    These are the knobs a researcher varies in a sensitivity analysis; an L&D
    user leaves them alone.
    """

    experience_rate: UnitInterval = Field(0.15, description="how fast sharers update the four experiences")
    vicarious_rate: UnitInterval = Field(0.03, description="how fast non-sharers update from what they see")
    expectation_rate: UnitInterval = Field(0.05, description="how fast expectations adapt to experience")
    satisfaction_rate: UnitInterval = Field(0.2, description="how fast satisfaction follows confirmation")
    disconfirmation_weight: float = Field(
        1.0, ge=0.0, le=5.0, description="weight of (experience - expectation) on satisfaction"
    )
    intention_rate: UnitInterval = Field(0.25, description="how fast intention follows its drivers")
    intention_bias: float = Field(2.03, ge=-10.0, le=10.0, description="intercept of the intention")
    cooperator_share: UnitInterval = Field(0.279, description="share of people inclined to share whatever happens")
    defector_share: UnitInterval = Field(0.409, description="share of people inclined to keep knowledge to themselves")
    cooperator_bonus: float = Field(1.5, ge=0.0, le=10.0, description="cooperators' extra readiness, in logits")
    defector_penalty: float = Field(4.0, ge=0.0, le=10.0, description="defectors' lower readiness, in logits")
    disposition_spread: float = Field(
        0.5, ge=0.0, le=5.0, description="spread of personal readiness within each group, in logits"
    )
    w_satisfaction: float = Field(3.95, ge=0.0, le=20.0, description="weight of satisfaction")
    w_self_efficacy: float = Field(2.23, ge=0.0, le=20.0, description="weight of self-efficacy")
    w_recognition: float = Field(1.43, ge=0.0, le=20.0, description="weight of expected recognition")
    w_ease: float = Field(1.23, ge=0.0, le=20.0, description="weight of the expected ease of sharing")
    w_reciprocation: float = Field(1.52, ge=0.0, le=20.0, description="weight of expected reciprocation")
    w_safety: float = Field(4.06, ge=0.0, le=20.0, description="weight of psychological safety")
    w_social: float = Field(1.89, ge=0.0, le=20.0, description="pull of what teammates visibly do")
    friction_weight: UnitInterval = Field(0.466, description="how much friction stops an intended share")
    base_opportunity: UnitInterval = Field(0.9, description="chance of having time to share in a week")
    recipients_per_share: int = Field(3, ge=1, le=20, description="colleagues reached per share")
    absorptive_capacity: UnitInterval = Field(0.3, description="fraction of a knowledge gap absorbed")
    use_scale: float = Field(
        0.1, gt=0.0, le=10.0, description="knowledge gain at which a recipient is ~63 % likely to use it"
    )
    critique_base: UnitInterval = Field(0.35, description="chance of critique in a climate with no safety")
    safety_rate: UnitInterval = Field(0.04, description="how fast team climate moves toward its target")
    climate_memory: UnitInterval = Field(
        0.2, description="how much of a lasting change in climate becomes the team's resting level"
    )
    learning_rate: float = Field(0.05, ge=0.0, le=1.0, description="weekly own learning in one's specialty")
    depreciation: UnitInterval = Field(0.01, description="weekly obsolescence of knowledge")
    leader_visibility: float = Field(4.0, ge=1.0, le=50.0, description="weight of a manager's example")
    tie_retention: UnitInterval = Field(
        0.98,
        description="weekly survival of mentoring pairs, project ties and community membership after their programme",
    )
    active_window: int = Field(4, ge=1, le=52, description="weeks since last share that still count as active")
    reach_spread: float = Field(
        2.06,
        ge=0.0,
        le=3.0,
        description="how much people differ in how many colleagues a share reaches (s.d. of its log)",
    )
    seeking: bool = Field(
        True,
        description="people who meet a knowledge need ask a colleague, who answers or not (sim/seeking.py); "
        "off by default under decision = 'barter', which has no rule to answer by",
    )
    need_rate: UnitInterval = Field(
        0.273,
        description="seeking: weekly chance of meeting a task one lacks knowledge for (fitted, docs/calibration.md)",
    )
    ask_bias: float = Field(
        -2.12, ge=-10.0, le=10.0, description="seeking: intercept of the choice to ask, in logits (fitted)"
    )
    w_ask_safety: float = Field(
        2.69, ge=0.0, le=20.0, description="seeking: weight of psychological safety on asking (fitted)"
    )
    w_ask_awareness: float = Field(
        1.91, ge=0.0, le=20.0, description="seeking: weight of knowing who knows what on asking (fitted)"
    )
    w_ask_reciprocation: float = Field(
        1.0, ge=0.0, le=20.0, description="seeking: weight of the expected responsiveness of colleagues on asking"
    )
    w_ask_ease: float = Field(1.0, ge=0.0, le=20.0, description="seeking: weight of the ease of asking")
    w_ask_readiness: float = Field(
        2.0, ge=0.0, le=20.0, description="seeking: weight of one's own history of being answered"
    )
    ask_rate: UnitInterval = Field(0.2, description="seeking: how fast the readiness to ask follows being answered")
    answer_readiness: float = Field(
        6.91,
        ge=1.0,
        le=10.0,
        description="seeking: how much likelier someone is to answer a request than to share unasked in a week "
        "(a multiplier on their chance to share; a request brings the occasion and names the need; fitted)",
    )
    decision: Literal["experience", "barter"] = Field(
        "experience",
        description="'experience': the weekly decision to keep sharing; 'barter': Cowan & Jonard's (2004) "
        "knowledge barter between neighbours",
    )
    trade_threshold: float = Field(
        0.0,
        ge=0.0,
        le=1.0,
        description="barter: a trade happens only if it would add more than this to each side's knowledge "
        "(summed over domains); with 0, any double coincidence of wants trades",
    )

    @model_validator(mode="after")
    def _mix_adds_up(self) -> Behaviour:
        if self.cooperator_share + self.defector_share > 1.0:
            raise ValueError("cooperator_share + defector_share must not exceed 1")
        return self


class Scenario(_Section):
    """A whole scenario: organisation, starting culture, mechanism parameters, interventions."""

    name: FolderName = Field("custom", min_length=1, description="short name")
    description: Text = Field("", description="one line on what the scenario shows")
    notice: Text = Field("", description="what a trainer should point out while it runs")
    weeks: int = Field(104, ge=1, le=5200, description="weeks to simulate")
    warmup: int = Field(104, ge=0, le=520, description="weeks the organisation settles before week 0, not recorded")
    seed: int = Field(42, ge=0, le=SEED_MAX, description="seed of the random number generator")
    organisation: Organisation = Organisation()
    culture: Culture = Culture()
    behaviour: Behaviour = Behaviour()
    interventions: list[Intervention] = []

    @model_validator(mode="after")
    def _rules_fit(self) -> Scenario:
        barter = self.behaviour.decision == "barter"
        if barter and self.behaviour.seeking and "seeking" not in self.behaviour.model_fields_set:
            # Seeking is on by default, and the barter rule cannot answer: a barter scenario that does not ask for
            # seeking goes without it, and one that asks for it is refused below.
            object.__setattr__(self.behaviour, "seeking", False)
        if barter and self.behaviour.seeking:
            raise ValueError(
                "behaviour.seeking needs behaviour.decision = 'experience': a request is answered by the rule that "
                "decides a share, which the barter rule does not have"
            )
        if barter and self.warmup:
            raise ValueError(
                "warmup must be 0 with behaviour.decision = 'barter': a barter run starts from its endowments, "
                "and the warm-up settles beliefs the barter rule does not have"
            )
        if self.warmup:
            moved = [
                f"culture.{key} = {getattr(self.culture, key)}"
                for key in ("initial_sharers", "initial_lapsed")
                if getattr(self.culture, key) != Culture.model_fields[key].default
            ]
            if moved:
                raise ValueError(
                    f"{' and '.join(moved)} needs warmup = 0: the {self.warmup}-week warm-up settles who shares "
                    "before week 0 and leaves little of a starting share (ODD 5.4); to start from it, set warmup = 0"
                )
        if self.organisation.network == "ring" and not barter:
            raise ValueError(
                "organisation.network = 'ring' needs behaviour.decision = 'barter': the experience rule "
                "shares through teams, acquaintances and reporting lines, which a ring does not have"
            )
        for number, item in enumerate(self.interventions):
            if barter and (self.organisation.network == "ring" or item.type not in BARTER_FAMILIES):
                where = (
                    "on a ring network" if self.organisation.network == "ring" else "with behaviour.decision = 'barter'"
                )
                raise ValueError(
                    f"interventions.{number}: '{item.type}' does nothing {where}; "
                    f"the barter rule uses no recognition, safety or intention, and a ring's ties are fixed"
                    + (
                        ""
                        if self.organisation.network == "ring"
                        else f" (on the team network it takes only {', '.join(BARTER_FAMILIES)})"
                    )
                )
        return self

    @model_validator(mode="after")
    def _inside_the_run(self, info: ValidationInfo) -> Scenario:
        """An intervention placed after the last week would never act: a file that says so is a mistake.

        The run simulates weeks 1 to ``weeks`` (week 0 is the start), so one starting in week ``weeks`` still
        acts in the last week; one starting later never does. Only interventions a person just placed are
        checked, named by the context ``{"placed": "all" | set of indices}``: shortening a valid scenario
        (``--weeks 5``, an experiment's ``weeks``) cuts later ones off on purpose, and a stored scenario
        read back (no context) is what ran.
        """
        placed = (info.context or {}).get("placed")
        for number, item in enumerate(self.interventions):
            if placed is None or (placed != "all" and number not in placed):
                continue
            if item.start > self.weeks:
                raise ValueError(
                    f"interventions.{number}: '{item.type}' starts in week {item.start}, after the run's last week "
                    f"(weeks = {self.weeks}), so it would never act; start it earlier or run longer"
                )
        return self

    @model_validator(mode="after")
    def _survey_needs_a_chart(self) -> Scenario:
        if self.culture.survey is not None and self.organisation.chart is None:
            raise ValueError(
                "culture.survey needs organisation.chart: survey results are per team, and only a chart has the "
                "survey's teams; name the chart too"
            )
        return self

    @model_validator(mode="after")
    def _targets_exist(self) -> Scenario:
        for number, item in enumerate(self.interventions):
            department = item.target_department()
            if isinstance(department, str) and self.organisation.chart is None:
                raise ValueError(
                    f"interventions.{number}.target: department '{department}' is a name, and only an organisation "
                    f"chart names its departments; a generated organisation's are numbered 0 to "
                    f"{self.organisation.departments - 1} (department:0)"
                )
            if isinstance(department, int) and department >= self.organisation.departments:
                raise ValueError(
                    f"interventions.{number}.target: department {department} does not exist; "
                    f"departments are numbered 0 to {self.organisation.departments - 1}"
                )
        return self


#: Interventions that still act under the barter rule on the team network: they change who meets whom
#: (pairs, communities, reshuffled teams) or how much of a gap is absorbed.
BARTER_FAMILIES: tuple[str, ...] = tuple(
    family.type_name()
    for family in FAMILIES
    if family.BUILDS not in (None, "climate_shock") or "absorption" in family.EFFECTS
)

SECTIONS: dict[str, type[_Section]] = {
    "organisation": Organisation,
    "culture": Culture,
    "behaviour": Behaviour,
}


def flat_parameter_names() -> dict[str, str]:
    """Map every bare leaf name to its dotted path, e.g. 'recognition' -> 'culture.recognition'."""
    names = {key: key for key in ("weeks", "warmup", "seed")}
    for section, model in SECTIONS.items():
        for key in model.model_fields:
            names[key] = f"{section}.{key}"
    return names


Level = Literal["staff", "senior", "manager", "leader"]
LEVELS: tuple[str, ...] = ("staff", "senior", "manager", "leader")
