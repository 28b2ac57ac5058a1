"""A served worker settles its heap once its application is built: what is alive then stays out of the
garbage collector's full passes, and no garbage is kept for good."""

from __future__ import annotations

import gc
import weakref

from pqrs_adapters.flask.server import GunicornServer


class _Cycle:
    def __init__(self) -> None:
        self.me = self


def test_a_worker_settles_its_heap_once_its_application_is_built() -> None:
    built = _Cycle()
    server = GunicornServer(lambda: built, {"bind": "127.0.0.1:0", "workers": 1})
    gc.disable()  # nothing collects but the worker
    gc.unfreeze()
    try:
        garbage = _Cycle()
        left = weakref.ref(garbage)
        del garbage  # unreachable, and only the collector frees a cycle

        assert server.load() is built

        assert gc.get_freeze_count() > 0
        assert left() is None  # collected, not kept for good
    finally:
        gc.unfreeze()
        gc.enable()
