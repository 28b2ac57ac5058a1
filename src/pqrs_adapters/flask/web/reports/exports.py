"""A report's table as a CSV or Excel download, written as the inbox export writes its files
(``web/export.py``: CSV for es-CO's Excel, formulas neutralised, dates as dates)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flask import Response, send_file

from .. import export
from ..common import config


def _none(_row: Any) -> None:
    return None


def table_response(filename_stem: str, columns: Sequence[str], rows: Sequence[Sequence[Any]],
                   fmt: str) -> Response:
    """``rows`` under ``columns`` as ``{filename_stem}.csv`` or ``.xlsx`` (``fmt``)."""
    cols = [export.Column(header, _none) for header in columns]
    values = [list(row) for row in rows]
    zone = config().timezone
    if fmt == "csv":
        body = b"".join(export.csv_chunks(cols, values, zone))
        return Response(body, mimetype=export.CSV_TYPE, headers={
            "Content-Disposition": f'attachment; filename="{filename_stem}.csv"'})
    output = export.xlsx_file(cols, values, zone, [])
    return send_file(output, mimetype=export.XLSX_TYPE, as_attachment=True,
                     download_name=f"{filename_stem}.xlsx")
