"""The outside pressures a site says it faces, in the words advice names them: "faces at least one
of the external forces the guidance names; the facts below say which" left a board to decode
`site.climate.economic = tightening` for itself (727)."""

from __future__ import annotations

from ..schema import SiteProfile

_OUTLOOKS = {"uncertain": "an uncertain funding outlook", "declining": "a declining funding outlook"}


def external_forces(site: SiteProfile) -> list[str]:
    """The external forces the profile says are at work (the guidance's political and economic
    climate, the funding outlook and staffing); those it leaves out are not listed."""
    climate = site.climate
    forces = []
    if climate.political == "unfavourable":
        forces.append("an unfavourable political climate")
    if climate.economic == "tightening":
        forces.append("a tightening economy")
    if climate.funding_outlook in _OUTLOOKS:
        forces.append(_OUTLOOKS[climate.funding_outlook])
    if climate.staffing_pressure:
        forces.append("pressure on staffing")
    return forces
