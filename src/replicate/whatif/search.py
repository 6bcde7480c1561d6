"""The search: the fewest levers that move the decision, tried breadth-first and re-advised.

Every candidate site is advised again by the same advisor (same engine, same rules), so a
suggestion is only ever reported because the pipeline itself gives that decision.

What keeps it quick: each risk finding is first weighed alone by the decision model (the verdict
it would give on its own), and so is each thing the profile leaves out that holds the decision at
"information needed" (decisive information, a theme with too little known). Adding a risk never
improves the decision, so a set of changes can only reach a goal if it touches every item that
alone weighs worse than the goal: only such sets are advised. Risks that only add up are handled
the same way by theme: a theme whose risks together hold the decision worse than the goal (its
score under a floor, medium risks that weigh like a high one) must have one of them touched, and
serious risks across too many themes must be calmed in enough of them. The sets are re-advised,
so the answer is always what the pipeline gives. At most `MAX_EVALUATIONS` sets are advised; a
goal whose search stopped there says it may be incomplete. A set is advised only as far as it
must be: one that leaves a theme too little known, or that makes a finding holding the decision at
"not yet", fails a better goal whatever the rest of its advice holds.
"""

from __future__ import annotations

import itertools
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass

from ..advisor import Advisor
from ..facts import FactBuilder
from ..findings import Finding
from ..guidance import THEMES
from ..plan.decide import judge_findings, risk_of, terms_to_agree, weighs
from ..plan.decision import DecisionParameters, is_serious, judge, rank, theme_rank
from ..plan.decisive import DecisiveInformation
from ..plan.model import Verdict
from ..plan.questions import AnswerFields, UndeterminedRule
from ..rules.model import Rule
from ..schema import Programme, SiteProfile
from .blockers import Blockers
from .footprint import RuleInstance, fact_index, footprint
from .profile import Change, apply

HOLDING: tuple[Verdict, ...] = ("do_not_replicate", "not_yet")
"""A finding's decision effects that hold the verdict there whatever else the advice holds, worst first."""

MAX_EVALUATIONS = 1000
"""The most sets advised for one site (about 2 seconds at 2 ms each), so that any shipped example
is answered within 5 seconds; past it a goal says it may be incomplete."""


@dataclass(frozen=True)
class Outcome:
    """What advice gives for one site: only the parts a suggestion reports."""

    verdict: Verdict
    findings: Mapping[str, Finding]
    """Risk findings, and services to build on whose terms are a condition, by reference."""
    readiness: Mapping[str, int]


@dataclass(frozen=True)
class Lever:
    change: Change
    order: int
    touches: frozenset[RuleInstance]


@dataclass(frozen=True)
class GoalSearch:
    target: Verdict
    size: int | None
    sets: list[tuple[int, ...]]
    out_of_reach: list[RuleInstance]
    complete: bool


def instance(rule_id: str, subject_id: str) -> RuleInstance:
    return (rule_id, subject_id)


def instances(finding: Finding, over_findings: Collection[str]) -> list[RuleInstance]:
    """How a finding is keyed: by its subjects, or, for a rule over findings (one that stands for the
    change it absorbs takes that change's subject), as the one instance over findings a change
    touches (`footprint`)."""
    if finding.rule_id in over_findings:
        return [instance(finding.rule_id, "findings")]
    return [instance(finding.rule_id, subject_id) for subject_id in finding.subject_ids]


class Search:
    """The levers of one site, their outcomes, and the smallest sets that reach each goal."""

    def __init__(self, advisor: Advisor, programme: Programme, site: SiteProfile, changes: Sequence[Change]) -> None:
        self.advisor = advisor
        self.programme = programme
        self.site = site
        findings, undetermined, confidence = advisor.evaluate(programme, site)
        self._theme_by_rule = {r.id: r.spec.theme for r in advisor.rule_base.rules}
        self.base_findings = findings
        self.base_open = undetermined
        self.base_confidence = confidence
        self.params = DecisionParameters.from_values({n: p.value for n, p in advisor.rule_base.parameters.items()})
        self.base, holding = self._judged(site, findings, confidence, undetermined)
        self.blockers = Blockers.of(holding, confidence, self.params.min_theme_confidence)
        self._cache: dict[frozenset[int], Outcome | None] = {frozenset(): self.base}
        self._unmet_memo: dict[tuple[frozenset[RuleInstance], Verdict], list[frozenset[RuleInstance]]] = {}
        self._floors: dict[frozenset[int], Verdict] = {}
        """Sets judged on part of their advice (see `reaches`), each with the best it could give."""
        rules = [r for r in advisor.rule_base.rules if r.spec.enabled]
        by_subject: dict[str, list[Rule]] = {}
        for rule in rules:
            by_subject.setdefault(rule.subject, []).append(rule)
        first_pass = {r.id for r in rules if r.subject != "findings"}
        self.over_findings = {r.id for r in rules if r.subject == "findings"}
        weighed = [f for f in findings if not f.is_strength or terms_to_agree(f)]
        movable = {key for f in weighed for key in instances(f, self.over_findings)}
        movable |= {instance(u.rule_id, u.subject_id) for u in undetermined}
        # What a finding absorbed is movable too: one change that dilutes the model stands for the
        # finding about the change, and withdrawing the change is still how to lift it.
        movable |= {instance(rule_id, s) for f in findings for rule_id, _, on in (r.partition("@") for r in f.absorbs)
                    for s in on.split("+")}
        movable = {m for m in movable if m[0] in first_pass}
        before = fact_index(FactBuilder(programme, site).subject_facts())
        self.levers: list[Lever] = []
        idle: list[tuple[Change, frozenset[RuleInstance]]] = []
        worth_moving = movable | self.blockers.holding.keys()
        for change in changes:
            after = apply(site, [change])
            if after is None:
                continue
            touched = footprint(programme, before, after, by_subject)
            reached = {self._theme_by_rule[rule_id] for rule_id, _ in touched if rule_id in self._theme_by_rule}
            touches = touched | self.blockers.answered(change, reached)
            if touches & worth_moving:
                self.levers.append(Lever(change, len(self.levers), touches))
            elif touches:
                idle.append((change, touches))
        self.companions = self._companions(idle, movable, rules)
        self.weights = self._weights(findings)
        levels = {"high": 0, "medium": 1, "low": 2}
        self._risks_by_theme = {
            theme: [(levels[f.severity], frozenset(instances(f, self.over_findings)))
                    for f in findings if f.theme == theme and not f.is_strength and f.severity in levels]
            for theme in THEMES}  # an "info" risk adds nothing to a theme's score, as in `judge`
        self._theme_risks: frozenset[RuleInstance] = frozenset().union(
            *(found for risks in self._risks_by_theme.values() for _, found in risks))
        self._held = self._held_together()

    def _companions(self, idle: Sequence[tuple[Change, frozenset[RuleInstance]]], movable: set[RuleInstance],
                    rules: Sequence[Rule]) -> frozenset[int]:
        """Changes that move nothing standing now, kept to join a set whose other changes may raise a
        risk they answer: more months secured than the sources add up to, and a source extended (1385)."""
        risky = {rule.id for rule in rules if rule.spec.category != "strength"}
        raised = {key for lever in self.levers for key in lever.touches
                  if key not in movable and ((key[0] in risky and key[1] != "findings") or key in self.blockers.nested)}
        first = len(self.levers)
        answering = [(change, touches) for change, touches in idle if touches & raised]
        self.levers.extend(Lever(change, first + n, touches) for n, (change, touches) in enumerate(answering))
        return frozenset(range(first, len(self.levers)))

    # -- advising ---------------------------------------------------------------------------------

    def _judged(self, site: SiteProfile, findings: Sequence[Finding], confidence: Mapping[str, float],
                undetermined: Sequence[UndeterminedRule]) -> tuple[Outcome, list[DecisiveInformation]]:
        """The decision and readiness the plan would give, by the plan's own decision model, without
        building the rest of the plan (questions, counterfactuals) that a suggestion never shows; and
        what holds it at "information needed"."""
        judgement, holding = judge_findings(findings, site, confidence, self.params, undetermined,
                                            AnswerFields(self.programme, site))
        outcome = Outcome(
            verdict=judgement.verdict,
            findings={f.ref: f for f in findings if not f.is_strength or terms_to_agree(f)},
            readiness=dict(judgement.scores),
        )
        return outcome, holding

    def outcome(self, chosen: frozenset[int]) -> Outcome | None:
        """The advice with the chosen levers applied (None if together they make no valid profile)."""
        if chosen not in self._cache:
            site = apply(self.site, [self.levers[i].change for i in sorted(chosen)])
            if site is None:
                self._cache[chosen] = None
            else:
                findings, undetermined, confidence = self.advisor.evaluate(self.programme, site)
                self._cache[chosen] = self._judged(site, findings, confidence, undetermined)[0]
        return self._cache[chosen]

    def reaches(self, chosen: frozenset[int], target: Verdict) -> bool:
        """Whether the set's advice is `target` or better, judged on the least of the advice that
        settles it: a theme too little known holds the decision at "information needed", and a
        finding that holds it at "not yet" does so, whatever else the advice holds. Such a set is
        judged without the rest (the rules, or the open rules and confidence): the same answer for
        a third of the work or less (already-served and many-agencies spent their budgets on them)."""
        if chosen not in self._cache and chosen not in self._floors:
            site = apply(self.site, [self.levers[i].change for i in sorted(chosen)])
            if site is None:
                self._cache[chosen] = None
            elif rank(target) < rank("information_needed") and any(
                    known < self.params.min_theme_confidence
                    for known in self.advisor.confidence(self.programme, site).values()):
                self._floors[chosen] = "information_needed"
            else:
                facts, findings = self.advisor.facts_and_findings(self.programme, site)
                effects = {f.effect.decision for f in findings if not f.is_strength}
                floor = next((verdict for verdict in HOLDING if verdict in effects), None)
                if floor is not None and rank(floor) > rank(target):
                    self._floors[chosen] = floor
                else:
                    undetermined, confidence = self.advisor.unknowns(facts, findings, self.programme, site)
                    self._cache[chosen] = self._judged(site, findings, confidence, undetermined)[0]
        if chosen in self._cache:
            outcome = self._cache[chosen]
            return outcome is not None and rank(outcome.verdict) <= rank(target)
        if rank(self._floors[chosen]) > rank(target):
            return False
        outcome = self.outcome(chosen)  # judged for a harder goal: advise it whole
        return outcome is not None and rank(outcome.verdict) <= rank(target)

    @property
    def evaluations(self) -> int:
        """Sets advised, in whole or in part (see `reaches`)."""
        return len(self._cache) - 1 + len(self._floors.keys() - self._cache.keys())

    def _held_together(self) -> frozenset[RuleInstance]:
        """The risks of every theme whose risks together weigh on the decision (its score under a
        floor, or serious: a high risk, or medium ones enough to weigh like one): a set may need a
        change to one more of them than `_unmet` asks for, since the floors count every risk."""
        held: set[RuleInstance] = set()
        for risks in self._risks_by_theme.values():
            levels = [level for level, _ in risks]
            mix = (levels.count(0), levels.count(1), levels.count(2))
            if theme_rank(mix, self.params) or is_serious(mix, self.params):
                held.update(*(instances for _, instances in risks))
        return frozenset(held)

    def _unmet(self, touched: frozenset[RuleInstance], target: Verdict) -> list[frozenset[RuleInstance]]:
        """What a set of changes touching `touched` must still touch to be able to reach `target`:
        groups of risk instances, one of each to touch, empty if nothing at the level of themes
        stands in the way. The risks a set leaves untouched still stand (adding a risk never
        helps), so in each theme they alone must not hold the decision worse than the goal, nor
        leave serious risks in too many themes for a goal better than "not yet"; while they do,
        the set must touch one of them. Many sets the search grows touch the same risks, so the
        answer is kept for each."""
        key = (touched & self._theme_risks, target)
        if key not in self._unmet_memo:
            self._unmet_memo[key] = self._unmet_now(touched, target)
        return self._unmet_memo[key]

    def _unmet_now(self, touched: frozenset[RuleInstance], target: Verdict) -> list[frozenset[RuleInstance]]:
        needs: list[frozenset[RuleInstance]] = []
        serious: set[RuleInstance] = set()
        serious_themes = 0
        for risks in self._risks_by_theme.values():
            mix = [0, 0, 0]
            standing: set[RuleInstance] = set()
            for level, instances in risks:
                if not instances & touched:
                    mix[level] += 1
                    standing |= instances
            counts = (mix[0], mix[1], mix[2])
            if theme_rank(counts, self.params) > rank(target):
                needs.append(frozenset(standing))
            if is_serious(counts, self.params):
                serious_themes += 1
                serious |= standing
        if rank(target) < rank("not_yet") and serious_themes >= self.params.serious_themes_for_not_yet:
            needs.append(frozenset(serious))
        return needs

    def _weights(self, findings: Sequence[Finding]) -> dict[RuleInstance, Verdict]:
        """The verdict each risk finding (and each service to build on) gives alone, by the decision
        model; and "information needed" for each site-level blocker."""
        weights: dict[RuleInstance, Verdict] = {key: "information_needed" for key in self.blockers.holding}
        full: dict[str, float] = dict.fromkeys(THEMES, 1.0)
        for finding in findings:
            build_on = [finding.ref] if terms_to_agree(finding) else []
            if finding.is_strength and not build_on:
                continue
            risks = [risk_of(finding)] if weighs(finding) else []
            verdict = judge(risks, build_on, full, [], self.params).verdict
            for key in instances(finding, self.over_findings):
                weights[key] = max(weights.get(key, "go"), verdict, key=rank)
        return weights

    # -- the search -------------------------------------------------------------------------------

    def _clash(self, chosen: Sequence[int]) -> bool:
        """Two levers setting one field to different values (two that both collect statistics agree,
        1260), or a change to an item that another lever withdraws."""
        values: dict[str, str] = {}
        settings = [(path, repr(new)) for i in chosen for path, new in self.levers[i].change.settings]
        if any(values.setdefault(path, new) != new for path, new in settings):
            return True
        paths = list(values)
        withdrawn = [self.levers[i].change.slot.path for i in chosen if self.levers[i].change.kind == "withdraw"]
        return any(p != w and p.startswith(w + ".") for p in paths for w in withdrawn)

    def _effective(self) -> list[int]:
        """Levers that alone change which risk findings stand: the only ones that can move a count
        a rule over findings reads."""
        base = set(self.base.findings)
        found = []
        for order in sorted(set(range(len(self.levers))) - self.companions):
            outcome = self.outcome(frozenset([order]))
            if outcome is not None and set(outcome.findings) != base:
                found.append(order)
        return found

    def _candidates(self, size: int, blocking: set[RuleInstance], target: Verdict) -> Iterator[tuple[int, ...]]:
        """Sets of `size` levers that touch every blocking item and meet what themes need (see
        `_unmet`), without repeats.

        Sets are grown by branching on what is still unmet, rarest first: any set that reaches the
        goal holds a lever touching it, so none is missed. When all is met with changes to spare,
        the set is filled up with levers that touch a blocking item or a theme's risks where the
        risks hold the decision back (a condition, or a theme's score, may need two changes), or,
        if a rule over findings is in the way, that alone change which findings stand (its count
        may need one more finding gone)."""
        singles = [frozenset([b]) for b in sorted(blocking) if b[1] != "findings"]
        if not singles and not blocking and not self._unmet(frozenset(), target):
            for chosen in itertools.combinations(range(len(self.levers)), size):
                if not self._clash(chosen):
                    yield chosen
            return
        fillers = {lever.order for lever in self.levers if lever.touches & (blocking | self._held)}
        if any(b[1] == "findings" for b in blocking):
            fillers.update(self._effective())
        seen: set[tuple[int, ...]] = set()
        grown: set[frozenset[int]] = set()  # branching reaches one set by many orders: grow each once

        def hitting(group: frozenset[RuleInstance]) -> list[int]:
            return [lever.order for lever in self.levers if group & lever.touches]

        def grow(chosen: frozenset[int]) -> Iterator[tuple[int, ...]]:
            if chosen in grown:
                return
            grown.add(chosen)
            touched = frozenset().union(*(self.levers[i].touches for i in chosen))
            unhit = [group for group in singles if not group & touched] + self._unmet(touched, target)
            if not unhit:
                answering = {i for i in self.companions if self.levers[i].touches & touched}
                raised = touched & self.blockers.nested.keys()  # joined by what answers it (2096)
                answering |= {lever.order for lever in self.levers if lever.touches & raised}
                others = sorted((fillers | answering) - chosen)
                for extra in itertools.combinations(others, size - len(chosen)):
                    candidate = tuple(sorted(chosen.union(extra)))
                    if candidate not in seen and not self._clash(candidate):
                        seen.add(candidate)
                        yield candidate
                return
            if len(chosen) < size:
                for lever in min((hitting(group) for group in unhit), key=len):
                    yield from grow(chosen | {lever})

        yield from grow(frozenset())

    def goal(self, target: Verdict, max_changes: int) -> GoalSearch:
        """Every smallest set of at most `max_changes` levers whose advice is `target` or better."""
        blocking = {key for key, verdict in self.weights.items() if rank(verdict) > rank(target)}
        touched = frozenset().union(*(lever.touches for lever in self.levers))
        # Blockers no change touches, and risks no change touches that hold the decision back together.
        out_of_reach = set(blocking - touched).union(*self._unmet(touched, target))
        if out_of_reach:
            return GoalSearch(target, None, [], sorted(out_of_reach), complete=True)
        budget_left = True
        for size in range(1, max_changes + 1):
            found = []
            for chosen in self._candidates(size, blocking, target):
                key = frozenset(chosen)
                if key not in self._cache and key not in self._floors and self.evaluations >= MAX_EVALUATIONS:
                    budget_left = False
                    break
                if self.reaches(key, target):
                    found.append(chosen)
            if found:
                return GoalSearch(target, size, sorted(found), [], complete=budget_left)
            if not budget_left:
                break
        return GoalSearch(target, None, [], [], complete=budget_left)
