"""`replicate rules ...`: the tools policy staff use to write, test and understand rules.

    check     every problem in the rule files, as `file:line:col RULE-ID: message`; exit 1 if any
    list      the rule base as a table
    show      one rule in full, with the guidance it rests on
    test      run the examples beside each rule; ends with `N passed, N failed`
    coverage  which rules fired how often over a set of site profiles, and which never did
"""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ..errors import Problem, ReplicateError
from ..input_files import exists, is_dir
from ..resources import RULES_BASE_VARIABLE, is_rule_base, shipped_rules_dir
from ..terminal import shown_path
from .explain import format_steps, show_value

if TYPE_CHECKING:  # imported where used, so that `replicate --help` loads no engine or rule base
    from ..rules.model import Rule
    from ..rules.rulebase import RuleBase

PACK_OPTION = click.option(
    "--rules", "packs", multiple=True, type=click.Path(path_type=Path, file_okay=False),
    help="A folder of local rules to add to the shipped rule base (repeatable).",
)


@click.group("rules")
def rules_group() -> None:
    """Check, list, show, test and measure the rule base."""


BASE_OPTION = click.option(
    "--base", "base", type=click.Path(path_type=Path, file_okay=False, exists=True),
    help="Use this folder as the rule base instead of the shipped one (e.g. a checkout's rules/; "
         f"or set {RULES_BASE_VARIABLE}).",
)


def _gather(paths: Sequence[Path], packs: Sequence[Path], no_shipped: bool, base: Path | None = None
            ) -> tuple[list[Rule], list[Problem], int, Path | None]:
    """Load what to check or test: the rule base and packs, plus any named files and folders.

    A folder that is a rule base (the shipped one, or a checkout's `rules/`) is checked as the base;
    any other folder is checked as a pack on top of the base (so its `disable` and `override` are
    checked too); a single file is checked on its own. Returns the base used, None if there was none."""
    from ..rules.loader import load_rule_files, rule_files
    from ..rules.rulebase import collect_rule_base

    named_bases = [p for p in paths if is_dir(p) and is_rule_base(p)]
    bases = ([base] if base is not None else []) + named_bases
    if len({str(b.resolve()) for b in bases}) > 1:
        raise click.UsageError("name one rule base: " + ", ".join(str(b) for b in bases))
    base_dir = bases[0] if bases else shipped_rules_dir()
    folders = [p for p in paths if is_dir(p) and not is_rule_base(p)]
    files = [p for p in paths if not is_dir(p)]
    include_shipped = not no_shipped and (not paths or bool(bases) or bool(folders))
    problems: list[Problem] = []
    rules: list[Rule] = []
    file_count = 0
    if include_shipped or folders or packs or not paths:
        collected, problems = collect_rule_base([*packs, *folders], shipped=base_dir, include_shipped=include_shipped)
        rules = list(collected.rules)
        counted = [p for p in [*([base_dir] if include_shipped else []), *packs, *folders] if exists(p)]
        file_count = len(rule_files(counted))
    if files:
        missing = [p for p in files if not exists(p)]
        problems += [Problem(str(p), message="no such file or folder") for p in missing]
        loaded = load_rule_files([p for p in files if exists(p)])
        rules += loaded.rules
        problems += loaded.problems
        file_count += len(files) - len(missing)
    return rules, problems, file_count, base_dir if include_shipped else None


def _say_base(base: Path | None) -> None:
    """Which rule base the answer is about: after `pip install .` it is not the checkout's rules/
    unless asked for, and policy staff must be able to tell."""
    if base is None:
        click.echo("rule base: none (the named files and folders alone)", err=True)
    else:
        click.echo(f"rule base: {shown_path(str(base.resolve()))}", err=True)


@rules_group.command("check")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@PACK_OPTION
@BASE_OPTION
@click.option("--no-shipped", is_flag=True, help="Check the named folders on their own, without the shipped rules.")
def check_command(paths: tuple[Path, ...], packs: tuple[Path, ...], base: Path | None, no_shipped: bool) -> None:
    """Check rule files and decision tables: syntax, fields, values, ids, sources, and conditions
    that can never be true or always are. With no PATHS, checks the shipped rule base; naming the
    rule base's own folder (or a checkout's rules/) checks it as the base."""
    rules, problems, file_count, used = _gather(paths, packs, no_shipped, base)
    _say_base(used)
    ordered = sorted(set(problems), key=lambda p: (p.source, p.line or 0, p.column or 0, p.message))
    for problem in ordered:
        click.echo(str(_relative(problem)))
    summary = f"{len(rules)} rules in {file_count} files"
    if ordered:
        click.echo(f"{summary}: {len(ordered)} problem{'s' if len(ordered) != 1 else ''}", err=True)
        sys.exit(1)
    click.echo(f"{summary}: no problems", err=True)


def _relative(problem: Problem) -> Problem:
    """Show paths relative to the current folder, as editors and terminals expect to click them."""
    try:
        source = str(Path(problem.source).resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError):
        return problem
    return replace(problem, source=source)


def _base(packs: Sequence[Path]) -> RuleBase:
    from ..rules.rulebase import load_rule_base

    return load_rule_base(packs)


@rules_group.command("list")
@PACK_OPTION
@click.option("--theme", help="Only rules of this theme.")
@click.option("--category", help="Only rules of this category.")
def list_command(packs: tuple[Path, ...], theme: str | None, category: str | None) -> None:
    """List the rule base: id, theme, category, severity and title."""
    rules = [r for r in _base(packs).rules
             if (theme is None or r.spec.theme == theme) and (category is None or r.spec.category == category)]
    header: tuple[str, ...] = ("id", "theme", "category", "severity", "title")
    rows: list[tuple[str, ...]] = [(r.id, r.spec.theme, r.spec.category, r.spec.severity, r.spec.title) for r in rules]
    if sys.stdout.isatty():
        from rich.console import Console
        from rich.table import Table

        table = Table(*header, title=f"{len(rows)} rules")
        for row in rows:
            table.add_row(*row)
        Console().print(table)
        return
    widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(len(header) - 1)]
    for row in [header, *rows]:
        click.echo("  ".join(str(cell).ljust(width) for cell, width in zip(row, widths, strict=False)) + "  " + row[-1])


@rules_group.command("show")
@click.argument("rule_id")
@PACK_OPTION
def show_command(rule_id: str, packs: tuple[Path, ...]) -> None:
    """Show one rule in full, with the passages of the guidance it rests on."""
    from ..advisor import Advisor
    from ..explain import find_rule
    from ..guidance import THEME_TITLES, factors
    from ..rules.fields import catalogue

    advisor = Advisor(_base(packs), engine="reference")
    rule = find_rule(advisor, rule_id)
    spec = rule.spec
    fields = catalogue()
    lines = [
        f"{spec.id}: {spec.title}",
        f"  defined at  {rule.file}:{rule.line} (pack {rule.pack})",
        f"  theme       {THEME_TITLES.get(spec.theme, spec.theme)} ({spec.theme})",
        f"  category    {spec.category}",
        f"  severity    {spec.severity}",
        f"  for each    {spec.for_each}",
        f"  when        {spec.when}",
        "  reads",
        *(f"    {path}: {fields[path].description}" for path in rule.fields if path in fields),
        f"  advice      {spec.advice}",
    ]
    if spec.action is not None:
        lines.append(f"  action      {spec.action.do} ({spec.action.phase}, {spec.action.owner})")
        if spec.action.recordable:
            lines.append(f"  done when   {spec.action.done_when} (a site records it under actions_done)")
    effects = [f"{k}: {v}" for k, v in spec.effect.model_dump().items() if v is not None]
    if effects:
        lines.append(f"  effect      {', '.join(effects)}")
    lines += ["  source", f"    {THEME_TITLES.get(spec.source.theme, spec.source.theme)}: \"{spec.source.quote}\""]
    known = factors()
    for factor_id in spec.factors:
        factor = known.get(factor_id)
        if factor is not None:
            lines.append(f"    {factor_id} {factor.factor}: \"{factor.quote}\"")
    if spec.examples:
        lines.append("  examples")
        for index, example in enumerate(spec.examples):
            given = ", ".join(f"{k} = {show_value(v)}" for k, v in example.given.items())
            outcome = "fires" if example.fires else "does not fire"
            lines.append(f"    {example.name or f'example {index + 1}'}: {outcome} given {given}")
    click.echo("\n".join(lines))


@rules_group.command("test")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@PACK_OPTION
@BASE_OPTION
@click.option("--no-shipped", is_flag=True, help="Test the named folders on their own, without the shipped rules.")
@click.option("--engine", type=click.Choice(["both", "reference"]), default="both", show_default=True,
              help="Run examples on the reference evaluator and durable_rules, or the reference only.")
@click.option("--require-examples", is_flag=True,
              help="Fail a rule that lacks an example that fires or one that does not.")
def test_command(paths: tuple[Path, ...], packs: tuple[Path, ...], base: Path | None, no_shipped: bool, engine: str,
                 require_examples: bool) -> None:
    """Run the examples beside each rule and report every failure with what the condition saw."""
    from ..rules.examples import rules_lacking_examples, run_examples

    rules, problems, _, used = _gather(paths, packs, no_shipped, base)
    _say_base(used)
    if problems:
        raise ReplicateError(problems)
    outcomes = run_examples(rules, engine="both" if engine == "both" else "reference")
    passed = failed = 0
    for outcome in outcomes:
        if outcome.passed:
            passed += 1
            continue
        failed += 1
        example = outcome.example
        expected = "fires" if example.fires else "does not fire"
        actual = "fires" if outcome.fired else (
            "does not fire (a field it needs is not stated)" if outcome.truth.value == "unknown" else "does not fire")
        click.echo(f"FAIL {outcome.rule.id} {outcome.name} ({outcome.rule.file}:{outcome.rule.line})")
        click.echo(f"  expected: {expected}")
        click.echo(f"  actual:   {actual}")
        if not outcome.engines_agree:
            click.echo(f"  the durable_rules engine {'fires' if outcome.durable_fired else 'does not fire'}: "
                       "the engines disagree (please report this)")
        click.echo(f"  when:     {outcome.rule.spec.when}")
        click.echo("  the condition saw:")
        for line in format_steps(outcome.steps, indent="    "):
            click.echo(line)
    if require_examples:
        for rule, missing in rules_lacking_examples(rules):
            failed += 1
            click.echo(f"FAIL {rule.id} ({rule.file}:{rule.line}): needs an example: {' and '.join(missing)}")
    click.echo(f"{passed} passed, {failed} failed")
    if failed:
        sys.exit(1)


def _profiles(paths: Sequence[Path]) -> list[Path]:
    found: list[Path] = []
    for path in paths:
        found += sorted(path.glob("*.json")) if path.is_dir() else [path]
    return found


@rules_group.command("coverage")
@click.argument("profiles", nargs=-1, required=True, type=click.Path(path_type=Path, exists=True))
@click.option("--programme", "-p", "programme", required=True, type=click.Path(path_type=Path, dir_okay=False),
              help="The programme the site profiles are for (JSON).")
@PACK_OPTION
@click.option("--fail-under", type=click.FloatRange(0, 100), default=None,
              help="Exit 1 if fewer than this percentage of rules fired at least once.")
def coverage_command(profiles: tuple[Path, ...], programme: Path, packs: tuple[Path, ...],
                     fail_under: float | None) -> None:
    """Which rules fired, for how many of the site PROFILES (files or folders of .json), and which never did."""
    from ..advisor import Advisor

    advisor = Advisor.from_packs(packs, engine="reference")
    sites = _profiles(profiles)
    profile_hits: Counter[str] = Counter()
    finding_hits: Counter[str] = Counter()
    for site in sites:
        plan = advisor.advise_files(programme, site)
        fired = [f.rule_id for f in plan.findings]
        finding_hits.update(fired)
        profile_hits.update(set(fired))
    rules = advisor.rule_base.rules
    width = max((len(r.id) for r in rules), default=2)
    click.echo(f"{'rule'.ljust(width)}  profiles  findings")
    for rule in rules:
        if profile_hits[rule.id]:
            click.echo(f"{rule.id.ljust(width)}  {profile_hits[rule.id]:>8}  {finding_hits[rule.id]:>8}")
    never = [r.id for r in rules if not profile_hits[r.id]]
    if never:
        click.echo(f"never fired ({len(never)}):")
        for rule_id in never:
            click.echo(f"  {rule_id}")
    covered = len(rules) - len(never)
    percent = 100.0 * covered / len(rules) if rules else 100.0
    click.echo(f"{covered} of {len(rules)} rules fired on {len(sites)} profiles ({percent:.1f}%)")
    if fail_under is not None and percent < fail_under:
        click.echo(f"coverage {percent:.1f}% is under --fail-under {fail_under:g}%", err=True)
        sys.exit(1)
