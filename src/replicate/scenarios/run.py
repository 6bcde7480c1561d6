"""Run a scenario with an advisor and compare the plan with what the guidance expects.

The result keeps each difference as data (for JSON) and as one readable line (for people), so a
council checking a rule-pack change sees exactly which expected advice moved.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..advisor import Advisor
from ..findings import Finding
from ..plan import AdaptationPlan
from .load import Scenario
from .model import FindingMatcher


@dataclass(frozen=True)
class ForbiddenFinding:
    """A finding the scenario said must not appear, with the matcher it fell foul of."""

    matcher: FindingMatcher
    rule_id: str
    subject: str
    subject_id: str

    def __str__(self) -> str:
        where = "the site" if self.subject in ("site", "findings") else f"{self.subject} {self.subject_id}"
        return f"forbidden finding: {self.rule_id} on {where} matches {self.matcher}"


@dataclass(frozen=True)
class ScenarioResult:
    scenario: Scenario
    decision: str
    missing_findings: tuple[FindingMatcher, ...]
    forbidden_findings: tuple[ForbiddenFinding, ...]
    missing_questions: tuple[str, ...]
    forbidden_questions: tuple[str, ...]
    """Each field asked that an expectation's `no_questions` forbids."""
    findings: tuple[str, ...]
    """Every finding of the plan, as RULE-ID or RULE-ID@subject, for the JSON report."""

    @property
    def expected_decision(self) -> str:
        return self.scenario.spec.expect.decision

    @property
    def passed(self) -> bool:
        return (self.decision == self.expected_decision and not self.missing_findings
                and not self.forbidden_findings and not self.missing_questions and not self.forbidden_questions)

    def diff(self) -> list[str]:
        """One line per difference between expected and got; empty when the scenario passes."""
        lines = []
        if self.decision != self.expected_decision:
            lines.append(f"decision: expected {self.expected_decision}, got {self.decision}")
        lines += [f"missing finding: {matcher}" for matcher in self.missing_findings]
        lines += [str(forbidden) for forbidden in self.forbidden_findings]
        lines += [f"missing question: {prefix}" for prefix in self.missing_questions]
        lines += [f"forbidden question: {field}" for field in self.forbidden_questions]
        return lines

    def to_json(self) -> dict[str, Any]:
        return {
            "file": self.scenario.label,
            "name": self.scenario.spec.name,
            "theme": self.scenario.spec.passage.theme,
            "passed": self.passed,
            "expected_decision": self.expected_decision,
            "decision": self.decision,
            "missing_findings": [matcher.given() for matcher in self.missing_findings],
            "forbidden_findings": [
                {"matcher": f.matcher.given(), "rule": f.rule_id, "subject": f.subject, "subject_id": f.subject_id}
                for f in self.forbidden_findings
            ],
            "missing_questions": list(self.missing_questions),
            "forbidden_questions": list(self.forbidden_questions),
            "diff": self.diff(),
            "findings": list(self.findings),
        }


def _asked(prefix: str, fields: Sequence[str]) -> bool:
    """A question prefix is answered by a field equal to it or under it (`site.funding` covers
    `site.funding.months_secured`, not `site.funding_source`)."""
    return any(field == prefix or field.startswith(prefix + ".") for field in fields)


def compare(scenario: Scenario, plan: AdaptationPlan) -> ScenarioResult:
    expect = scenario.spec.expect
    findings: list[Finding] = plan.findings
    fields = [field for question in plan.missing_information for field in question.fields]
    return ScenarioResult(
        scenario=scenario,
        decision=plan.decision.verdict,
        missing_findings=tuple(m for m in expect.findings if not any(m.matches(f) for f in findings)),
        forbidden_findings=tuple(
            ForbiddenFinding(matcher, finding.rule_id, finding.subject, "+".join(finding.subject_ids))
            for matcher in expect.no_findings for finding in findings if matcher.matches(finding)
        ),
        missing_questions=tuple(prefix for prefix in expect.questions if not _asked(prefix, fields)),
        forbidden_questions=tuple(dict.fromkeys(field for field in fields for prefix in expect.no_questions
                                                if _asked(prefix, [field]))),
        findings=tuple(finding.ref for finding in findings),
    )


def run_scenario(scenario: Scenario, advisor: Advisor) -> ScenarioResult:
    return compare(scenario, advisor.advise(scenario.programme, scenario.site))


def summary_line(results: Sequence[ScenarioResult]) -> str:
    passed = sum(1 for result in results if result.passed)
    return f"{passed} passed, {len(results) - passed} failed"
