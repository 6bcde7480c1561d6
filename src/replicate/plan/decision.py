"""The decision: go, go with conditions, information needed, not yet, or do not replicate.

A council has to defend this to its board, so it is worked out from the whole profile by a small,
documented model (docs/decision.md) whose every number is a named parameter:

1. Each risk finding counts: its rule's declared effect (not yet, do not replicate) is the least it
   does; a high risk, or any risk whose action belongs before launch, rules out a plain "go".
2. Risks add up within a theme: several medium risks weigh like a high one, and a theme whose
   readiness falls below a floor needs work before launch (or, below a lower floor, groundwork
   first). Serious risks in several themes at once mean the groundwork is not done.
3. What is unknown is not good news: decisive information left out entirely, or a theme of which
   almost nothing is known, makes the decision "information needed", never "go".
4. The worst of these is the decision. It is provisional when an unanswered question could still
   move it: each open risk rule is tried as if it fired, and any that would change the verdict is
   named with the verdict it would lead to.

Everything here is plain data and pure functions, so the counterfactuals in step 4 are cheap and
the property tests can call the model directly.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from math import floor

from ..guidance import THEME_TITLES, THEMES
from .decision_parameters import DECISION_PARAMETERS as DECISION_PARAMETERS
from .decision_parameters import DecisionParameters as DecisionParameters
from .model import VERDICT_ORDER, Verdict


@dataclass(frozen=True)
class Risk:
    """What the model needs of one risk finding (or of an open rule tried as if it fired)."""

    ref: str
    title: str
    theme: str
    severity: str
    effect: str | None
    """The rule's declared decision effect: conditions, not_yet, do_not_replicate, or None."""
    before_launch: bool
    """Whether its action must be done before launch."""

    @property
    def makes_condition(self) -> bool:
        """Whether, unless its effect is worse, it makes going ahead wait on a condition."""
        return self.effect == "conditions" or self.before_launch or self.severity == "high"


GRAVITY = {"high": 0, "medium": 2, "low": 3, "build_on": 4}
"""A single risk's place among the causes of its verdict (a theme's risks together are 1); terms to
agree with a service built on, which are no risk, come last."""


@dataclass(frozen=True)
class Cause:
    """One reason the verdict is no better than `verdict`."""

    verdict: Verdict
    text: str
    refs: tuple[str, ...] = ()
    gravity: int = 2
    """Among causes of one verdict, which to name first (0 first): a high risk, then a theme whose risks
    together hold the decision ("the most serious" of four medium funding risks), then one medium
    risk, then one low risk (a low launch condition named as "the most serious reason" beside a
    medium one read as a misjudged risk, 1282), then terms to agree."""
    unknown_theme: str | None = None
    """The theme "too little is known about": a section left out is not also given as its theme."""


@dataclass(frozen=True)
class Judgement:
    verdict: Verdict
    causes: tuple[Cause, ...]
    """Every cause, worst first; the verdict is the first one's (or go)."""
    scores: Mapping[str, int]


_RANKS = {verdict: index for index, verdict in enumerate(VERDICT_ORDER)}


def rank(verdict: Verdict) -> int:
    """0 for go, growing worse."""
    return _RANKS[verdict]


def worse(a: Verdict, b: Verdict) -> Verdict:
    return a if rank(a) >= rank(b) else b


def theme_score(severities: Sequence[str], params: DecisionParameters) -> int:
    """Readiness of a theme from its known risks: 100, times what each risk keeps, rounded down.
    Exact fractions, so one more risk can never round to a better score than one fewer."""
    return _score_of((severities.count("high"), severities.count("medium"), severities.count("low")), params)


def _score_of(mix: tuple[int, int, int], params: DecisionParameters) -> int:
    score = params._scores.get(mix)
    if score is None:
        highs, mediums, lows = mix
        exact = Fraction(100) * params.keeps_high**highs * params.keeps_medium**mediums * params.keeps_low**lows
        score = params._scores[mix] = max(0, min(100, floor(exact)))
    return score


def is_serious(mix: tuple[int, int, int], params: DecisionParameters) -> bool:
    """Whether a theme's risks, counted as (highs, mediums, lows), are serious: a high one, or medium
    ones enough to weigh like one (serious risks in too many themes mean "not yet")."""
    return bool(mix[0]) or mix[1] >= params.medium_risks_per_high


def theme_rank(mix: tuple[int, int, int], params: DecisionParameters) -> int:
    """The rank of the best verdict a theme's own risks allow, counted as (highs, mediums, lows):
    what `judge` makes of the theme's score and of medium risks that weigh like a high one."""
    score = _score_of(mix, params)
    found = 0
    if mix[1] >= params.medium_risks_per_high and not mix[0]:
        found = rank("go_with_conditions")
    if score < params.theme_block_floor:
        return rank("not_yet")
    if score < params.theme_floor:
        found = rank("go_with_conditions")
    return found


def _theme_in_a_sentence(theme: str) -> str:
    """A theme's name inside a sentence: "about the operational model", "about appropriate buy-in"."""
    name = _theme_title(theme).lower()
    return f"the {name}" if theme == "operational_model" else name


_TITLES_NAMED = 3


def _titles(risks: Sequence[Risk]) -> str:
    """The first few risks' titles, worst first, as a cause names them."""
    ordered = list(dict.fromkeys(r.title[:1].lower() + r.title[1:]
                                 for r in sorted(risks, key=lambda r: r.severity != "high")))
    shown = "; ".join(ordered[:_TITLES_NAMED])
    more = len(ordered) - _TITLES_NAMED
    return f"{shown}; and {more} more" if more > 0 else shown


def _theme_title(theme: str) -> str:
    return THEME_TITLES.get(theme, theme.replace("_", " ").capitalize())


def judge(
    risks: Sequence[Risk],
    build_on: Sequence[str],
    confidence: Mapping[str, float],
    decisive_missing: Sequence[str],
    params: DecisionParameters,
) -> Judgement:
    """The verdict from known risks, components to build on, how much is known per theme and the
    decisive information left out. `build_on` holds the references of build-on findings, which
    need terms agreed before launch; `decisive_missing` holds plain-words labels."""
    causes: list[Cause] = []
    for risk in risks:
        if risk.effect in ("not_yet", "do_not_replicate"):
            causes.append(Cause(risk.effect, risk.title, (risk.ref,)))  # type: ignore[arg-type]
        elif risk.makes_condition:
            causes.append(Cause("go_with_conditions", risk.title, (risk.ref,), GRAVITY.get(risk.severity, 3)))
    for ref in build_on:
        causes.append(Cause("go_with_conditions", "Terms to agree with an existing service the plan builds on", (ref,),
                            GRAVITY["build_on"]))

    scores: dict[str, int] = {}
    serious: list[str] = []
    serious_refs: list[str] = []
    for theme in THEMES:
        mine = [r for r in risks if r.theme == theme]
        scores[theme] = theme_score([r.severity for r in mine], params)
        highs = sum(1 for r in mine if r.severity == "high")
        mediums = sum(1 for r in mine if r.severity == "medium")
        refs = tuple(r.ref for r in mine if r.severity in ("high", "medium"))
        if is_serious((highs, mediums, 0), params):
            serious.append(theme)
            serious_refs += [r.ref for r in mine if r.severity == "high"] if highs else list(refs)
        # A cause made of several risks names them: "3 medium risks weigh like a high one" alone tells
        # a board how risks are weighed, not what is wrong (574).
        named = _titles([r for r in mine if r.severity in ("high", "medium")])
        if mediums >= params.medium_risks_per_high and not highs:
            causes.append(Cause("go_with_conditions", f"{mediums} medium risks in {_theme_title(theme).lower()} "
                                f"that together weigh like a high one: {named}", refs, 1))
        if scores[theme] < params.theme_block_floor:
            causes.append(Cause("not_yet", f"{_theme_title(theme)} readiness is {scores[theme]}/100, below "
                                f"{params.theme_block_floor} (a local threshold): {named}", refs))
        elif scores[theme] < params.theme_floor:
            causes.append(Cause("go_with_conditions", f"{_theme_title(theme)} readiness is {scores[theme]}/100, "
                                f"below {params.theme_floor} (a local threshold): {named}", refs, 1))
    if len(serious) >= params.serious_themes_for_not_yet:
        names = ", ".join(_theme_title(t).lower() for t in serious)
        # How many themes must be dealt with, since the groundwork lists every serious risk and a board
        # asks for the least that lifts it (rural-county: three changes did, of seven items).
        enough = len(serious) - params.serious_themes_for_not_yet + 1
        causes.append(Cause("not_yet", f"Serious risks in {len(serious)} themes at once ({names}): dealing with "
                            f"them in {enough} of these themes lifts this", tuple(serious_refs)))

    for label in decisive_missing:
        causes.append(Cause("information_needed", label))
    for theme in THEMES:
        if theme in confidence and confidence[theme] < params.min_theme_confidence:
            causes.append(Cause("information_needed", f"Too little is known about {_theme_in_a_sentence(theme)} "
                                f"({round(confidence[theme] * 100)}% of what this theme asks about is answered)",
                                unknown_theme=theme))

    causes.sort(key=lambda c: (-rank(c.verdict), c.gravity))
    verdict: Verdict = causes[0].verdict if causes else "go"
    return Judgement(verdict=verdict, causes=tuple(causes), scores=scores)


@dataclass(frozen=True)
class OpenRisk:
    """A risk rule that missing information left open, and the profile fields that would settle it."""

    risk: Risk
    fields: tuple[str, ...]
    sets_off: tuple[str, ...] = ()  # the rules over findings it would make fire: its risk carries their weight


@dataclass(frozen=True)
class Change:
    field: str
    to: Verdict
    rules: tuple[str, ...]
    better: bool
    alone: bool = True
    """Whether this one answer could do it; False when every rule behind it needs other unanswered
    fields too (a partner that neither meets nor shares: one "no" is not enough)."""


RiskKind = tuple[str, str, str | None, bool]
"""A risk's theme, severity, effect and whether its action is before launch: all the verdict reads of it."""


class Counterfactuals:
    """The verdict's parts, worked out once from the known risks, so that the verdict with one more
    risk costs a few comparisons rather than a whole `judge`: a plan asks that once per open rule.
    It gives exactly `judge([*risks, extra], ...).verdict` (a property test holds it to that), and
    remembers the answer per kind of risk (`RiskKind`), all the verdict reads of one."""

    def __init__(self, risks: Sequence[Risk], build_on: Sequence[str], confidence: Mapping[str, float],
                 decisive_missing: bool, params: DecisionParameters) -> None:
        self.params = params
        self.counts: dict[str, tuple[int, int, int]] = {theme: (0, 0, 0) for theme in THEMES}
        for risk in risks:
            if risk.theme in self.counts:  # as in `judge`, a theme outside the guidance's seven has no score
                self.counts[risk.theme] = _plus(self.counts[risk.theme], risk.severity)
        floor_rank = rank("go_with_conditions") if build_on else 0
        self.floor = max([floor_rank, *(self.own(risk) for risk in risks)])
        if decisive_missing or any(t in confidence and confidence[t] < params.min_theme_confidence for t in THEMES):
            self.floor = max(self.floor, rank("information_needed"))
        self.theme_ranks = {theme: self.theme_rank(mix) for theme, mix in self.counts.items()}
        self.serious = {theme for theme, mix in self.counts.items() if self.is_serious(mix)}
        self._by_kind: dict[RiskKind, Verdict] = {}

    def own(self, risk: Risk) -> int:
        """The least a risk does by itself (as `judge` reads its effect, severity and phase)."""
        if risk.effect in ("not_yet", "do_not_replicate"):
            return rank(risk.effect)  # type: ignore[arg-type]
        if risk.makes_condition:
            return rank("go_with_conditions")
        return 0

    def is_serious(self, mix: tuple[int, int, int]) -> bool:
        return is_serious(mix, self.params)

    def theme_rank(self, mix: tuple[int, int, int]) -> int:
        return theme_rank(mix, self.params)

    def verdict(self) -> Verdict:
        """The verdict for the risks as they are: `judge(...).verdict` without the causes' words."""
        worst = max(self.floor, *self.theme_ranks.values())
        if len(self.serious) >= self.params.serious_themes_for_not_yet:
            worst = max(worst, rank("not_yet"))
        return VERDICT_ORDER[worst]

    def verdict_with(self, extra: Risk) -> Verdict:
        return self.verdict_of((extra.theme, extra.severity, extra.effect, extra.before_launch))

    def verdict_of(self, kind: RiskKind) -> Verdict:
        verdict = self._by_kind.get(kind)
        if verdict is None:  # a plan asks of about sixty open rules, and they come in a few kinds
            theme, severity, effect, before_launch = kind
            verdict = self._by_kind[kind] = self._work_out(Risk("", "", theme, severity, effect, before_launch))
        return verdict

    def _work_out(self, extra: Risk) -> Verdict:
        if extra.theme not in self.counts:
            worst = max(self.floor, self.own(extra), *self.theme_ranks.values())
            if len(self.serious) >= self.params.serious_themes_for_not_yet:
                worst = max(worst, rank("not_yet"))
            return VERDICT_ORDER[worst]
        mix = _plus(self.counts[extra.theme], extra.severity)
        serious = (self.serious - {extra.theme}) | ({extra.theme} if self.is_serious(mix) else set())
        worst = max(self.floor, self.own(extra), self.theme_rank(mix),
                    *(r for theme, r in self.theme_ranks.items() if theme != extra.theme))
        if len(serious) >= self.params.serious_themes_for_not_yet:
            worst = max(worst, rank("not_yet"))
        return VERDICT_ORDER[worst]


def _plus(mix: tuple[int, int, int], severity: str) -> tuple[int, int, int]:
    highs, mediums, lows = mix
    return (highs + (severity == "high"), mediums + (severity == "medium"), lows + (severity == "low"))


def verdict(risks: Sequence[Risk], build_on: Sequence[str], confidence: Mapping[str, float],
            decisive_missing: Sequence[str], params: DecisionParameters) -> Verdict:
    """The same as `judge(...).verdict`, for a tenth of the work: the plan tries each open rule
    that would take risks already found with it, and needs only the verdict each would leave."""
    return Counterfactuals(risks, build_on, confidence, bool(decisive_missing), params).verdict()


def verdict_with(risks: Sequence[Risk], build_on: Sequence[str], confidence: Mapping[str, float],
                 decisive_missing: Sequence[str], params: DecisionParameters, extra: Risk) -> Verdict:
    """The verdict if `extra` were found as well: the same as `judge([*risks, extra], ...).verdict`."""
    return Counterfactuals(risks, build_on, confidence, bool(decisive_missing), params).verdict_with(extra)


def what_could_change(
    judgement: Judgement,
    risks: Sequence[Risk],
    build_on: Sequence[str],
    confidence: Mapping[str, float],
    decisive_missing: Mapping[str, tuple[str, ...]],
    open_risks: Sequence[OpenRisk],
    params: DecisionParameters,
    counterfactuals: Counterfactuals | None = None,
    risks_once_answered: Sequence[Risk] | None = None,
) -> list[Change]:
    """The unanswered questions that could move the decision: worse, if an open risk rule turned
    out to fire; better, if decisive information left out were given and raised nothing new.
    `decisive_missing` maps each label to the fields that would answer it; `counterfactuals`, if
    the caller has already asked them of the same risks, are asked again rather than worked out anew;
    `risks_once_answered` are the risks that would stand once that information were given (a risk
    that the information being left out raised goes with it)."""
    changes: dict[tuple[str, Verdict], set[str]] = {}
    better: dict[tuple[str, Verdict], bool] = {}
    alone: dict[tuple[str, Verdict], bool] = {}
    if counterfactuals is None:
        counterfactuals = Counterfactuals(risks, build_on, confidence, bool(decisive_missing), params)
    for open_risk in open_risks:
        tried = counterfactuals.verdict_with(open_risk.risk)
        if rank(tried) > rank(judgement.verdict):
            for field in open_risk.fields:
                changes.setdefault((field, tried), set()).update((open_risk.risk.ref.split("@")[0],
                                                                   *open_risk.sets_off))
                better[(field, tried)] = False
                alone[(field, tried)] = alone.get((field, tried), False) or len(open_risk.fields) == 1
    if judgement.verdict == "information_needed":
        standing = risks if risks_once_answered is None else risks_once_answered
        answered = judge(standing, build_on, {t: 1.0 for t in confidence}, [], params)
        if rank(answered.verdict) < rank(judgement.verdict):
            for fields in decisive_missing.values():
                for field in fields:
                    changes.setdefault((field, answered.verdict), set())
                    better[(field, answered.verdict)] = True
    found = [Change(field, to, tuple(sorted(rules)), better[(field, to)], alone.get((field, to), True))
             for (field, to), rules in changes.items()]
    return sorted(found, key=change_order)


def change_order(change: Change) -> tuple[bool, int, int, str]:
    """Worse outcomes first, the furthest first, then those more rules lead to."""
    return change.better, -rank(change.to), -len(change.rules), change.field


def method(params: DecisionParameters) -> str:
    """The decision model in short sentences, with the numbers in force (docs/decision.md in full): as
    one 150-word sentence it was the part of the plan a board could not read (examiner, round 33)."""
    return (
        "The decision is the worst of what the findings call for. Each risk declares its own effect. Any high "
        "risk, any risk whose action belongs before launch, and terms to agree with a service the plan builds "
        f"on mean 'go with conditions'. Within a theme, {params.medium_risks_per_high} medium risks weigh like a "
        f"high one; readiness below {params.theme_floor} needs conditions, and below "
        f"{params.theme_block_floor} groundwork first ('not yet'). Serious risks in "
        f"{params.serious_themes_for_not_yet} or more themes mean 'not yet'. 'Information needed' means "
        "something decisive is left out: funding, leadership, local need, the services the area already runs or "
        "evaluation as a whole; the months of funding secured, the yearly budget, the lead's hours (or whether "
        "there is a lead), whether the needs were assessed, or all three of the objectives, targeted outcomes "
        "and timeline of a plan otherwise "
        f"described; or so much of a theme that under {round(params.min_theme_confidence * 100)}% "
        "of what its rules read is stated. With none of that left out, it also means a question whose answer "
        "would by itself mean 'do not replicate' or 'not yet'; answers that could add up to 'not yet' with the "
        "risks already found make the decision provisional instead, as does any unanswered question that could "
        "still change it. These numbers are this rule base's choices (local defaults or readings of the "
        "guidance), not the guidance's, which draws none of these lines: a council may set its own in its rule "
        "pack's parameters.yaml, and the plan records the values it used."
    )
