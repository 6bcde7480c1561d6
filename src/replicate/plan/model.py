"""The adaptation plan: the document `replicate` produces, as typed models.

The JSON rendering is exactly `AdaptationPlan.model_dump_json()`, and `replicate schema plan`
prints its JSON Schema, so embedders and the CLI see one and the same document.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from ..findings import Finding
from ..guidance import Theme
from ..rules.model import Phase, Severity

SCHEMA_VERSION = "2.8"
"""2.1: a question asked of several partners (services, sources...) at once lists them all in `fields`.
2.2: a question, and a change it could make to the decision, say `with_other_answers` when one answer
alone could not make it.
2.3: a finding whose launch condition the site records as done (`actions_done`) says so in `done`.
2.4: a question that cannot change the decision but whose answer could add a condition to meet
before launch says so in `adds_condition`.
2.5: a theme with a finding among the decision's reasons says so in its readiness (`decides`).
2.6: a theme's readiness counts the risks met on the site's own record apart (`risks_met`), and the
first page counts the programme owner's questions whose answer could add a condition
(`for_programme_owner_adding`).
2.7: a component whose planned change puts a core principle at risk, or that the site leaves out
where the plan says to keep it, is `at_risk`, not `tailor` or `drop`.
2.8: a question says why the guidance asks it (`why`): the passage behind the weightiest rule that
needs its answer."""

Verdict = Literal["go", "go_with_conditions", "information_needed", "not_yet", "do_not_replicate"]
VERDICT_ORDER: tuple[Verdict, ...] = ("go", "go_with_conditions", "information_needed", "not_yet", "do_not_replicate")
"""Best first. Known blockers rank below "information needed": what is known to stand in the way is
said first, whatever else is still unknown."""
PrincipleStatus = Literal["keep", "tailor", "at_risk"]
ComponentStatus = Literal["deliver", "tailor", "build_on", "drop", "at_risk"]


class _PlanModel(BaseModel):
    model_config = ConfigDict(defer_build=True, frozen=True)


class Reason(_PlanModel):
    finding: str = Field(description="The findings' references (RULE-ID or RULE-ID@subject), comma-separated; "
                         "empty when the reason is about the whole profile.")
    text: str


class Condition(_PlanModel):
    """Something that must be true before going ahead, and how anyone can check that it is."""

    do: str
    done_when: str = Field(description="How to tell it is met: a check someone can make.")
    owner: str
    answers: list[str] = Field(description="References of the findings it answers.")


class DecisionChange(_PlanModel):
    """An unanswered question whose answer could move the decision, and to what."""

    field: str = Field(description="The profile field to fill in.")
    question: str
    to: Verdict = Field(description="The decision it could lead to.")
    if_answer: str = Field(description="Which kind of answer would do it, in plain words.")
    rules: list[str] = Field(description="The rules that would decide it.")
    with_other_answers: bool = Field(
        default=False, description="Whether it could do so only together with the answers to other open questions "
        "(every rule behind it needs more than this one field)."
    )


class Decision(_PlanModel):
    verdict: Verdict
    summary: str = Field(description="The decision and its main reason, in one sentence.")
    reasons: list[Reason]
    provisional: bool = Field(description="Whether an unanswered question could still change the decision.")
    could_change: list[DecisionChange] = Field(description="The questions that could change it, most decisive first.")
    conditions: list[Condition] = Field(
        description="What must be true before going ahead; only when the verdict is go_with_conditions."
    )
    groundwork: list[Condition] = Field(
        description="What must be done before advising again; only when the verdict is not_yet."
    )
    questions_first: list[str] = Field(
        description="Profile fields to answer before a decision can be made; only when information is needed."
    )


class PrincipleVerdict(_PlanModel):
    id: str
    statement: str
    kind: str
    status: PrincipleStatus
    guidance: str = Field(description="What to do with the principle, and why that is safe (or not).")
    reasons: list[Reason]


class ComponentVerdict(_PlanModel):
    id: str
    name: str
    status: ComponentStatus
    guidance: str
    build_on: list[str] = Field(description="Existing local services to build on instead of duplicating.")
    reasons: list[Reason]


class Action(_PlanModel):
    order: int
    phase: Phase
    priority: Severity
    owner: str
    do: str
    done_when: str = Field(description="How to tell it is done.")
    answers: list[str] = Field(description="References of the findings this action answers.")


class ThemeReadiness(_PlanModel):
    theme: Theme
    score: int = Field(ge=0, le=100, description="Readiness from what is known: the risks found.")
    confidence: float = Field(
        ge=0, le=1, description="Share of the site fields this theme's rules read that the profile states."
    )
    rated: bool = Field(description="Whether enough is known for the score to mean something.")
    risks: int = Field(description="The risks that weigh in the score (high, medium or low; not info notes, nor "
                       "those met on record).")
    risks_met: int = Field(0, description="The risks whose launch condition the site records as done "
                           "(actions_done): still in the plan, with the record, weighing nothing.")
    strengths: int
    undetermined_rules: int = Field(description="Checks of this theme that missing information left open.")
    decides: bool = Field(
        default=False, description="Whether a finding of this theme is among the decision's reasons (a condition, "
        "groundwork or the reason not to replicate). A theme can keep a good score and still hold the decision on "
        "one finding: the score counts risks, each risk declares its own effect (1390)."
    )


class ParameterRef(_PlanModel):
    """A named number the plan rests on, with the value used and why."""

    name: str
    value: float
    unit: str
    basis: str
    reason: str
    pack: str


class FidelityCheck(_PlanModel):
    principle: str
    check: str


IF_FUNDED = "If funding continues: "
"""How a review that falls after the money secured runs out begins: it happens only if more comes."""


class Review(_PlanModel):
    month: int
    what: str


class Sustaining(_PlanModel):
    """After launch: what keeps the copy faithful and funded, and what should make the site think again."""

    fidelity_checks: list[FidelityCheck]
    reviews: list[Review]
    cost_benefit: str
    reassess_when: list[str]


class QuestionReason(_PlanModel):
    """The passage of the guidance a question rests on: a board asked why the funding or the lead's
    hours mattered, and the plan said only what the answer could do to the decision (round 60)."""

    rule: str = Field(description="The weightiest rule that needs the answer: its passage is the one given.")
    theme: Theme = Field(description="The guidance's theme the passage is in.")
    quote: str = Field(description="A short phrase of the guidance.")


class Question(_PlanModel):
    field: str = Field(description="The first of `fields`: the one field, for a question about one thing.")
    fields: list[str] = Field(
        min_length=1, description="Every field the question asks for: one per partner, service or source it names."
    )
    question: str
    needed_by: list[str] = Field(description="Rules that could not be decided without it.")
    answer_by: Literal["site", "programme owner"] = Field(description="Who can answer it.")
    subject: str | None = Field(
        default=None, description="Which partner, service, component... it is about (or which of them, for several)."
    )
    could_change_to: Verdict | None = Field(
        default=None, description="The decision its answer could lead to, if it could change the decision."
    )
    with_other_answers: bool = Field(
        default=False, description="Whether its answer could change the decision only together with the answers to "
        "other open questions."
    )
    adds_condition: bool = Field(
        default=False, description="Whether its answer, though it could not change the decision, could add a "
        "condition to meet before launch to those it already has."
    )
    why: QuestionReason | None = Field(
        default=None, description="Why the guidance asks it: the passage behind the weightiest rule in "
        "`needed_by` (none where only the decision's own lines need the answer).")


class ProfileRef(_PlanModel):
    id: str
    name: str


class RulePackRef(_PlanModel):
    name: str
    version: str
    rules: int


class Strength(_PlanModel):
    finding: str
    title: str
    theme: Theme


class PlanSummary(_PlanModel):
    """The page a manager reads: the first actions, the questions that matter most, what to build on."""

    actions: list[Action] = Field(description="At most ten actions, in the order to do them.")
    more_actions: int = Field(description="How many further actions the details list.")
    questions: list[Question] = Field(
        description="At most five questions, those that could change the decision first; a question for the "
        "programme owner is here only if it could change the decision.")
    more_questions: int = Field(description="How many further such questions the details list.")
    for_programme_owner: int = Field(
        0, description="How many questions for the programme owner, about its own evidence, the details list "
        "besides: none could change the decision, and the site cannot answer them.")
    for_programme_owner_adding: int = Field(
        0, description="Of those, how many could add a condition to meet before launch.")
    strengths: list[Strength] = Field(description="At most three strengths to build on.")


class AdaptationPlan(_PlanModel):
    """A 'replication, not duplication' plan for one programme at one site."""

    schema_version: str = SCHEMA_VERSION
    programme: ProfileRef
    site: ProfileRef
    decision: Decision
    summary: PlanSummary
    principles: list[PrincipleVerdict]
    components: list[ComponentVerdict]
    actions: list[Action]
    readiness: list[ThemeReadiness] = Field(description="Readiness by theme, weakest first.")
    readiness_method: str
    decision_method: str
    missing_information: list[Question]
    sustaining: Sustaining
    findings: list[Finding]
    parameters: list[ParameterRef] = Field(description="Every named number the decision and findings used.")
    rule_packs: list[RulePackRef]
