"""A small program that embeds `replicate`, type-checked with `mypy --strict` by tests/test_api.py.

It uses only names importable from `replicate`, so it proves the public API is typed all the way
through (the lazy re-exports must not degrade to `Any`)."""

from __future__ import annotations

from pathlib import Path

from replicate import (
    AdaptationPlan,
    Advisor,
    Finding,
    InputError,
    Portfolio,
    Problem,
    Programme,
    ReplicateError,
    RuleBase,
    SiteProfile,
    build_portfolio,
    json_schema,
    load_programme,
    load_rule_base,
    load_site,
    read_site_inputs,
    render_plan,
    run_batch,
)


def make_advisor(packs: list[Path]) -> Advisor:
    rule_base: RuleBase = load_rule_base(packs)
    return Advisor(rule_base, engine="reference")


def advise(advisor: Advisor, programme_json: str, site: dict[str, object]) -> AdaptationPlan:
    programme: Programme = load_programme(programme_json)
    profile: SiteProfile = load_site(site)
    return advisor.advise(programme, profile)


def high_risks(plan: AdaptationPlan) -> list[Finding]:
    return [f for f in plan.findings if f.severity == "high" and not f.is_strength]


def weakest(plan: AdaptationPlan) -> tuple[str, int]:
    first = plan.readiness[0]
    return first.theme, first.score


def describe(error: ReplicateError) -> list[str]:
    problems: tuple[Problem, ...] = error.problems
    return [f"{p.source} {p.location}: {p.message}" for p in problems]


def try_site(text: str) -> SiteProfile | None:
    try:
        return load_site(text)
    except InputError as error:
        print("\n".join(describe(error)))
        return None


def batch(programme: Programme, folder: Path) -> Portfolio:
    results = run_batch(programme, read_site_inputs([folder]), jobs=2)
    plans = [(r.source, r.plan) for r in results if r.plan is not None]
    errors = [(r.source, r.problems) for r in results if not r.ok]
    return build_portfolio(plans, errors)


def schema_title() -> str:
    title = json_schema("site").get("title", "")
    return str(title)


def html(plan: AdaptationPlan) -> str:
    return render_plan(plan, "html")
