"""Process-level memory policy, applied at the edges (the CLI commands, the flow tasks, benchmarks).

Running a day allocates hundreds of thousands of small acyclic objects (rows, views, strings);
Python's cyclic garbage collector would rescan them many times over for nothing — on a national
database that was a third of compose's time. Whether a process pauses it is the edge's decision,
not the domain function's: the day runner itself never touches :mod:`gc`.

>>> with collector_paused():
...     gc.isenabled()
False
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector for the block; restored afterwards, also on errors."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()
