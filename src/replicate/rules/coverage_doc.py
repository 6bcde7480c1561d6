"""The coverage page (`docs/coverage.md`): how the shipped rule base covers the guidance.

The table itself is built in `replicate.guidance.coverage` from the factor list and any rules it
is given; this module gives it the shipped rule base, which the guidance package must not load
(the rules package depends on the guidance, not the other way round). Regenerate the page with:

    python -m replicate.rules.coverage_doc docs/coverage.md

(`--check` compares instead of writing and exits 1 if the page is out of date.)
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

from ..doc_args import doc_paths
from ..guidance.coverage import CitingRule, coverage_rows, render_markdown
from ..guidance.omissions import omissions


def shipped_rules() -> list[CitingRule]:
    """The shipped rule base, as the table needs it."""
    from .rulebase import load_rule_base

    return [
        CitingRule(rule.id, tuple(rule.spec.factors), rule.spec.category == "strength")
        for rule in load_rule_base().rules
    ]


def shipped_coverage_markdown() -> str:
    rules = shipped_rules()
    return render_markdown(coverage_rows(rules), rules, omissions())


def main(argv: Sequence[str] | None = None) -> int:
    """Write (or with --check, compare) the coverage page; the default path is docs/coverage.md."""
    from ..errors import ReplicateError
    from ..output import write_atomic

    args = list(sys.argv[1:] if argv is None else argv)
    check = "--check" in args
    if not [a for a in args if a != "--check"]:
        args.append("docs/coverage.md")
    paths = doc_paths(args, "python -m replicate.rules.coverage_doc [--check] [OUTPUT.md]", count=1, flags=["--check"])
    if isinstance(paths, int):
        return paths
    path = Path(paths[0])
    try:
        text = shipped_coverage_markdown()
        if check:
            current = path.read_text(encoding="utf-8") if path.is_file() else ""
            if current != text:
                print(f"{path} is out of date: run python -m replicate.rules.coverage_doc {path}", file=sys.stderr)
                return 1
            return 0
        write_atomic(path, text)
    except ReplicateError as error:
        for problem in error.problems:
            print(f"error: {problem}", file=sys.stderr)
        return error.exit_code
    print(f"wrote {path}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
