"""``SqlOutgoingNumbers``: the outgoing numbers' series, counters and register (``outgoing_*`` tables)."""

from __future__ import annotations

from sqlalchemy import Connection, Select, select

from pqrs_core.domain.outgoing import OutgoingNumber

from .codec import upsert
from .numbers import next_in
from .tables import outgoing_numbers, outgoing_sequences, outgoing_series


class SqlOutgoingNumbers:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def series(self) -> dict[str, str]:
        return {kind: fmt for kind, fmt in self._conn.execute(select(outgoing_series.c.kind,
                                                                     outgoing_series.c.format))}

    def put_series(self, kind: str, fmt: str) -> None:
        upsert(self._conn, outgoing_series, {"kind": kind, "format": fmt}, ["kind"])

    def next(self, series: str, year: int) -> int:
        return next_in(self._conn, outgoing_sequences, {"series": series, "year": year})

    def record(self, number: OutgoingNumber) -> None:
        self._conn.execute(outgoing_numbers.insert().values(
            number=number.number, number_key=number.number.casefold(), series=number.series,
            kind=number.kind, case_id=number.case_id, filing_number=number.filing_number,
            issued_at=number.issued_at))

    def find(self, number: str) -> OutgoingNumber | None:
        row = self._conn.execute(select(outgoing_numbers).where(
            outgoing_numbers.c.number_key == number.strip().casefold())).first()
        if row is None:
            return None
        return OutgoingNumber(number=row.number, kind=row.kind, case_id=row.case_id,
                              filing_number=row.filing_number, issued_at=row.issued_at)


def case_ids_with_number(key: str) -> Select[tuple[str]]:
    """The case that sent the communication whose number's ``search_key`` is ``key``."""
    return select(outgoing_numbers.c.case_id).where(outgoing_numbers.c.number_key == key)
