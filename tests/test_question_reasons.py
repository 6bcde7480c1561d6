"""Every question says why the guidance asks it, as every finding says which passage it rests on.

A board reading "could change the decision to: not yet" learns what an answer could do, not why
the guidance wants it (round 60: "why are the funding and the lead's hours asked?"). The passage a
question gives is the one behind the weightiest rule that needs its answer, so the reason is the
strongest the plan has, never a strength's where a risk turns on the same answer."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from strategies import programme_and_site

from replicate import Advisor, load_programme, load_site
from replicate.plan import AdaptationPlan
from replicate.plan.model import Question
from replicate.plan.questions import UndeterminedRule, with_reasons
from replicate.render.markdown import render_markdown
from replicate.render.text import render_text

PROFILES = Path(__file__).resolve().parents[1] / "profiles"


def _check_reasons(advisor: Advisor, plan: AdaptationPlan) -> None:
    rules = advisor.rule_base.by_id()
    for question in plan.missing_information:
        if not question.needed_by:
            assert question.why is None
            continue
        why = question.why
        assert why is not None, question.question
        assert why.rule in question.needed_by
        source = rules[why.rule].spec.source
        assert (why.theme, why.quote) == (source.theme, source.quote)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(programme_and_site())
def test_every_question_a_rule_needs_gives_that_rules_passage(inputs: tuple[dict[str, Any], dict[str, Any]]
                                                              ) -> None:
    advisor = _ADVISOR
    programme, site = inputs
    _check_reasons(advisor, advisor.advise(load_programme(programme), load_site(site)))


_ADVISOR = Advisor()


@pytest.mark.parametrize("site", sorted(p.stem for p in (PROFILES / "sites").glob("*.json")))
def test_the_details_give_each_questions_reason_and_the_first_page_does_not(durable_advisor: Advisor,
                                                                           site: str) -> None:
    loaded = load_site(PROFILES / "sites" / f"{site}.json")
    plan = durable_advisor.advise(load_programme(PROFILES / "programmes" / f"{loaded.programme}.json"), loaded)
    _check_reasons(durable_advisor, plan)
    reasons = [q.why for q in plan.missing_information if q.why is not None]
    assert reasons, "every shipped example leaves something open"
    full = " ".join(render_text(plan, "full").split())
    markdown = " ".join(render_markdown(plan).split())
    for why in reasons:
        assert f"“{why.quote}” ({why.rule})" in markdown
        assert f'"{why.quote}" ({why.rule})' in full
    assert "Why it is asked" not in render_text(plan)  # the page a manager reads stays as it was


def _open(rule: str, category: str, severity: str, quote: str, restates: bool = False) -> UndeterminedRule:
    return UndeterminedRule(rule, "resources", "site", ("site.funding.financial_plan",), category, rule, severity,
                            restates=restates, source=("resources", quote))


def _asked(*rules: str) -> Question:
    return Question(field="site.funding.financial_plan", fields=["site.funding.financial_plan"],
                    question="Not stated: whether there is a financial plan.", needed_by=sorted(rules),
                    answer_by="site")


@pytest.mark.parametrize(("open_rules", "given"), [
    # A risk's reason, not a strength's, though the strength sorts first.
    ([_open("A-STRENGTH", "strength", "info", "strength phrase"), _open("B-RISK", "funding_gap", "low", "risk phrase")],
     "B-RISK"),
    # The high risk's reason before the low one's.
    ([_open("A-LOW", "funding_gap", "low", "low phrase"), _open("B-HIGH", "funding_gap", "high", "high phrase")],
     "B-HIGH"),
    # A risk that would only restate a finding already made weighs as a strength does.
    ([_open("A-RESTATES", "funding_gap", "high", "restated", restates=True),
      _open("B-LOW", "funding_gap", "low", "low phrase")], "B-LOW"),
])
def test_the_reason_given_is_the_weightiest_rules(open_rules: list[UndeterminedRule], given: str) -> None:
    [question] = with_reasons([_asked(*(r.rule_id for r in open_rules))], open_rules)
    assert question.why is not None
    assert question.why.rule == given
    assert (question.why.theme, question.why.quote) == next(r.source for r in open_rules if r.rule_id == given)


def test_a_question_no_rule_needs_gives_no_reason() -> None:
    [question] = with_reasons([_asked()], [_open("A-RISK", "funding_gap", "high", "phrase")])
    assert question.why is None
