"""One site of a batch, in whichever process advises it: read and validate its profile, advise it,
and render the plan to the text the batch's output needs (`Rendering`), so that only text and a
portfolio row have to travel back from a worker process. `batch.py` runs these for a whole batch,
here or in `batch_workers.py`'s processes."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .batch_inputs import SiteInput
from .errors import InputError, OtherProgrammeError, Problem, ReplicateError
from .output import Stored

if TYPE_CHECKING:
    from .advisor import Advisor, EngineName
    from .plan.model import AdaptationPlan
    from .portfolio import PortfolioRow
    from .schema import Programme

PLAN_FORMATS = ("text", "markdown", "json", "html")
"""The formats a plan renders to (`csv` is a summary of a batch, made from portfolio rows alone)."""


JSON_INDENT = "    "
"""Where a plan's JSON sits in a batch's document, `{"portfolio": ..., "plans": [...]}` indented by two."""


@dataclass(frozen=True)
class Rendering:
    """What each site's plan is turned into where it is made, so that only text crosses back.

    `document` is the site's own file (`--output-dir`): the plan in `format` (`detail` for text).
    `part` is its share of the batch's one document: the plan's JSON indented to its place in the
    document's list of plans (`json`), its Markdown (`markdown`) or its HTML card and body
    (`html`); text and csv batches need none."""

    format: str
    detail: str = "summary"
    document: bool = False
    part: bool = False
    spool: str | None = None
    """A private folder where each worker process puts the parts it renders, in a file of its own,
    and sends back only where each is (`Stored`): the parts of a large batch then never pass
    through the caller, whose own work would otherwise take a core's time from the workers."""


@dataclass(frozen=True)
class Rendered:
    """One plan as text, encoded as UTF-8: whichever of these its `Rendering` asked for. Bytes,
    not `str`, because they cross between processes: unpickling a `str` decodes it again, which for
    a large batch cost the parent more than everything else it does; bytes are copied, and the
    parent writes them out as they are."""

    document: bytes | None = None
    part: bytes | Stored | None = None
    chart: bytes | Stored | None = None
    """HTML only: the compact readiness chart for the site's card on the portfolio page."""


@dataclass(frozen=True)
class SiteResult:
    """The outcome for one site: a plan (or its rendering and portfolio row), or the problems that
    stopped it being advised."""

    index: int
    source: str
    plan: AdaptationPlan | None = None
    problems: tuple[Problem, ...] = ()
    exit_code: int = 0
    """0 when advised; otherwise the exit code of the error (2 bad input, 3 engine failure)."""
    skipped: bool = False
    """Written for another programme: not advised, and not a failure of the batch (`problems` says why)."""
    row: PortfolioRow | None = None
    """`stream_batch` only: the plan condensed to its portfolio row (ranked later, with the others)."""
    rendered: Rendered | None = None
    """`stream_batch` only: the plan as the text its `Rendering` asked for."""

    @property
    def ok(self) -> bool:
        return self.plan is not None or self.row is not None


def _relocate(error: InputError, item: SiteInput) -> InputError:
    """Problems found in one line of JSON Lines are reported at that line of the batch."""
    assert item.line is not None
    return type(error)(
        dataclasses.replace(problem, source=item.source, line=item.line,
                            column=problem.column if problem.line is not None else None)
        for problem in error.problems
    )


def advise_one(advisor: Advisor, programme: Programme, item: SiteInput, index: int = 0) -> SiteResult:
    """Read, validate and advise one site; every `ReplicateError` becomes the result's problems."""
    from .loading import check_site_against, load_site, parse_json_text, site_from_data

    try:
        if item.problem is not None:
            raise InputError([item.problem])
        if item.path is not None:
            site = load_site(item.path, vocabulary=advisor.vocabulary)
        else:
            assert item.text is not None
            try:
                site = site_from_data(parse_json_text(item.text, item.source), item.source, advisor.vocabulary)
            except InputError as error:
                raise _relocate(error, item) from None
        try:
            check_site_against(programme, site, item.source)
            advisor.check_site(site, item.source)
        except InputError as error:
            raise (_relocate(error, item) if item.line is not None else error) from None
        plan = advisor.advise(programme, site)
    except OtherProgrammeError as error:
        return SiteResult(index, item.label, problems=error.problems, exit_code=error.exit_code, skipped=True)
    except ReplicateError as error:
        return SiteResult(index, item.label, problems=error.problems, exit_code=error.exit_code)
    return SiteResult(index, item.label, plan=plan)


def plan_document(plan: AdaptationPlan, output_format: str, detail: str = "summary") -> str:
    """One plan as a document of its own, in any of the command line's formats."""
    if output_format == "text":
        from .render.text import render_text

        return render_text(plan, "full" if detail == "full" else "summary")
    if output_format == "csv":
        from .portfolio import build_portfolio
        from .render.portfolio import render_csv

        return render_csv(build_portfolio([(plan.site.id, plan)]))
    from .render import RENDERERS

    return RENDERERS[output_format](plan)


def render_result(result: SiteResult, rendering: Rendering) -> SiteResult:
    """The result with its plan replaced by its portfolio row and the text `rendering` asks for."""
    if result.plan is None:
        return result
    from .portfolio import summarise_plan

    plan = result.plan
    document = plan_document(plan, rendering.format, rendering.detail) if rendering.document else None
    part = chart = None
    if rendering.part and rendering.format in ("json", "markdown"):
        whole = document if document is not None else plan_document(plan, rendering.format)
        part = whole if rendering.format == "markdown" else JSON_INDENT + whole.removesuffix("\n").replace(
            "\n", "\n" + JSON_INDENT)  # moved in here, where the work is shared out, not by the parent
    elif rendering.part and rendering.format == "html":
        from .render.html import portfolio_card

        chart, part = portfolio_card(plan)
    rendered = Rendered(*(None if text is None else text.encode("utf-8") for text in (document, part, chart)))
    return dataclasses.replace(result, plan=None, row=summarise_plan(plan, result.source), rendered=rendered)


def build_advisor(packs: Sequence[Path], include_shipped: bool, engine: EngineName) -> Advisor:
    from .advisor import Advisor
    from .rules.rulebase import load_rule_base

    return Advisor(load_rule_base(packs, include_shipped=include_shipped), engine=engine)


def advise_items(advisor: Advisor, programme: Programme, rendering: Rendering | None, start: int,
                  chunk: Iterable[SiteInput]) -> list[SiteResult]:
    results = [advise_one(advisor, programme, item, start + offset) for offset, item in enumerate(chunk)]
    return results if rendering is None else [render_result(result, rendering) for result in results]
