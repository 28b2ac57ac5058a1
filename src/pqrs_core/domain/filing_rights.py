"""What a filing may contain, by who files it.

Staff who register the cases the organisation receives (the service team: ``case.work``) record how
each one arrived: when and by whom it was received, whether verbally, through which channel, with which
priority, where it goes. Requesters and consultants file for themselves: the reception is their filing
(its instant starts the legal term, so a back-dated ``received_at`` would make a case born overdue), the
channel is the one they file through, and the priority is the service team's to set or derive, never
the requester's to choose.
"""

from __future__ import annotations

import attrs

from .access import Permission
from .commands import FileCase
from .errors import Problems
from .values import Actor

# Fields only the service team sets, with what a requester is told when they send one.
STAFF_ONLY_FIELDS = {
    "received_at": "la fecha de recepción la registra el equipo de servicio",
    "received_by": "quién recibió el caso lo registra el equipo de servicio",
    "verbal": "una petición verbal la registra el equipo de servicio",
    "priority": "la prioridad la asigna el equipo de servicio",
    "important": "la prioridad la asigna el equipo de servicio",
    "urgent": "la prioridad la asigna el equipo de servicio",
    "assignee": "lo asigna el equipo de servicio",
    "queue": "lo asigna el equipo de servicio",
    "external_source": "el radicado en otro sistema lo registra el equipo de servicio",
    "external_number": "el radicado en otro sistema lo registra el equipo de servicio",
}


def registers_cases(permissions: frozenset[str]) -> bool:
    """Whether an actor with ``permissions`` registers received cases (the service team)."""
    return Permission.WORK in permissions


def authorised_filing(command: FileCase, actor: Actor, permissions: frozenset[str]) -> FileCase:
    """``command`` as ``actor`` may file it, with its channel settled; a ``ValidationError`` names every
    field they may not set.

    The channel: staff name the one the case arrived through, by default the entry point's
    (``entry_channel``); anyone else files through the entry point, so its channel is theirs, and
    naming another is refused. A caller of the library that gives no entry point is trusted with the
    channel it names."""
    if registers_cases(permissions):
        return attrs.evolve(command, channel=command.channel or command.entry_channel)
    problems = Problems()
    if command.requester.user not in (None, actor.username):
        problems.add("requester.user", "solo puede radicar a su propio nombre")
    for field, message in STAFF_ONLY_FIELDS.items():
        if getattr(command, field) not in (None, False, ""):
            problems.add(field, message)
    entry = command.entry_channel
    if entry and command.channel and command.channel != entry:
        problems.add("channel", f"es el canal por el que radica («{entry}»)")
    problems.raise_if_any()
    return attrs.evolve(command, channel=entry or command.channel)
