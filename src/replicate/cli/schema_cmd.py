"""`replicate schema programme|site|plan|whatif`: print the JSON Schema of a document.

Forms and other tools can validate a programme or a site profile before calling the engine, and
read a plan with a schema in hand. The schemas are generated from the same models that validate
input and build the plan, so they cannot drift from what the engine accepts and writes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

import click

if TYPE_CHECKING:
    from ..api import SchemaDocument

DOCUMENTS = ("programme", "site", "plan", "whatif")


@click.command()
@click.argument("document", type=click.Choice(DOCUMENTS))
def schema(document: str) -> None:
    """Print the JSON Schema (draft 2020-12) of a programme, a site profile, a plan or a what-if answer."""
    import json

    from ..api import json_schema

    click.echo(json.dumps(json_schema(cast("SchemaDocument", document)), indent=2, ensure_ascii=False))
