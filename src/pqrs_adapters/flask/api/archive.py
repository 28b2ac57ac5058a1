"""Archive packages: a closed case's case file (ZIP with its documents, electronic index and control
sheet; ``documents.archive_package``) and, for a range of closing dates, one ZIP holding the package of
each case closed in it, streamed as it is written."""

from __future__ import annotations

from flask import Response, send_file, stream_with_context

from pqrs_core.services.archive_export import closing_range

from ...documents.archive_package import ZIP_TYPE, package_name, spooled_package, stream_range
from ..uploads import content_disposition
from .auth import current_actor
from .inputs import filing_number, query_args
from .responses import pqrs
from .routing import Operation, Reply, api_route
from .schemas.archive import ArchiveRangeQuerySchema

_RANGE = ArchiveRangeQuerySchema()


@api_route("/cases/<number>/archive-package", "GET", Operation(
    summary="Exportar el expediente de un caso cerrado", tag="cases",
    description="Un ZIP para el sistema de archivo de la organización: los documentos y mensajes del caso "
                "en orden, el índice electrónico (indice.json e indice.pdf, con el SHA-256 y las páginas "
                "de cada archivo) y la hoja de control con el código de la tabla de retención (TRD). "
                "409 si el caso sigue abierto.",
    replies={200: Reply("El paquete del expediente", None, media_type=ZIP_TYPE,
                        headers=("Content-Disposition",))},
    problems=(403, 404, 409)))
def export_archive_package(number: str) -> Response:
    key = filing_number(number)
    return send_file(spooled_package(pqrs(), key, current_actor()), mimetype=ZIP_TYPE, as_attachment=True,
                     download_name=package_name(key))


@api_route("/archive-packages", "GET", Operation(
    summary="Exportar los expedientes de los casos cerrados en un rango de fechas", tag="cases",
    query=ArchiveRangeQuerySchema,
    description="Un ZIP con un paquete por cada caso visible cerrado entre «from» y «to» (días incluidos, "
                "en la zona horaria de la organización), escrito a medida que se envía. 422 si «to» es "
                "anterior a «from», si el rango pasa de cinco años o si un día está fuera de los años "
                "1900 a 9000.",
    replies={200: Reply("Los paquetes de los expedientes", None, media_type=ZIP_TYPE,
                        headers=("Content-Disposition",))},
    problems=(403, 422)))
def export_archive_packages() -> Response:
    actor = current_actor()
    args = query_args(_RANGE)
    app = pqrs()
    # A day out of range, «to» before «from» or a range over five years: 422 naming the parameter.
    start, end = closing_range(args["from_"], args["to"], app.deps.settings.timezone)
    name = f"expedientes-{args['from_']:%Y%m%d}-{args['to']:%Y%m%d}.zip"
    return Response(stream_with_context(stream_range(app, start, end, actor)), mimetype=ZIP_TYPE,
                    headers={"Content-Disposition": content_disposition(name)})
