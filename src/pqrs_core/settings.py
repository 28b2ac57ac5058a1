"""Organisation settings the core needs, as plain data (adapters read them from the environment)."""

from __future__ import annotations

import attrs

from .domain.calendar import BusinessCalendar
from .domain.letters import Letterhead


@attrs.frozen
class Settings:
    filing_prefix: str = "PQRS"
    timezone: str = "America/Bogota"
    # Seed 002: the requester has at most 3 days to send a counter-response that reopens the case.
    counter_response_window_days: int = 3
    organisation_name: str = "Organización de ejemplo"
    max_attachment_bytes: int = 10 * 1024 * 1024
    # What attachments may cost: per case in total, and per person (whoever sends them) per hour.
    max_attachments_per_case: int = 30
    max_case_attachment_bytes: int = 100 * 1024 * 1024
    max_uploads_per_hour: int = 20
    max_upload_bytes_per_hour: int = 60 * 1024 * 1024
    attachment_types: frozenset[str] = frozenset({
        "application/pdf", "image/png", "image/jpeg", "image/gif", "text/plain", "text/csv",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/msword", "application/vnd.ms-excel", "message/rfc822",
    })

    # When the organisation works: time zone, weekdays, hours, country/subdivision holidays. Closure
    # days are data in the catalog and are added to this calendar.
    calendar: BusinessCalendar = attrs.field(factory=BusinessCalendar)
    # Share of a term after which an open case is "at risk", and the shares at which alarms are raised.
    risk_threshold: float = 0.8
    alarm_fractions: tuple[float, ...] = (0.5, 0.8, 1.0)
    # The organisation is a public authority or a private party performing public functions. Some terms
    # bound only those: Decreto Legislativo 491 de 2020 art. 5 (the COVID-19 emergency terms).
    public_functions: bool = False
    # Official letters (oficios, see domain/letters.py): the letterhead they are printed on, and which
    # communications produce one as a PDF attached to the case (``response``, ``acknowledgement``...).
    # None by default: a library user opts in (the bundled application issues response letters).
    letterhead: Letterhead | None = None
    letters: frozenset[str] = frozenset()
    # The response letter waits for a second person's approval (``Permission.APPROVE_LETTERS``) before
    # it is sent (seed 004's document flow: drafted, approved, sent).
    letters_need_approval: bool = False
    # The address requesters reach the application at (``https://pqrs.example.co``): a signed letter's
    # verification page is printed under it.
    public_url: str | None = None

    def issued_letterhead(self) -> Letterhead:
        return self.letterhead or Letterhead(name=self.organisation_name)

    def as_guard_settings(self) -> dict[str, object]:
        return {"counter_response_window_days": self.counter_response_window_days}
