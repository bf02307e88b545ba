"""Building a large table without the cyclic garbage collector running through it.

A table of tens of thousands of small strings, tuples and lists (word forms, names, the
lexicon) holds no garbage, yet each thousand or so allocations start a collection, and the
older generations walk every object the imports made as well. Paused while the bundled
tables load, a 1-record run executes about 4 % fewer instructions (docs/performance.md).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused() -> Iterator[None]:
    """No automatic collection inside the block; the collector's state before it comes back after it."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
