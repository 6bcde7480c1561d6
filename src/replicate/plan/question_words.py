"""A question in words: what a profile field is, as a site manager reads it, and how to ask for it.
Kept apart from which questions a plan asks (`questions.py`), which is about rules and decisions."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from pydantic import BaseModel

from ..rules.templates import money, words
from ..schema import Programme, SiteProfile
from ..schema.common import models_in


def description_of(path: str, descriptions: dict[str, str]) -> str:
    """What a profile field is, in words: from the field catalogue, or the schema's own description
    (lists of objects, such as funding sources, are not in the catalogue); never a bare path."""
    if path in descriptions:
        return descriptions[path]
    return _schema_description(path)


@lru_cache(maxsize=4096)
def _schema_description(path: str) -> str:
    """The schema's description of a path the catalogue does not hold; the schema never changes
    while the process runs, and a plan asks for the same few paths again and again."""
    head, _, rest = path.partition(".")
    schema: type[BaseModel] | None = SiteProfile if head == "site" else Programme if head == "programme" else None
    names = rest.split(".")
    description = ""
    while schema is not None and names:
        name = names.pop(0)
        field = schema.model_fields.get(name)
        if field is None:
            continue  # an item id inside a list path (site.partners.<id>.consulted)
        description = field.description or description
        schema = next(iter(models_in(field.annotation)), None)
    return description or path.rsplit(".", 1)[-1].replace("_", " ")


def question_text(path: str, descriptions: dict[str, str], subject: str = "", programme: Programme | None = None
                  ) -> str:
    """The question for one field, in words. The local conditions are asked as the programme's own:
    a manager asked about "cross-borough working, public transport..." for a programme that relies
    on an adult treatment service cannot tell which answer matters (499)."""
    if path == "site.conditions" and programme is not None and programme.proven_context.relies_on:
        # A condition a core principle cannot do without is named in the programme's own words and
        # marked, so the manager sees which answer decides (558).
        needed = {need.condition: need.label for principle in programme.principles if principle.kind == "core"
                  for need in principle.needs if need.condition}
        relied_on = in_words([f"{needed[c]} (a core principle needs it)" if c in needed else words(c)
                               for c in programme.proven_context.relies_on])
        return f"Not stated: which of the conditions the programme relied on the area has: {relied_on}."
    description = description_of(path, descriptions).rstrip(".")
    about = f" for {subject}" if subject else ""
    cost = programme.costs.annual_cost if programme is not None else None
    if path == "site.funding.annual_budget" and programme is not None and cost is not None:
        # The figure to answer against: a budget is judged against what the programme costs (605).
        description += f" (the programme costs {money(cost, programme.costs.currency)} a year)"
    return f"Not stated{about}: {description[:1].lower()}{description[1:]}."


def in_words(names: Sequence[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


__all__ = ["description_of", "in_words", "question_text"]
