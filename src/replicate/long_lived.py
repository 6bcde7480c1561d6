"""Starting a command without the cyclic garbage collector scanning what it loads.

Starting `replicate advise` allocates some hundreds of thousands of objects (modules, classes, the
rule base, the engine's rulesets), every one of which lives as long as the process. With the
collector on, that triggers over a hundred collections which each scan them and free nothing:
15 to 45 ms of a cold start of about 300 ms. While this runs the collector is off; at its end
everything loaded so far is frozen (`gc.freeze`: never scanned again, as Instagram's servers do
after their imports), and the collector is back on for the work itself, whose garbage it
collects as before. The command-line tool uses it; an embedder's process keeps its own policy.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def loading_long_lived_objects() -> Iterator[None]:
    """Within: no collections. After: what was allocated is frozen and collection resumes, unless
    it was off already (an enclosing use, or the embedding program's choice)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()
