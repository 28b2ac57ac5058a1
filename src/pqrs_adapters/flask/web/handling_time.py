"""Handling times measured by the forms (seed 002: 2 minutes to file, 4 min 30 s to answer): the new-case
form and the response form carry, in a hidden field, the instant they were first opened by the
application's clock, signed so that it cannot be changed in the browser. Refused and re-shown, a form
keeps its first instant; when it is finally sent, the seconds since then go with the command and stay in
the filing or response event."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import current_app, request
from itsdangerous import BadSignature, URLSafeSerializer
from markupsafe import Markup

from pqrs_core.domain.handling import MAX_HANDLING_SECONDS

from .common import now

FIELD = "abierto"
_SALT = "pqrs.form-opened"


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(str(current_app.secret_key), salt=_SALT)


def opened_field() -> Markup:
    """The hidden input: the value the form came back with when it is re-shown, else now, signed."""
    value = request.form.get(FIELD, "") if request.method == "POST" else ""
    if not value or _instant(value) is None:
        value = str(_serializer().dumps(int(now().timestamp())))
    return Markup('<input type="hidden" name="{}" value="{}">').format(FIELD, value)


def _instant(value: str) -> datetime | None:
    try:
        stamp = _serializer().loads(value)
    except BadSignature:
        return None
    if not isinstance(stamp, int) or isinstance(stamp, bool):
        return None
    try:
        return datetime.fromtimestamp(stamp, UTC)
    except (OverflowError, OSError, ValueError):
        return None


def seconds_since_opened() -> int | None:
    """Seconds from the form's first opening to now; ``None`` when the form carries no valid instant or
    was open longer than a working day (or its instant is in the future)."""
    opened = _instant(request.form.get(FIELD, ""))
    if opened is None:
        return None
    seconds = int((now() - opened).total_seconds())
    return seconds if 0 <= seconds <= MAX_HANDLING_SECONDS else None
