"""`replicate schema programme|site|plan|whatif`: print the JSON Schema of a document.

Forms and other tools can validate a programme or a site profile before calling the engine, and
read a plan with a schema in hand. The schemas are generated from the same models that validate
input and build the plan, so they cannot drift from what the engine accepts and writes.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, cast

import click

if TYPE_CHECKING:
    from ..api import SchemaDocument

DOCUMENTS = ("programme", "site", "plan", "whatif")


@click.command()
@click.argument("document", type=click.Choice(DOCUMENTS))
@click.option("--rules", "packs", multiple=True, type=click.Path(path_type=Path, file_okay=False),
              help="A rule pack whose tag vocabulary to add to the enums (repeatable).")
def schema(document: str, packs: tuple[Path, ...]) -> None:
    """Print the JSON Schema (draft 2020-12) of a programme, a site profile, a plan or a
    what-if answer. Tag fields
    list the tag vocabulary as enums, with each tag's meaning."""
    import json

    from ..api import json_schema
    from ..rules.rulebase import pack_vocabulary

    vocabulary = pack_vocabulary(packs)
    click.echo(json.dumps(json_schema(cast("SchemaDocument", document), vocabulary), indent=2, ensure_ascii=False))
