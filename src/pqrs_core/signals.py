"""Domain events leave the core as blinker signals, sent only after their transaction commits.

``case_event`` carries every event; ``signal_for(EventClass)`` carries one kind. Connect receivers as
module-level functions or with ``weak=False`` (blinker drops weakly-referenced lambdas)::

    from pqrs_core.signals import signal_for
    from pqrs_core.domain.events import CaseFiled

    def on_filed(sender, event):
        print(event.filing_number)

    signal_for(CaseFiled).connect(on_filed)
"""

from __future__ import annotations

from blinker import Namespace, Signal

from .domain.events import DomainEvent

_signals = Namespace()
case_event: Signal = _signals.signal("pqrs.case-event", doc="Every committed domain event.")


def signal_for(event_type: type[DomainEvent]) -> Signal:
    return _signals.signal(f"pqrs.{event_type.__name__}")


def publish(event: DomainEvent, sender: object = None) -> None:
    case_event.send(sender, event=event)
    signal_for(type(event)).send(sender, event=event)
