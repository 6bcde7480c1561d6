"""Hypothesis strategies for programmes and site profiles, drawn from the schema's vocabularies.

Every optional field is sometimes left out, so generated profiles exercise "unknown" as often as
explicit answers; tags come from a small shared vocabulary so components and services overlap.
"""

from __future__ import annotations

from typing import Any, get_args

from hypothesis import strategies as st

from replicate.schema import common

TAGS = ["accommodation_support", "employment_support", "debt_advice", "family_support", "parenting_support"]
CONDITIONS = ["cross_borough_working", "public_transport", "co_located_services"]


def _choice(literal: Any) -> st.SearchStrategy[str]:
    return st.sampled_from(list(get_args(literal)))


def maybe(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """A value or None (which the dict builders turn into an absent key)."""
    return st.one_of(st.none(), strategy)


def _drop_none(data: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in data.items() if value is not None}


def _object(**fields: st.SearchStrategy[Any]) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries({k: maybe(v) for k, v in fields.items()}).map(_drop_none)


LEVEL = _choice(common.Level)
BOOL = st.booleans()


@st.composite
def programmes(draw: st.DrawFn) -> dict[str, Any]:
    count = draw(st.integers(1, 4))
    need: st.SearchStrategy[dict[str, str]] = st.one_of(
        st.sampled_from(CONDITIONS).map(lambda tag: {"label": f"needs {tag}", "condition": tag}),
        st.sampled_from(["leadership.co_designed", "leadership.named_lead", "funding.financial_plan"]).map(
            lambda field: {"label": f"needs {field}", "field": field}),
    )
    needs = st.lists(need, max_size=2, unique_by=lambda n: n["label"])
    principles = [
        {"id": f"P{i}", "statement": f"Principle {i}", "kind": draw(_choice(common.PrincipleKind)),
         "needs": draw(needs)}
        for i in range(count)
    ]
    components = [
        {
            "id": f"C{i}",
            "name": f"Component {i}",
            "serves": draw(st.lists(st.sampled_from(TAGS), min_size=1, max_size=2, unique=True)),
            "principles": draw(st.lists(st.sampled_from([p["id"] for p in principles]), max_size=2, unique=True)),
            "serves_local_need": draw(st.sampled_from([True, True, True, False])),
        }
        for i in range(draw(st.integers(1, 4)))
    ]
    return {
        "id": "prog",
        "name": "Generated programme",
        "principles": principles,
        "components": components,
        "proven_context": {
            "setting": draw(_choice(common.Setting)),
            "relies_on": draw(st.lists(st.sampled_from(CONDITIONS), max_size=2, unique=True)),
            "partner_types": draw(st.lists(_choice(common.PartnerType), max_size=3, unique=True)),
        },
        "evidence": {"kind": draw(_choice(common.EvidenceKind))},
        "costs": {"duration_months": draw(st.integers(1, 48)), "annual_cost": draw(st.integers(0, 500_000))},
    }


def _partners() -> st.SearchStrategy[list[dict[str, Any]]]:
    partner = st.builds(
        lambda base, extra: {**base, **extra},
        st.fixed_dictionaries({"name": st.just("Partner"), "type": _choice(common.PartnerType)}),
        _object(
            critical=BOOL,
            years_relationship=st.integers(0, 10),
            informal_contact=BOOL,
            regular_meetings=BOOL,
            consulted=BOOL,
            shares_information=BOOL,
            sees_mutual_benefit=BOOL,
        ),
    )
    return st.lists(partner, max_size=5).map(lambda ps: [{**p, "id": f"pa{i}"} for i, p in enumerate(ps)])


def _services() -> st.SearchStrategy[list[dict[str, Any]]]:
    service = st.builds(
        lambda base, extra: {**base, **extra},
        st.fixed_dictionaries(
            {"name": st.just("Service"), "covers": st.lists(st.sampled_from(TAGS), min_size=1, max_size=2, unique=True)}
        ),
        _object(has_capacity=BOOL),
    )
    return st.lists(service, max_size=4).map(lambda ss: [{**s, "id": f"s{i}"} for i, s in enumerate(ss)])


@st.composite
def sites(draw: st.DrawFn, programme: dict[str, Any]) -> dict[str, Any]:
    targets = [p["id"] for p in programme["principles"]] + [c["id"] for c in programme["components"]]
    adaptations = draw(
        st.lists(
            st.fixed_dictionaries({"touches": st.sampled_from(targets), "nature": _choice(common.AdaptationNature)}),
            max_size=3,
        )
    )
    site: dict[str, Any] = {
        "id": "site",
        "name": "Generated site",
        "adaptations": [{**a, "id": f"a{i}"} for i, a in enumerate(adaptations)],
    }
    site.update(
        draw(
            _object(
                setting=_choice(common.Setting),
                local_needs=st.lists(st.sampled_from(TAGS), max_size=3, unique=True),
                needs_assessed=BOOL,
                conditions=st.lists(st.sampled_from(CONDITIONS), max_size=3, unique=True),
                existing_services=_services(),
                partners=_partners(),
            )
        )
    )
    site["staff"] = draw(_object(understand_reasons=LEVEL, understand_aims=LEVEL, ownership=BOOL,
                                 believe_in_model=LEVEL, jobs_secure=BOOL))
    site["leadership"] = draw(
        _object(named_lead=BOOL, lead_hours_per_week=st.integers(0, 40), lead_influence=LEVEL,
                lead_local_knowledge=BOOL, champions=st.integers(0, 5), volunteers=st.integers(0, 20),
                succession_plan=BOOL, staff_capacity=LEVEL, time_allocated=BOOL, co_designed=BOOL,
                strategic_sponsor=BOOL, operational_buy_in=BOOL)
    )
    site["funding"] = draw(
        _object(months_secured=st.integers(0, 60), annual_budget=st.integers(1, 1_000_000), financial_plan=BOOL,
                sources=st.lists(st.fixed_dictionaries({"name": st.just("Fund"), "kind": _choice(common.FundingKind),
                                                        "stability": _choice(common.Stability)},
                                                       optional={"months": st.integers(0, 60)}), max_size=3),
                cost_benefit_analysis=BOOL, budget_for_lead_time=BOOL, budget_for_meetings=BOOL,
                budget_for_training=BOOL, extends_existing_work=BOOL, expertise_secured=BOOL)
    )
    site["operational_plan"] = draw(
        _object(objectives=BOOL, targeted_outcomes=BOOL, timeline=BOOL, documented_process=BOOL,
                action_plan=BOOL, review_every_months=st.integers(1, 24))
    )
    site["evaluation"] = draw(_object(planned=BOOL, systematic=BOOL, statistical_data=BOOL))
    site["climate"] = draw(_object(political=_choice(common.PoliticalClimate),
                                   funding_outlook=_choice(common.FundingOutlook)))
    return site


@st.composite
def programme_and_site(draw: st.DrawFn) -> tuple[dict[str, Any], dict[str, Any]]:
    programme = draw(programmes())
    return programme, draw(sites(programme))


# -- conditions over a few site fields, as text, and flat facts for them ------------------------------

BOOLEANS = ["site.staff.ownership", "site.funding.financial_plan"]
NUMBERS = ["site.leadership.champions", "site.funding.months_secured"]
STRINGS = {"site.setting": ["urban", "rural", "mixed"], "site.staff.understand_aims": ["low", "partial", "high"]}
LISTS = {
    "site.conditions": ["public_transport", "cross_borough_working"],
    "site.local_needs": ["debt_advice", "family_support"],
}
LIST_FIELDS = frozenset(LISTS)
"""Fields of the site for generated conditions: each kind of value, and pairs to compare."""


def _quote(value: str) -> str:
    return f'"{value}"'


atoms = st.one_of(
    st.sampled_from(BOOLEANS),
    st.builds(lambda f, v: f"{f} == {str(v).lower()}", st.sampled_from(BOOLEANS), st.booleans()),
    st.builds(lambda f, op, n: f"{f} {op} {n}", st.sampled_from(NUMBERS),
              st.sampled_from(["==", "!=", "<", "<=", ">", ">="]), st.integers(0, 4)),
    st.builds(lambda op: f"{NUMBERS[0]} {op} {NUMBERS[1]}", st.sampled_from(["==", "!=", "<", ">="])),
    st.sampled_from(sorted(STRINGS)).flatmap(
        lambda f: st.builds(lambda op, v: f"{f} {op} {_quote(v)}", st.sampled_from(["==", "!="]),
                            st.sampled_from(STRINGS[f]))
    ),
    st.sampled_from(sorted(STRINGS)).flatmap(
        lambda f: st.builds(lambda neg, vs: f"{f} {'not in' if neg else 'in'} [{', '.join(map(_quote, vs))}]",
                            st.booleans(), st.lists(st.sampled_from(STRINGS[f]), min_size=1, max_size=2))
    ),
    st.sampled_from(sorted(LISTS)).flatmap(
        lambda f: st.builds(lambda neg, v: f"{_quote(v)} {'not in' if neg else 'in'} {f}",
                            st.booleans(), st.sampled_from(LISTS[f]))
    ),
    st.builds(lambda f, known: f"{f} is {'known' if known else 'missing'}",
              st.sampled_from(BOOLEANS + NUMBERS + sorted(STRINGS) + sorted(LISTS)), st.booleans()),
)

condition_texts = st.recursive(
    atoms,
    lambda inner: st.one_of(
        st.builds(lambda c: f"not ({c})", inner),
        st.builds(lambda a, b: f"({a}) and ({b})", inner, inner),
        st.builds(lambda a, b: f"({a}) or ({b})", inner, inner),
    ),
    max_leaves=5,
)


site_facts = st.fixed_dictionaries(
    {
        **{f: maybe(st.booleans()) for f in BOOLEANS},
        **{f: maybe(st.integers(0, 4)) for f in NUMBERS},
        **{f: maybe(st.sampled_from(v)) for f, v in STRINGS.items()},
        **{f: maybe(st.lists(st.sampled_from(v), unique=True).map(lambda xs: tuple(sorted(xs))))
           for f, v in LISTS.items()},
    }
).map(lambda d: {k: v for k, v in d.items() if v is not None})
