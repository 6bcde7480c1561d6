"""Why one rule fired or did not for a site, test by test, as plain data an embedder can use.

json-rules-engine's most requested feature was to see each condition with the value it actually
saw; OPA offers `--explain`. Here every instance of the rule's subject at the site gets the
condition's outcome (true, false or unknown), every test inside it with the values it read, and
the fields a profile would need to decide it. `replicate explain` prints this; nothing here formats.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .conditions import Step, Truth, explain
from .errors import Problem, ReplicateError, did_you_mean
from .facts import Subject, SubjectFact
from .schema import Programme, SiteProfile

if TYPE_CHECKING:
    from .advisor import Advisor
    from .loading import Source
    from .rules.model import Rule


@dataclass(frozen=True)
class InstanceExplanation:
    """The rule's condition on one instance of its subject (one partner, the site, ...)."""

    subject: Subject
    key: str
    label: str
    truth: Truth
    """The rule fires only on TRUE; UNKNOWN means the profile does not say enough to decide."""
    steps: tuple[Step, ...]
    """Every test in reading order, with its outcome, the values it read and its depth."""
    missing: tuple[str, ...]
    """When the outcome is UNKNOWN, the fields the rule reads that the profile does not state."""

    @property
    def fires(self) -> bool:
        return self.truth is Truth.TRUE


@dataclass(frozen=True)
class RuleExplanation:
    """One rule explained on every instance of its subject at a site."""

    rule_id: str
    title: str
    when: str
    """The condition as the rule's author wrote it."""
    subject: Subject
    instances: tuple[InstanceExplanation, ...]
    """Empty when the site has nothing of the rule's subject (no partners, say)."""

    @property
    def fired(self) -> int:
        """How many instances the rule fired for."""
        return sum(instance.fires for instance in self.instances)


def find_rule(advisor: Advisor, rule_id: str) -> Rule:
    """The rule with this id (case-insensitively), or a `ReplicateError` suggesting a near miss."""
    rules = advisor.rule_base.by_id()
    rule = rules.get(rule_id) or rules.get(rule_id.upper())
    if rule is None:
        hint = did_you_mean(rule_id.upper(), sorted(rules))
        raise ReplicateError([Problem("replicate", message=f"no rule {rule_id!r}{hint}; "
                                      "'replicate rules list' shows every rule")])
    return rule


def subject_facts(advisor: Advisor, programme: Source | Programme, site: Source | SiteProfile) -> list[SubjectFact]:
    """Every fact rules see for this site, including the findings summary the second pass reads.

    They come from the advisor itself, so a rule over findings is explained with the counts it
    really saw. `programme` and `site` are validated models, or anything `load_programme` /
    `load_site` take (a path, JSON text or a mapping)."""
    from .loading import check_site_against, load_programme, load_site

    if not isinstance(programme, Programme):
        programme = load_programme(programme, vocabulary=advisor.vocabulary)
    label = f"site {site.id}" if isinstance(site, SiteProfile) else str(site) if not isinstance(site, dict) \
        else "<site>"
    if not isinstance(site, SiteProfile):
        site = load_site(site, vocabulary=advisor.vocabulary)
    check_site_against(programme, site, label)
    advisor.check_site(site, label)
    facts, _ = advisor.facts_and_findings(programme, site)
    return facts


def explain_facts(rule: Rule, facts: Sequence[SubjectFact]) -> RuleExplanation:
    """The rule's condition on each fact of its subject among `facts`."""
    instances = []
    for fact in facts:
        if fact.subject != rule.subject:
            continue
        truth, steps = explain(rule.condition, fact.values)
        missing = tuple(sorted(p for p in rule.fields if p not in fact.values)) if truth is Truth.UNKNOWN else ()
        instances.append(InstanceExplanation(fact.subject, fact.key, fact.label, truth, tuple(steps), missing))
    return RuleExplanation(rule.id, rule.spec.title, rule.spec.when, rule.subject, tuple(instances))


def explain_rule(advisor: Advisor, rule_id: str, programme: Source | Programme,
                 site: Source | SiteProfile) -> RuleExplanation:
    """Why rule `rule_id` of the advisor's rule base fired or did not for `site`, test by test.

        explanation = explain_rule(Advisor(), "RS-FUNDING-TABLE-1", programme_path, site_path)
        for instance in explanation.instances:
            print(instance.label, instance.truth.value, instance.missing)

    Raises `ReplicateError` for an unknown rule id and `InputError` for a programme or site that
    does not validate."""
    rule = find_rule(advisor, rule_id)
    return explain_facts(rule, subject_facts(advisor, programme, site))


__all__ = [
    "InstanceExplanation",
    "RuleExplanation",
    "explain_facts",
    "explain_rule",
    "find_rule",
    "subject_facts",
]
