"""Launch conditions a site records as met, where the proof is a record and not a field.

Most conditions are met by changing the profile (signing terms sets `terms_agreed`, a financial
plan sets `financial_plan`), and the rule stops firing. A few are met only by a record: briefings
given to elected members while the climate stays unfavourable, a pilot's terms signed off while the
programme's evidence stays weak. A resubmission that did exactly what the plan said could not show
it, and got the same condition back (1263, 1264, 1284). A rule marks such an action `recordable`;
the site lists it under `actions_done` with what shows it; the finding stands, with the record, and
its launch condition no longer holds the decision.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from .errors import InputError, Problem, format_path
from .findings import Finding
from .rules.model import Rule
from .schema import SiteProfile


def recordable_rules(rules: Mapping[str, Rule]) -> list[str]:
    """The ids of the rules whose action a site may record as done, in order."""
    return sorted(rule_id for rule_id, rule in rules.items()
                  if rule.spec.action is not None and rule.spec.action.recordable)


def check_actions_done(site: SiteProfile, rules: Mapping[str, Rule]) -> list[tuple[tuple[str | int, ...], str]]:
    """Each entry of `actions_done` that names no rule, a rule whose action is not recorded this way
    (its done-when shows in the profile's own fields), or a rule already listed: with its path."""
    problems: list[tuple[tuple[str | int, ...], str]] = []
    seen: set[str] = set()
    for index, done in enumerate(site.actions_done):
        path: tuple[str | int, ...] = ("actions_done", index, "rule")
        rule = rules.get(done.rule)
        if rule is None:
            problems.append((path, f"no rule {done.rule} in the rule base"))
        elif rule.spec.action is None or not rule.spec.action.recordable:
            problems.append((path, f"{done.rule}'s action is not recorded here: the profile's own fields show "
                             f"when it is done (these can be recorded: {', '.join(recordable_rules(rules))})"))
        elif done.rule in seen:
            problems.append((path, f"{done.rule} is listed twice"))
        seen.add(done.rule)
    return problems


def raise_on_actions_done(site: SiteProfile, rules: Mapping[str, Rule], source: str) -> None:
    """Raise `InputError` naming each bad entry of `actions_done` (see `check_actions_done`)."""
    problems = check_actions_done(site, rules)
    if problems:
        raise InputError([Problem(source, location=format_path(path), message=message) for path, message in problems])


def with_actions_done(findings: Sequence[Finding], site: SiteProfile) -> list[Finding]:
    """The findings, each whose recordable action the site lists as done carrying what shows it."""
    if not site.actions_done:
        return list(findings)
    evidence = {done.rule: done.evidence for done in site.actions_done}
    return [f.model_copy(update={"done": evidence[f.rule_id]})
            if f.rule_id in evidence and f.action is not None and f.action.recordable else f
            for f in findings]
