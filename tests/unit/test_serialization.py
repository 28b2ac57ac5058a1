"""Domain events survive the trip to plain data (JSON) and back: what the stores and APIs rely on."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone

from hypothesis import given, settings
from hypothesis import strategies as st

from pqrs_core.domain.case import Case
from pqrs_core.domain.events import (
    EVENT_TYPES,
    LEGACY_EVENT_TYPES,
    CaseDeleted,
    CaseFiled,
    DomainEvent,
    FieldChanged,
)
from pqrs_core.domain.typification import Typification
from pqrs_core.domain.values import DocumentReference, ReferenceKind, Requester, RequesterKind
from pqrs_core.serialization import event_from_plain, event_to_plain, make_converter

from .scenarios import (
    approval_case,
    every_event_case,
    legal_cases,
    notified_case,
    voided_case,
    voided_outgoing_case,
)

CONVERTER = make_converter()


def round_trip(event: DomainEvent) -> DomainEvent:
    name, data = event_to_plain(CONVERTER, event)
    stored = json.loads(json.dumps(data))  # what a JSON column holds
    return event_from_plain(CONVERTER, name, stored, case_id=event.case_id, actor=event.actor,
                            occurred_at=event.occurred_at)


def test_the_scenario_produces_every_event_type() -> None:
    pqrs, n = every_event_case()
    legal, numbers = legal_cases()
    voided, d = voided_case()
    seen = {e.name for e in pqrs.history(n)} | {e.name for m in numbers for e in legal.history(m)}
    seen |= {e.name for e in voided.history(d, include_deleted=True)}
    approval, a = approval_case()
    seen |= {e.name for e in approval.history(a)}
    notified, k = notified_case()
    seen |= {e.name for e in notified.history(k)}
    outgoing, o = voided_outgoing_case()
    seen |= {e.name for e in outgoing.history(o)}
    assert seen == set(EVENT_TYPES) - LEGACY_EVENT_TYPES


def test_a_case_deleted_before_voiding_existed_still_reads_back_and_replays() -> None:
    pqrs, n = every_event_case()
    stored = pqrs.case(n)
    at = datetime(2026, 5, 4, 15, 0, tzinfo=UTC)
    deleted = CaseDeleted(case_id=stored.id, actor="root", occurred_at=at, reason="Duplicado")
    assert round_trip(deleted) == deleted
    history = [*pqrs.history(n), deleted]
    assert Case.replay(history, pqrs.catalog().workflow(stored.workflow)).deleted_at == at


def test_every_event_type_round_trips_through_plain_json_data() -> None:
    pqrs, n = every_event_case()
    legal, numbers = legal_cases()
    voided, d = voided_case()
    approval, a = approval_case()
    notified, k = notified_case()
    outgoing, o = voided_outgoing_case()
    for event in [*pqrs.history(n), *(e for m in numbers for e in legal.history(m)),
                  *voided.history(d, include_deleted=True), *approval.history(a), *notified.history(k),
                  *outgoing.history(o)]:
        name, data = event_to_plain(CONVERTER, event)
        assert name == event.name == type(event).__name__
        assert not {"case_id", "actor", "occurred_at"} & set(data)  # stored in columns of their own
        back = round_trip(event)
        assert type(back) is type(event)
        assert back == event, name


def test_a_history_read_back_from_plain_data_replays_to_the_same_case() -> None:
    pqrs, n = every_event_case()
    stored = pqrs.case(n)
    history = [round_trip(e) for e in pqrs.history(n)]
    replayed = Case.replay(history, pqrs.catalog().workflow(stored.workflow))
    replayed.version = stored.version
    assert replayed == stored


def test_a_history_with_an_approved_response_replays_to_the_same_case() -> None:
    pqrs, n = approval_case()
    stored = pqrs.case(n)
    replayed = Case.replay([round_trip(e) for e in pqrs.history(n)], pqrs.catalog().workflow(stored.workflow))
    replayed.version = stored.version
    assert replayed == stored and stored.pending_response is None and stored.attachments


def test_datetimes_keep_their_instant_and_offset() -> None:
    bogota = timezone(timedelta(hours=-5))
    event = FieldChanged(case_id="c", actor="a", occurred_at=datetime(2026, 3, 2, 9, 0, tzinfo=bogota),
                         field="subject", before="a", after="b")
    _, data = event_to_plain(CONVERTER, event)
    assert data == {"field": "subject", "before": "a", "after": "b"}
    filed = CaseFiled(case_id="c", actor="a", occurred_at=datetime(2026, 3, 2, 14, tzinfo=UTC),
                      filing_number="PQRS-2026-000001", kind="queja", subject="s", description="d",
                      workflow="generic", state="filed", requester=Requester(),
                      received_at=datetime(2026, 2, 27, 16, 30, tzinfo=bogota))
    _, data = event_to_plain(CONVERTER, filed)
    assert data["received_at"] == "2026-02-27T16:30:00-05:00"
    assert round_trip(filed) == filed


# --- properties ----------------------------------------------------------------------------------

texts = st.text(max_size=40)
optional_texts = st.none() | texts
aware_datetimes = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1),
                               timezones=st.sampled_from([UTC, timezone(timedelta(hours=-5)),
                                                          timezone(timedelta(hours=5, minutes=30))]))
requesters = st.builds(
    Requester, kind=st.sampled_from(list(RequesterKind)), customer_id=optional_texts, branch=optional_texts,
    lead_id=optional_texts, full_name=optional_texts, document_type=optional_texts,
    document_number=optional_texts, address=optional_texts, email=optional_texts, phone=optional_texts,
    user=optional_texts,
)
typifications = st.lists(st.tuples(texts, texts), min_size=1, max_size=3).flatmap(
    lambda pairs: st.builds(Typification, code=st.just(pairs[-1][0]), version=st.integers(1, 50),
                            path=st.just(tuple(p[1] for p in pairs)),
                            path_codes=st.just(tuple(p[0] for p in pairs))))
json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**53), 2**53) | texts,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(texts, children, max_size=3),
    max_leaves=8,
)


@settings(max_examples=75, deadline=None)
@given(
    requester=requesters, typification=st.none() | typifications, at=aware_datetimes,
    received=aware_datetimes,
    subject=texts, custom=st.dictionaries(texts, json_values, max_size=3),
    refs=st.lists(st.builds(DocumentReference, st.sampled_from(list(ReferenceKind)), texts), max_size=3),
    missing=st.lists(texts, max_size=3), verbal=st.booleans(),
)
def test_case_filed_round_trips(requester: Requester, typification: Typification | None, at: datetime,
                                received: datetime, subject: str, custom: dict[str, object],
                                refs: list[DocumentReference], missing: list[str], verbal: bool) -> None:
    event = CaseFiled(case_id="id", actor="ana", occurred_at=at, filing_number="PQRS-2026-000001",
                      kind="queja", subject=subject, description="d", workflow="generic", state="filed",
                      requester=requester, typification=typification, references=tuple(refs),
                      custom_fields=custom, missing_information=tuple(missing), received_at=received,
                      verbal=verbal)
    assert round_trip(event) == event


@settings(max_examples=75, deadline=None)
@given(field=texts, before=json_values, after=json_values, at=aware_datetimes)
def test_field_changed_round_trips(field: str, before: object, after: object, at: datetime) -> None:
    event = FieldChanged(case_id="id", actor="ana", occurred_at=at, field=field, before=before, after=after)
    assert round_trip(event) == event
