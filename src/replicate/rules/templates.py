"""Advice text with `{field.path}` placeholders, filled from the facts a finding matched.

Deliberately not `str.format` or a template engine: a placeholder can only name a field, so
advice text can never reach attributes or run code.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache

from ..facts import Value

FIELD_PATH = r"[A-Za-z_][A-Za-z0-9_.]*"
PLACEHOLDER = re.compile(r"\{(" + FIELD_PATH + r")\}")
NOT_STATED = "(not stated)"
ACTION_TERMS = ("programme.clients.singular", "programme.clients.plural", "site.evidence_to_show",
                "site.missing_other_conditions", "site.missing_partner_types", "principle.known_unmet_needs",
                "component.covered_by", "component.covered_by_without_terms", "site.travel_answered_by",
                "site.worked_around_besides_transport", "site.critical_partners_not_on_board_names",
                "site.services_built_on", "site.services_meeting_needs", "site.commissioner")
"""The only fields an action text may name besides parameters: what the programme calls the people it
serves, the evidence of impact it has to show, the local conditions, kinds of partner and needs of a
core principle that the site lacks or works around, the services a component builds on (and those with
no terms signed yet), the services a decision not to replicate puts the effort into instead (2118),
what the plan relies on to bring people without public transport, and the critical partners a plan
has not won over (where re-opening it starts, 1694), and who commissions the programme (a school's
governing board, 2198), so that an action reads
in the programme's words and names what the site must act on and with whom ("agree terms with the
existing service" left a board to find which, 1291). Each has few values over a batch, so an action is
filled once per rule and set of values, not per finding."""


def placeholders(text: str) -> list[tuple[str, int]]:
    """Each placeholder's field path and its 1-based column in the text."""
    return [(match.group(1), match.start() + 1) for match in PLACEHOLDER.finditer(text)]


def show(value: Value | None) -> str:
    if value is None:
        return NOT_STATED
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, tuple):
        return ", ".join(value) if value else "none"
    return str(value)


MONEY: dict[str, str] = {
    "programme.costs.annual_cost": "programme.costs.currency",
    "programme.costs.setup_cost": "programme.costs.currency",
    "site.funding.annual_budget": "site.funding.currency",
}
"""Amounts of money, and the field that says their currency."""
SHARES = frozenset({"site.funding_coverage", "site.share_of_components_covered", "site.cost_to_budget",
                    "programme.best_comparison_gain"})
"""Fractions a reader expects as percentages ("50% of the run", not "0.5 of the run")."""
SYMBOLS = {"GBP": "£", "EUR": "€", "USD": "$"}


def money(amount: float, currency: str = "GBP") -> str:
    """`£180,000`, `€1,250.50`, `12,000 CHF`: thousands separators, pence only when there are any."""
    text = f"{amount:,.0f}" if float(amount).is_integer() else f"{amount:,.2f}"
    symbol = SYMBOLS.get(currency)
    return f"{symbol}{text}" if symbol else f"{text} {currency}"


def share(fraction: float) -> str:
    return f"{fraction * 100:.0f}%"


TAG = re.compile(r"[a-z0-9]+(?:_[a-z0-9]+)+")
"""A vocabulary tag such as `cross_borough_working`: advice shows it as words."""


_POSSESSIVES = {"childrens": "children's"}
"""Tag words that lost their apostrophe to the tag syntax (666: "childrens services referral route")."""
_COMPOUNDS = {"co located": "co-located", "cross borough": "cross-borough", "quasi experimental": "quasi-experimental",
              "cost benefit": "cost/benefit"}
"""Tag words that lost their hyphen or slash to it (814: "co located services"; 1266: "(quasi
experimental)", "(cost benefit)")."""


def words(tag: str) -> str:
    if not TAG.fullmatch(tag):
        return tag
    text = " ".join(_POSSESSIVES.get(word, word) for word in tag.split("_"))
    for plain, hyphenated in _COMPOUNDS.items():
        text = text.replace(plain, hyphenated)
    return text


def show_field(path: str, values: Mapping[str, Value]) -> str:
    """A field's value as advice shows it, in the unit a reader expects, with tags in a list shown
    as words ("cross borough working"). The facts under a finding keep the tags as written, so a
    reader can still find them in the profile."""
    value = values.get(path)
    if isinstance(value, int | float) and not isinstance(value, bool):
        if path in MONEY:
            currency = values.get(MONEY[path])
            return money(value, currency if isinstance(currency, str) else "GBP")
        if path in SHARES:
            return share(value)
    if isinstance(value, tuple) and value:
        return ", ".join(words(item) if isinstance(item, str) else show(item) for item in value)
    if isinstance(value, str) and path in _choice_fields():
        return _IN_A_SENTENCE.get(path, {}).get(value) or words(value)
    return show(value)


_IN_A_SENTENCE = {"adaptation.decided_by": {
    "programme_developer": "the programme's developer", "local_lead": "the local lead",
    "commissioner": "the commissioner", "partnership_board": "the partnership board", "funder": "the funder",
}}
"""Choices that read as a noun in a sentence only with their article: 'decided by commissioner alone'
(851, 855)."""


@cache
def _choice_fields() -> frozenset[str]:
    """Fields that take one of a fixed set of values (`local_lead`, `partnership_board`), whose
    values advice shows as words; ids and names the user wrote are shown exactly."""
    from .fields import catalogue  # the catalogue is built from the schema: loaded on first use only

    return frozenset(path for path, spec in catalogue().items() if spec.type == "string" and spec.choices)


_PLACEHOLDER_IN_A_SENTENCE = re.compile(
    r"(?:\b(?P<article>[Aa]n?)(?P<space>\s+))?\{(?P<path>" + FIELD_PATH + r")\}(?P<possessive>'s\b)?")
"""A placeholder with the article before it and the possessive after it, which both depend on
the value filled in."""


def possessive(name: str) -> str:
    """`Leeds's` reads as a typo and `the agencies's plan` as a wrong one (163): a name ending in
    "s" takes the apostrophe alone, as plurals must and many style guides allow for names."""
    return f"{name}'" if name.endswith(("s", "S")) else f"{name}'s"


def article(written: str, following: str) -> str:
    """"a older person" (1044): the article a text wrote before a placeholder, made to agree with
    the value filled in. Words starting "u" or "h" ("a user", "an hour") and numbers are spelled by
    sound, which no letter tells: there the text's own choice stands."""
    first = following[:1].lower()
    if following.lower().startswith("one") or (first.isalpha() and first not in "aeiouh"):
        return written[0]
    if first in ("a", "e", "i", "o"):
        return written[0] + "n"
    return written


def fill(text: str, values: Mapping[str, Value]) -> str:
    def one(match: re.Match[str]) -> str:
        shown = show_field(match.group("path"), values)
        before = ""
        if match.group("article"):
            before = article(match.group("article"), shown) + match.group("space")
        return before + (possessive(shown) if match.group("possessive") else shown)

    return _PLACEHOLDER_IN_A_SENTENCE.sub(one, text)
