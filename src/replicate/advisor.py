"""The advisor: the whole pipeline behind one object, for the CLI and for embedders.

    load and validate -> facts -> engine -> findings -> plan

Creating an `Advisor` is the only expensive step (rules are compiled and registered with
durable_rules once). After that, `advise()` is safe to call from many threads and thousands of
times: the engine serialises its own sessions and keeps none alive between calls.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Literal

from .engine.base import EngineRule, RuleEngine
from .engine.durable_adapter import DurableEngine
from .engine.reference import ReferenceEngine, Truth, evaluate
from .facts import FactBuilder, SubjectFact, findings_fact
from .findings import Finding, make_findings, sort_findings, summarise
from .loading import Source, check_site_against, load_programme, load_site
from .plan import AdaptationPlan, UndeterminedRule, build_plan
from .plan.model import RulePackRef
from .rules.fields import catalogue
from .rules.rulebase import RuleBase, load_rule_base
from .schema import Programme, SiteProfile

EngineName = Literal["durable", "reference"]


def _engine_rules(rule_base: RuleBase) -> list[EngineRule]:
    return [EngineRule(r.id, r.subject, r.condition, r.fields) for r in rule_base.rules]


class Advisor:
    """Advises on replicating a programme at a site, using one rule base."""

    def __init__(self, rule_base: RuleBase | None = None, *, engine: EngineName = "durable") -> None:
        self.rule_base = rule_base if rule_base is not None else load_rule_base()
        self._rules = self.rule_base.by_id()
        engine_rules = _engine_rules(self.rule_base)
        list_fields = frozenset(path for path, spec in catalogue().items() if spec.type == "list")
        self.reference = ReferenceEngine(engine_rules)
        self._by_subject: dict[str, list[EngineRule]] = {}
        for rule in engine_rules:
            self._by_subject.setdefault(rule.subject, []).append(rule)
        self.engine: RuleEngine = (
            DurableEngine(engine_rules, list_fields) if engine == "durable" else self.reference
        )
        self._descriptions = {path: spec.description for path, spec in catalogue().items()}
        self._packs = [
            RulePackRef(name=p.name, version=p.version, rules=self.rule_base.rule_count(p.name))
            for p in self.rule_base.packs
        ]

    @classmethod
    def from_packs(cls, packs: Sequence[Path] = (), *, engine: EngineName = "durable") -> Advisor:
        """The shipped rule base plus local rule packs, in order."""
        return cls(load_rule_base(packs), engine=engine)

    def facts_and_findings(self, programme: Programme, site: SiteProfile) -> tuple[list[SubjectFact], list[Finding]]:
        """Run every rule: first the rules about the site and its parts, then the rules over findings.
        Returns every fact the rules saw (the findings summary last) with the findings."""
        builder = FactBuilder(programme, site)
        facts = list(builder.subject_facts())
        found = make_findings(self.engine.evaluate(facts), self._rules, facts)
        summary = findings_fact(summarise(found, programme, site), builder.base)
        found += make_findings(self.engine.evaluate([summary]), self._rules, [summary])
        return [*facts, summary], sort_findings(found)

    def findings(self, programme: Programme, site: SiteProfile) -> tuple[list[Finding], list[UndeterminedRule]]:
        """The findings, and the rules that missing information left open."""
        facts, found = self.facts_and_findings(programme, site)
        undetermined = [
            UndeterminedRule(rule.id, self._rules[rule.id].spec.theme, fact.key, tuple(missing),
                             self._rules[rule.id].spec.category)
            for rule, fact, missing in self._undetermined(facts)
        ]
        return found, undetermined

    def _undetermined(self, facts: Sequence[SubjectFact]) -> Iterator[tuple[EngineRule, SubjectFact, list[str]]]:
        """The same answer as `ReferenceEngine.undetermined`, in the same order, for about half the
        work: a condition is unknown only when a field it reads is missing, so a rule whose fields are
        all known is not evaluated again (it was a quarter of the time of `advise`)."""
        for fact in facts:
            for rule in self._by_subject.get(fact.subject, ()):
                missing = sorted({path for path in rule.fields if path not in fact.values})
                if missing and evaluate(rule.condition, fact.values) is Truth.UNKNOWN:
                    yield rule, fact, missing

    def plan(self, programme: Programme, site: SiteProfile, findings: Sequence[Finding],
             undetermined: Sequence[UndeterminedRule]) -> AdaptationPlan:
        """The plan for findings already worked out: what-if analysis builds many plans from parts."""
        return build_plan(programme, site, findings, undetermined, self._descriptions, self._packs)

    def advise(self, programme: Programme, site: SiteProfile) -> AdaptationPlan:
        check_site_against(programme, site, f"site {site.id}")
        findings, undetermined = self.findings(programme, site)
        return self.plan(programme, site, findings, undetermined)

    def advise_files(self, programme: Source, site: Source) -> AdaptationPlan:
        """Load, validate and advise in one call; raises `InputError` naming the file and field."""
        loaded_programme = load_programme(programme)
        loaded_site = load_site(site)
        label = str(site) if not isinstance(site, dict) else "<site>"
        check_site_against(loaded_programme, loaded_site, label)
        findings, undetermined = self.findings(loaded_programme, loaded_site)
        return self.plan(loaded_programme, loaded_site, findings, undetermined)
