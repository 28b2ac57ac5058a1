"""A case's deadline explained from its history, in Spanish, for the requester or a regulator:
which policy and legal source applied, when the term was paused and resumed, extended or restarted,
and where it stands now."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from zoneinfo import ZoneInfo

from . import events as ev
from .filing_window import FilingCheck
from .sla import STATUS_LABELS, TermReading
from .terms import TermStart


def _when(instant: datetime, zone: ZoneInfo) -> str:
    local = instant.astimezone(zone)
    return local.strftime("%d/%m/%Y %H:%M")  # as the application shows every date


def explain_term(history: Iterable[ev.DomainEvent], zone: ZoneInfo,
                 reading: TermReading | None = None, filing: FilingCheck | None = None) -> list[str]:
    """One line per event that shaped the deadline, oldest first, whether the request itself was
    filed in time (``filing``, for a recurso), and the status at the end."""
    lines: list[str] = []
    for event in history:
        at = _when(event.occurred_at, zone)
        match event:
            case ev.CaseFiled():
                lines.append(f"{at}: radicado; recibido el {_when(event.received_at, zone)}.")
            case ev.TermStarted():
                start = (f"contado desde {_when(event.counted_from, zone)}" if event.counted_from
                         else "contado desde el día de la recepción"
                         if event.term.start is TermStart.RECEPTION_DAY
                         else "contado desde el día siguiente a la recepción")
                lines.append(f"{at}: término «{event.policy_label}» de {event.term.describe()} "
                             f"({event.source or 'sin fuente'}), {start}; vence el "
                             f"{_when(event.resolution_due, zone)}. Motivo: {event.reason}.")
            case ev.TermPaused():
                lines.append(f"{at}: término suspendido mientras el peticionario aporta información.")
            case ev.TermSuspended():
                why = f" ({event.source})" if event.source else ""
                lines.append(f"{at}: término suspendido por {event.cause_label.lower()}: {event.reason}"
                             f"{why}. Mientras dure no corre el término ni opera el silencio "
                             "administrativo positivo.")
            case ev.TermResumed():
                lines.append(f"{at}: término reanudado; ahora vence el {_when(event.due_after, zone)}.")
            case ev.TermExtended():
                lines.append(f"{at}: prórroga de {event.extra} ({event.reason}); vencía el "
                             f"{_when(event.due_before, zone)}, ahora vence el "
                             f"{_when(event.due_after, zone)}.")
            case ev.CompletionRequested():
                late = " (fuera de los 10 días del art. 17)" if event.late else ""
                lines.append(f"{at}: se pidió completar la petición{late}; el peticionario tiene hasta el "
                             f"{_when(event.requester_due, zone)}.")
            case ev.CompletionTimeExtended():
                lines.append(f"{at}: el peticionario pidió más plazo; ahora hasta el "
                             f"{_when(event.requester_due, zone)}.")
            case ev.CompletionReceived(resumed=True):
                lines.append(f"{at}: el peticionario completó la petición; el término se reanuda con "
                             "los días hábiles que le quedaban. La Ley 1755 de 2015 art. 17 dice que el "
                             "término «se reactivará» sin precisar si se reinicia completo o continúa; "
                             "esta política aplica la lectura más segura: continúa.")
            case ev.CompletionReceived():
                lines.append(f"{at}: el peticionario completó la petición; el término se reinicia "
                             "completo desde el día siguiente (Ley 1755 de 2015 art. 17, según la "
                             "política del caso).")
            case ev.TermAlarmRaised():
                lines.append(f"{at}: alarma al {round(event.fraction * 100)} % del término.")
            case ev.CaseEscalated():
                lines.append(f"{at}: escalado de «{event.queue_before}» a «{event.queue_after}» "
                             f"({event.reason}).")
            case ev.CaseResponded():
                lines.append(f"{at}: respuesta enviada al peticionario.")
            case ev.TermEnded():
                outcome = "a tiempo" if event.met else "después del vencimiento"
                lines.append(f"{at}: el término terminó {outcome} al pasar el caso a "
                             f"«{event.state_label or event.state}».")
            case ev.CaseReopened():
                lines.append(f"{at}: caso reabierto ({event.reason}); el término anterior terminó con "
                             "la respuesta y empieza uno nuevo, contado desde la reapertura.")
            case ev.CaseTransferred():
                late = " (fuera de los 5 días del art. 21)" if event.late else ""
                lines.append(f"{at}: trasladado a {event.entity}{late}.")
            case ev.PetitionWithdrawn():
                lines.append(f"{at}: desistimiento tácito declarado: {event.reason}.")
    if filing is not None:
        lines.append(filing.describe())
    if reading is not None and reading.paused_since is not None:
        # The deadline before the pause is stale: it moves by the time the pause lasts.
        lines.append(f"Estado del término: {STATUS_LABELS[reading.status]} desde "
                     f"{_when(reading.paused_since, zone)}; el vencimiento se correrá lo que dure la pausa.")
    elif reading is not None:
        lines.append(f"Estado del término: {STATUS_LABELS[reading.status]}; vence el "
                     f"{_when(reading.due, zone)}.")
    return lines
