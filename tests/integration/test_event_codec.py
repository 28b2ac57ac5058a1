"""The store's compact encoding of events (``event_codec``, migration 0041): what a row holds, and that
every event reads back exactly, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import pytest
from sqlalchemy import select

from pqrs_adapters.sqlalchemy import event_codec
from pqrs_adapters.sqlalchemy.codec import store_converter
from pqrs_adapters.sqlalchemy.event_codec import REFERENCE, compact_plain, decode, digest, encode, event_rows
from pqrs_adapters.sqlalchemy.tables import event_texts
from pqrs_core.domain.events import CaseFiled, CaseTransitioned, TermStarted
from pqrs_core.domain.sla import Alarm
from pqrs_core.domain.terms import Term, TermUnit
from pqrs_core.domain.values import Requester
from pqrs_core.serialization import event_to_plain

if TYPE_CHECKING:
    from conftest import StoreUnderTest

AT = datetime(2026, 3, 2, 15, 30, tzinfo=UTC)
SOURCE = "Ley 1437 de 2011 (CPACA) art. 14, sustituido por la Ley 1755 de 2015: 15 días hábiles siguientes."


def _events() -> list[Any]:
    common = {"case_id": "c-1", "actor": "asesor.01", "occurred_at": AT}
    return [
        CaseFiled(**common, filing_number="PQRS-2026-000001", kind="queja", subject="Demora",
                  description="Sin respuesta", workflow="generic", state="filed",
                  requester=Requester(full_name="Marta Gómez", email="marta@example.com"), received_at=AT),
        TermStarted(**common, policy="co_peticion_general", policy_label="Petición general", source=SOURCE,
                    term=Term(15, TermUnit.BUSINESS_DAYS), first_response_term=None, first_response_due=None,
                    resolution_due=AT, reason="Radicación", alarms=(Alarm(0.5, AT),)),
        CaseTransitioned(**common, transition="assign", state_before="filed", state_after="assigned",
                         category_after="todo"),
    ]


def test_an_event_is_stored_without_its_defaults_and_with_its_shared_text_by_reference() -> None:
    converter = store_converter()
    texts: dict[str, str] = {}
    name, data = encode(converter, _events()[0], texts)
    assert name == "CaseFiled"
    assert data["requester"] == {"full_name": "Marta Gómez", "email": "marta@example.com"}
    assert "channel" not in data and "verbal" not in data and "references" not in data and not texts
    name, data = encode(converter, _events()[1], texts)
    assert "source" not in data and data[REFERENCE + "source"] == digest(SOURCE)
    assert texts == {digest(SOURCE): SOURCE}
    assert data["term"] == {"amount": 15}  # the unit and start are the defaults


def test_the_migration_compacts_a_full_event_as_the_codec_writes_it() -> None:
    converter = store_converter()
    for event in _events():
        name, plain = event_to_plain(converter, event)
        full = json.loads(json.dumps(plain))  # as the migration reads a row written in full
        written: dict[str, str] = {}
        migrated: dict[str, str] = {}
        assert json.loads(json.dumps(compact_plain(converter, name, full, migrated))) == json.loads(
            json.dumps(encode(converter, event, written)[1], default=str))
        assert migrated == written


def test_every_event_reads_back_exactly_and_old_full_rows_too(sql_store: StoreUnderTest,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    assert sql_store.engine is not None
    converter = store_converter()
    events = _events()
    with sql_store.engine.begin() as conn:
        texts: dict[str, str] = {}
        rows = event_rows(converter, "c-1", events, first_seq=1, texts=texts)
        event_codec.write_texts(conn, texts)
        event_codec.write_texts(conn, texts)  # a text stored already is left as it is
        assert conn.execute(select(event_texts.c.text)).scalars().all() == [SOURCE]
        monkeypatch.setattr(event_codec, "_TEXTS", {})  # another process: the text is read from the store
        assert decode(conn, converter, rows) == events
        full = [{**row, "data": event_to_plain(converter, event)[1]}
                for row, event in zip(rows, events, strict=True)]
        assert decode(conn, converter, full) == events
