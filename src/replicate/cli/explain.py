"""`replicate explain RULE SITE --programme P`: why one rule fired or did not, test by test.

json-rules-engine's most requested feature was to see each condition with the value it actually
saw; OPA offers `--explain`. Here each test of the condition is printed with its outcome (true,
false or unknown) and the values it read, for every instance of the rule's subject at the site.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from ..errors import Problem, ReplicateError

if TYPE_CHECKING:  # imported where used, so that `replicate --help` loads no engine or rule base
    from ..advisor import Advisor
    from ..conditions import Step
    from ..facts import SubjectFact
    from ..rules.model import Rule

VERDICT = {"true": "FIRES", "false": "does not fire", "unknown": "does not fire: not enough information"}
"""By `Truth.value`."""
MARK = {"true": "true   ", "false": "false  ", "unknown": "unknown"}


def show_value(value: Any) -> str:
    """A value as the condition language writes it, or 'not stated'."""
    from ..conditions import MISSING, Constant, render

    if value is MISSING:
        return "not stated"
    if isinstance(value, tuple | list):
        return "[" + ", ".join(show_value(v) for v in value) + "]"
    return render(Constant(0, value))


def format_steps(steps: Sequence[Step], indent: str = "  ") -> list[str]:
    """One line per test: its outcome, the test as written, and the values it saw."""
    lines = []
    for step in steps:
        seen = ", ".join(f"{path} = {show_value(value)}" for path, value in step.seen.items())
        mark = MARK[step.truth.value]
        lines.append(f"{indent}{'  ' * step.depth}{mark}  {step.text}" + (f"    [{seen}]" if seen else ""))
    return lines


def find_rule(advisor: Advisor, rule_id: str) -> Rule:
    from ..errors import did_you_mean

    rules = advisor.rule_base.by_id()
    rule = rules.get(rule_id) or rules.get(rule_id.upper())
    if rule is None:
        hint = did_you_mean(rule_id.upper(), sorted(rules))
        raise ReplicateError([Problem("replicate", message=f"no rule {rule_id!r}{hint}; "
                                      "'replicate rules list' shows every rule")])
    return rule


def subject_facts(advisor: Advisor, programme_path: Path, site_path: Path) -> list[SubjectFact]:
    """Every fact rules see for this site, including the findings summary the second pass reads.

    They come from the advisor itself, so a rule over findings is explained with the counts it
    really saw."""
    from ..loading import check_site_against, load_programme, load_site

    programme = load_programme(programme_path, vocabulary=advisor.vocabulary)
    site = load_site(site_path, vocabulary=advisor.vocabulary)
    check_site_against(programme, site, str(site_path))
    facts, _ = advisor.facts_and_findings(programme, site)
    return facts


def explain_rule(rule: Rule, facts: Sequence[SubjectFact]) -> tuple[list[str], int]:
    """The explanation as lines, and how many instances the rule fired for."""
    from ..conditions import Truth, explain

    lines = [f"{rule.id}: {rule.spec.title}", f"  when ({'for each ' + rule.subject}): {rule.spec.when}", ""]
    fired = 0
    instances = [fact for fact in facts if fact.subject == rule.subject]
    if not instances:
        lines.append(f"  the site has no {rule.subject} to test, so the rule does not fire")
    for fact in instances:
        truth, steps = explain(rule.condition, fact.values)
        fired += truth is Truth.TRUE
        label = {"site": "the site", "findings": "the findings of the other rules"}.get(
            fact.subject, f"{fact.subject} {fact.key} ({fact.label})")
        lines.append(f"{label}: {VERDICT[truth.value]}")
        lines += format_steps(steps)
        if truth is Truth.UNKNOWN:
            missing = sorted(p for p in rule.fields if p not in fact.values)
            lines.append(f"  to decide, the profile needs: {', '.join(missing)}")
        lines.append("")
    return lines, fired


@click.command("explain")
@click.argument("rule_id")
@click.argument("site", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--programme", "-p", "programme", required=True, type=click.Path(path_type=Path, dir_okay=False),
              help="The programme to replicate (JSON).")
@click.option("--rules", "packs", multiple=True, type=click.Path(path_type=Path, file_okay=False),
              help="A folder of local rules to add to the shipped rule base (repeatable).")
def explain_command(rule_id: str, site: Path, programme: Path, packs: tuple[Path, ...]) -> None:
    """Explain why RULE_ID fired or did not for SITE, test by test, with the values each test saw."""
    from ..advisor import Advisor

    advisor = Advisor.from_packs(packs, engine="reference")
    rule = find_rule(advisor, rule_id)
    lines, _ = explain_rule(rule, subject_facts(advisor, programme, site))
    click.echo("\n".join(lines).rstrip())
