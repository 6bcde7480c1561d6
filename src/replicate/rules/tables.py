"""Decision tables: a threshold matrix written as rows, compiled to ordinary rules.

Policy is often a grid ("under a quarter of the run funded: high; under a half: medium; ...").
Written as separate rules, such a grid drifts: a threshold is changed in one rule and not the next,
and a band falls between two rules. A decision table keeps the grid in one place:

    table:
      id: RS-FUNDING-TABLE
      theme: resources
      category: funding_gap
      hit: first                 # first: the first matching row wins; unique: rows may not overlap
      factors: [RS3]
      source: {theme: resources, quote: "..."}
      columns: [site.funding_coverage, severity, title, advice]
      rows:
        - ["< 0.25", high, "Under a quarter of the run is funded", "..."]
        - ["< 1", medium, "Part of the run is funded", "..."]
        - [">= 1", none, "-", "-"]      # severity none: this row gives no finding
      examples:
        - {given: {site.funding_coverage: 0.1}, expect: 1}

Input columns are field paths; each cell is a test with the field left out (`< 0.25`,
`>= 0.25 and < 0.5`, `"rural"`, `in ["urban", "mixed"]`, `missing`, `known`), or `-` for any
value. A header may end with an operator (`site.funding_coverage <`), and then a bare value in a
cell means that comparison. Output columns are `severity`, `title`, `advice`, `category`, `id`,
`action.do`, `action.phase`, `action.owner`, `effect.principle`, `effect.component`,
`effect.decision`; a `-` cell takes the table's default. In CSV the table's settings are `# key:
value` lines (YAML) above the header row.

Each row becomes a rule whose id is the table id and the row number (`RS-FUNDING-TABLE-1`).
With `hit: first`, row N's condition also says that no earlier row matched. Loading a table
checks it the way a reviewer would: every cell parses and type-checks (a malformed cell is an
error, never a row that silently never matches), no combination of stated inputs is left without
a row (a gap), no row is hidden behind earlier rows, and with `hit: unique` no two rows overlap.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError

from ..conditions import (
    And,
    Condition,
    ExpressionError,
    Not,
    Truth,
    compile_condition,
    explain_syntax_error,
    parse,
    render,
)
from ..conditions.analyse import combination_count, combinations, representatives, show_values
from ..errors import Problem, did_you_mean
from ..facts import SUBJECTS, Subject
from .checker import check_condition
from .fields import fields_for
from .loader import LoadResult, check_rule, spec_problems
from .model import RuleSpec
from .parameters import Parameters, bind, shipped_parameters
from .table_cells import (
    ANY,
    HIT_POLICIES,
    NO_FINDING,
    OUTPUTS,
    TABLE_KEYS,
    Column,
    TableRow,
    cell_condition,
    cell_text,
    header_of,
)
from .yaml_source import Located

MAX_GAPS_SHOWN = 3
MAX_TABLE_COMBINATIONS = 20_000


class TableLoader:
    """Checks one decision table (read from YAML or CSV) and compiles its rows to rules."""

    def __init__(self, located: Located, source: str, meta: Mapping[str, Any], base: tuple[str | int, ...],
                 rows: list[tuple[tuple[str | int, ...], Any]], columns: list[Any],
                 parameters: Parameters | None = None) -> None:
        self.parameters = parameters
        self.located = located
        self.source = source
        self.meta = meta
        self.base = base
        self.raw_rows = rows
        self.raw_columns = columns
        self.result = LoadResult()
        self.table_id = str(meta.get("id", "")) or None

    def problem(self, path: tuple[str | int, ...], message: str, rule_id: str | None = None) -> None:
        line, column = self.located.position(path)
        self.result.problems.append(Problem(self.source, message=message, line=line, column=column,
                                            rule_id=rule_id or self.table_id))

    # -- the header ---------------------------------------------------------------------------------

    def columns(self, subject: Subject) -> list[Column]:
        visible = fields_for(subject)
        found: list[Column] = []
        for index, raw in enumerate(self.raw_columns):
            path = (*self.base, "columns", index)
            name, op = header_of(cell_text(raw))
            if name in OUTPUTS:
                found.append(Column(name, False, position=path))
            elif name in visible:
                found.append(Column(name, True, op, path))
            elif "." in name and not name.startswith(("action.", "effect.")):
                self.problem(path, f"column {name!r} names no field{did_you_mean(name, sorted(visible))}")
            else:
                self.problem(path, f"column {name!r} is neither a field nor an output{did_you_mean(name, OUTPUTS)}; "
                             f"outputs are {', '.join(OUTPUTS)}")
        if found and not any(c.is_input for c in found):
            self.problem((*self.base, "columns"), "the table has no input column: name at least one field")
        names = [c.name for c in found]
        for name in sorted({n for n in names if names.count(n) > 1}):
            self.problem((*self.base, "columns"), f"column {name!r} appears twice")
        return found

    # -- the rows -----------------------------------------------------------------------------------

    def rows(self, columns: list[Column], subject: Subject) -> list[TableRow]:
        visible = fields_for(subject)
        rows: list[TableRow] = []
        for number, (path, raw) in enumerate(self.raw_rows, start=1):
            if isinstance(raw, Mapping):
                unknown = [k for k in raw if k not in {c.name for c in columns}]
                for key in unknown:
                    self.problem((*path, key), f"row {number} has a cell for {key!r}, which is not a column"
                                 f"{did_you_mean(str(key), [c.name for c in columns])}")
                cells = {c.name: cell_text(raw.get(c.name)) for c in columns}
                cell_paths = {c.name: (*path, c.name) for c in columns}
            elif isinstance(raw, list):
                if len(raw) != len(columns):
                    self.problem(path, f"row {number} has {len(raw)} cells but the table has {len(columns)} columns")
                    continue
                cells = {c.name: cell_text(v) for c, v in zip(columns, raw, strict=True)}
                cell_paths = {c.name: (*path, i) for i, c in enumerate(columns)}
            else:
                self.problem(path, f"row {number} must be a list of cells or a mapping of column to cell")
                continue
            tests: list[Condition] = []
            written: list[Condition] = []
            for column in (c for c in columns if c.is_input):
                text = cell_condition(column.name, cells[column.name], column.default_op, visible[column.name].type)
                if not text:
                    continue
                try:
                    condition = parse(text)
                except ExpressionError as error:
                    message = explain_syntax_error(text, error.message, error.column)
                    self.problem(cell_paths[column.name], f"row {number}, column {column.name}: cell "
                                 f"{cells[column.name]!r} is not a test: {message}")
                    continue
                bound, _used, unknown = bind(condition, self.parameters if self.parameters is not None
                                             else shipped_parameters())
                for _, name in unknown:
                    self.problem(cell_paths[column.name], f"row {number}, column {column.name}: unknown parameter "
                                 f"{name!r}")
                type_problems = [] if unknown else check_condition(bound, subject)
                for _, message in type_problems:
                    self.problem(cell_paths[column.name], f"row {number}, column {column.name}: {message}")
                if not type_problems and not unknown:
                    tests.append(bound)
                    written.append(condition)
            own = None if not tests else tests[0] if len(tests) == 1 else And(1, tuple(tests))
            as_written = None if not written else written[0] if len(written) == 1 else And(1, tuple(written))
            rows.append(TableRow(number, path, cells, own, as_written))
        return rows

    # -- whole-table checks ---------------------------------------------------------------------------

    def coverage(self, rows: list[TableRow], hit: str, inputs: list[str], subject: Subject) -> None:
        tests = [r.own for r in rows if r.own is not None]
        probe = And(1, tuple(tests)) if len(tests) > 1 else (tests[0] if tests else None)
        if probe is None:
            return
        specs = fields_for(subject)
        values = representatives(probe, specs)
        for path in inputs:
            values.setdefault(path, [*representatives(parse(f"{path} is known"), specs)[path]])
        if combination_count(values) > MAX_TABLE_COMBINATIONS:
            self.problem((*self.base, "rows"), "too many combinations of inputs to check the table for gaps; "
                         "split it into smaller tables")
            return
        tested = [(row, compile_condition(row.own) if row.own is not None else None) for row in rows]
        gaps: list[str] = []
        overlaps: dict[tuple[int, int], str] = {}
        reached: set[int] = set()
        for fact in combinations(values):
            hits = [row for row, run in tested if run is None or run(fact) is Truth.TRUE]
            if hits:
                reached.add(hits[0].number)
            known = all(p in fact for p in inputs)
            if not hits and known and len(gaps) < MAX_GAPS_SHOWN:
                gaps.append(show_values(fact, inputs))
            if hit == "unique" and len(hits) > 1:
                overlaps.setdefault((hits[0].number, hits[1].number), show_values(fact, inputs))
        for gap in gaps:
            self.problem((*self.base, "rows"), f"gap: no row covers {gap}; add a row for it "
                         f"(with severity {NO_FINDING} if it should give no finding)")
        for (first, second), where in sorted(overlaps.items()):
            self.problem(rows[second - 1].path, f"rows {first} and {second} overlap (both match {where}); "
                         "with 'hit: unique' each case must match one row")
        if hit == "first":
            for row in rows:
                if row.number not in reached:
                    self.problem(row.path, f"row {row.number} is never reached: earlier rows match every case it "
                                 "covers")

    # -- compiling ----------------------------------------------------------------------------------

    def compile(self) -> LoadResult:
        meta = self.meta
        for key in sorted(set(meta) - set(TABLE_KEYS)):
            self.problem((*self.base, key), f"unknown table key {key!r}{did_you_mean(key, TABLE_KEYS)}")
        for key in ("id", "columns", "rows"):
            if key not in meta:
                self.problem(self.base, f"missing table key {key!r}")
        hit = meta.get("hit", "first")
        if hit not in HIT_POLICIES:
            self.problem((*self.base, "hit"), f"hit policy {hit!r} is not one of {', '.join(HIT_POLICIES)}"
                         f"{did_you_mean(str(hit), HIT_POLICIES)}")
            hit = "first"
        subject = meta.get("for_each", "site")
        if subject not in SUBJECTS:
            self.problem((*self.base, "for_each"), f"for_each {subject!r} is not one of {', '.join(SUBJECTS)}"
                         f"{did_you_mean(str(subject), SUBJECTS)}")
            return self.result
        if not isinstance(self.raw_columns, list) or not isinstance(self.raw_rows, list) or self.result.problems:
            if "columns" in meta and not isinstance(self.raw_columns, list):
                self.problem((*self.base, "columns"), "'columns' must be a list of field paths and outputs")
            return self.result
        columns = self.columns(subject)
        if self.result.problems:
            return self.result
        rows = self.rows(columns, subject)
        if self.result.problems:
            return self.result
        inputs = [c.name for c in columns if c.is_input]
        self.coverage(rows, str(hit), inputs, subject)
        examples = self.examples(rows)
        earlier: list[Condition] = []
        for row in rows:
            condition = row.written
            if hit == "first" and earlier:
                exclusions: list[Condition] = [Not(1, e) for e in earlier]
                condition = And(1, (condition, *exclusions)) if condition is not None else (
                    exclusions[0] if len(exclusions) == 1 else And(1, tuple(exclusions)))
            if row.written is not None:
                earlier.append(row.written)
            if row.cells.get("severity", "").lower() == NO_FINDING or (
                "severity" not in row.cells and str(meta.get("severity", "")).lower() == NO_FINDING
            ):
                continue
            if condition is None:
                self.problem(row.path, f"row {row.number} matches every case: give it at least one test")
                continue
            self.rule(row, condition, examples.get(row.number, []))
        return self.result

    def rule(self, row: TableRow, condition: Condition, examples: list[dict[str, Any]]) -> None:
        spec: dict[str, Any] = {
            key: self.meta[key] for key in ("title", "theme", "category", "severity", "advice", "action", "effect",
                                            "factors", "source", "basis", "about", "supersedes", "mitigates")
            if key in self.meta
        }
        if "for_each" in self.meta:
            spec["for_each"] = self.meta["for_each"]
        spec["id"] = f"{self.table_id}-{row.number}"
        for name, value in row.cells.items():
            if name in OUTPUTS and value not in ANY:
                if "." in name:
                    group, key = name.split(".", 1)
                    spec[group] = {**spec.get(group, {}), key: value}
                else:
                    spec[name] = value
        spec["when"] = render(condition)
        spec["examples"] = examples
        rule_id = str(spec["id"])
        try:
            parsed = RuleSpec.model_validate(spec, strict=True)
        except ValidationError as error:
            # A bad output cell or table setting: place it at the row, where the value came from.
            line, column = self.located.position(row.path)
            for problem in spec_problems(error, self.located, self.base, self.source, rule_id,
                                         allowed_keys=TABLE_KEYS):
                self.result.problems.append(Problem(problem.source, message=f"row {row.number}: {problem.message}",
                                                    line=line, column=column, rule_id=rule_id))
            return
        rule, problems = check_rule(parsed, self.located, row.path, self.source, self.parameters)
        self.result.problems += problems
        if rule is not None:
            self.result.rules.append(rule)

    def examples(self, rows: list[TableRow]) -> dict[int, list[dict[str, Any]]]:
        """A table's examples name the row they expect; each becomes an example for every row:
        it fires for the expected row and not for the others."""
        raw = self.meta.get("examples", [])
        by_row: dict[int, list[dict[str, Any]]] = {row.number: [] for row in rows}
        if not isinstance(raw, list):
            self.problem((*self.base, "examples"), "'examples' must be a list")
            return by_row
        ids = {f"{self.table_id}-{row.number}": row.number for row in rows}
        for index, example in enumerate(raw):
            path = (*self.base, "examples", index)
            if not isinstance(example, Mapping) or set(example) - {"given", "expect", "name"} \
                    or "given" not in example or "expect" not in example:
                self.problem(path, "a table example is {given: {field: value, ...}, expect: ROW} where ROW is a row "
                             f"number, a row id or {NO_FINDING}")
                continue
            expect = example["expect"]
            expected: int | None
            if isinstance(expect, int) and not isinstance(expect, bool) and 1 <= expect <= len(rows):
                expected = expect
            elif isinstance(expect, str) and expect in ids:
                expected = ids[expect]
            elif isinstance(expect, str) and expect.lower() == NO_FINDING:
                expected = None
            else:
                self.problem((*path, "expect"), f"expect {expect!r} names no row: use 1 to {len(rows)}, a row id or "
                             f"{NO_FINDING}")
                continue
            name = str(example.get("name") or f"table example {index + 1}")
            for row in rows:
                by_row[row.number].append({"name": name, "fires": row.number == expected,
                                           "given": example["given"]})
        return by_row


def _from_mapping(located: Located, source: str, table: Any, base: tuple[str | int, ...],
                  parameters: Parameters | None = None) -> LoadResult:
    if not isinstance(table, Mapping):
        line, column = located.position(base)
        return LoadResult(problems=[Problem(source, message="'table' must be a mapping of settings, columns and rows",
                                            line=line, column=column)])
    raw_rows = table.get("rows", [])
    rows = [((*base, "rows", i), row) for i, row in enumerate(raw_rows)] if isinstance(raw_rows, list) else []
    loader = TableLoader(located, source, table, base, rows, table.get("columns", []), parameters)
    if not isinstance(raw_rows, list):
        loader.problem((*base, "rows"), "'rows' must be a list")
    return loader.compile()


def load_table(located: Located, source: str, parameters: Parameters | None = None) -> LoadResult:
    """Compile a decision table read from YAML (a document with a top-level `table:`)."""
    data = located.data
    extra = sorted(set(data) - {"table"})
    result = _from_mapping(located, source, data["table"], ("table",), parameters)
    for key in extra:
        line, column = located.position((key,))
        result.problems.append(Problem(source, message=f"unknown top-level key {key!r} beside 'table'",
                                       line=line, column=column))
    return result


__all__ = ["TableLoader", "load_table"]
