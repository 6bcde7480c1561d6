"""Checks over the whole rule base that no single rule can fail on its own.

- A rule that supersedes another must weigh at least as much (severity and decision effect):
  otherwise a worse site could fire the specific rule, absorb the general one and get a *better*
  decision, which breaks "adding a risk never improves the decision". A rule that *mitigates*
  another may weigh less: it fires only when a favourable fact offsets the risk, so reaching it
  takes an improvement, not a worsening.
- Superseding names a rule that exists, and never itself.
- No two rules give the same action: one thing to do is one action, answering every finding it
  answers (merge the rules, or let one supersede the other).

(That every rule states its basis and every action its check is a rule's own matter: the loader
checks it for every rule, a single file included.)
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence

from ..errors import Problem, did_you_mean
from .model import EFFECT_RANK, SEVERITY_RANK, Rule


def _problem(rule: Rule, message: str) -> Problem:
    return Problem(rule.file, message=message, line=rule.line, column=1, rule_id=rule.id)


_TABLE_ROW = re.compile(r"^(?P<table>.+)-(?P<row>[0-9]+)$")


def _one_supersedes(first: Rule, second: Rule) -> bool:
    """Whether either rule supersedes the other: then they never both give their action in one plan,
    the remedy the problem names (a rule made specific for a range its sibling leaves out)."""
    return second.id in first.spec.supersedes or first.id in second.spec.supersedes


def _rows_of_one_table(a: Rule, b: Rule) -> bool:
    """Rows of one decision table share its action, and only one row can fire (first hit)."""
    first, second = _TABLE_ROW.match(a.id), _TABLE_ROW.match(b.id)
    return bool(first and second and a.file == b.file and first["table"] == second["table"])


def check_rule_base(rules: Sequence[Rule], switched_off: Collection[str] = ()) -> list[Problem]:
    """Problems between rules. A rule may absorb one a pack switched off (`switched_off`): there is
    then nothing to absorb, so a council disabling a shipped rule need not touch the rules above it."""
    by_id = {rule.id: rule for rule in rules}
    problems: list[Problem] = []
    for rule in rules:
        spec = rule.spec
        for target_id in spec.mitigates:
            if target_id in switched_off:
                continue
            if target_id == rule.id or target_id not in by_id:
                problems.append(_problem(rule, f"mitigates {target_id!r}, which is itself or not in the rule base"
                                         f"{did_you_mean(target_id, sorted(by_id))}"))
        if spec.stands_for_absorbed and (spec.for_each != "findings" or not spec.supersedes):
            problems.append(_problem(rule, "stands_for_absorbed is for a rule over findings that supersedes "
                                     "others: it takes the subject of the one finding it absorbs"))
        for target_id in spec.supersedes:
            target = by_id.get(target_id)
            if target_id == rule.id:
                problems.append(_problem(rule, "a rule cannot supersede itself"))
                continue
            if target_id in switched_off:
                continue
            if target is None:
                problems.append(_problem(rule, f"supersedes {target_id!r}, which is not in the rule base"
                                         f"{did_you_mean(target_id, sorted(by_id))}"))
                continue
            if SEVERITY_RANK[spec.severity] > SEVERITY_RANK[target.spec.severity]:
                problems.append(_problem(rule, f"supersedes {target_id} ({target.spec.severity}) but is only "
                                         f"{spec.severity}: a more specific finding must weigh at least as much"))
            if EFFECT_RANK[spec.effect.decision] < EFFECT_RANK[target.spec.effect.decision]:
                problems.append(_problem(rule, f"supersedes {target_id}, whose decision effect "
                                         f"({target.spec.effect.decision}) is stronger than its own "
                                         f"({spec.effect.decision})"))
    first_with: dict[str, Rule] = {}
    for rule in sorted(rules, key=lambda r: (r.file, r.line)):
        if rule.spec.action is None:
            continue
        text = rule.spec.action.do
        earlier = first_with.get(text)
        if earlier is not None and not _rows_of_one_table(earlier, rule) and not _one_supersedes(earlier, rule):
            problems.append(_problem(rule, f"gives the same action as {earlier.id}: merge the two rules or let "
                                     "one supersede the other, so one thing to do is one action"))
        else:
            first_with.setdefault(text, rule)
    return problems
