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


def _programme_evidence(evidence: Evidence) -> str:
    """The strongest evidence the programme reports: a figure against a comparison before one without
    (it shows the difference the programme made), then what its kind of evaluation offers."""
    evaluation = _EVALUATIONS.get(evidence.kind)
    if evidence.outcomes:
        first = next((o for o in evidence.outcomes if o.comparison is not None), evidence.outcomes[0])
        source = f" from the programme's {evaluation}" if evaluation else " the programme reports"
        example = "such as " if len(evidence.outcomes) > 1 else ""
        return f"the outcome figures{source} ({example}{_figure(first)})"
    if evaluation:
        return f"the outcome figures from the programme's {evaluation}, once its owner gives them"
    if evidence.kind == "qualitative":
        return "the case studies and accounts from the programme's qualitative evaluation"
    return "what practitioners who deliver the programme report, saying plainly that it has not been evaluated"


def evidence_to_show(programme: Programme, runs_already: bool | None) -> str:
    """What to show staff and partners as the evidence of impact: the site's own results first where
    it already runs the programme (a pilot being scaled up), since local results persuade most."""
    own = "the results of the site's own run of the programme so far, and " if runs_already else ""
    return own + _programme_evidence(programme.evidence)
