from __future__ import annotations

import pytest

from pqrs_core.clock import FrozenClock
from pqrs_core.services.messagebus import Pqrs
from pqrs_core.testing import in_memory_pqrs

from .support import clock_of


@pytest.fixture
def pqrs() -> Pqrs:
    return in_memory_pqrs()


@pytest.fixture
def clock(pqrs: Pqrs) -> FrozenClock:
    return clock_of(pqrs)
