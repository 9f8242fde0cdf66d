"""Culture interventions and negative events as timed, targeted objects.

An intervention does two kinds of thing while it runs. It moves *levers*: the
conditions people meet when they share (how often a share is recognised, how
much friction there is, how much time they have...). Levers stop the week the
intervention ends, so their effect on behaviour can only last through what
people learnt while it ran: their experiences, expectations, satisfaction,
their team's climate, their knowledge. Some interventions also build
*structures* (mentoring pairs, project ties, community memberships) that
outlive the programme and then dissolve at the rate ``tie_retention``.
That split is what lets a withdrawal show which effects last and which fade.

Each family is tied to the source that names it in ``docs/ODD.md``.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, ClassVar, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from sim.fields import Name, numbers_are_numbers

#: Every lever an intervention may move, and which side of a share it acts on.
#: "sharer": the condition applies to the employee when they share;
#: "recipient": it applies to the employee when they receive; "team": it moves
#: the psychological-safety target of the employee's team.
LEVERS: dict[str, str] = {
    "recognition": "sharer",  # chance a share is recognised
    "feedback": "sharer",  # chance the sharer hears how it was used
    "friction": "sharer",  # friction of the sharing process
    "opportunity": "sharer",  # chance of having time to share
    "modelling": "sharer",  # intention bonus for managers and leaders who model sharing
    "reach": "sharer",  # extra readers a share reaches through a platform
    "reciprocity": "recipient",  # readiness to share back
    "absorption": "recipient",  # multiplier on absorptive capacity
    "critique": "recipient",  # extra chance of answering a share with critique
    "safety": "team",  # shift of the team climate's target
    "asking": "team",  # seeking: a manager or leader asks in public, lowering the image cost for the team
    "expertise": "sharer",  # seeking: expertise made visible, so people learn who knows what
}

TARGET_PATTERN = re.compile(r"^(all|staff|senior|manager|leader|managers|newcomers|department:.+)$")
TARGETS_HELP = (
    "all, staff, senior, manager, leader, managers, newcomers, department:N or department:NAME (with a chart)"
)
#: A department target's number: ASCII digits only (a chart's department named "3" is reached as its number).
DEPARTMENT_NUMBER = re.compile(r"[0-9]+")


def department_of(target: str) -> int | str | None:
    """What a ``department:`` target names: a department's number (digits), its name in the chart, or None."""
    if not target.startswith("department:"):
        return None
    key = target.split(":", 1)[1]
    return int(key) if DEPARTMENT_NUMBER.fullmatch(key) else key


class InterventionBase(BaseModel):
    """Fields every intervention shares: when it runs, how strongly, on whom."""

    model_config = ConfigDict(extra="forbid")

    start: int = Field(0, ge=0, le=5200, description="first week it acts")
    end: int | None = Field(None, ge=0, le=5200, description="week it stops (exclusive); none = never")
    intensity: float = Field(0.6, ge=0.0, le=1.0, description="strength, 1 = strongest plausible")
    target: str = Field("all", description=f"who it reaches: {TARGETS_HELP}")
    label: Name = Field("", description="name shown on charts")

    #: lever -> change per unit of intensity
    EFFECTS: ClassVar[dict[str, float]] = {}
    #: the structure it builds, if any ("mentoring", "reverse_mentoring", "project", "community")
    BUILDS: ClassVar[str | None] = None
    #: what it is, for ``kshare`` listings and the docs
    SUMMARY: ClassVar[str] = ""
    #: a negative event: it needs an ``end``, since one without would be a permanent regime, not an event
    EVENT: ClassVar[bool] = False

    @field_validator("start", "end", "intensity", mode="before")  # not "*": pydantic forbids it on the type tag
    @classmethod
    def _numbers_are_numbers(cls, value: Any, info: ValidationInfo) -> Any:
        return numbers_are_numbers(cls, value, info)

    @field_validator("target")
    @classmethod
    def _known_target(cls, value: str) -> str:
        if not TARGET_PATTERN.match(value):
            raise ValueError(f"expected one of {TARGETS_HELP}, got {value!r}")
        return value

    @model_validator(mode="after")
    def _window_is_ordered(self):
        if self.end is not None and self.end <= self.start:
            raise ValueError(f"end ({self.end}) must be after start ({self.start})")
        if self.end is None and self.EVENT:
            raise ValueError(
                f"a {self.type_name()} needs an end (the week its direct effects stop): without one it would act "
                f"for the whole run, a permanent regime rather than an event"
            )
        return self

    @classmethod
    def type_name(cls) -> str:
        """The tag in the ``type`` field that selects this family, e.g. "mentoring"."""
        return get_args(cls.model_fields["type"].annotation)[0]

    def target_department(self) -> int | str | None:
        """The department this targets, by number or by the chart's name; None if it targets no department."""
        return department_of(self.target)

    def active(self, week: int) -> bool:
        return week >= self.start and (self.end is None or week < self.end)

    def display_name(self) -> str:
        return self.label or self.type_name().replace("_", " ")


class RecognitionProgramme(InterventionBase):
    type: Literal["recognition_programme"]
    SUMMARY: ClassVar[str] = "public recognition and rewards for sharing"
    EFFECTS: ClassVar[dict[str, float]] = {"recognition": 0.5}


class FeedbackLoop(InterventionBase):
    type: Literal["feedback_loop"]
    SUMMARY: ClassVar[str] = "contributors are told how their knowledge was used"
    EFFECTS: ClassVar[dict[str, float]] = {"feedback": 0.6}


class ReciprocityNorm(InterventionBase):
    type: Literal["reciprocity_norm"]
    SUMMARY: ClassVar[str] = "'share in return' made an explicit expectation"
    EFFECTS: ClassVar[dict[str, float]] = {"reciprocity": 0.4}


class SharingPlatform(InterventionBase):
    type: Literal["sharing_platform"]
    SUMMARY: ClassVar[str] = "tools that make sharing easier and broadcast it further"
    EFFECTS: ClassVar[dict[str, float]] = {"friction": -0.3, "reach": 6.0, "recognition": 0.05, "expertise": 1.0}


class ProtectedTime(InterventionBase):
    type: Literal["protected_time"]
    SUMMARY: ClassVar[str] = "protected time and resources for learning and sharing"
    EFFECTS: ClassVar[dict[str, float]] = {"opportunity": 0.3, "friction": -0.1, "absorption": 0.5}


class SafetyWork(InterventionBase):
    type: Literal["psychological_safety"]
    SUMMARY: ClassVar[str] = "team work on psychological safety: speaking up is safe and valued"
    EFFECTS: ClassVar[dict[str, float]] = {"safety": 0.35}


class Mentoring(InterventionBase):
    type: Literal["mentoring"]
    SUMMARY: ClassVar[str] = "juniors paired with senior colleagues in their department"
    BUILDS: ClassVar[str | None] = "mentoring"


class ReverseMentoring(InterventionBase):
    type: Literal["reverse_mentoring"]
    SUMMARY: ClassVar[str] = "juniors paired with managers and leaders they teach"
    BUILDS: ClassVar[str | None] = "reverse_mentoring"
    EFFECTS: ClassVar[dict[str, float]] = {"safety": 0.05}


class CommunitiesOfPractice(InterventionBase):
    type: Literal["communities_of_practice"]
    SUMMARY: ClassVar[str] = "organisation-wide groups around one area of expertise"
    BUILDS: ClassVar[str | None] = "community"
    EFFECTS: ClassVar[dict[str, float]] = {"expertise": 0.5}


class CrossFunctional(InterventionBase):
    type: Literal["cross_functional"]
    SUMMARY: ClassVar[str] = "projects that pair people across departments"
    BUILDS: ClassVar[str | None] = "project"


class LeaderModelling(InterventionBase):
    type: Literal["leader_modelling"]
    SUMMARY: ClassVar[str] = "managers and leaders visibly share and invite sharing"
    EFFECTS: ClassVar[dict[str, float]] = {"modelling": 1.5, "safety": 0.1, "asking": 0.5}


class LeadersAsking(InterventionBase):
    type: Literal["leaders_asking"]
    SUMMARY: ClassVar[str] = "managers and leaders ask questions in public and say what they do not know"
    EFFECTS: ClassVar[dict[str, float]] = {"asking": 1.0, "safety": 0.05}


class Restructuring(InterventionBase):
    type: Literal["restructuring"]
    SUMMARY: ClassVar[str] = "negative event: people moved between teams of their department, disruption"
    EFFECTS: ClassVar[dict[str, float]] = {"safety": -0.2, "friction": 0.15, "opportunity": -0.1}
    BUILDS: ClassVar[str | None] = "reshuffle"
    EVENT: ClassVar[bool] = True


class BlameIncident(InterventionBase):
    type: Literal["blame_incident"]
    SUMMARY: ClassVar[str] = "negative event: someone is publicly blamed for a mistake they shared"
    EFFECTS: ClassVar[dict[str, float]] = {"critique": 0.4, "safety": -0.3}
    BUILDS: ClassVar[str | None] = "climate_shock"
    EVENT: ClassVar[bool] = True


class WorkloadSpike(InterventionBase):
    type: Literal["workload_spike"]
    SUMMARY: ClassVar[str] = "negative event: deadlines leave no time to share"
    EFFECTS: ClassVar[dict[str, float]] = {"opportunity": -0.5, "friction": 0.1}
    EVENT: ClassVar[bool] = True


FAMILIES: tuple[type[InterventionBase], ...] = (
    RecognitionProgramme,
    FeedbackLoop,
    ReciprocityNorm,
    SharingPlatform,
    ProtectedTime,
    SafetyWork,
    Mentoring,
    ReverseMentoring,
    CommunitiesOfPractice,
    CrossFunctional,
    LeaderModelling,
    LeadersAsking,
    Restructuring,
    BlameIncident,
    WorkloadSpike,
)

Intervention = Annotated[
    RecognitionProgramme
    | FeedbackLoop
    | ReciprocityNorm
    | SharingPlatform
    | ProtectedTime
    | SafetyWork
    | Mentoring
    | ReverseMentoring
    | CommunitiesOfPractice
    | CrossFunctional
    | LeaderModelling
    | LeadersAsking
    | Restructuring
    | BlameIncident
    | WorkloadSpike,
    Field(discriminator="type"),
]

TYPE_NAMES: tuple[str, ...] = tuple(f.type_name() for f in FAMILIES)
