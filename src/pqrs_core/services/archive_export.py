"""A closed case as a case file (*expediente*) for the organisation's archive: every document and
message in the order they entered the case, the case's data and the retention-table rule it is
filed under (Ley 594 de 2000; Acuerdo 004 de 2019 AGN). The adapters pack it (``pqrs_adapters.documents.
archive_package``); the bytes of each file are read only when the package is written.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from datetime import date, datetime, time, timedelta
from functools import partial
from zoneinfo import ZoneInfo

import attrs

from ..domain import events as ev
from ..domain.access import Permission
from ..domain.case import Case
from ..domain.catalog import Catalog
from ..domain.errors import InvalidOperation, PermissionDenied, ValidationError
from ..domain.retention import RetentionFound, retention_for
from ..domain.values import Actor
from ..ports import CaseQuery
from .messagebus import Pqrs

BULK_PAGE = 100
MAX_RANGE_DAYS = 366 * 5
MIN_YEAR, MAX_YEAR = 1900, 9000
MAX_NAME = 80


@attrs.frozen
class ArchiveDocument:
    """One file of the case file: ``order`` from 1, ``name`` unique within the package."""

    order: int
    name: str
    title: str
    created_at: datetime
    media_type: str
    origin: str  # "adjunto", "carta", "correo" (a message as it arrived), "mensaje"
    read: Callable[[], bytes] = attrs.field(repr=False, eq=False)


@attrs.frozen
class CaseFile:
    """What an archive package holds, besides the index and control sheet made from it."""

    case: Case
    catalog: Catalog
    documents: tuple[ArchiveDocument, ...]
    retention: RetentionFound | None
    exported_at: datetime
    exported_by: str
    timezone: str


# The messages of a case, as the events that carry them: (title, text of the event).
def _message(event: ev.DomainEvent) -> tuple[str, str] | None:
    match event:
        case ev.CaseFiled():
            return "Solicitud radicada", f"Asunto: {event.subject}\n\n{event.description}"
        case ev.RequesterReplied():
            return ("Contrarrespuesta del peticionario" if event.counter_response
                    else "Mensaje del peticionario"), event.message
        case ev.InformationRequested():
            return "Solicitud de información", event.message
        case ev.CompletionRequested():
            missing = "; ".join(event.missing)
            return "Requerimiento para completar la petición", event.message + (
                f"\n\nFaltantes: {missing}" if missing else "")
        case ev.CaseResponded():
            return "Respuesta", event.text
        case ev.NoteAdded() if event.public:
            return "Nota visible para el peticionario", event.text
        case ev.TermExtended():
            return "Prórroga del término", event.reason
        case ev.CaseTransferred():
            return "Traslado por competencia", f"Entidad: {event.entity}\n\n{event.reason}"
        case ev.PetitionWithdrawn():
            return "Desistimiento", event.reason
        case ev.CaseReopened():
            return "Reapertura", event.reason
    return None


def safe_name(filename: str, fallback: str = "archivo") -> str:
    """``filename`` reduced to letters, digits, ``.-_`` (no accents, no folders), at most ``MAX_NAME``
    characters, its extension kept."""
    plain = unicodedata.normalize("NFKD", filename.replace("\\", "/").rsplit("/", 1)[-1])
    plain = plain.encode("ascii", "ignore").decode("ascii").lower()
    plain = re.sub(r"[^a-z0-9._-]+", "-", plain).strip("-.")
    if not plain:
        return fallback
    stem, dot, extension = plain.rpartition(".")
    if dot and stem and len(extension) <= 10:
        return f"{stem[:MAX_NAME - len(extension) - 1]}.{extension}"
    return plain[:MAX_NAME]


def _text_file(number: str, title: str, event: ev.DomainEvent, body: str, timezone: str) -> bytes:
    at = event.occurred_at.astimezone(ZoneInfo(timezone))
    head = (f"{title}\nRadicado: {number}\nFecha: {at.isoformat(timespec='seconds')}\n"
            f"Registrado por: {event.actor}\n")
    return (head + "\n" + body.strip() + "\n").encode("utf-8")


def _documents(case: Case, history: list[ev.DomainEvent], read: Callable[[str], bytes],
               timezone: str) -> tuple[ArchiveDocument, ...]:
    number = str(case.filing_number)
    found: list[ArchiveDocument] = []
    for event in history:
        order = len(found) + 1
        if isinstance(event, ev.AttachmentAdded):
            info = event.attachment
            origin = ("carta" if event.letter else
                      "correo" if info.content_type == "message/rfc822" else "adjunto")
            found.append(ArchiveDocument(
                order=order, name=f"{order:03d}-{safe_name(info.filename)}", title=info.filename,
                created_at=event.occurred_at, media_type=info.content_type, origin=origin,
                read=partial(read, info.storage_key)))
            continue
        message = _message(event)
        if message is None:
            continue
        title, body = message
        content = _text_file(number, title, event, body, timezone)
        found.append(ArchiveDocument(
            order=order, name=f"{order:03d}-{safe_name(title)}.txt", title=title,
            created_at=event.occurred_at, media_type="text/plain; charset=utf-8", origin="mensaje",
            read=partial(bytes, content)))
    return tuple(found)


def may_export(pqrs: Pqrs, actor: Actor) -> Catalog:
    """The catalog, once ``actor`` is known to work cases (``PermissionDenied`` otherwise)."""
    catalog = pqrs.catalog()
    if Permission.WORK not in catalog.permissions(actor):
        raise PermissionDenied(Permission.WORK)
    return catalog


def case_file(pqrs: Pqrs, filing_number: str, actor: Actor) -> CaseFile:
    """The case file of a closed case ``actor`` may see and work on. ``InvalidOperation`` (409) for a
    case still open: a case file goes to the archive once the case is closed."""
    catalog = may_export(pqrs, actor)
    case = pqrs.case(filing_number, actor)
    if case.closed_at is None:
        raise InvalidOperation(
            f"El caso {case.filing_number} sigue abierto: solo se exporta el expediente de un caso "
            "cerrado, cuando ya no recibe documentos.")
    files = pqrs.deps.files
    if files is None:
        raise RuntimeError("no file store configured")
    history = pqrs.history(str(case.filing_number))
    timezone = pqrs.deps.settings.timezone
    return CaseFile(case=case, catalog=catalog, retention=retention_for(catalog, case),
                    documents=_documents(case, history, files.get, timezone),
                    exported_at=pqrs.deps.clock.now(), exported_by=actor.username, timezone=timezone)


def closed_between(pqrs: Pqrs, start: datetime, end: datetime, actor: Actor) -> Iterator[str]:
    """The filing numbers of the cases ``actor`` may see closed in ``[start, end)``, oldest first,
    read page by page."""
    query = CaseQuery(closed=True, closed_from=start, closed_to=end, sort="oldest", limit=BULK_PAGE)
    while True:
        page = pqrs.cases(query, actor=actor)
        for case in page.cases:
            yield str(case.filing_number)
        if page.next_cursor is None:
            return
        query = attrs.evolve(query, after=page.next_cursor)


def closing_range(first: date, last: date, timezone: str) -> tuple[datetime, datetime]:
    """The instants of the days ``first`` to ``last`` (both included) in the organisation's zone:
    ``[first 00:00, the day after last 00:00)``. ``ValidationError`` naming ``from`` or ``to`` for a
    day outside the years the store can hold, ``to`` before ``from`` or a range over five years."""
    for field, day in (("from", first), ("to", last)):
        if not MIN_YEAR <= day.year <= MAX_YEAR:
            raise ValidationError({field: f"debe estar entre los años {MIN_YEAR} y {MAX_YEAR}"})
    if last < first:
        raise ValidationError({"to": "la fecha final es anterior a la inicial"})
    if (last - first).days > MAX_RANGE_DAYS:
        raise ValidationError({"to": "el rango no puede pasar de cinco años"})
    zone = ZoneInfo(timezone)
    return (datetime.combine(first, time(), zone),
            datetime.combine(last + timedelta(days=1), time(), zone))


def case_files(pqrs: Pqrs, numbers: Iterable[str], actor: Actor) -> Iterator[CaseFile]:
    """The case file of each of ``numbers``, one at a time."""
    for number in numbers:
        yield case_file(pqrs, number, actor)
