"""The questions a plan asks: which profile field would settle each rule that missing information
left open, in words a site can answer, the most decisive first.

A rule reads derived facts ("how many partners share information"); a site answers fields of its
own profile ("does housing share information?"). This module maps one to the other, once per plan:
the decision's counterfactuals, the question list and the plan's question texts all need it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from ..facts import DERIVED_FROM, DERIVED_FROM_ITEMS, PRINCIPLE_NEEDS, need_stated, stated_in_site
from ..guidance import Theme
from ..rules.model import SEVERITY_RANK
from ..schema import Programme, SiteProfile
from . import decision as model
from .model import VERDICT_ORDER, DecisionChange, Question, QuestionReason, Verdict
from .question_groups import by_item, grouped, item_details, left_out_sections, section_of
from .question_words import in_words, question_text


@dataclass(frozen=True)
class UndeterminedRule:
    """A rule that missing information left open, and the fields it needed."""

    rule_id: str
    theme: str
    subject_id: str
    missing: tuple[str, ...]
    category: str = ""
    """The rule's category; open strength rules are asked about but never count as risks."""
    title: str = ""
    severity: str = "info"
    effect: str | None = None
    before_launch: bool = False
    subject: str = "site"
    subject_label: str = ""
    about_site: bool = True
    """Whether the rule reads the site (only those count against a theme's confidence)."""
    absorbs: frozenset[str] = frozenset()
    """The rules it supersedes or mitigates: were it to fire, their findings would be its own."""
    sets_off: tuple[str, ...] = ()
    """The rules over findings its finding would make fire (two core principles at risk make the
    model too diluted); `severity` and `effect` are then the worst of its own and theirs."""
    restates: bool = False
    """Whether it would only take the place of a finding already made on its subject that weighs as
    much (naming the partners a plan imposed on the partners has not won over): its answer words the
    advice more closely but adds no risk, so its questions rank as a strength's do (site-many-agencies)."""
    source: tuple[Theme, str] | None = None
    """The theme and phrase of the guidance the rule rests on: why a question it needs is asked."""

    @property
    def is_risk(self) -> bool:
        return self.category != "strength"

    def as_risk(self) -> model.Risk:
        return model.Risk(f"{self.rule_id}@{self.subject_id}", self.title, self.theme, self.severity, self.effect,
                          self.before_launch)


_ITEM_LISTS = {"partner": "site.partners", "service": "site.existing_services", "adaptation": "site.adaptations",
               "component": "programme.components", "principle": "programme.principles"}


class Answer(NamedTuple):
    """The profile fields that would settle one missing path of one open rule, and whom each is about
    (a named tuple: a plan makes about sixty, and a frozen dataclass costs three times as much to make)."""

    fields: tuple[str, ...]
    subjects: tuple[tuple[str, str], ...]
    """(field, who it is about) where the field belongs to one partner, service or other item."""


class AnswerFields:
    """The fields that settle each (missing path, subject), worked out once per plan: each partner's
    own field for a partner count, what a principle needs of the site, or the field it is derived from."""

    def __init__(self, programme: Programme, site: SiteProfile) -> None:
        self.programme = programme
        self.site = site
        self._known: dict[tuple[str, str, str, str], Answer] = {}

    def __call__(self, path: str, item: UndeterminedRule) -> Answer:
        key = (path, item.subject_id, item.subject, item.subject_label)
        answer = self._known.get(key)
        if answer is None:
            answer = self._known[key] = self._work_out(path, item)
        return answer

    def _work_out(self, path: str, item: UndeterminedRule) -> Answer:
        per_item = (_partner_fields(path, self.site) or _source_fields(path, self.site)
                    or _room_fields(path, item.subject_id, self.programme, self.site))
        if per_item:
            return Answer(tuple(field for field, _ in per_item), tuple(per_item))
        needs = _need_fields(path, item.subject_id, self.programme, self.site)
        if needs:
            return Answer(tuple(needs), ())
        field = profile_field(path, item.subject_id)
        if path in DERIVED_FROM and field.startswith("site.") and stated_in_site(self.site, field):
            # Worked out from something the site did state (an empty list of partners, say) and
            # still unknown: no answer the site could give settles it, so it is not asked again.
            return Answer((), ())
        if path not in DERIVED_FROM and path.partition(".")[0] in _ITEM_LISTS and item.subject_label:
            return Answer((field,), ((field, f"{item.subject} {item.subject_label.rstrip('.')}"),))
        return Answer((field,), ())

    def of(self, item: UndeterminedRule) -> tuple[str, ...]:
        """Every field that would settle one open rule, in order, each once."""
        return tuple(dict.fromkeys(field for path in item.missing for field in self(path, item).fields))


def open_risks(undetermined: Sequence[UndeterminedRule], answers: AnswerFields,
               keep: Callable[[model.RiskKind], bool]) -> list[model.OpenRisk]:
    """The open risk rules `keep` selects by their kind, each with the fields that would settle it."""
    return [model.OpenRisk(u.as_risk(), answers.of(u), u.sets_off) for u in undetermined
            if u.is_risk and keep((u.theme, u.severity, u.effect, u.before_launch))]


def profile_field(path: str, subject_id: str = "") -> str:
    """The profile field a user fills in to settle `path`: itself, what it is derived from, or, for
    a field of one partner (service, component...), that item's field, e.g. `site.partners.housing.consulted`."""
    if path in DERIVED_FROM:
        return DERIVED_FROM[path]
    head, _, rest = path.partition(".")
    if head in _ITEM_LISTS and subject_id:
        return f"{_ITEM_LISTS[head]}.{subject_id}.{rest}"
    return path


def _partner_fields(path: str, site: SiteProfile) -> list[tuple[str, str]]:
    """For a partner count left unknown by partners that do not say, each such partner's own field
    (`site.partners.housing.shares_information`) and the partner's name."""
    names = DERIVED_FROM_ITEMS.get(path)
    if not names or site.partners is None:
        return []
    return [(f"site.partners.{partner.id}.{name}", f"partner {partner.name}")
            for partner in site.partners for name in names if getattr(partner, name) is None]


def _source_fields(path: str, site: SiteProfile) -> list[tuple[str, str]]:
    """For the sources' total months left unknown by sources that do not say how long they are
    committed for, each such source's length (`site.funding.sources.2.months`, numbered from 1)."""
    if path != "site.source_months_total" or not site.funding.sources:
        return []
    return [(f"site.funding.sources.{number}.months", f"funding source {source.name}")
            for number, source in enumerate(site.funding.sources, start=1) if source.months is None]


_TRANSPORT_PATHS = frozenset({
    "site.works_around", "site.missing_conditions", "site.missing_condition_count", "site.missing_other_conditions",
    "site.missing_other_condition_count", "site.worked_around_conditions", "site.worked_around_condition_count",
})
"""Left unknown, with the site's conditions stated, only by a rural transport scheme of unstated room
(facts/conditions.py): the question is that scheme's room."""


def _room_fields(path: str, subject_id: str, programme: Programme, site: SiteProfile) -> list[tuple[str, str]]:
    """For whether the services covering the components (one component, or the local needs the
    programme serves) are full, left unknown by services that do not say, each such service's room
    (`site.existing_services.fis.has_capacity`)."""
    if path == "site.components_on_full_services":
        needs = {tag for c in programme.components for tag in c.serves}
    elif path == "site.core_components_on_full_services":
        core = {p.id for p in programme.principles if p.kind == "core"}
        needs = {tag for c in programme.components if core & set(c.principles) for tag in c.serves}
    elif path == "component.covered_by_service_with_capacity":
        needs = {tag for c in programme.components if c.id == subject_id for tag in c.serves}
    elif path == "site.serves_unmet_need":
        needs = {tag for c in programme.components if c.serves_local_need for tag in c.serves}
        needs &= set(site.local_needs or ())
    elif path in _TRANSPORT_PATHS and (path == "site.works_around" or site.conditions is not None):
        needs = {"rural_transport"}
    else:
        return []
    return [(f"site.existing_services.{s.id}.has_capacity", f"service {s.name}")
            for s in site.existing_services or []
            if s.has_capacity is None and s.meets_any(needs)]


def _need_fields(path: str, subject_id: str, programme: Programme, site: SiteProfile) -> list[str]:
    """What a principle needs of the site, for a principle left open by it: the site fields (or
    the site's conditions) still unstated, which are what the site can answer."""
    if path not in PRINCIPLE_NEEDS:
        return []
    principle = next((p for p in programme.principles if p.id == subject_id), None)
    if principle is None:
        return []
    unstated = [need for need in principle.needs if not need_stated(site, need)]
    fields = ["site.conditions" for need in unstated if need.condition]
    fields += [f"site.{need.field}" for need in unstated if need.field]
    return list(dict.fromkeys(fields))


def questions(undetermined: Iterable[UndeterminedRule], answers: AnswerFields, descriptions: dict[str, str],
              changes: Sequence[DecisionChange], current: Verdict,
              pressing_themes: Collection[str] = ()) -> list[Question]:
    """Every question, the most decisive first: those whose answer could move the decision on its
    own (furthest first), then those of the themes too little is known about to decide (when that is
    what holds the decision), then those whose answer could move it only with other answers, then
    those that could reveal the most serious risk (what a principle of the programme needs before the
    rest: 1347 asked two partner details ahead of the follow-up a core principle rests on), then the
    most needed."""
    needed: dict[str, set[str]] = {}
    subjects: dict[str, str] = {}
    gravest: dict[str, int] = {}
    pressing: set[str] = set()
    principled: set[str] = set()
    for item in undetermined:
        weight = SEVERITY_RANK[item.severity] if item.is_risk and not item.restates else len(SEVERITY_RANK)
        for path in item.missing:
            answer = answers(path, item)
            subjects.update(answer.subjects)
            for field in answer.fields:
                needed.setdefault(field, set()).add(item.rule_id)
                gravest[field] = min(gravest.get(field, weight), weight)
                if item.theme in pressing_themes:
                    pressing.add(field)
                if item.subject == "principle" and item.is_risk and not item.restates:
                    principled.add(field)
    for change in changes:
        needed.setdefault(change.field, set())
    if answers.site.leadership.named_lead is False:  # no lead to ask about: naming one comes first (627)
        moving = {c.field for c in changes}
        needed = {path: rules for path, rules in needed.items()
                  if not path.startswith(_LEAD_FIELDS) or path in moving}
    moves: dict[str, Verdict] = {}
    for change in changes:
        moves.setdefault(change.field, change.to)
    order = {verdict: index for index, verdict in enumerate(VERDICT_ORDER)}

    def reach(verdict: Verdict) -> int:
        """How far an answer could move the decision. A lift from "information needed" comes only
        with every other missing answer, so it counts one step however high it could reach: a
        question that could bring "not yet" alone is asked before it."""
        steps = order[verdict] - order[current]
        return 1 if steps < 0 and current == "information_needed" else abs(steps)

    # An answer that moves the decision on its own comes before one that does so only with other
    # answers: a partner's "critical?" outranked the funding and leadership left out whole, and the
    # operational plan the decision was waiting for came tenth (1895). A section left out whole is
    # asked as one question, so its fields move the decision together.
    left_out = left_out_sections(answers.site)
    alone = {change.field for change in changes
             if not change.with_other_answers or section_of(change.field) in left_out}

    def tier(path: str) -> int:
        """Answers that move the decision on their own; then the themes the decision waits to know
        more of; then answers that move it only with others; then the rest."""
        if path in moves and path in alone:
            return 0
        return 1 if path in pressing else 2 if path in moves else 3

    ranked = sorted(needed, key=lambda path: (
        tier(path),
        -reach(moves[path]) if path in moves else 0,
        path not in pressing,
        gravest.get(path, len(SEVERITY_RANK)),
        path not in principled,
        -len(needed[path]),
        path,
    ))
    ranked = _whether_a_lead_first(ranked)
    # One question for the same field of several partners (services, sources), placed where the
    # most decisive of them would be: thirteen lines asking the same of thirteen partners bury the
    # questions after them.
    together: dict[tuple[str, ...], list[str]] = {}
    for path in ranked:
        match = _ITEM_FIELD.match(path) if path in subjects else None
        key = (match["list"], match["field"], moves.get(path) or "") if match else (path,)
        together.setdefault(key, []).append(path)
    site, programme = answers.site, answers.programme
    totals = {"site.partners": len(site.partners or ()), "site.existing_services": len(site.existing_services or ()),
              "site.funding.sources": len(site.funding.sources or ()), "site.adaptations": len(site.adaptations),
              "programme.components": len(programme.components), "programme.principles": len(programme.principles)}
    units = by_item(list(together.values()), lambda path: _item_of(path) if path in subjects else None, moves)
    asked = [_question(paths, needed, subjects, moves, descriptions, totals, programme) for paths in units]
    return grouped(asked, left_out, descriptions)


def with_reasons(asked: Iterable[Question], undetermined: Iterable[UndeterminedRule]) -> list[Question]:
    """Each question with the passage of the guidance behind the weightiest rule needing its answer
    (a risk before a strength, then by severity, then one that moves the decision or comes before
    launch): the reason a board would give for asking it. Worked out once the questions are joined,
    as a joined question's rules are those of all its parts."""
    weight: dict[str, tuple[int, int, bool, bool, str]] = {}
    source: dict[str, tuple[Theme, str]] = {}
    for item in undetermined:
        if item.source is None:
            continue
        rank = (0 if item.is_risk and not item.restates else 1, SEVERITY_RANK[item.severity],
                item.effect is None, not item.before_launch, item.rule_id)
        if item.rule_id not in weight or rank < weight[item.rule_id]:
            weight[item.rule_id], source[item.rule_id] = rank, item.source
    out = []
    for question in asked:
        rule = min((r for r in question.needed_by if r in weight), key=weight.__getitem__, default=None)
        if rule is not None:
            question = question.model_copy(update={"why": _reason(rule, *source[rule])})
        out.append(question)
    return out


@lru_cache(maxsize=1024)
def _reason(rule: str, theme: Theme, quote: str) -> QuestionReason:
    """One rule's reason, made once: a plan asks some thirty questions, and a rule base has a few
    hundred rules, each with one source (the model is frozen, so plans may share it)."""
    return QuestionReason(rule=rule, theme=theme, quote=quote)


_LEAD_FIELDS = "site.leadership.lead_"
"""The named lead's own fields (hours, influence, skills...): not asked where the site has no lead."""
_NAMED_LEAD = "site.leadership.named_lead"


def _whether_a_lead_first(ranked: list[str]) -> list[str]:
    """Whether there is a lead at all, asked before the lead's hours and qualities, whose answers
    depend on it: 1588 asked four questions about a lead before asking whether one exists."""
    if _NAMED_LEAD not in ranked:
        return ranked
    first = next((i for i, path in enumerate(ranked) if path.startswith(_LEAD_FIELDS)), None)
    if first is None or first > ranked.index(_NAMED_LEAD):
        return ranked
    rest = [path for path in ranked if path != _NAMED_LEAD]
    return [*rest[:first], _NAMED_LEAD, *rest[first:]]


_ITEM_KIND = {path: kind for kind, path in _ITEM_LISTS.items()} | {"site.funding.sources": "funding source"}
"""Each list whose items a question can name, and what one item is called."""
_ITEM_FIELD = re.compile(rf"^(?P<list>{'|'.join(map(re.escape, _ITEM_KIND))})\.(?P<item>[^.]+)\.(?P<field>.+)$")


def _item_of(path: str) -> tuple[str, str, str] | None:
    """(list, item, field) for a field of one item of a list, else None."""
    match = _ITEM_FIELD.match(path)
    return (match["list"], match["item"], match["field"]) if match else None


def _question(paths: list[str], needed: dict[str, set[str]], subjects: dict[str, str], moves: dict[str, Verdict],
              descriptions: dict[str, str], totals: dict[str, int], programme: Programme) -> Question:
    """The question asking for `paths`: one field, or some fields of one or several items of one list
    (of every item of it: "each of the 11 partners", rather than eleven names to read through)."""
    first = paths[0]
    subject = subjects.get(first)
    if len(paths) > 1:
        item = _ITEM_FIELD.match(first)
        assert item is not None  # grouped only by that pattern
        kind = _ITEM_KIND[item["list"]]
        names = list(dict.fromkeys(subjects[path].removeprefix(f"{kind} ") for path in paths))
        if len(names) > 1:
            subject = (f"each of the {len(names)} {kind}s" if len(names) == totals[item["list"]]
                       else f"each of {len(names)} {kind}s, {in_words(names)}")
    if len({path.rsplit(".", 1)[1] for path in paths}) > 1:
        text = f"Not stated for {subject}: {item_details(paths, descriptions)}."
    else:
        text = question_text(first, descriptions, subject or "", programme)
    return Question(field=first, fields=paths, question=text,
                    needed_by=sorted({rule for path in paths for rule in needed[path]}), subject=subject,
                    answer_by="programme owner" if first.startswith("programme.") else "site",
                    could_change_to=moves.get(first))
