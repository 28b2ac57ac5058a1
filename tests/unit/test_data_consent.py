"""The requester's authorisation to process their personal data (Ley 1581 de 2012 arts. 9 and 17 b;
Decreto 1377 de 2013 arts. 7–8) is recorded with the case, as proof: which notice, when, by which
channel."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta, timezone

import pytest

from pqrs_core.domain.case import Case
from pqrs_core.domain.errors import ValidationError
from pqrs_core.domain.events import CaseFiled
from pqrs_core.domain.values import DataConsent, Requester, RequesterKind
from pqrs_core.services.messagebus import Pqrs

from .support import MONDAY, REQUESTER, file, number

BOGOTA = timezone(timedelta(hours=-5))
NOTICE = "Autorizo el tratamiento de mis datos personales para atender esta solicitud."
DIGEST = hashlib.sha256(NOTICE.encode()).hexdigest()


def consent(**overrides: object) -> DataConsent:
    values: dict[str, object] = {"given_at": MONDAY.astimezone(BOGOTA) - timedelta(minutes=2),
                                 "notice_version": "2026-03", "notice_digest": DIGEST,
                                 "channel": "web_form"}
    values.update(overrides)
    return DataConsent(**values)  # type: ignore[arg-type]


def test_the_consent_is_recorded_on_the_filing_event_and_the_case_and_survives_replay(pqrs: Pqrs) -> None:
    case = file(pqrs, REQUESTER, channel="web_form", consent=consent())

    expected = consent(given_at=MONDAY - timedelta(minutes=2))
    assert case.consent == expected and case.consent.given_at.tzinfo == UTC
    [filed, *_] = pqrs.history(number(case))
    assert isinstance(filed, CaseFiled) and filed.consent == expected
    stored = pqrs.case(number(case))
    assert stored.consent == expected
    replayed = Case.replay(pqrs.history(number(case)), pqrs.catalog().workflow(stored.workflow))
    assert replayed.consent == expected


def test_a_case_filed_without_consent_has_none(pqrs: Pqrs) -> None:
    assert file(pqrs).consent is None


@pytest.mark.parametrize(("overrides", "field"), [
    ({"notice_version": " "}, "consent.notice_version"),
    ({"notice_digest": "abc"}, "consent.notice_digest"),
    ({"channel": "paloma_mensajera"}, "consent.channel"),
    ({"given_at": datetime(2026, 3, 2, 9, 0)}, "consent.given_at"),  # noqa: DTZ001 - naive on purpose
    ({"given_at": MONDAY + timedelta(hours=1)}, "consent.given_at"),
])
def test_an_unusable_consent_is_refused_and_nothing_is_filed(pqrs: Pqrs, overrides: dict[str, object],
                                                              field: str) -> None:
    with pytest.raises(ValidationError) as refused:
        file(pqrs, REQUESTER, channel="web_form", consent=consent(**overrides))

    assert field in refused.value.errors
    assert pqrs.count() == 0


@pytest.mark.parametrize(("requester", "needs_consent"), [
    (Requester(kind=RequesterKind.ANONYMOUS), False),
    (Requester(kind=RequesterKind.ANONYMOUS, document_type="CC"), False),
    (Requester(kind=RequesterKind.ANONYMOUS, email="alguien@example.com"), True),
    (Requester(kind=RequesterKind.ANONYMOUS, phone="+57 300 555 1234"), True),
    (Requester(full_name="Marta Gómez"), True),
    (Requester(document_type="CC", document_number="43123456"), True),
    (Requester(address="Calle 10 # 5-20"), True),
])
def test_consent_is_needed_only_when_personal_data_is_given(requester: Requester,
                                                            needs_consent: bool) -> None:
    assert requester.gives_personal_data is needs_consent


def test_an_anonymous_filing_without_personal_data_is_filed_without_consent(pqrs: Pqrs) -> None:
    case = file(pqrs, REQUESTER, kind="denuncia", channel="web_form",
                requester=Requester(kind=RequesterKind.ANONYMOUS))

    assert case.consent is None and case.requester.kind == RequesterKind.ANONYMOUS
