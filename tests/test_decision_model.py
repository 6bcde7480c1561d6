"""The decision model on its own: accumulation, floors, unknowns, and its invariants.

The model is pure data in, verdict out, so its invariants are checked for all inputs directly:
adding a risk never improves the decision; knowing more (confidence up, decisive information
given) never worsens it; "go" never coexists with a theme below its floor or missing decisive
information. The end-to-end forms (through both engines) are in test_decision_properties.py.
"""

from __future__ import annotations

from hypothesis import example, given
from hypothesis import strategies as st

from replicate.guidance import THEMES
from replicate.plan.decision import (
    DECISION_PARAMETERS,
    DecisionParameters,
    OpenRisk,
    Risk,
    judge,
    rank,
    theme_score,
    verdict,
    verdict_with,
    what_could_change,
)
from replicate.rules.parameters import shipped_parameters

PARAMS = DecisionParameters.from_values({name: p.value for name, p in shipped_parameters().items()})
FULL: dict[str, float] = dict.fromkeys(THEMES, 1.0)


def risk(ref: str, theme: str = "resources", severity: str = "medium", effect: str | None = None,
         before_launch: bool = False) -> Risk:
    return Risk(ref, f"title of {ref}", theme, severity, effect, before_launch)


def test_every_decision_parameter_is_shipped_with_a_reason() -> None:
    shipped = shipped_parameters()
    for name in DECISION_PARAMETERS:
        assert name in shipped, name
        assert shipped[name].spec.reason and shipped[name].spec.basis in ("interpretation", "local_default")


def test_nothing_known_against_it_and_everything_known_is_go() -> None:
    assert judge([], [], FULL, [], PARAMS).verdict == "go"


def test_medium_risks_in_one_theme_add_up_to_a_high_one() -> None:
    two = [risk(f"R{i}", "operational_model") for i in range(2)]
    three = [risk(f"R{i}", "operational_model") for i in range(3)]
    assert judge(two, [], FULL, [], PARAMS).verdict == "go"
    judgement = judge(three, [], FULL, [], PARAMS)
    assert judgement.verdict == "go_with_conditions"
    assert any("weigh like a high one" in cause.text for cause in judgement.causes)


def test_a_risk_whose_action_belongs_before_launch_rules_out_go() -> None:
    assert judge([risk("R", severity="low", before_launch=True)], [], FULL, [], PARAMS).verdict == "go_with_conditions"
    assert judge([risk("R", severity="low")], [], FULL, [], PARAMS).verdict == "go"


def test_building_on_an_existing_service_is_a_condition() -> None:
    assert judge([], ["FL-X@c1"], FULL, [], PARAMS).verdict == "go_with_conditions"


def test_a_theme_below_the_block_floor_is_not_yet() -> None:
    highs = [risk(f"R{i}", "flexibility", "high") for i in range(3)]  # 100 x 0.7^3 = 34.3
    assert theme_score(["high"] * 3, PARAMS) == 34
    assert judge(highs, [], FULL, [], PARAMS).verdict == "not_yet"


def test_serious_risks_across_several_themes_are_not_yet() -> None:
    spread = [risk(f"R{i}", theme, "high") for i, theme in enumerate(THEMES[:3])]
    assert judge(spread, [], FULL, [], PARAMS).verdict == "not_yet"
    assert judge(spread[:2], [], FULL, [], PARAMS).verdict == "go_with_conditions"


def test_decisive_information_missing_is_information_needed_never_go() -> None:
    judgement = judge([], [], FULL, ["Funding is not stated at all"], PARAMS)
    assert judgement.verdict == "information_needed"


def test_a_theme_with_almost_nothing_known_is_information_needed() -> None:
    confidence = {**FULL, "buy_in": 0.0}
    assert judge([], [], confidence, [], PARAMS).verdict == "information_needed"


def test_known_blockers_rank_below_information_needed() -> None:
    blocker = [risk("R", effect="not_yet")]
    assert judge(blocker, [], FULL, ["Funding is not stated at all"], PARAMS).verdict == "not_yet"


def test_an_open_rule_that_could_worsen_the_decision_makes_it_provisional() -> None:
    judgement = judge([], [], FULL, [], PARAMS)
    open_risk = OpenRisk(risk("RS-X@site", effect="not_yet"), ("site.funding.months_secured",))
    changes = what_could_change(judgement, [], [], FULL, {}, [open_risk], PARAMS)
    assert [(c.field, c.to, c.better) for c in changes] == [("site.funding.months_secured", "not_yet", False)]
    harmless = OpenRisk(risk("RS-Y@site", severity="low"), ("site.funding.sources",))
    assert what_could_change(judgement, [], [], FULL, {}, [harmless], PARAMS) == []


def test_answering_decisive_questions_could_lift_information_needed() -> None:
    judgement = judge([], [], FULL, ["Funding is not stated at all"], PARAMS)
    changes = what_could_change(judgement, [], [], FULL, {"Funding is not stated at all": ("site.funding",)}, [],
                                PARAMS)
    assert [(c.field, c.to, c.better) for c in changes] == [("site.funding", "go", True)]


# -- invariants for all inputs --------------------------------------------------------------------

SEVERITIES = st.sampled_from(["high", "medium", "low"])
EFFECTS = st.sampled_from([None, None, None, "conditions", "not_yet", "do_not_replicate"])
RISKS = st.builds(risk, st.text("ABCDEFG", min_size=1, max_size=3), st.sampled_from(THEMES), SEVERITIES, EFFECTS,
                  st.booleans())
CONFIDENCE = st.fixed_dictionaries({theme: st.floats(0, 1) for theme in THEMES})
MISSING = st.lists(st.sampled_from(["Funding is not stated at all", "Local need is not stated"]), unique=True)


@given(st.lists(RISKS, max_size=12), RISKS, CONFIDENCE, MISSING, st.lists(st.just("B@c"), max_size=1))
def test_adding_a_risk_never_improves_the_decision(risks: list[Risk], extra: Risk, confidence: dict[str, float],
                                                   missing: list[str], build_on: list[str]) -> None:
    before = judge(risks, build_on, confidence, missing, PARAMS).verdict
    after = judge([*risks, extra], build_on, confidence, missing, PARAMS).verdict
    assert rank(after) >= rank(before)


@given(st.lists(RISKS, max_size=12), RISKS | st.builds(risk, st.just("X"), st.just("not_a_theme"), SEVERITIES),
       st.fixed_dictionaries({}, optional={theme: st.floats(0, 1) for theme in THEMES}), MISSING,
       st.lists(st.just("B@c"), max_size=1))
def test_the_counterfactual_shortcut_is_the_same_as_judging_again(
        risks: list[Risk], extra: Risk, confidence: dict[str, float], missing: list[str], build_on: list[str]) -> None:
    """The plan asks "what if this open rule fired?" once per open rule through a shortcut that
    works the verdict out from tallies; it must be exactly what the whole model would say."""
    expected = judge([*risks, extra], build_on, confidence, missing, PARAMS).verdict
    assert verdict_with(risks, build_on, confidence, missing, PARAMS, extra) == expected


@given(st.lists(RISKS | st.builds(risk, st.just("X"), st.just("not_a_theme"), SEVERITIES, EFFECTS, st.booleans()),
                max_size=12),
       st.fixed_dictionaries({}, optional={theme: st.floats(0, 1) for theme in THEMES}), MISSING,
       st.lists(st.just("B@c"), max_size=1))
@example([risk(f"R{i}", theme, "high") for i, theme in enumerate(THEMES[:4])], {}, [], [])  # serious themes
def test_the_verdict_alone_is_the_verdict_of_the_whole_judgement(
        risks: list[Risk], confidence: dict[str, float], missing: list[str], build_on: list[str]) -> None:
    """The plan tries each open rule that would take found risks with it through a verdict worked
    out from tallies, without the causes' words; it must be what the whole model would say."""
    assert verdict(risks, build_on, confidence, missing, PARAMS) == judge(risks, build_on, confidence, missing,
                                                                         PARAMS).verdict


@given(st.lists(RISKS, max_size=12), CONFIDENCE, CONFIDENCE, MISSING)
def test_knowing_more_never_worsens_the_decision(risks: list[Risk], confidence: dict[str, float],
                                                 more: dict[str, float], missing: list[str]) -> None:
    higher: dict[str, float] = {theme: max(confidence[theme], more[theme]) for theme in THEMES}
    before = judge(risks, [], confidence, missing, PARAMS).verdict
    after = judge(risks, [], higher, missing[1:], PARAMS).verdict
    assert rank(after) <= rank(before)


@given(st.lists(RISKS, max_size=12), CONFIDENCE, MISSING)
def test_go_never_coexists_with_a_theme_below_its_floor_or_missing_information(
        risks: list[Risk], confidence: dict[str, float], missing: list[str]) -> None:
    judgement = judge(risks, [], confidence, missing, PARAMS)
    if judgement.verdict == "go":
        assert not missing
        assert all(score >= PARAMS.theme_floor for score in judgement.scores.values())
        assert all(c >= PARAMS.min_theme_confidence for c in confidence.values())
        assert not any(r.before_launch or r.severity == "high" or r.effect for r in risks)
