"""`replicate schema programme|site|plan`: valid JSON Schemas that the shipped examples and the
engine's own plans satisfy, and that refuse what the loader refuses."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from api_support import PROFILES, PROGRAMME
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator
from strategies import programme_and_site

from replicate.cli import main


def schema(document: str) -> dict[str, Any]:
    result = CliRunner().invoke(main, ["schema", document])
    assert result.exit_code == 0, result.output
    loaded: dict[str, Any] = json.loads(result.stdout)
    Draft202012Validator.check_schema(loaded)
    return loaded


def validator(document: str) -> Draft202012Validator:
    return Draft202012Validator(schema(document))


def test_each_schema_is_a_valid_draft_2020_12_schema_of_an_object() -> None:
    for document in ("programme", "site", "plan"):
        loaded = schema(document)
        assert loaded["$schema"].endswith("2020-12/schema") and loaded["type"] == "object"


def test_shipped_programmes_sites_and_batch_lines_validate() -> None:
    programmes, sites = validator("programme"), validator("site")
    programme_files = sorted((PROFILES / "programmes").glob("*.json"))
    site_files = sorted((PROFILES / "sites").glob("*.json"))
    assert programme_files and site_files
    for path in programme_files:
        assert not list(programmes.iter_errors(json.loads(path.read_text(encoding="utf-8")))), path
    for path in site_files:
        assert not list(sites.iter_errors(json.loads(path.read_text(encoding="utf-8")))), path
    lines = [line for path in sorted((PROFILES / "batch").glob("*.jsonl"))
             for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert lines
    for line in lines:
        assert not list(sites.iter_errors(json.loads(line))), line[:80]


def test_plans_the_cli_writes_validate_against_the_plan_schema(tmp_path: Path) -> None:
    plans = validator("plan")
    site = PROFILES / "sites" / "rural-county.json"
    result = CliRunner().invoke(main, ["advise", str(site), "-p", str(PROGRAMME), "-f", "json"])
    assert result.exit_code in (0, 1), result.output
    assert not list(plans.iter_errors(json.loads(result.stdout)))
    batch = CliRunner().invoke(main, ["advise", str(PROFILES / "batch"), "-p", str(PROGRAMME), "-f", "json"])
    documents = json.loads(batch.stdout)["plans"]
    assert documents
    for document in documents:
        assert not list(plans.iter_errors(document))


def test_schema_refuses_what_the_loader_refuses() -> None:
    sites = validator("site")
    assert list(sites.iter_errors({"id": "x", "name": "X", "fundng": {}}))  # unknown field
    assert list(sites.iter_errors({"id": "x", "name": "X", "leadership": {"champions": "two"}}))
    assert list(sites.iter_errors({"name": "X"}))  # id is required


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(programme_and_site(), st.sampled_from(["colour", "fundng", "partner"]))
def test_every_valid_generated_document_passes_and_an_unknown_key_fails(
    pair: tuple[dict[str, Any], dict[str, Any]], extra: str
) -> None:
    programme, site = pair
    assert not list(_VALIDATORS["programme"].iter_errors(programme))
    assert not list(_VALIDATORS["site"].iter_errors(site))
    assert list(_VALIDATORS["site"].iter_errors({**site, extra: 1}))


_VALIDATORS = {"programme": validator("programme"), "site": validator("site")}


def test_unknown_document_is_a_usage_error() -> None:
    result = CliRunner().invoke(main, ["schema", "banana"])
    assert result.exit_code == 2 and "banana" in result.output
