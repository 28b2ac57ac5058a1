"""The satisfaction survey's link: signed with the application's key (itsdangerous), naming the case and
the instant it was issued, valid for ``PQRS_SURVEY_DAYS`` by the application's clock.

The link is put in the response e-mail by the mail worker (``survey_url``), issued at the instant the
response was recorded, so the same message is written alike on a retry. Opening it shows a form; only
sending the form records an answer (a mail scanner that follows links casts no vote).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import attrs
from itsdangerous import BadSignature, URLSafeSerializer

from .config import Config
from .secret_key import secret_key

SALT = "pqrs.satisfaction-survey"
PATH = "/encuesta/"


class SurveyLinkError(Exception):
    """The token is not one we signed (tampered, truncated, signed with another key)."""


class SurveyLinkExpired(SurveyLinkError):
    """The token is ours but older than the survey's validity."""


@attrs.frozen
class SurveyTicket:
    """What a valid token says: the case and when the link was issued."""

    case_id: str
    issued_at: datetime


@attrs.frozen
class SurveyLinks:
    secret: str = attrs.field(repr=False)
    validity: timedelta = timedelta(days=30)
    public_url: str | None = None

    def token(self, case_id: str, issued_at: datetime) -> str:
        return str(URLSafeSerializer(self.secret, salt=SALT).dumps([case_id, int(issued_at.timestamp())]))

    def url(self, case_id: str, issued_at: datetime) -> str | None:
        """The absolute link for an e-mail; ``None`` without ``PQRS_PUBLIC_URL``."""
        if not self.public_url:
            return None
        return f"{self.public_url}{PATH}{self.token(case_id, issued_at)}"

    def read(self, token: str, now: datetime) -> SurveyTicket:
        """The ticket ``token`` carries; ``SurveyLinkExpired`` after its validity, ``SurveyLinkError``
        when it is not ours."""
        try:
            payload = URLSafeSerializer(self.secret, salt=SALT).loads(token)
        except BadSignature:
            raise SurveyLinkError(token) from None
        if (not isinstance(payload, list) or len(payload) != 2 or not isinstance(payload[0], str)
                or not isinstance(payload[1], int) or isinstance(payload[1], bool)):
            raise SurveyLinkError(token)
        try:
            issued = datetime.fromtimestamp(payload[1], UTC)
        except (OverflowError, OSError, ValueError):
            raise SurveyLinkError(token) from None
        ticket = SurveyTicket(case_id=payload[0], issued_at=issued)
        if now - issued > self.validity:
            raise SurveyLinkExpired(token)
        return ticket

    def expires_at(self, ticket: SurveyTicket) -> datetime:
        return ticket.issued_at + self.validity


def survey_links(config: Config) -> SurveyLinks:
    """The links ``config`` describes (key, validity, public address)."""
    return SurveyLinks(secret=secret_key(config), validity=timedelta(days=config.quality.survey_days),
                       public_url=config.quality.public_url)


# The notifications whose e-mail carries the survey: the response to the requester.
SURVEYED_TEMPLATES = frozenset({"response"})


def with_survey(links: SurveyLinks | None, template: str, case_id: str, issued_at: datetime,
                context: dict[str, object]) -> dict[str, object]:
    """``context`` with ``survey_url`` and ``survey_until`` (ISO) added for the response e-mail, when
    links can be made; unchanged otherwise."""
    if links is None or template not in SURVEYED_TEMPLATES:
        return context
    url = links.url(case_id, issued_at)
    if url is None:
        return context
    until = issued_at + links.validity
    return {**context, "survey_url": url, "survey_until": until.isoformat()}
