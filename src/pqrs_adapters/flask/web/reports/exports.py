"""A report's table as a download, CSV or Excel, with the inbox export's safe cells (``web.export``): CSV
in UTF-8 with a byte-order mark and ``;`` (what Excel expects in es-CO), a text that would start a
formula prefixed with an apostrophe; in ``.xlsx`` texts stored as text, dates as dates, and a sheet
"Información" saying what was exported, when and by whom."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from zoneinfo import ZoneInfo

from flask import Response, abort, send_file
from flask_babel import gettext as _

from .. import export
from ..common import actor, config, labels, now

FORMATS = export.FORMATS


def _columns(headers: Sequence[str]) -> list[export.Column]:
    return [export.Column(header, lambda _row: None, max(12, min(48, len(header) + 4))) for header in headers]


def _cell(value: Any, csv: bool) -> Any:
    """A value as the file holds it: numbers and dates as themselves (in CSV a decimal comma, as
    es-CO spreadsheets read it), anything else as text."""
    if isinstance(value, bool):
        return _("Sí") if value else _("No")
    if isinstance(value, float):
        return f"{value:.2f}".replace(".", ",") if csv else value
    if value is None or isinstance(value, str | int) or hasattr(value, "astimezone"):
        return value
    return str(value)


def table_response(filename_stem: str, columns: Sequence[str], rows: Sequence[Sequence[Any]], fmt: str,
                   about: Sequence[tuple[str, str]] = ()) -> Response:
    """``rows`` under ``columns`` as a ``csv`` or ``xlsx`` attachment named ``<stem>-<date>.<fmt>``
    (``about``: lines for the workbook's information sheet). 400 for another format."""
    if fmt not in FORMATS:
        abort(400)
    zone = config().timezone
    stamp = now().astimezone(ZoneInfo(zone))
    name = f"{filename_stem}-{stamp:%Y%m%d-%H%M}.{fmt}"
    cols = _columns(columns)
    values = [[_cell(v, fmt == "csv") for v in row] for row in rows]
    if fmt == "csv":
        body = b"".join(export.csv_chunks(cols, values, zone))
        return Response(body, content_type=export.CSV_TYPE,
                        headers={"Content-Disposition": f'attachment; filename="{name}"'})
    names = labels()
    info = [(_("Generado el"), names.local(now())), (_("Por"), names.user(actor().username)), *about]
    output = export.xlsx_file(cols, values, zone, info, sheet_name=_("Reporte"), count_label=_("Filas"))
    return send_file(output, mimetype=export.XLSX_TYPE, as_attachment=True, download_name=name, max_age=0)
