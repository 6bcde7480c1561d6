"""The advisor: the whole pipeline behind one object, for the CLI and for embedders.

    load and validate -> facts -> engine -> findings -> plan

Creating an `Advisor` is the only expensive step (rules are compiled and registered with
durable_rules once). After that, `advise()` is safe to call from many threads and thousands of
times: the engine serialises its own sessions and keeps none alive between calls.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Literal

from .absorption import absorbed_if_fired, supersede
from .actions_done import raise_on_actions_done, with_actions_done
from .conditions import Truth
from .conditions.compiler import Compiled, compile_condition
from .conditions.nodes import And, Condition
from .conditions.walk import fields_in
from .engine.base import EngineRule, RuleEngine
from .engine.durable_adapter import DurableEngine
from .engine.reference import ReferenceEngine
from .errors import InputError, Problem
from .facts import DERIVED_FROM, PRINCIPLE_NEEDS, FactBuilder, SubjectFact, findings_fact, stated
from .findings import Finding, group_instances, make_findings, sort_findings
from .guidance import Theme
from .knock_on import Baseline, KnockOn
from .loading import Source, check_site_against, load_programme, load_site
from .plan import AdaptationPlan, UndeterminedRule, build_plan
from .plan.model import RulePackRef
from .rules.fields import catalogue
from .rules.model import EFFECT_RANK, SEVERITY_RANK, RuleSpec
from .rules.rulebase import RuleBase, load_rule_base
from .schema import Programme, SiteProfile
from .tally import summarise

EngineName = Literal["durable", "reference"]


_SITE_NAMESPACES = ("site.", "partner.", "service.", "adaptation.")
_SITE_DERIVED = frozenset({*DERIVED_FROM, *PRINCIPLE_NEEDS})


def _reads_site(path: str) -> bool:
    """Whether a field's value comes from the site profile (directly or worked out from it)."""
    return path.startswith(_SITE_NAMESPACES) or path in _SITE_DERIVED


_SHAPED_BY_ADAPTATIONS = frozenset(f"{subject}.{name}" for subject in ("principle", "component")
                                   for name in ("adaptation_count", "adaptation_natures"))
"""Fields of a principle or component worked out from the site's adaptations: always known, so they
do not count towards confidence, but they are the site's answers all the same."""


def _programme_guard(condition: Condition) -> Compiled | None:
    """The part of a rule's condition that reads nothing of the site (the `principle.is_core` of a
    rule about core principles), or None. Where it is false, the rule cannot apply to that subject
    whatever the site says, so its check says nothing about how much of the site is known."""
    if not isinstance(condition, And):
        return None
    parts = tuple(part for part in condition.operands
                  if not any(_reads_site(f.path) or f.path in _SHAPED_BY_ADAPTATIONS for f in fields_in(part)))
    if not parts:
        return None
    return compile_condition(parts[0] if len(parts) == 1 else And(condition.column, parts))


def _engine_rules(rule_base: RuleBase) -> list[EngineRule]:
    return [EngineRule(r.id, r.subject, r.condition, r.fields) for r in rule_base.rules]


def _open_rule_parts(spec: RuleSpec, about_site: bool
                     ) -> tuple[str, str, str, str, str | None, bool, bool, frozenset[str], tuple[Theme, str]]:
    """An open rule's theme, category, title, severity, decision effect, whether its action comes
    before launch, whether it reads the site, the rules it absorbs and its source: the parts of its
    `UndeterminedRule` that never vary."""
    before_launch = spec.action is not None and spec.action.phase == "before_launch"
    return (spec.theme, spec.category, spec.title, spec.severity, spec.effect.decision, before_launch, about_site,
            frozenset(spec.supersedes) | frozenset(spec.mitigates), (spec.source.theme, spec.source.quote))


def _worse(severity: str, decision: str | None, other: RuleSpec) -> tuple[str, str | None]:
    """The severity and decision effect of an open rule together with a rule it would set off."""
    worse_severity = min(severity, other.severity, key=SEVERITY_RANK.__getitem__)  # rank 0 is high
    return worse_severity, max(decision, other.effect.decision, key=lambda d: EFFECT_RANK[d])


def _expect(value: object, model: type, name: str, loader: str) -> None:
    """An embedder's wrong argument is named as such, not left to fail deep inside as AttributeError."""
    if not isinstance(value, model):
        raise InputError([Problem(f"<{name}>", message=f"advise() takes a {model.__name__} (from {loader}), not "
                                  f"{type(value).__name__}; advise_files() takes a path, JSON text or a mapping")])


class Advisor:
    """Advises on replicating a programme at a site, using one rule base."""

    def __init__(self, rule_base: RuleBase | None = None, *, engine: EngineName = "durable") -> None:
        self.rule_base = rule_base if rule_base is not None else load_rule_base()
        self._rules = self.rule_base.by_id()
        engine_rules = _engine_rules(self.rule_base)
        list_fields = frozenset(path for path, spec in catalogue().items() if spec.type == "list")
        self.reference = ReferenceEngine(engine_rules)
        self.engine: RuleEngine = (
            DurableEngine(engine_rules, list_fields) if engine == "durable" else self.reference
        )
        self._descriptions = {path: spec.description for path, spec in catalogue().items()}
        self._site_fields = {rule.id: fields for rule in engine_rules
                             if (fields := tuple(f for f in rule.fields if _reads_site(f)))}
        """The site fields each rule reads, for the rules that read the site (those that count
        towards a theme's confidence)."""
        self._open_rule_parts = {rule.id: _open_rule_parts(self._rules[rule.id].spec, rule.id in self._site_fields)
                                 for rule in engine_rules}
        """What an open rule's entry in the plan says of the rule itself, worked out once."""
        self._checks_by_subject = {
            subject: [(rule, run, tuple(sorted(set(rule.fields)))) for rule, run in self.reference.compiled(subject)]
            for subject in dict.fromkeys(rule.subject for rule in engine_rules)}
        """Per subject, each rule with its compiled condition and the fields it reads, sorted, so the
        fields an open rule misses come out in order without sorting them per fact."""
        self._knock_on = KnockOn(self._rules, engine_rules, self._checks_by_subject.get("findings", []))
        self._site_checks: dict[str, list[tuple[str, tuple[str, ...], Compiled | None]]] = {}
        """Per subject, each check of the site: its rule's theme, the site fields it reads, and the
        part of its condition that reads only the programme."""
        for rule in engine_rules:
            if rule.id in self._site_fields:
                self._site_checks.setdefault(rule.subject, []).append(
                    (self._rules[rule.id].spec.theme, self._site_fields[rule.id], _programme_guard(rule.condition)))
        self._site_checked_fields = {subject: {f for _, fields, _ in checks for f in fields}
                                     for subject, checks in self._site_checks.items()}
        self._applying: tuple[Programme | None, dict[tuple[str, str], list[tuple[str, tuple[str, ...]]]]] = (None, {})
        """The last programme advised on, and for each of its subjects the checks it leaves to the site."""
        self.vocabulary = self.rule_base.vocabulary
        """The tags programmes and sites may use: the shipped vocabulary and the packs' additions."""
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
        parameters = self.rule_base.parameters
        found = make_findings(self.engine.evaluate(facts), self._rules, facts, parameters, programme)
        found = group_instances(supersede(found, self._rules), self._rules, facts)
        summary = findings_fact(summarise(found, programme, site), builder.base)
        found += make_findings(self.engine.evaluate([summary]), self._rules, [summary], parameters, programme)
        return [*facts, summary], sort_findings(with_actions_done(supersede(found, self._rules), site))

    def findings(self, programme: Programme, site: SiteProfile) -> tuple[list[Finding], list[UndeterminedRule]]:
        """The findings, and the rules that missing information left open. Checked as `advise` checks:
        a site written for another programme raised a bare KeyError from the fact builder."""
        check_site_against(programme, site, f"site {site.id}")
        found, undetermined, _confidence = self.evaluate(programme, site)
        return found, undetermined

    def evaluate(self, programme: Programme, site: SiteProfile
                 ) -> tuple[list[Finding], list[UndeterminedRule], dict[str, float]]:
        """Findings, open rules, and each theme's confidence (how much of what it reads is known)."""
        facts, found = self.facts_and_findings(programme, site)
        return found, *self.unknowns(facts, found, programme, site)

    def unknowns(self, facts: Sequence[SubjectFact], found: Sequence[Finding], programme: Programme,
                 site: SiteProfile) -> tuple[list[UndeterminedRule], dict[str, float]]:
        """The rules missing information left open, and each theme's confidence, for the facts and
        findings of `facts_and_findings`: what-if reads the findings first, and often needs no more."""
        everywhere, on_subject = absorbed_if_fired(found, self._rules)
        weights = {(f.rule_id, f.subject, key): (f.theme, f.severity, f.effect.decision)
                   for f in found for key in f.subject_ids}
        undetermined = []
        baseline: Baseline | None = None  # what the findings count, worked out if an open rule needs it
        for rule, fact, missing in self._undetermined(facts):
            if fact.subject == "findings":
                continue  # a rule over other findings is never open for want of an answer from the site
            if rule.id in everywhere or (rule.id, fact.subject, fact.key) in on_subject:
                continue  # a finding already made would absorb it: no answer could add to the advice
            theme, category, title, severity, decision, before_launch, about_site, absorbs, source = (
                self._open_rule_parts[rule.id])
            sets_off: tuple[str, ...] = ()
            if rule.id in self._knock_on.tried:
                if baseline is None:
                    baseline = self._knock_on.baseline(found, facts[-1], programme, site)
                sets_off = self._knock_on.set_off(rule.id, fact.subject, fact.key, baseline)
                for other in sets_off:
                    severity, decision = _worse(severity, decision, self._rules[other].spec)
            # Were it to fire, would it only take the place of an equal finding already made?
            restates = any(weights.get((target, fact.subject, fact.key)) == (theme, severity, decision)
                           for target in absorbs)
            undetermined.append(UndeterminedRule(rule.id, theme, fact.key, tuple(missing), category, title, severity,
                                                 decision, before_launch, fact.subject, fact.label, about_site,
                                                 absorbs, sets_off, restates, source))
        return undetermined, self._confidence(facts, programme, site)

    def confidence(self, programme: Programme, site: SiteProfile) -> dict[str, float]:
        """Each theme's confidence alone, without running the rules (see `_confidence`)."""
        return self._confidence(FactBuilder(programme, site).subject_facts(), programme, site)

    def _confidence(self, facts: Iterable[SubjectFact], programme: Programme, site: SiteProfile) -> dict[str, float]:
        """Per theme, the mean over its checks of the site (rule x subject) of the share of the site
        fields the check reads that the profile states. It depends on what is stated, never on the
        answers: a "no" decides a rule like `a and b` where a "yes" leaves it open, and confidence
        that rose with worse answers would let a worse site escape "information needed". Checks of
        the programme's own description, or of other findings, say nothing about the site, nor does
        a check the programme alone rules out (a rule about core principles, on an adaptable one)."""
        known: dict[str, float] = {}
        count: dict[str, int] = {}
        for fact in facts:
            if fact.subject == "findings" or fact.subject not in self._site_checks:
                continue
            told = {path: stated(path, fact, programme, site) for path in self._site_checked_fields[fact.subject]}
            for theme, fields in self._applying_checks(fact, programme):
                known[theme] = known.get(theme, 0.0) + sum(told[f] for f in fields) / len(fields)
                count[theme] = count.get(theme, 0) + 1
        return {theme: known[theme] / count[theme] for theme in count}

    def _applying_checks(self, fact: SubjectFact, programme: Programme) -> list[tuple[str, tuple[str, ...]]]:
        """The checks of a subject that its programme does not rule out. That depends only on the
        programme and the subject (a principle's kind, say), so it is worked out once per programme:
        a batch advises many sites on one programme."""
        cached_programme, cache = self._applying
        if cached_programme is not programme:
            cache = {}
            self._applying = (programme, cache)
        applying = cache.get((fact.subject, fact.key))
        if applying is None:
            applying = [(theme, fields) for theme, fields, guard in self._site_checks[fact.subject]
                        if guard is None or guard(fact.values) is not Truth.FALSE]
            cache[(fact.subject, fact.key)] = applying
        return applying

    def _undetermined(self, facts: Sequence[SubjectFact]) -> Iterator[tuple[EngineRule, SubjectFact, list[str]]]:
        """The same answer as `ReferenceEngine.undetermined`, in the same order, for less work: a
        condition is unknown only when a field it reads is missing, so a rule whose fields are all
        known is not evaluated again, and the others run their condition compiled once (by the
        reference engine) rather than walking the tree (this was a quarter of the time of `advise`)."""
        for fact in facts:
            values = fact.values
            for rule, run, fields in self._checks_by_subject.get(fact.subject, ()):
                missing = [path for path in fields if path not in values]
                if missing and run(values) is Truth.UNKNOWN:
                    yield rule, fact, missing

    def plan(self, programme: Programme, site: SiteProfile, findings: Sequence[Finding],
             undetermined: Sequence[UndeterminedRule], confidence: Mapping[str, float] | None = None
             ) -> AdaptationPlan:
        """The plan for findings already worked out: what-if analysis builds many plans from parts.
        `confidence` is per theme (worked out from the profile if not given)."""
        if confidence is None:
            confidence = self.confidence(programme, site)
        return build_plan(programme, site, findings, undetermined, self._descriptions, self._packs,
                          self.rule_base.parameters, confidence)

    def advise(self, programme: Programme, site: SiteProfile) -> AdaptationPlan:
        """Advise on validated models; paths, JSON text and mappings go to `advise_files`."""
        _expect(programme, Programme, "programme", "load_programme")
        _expect(site, SiteProfile, "site", "load_site")
        check_site_against(programme, site, f"site {site.id}")
        self.check_site(site, f"site {site.id}")
        findings, undetermined, confidence = self.evaluate(programme, site)
        return self.plan(programme, site, findings, undetermined, confidence)

    def check_site(self, site: SiteProfile, source: str) -> None:
        """Raise `InputError` if the site records as done an action no rule here lets it record:
        the rule base, not the schema, knows which those are."""
        if site.actions_done:
            raise_on_actions_done(site, self._rules, source)

    def advise_files(self, programme: Source, site: Source) -> AdaptationPlan:
        """Load, validate and advise in one call; raises `InputError` naming the file and field."""
        loaded_programme = load_programme(programme, vocabulary=self.vocabulary)
        loaded_site = load_site(site, vocabulary=self.vocabulary)
        label = str(site) if not isinstance(site, dict) else "<site>"
        check_site_against(loaded_programme, loaded_site, label)
        self.check_site(loaded_site, label)
        return self.advise(loaded_programme, loaded_site)
