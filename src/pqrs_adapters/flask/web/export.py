"""Cases exported to Excel (``.xlsx``, openpyxl) and CSV, with two column sets: *básicas* (what the inbox
shows) and *completas* (also the requester's data, the typification path, every date, the deadline,
the solution and the references); both end with one column per custom field of the catalog.

CSV: UTF-8 with a byte-order mark (so Excel reads the accents right) and ``;`` between fields, which is
what Excel expects where the decimal separator is the comma, as in es-CO; dates ``dd/mm/aaaa hh:mm``
in the organisation's time zone. A value that would start a formula (``= + - @``) is prefixed with an
apostrophe, so a spreadsheet never runs what a requester typed. In ``.xlsx`` every text is stored as
text (never a formula) and dates are real dates.

Exports read the cases page by page, as many as the filters select: the CSV is streamed as it is
written, the workbook written row by row (openpyxl's write-only mode) into a file spooled to disk.
"""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import attrs
from flask_babel import gettext as _

from pqrs_core.domain.case import Case
from pqrs_core.domain.characterisation import QUESTIONS, Question
from pqrs_core.domain.fields import FieldDefinition, FieldType

from ...presentation import REFERENCE_LABELS, Labels
from ...sqlalchemy import characterisation as characterisation_store
from .common import DeadlineView, deadline, engine, labels

COLUMN_SETS = ("basicas", "completas")
FORMATS = ("xlsx", "csv")
CSV_DELIMITER = ";"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"

Value = str | int | datetime | None


@attrs.frozen
class Row:
    """One case with what its columns read: the labels of its page and its deadline now."""

    case: Case
    labels: Labels
    deadline: DeadlineView | None
    characterisation: Mapping[str, str | None] = attrs.field(factory=dict)


@attrs.frozen
class Column:
    header: str
    value: Callable[[Row], Value]
    width: int = 16


def _yes(value: bool) -> str:
    return str(_("Sí") if value else _("No"))


def basic_columns() -> list[Column]:
    return [
        Column(_("Radicado"), lambda r: str(r.case.filing_number), 19),
        Column(_("Asunto"), lambda r: r.case.subject, 40),
        Column(_("Tipo"), lambda r: r.labels.kind(r.case.kind)),
        Column(_("Tipificación"), lambda r: r.labels.typification(r.case), 40),
        Column(_("Prioridad"), lambda r: r.labels.priority(r.case.priority)),
        Column(_("Estado"), lambda r: r.labels.state(r.case), 22),
        Column(_("Cola"), lambda r: r.labels.queue(r.case.queue)),
        Column(_("Responsable"), lambda r: r.labels.user(r.case.assignee), 22),
        Column(_("Canal"), lambda r: r.labels.channel(r.case.channel)),
        Column(_("Radicado el"), lambda r: r.case.filed_at),
        Column(_("Vence el"), lambda r: r.case.resolution_due),
        Column(_("Término"), lambda r: r.deadline.status_label if r.deadline else _("Sin término")),
        Column(_("Tiempo restante"), lambda r: r.deadline.remaining if r.deadline else "", 22),
    ]


def complete_columns() -> list[Column]:
    def requester(attribute: str) -> Callable[[Row], Value]:
        return lambda r: getattr(r.case.requester, attribute) or ""

    return [
        *basic_columns(),
        Column(_("Categoría del estado"), lambda r: r.labels.category(r.case.state_category), 22),
        Column(_("Códigos de tipificación"),
               lambda r: " › ".join(r.case.typification.path_codes) if r.case.typification else "", 40),
        Column(_("Motivo"), lambda r: r.labels.reason(r.case.reason), 22),
        Column(_("Descripción"), lambda r: r.case.description, 60),
        Column(_("Peticionario"), lambda r: r.case.requester.display_name, 28),
        Column(_("Tipo de documento"), lambda r: r.labels.document_type(r.case.requester.document_type)
               if r.case.requester.document_type else ""),
        Column(_("Número de documento"), requester("document_number")),
        Column(_("Correo del peticionario"), requester("email"), 28),
        Column(_("Teléfono"), requester("phone")),
        Column(_("Dirección"), requester("address"), 28),
        Column(_("Cliente (ERP)"), requester("customer_id")),
        Column(_("Sucursal"), requester("branch")),
        Column(_("Contacto no CRM"), lambda r: r.case.non_crm_contact or "", 28),
        Column(_("Facturas / pedidos"), lambda r: ", ".join(
            f"{REFERENCE_LABELS.get(ref.kind, ref.kind)} {ref.number}" for ref in r.case.references), 28),
        Column(_("Ítems involucrados"), lambda r: items_cell(r.case), 40),
        Column(_("Información faltante"), lambda r: ", ".join(r.case.missing_information), 28),
        Column(_("Recibido el"), lambda r: r.case.received_at),
        Column(_("Recibido por"), lambda r: r.case.received_by or ""),
        Column(_("Radicado por"), lambda r: r.labels.user(r.case.filed_by), 22),
        Column(_("Petición verbal"), lambda r: _yes(r.case.verbal)),
        Column(_("Primera respuesta vence el"), lambda r: r.case.first_response_due),
        Column(_("Primera respuesta el"), lambda r: r.case.first_responded_at),
        Column(_("Prórroga (días)"), lambda r: r.case.extended_by or None),
        Column(_("Respondido el"), lambda r: r.case.responded_at),
        Column(_("Cerrado el"), lambda r: r.case.closed_at),
        Column(_("Resuelto en primer contacto"), lambda r: _yes(r.case.first_contact_resolution)),
        Column(_("Solución"), lambda r: r.case.solution or "", 60),
        Column(_("Adjuntos"), lambda r: len(r.case.attachments) or None),
        Column(_("Actualizado el"), lambda r: r.case.updated_at),
    ]


def items_cell(case: Case) -> str:
    """«FE-1 · CREMA-250 × 2 · lote L-1 · vence 2027-02-01 · guía GU-9 · verificada (erp_csv)», one item a
    line: what the ERP said of each item is in the case's history too."""
    lines = []
    for item in case.items:
        unit = f" {item.unit}" if item.unit else ""
        parts = [item.invoice, f"{item.product} × {item.quantity.normalize():f}{unit}"]
        parts += [f"lote {item.lot}"] if item.lot else []
        parts += [f"vence {item.expires_on.isoformat()}"] if item.expires_on else []
        parts += [f"guía {item.shipping_guide}"] if item.shipping_guide else []
        parts.append(f"verificada ({item.erp.source})" if item.erp else "no verificada")
        lines.append(" · ".join(parts))
    return "\n".join(lines)


def custom_columns(definitions: Iterable[FieldDefinition]) -> list[Column]:
    """One column per custom field: the value as people read it (option labels, «Sí»/«No»), whole
    numbers as numbers."""
    def value(definition: FieldDefinition) -> Callable[[Row], Value]:
        def read(r: Row) -> Value:
            held = r.case.custom_fields.get(definition.code)
            if definition.type is FieldType.INTEGER and isinstance(held, int) and not isinstance(held, bool):
                return held
            return definition.shown(held)
        return read

    return [Column(d.label, value(d), 40 if d.type is FieldType.LONG_TEXT else 20) for d in definitions]


def characterisation_columns() -> list[Column]:
    """The requester's characterisation answers (sensitive data, Ley 1581 de 2012 art. 5): only in an
    export that asks for them, by someone allowed to (``inbox.may_export_characterisation``)."""
    def answer(question: Question) -> Callable[[Row], Value]:
        def value(row: Row) -> Value:
            code = row.characterisation.get(question.code)
            return str(_(question.label_of(code))) if code else ""
        return value

    return [Column(_("Caracterización: %(q)s", q=_(q.label)), answer(q), 22) for q in QUESTIONS]


def columns(column_set: str, definitions: Iterable[FieldDefinition] = (), *,
            characterisation: bool = False) -> list[Column]:
    """The columns of ``column_set``, then one per custom field of ``definitions``, then the
    characterisation's when asked for."""
    chosen = complete_columns() if column_set == "completas" else basic_columns()
    extra = characterisation_columns() if characterisation else []
    return [*chosen, *custom_columns(definitions), *extra]


def rows(pages: Iterable[Sequence[Case]], cols: Sequence[Column], *,
         characterisation: bool = False) -> Iterator[list[Value]]:
    """The values of ``cols`` for every case of ``pages`` (display names, and the characterisation when
    asked for, looked up once per page)."""
    for page in pages:
        names = labels({u for c in page for u in (c.assignee, c.filed_by)})
        answers = (characterisation_store.answers_of(engine(), [c.id for c in page]) if characterisation
                   else {})
        for case in page:
            row = Row(case, names, deadline(case), answers.get(case.id, {}))
            yield [column.value(row) for column in cols]


# ------------------------------------------------------------------------------------------ CSV
def _csv_text(value: Value, zone: ZoneInfo) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.astimezone(zone).strftime("%d/%m/%Y %H:%M")
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_chunks(cols: Sequence[Column], values: Iterable[list[Value]], timezone: str) -> Iterator[bytes]:
    """The CSV file, a few rows at a time (for a streamed response)."""
    zone = ZoneInfo(timezone)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=CSV_DELIMITER, lineterminator="\r\n")
    buffer.write("\ufeff")
    writer.writerow([c.header for c in cols])
    for i, row in enumerate(values, start=1):
        writer.writerow([_csv_text(v, zone) for v in row])
        if i % 200 == 0:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")


# ----------------------------------------------------------------------------------------- XLSX
def xlsx_file(cols: Sequence[Column], values: Iterable[list[Value]], timezone: str,
              about: Sequence[tuple[str, str]], *, sheet_name: str | None = None,
              count_label: str | None = None) -> tempfile.SpooledTemporaryFile[bytes]:
    """The workbook: a sheet "Casos" (or ``sheet_name``; header row frozen, dates as dates) and a
    sheet "Información" with ``about`` (what was exported, when, by whom) and the number of rows
    (labelled ``count_label``). Rows are written as they come (openpyxl's write-only mode), the file
    spooled to disk when large."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    zone = ZoneInfo(timezone)
    book = Workbook(write_only=True)
    sheet = book.create_sheet(sheet_name or _("Casos"))
    sheet.freeze_panes = "A2"
    for i, column in enumerate(cols, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = column.width
    bold = Font(bold=True)

    def cell(value: Any) -> Any:
        if isinstance(value, datetime):
            value = value.astimezone(zone).replace(tzinfo=None)
        item = WriteOnlyCell(sheet, value=value)
        if isinstance(value, datetime):
            item.number_format = "dd/mm/yyyy hh:mm"
        elif isinstance(value, str):
            item.data_type = "s"  # never a formula, whatever the text starts with
        return item

    header = []
    for column in cols:
        item = WriteOnlyCell(sheet, value=column.header)
        item.font = bold
        header.append(item)
    sheet.append(header)
    count = 0
    for row in values:
        sheet.append([cell(v) for v in row])
        count += 1

    info = book.create_sheet(_("Información"))
    info.column_dimensions["A"].width = 24
    info.column_dimensions["B"].width = 90
    for label, text in [*about, (count_label or _("Casos exportados"), str(count))]:
        item = WriteOnlyCell(info, value=label)
        item.font = bold
        info.append([item, cell(text)])
    output: tempfile.SpooledTemporaryFile[bytes] = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)
    book.save(output)
    output.seek(0)
    return output
