"""`replicate explain RULE SITE --programme P`: the library's explanation (`replicate.explain`),
printed test by test with the values each test saw, for every instance of the rule's subject."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:  # imported where used, so that `replicate --help` loads no engine or rule base
    from ..conditions import Step
    from ..explain import RuleExplanation

VERDICT = {"true": "FIRES", "false": "does not fire", "unknown": "does not fire: not enough information"}
"""By `Truth.value`."""
MARK = {"true": "true   ", "false": "false  ", "unknown": "unknown"}


def show_value(value: Any) -> str:
    """A value as the condition language writes it, or 'not stated'."""
    from ..conditions import MISSING, literal_text

    if value is MISSING:
        return "not stated"
    if isinstance(value, tuple | list):
        return "[" + ", ".join(show_value(v) for v in value) + "]"
    return literal_text(value)


def format_steps(steps: Sequence[Step], indent: str = "  ") -> list[str]:
    """One line per test: its outcome, the test as written, and the values it saw."""
    lines = []
    for step in steps:
        seen = ", ".join(f"{path} = {show_value(value)}" for path, value in step.seen.items())
        mark = MARK[step.truth.value]
        lines.append(f"{indent}{'  ' * step.depth}{mark}  {step.text}" + (f"    [{seen}]" if seen else ""))
    return lines


def format_explanation(explanation: RuleExplanation) -> list[str]:
    """The explanation as the lines `replicate explain` prints."""
    lines = [f"{explanation.rule_id}: {explanation.title}",
             f"  when ({'for each ' + explanation.subject}): {explanation.when}", ""]
    if not explanation.instances:
        lines.append(f"  the site has no {explanation.subject} to test, so the rule does not fire")
    for instance in explanation.instances:
        label = {"site": "the site", "findings": "the findings of the other rules"}.get(
            instance.subject, f"{instance.subject} {instance.key} ({instance.label})")
        lines.append(f"{label}: {VERDICT[instance.truth.value]}")
        lines += format_steps(instance.steps)
        if instance.missing:
            lines.append(f"  to decide, the profile needs: {', '.join(instance.missing)}")
        lines.append("")
    return lines


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
    from ..explain import explain_rule

    advisor = Advisor.from_packs(packs, engine="reference")
    click.echo("\n".join(format_explanation(explain_rule(advisor, rule_id, programme, site))).rstrip())
