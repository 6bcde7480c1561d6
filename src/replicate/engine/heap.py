"""Keep glibc from handing the heap back to the system after every durable_rules session.

durable_rules' C engine allocates a session's state when its first fact arrives and frees it when
the session is deleted: once per profile. While the caller holds nothing, that memory is reused.
Once the process holds other objects (an embedder keeping the plans it has made, a batch building
a portfolio), the freed state sits at the top of the heap, glibc's default trim threshold returns
it to the system, and the next session faults every page back in: the engine stage ran 4-5 times
slower with 300 plans held than with none (bench/run.py prints both). A trim threshold of a few
megabytes keeps that much free memory at the top of the heap for the next session instead.

Only glibc has `mallopt`; elsewhere this does nothing. A threshold the user set through glibc's
own `MALLOC_TRIM_THRESHOLD_` environment variable is left alone.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import sys

M_TRIM_THRESHOLD = -1
"""glibc's `mallopt` parameter number for the trim threshold (malloc.h)."""
TRIM_THRESHOLD_BYTES = 8 * 1024 * 1024

_done = False


def keep_heap_for_sessions() -> bool:
    """Raise glibc's trim threshold once per process. Returns whether it was set here."""
    global _done
    if _done:
        return False
    _done = True
    if not sys.platform.startswith("linux") or "MALLOC_TRIM_THRESHOLD_" in os.environ:
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        mallopt = libc.mallopt
    except (OSError, AttributeError):  # not glibc (musl has no mallopt)
        return False
    mallopt.argtypes = (ctypes.c_int, ctypes.c_int)
    mallopt.restype = ctypes.c_int
    return bool(mallopt(M_TRIM_THRESHOLD, TRIM_THRESHOLD_BYTES))
