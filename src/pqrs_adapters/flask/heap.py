"""A worker's long-lived objects, out of the garbage collector's full passes.

CPython's cyclic garbage collector now and then runs a full pass over every object a process holds. A
worker holds about 190,000 once its application is built (the tables' metadata, the catalog, the
compiled templates, the plugins), and a full pass over them took 70 ms, added to whichever request was
being answered when it came: every page's slowest calls were those. ``gc.freeze`` moves the objects
alive at that moment to a generation the collector never scans
(https://docs.python.org/3/library/gc.html#gc.freeze); they are still freed by reference counting when
dropped. So a worker settles its heap once its application is built, collecting first so that no
garbage is kept for good.
"""

from __future__ import annotations

import gc


def settle() -> None:
    """Collect the garbage there is, then keep every object still alive out of later full passes."""
    gc.collect()
    gc.freeze()
