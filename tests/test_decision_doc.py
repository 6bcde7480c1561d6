"""docs/decision.md's worked example, run through the model: the page and the code agree."""

from __future__ import annotations

from pathlib import Path

from replicate.guidance import THEMES
from replicate.plan.decision import DecisionParameters, Risk, judge
from replicate.rules.parameters import shipped_parameters

DOC = Path(__file__).resolve().parent.parent / "docs" / "decision.md"
PARAMS = DecisionParameters.from_values({name: p.value for name, p in shipped_parameters().items()})
FULL: dict[str, float] = dict.fromkeys(THEMES, 1.0)
EXAMPLE = [
    Risk("OM-NO-TARGETED-OUTCOMES", "No targeted outcomes", "operational_model", "medium", None, False),
    Risk("OM-NO-TIMELINE", "No timeline", "operational_model", "medium", None, False),
    Risk("OM-NO-DOCUMENTED-PROCESS", "No documented process", "operational_model", "medium", None, False),
    Risk("RS-FUNDING-TABLE-1", "Under a quarter of the run funded", "resources", "high", None, True),
]


def test_the_worked_example_gives_the_figures_the_page_states() -> None:
    text = DOC.read_text(encoding="utf-8")
    judgement = judge(EXAMPLE, [], FULL, [], PARAMS)
    assert judgement.scores["operational_model"] == 61 and "shown as **61**" in text
    assert judgement.scores["resources"] == 70 and "= **70**" in text
    assert judgement.verdict == "go_with_conditions" and "The decision is **go with conditions**" in text


def test_the_page_s_alternatives_hold() -> None:
    third = Risk("BI-NO-LEAD", "No named lead", "buy_in", "high", None, True)
    assert judge([*EXAMPLE, third], [], FULL, [], PARAMS).verdict == "not_yet"
    assert judge(EXAMPLE, [], FULL, ["Funding is not stated at all"], PARAMS).verdict == "information_needed"


def test_the_page_names_every_parameter_with_its_shipped_value() -> None:
    text = DOC.read_text(encoding="utf-8")
    for name, parameter in shipped_parameters().items():
        if name.startswith(("decision_", "readiness_")):
            assert f"`{name}`" in text, name
            shown = f"{parameter.value:g}" if isinstance(parameter.value, float) else str(parameter.value)
            assert shown in text or f"{round(parameter.value * 100)}%" in text, name
