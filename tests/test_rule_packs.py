"""Rule packs: `--rules DIR` adds local rules; a pack can disable or override shipped rules by id,
and every plan records the packs and versions it used."""

from __future__ import annotations

from pathlib import Path

import pytest

from replicate.advisor import Advisor
from replicate.errors import RuleError
from replicate.rules.rulebase import collect_rule_base, load_rule_base

ROOT = Path(__file__).resolve().parent.parent
PROGRAMME = ROOT / "profiles" / "programmes" / "cafe-families-of-offenders.json"
SITE = ROOT / "profiles" / "sites" / "rural-county.json"
SHIPPED_ID = "RS-FUNDING-TABLE-2"

RULE = """\
rules:
  - id: {id}
    title: Local rule
    theme: resources
    category: funding_gap
    severity: {severity}
    when: site.funding_coverage < param.local_funding_share
    advice: "Local advice."
    factors: [RS10]
    source: {{theme: resources, quote: "early financial planning is essential"}}
    basis: {{kind: local_default, rationale: "A local line: this council wants most of the run funded."}}
"""
PARAMETERS = """\
parameters:
  - name: local_funding_share
    value: 0.6
    unit: share of the programme's run funded
    basis: local_default
    reason: "This council wants most of the run funded before it starts."
"""


def pack(tmp_path: Path, name: str, manifest: str | None, rule: str | None) -> Path:
    folder = tmp_path / name
    folder.mkdir()
    if manifest is not None:
        (folder / "pack.yaml").write_text(manifest, encoding="utf-8")
    if rule is not None:
        (folder / "local.yaml").write_text(rule, encoding="utf-8")
        (folder / "parameters.yaml").write_text(PARAMETERS, encoding="utf-8")
    return folder


def test_pack_adds_rules_and_is_recorded_in_the_plan(tmp_path: Path) -> None:
    folder = pack(tmp_path, "camden", "name: camden-local\nversion: '2024.1'\n",
                  RULE.format(id="CAM-FUNDING", severity="high"))
    advisor = Advisor.from_packs([folder], engine="reference")
    plan = advisor.advise_files(PROGRAMME, SITE)
    refs = {(p.name, p.version): p.rules for p in plan.rule_packs}
    assert refs[("camden-local", "2024.1")] == 1
    assert any(name == "shipped" for name, _ in refs)
    assert "CAM-FUNDING" in {f.rule_id for f in plan.findings}


def test_pack_disables_a_shipped_rule(tmp_path: Path) -> None:
    """Even one that other shipped rules absorb (RS-REST-OF-RUN-UNCERTAIN supersedes this row):
    a council switching a rule off need not touch the rules above it."""
    folder = pack(tmp_path, "quiet", f"name: quiet\ndisable: [{SHIPPED_ID}]\n", None)
    assert any(SHIPPED_ID in rule.spec.supersedes for rule in load_rule_base().rules)
    assert SHIPPED_ID in load_rule_base().by_id()
    assert SHIPPED_ID not in load_rule_base([folder]).by_id()


def test_pack_overrides_a_shipped_rule_only_when_it_says_so(tmp_path: Path) -> None:
    rule_id = "RS-FUNDING-TABLE-1"  # absorbed by no other rule, so any severity is consistent
    without = pack(tmp_path, "a", "name: a\n", RULE.format(id=rule_id, severity="high"))
    with pytest.raises(RuleError) as raised:
        load_rule_base([without])
    assert "duplicate rule id" in str(raised.value) and "override" in str(raised.value)
    with_override = pack(tmp_path, "b", f"name: b\noverride: [{rule_id}]\n",
                         RULE.format(id=rule_id, severity="high"))
    rule = load_rule_base([with_override]).by_id()[rule_id]
    assert (rule.pack, rule.spec.severity) == ("b", "high")


def test_an_override_heavier_than_the_rule_absorbing_it_is_refused(tmp_path: Path) -> None:
    """A high override of a row that a medium rule absorbs would be hidden under the medium one:
    the pack is told which shipped rule stands over it."""
    heavier = pack(tmp_path, "c", f"name: c\noverride: [{SHIPPED_ID}]\n", RULE.format(id=SHIPPED_ID, severity="high"))
    with pytest.raises(RuleError) as raised:
        load_rule_base([heavier])
    assert f"supersedes {SHIPPED_ID} (high) but is only medium" in str(raised.value)


@pytest.mark.parametrize(
    ("manifest", "expected"),
    [
        ("name: x\ndisable: [RS-FUNDING-TABLE-9]\n", "disables 'RS-FUNDING-TABLE-9', which no earlier pack defines"),
        ("name: x\noverride: [NOPE-X]\n", "overrides 'NOPE-X' but defines no such rule"),
        ("name: x\ndisables: [RS-FUNDING-TABLE-2]\n", "unknown key 'disables' (did you mean 'disable'?)"),
        ("name: shipped\n", "another pack is already named 'shipped'"),
        ("name: x\ndisable: RS-FUNDING-TABLE-2\n", "'disable' must be a list of rule ids"),
    ],
)
def test_manifest_mistakes_are_reported(tmp_path: Path, manifest: str, expected: str) -> None:
    folder = pack(tmp_path, "p", manifest, None)
    _, problems = collect_rule_base([folder])
    assert any(expected in str(p) for p in problems), [str(p) for p in problems]


def test_missing_pack_folder_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(RuleError, match="no such rule folder"):
        load_rule_base([tmp_path / "absent"])


def test_manifest_is_not_read_as_a_rule_file(tmp_path: Path) -> None:
    folder = pack(tmp_path, "p", "name: p\nversion: 1\n", RULE.format(id="P-ONE", severity="low"))
    base = load_rule_base([folder])
    assert base.rule_count("p") == 1
    assert [p.version for p in base.packs if p.name == "p"] == ["1"]
