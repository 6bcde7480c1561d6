"""Where the guidance's text is, for tests that check quotes are verbatim.

The project quotes only short phrases of the guidance, so its text is not in the repository: it is
in `shared/` beside the checkout (where CI lays it too), or wherever REPLICATE_GUIDANCE_TEXT says.
"""

from __future__ import annotations

import os
from pathlib import Path

NAME = "000_a6a1102fcc10a780.txt"
ROOT = Path(__file__).resolve().parent.parent


def guidance_text_path() -> Path:
    if "REPLICATE_GUIDANCE_TEXT" in os.environ:
        return Path(os.environ["REPLICATE_GUIDANCE_TEXT"])
    for candidate in (ROOT.parent / "shared" / "seed" / NAME, Path("/work/shared/seed") / NAME):
        if candidate.is_file():
            return candidate
    return ROOT.parent / "shared" / "seed" / NAME
