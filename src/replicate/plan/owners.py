"""Who owns an action when the role a rule names is one the site says it does not have.

A rule names the role that would own its action ("strategic sponsor", "programme lead"), written
for a site that has one. At a site with no sponsor, an action owned by "strategic sponsor" would
have nobody to do it, beside a condition that says to find one: the commissioner holds it until
the role is filled. Where a school or trust leads, the commissioner is its governing board.
"""

from __future__ import annotations

from ..facts.partners import commissioning_body
from ..schema import SiteProfile


def acting_owner(owner: str, site: SiteProfile) -> str:
    """The owner to print: the rule's own, or who stands in for a role the site says it lacks."""
    leadership = site.leadership
    commissioner = commissioning_body(site.lead_organisation_type)
    if owner == "strategic sponsor" and leadership.strategic_sponsor is False:
        return f"{commissioner}, until a strategic sponsor is named"
    if owner == "programme lead" and leadership.named_lead is False:
        return f"{commissioner}, until a programme lead is named"
    return commissioner if owner == "commissioner" else owner
