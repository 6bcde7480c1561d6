"""The evidence of impact this programme has, in the words an action names it: "show staff the
evidence of the programme's impact (the site's own results where it already runs the programme;
otherwise outcome figures, or case studies where there are none)" left the manager to work out which
of those this programme has (775, 794)."""

from __future__ import annotations

from ..schema import Evidence, OutcomeFigure, Programme

_EVALUATIONS = {
    "randomised_trial": "randomised controlled trial",
    "quasi_experimental": "quasi-experimental evaluation",
    "statistical_monitoring": "statistical monitoring",
    "cost_benefit": "cost/benefit analysis",
}
"""The kinds of evaluation that report outcome figures, named as a reader says them."""
_UNITS = {"percent": "%", "percentage": "%", "%": "%"}


def _amount(value: float, unit: str) -> str:
    if unit in _UNITS:
        return f"{value:g}{_UNITS[unit]}"
    return f"{value:g} {unit[:-1] if value == 1 and unit.endswith('s') else unit}"


def _figure(outcome: OutcomeFigure) -> str:
    against = "" if outcome.comparison is None else f" against {_amount(outcome.comparison, outcome.unit)}"
    return f'"{outcome.measure}": {_amount(outcome.value, outcome.unit)}{against}'


def comparison_gain(outcome: OutcomeFigure) -> float | None:
    """How far a figure beats its comparison, as a share of the comparison: signed where the figure says
    which way is better, its size where it does not (a figure level with its comparison shows no gain
    either way). Against a comparison of 0 the difference itself is the gain."""
    if outcome.comparison is None:
        return None
    difference = outcome.value - outcome.comparison
    signed = {"higher": difference, "lower": -difference, None: abs(difference)}[outcome.better]
    return signed / (abs(outcome.comparison) or 1.0)


def best_comparison_gain(outcomes: list[OutcomeFigure]) -> float | None:
    """The largest gain over a comparison any figure shows: evidence of impact rests on its best figure,
    and shows none where even that is level with usual practice."""
    gains = [gain for gain in map(comparison_gain, outcomes) if gain is not None]
    return max(gains) if gains else None


def _best_compared(outcomes: list[OutcomeFigure]) -> OutcomeFigure | None:
    """The figure that beats its comparison most, if any has a comparison."""
    compared = [o for o in outcomes if o.comparison is not None]
    return max(compared, key=lambda o: comparison_gain(o) or 0.0) if compared else None


def best_comparison_figure(outcomes: list[OutcomeFigure]) -> str | None:
    """The figure `best_comparison_gain` rests on, as a board reads it ('"Reoffending": 34% against
    27%'): "the best differs from it by -26%" read as 26 points, and hid which way (1265)."""
    best = _best_compared(outcomes)
    return _figure(best) if best is not None else None


def _programme_evidence(evidence: Evidence) -> str:
    """The strongest evidence the programme reports: the figure that beats its comparison most before
    one without a comparison (it shows the difference the programme made), then what its kind of
    evaluation offers."""
    evaluation = _EVALUATIONS.get(evidence.kind)
    if evidence.outcomes:
        first = _best_compared(evidence.outcomes) or evidence.outcomes[0]
        source = f" from the programme's {evaluation}" if evaluation else " the programme reports"
        example = "such as " if len(evidence.outcomes) > 1 else ""
        return f"the outcome figures{source} ({example}{_figure(first)})"
    if evaluation:
        return f"the outcome figures from the programme's {evaluation}, once its owner gives them"
    if evidence.kind == "qualitative":
        return ("the case studies and accounts the programme's qualitative evidence rests on, saying plainly that it "
                "has no figures")
    return "what practitioners who deliver the programme report, saying plainly that it has not been evaluated"


def evidence_to_show(programme: Programme, runs_already: bool | None) -> str:
    """What to show staff and partners as the evidence of impact: the site's own results first where
    it already runs the programme (a pilot being scaled up), since local results persuade most."""
    own = "the results of the site's own run of the programme so far, and " if runs_already else ""
    return own + _programme_evidence(programme.evidence)
