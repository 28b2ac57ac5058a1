"""The rules about a case's files: who sees which, and what an upload may cost.

- **Visibility.** The people who keep the work log (``Permission.NOTE``) see every attachment; anyone
  else who may see the case (the requester, a consultant) sees the public ones only. The requester's
  own files are public: they sent them. The service team chooses for each of theirs, internal when
  they do not say.
- **Closed cases.** Once the case is done the requester may send files only while a counter-response
  would still reopen it (seed 002's window: the workflow's ``reopen`` transition and its guard).
- **Quotas.** Per case, a number of files and a total of bytes; per person and hour, a number of
  files and of bytes, counted by the store's ``RateCounter`` so that every worker shares the count.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from .access import Permission
from .catalog import Catalog
from .errors import InvalidOperation, LimitExceeded, ValidationError
from .requester_replies import counter_response_refusal
from .values import AttachmentInfo

if TYPE_CHECKING:
    from ..settings import Settings
    from .case import Case

HOUR = timedelta(hours=1)
FILES_BUCKET = "attachments.files"
BYTES_BUCKET = "attachments.bytes"
_MB = 1024 * 1024


def sees_internal(permissions: Iterable[str]) -> bool:
    """Whether someone with ``permissions`` sees internal attachments (the work-log keepers)."""
    return Permission.NOTE in set(permissions)


def visible_attachments(case: Case, permissions: Iterable[str]) -> tuple[AttachmentInfo, ...]:
    """The attachments of ``case`` that someone with ``permissions`` may list and download."""
    if sees_internal(permissions):
        return case.attachments
    return tuple(a for a in case.attachments if a.public)


def chosen_visibility(public: bool | None, permissions: Iterable[str]) -> bool:
    """Whether a new attachment is public: the service team's choice (internal by default); always
    for anyone else, whose files are for the case's both sides."""
    if sees_internal(permissions):
        return bool(public)
    if public is False:
        raise ValidationError({"public": "solo el equipo de servicio puede adjuntar archivos internos"})
    return True


def _mb(size: int) -> str:
    return f"{size / _MB:.0f} MB" if size >= _MB else f"{max(1, size // 1024)} KB"


def check_case_accepts(case: Case, size: int, *, permissions: Iterable[str], catalog: Catalog,
                       settings: Settings, guard_settings: Mapping[str, Any], now: datetime) -> None:
    """Refuse a new attachment of ``size`` bytes that the case cannot take: a closed case for the
    requester's side outside the counter-response window (``InvalidOperation``), or past the case's
    quotas (``LimitExceeded``, with no ``retry_at``: waiting does not help)."""
    if Permission.WORK not in set(permissions) and not case.is_open:
        refusal = counter_response_refusal(case, catalog, now, guard_settings)
        if refusal is not None:
            raise InvalidOperation(f"El caso está cerrado y ya no recibe archivos ({refusal}). "
                                   "Si necesita enviar documentos, radique un caso nuevo.")
    if len(case.attachments) >= settings.max_attachments_per_case:
        raise LimitExceeded("content", f"El caso ya tiene el máximo de {settings.max_attachments_per_case} "
                                       "archivos adjuntos.")
    used = sum(a.size for a in case.attachments)
    if used + size > settings.max_case_attachment_bytes:
        left = max(0, settings.max_case_attachment_bytes - used)
        raise LimitExceeded("content", f"Los archivos de un caso suman como máximo "
                                       f"{_mb(settings.max_case_attachment_bytes)}; a este caso le quedan "
                                       f"{_mb(left) if left else '0 MB'}.")
