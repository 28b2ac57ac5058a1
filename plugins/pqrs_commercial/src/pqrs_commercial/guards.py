"""Transition guards: each returns ``None`` to allow a transition or a reason (Spanish) to refuse it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pqrs_core.domain.values import ReferenceKind
from pqrs_core.domain.workflow import GuardContext

from .catalog import FIELD_INVOICE_NUMBER

if TYPE_CHECKING:
    from pqrs_core.domain.case import Case


def has_invoice_reference(case: Case, context: GuardContext) -> str | None:
    """Allow the transition only when the case names the invoice it is about: an ``invoice``
    reference in ``case.references`` or a non-empty custom field ``numero_factura``."""
    if any(ref.kind is ReferenceKind.INVOICE and ref.number.strip() for ref in case.references):
        return None
    number = case.custom_fields.get(FIELD_INVOICE_NUMBER)
    if isinstance(number, str) and number.strip():
        return None
    return ("falta la factura de referencia: agréguela a las referencias del caso o en el campo "
            "«Número de factura»")
