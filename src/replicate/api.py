"""Small helpers for embedders that the pipeline's own modules do not already offer: the JSON
Schema of each document, and rendering a plan by format name.

They live apart from the advisor so that forms and validators can ask for a schema without
loading the rule engine.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal, get_args

from .errors import InputError, Problem

if TYPE_CHECKING:
    from .plan.model import AdaptationPlan
    from .schema.vocabulary import Vocabulary

SchemaDocument = Literal["programme", "site", "plan", "whatif"]
SCHEMA_DOCUMENTS: tuple[SchemaDocument, ...] = get_args(SchemaDocument)

JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def json_schema(document: SchemaDocument, vocabulary: Vocabulary | None = None) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a programme, a site profile, an adaptation plan or a
    what-if answer.

    Inputs are described as the validator accepts them (strict types, unknown fields refused);
    the plan as `replicate advise --format json` writes it. Cross-references between documents
    (a site's adaptation touching a principle the programme has) cannot be said in JSON Schema, so
    a document that passes the schema may still be refused by `load_site` with a field path.
    Tag fields list the tag vocabulary (`vocabulary`, or the shipped one) as enums, each tag's
    meaning in the description, so that editors complete them.
    """
    from .schema.vocabulary import with_tag_enums

    if document == "programme":
        from .schema import Programme

        schema = with_tag_enums(Programme.model_json_schema(mode="validation"), vocabulary)
    elif document == "site":
        from .schema import SiteProfile

        schema = with_tag_enums(SiteProfile.model_json_schema(mode="validation"), vocabulary)
    elif document == "plan":
        from .plan.model import AdaptationPlan

        schema = AdaptationPlan.model_json_schema(mode="serialization")
    elif document == "whatif":
        from .whatif.model import WhatIf

        schema = WhatIf.model_json_schema(mode="serialization")
    else:
        raise InputError([Problem("schema", message=f"no such document {document!r}; "
                                  f"choose one of {', '.join(SCHEMA_DOCUMENTS)}")])
    return {"$schema": JSON_SCHEMA_DIALECT, **schema}


def render_plan(plan: AdaptationPlan, output_format: str) -> str:
    """Render an `AdaptationPlan` as text, markdown, json or html (the CLI's formats)."""
    from .render import RENDERERS

    renderer = RENDERERS.get(output_format)
    if renderer is None:
        raise InputError([Problem("format", message=f"no such format {output_format!r}; "
                                  f"choose one of {', '.join(sorted(RENDERERS))}")])
    return renderer(plan)
