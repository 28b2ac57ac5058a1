"""Handling times given with filing and response commands: kept in the events, refused when absurd."""

from __future__ import annotations

import pytest

from pqrs_core.domain import commands as c
from pqrs_core.domain import events as ev
from pqrs_core.domain.errors import ValidationError
from pqrs_core.services.messagebus import Pqrs

from .support import AGENT


def test_the_events_keep_the_seconds_and_absurd_values_are_refused(pqrs: Pqrs) -> None:
    case = pqrs.handle(c.FileCase(kind="peticion", subject="S", description="D", handling_seconds=80), AGENT)
    number = str(case.filing_number)
    first = pqrs.history(number)[0]
    assert isinstance(first, ev.CaseFiled) and first.handling_seconds == 80
    for bad in (-1, 24 * 3600 + 1, True):
        with pytest.raises(ValidationError) as refused:
            pqrs.handle(c.FileCase(kind="peticion", subject="S", description="D", handling_seconds=bad),
                        AGENT)
        assert set(refused.value.errors) == {"handling_seconds"}
    pqrs.handle(c.TransitionCase(filing_number=number, transition="start"), AGENT)
    with pytest.raises(ValidationError):
        pqrs.handle(c.RespondCase(filing_number=number, text="Listo", handling_seconds=-5), AGENT)
    pqrs.handle(c.RespondCase(filing_number=number, text="Listo", handling_seconds=240), AGENT)
    responded = [e for e in pqrs.history(number) if isinstance(e, ev.CaseResponded)]
    assert [e.handling_seconds for e in responded] == [240]
