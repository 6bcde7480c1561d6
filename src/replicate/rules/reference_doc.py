"""Write `docs/rule-reference.md`: every key, operator, field and error message a rule author meets.

Generated from the schema, the field catalogue, the grammar's own tables and the loader itself (the
error messages are produced by loading deliberately broken rules), so it cannot go stale; a test
checks the committed file is what this module writes.

    python -m replicate.rules.reference_doc docs/rule-reference.md
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, get_args

from ..conditions.nodes import COMPARISONS, KEYWORDS
from ..doc_args import doc_paths
from ..facts import SUBJECTS
from ..guidance import THEME_TITLES, THEMES
from ..output import write_atomic
from .fields import catalogue, namespaces_for
from .loader import load_rule_text
from .model import (
    BASIS_KINDS,
    CATEGORIES,
    PHASES,
    SEVERITIES,
    ComponentEffect,
    DecisionEffect,
    ParameterSpec,
    PrincipleEffect,
    RuleSpec,
)
from .parameters import PARAMETER_FILE, PARAMETER_SUFFIX
from .table_cells import HIT_POLICIES, OUTPUTS

OPERATORS: list[tuple[str, str, str]] = [
    ("==", "equals", 'site.setting == "rural"'),
    ("!=", "differs from (false when the field is not stated)", 'site.setting != "urban"'),
    ("<", "less than (numbers)", "site.funding_coverage < param.funding_coverage_half"),
    ("<=", "at most (numbers)", "site.leadership.champions <= 1"),
    (">", "more than (numbers)", "site.partner_count > 1"),
    (">=", "at least (numbers)", "findings.core_principles_at_risk >= param.core_principles_at_risk_diluted"),
    ("in", "is one of a list of values, or is an item of a list field",
     '"probation" in site.missing_partner_types'),
    ("not in", "the opposite of `in`", 'site.setting not in ["urban", "mixed"]'),
    ("is missing", "the profile does not say", "site.leadership.champions is missing"),
    ("is known", "the profile says (anything)", "site.funding.months_secured is known"),
    ("and", "both must be true", "partner.critical and partner.regular_meetings == false"),
    ("or", "at least one must be true", 'site.setting == "rural" or site.climate.funding_outlook == "declining"'),
    ("not", "the opposite", "not site.funding.financial_plan"),
    ("( )", "group tests", "partner.critical and (partner.consulted == false or partner.regular_meetings == false)"),
    ("true / false", "yes / no values; a yes/no field on its own means `== true`", "partner.critical"),
]
"""Every operator of the grammar, with its meaning in plain words and an example."""

_GOOD = """\
rules:
  - id: RS-EXAMPLE
    title: Example
    theme: resources
    category: funding_gap
    severity: medium
    when: site.funding_coverage < param.funding_coverage_half
    advice: "Half the run is funded."
    factors: [RS10]
    source: {theme: resources, quote: "early financial planning is essential"}
    basis: {kind: local_default, rationale: "The guidance draws no line on how much of the run must be funded."}
"""

ERROR_CASES: list[tuple[str, str, str, str]] = [
    ("a misspelt field", "site.funding_coverage <", "site.funding_coverag <",
     "The field does not exist; the nearest real field is suggested. See the field lists below."),
    ("a field of another subject", "site.funding_coverage < param.funding_coverage_half", "partner.critical",
     "The field belongs to rules written `for_each` that subject."),
    ("`=` for `==`", "site.funding_coverage < param.funding_coverage_half", "site.setting = \"rural\"",
     "Compare with `==`."),
    ("`=>` for `>=`", "site.funding_coverage <", "site.funding_coverage =>", "Write `>=` and `<=`."),
    ("`&&` for `and`", "site.funding_coverage < param.funding_coverage_half",
     "site.funding_coverage < param.funding_coverage_half && site.partner_count > 1",
     "Join tests with the words `and`, `or`, `not`."),
    ("`is None`", "site.funding_coverage < param.funding_coverage_half", "site.funding_coverage is None",
     "Unknown values are tested with `is missing` or `is known`."),
    ("a value the field cannot take", "site.funding_coverage < param.funding_coverage_half", 'site.setting == "rurl"',
     "The field takes only the listed values."),
    ("text compared as a number", "site.funding_coverage < param.funding_coverage_half", "site.setting > 1",
     "`<`, `>`, `<=`, `>=` compare numbers only."),
    ("a call", "site.funding_coverage < param.funding_coverage_half", "len(site.missing_conditions) > 1",
     "Conditions cannot call functions; ask for a derived field (a count) instead."),
    ("a bare number", "param.funding_coverage_half", "0.5",
     "Numbers other than 0 and 1 are named parameters, defined once with their basis (see above)."),
    ("an unknown parameter", "param.funding_coverage_half", "param.funding_coverage_halve",
     "The parameter is not defined in the shipped base or in your pack's `parameters.yaml`."),
    ("a condition that can never be true", "site.funding_coverage < param.funding_coverage_half",
     "site.funding_coverage < param.funding_coverage_half and site.funding_coverage > 1",
     "No profile could make the rule fire: two tests contradict each other."),
    ("a condition that is always true", "site.funding_coverage < param.funding_coverage_half",
     "site.funding_coverage < param.funding_coverage_half or site.funding_coverage >= param.funding_coverage_half",
     "The rule would fire for every site that answers; it tests nothing."),
    ("a misspelt theme", "theme: resources\n    category", "theme: resorces\n    category",
     "Themes are the guidance's seven themes, listed below."),
    ("a misspelt key", "    advice:", "    advise:", "Rule keys are listed below."),
    ("no source", '    source: {theme: resources, quote: "early financial planning is essential"}\n', "",
     "Every rule cites the guidance passage it rests on."),
    ("a basis without its reason", '{kind: local_default, rationale: "The guidance draws no line on how much of '
     'the run must be funded."}', "{kind: local_default}",
     "An interpretation or a local default says in one line why (`rationale`)."),
    ("an unknown factor", "factors: [RS10]", "factors: [RS99]", "Factor ids are the guidance's factors."),
    ("a placeholder naming no field", '"Half the run is funded."', '"Only {site.funding_coverag} is funded."',
     "Placeholders in advice must name a field, in braces."),
    ("a tag that builds objects", "title: Example", "title: !!python/object/apply:os.system ['ls']",
     "Rule files are plain data; tags that would build objects are refused."),
]
"""Broken rules whose real error messages go into the reference, so the table cannot go stale."""


def _literal_choices(annotation: Any) -> str:
    return ", ".join(f"`{a}`" for a in get_args(annotation))


def _error_rows() -> list[str]:
    rows = ["| mistake | what `replicate rules check` says | what it means |", "|---|---|---|"]
    for label, old, new, meaning in ERROR_CASES:
        if old not in _GOOD:
            raise RuntimeError(f"error case {label!r} no longer applies to the example rule")
        problems = load_rule_text(_GOOD.replace(old, new, 1), "rules/example.yaml").problems
        if not problems:
            raise RuntimeError(f"error case {label!r} no longer produces an error")
        shown = next((p for p in problems if "did you mean" in p.message), problems[0])
        message = str(shown).replace("|", "\\|")
        rows.append(f"| {label} | `{message}` | {meaning} |")
    return rows


def render_reference() -> str:
    """The whole reference page as Markdown."""
    lines = [
        "# Rule reference",
        "",
        "<!-- Generated by `python -m replicate.rules.reference_doc docs/rule-reference.md`; do not edit."
        " A test fails when it is out of date. -->",
        "",
        "The guide to writing rules is [writing-rules.md](writing-rules.md). This page lists everything a rule "
        "can say.",
        "",
        "## Keys of a rule",
        "",
        "| key | required | what it is |",
        "|---|---|---|",
    ]
    for name, info in RuleSpec.model_fields.items():
        described = info.description or {
            "id": "Capital letters, digits and dashes, such as `RS-FUNDING-GAP`; unique in the rule base.",
            "title": "A one-line title in plain words.",
            "theme": f"The guidance theme: {', '.join(f'`{t}`' for t in THEMES)}.",
            "category": f"The kind of finding: {', '.join(f'`{c}`' for c in CATEGORIES)}.",
            "severity": f"How much it matters: {', '.join(f'`{s}`' for s in SEVERITIES)}.",
            "for_each": f"What the rule is about, tested one at a time: {', '.join(f'`{s}`' for s in SUBJECTS)}.",
            "when": "The condition (see the operators below).",
            "advice": "What the finding says, with `{field.path}` placeholders filled from the profile.",
            "action": f"`do`, `done_when` (how anyone can tell it is done), `phase` "
                      f"({', '.join(f'`{p}`' for p in PHASES)}) and `owner` of the action to take; "
                      "`recordable: true` where its done-when is a record no profile field holds, so that a "
                      "site lists the rule under `actions_done` once it is done.",
            "effect": f"`principle` ({_literal_choices(PrincipleEffect)}), `component` "
                      f"({_literal_choices(ComponentEffect)}), `decision` ({_literal_choices(DecisionEffect)}).",
            "factors": "Ids of the guidance factors the rule encodes, such as `[RS10]`.",
            "source": "`theme` and a short `quote` of the guidance passage the rule rests on.",
            "examples": "Tests: each has `fires: true` or `false` and `given:` field values; `name` is optional.",
            "enabled": "`false` switches the rule off.",
        }.get(name, "")
        lines.append(f"| `{name}` | {'yes' if info.is_required() else 'no'} | {described} |")
    lines += [
        "",
        "A rule file on its own loads without `basis`, but a rule base (the shipped rules and every pack) "
        f"refuses a rule that does not state it ({', '.join(f'`{k}`' for k in BASIS_KINDS)}; a `rationale` "
        "unless the kind is `guidance`), and an action without `done_when`.",
        "",
        "## Named parameters",
        "",
        "A number in a condition other than 0 and 1 is a named parameter: write `param.NAME` (for example "
        "`site.funding_coverage < param.funding_coverage_half`) and define it once, with its basis, in a "
        f"`{PARAMETER_FILE}` (or a file ending in `{PARAMETER_SUFFIX}`, such as `buy_in{PARAMETER_SUFFIX}`) in the "
        "rule folder:",
        "",
        "```yaml",
        "parameters:",
        "  - name: funding_coverage_half",
        "    value: 0.5",
        "    unit: share of the programme's run funded",
        "    basis: local_default",
        '    reason: "Why this value: the passage it reads, or why a local line was drawn here."',
        "```",
        "",
        f"Keys: {', '.join(f'`{k}`' for k in ParameterSpec.model_fields)}; `basis` is one of "
        f"{', '.join(f'`{k}`' for k in BASIS_KINDS)}. Advice and action texts may show a value as "
        "`{param.NAME}`. A pack that defines a parameter of the same name as a shipped one changes it for "
        "every rule that uses it (a later pack's value wins), and each plan lists the values it used. The "
        "shipped parameters are in the `parameters.yaml` and `*.parameters.yaml` files of `rules/`.",
        "",
    ]
    lines += ["## Themes", "", *(f"- `{t}`: {THEME_TITLES[t]}" for t in THEMES), ""]
    lines += ["## Operators", "", "| operator | meaning | example |", "|---|---|---|"]
    written = {op for op, _, _ in OPERATORS}
    missing = [w for w in (*COMPARISONS, *KEYWORDS) if not any(w in op.split() or w == op for op in written)]
    if missing:
        raise RuntimeError(f"operators not documented: {missing}")
    lines += [f"| `{op}` | {meaning} | `{example}` |" for op, meaning, example in OPERATORS]
    lines += [
        "",
        "A test of a field the profile does not state is *unknown*, neither true nor false; `not` of unknown is "
        "unknown, and a rule fires only when its whole condition is true. Use `is missing` to ask about "
        "information the profile lacks.",
        "",
        "## Decision tables",
        "",
        f"Table keys: {', '.join(f'`{k}`' for k in ('id', 'hit', 'columns', 'rows', 'examples'))}, plus any rule "
        "key used as the default for every row.",
        f"Hit policies: {', '.join(f'`{h}`' for h in HIT_POLICIES)}.",
        f"Output columns: {', '.join(f'`{o}`' for o in OUTPUTS)}.",
        "",
        "## Fields",
        "",
    ]
    fields = catalogue()
    for subject in SUBJECTS:
        visible = namespaces_for(subject)
        lines.append(f"- rules `for_each: {subject}` can use the fields of: {', '.join(visible)}")
    for namespace in dict.fromkeys(spec.namespace for spec in fields.values()):
        lines += ["", f"### {namespace}", "", "| field | type | values | meaning |", "|---|---|---|---|"]
        for spec in fields.values():
            if spec.namespace != namespace:
                continue
            values = ", ".join(f"`{c}`" for c in spec.choices)
            kind = spec.type + (" (worked out)" if spec.derived else "")
            description = spec.description.replace("|", "\\|")
            lines.append(f"| `{spec.path}` | {kind} | {values} | {description} |")
    lines += ["", "## Error messages", "", *_error_rows(), ""]
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    paths = doc_paths(argv, "python -m replicate.rules.reference_doc OUTPUT.md", count=1)
    if isinstance(paths, int):
        return paths
    write_atomic(Path(paths[0]), render_reference())
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
