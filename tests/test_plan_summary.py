"""The one-page summary of every shipped example: what a programme manager reads first.

Golden files (tests/golden/SITE.txt) hold the summary each example gets; they were reviewed by
reading them, and a change to the rules, the decision or the wording shows up here as a diff to
read again. Regenerate with REPLICATE_UPDATE_GOLDEN=1 after reading the new text.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from pathlib import Path

import pytest
from conftest import EXAMPLE_SITES, PROFILES

from replicate.advisor import Advisor
from replicate.loading import load_programme, load_site
from replicate.render.text import SUMMARY_LINES, WIDTH, render_text

GOLDEN = Path(__file__).resolve().parent / "golden"
PAIRS = EXAMPLE_SITES


def _summary(advisor: Advisor, site: str) -> str:
    plan = advisor.advise_files(PROFILES / "programmes" / f"{PAIRS[site]}.json", PROFILES / "sites" / f"{site}.json")
    return render_text(plan)


def _sentences(text: str) -> list[str]:
    """Sentences of running text (wrapped lines joined; list numbers and headings dropped)."""
    body = " ".join(line.strip() for line in text.splitlines() if line.strip() and not line.isupper()
                    and not set(line.strip()) <= {"=", "-"})
    body = re.sub(r"(^| )(\d+\.|-) ", " ", body)
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+(?=[A-Z])", body) if len(s.split()) >= 3]


@pytest.mark.parametrize("site", sorted(PAIRS))
def test_the_summary_is_the_reviewed_one(durable_advisor: Advisor, site: str) -> None:
    text = _summary(durable_advisor, site)
    golden = GOLDEN / f"{site}.txt"
    if os.environ.get("REPLICATE_UPDATE_GOLDEN") == "1":
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")


@pytest.mark.parametrize("site", sorted(PAIRS))
def test_the_summary_fits_a_page_and_never_breaks_an_id(durable_advisor: Advisor, site: str) -> None:
    lines = _summary(durable_advisor, site).splitlines()
    assert len(lines) <= SUMMARY_LINES
    assert all(len(line) <= WIDTH for line in lines)
    assert not any(re.search(r"[A-Z]{2}-$", line.rstrip()) for line in lines), "a rule id broken at a hyphen"


@pytest.mark.parametrize("site", sorted(PAIRS))
def test_the_summary_repeats_no_sentence(durable_advisor: Advisor, site: str) -> None:
    repeated = [s for s, n in Counter(_sentences(_summary(durable_advisor, site))).items() if n > 1]
    assert repeated == []


def test_a_repeated_sentence_would_be_caught() -> None:
    text = "DECISION: GO\n  One thing to do now. Another thing.\n  1. One thing to do now.\n"
    assert Counter(_sentences(text))["One thing to do now."] == 2


@pytest.mark.parametrize("site", sorted(PAIRS))
def test_the_summary_speaks_as_a_manager_would(durable_advisor: Advisor, site: str) -> None:
    text = _summary(durable_advisor, site)
    summary = text.split("Details (")[0]
    assert not re.search(r"\b1 (risks|strengths|conditions|questions|actions)\b", summary)
    assert not re.search(r"\bsite\.[a-z_.]+", summary), "field paths belong in the details and JSON"
    assert not re.search(r"\b0\.\d+ of the\b", text), "shares are percentages"
    assert not re.search(r"costs \d{4,}", text), "money has its currency and separators"


def _readme_transcripts() -> list[tuple[str, list[str]]]:
    """Each `$ replicate ...` shown in a README text block, with the lines shown under it."""
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    found = []
    for block in re.findall(r"```text\n(.*?)```", readme, re.S):
        lines = block.splitlines()
        if lines and lines[0].startswith("$ replicate "):
            found.append((lines[0][2:], lines[1:]))
    return found


@pytest.mark.parametrize(("command", "shown"), _readme_transcripts(), ids=lambda v: v if isinstance(v, str) else "")
def test_the_readme_shows_real_output(command: str, shown: list[str]) -> None:
    """The README's transcripts are trimmed (with `...`), never invented: every line it shows is a
    line the command prints, in the same order."""
    import shlex

    from click.testing import CliRunner

    from replicate.cli import main

    root = Path(__file__).resolve().parent.parent
    old = Path.cwd()
    os.chdir(root)
    try:
        result = CliRunner().invoke(main, shlex.split(command)[1:])
    finally:
        os.chdir(old)
    assert result.exit_code == 0, result.output
    printed = result.output.splitlines()
    position = 0
    for line in shown:
        if line.strip() == "...":
            continue
        assert line in printed[position:], f"not printed (in this order): {line!r}"
        position = printed.index(line, position) + 1


def test_the_readme_shows_a_summary_and_a_whatif() -> None:
    commands = [command for command, _ in _readme_transcripts()]
    assert any(c.startswith("replicate advise ") for c in commands)
    assert any(c.startswith("replicate whatif ") for c in commands)


@pytest.mark.parametrize("current", ["go", "go_with_conditions", "information_needed", "not_yet", "do_not_replicate"])
@pytest.mark.parametrize("to", ["go", "go_with_conditions", "information_needed", "not_yet", "do_not_replicate"])
def test_a_question_that_could_lift_the_decision_says_it_needs_the_rest_of_the_answers(current: str, to: str) -> None:
    """Only giving all the missing decisive information can lift "information needed"; one answer
    shown as the way to a "go" would mislead a board. A worse outcome one answer can bring alone, and
    so can a better one elsewhere (a finding it brings absorbs a risk already found)."""
    from replicate.plan.model import VERDICT_ORDER, Question
    from replicate.render.labels import VERDICT_SHORT
    from replicate.render.question_labels import decision_move, decision_move_cell

    question = Question(field="site.funding.months_secured", fields=["site.funding.months_secured"],
                        question="Not stated: months.", needed_by=[],
                        answer_by="site", could_change_to=to)  # type: ignore[arg-type]
    move = decision_move(question, current)  # type: ignore[arg-type]
    lifts = current == "information_needed" and VERDICT_ORDER.index(to) < VERDICT_ORDER.index(current)
    # A lift is the best an answer can do, and says so: a bad answer would not lift it (977, 980, 986).
    assert move.endswith(f"the best the decision could become: {VERDICT_SHORT[to]}" if lifts
                         else f"could change the decision to: {VERDICT_SHORT[to]}")
    assert move.startswith("once all the missing information is given") == lifts
    assert decision_move(question.model_copy(update={"could_change_to": None}), current) == ""  # type: ignore[arg-type]
    cell = decision_move_cell(question, current)  # type: ignore[arg-type]
    assert cell.startswith(VERDICT_SHORT[to])
    assert cell.endswith("once the missing information is given") == move.startswith("once")
    assert decision_move_cell(question.model_copy(update={"could_change_to": None}), current) == ""  # type: ignore[arg-type]
    # A question that leaves the decision but could add a condition says so in every format (1319).
    adding = question.model_copy(update={"could_change_to": None, "adds_condition": True})
    assert "could add a condition" in decision_move(adding, current)  # type: ignore[arg-type]
    assert "could add a condition" in decision_move_cell(adding, current)  # type: ignore[arg-type]


def test_the_to_do_heading_says_where_the_steps_before_launch_end(durable_advisor: Advisor) -> None:
    """Over every shipped scenario, the first page's list is headed by what its items are: a step
    the plan puts in the first six months is never filed under "the rest to do before launch", an
    ongoing step never under "the first actions" (677), and where both follow the conditions the
    heading gives each its item numbers."""
    from replicate.render.text import to_do
    from replicate.scenarios import load_scenario, scenario_files

    mixed = 0
    for path in scenario_files([Path(__file__).parent / "scenarios"]):
        scenario = load_scenario(path)
        plan = durable_advisor.advise(scenario.programme, scenario.site)
        if plan.decision.verdict == "do_not_replicate":
            continue
        first = plan.decision.conditions or plan.decision.groundwork
        said = {c.do for c in first}
        title, items = to_do(plan)
        rest = [a for a in plan.actions if a.do not in said][:len(items) - len(first)]
        phases = [a.phase for a in rest]
        if "the rest to do before launch" in title:
            assert set(phases) == {"before_launch"}, path.name
        after = [phase for phase in phases if phase != "before_launch"]
        later = "first actions" if "ongoing" not in after else "actions after launch"
        if ("first actions" in title or "actions after launch" in title) and "then before launch (" not in title:
            assert "before_launch" not in phases, path.name
            assert later in title, (path.name, title)
        if "then before launch (" in title:
            mixed += 1
            before = phases.count("before_launch")
            assert 0 < before < len(phases) and phases == sorted(phases, key=lambda p: p != "before_launch")
            last = len(first) + before
            # "actions after launch" is "after launch" where the heading would not fit the page.
            assert f"{later} ({last + 1}" in title or (
                later == "actions after launch" and f"and after launch ({last + 1}" in title), (path.name, title)
        assert len(title) <= WIDTH
    assert mixed, "no scenario lists both kinds of step after its conditions"


def test_the_programme_owners_count_says_more_when_one_of_theirs_is_already_on_the_page(
        durable_advisor: Advisor) -> None:
    """A ready resource centre (scenario 458) that says only that an evaluation is planned: the page
    lists a question for the programme owner that could change the decision, so the count of the
    owner's other questions, which could not, must not read as if none of theirs could."""
    from replicate.loading import load_site
    from replicate.scenarios import load_scenario

    scenario = load_scenario(next((Path(__file__).parent / "scenarios").glob("458-*.yaml")))
    data = scenario.site.model_dump(exclude_none=True)
    data["evaluation"] = {"planned": True}
    text = render_text(durable_advisor.advise(scenario.programme, load_site(data)))
    flat = " ".join(text.split())
    assert "answer by: programme owner; could change" in flat
    assert re.search(r"\d+ more questions? for the programme owner about its evidence (is|are) in the details: "
                     r"none of them could change the decision", flat)


def test_the_strengths_to_build_on_lead_with_the_context_and_never_name_a_part_left_out(
        durable_advisor: Advisor) -> None:
    """Harbourne scales up its own pilot (scenario 465): that is the strength its first page names
    for flexibility, before its tailoring. Over every shipped scenario, a component left out (sound
    tailoring, but nothing to build on) is never one of the page's strengths."""
    from replicate.scenarios import load_scenario, scenario_files

    folder = Path(__file__).parent / "scenarios"
    harbourne = load_scenario(next(folder.glob("465-*.yaml")))
    plan = durable_advisor.advise(harbourne.programme, harbourne.site)
    assert [s.finding for s in plan.summary.strengths if s.theme == "flexibility"] == ["FL-SCALING-UP-OWN-RUN"]
    for path in scenario_files([folder]):
        scenario = load_scenario(path)
        plan = durable_advisor.advise(scenario.programme, scenario.site)
        by_ref = {f.ref: f for f in plan.findings}
        assert all(by_ref[s.finding].effect.component != "drop" for s in plan.summary.strengths), path.name


def test_a_principle_on_the_first_page_is_named_by_its_words_not_its_id(durable_advisor: Advisor) -> None:
    """'(for: co_owned_not_imposed)' told a board nothing (rounds 21 and 22): an action answering a
    finding about a principle names it by the opening of its statement."""
    from replicate.render.action_tags import short_quote

    plan = durable_advisor.advise(load_programme(PROFILES / "programmes" / "caf-family-support.json"),
                                  load_site(PROFILES / "sites" / "many-agencies.json"))
    text = render_text(plan)
    principle = next(p for p in load_programme(PROFILES / "programmes" / "caf-family-support.json").principles
                     if p.id == "co_owned_not_imposed")
    assert f"(for: {short_quote(principle.statement)})" in text.replace("\n      ", " ")
    assert "co_owned_not_imposed" not in text
    assert short_quote("One two three.") == '"One two three"'
    assert short_quote("one two three four five six seven eight") == '"one two three four five six seven eight"'
    # The opening ends with its first clause when that is short, not mid-phrase (1426, 1432).
    assert short_quote("Each score is recorded at referral, at the end, and a year later.") == \
        '"Each score is recorded at referral..."'
    long = " ".join(f"w{n}" for n in range(20))
    assert short_quote(long) == f'"{" ".join(long.split()[:7])}..."'
    # A first clause too short to name anything runs on to the next clause end (1534) ...
    assert short_quote("Falls, emergency attendances and admissions are recorded for a year, not only at discharge.") \
        == '"Falls, emergency attendances and admissions are recorded for a year..."'
    # ... and a cut that cannot end a clause does not end on a linking word.
    assert short_quote("Partners shape and own the processes and the decisions taken about the services they give "
                       "to families") == '"Partners shape and own the processes..."'


def test_the_first_strength_is_one_the_site_brings_by_name(durable_advisor: Advisor) -> None:
    """Every plan led with the same three strengths any well-prepared site has (1007, 1013). Over
    every shipped scenario, where the site has a strength about a partner or a service it names, the
    first page's first strength is one of them, and the page still names at most one per theme
    before a theme's second."""
    from replicate.scenarios import load_scenario, scenario_files

    led = 0
    for path in scenario_files([Path(__file__).parent / "scenarios"]):
        scenario = load_scenario(path)
        plan = durable_advisor.advise(scenario.programme, scenario.site)
        if not plan.summary.strengths:
            continue
        by_ref = {f.ref: f for f in plan.findings}
        named = [f for f in plan.findings if f.is_strength and f.subject in ("partner", "service")
                 and f.effect.component != "drop"]
        first = by_ref[plan.summary.strengths[0].finding]
        assert (first.subject in ("partner", "service")) == bool(named), path.name
        led += bool(named)
    assert led


def test_a_not_yet_on_the_programme_alone_says_no_change_to_the_site_lifts_it(durable_advisor: Advisor) -> None:
    """A pilot whose own figures showed no gain was told "do the groundwork, then advise again",
    which would give the same answer (1002). Over every shipped scenario held at "not yet", the
    summary says no change to the site lifts it exactly when every finding holding it is about the
    programme itself."""
    from replicate.scenarios import load_scenario, scenario_files

    said = {True: 0, False: 0}
    for path in scenario_files([Path(__file__).parent / "scenarios"]):
        scenario = load_scenario(path)
        plan = durable_advisor.advise(scenario.programme, scenario.site)
        if plan.decision.verdict != "not_yet":
            continue
        by_ref = {f.ref: f for f in plan.findings}
        holding = [by_ref[ref] for reason in plan.decision.reasons for ref in reason.finding.split(", ") if ref]
        on_programme = all(f.about == "programme" for f in holding)
        assert ("which no change to the site lifts" in plan.decision.summary) == on_programme, path.name
        said[on_programme] += 1
    assert said[True] and said[False]


def test_the_decision_gives_the_reason_for_its_conditions_not_a_condition(durable_advisor: Advisor) -> None:
    """"Go ahead once 1 condition is met: a critical partner does not share knowledge" named the
    risk as if it were the condition (1010). A conditional decision says why."""
    from replicate.scenarios import load_scenario, scenario_files

    seen: set[str] = set()
    for path in scenario_files([Path(__file__).parent / "scenarios"]):
        scenario = load_scenario(path)
        plan = durable_advisor.advise(scenario.programme, scenario.site)
        if plan.decision.verdict != "go_with_conditions":
            continue
        conditions = len(plan.decision.conditions)
        # The first reason is "the most serious" only when it is a high or medium risk, or a theme's
        # risks together; a low one, or terms to agree, is "the first reason" (1282).
        refs = plan.decision.reasons[0].finding.split(", ")
        serious = len(refs) > 1 or any(f.severity in ("high", "medium") for f in plan.findings if f.ref in refs)
        expected = ("Go ahead once 1 condition is met, because: " if conditions == 1
                    else f"Go ahead once {conditions} conditions are met; "
                         f"{'the most serious reason' if serious else 'the first reason'}: ")
        assert plan.decision.summary.startswith(expected), path.name
        seen.add(expected.split(";")[-1] if conditions > 1 else "one")
    assert seen == {"one", " the most serious reason: ", " the first reason: "}
