"""An action that asks to show staff or partners the evidence of impact names the evidence this
programme has: "the original site's outcome figures, or its case studies where it has none" left a
manager to work out which (775, 794), and a site scaling up its own pilot to look past its own results."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, get_args

import pytest
from hypothesis import given
from hypothesis import strategies as st

from replicate import Advisor, load_programme, load_site
from replicate.facts.evidence import best_comparison_gain, comparison_gain, evidence_to_show
from replicate.schema import OutcomeFigure, common

ROOT = Path(__file__).resolve().parents[1] / "profiles"
CAFE = ROOT / "programmes" / "cafe-families-of-offenders.json"
WELL_PREPARED = ROOT / "sites" / "well-prepared.json"
OWN_RUN = "the results of the site's own run of the programme so far"


def _programme(evidence: dict[str, Any]) -> Any:
    data = json.loads(CAFE.read_text(encoding="utf-8"))
    data["evidence"] = evidence
    return load_programme(data)


@pytest.mark.parametrize(("evidence", "says"), [
    ({"kind": "quasi_experimental", "outcomes": [
        {"measure": "Plans kept", "value": 81},
        {"measure": "Reoffending (comparison: matched group)", "value": 19, "comparison": 33}]},
     'the outcome figures from the programme\'s quasi-experimental evaluation (such as "Reoffending '
     '(comparison: matched group)": 19% against 33%)'),
    ({"kind": "statistical_monitoring", "outcomes": [{"measure": "Days to discharge", "value": 1, "unit": "days"}]},
     'the outcome figures from the programme\'s statistical monitoring ("Days to discharge": 1 day)'),
    ({"kind": "cost_benefit"},
     "the outcome figures from the programme's cost/benefit analysis, once its owner gives them"),
    ({"kind": "qualitative"}, "the case studies and accounts the programme's qualitative evidence rests on, saying "
     "plainly that it has no figures"),
    ({"kind": "anecdotal"}, "what practitioners who deliver the programme report, saying plainly that it has not been "
     "evaluated"),
    ({"kind": "none"}, "what practitioners who deliver the programme report, saying plainly that it has not been "
     "evaluated"),
])
def test_the_evidence_to_show_is_the_evidence_this_programme_has(evidence: dict[str, Any], says: str) -> None:
    assert evidence_to_show(_programme(evidence), runs_already=False) == says
    assert evidence_to_show(_programme(evidence), runs_already=True) == f"{OWN_RUN}, and {says}"


_OUTCOMES = st.lists(st.fixed_dictionaries(
    {"measure": st.sampled_from(["Attendance", "Readmissions", "Orders completed"]),
     "value": st.integers(0, 100)},
    optional={"comparison": st.integers(0, 100)}), max_size=4)


@given(kind=st.sampled_from(list(get_args(common.EvidenceKind))), outcomes=_OUTCOMES,
       runs_already=st.sampled_from([True, False, None]))
def test_a_figure_against_a_comparison_is_shown_before_one_without(
        kind: str, outcomes: list[dict[str, Any]], runs_already: bool | None) -> None:
    """Whatever the programme reports, the phrase names one of its figures when it has any (the one
    furthest from its comparison when any has one: it shows the difference made), and leads with the
    site's own results exactly when the site already runs the programme."""
    text = evidence_to_show(_programme({"kind": kind, "outcomes": outcomes}), runs_already)
    assert text.startswith(OWN_RUN) is (runs_already is True)
    compared = [o for o in outcomes if "comparison" in o]
    if compared:
        first = max(compared, key=lambda o: abs(o["value"] - o["comparison"]) / (o["comparison"] or 1))
        assert f'"{first["measure"]}": {first["value"]}% against {first["comparison"]}%' in text
    elif outcomes:
        assert f'"{outcomes[0]["measure"]}": {outcomes[0]["value"]}%)' in text
    else:
        assert "(" not in text


def test_a_site_whose_staff_doubt_the_model_is_told_which_evidence_to_show_them(durable_advisor: Advisor) -> None:
    site: dict[str, Any] = json.loads(WELL_PREPARED.read_text(encoding="utf-8"))
    site["staff"]["believe_in_model"] = "low"
    plan = durable_advisor.advise(load_programme(CAFE), load_site(site))
    (action,) = [a for a in plan.actions if a.do.startswith("Show staff what is known of the programme's impact")]
    assert action.do.endswith('The evidence to show: the outcome figures from the programme\'s cost/benefit analysis '
                              '(such as "Community orders completed successfully by CAFÉ clients (comparison: the '
                              'county)": 90% against 50%).')
    site["existing_services"].append({"id": "pilot", "name": "Our CAFÉ pilot", "covers": ["family_support"],
                                      "runs_this_programme": True})
    scaled = durable_advisor.advise(load_programme(CAFE), load_site(site))
    (action,) = [a for a in scaled.actions if a.do.startswith("Show staff what is known of the programme's impact")]
    assert f"The evidence to show: {OWN_RUN}, and the outcome figures" in action.do


@given(value=st.floats(-1e6, 1e6), comparison=st.floats(-1e6, 1e6))
def test_a_figure_that_says_which_way_is_better_gains_by_its_signed_difference(value: float, comparison: float) -> None:
    """A figure that does not say which way is better gains by the size of its difference; one that
    says counts the same difference as a gain one way and a loss the other, so reoffending that rose
    is never read as evidence of impact."""
    plain, higher, lower = (comparison_gain(OutcomeFigure(measure="Rate", value=value, comparison=comparison,
                                                          better=better)) for better in (None, "higher", "lower"))
    assert plain is not None and higher is not None and lower is not None
    assert plain == abs(higher) and higher == -lower
    assert (higher > 0) is (value > comparison)


def test_the_best_gain_is_the_largest_over_the_figures_with_a_comparison() -> None:
    figures = [OutcomeFigure(measure="Reoffending", value=35, comparison=34, better="lower"),
               OutcomeFigure(measure="Attendance", value=72, comparison=60),
               OutcomeFigure(measure="Orders completed", value=90)]
    assert best_comparison_gain(figures) == pytest.approx(0.2)
    assert best_comparison_gain(figures[:1]) == pytest.approx(-1 / 34)
    assert best_comparison_gain(figures[2:]) is None
    assert comparison_gain(OutcomeFigure(measure="Incidents", value=3, comparison=0)) == 3
