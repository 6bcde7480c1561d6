"""Arguments of the `python -m` generators that write pages under docs/.

Each takes paths only. A word that starts with a dash is an option the generator does not have,
not a file name: `--help` once became a 38 KB file called `--help` at the top of the checkout.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence


def doc_paths(argv: Sequence[str], usage: str, *, count: int, flags: Sequence[str] = ()) -> list[str] | int:
    """The generator's paths, or the exit code to return at once: 0 after printing the usage for
    `-h`/`--help`, 2 after printing it for an unknown option or the wrong number of paths."""
    words = [word for word in argv if word not in flags]
    if any(word in ("-h", "--help") for word in words):
        print(f"usage: {usage}")
        return 0
    unknown = [word for word in words if word.startswith("-") and word != "-"]
    if unknown or len(words) != count:
        problem = f"no such option: {unknown[0]}" if unknown else f"expected {count} path(s), got {len(words)}"
        print(f"error: {problem}\nusage: {usage}", file=sys.stderr)
        return 2
    return words
