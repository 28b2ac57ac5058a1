"""Every domain event is a webhook type with a Spanish description and a section in docs/webhooks.md
that lists each of its fields; payloads are versioned and their JSON is stable."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import attrs
import pytest

from pqrs_adapters.sqlalchemy.codec import store_converter
from pqrs_adapters.webhooks.events import DESCRIPTIONS, WEBHOOK_TYPES, body, payload, webhook_type
from pqrs_core.domain.events import EVENT_TYPES, CaseTagged, DomainEvent

DOC = (Path(__file__).resolve().parents[2] / "docs" / "webhooks.md").read_text("utf-8")
COMMON = {f.name for f in attrs.fields(DomainEvent)}


def test_names_follow_the_domain_events() -> None:
    assert webhook_type("CaseFiled") == "case.filed"
    assert webhook_type("NoteAdded") == "case.note_added"
    assert webhook_type("CaseReturnedForRetypification") == "case.returned_for_retypification"
    assert list(WEBHOOK_TYPES.values()) == list(EVENT_TYPES)
    assert list(DESCRIPTIONS) == list(WEBHOOK_TYPES)


@pytest.mark.parametrize("name", list(EVENT_TYPES))
def test_every_event_type_is_documented_with_its_fields(name: str) -> None:
    kind = webhook_type(name)
    found = re.search(rf"^### `{re.escape(kind)}`\n(.*?)(?=^##)", DOC, re.S | re.M)
    assert found, f"{kind} is not documented in docs/webhooks.md"
    section = found.group(1)
    for field in attrs.fields(EVENT_TYPES[name]):
        if field.name not in COMMON:
            assert f"| `{field.name}` |" in section, f"{kind}: field {field.name} is not documented"


def test_the_payload_is_versioned_and_its_instants_are_utc() -> None:
    at = datetime(2026, 3, 2, 9, 0, tzinfo=ZoneInfo("America/Bogota"))
    event = CaseTagged(case_id="c1", actor="ana", occurred_at=at, added=("vip",))

    content = payload(store_converter(), event, "PQRS-2026-000001")

    assert content == {"type": "case.tagged", "version": 1, "timestamp": "2026-03-02T14:00:00+00:00",
                       "data": {"case_id": "c1", "filing_number": "PQRS-2026-000001", "actor": "ana",
                                "added": ["vip"], "removed": []}}
    text = body({**content, "when": datetime(2026, 1, 1, tzinfo=UTC)})
    assert json.loads(text)["when"] == "2026-01-01T00:00:00+00:00" and " " not in text.split('"data"')[0]
