"""The public API: importable from `replicate` alone, cheap to import, typed for `mypy --strict`,
accepting paths, JSON strings and dicts alike, raising only the project's own errors, and
producing the same JSON as the CLI. Also runs the example in docs/embedding.md."""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
from api_support import PROGRAMME, ROOT, site, write_pack
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from strategies import programme_and_site

import replicate
from replicate.cli import main

HEAVY = ("pydantic", "durable", "durable_rules_engine", "replicate.advisor", "replicate.rules.rulebase", "jinja2")


def _python(code: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=cwd, timeout=300)


def test_import_replicate_loads_no_heavy_module() -> None:
    code = f"import sys, replicate; print([m for m in {HEAVY!r} if m in sys.modules])"
    result = _python(code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_advise_and_schema_commands_import_only_click_at_module_level() -> None:
    """Their heavy imports happen inside the commands, so registering them costs `replicate --help`
    nothing."""
    for name in ("advise.py", "schema_cmd.py"):
        tree = ast.parse((ROOT / "src" / "replicate" / "cli" / name).read_text(encoding="utf-8"))
        imported = set()
        for node in tree.body:
            if isinstance(node, ast.Import):
                imported |= {alias.name for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                imported.add(node.module or "")
        assert imported <= {"__future__", "sys", "collections.abc", "pathlib", "typing", "click"}, (name, imported)


def test_every_public_name_resolves_and_unknown_names_raise_attribute_error() -> None:
    for name in replicate.__all__:
        assert getattr(replicate, name) is not None, name
        assert name in dir(replicate)
    with pytest.raises(AttributeError, match="no_such_name"):
        replicate.no_such_name  # noqa: B018
    assert replicate.Advisor is __import__("replicate.advisor", fromlist=["Advisor"]).Advisor


def test_programme_and_site_load_alike_from_path_json_string_and_dict(tmp_path: Path) -> None:
    text = PROGRAMME.read_text(encoding="utf-8")
    from_path = replicate.load_programme(PROGRAMME)
    assert replicate.load_programme(str(PROGRAMME)) == from_path
    assert replicate.load_programme(text) == from_path
    assert replicate.load_programme(json.loads(text)) == from_path
    document = site("s", setting="rural", leadership={"champions": 0})
    path = tmp_path / "s.json"
    path.write_text(json.dumps(document))
    assert replicate.load_site(document) == replicate.load_site(json.dumps(document)) == replicate.load_site(path)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(programme_and_site())
def test_plans_do_not_depend_on_how_the_documents_were_given(pair: tuple[dict[str, Any], dict[str, Any]]) -> None:
    programme, site_document = pair
    advisor = _reference_advisor()
    from_models = advisor.advise(replicate.load_programme(programme), replicate.load_site(site_document))
    from_dicts = advisor.advise_files(programme, site_document)
    from_strings = advisor.advise_files(json.dumps(programme), json.dumps(site_document))
    assert from_models == from_dicts == from_strings
    assert replicate.AdaptationPlan.model_validate_json(from_models.model_dump_json()) == from_models


_ADVISORS: dict[str, replicate.Advisor] = {}


def _reference_advisor() -> replicate.Advisor:
    """One per test session: creating advisors is the expensive step the API asks callers to share."""
    if "reference" not in _ADVISORS:
        _ADVISORS["reference"] = replicate.Advisor(engine="reference")
    return _ADVISORS["reference"]


def test_plan_json_is_exactly_what_the_cli_writes(durable_advisor: replicate.Advisor) -> None:
    site_path = ROOT / "profiles" / "sites" / "rural-county.json"
    plan = durable_advisor.advise_files(PROGRAMME, site_path)
    result = CliRunner().invoke(main, ["advise", str(site_path), "-p", str(PROGRAMME), "-f", "json"])
    assert result.exit_code == 0, result.output
    assert result.stdout == plan.model_dump_json(indent=2) + "\n" == replicate.render_plan(plan, "json")


INVALID_SITES: dict[str, tuple[dict[str, Any], str]] = {
    "wrong type": ({"id": "x", "name": "X", "leadership": {"champions": "two"}}, "leadership.champions"),
    "unknown field": ({"id": "x", "name": "X", "fundng": {}}, "fundng"),
    "nested list item": ({"id": "x", "name": "X", "partners": [{"id": "p", "name": "P", "type": "spaceship"}]},
                         "partners[0].type"),
}


@pytest.mark.parametrize("case", sorted(INVALID_SITES))
def test_invalid_input_raises_input_error_with_field_path_never_pydantic(case: str) -> None:
    document, location = INVALID_SITES[case]
    for source in (document, json.dumps(document)):
        with pytest.raises(replicate.InputError) as caught:
            replicate.load_site(source)
        error = caught.value
        assert isinstance(error, replicate.ReplicateError)
        assert any(p.location == location for p in error.problems), error.problems
        assert error.__cause__ is None and error.__suppress_context__  # pydantic's error is not chained out
        assert "pydantic" not in str(error).lower()


def test_malformed_json_string_is_located_by_line_and_column() -> None:
    with pytest.raises(replicate.InputError) as caught:
        replicate.load_site('{"id": "x",\n "name": }')
    problem = caught.value.problems[0]
    assert problem.line == 2 and problem.column is not None and "not valid JSON" in problem.message


def test_site_naming_unknown_principle_is_an_input_error_from_advise_and_findings() -> None:
    advisor = _reference_advisor()
    programme = replicate.load_programme(PROGRAMME)
    bad = replicate.load_site(site("x", adaptations=[{"id": "a", "touches": "NOPE", "nature": "remove"}]))
    with pytest.raises(replicate.InputError) as caught:
        advisor.advise(programme, bad)
    assert caught.value.problems[0].location == "adaptations[0].touches"
    with pytest.raises(replicate.InputError) as caught:
        advisor.findings(programme, bad)
    assert caught.value.problems[0].location == "adaptations[0].touches"


def test_broken_rule_pack_is_a_rule_error_with_file_and_line(tmp_path: Path) -> None:
    pack = write_pack(tmp_path / "pack", "rules:\n  - id: TP-X\n    title: x\n    theme: nowhere\n")
    with pytest.raises(replicate.RuleError) as caught:
        replicate.load_rule_base([pack], include_shipped=False)
    assert all(p.source.startswith(str(pack)) for p in caught.value.problems)
    assert any(p.line is not None for p in caught.value.problems)


def test_render_offers_every_cli_format_and_refuses_others() -> None:
    advisor = _reference_advisor()
    plan = advisor.advise_files(PROGRAMME, site("s", setting="rural"))
    for fmt in ("text", "markdown", "json", "html"):
        assert plan.site.name in replicate.render_plan(plan, fmt)
    with pytest.raises(replicate.InputError, match="no such format"):
        replicate.render_plan(plan, "pdf")
    with pytest.raises(replicate.InputError, match="no such document"):
        replicate.json_schema("banana")  # type: ignore[arg-type]


def _mypy(target: Path, cache: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-error-summary", "--cache-dir", str(cache), str(target)],
        capture_output=True, text=True, cwd=target.parent, timeout=600,
    )


def test_consumer_script_passes_mypy_strict(tmp_path: Path) -> None:
    result = _mypy(ROOT / "tests" / "consumer" / "consumer.py", tmp_path / "cache")
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_sees_real_types_through_the_lazy_exports(tmp_path: Path) -> None:
    """If the re-exports degraded to Any, this wrong program would pass; it must not."""
    wrong = tmp_path / "wrong.py"
    wrong.write_text(textwrap.dedent("""\
        from replicate import AdaptationPlan, load_site

        def f(plan: AdaptationPlan) -> int:
            return plan.decision.verdict + 1

        site: int = load_site("{}")
    """))
    result = _mypy(wrong, tmp_path / "cache")
    assert result.returncode == 1
    assert "wrong.py:4" in result.stdout and "wrong.py:6" in result.stdout


def _doc_examples() -> list[str]:
    text = (ROOT / "docs" / "embedding.md").read_text(encoding="utf-8")
    return re.findall(r"```python\n(.*?)```", text, flags=re.DOTALL)


def test_embedding_doc_example_runs() -> None:
    examples = _doc_examples()
    assert examples, "docs/embedding.md lost its python example"
    for example in examples:
        if "what_if(" in example:
            continue  # the what-if example: tests/test_whatif_cli.py runs it
        result = _python(example)
        assert result.returncode == 0, result.stderr
        assert "refused: leadership.champions" in result.stdout
        verdict = result.stdout.split()[0]
        assert verdict in {"go", "go_with_conditions", "information_needed", "not_yet", "do_not_replicate"}
