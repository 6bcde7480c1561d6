"""Who owns an action when the role a rule names is one the site says it does not have.

A rule names the role that would own its action ("strategic sponsor", "programme lead"), written
for a site that has one. At a site with no sponsor, an action owned by "strategic sponsor" would
have nobody to do it, beside a condition that says to find one: the commissioner holds it until
the role is filled.
"""

from __future__ import annotations

from ..schema import SiteProfile


def acting_owner(owner: str, site: SiteProfile) -> str:
    """The owner to print: the rule's own, or who stands in for a role the site says it lacks."""
    leadership = site.leadership
    if owner == "strategic sponsor" and leadership.strategic_sponsor is False:
        return "commissioner, until a strategic sponsor is named"
    if owner == "programme lead" and leadership.named_lead is False:
        return "commissioner, until a programme lead is named"
    return owner
