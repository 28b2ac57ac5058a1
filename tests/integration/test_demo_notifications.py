"""The demo's answers carry their proof of notification, as the worker and the intake record it: the
response's e-mail sent minutes after the answer, within the term where the answer was; now and then a
bounce followed by the aviso."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from pqrs_adapters.demo.loader import load_demo
from pqrs_core.clock import FrozenClock
from pqrs_core.domain import delivery
from pqrs_core.ports import CaseQuery
from pqrs_core.testing import in_memory_pqrs


def test_demo_answers_are_sent_by_e_mail_and_some_bounce_into_an_aviso() -> None:
    clock = FrozenClock(datetime(2026, 12, 4, 15, 0, tzinfo=UTC))
    pqrs = in_memory_pqrs(at=clock.now())
    pqrs.deps.clock.set(clock.now())  # type: ignore[attr-defined]
    load_demo(pqrs, pqrs.deps.clock, count=45, seed=3, now=clock.now())  # type: ignore[arg-type]
    answered = [case for case in pqrs.cases(CaseQuery(limit=500)).cases
                if case.responded_at is not None and case.requester.email and case.pending_response is None]
    # Every answer but those resolved at first contact (no e-mail response) went out by e-mail.
    mailed = [case for case in answered if delivery.EMAIL in delivery.current(case.deliveries)]
    assert len(mailed) >= len([case for case in answered if not case.first_contact_resolution]) - 1 > 0
    for case in mailed:
        step = delivery.current(case.deliveries)[delivery.EMAIL]
        if step.status == delivery.SENT:
            assert delivery.notified_at(case.deliveries) == step.at
            assert step.at - case.responded_at < timedelta(hours=1)  # type: ignore[operator]
    bounced = [case for case in mailed
               if delivery.current(case.deliveries)[delivery.EMAIL].status == delivery.BOUNCED]
    assert bounced and all(delivery.AVISO in delivery.current(case.deliveries) for case in bounced)
