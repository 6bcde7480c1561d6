"""The search: the fewest levers that move the decision, tried breadth-first and re-advised.

Every candidate site is advised again by the same advisor (same engine, same rules), so a
suggestion is only ever reported because the pipeline itself gives that decision.

What keeps it quick: each finding and each open rule is first weighed alone (the decision a plan
would give with that one item), and when those weights explain the site's decision (it is the
worst of them, as the plan's effects combine) a set of changes can only reach a goal if it touches
every item weighing worse than the goal. Only such sets are advised. When the weights do not
explain the decision every set is tried. Either way at most `MAX_EVALUATIONS` sets are advised;
a goal whose search stopped there says it may be incomplete.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

from ..advisor import Advisor
from ..facts import FactBuilder
from ..findings import Finding
from ..plan import UndeterminedRule
from ..plan.model import VERDICT_ORDER, Verdict
from ..rules.model import Rule
from ..schema import Programme, SiteProfile
from .levers import RuleInstance, fact_index, footprint
from .profile import Change, apply

MAX_EVALUATIONS = 1500
"""The most sets advised for one site (about 3 seconds); past it a goal says it may be incomplete."""


def rank(verdict: Verdict) -> int:
    return VERDICT_ORDER.index(verdict)


@dataclass(frozen=True)
class Outcome:
    """What advice gives for one site: only the parts a suggestion reports."""

    verdict: Verdict
    findings: Mapping[str, Finding]
    """Risk findings by reference."""
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


class Search:
    """The levers of one site, their outcomes, and the smallest sets that reach each goal."""

    def __init__(self, advisor: Advisor, programme: Programme, site: SiteProfile, changes: Sequence[Change]) -> None:
        self.advisor = advisor
        self.programme = programme
        self.site = site
        findings, undetermined = advisor.findings(programme, site)
        self.base_findings = findings
        self.base_open = undetermined
        self.base = self._outcome(site, findings, undetermined)
        self._cache: dict[frozenset[int], Outcome | None] = {frozenset(): self.base}
        rules = [r for r in advisor.rule_base.rules if r.spec.enabled]
        by_subject: dict[str, list[Rule]] = {}
        for rule in rules:
            by_subject.setdefault(rule.subject, []).append(rule)
        first_pass = {r.id for r in rules if r.subject != "findings"}
        movable = {instance(f.rule_id, f.subject_id) for f in findings if not f.is_strength}
        movable |= {instance(u.rule_id, u.subject_id) for u in undetermined}
        movable = {m for m in movable if m[0] in first_pass}
        before = fact_index(FactBuilder(programme, site).subject_facts())
        self.levers: list[Lever] = []
        for change in changes:
            after = apply(site, [change])
            if after is None:
                continue
            touches = footprint(programme, before, after, by_subject)
            if touches & movable:
                self.levers.append(Lever(change, len(self.levers), touches))
        self.weights = self._weights(findings, undetermined)

    # -- advising ---------------------------------------------------------------------------------

    def _outcome(self, site: SiteProfile, findings: Sequence[Finding],
                 undetermined: Sequence[UndeterminedRule]) -> Outcome:
        plan = self.advisor.plan(self.programme, site, findings, undetermined)
        return Outcome(
            verdict=plan.decision.verdict,
            findings={f.ref: f for f in findings if not f.is_strength},
            readiness={entry.theme: entry.score for entry in plan.readiness},
        )

    def outcome(self, chosen: frozenset[int]) -> Outcome | None:
        """The advice with the chosen levers applied (None if together they make no valid profile)."""
        if chosen not in self._cache:
            site = apply(self.site, [self.levers[i].change for i in sorted(chosen)])
            if site is None:
                self._cache[chosen] = None
            else:
                findings, undetermined = self.advisor.findings(self.programme, site)
                self._cache[chosen] = self._outcome(site, findings, undetermined)
        return self._cache[chosen]

    @property
    def evaluations(self) -> int:
        return len(self._cache) - 1

    def _weights(self, findings: Sequence[Finding], undetermined: Sequence[UndeterminedRule]
                 ) -> dict[RuleInstance, Verdict] | None:
        """The decision each finding and open rule would give alone, or None when the decision is
        not the worst of them (then no set can be ruled out without advising it)."""
        weights: dict[RuleInstance, Verdict] = {}
        for finding in findings:
            verdict = self.advisor.plan(self.programme, self.site, [finding], []).decision.verdict
            key = instance(finding.rule_id, finding.subject_id)
            weights[key] = max(weights.get(key, "go"), verdict, key=rank)
        for item in undetermined:
            verdict = self.advisor.plan(self.programme, self.site, [], [item]).decision.verdict
            key = instance(item.rule_id, item.subject_id)
            weights[key] = max(weights.get(key, "go"), verdict, key=rank)
        worst = max(weights.values(), key=rank, default="go")
        return weights if worst == self.base.verdict else None

    # -- the search -------------------------------------------------------------------------------

    def _clash(self, chosen: Sequence[int]) -> bool:
        """Two levers on one field, or a change to an item that another lever withdraws."""
        paths = [self.levers[i].change.slot.path for i in chosen]
        if len(set(paths)) < len(paths):
            return True
        withdrawn = [self.levers[i].change.slot.path for i in chosen if self.levers[i].change.kind == "withdraw"]
        return any(p != w and p.startswith(w + ".") for p in paths for w in withdrawn)

    def _effective(self) -> list[int]:
        """Levers that alone change which risk findings stand: the only ones that can move a count
        a rule over findings reads."""
        base = set(self.base.findings)
        found = []
        for lever in self.levers:
            outcome = self.outcome(frozenset([lever.order]))
            if outcome is not None and set(outcome.findings) != base:
                found.append(lever.order)
        return found

    def _candidates(self, size: int, blocking: set[RuleInstance]) -> Iterator[tuple[int, ...]]:
        """Sets of `size` levers that touch every blocking item, without repeats.

        Sets are grown from the levers of the blocking items, rarest item first. When they are hit
        with changes to spare, the set is filled up with levers that touch a blocking item (a
        condition may need two changes) or, if a rule over findings is in the way, that alone
        change which findings stand (its count may need one more finding gone)."""
        if not blocking:
            for chosen in itertools.combinations(range(len(self.levers)), size):
                if not self._clash(chosen):
                    yield chosen
            return
        hard = sorted(b for b in blocking if b[1] != "findings")
        hitters = {b: [lever.order for lever in self.levers if b in lever.touches] for b in hard}
        fillers = {i for levers in hitters.values() for i in levers}
        if len(hard) < len(blocking):
            fillers.update(self._effective())
        seen: set[tuple[int, ...]] = set()

        def grow(chosen: frozenset[int]) -> Iterator[tuple[int, ...]]:
            unhit = [b for b in hard if not any(b in self.levers[i].touches for i in chosen)]
            if not unhit:
                others = sorted(fillers - chosen)
                for extra in itertools.combinations(others, size - len(chosen)):
                    candidate = tuple(sorted(chosen.union(extra)))
                    if candidate not in seen and not self._clash(candidate):
                        seen.add(candidate)
                        yield candidate
                return
            if len(chosen) < size:
                rarest = min(unhit, key=lambda b: (len(hitters[b]), b))
                for lever in hitters[rarest]:
                    yield from grow(chosen | {lever})

        yield from grow(frozenset())

    def goal(self, target: Verdict, max_changes: int) -> GoalSearch:
        """Every smallest set of at most `max_changes` levers whose advice is `target` or better."""
        blocking: set[RuleInstance] = set()
        if self.weights is not None:
            blocking = {key for key, verdict in self.weights.items() if rank(verdict) > rank(target)}
            touched = set().union(*(lever.touches for lever in self.levers))
            out_of_reach = sorted(blocking - touched)
            if out_of_reach:
                return GoalSearch(target, None, [], out_of_reach, complete=True)
        budget_left = True
        for size in range(1, max_changes + 1):
            found = []
            for chosen in self._candidates(size, blocking):
                if frozenset(chosen) not in self._cache and self.evaluations >= MAX_EVALUATIONS:
                    budget_left = False
                    break
                outcome = self.outcome(frozenset(chosen))
                if outcome is not None and rank(outcome.verdict) <= rank(target):
                    found.append(chosen)
            if found:
                return GoalSearch(target, size, sorted(found), [], complete=budget_left)
            if not budget_left:
                break
        return GoalSearch(target, None, [], [], complete=budget_left)
