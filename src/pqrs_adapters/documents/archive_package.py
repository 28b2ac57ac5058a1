"""A case file (``pqrs_core.services.archive_export.CaseFile``) packed for the organisation's archive
system: one ZIP holding

- ``documentos/NNN-nombre.ext``: every document and message, numbered in the order they entered the
  case (attachments, the official letters' PDFs, incoming mails' ``.eml``, each message as UTF-8 text);
- ``indice.json`` and ``indice.pdf``: the electronic index (*índice electrónico*, Acuerdo 002 de 2014 AGN):
  for each file its order, name, date, pages (PDFs, counted with pypdf), format, size and SHA-256;
- ``hoja-de-control.pdf``: the control sheet (*hoja de control*): the case's data, its retention-table
  series (TRD, Ley 594 de 2000, Acuerdo 004 de 2019 AGN), dates and the count of documents.

The format is described in ``docs/official-record.md``. Packages are written to a file object one
document at a time; ``stream_packages`` writes many into one ZIP as a stream of chunks, one package
held at a time (spooled to disk past a few megabytes), never all of them.
"""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime
from importlib import resources
from typing import IO, Any
from zoneinfo import ZoneInfo

import attrs
from jinja2 import Environment, select_autoescape

from pqrs_core.domain.letters import spanish_date
from pqrs_core.domain.values import Actor
from pqrs_core.services.archive_export import (
    ArchiveDocument,
    CaseFile,
    case_file,
    case_files,
    closed_between,
    may_export,
)
from pqrs_core.services.messagebus import Pqrs

from .weasyprint_renderer import render_pdf

FORMAT_VERSION = "1"
INDEX_JSON = "indice.json"
INDEX_PDF = "indice.pdf"
CONTROL_SHEET = "hoja-de-control.pdf"
FOLDER = "documentos/"
ZIP_TYPE = "application/zip"
SPOOL = 8 * 1024 * 1024
_TEMPLATES = Environment(autoescape=select_autoescape(default=True, default_for_string=True))


def _template(name: str) -> str:
    return resources.files(__package__).joinpath("templates", name).read_text(encoding="utf-8")


@attrs.frozen
class IndexEntry:
    """One row of the electronic index."""

    order: int
    name: str  # the path inside the package
    title: str
    date: str  # ISO 8601 in the organisation's zone
    date_text: str
    origin: str
    format: str  # the media type
    pages: int | None
    size: int
    sha256: str

    def as_json(self) -> dict[str, Any]:
        return {"orden": self.order, "nombre": self.name, "titulo": self.title, "fecha": self.date,
                "origen": self.origin, "formato": self.format, "paginas": self.pages,
                "tamano": self.size, "sha256": self.sha256}


def pdf_pages(content: bytes) -> int | None:
    """The number of pages of a PDF, ``None`` when it cannot be read (damaged, encrypted)."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        return len(PdfReader(io.BytesIO(content)).pages)
    except (PyPdfError, ValueError, KeyError, TypeError, OSError):
        return None


def _is_pdf(document: ArchiveDocument, content: bytes) -> bool:
    return document.media_type == "application/pdf" or content.startswith(b"%PDF-")


def _local(instant: datetime, timezone: str) -> datetime:
    return instant.astimezone(ZoneInfo(timezone))


def _moment(instant: datetime | None, timezone: str) -> str:
    if instant is None:
        return "—"
    local = _local(instant, timezone)
    return f"{spanish_date(instant, timezone)}, {local:%H:%M}"


def control_rows(record: CaseFile, organisation: str, count: int) -> list[tuple[str, str]]:
    """The control sheet's data, label and value, as printed and as ``indice.json`` holds it."""
    case, catalog, zone = record.case, record.catalog, record.timezone
    kind = next((k.label for k in catalog.kinds if k.code == case.kind), case.kind)
    found = record.retention
    rule = found.rule if found else None
    requester = case.requester
    document = (f"{requester.document_type or ''} {requester.document_number}".strip()
                if requester.document_number else "—")
    return [
        ("Entidad", organisation),
        ("Radicado", str(case.filing_number)),
        ("Asunto", case.subject),
        ("Tipo de caso", kind),
        ("Tipificación", " › ".join(case.typification.path) if case.typification else "—"),
        ("Peticionario", requester.display_name),
        ("Documento del peticionario", document),
        ("Código TRD", rule.trd_code if rule else "Sin tabla de retención asignada"),
        ("Serie / subserie documental", rule.series or "—" if rule else "—"),
        ("Retención en archivo de gestión (años)", str(rule.management_years) if rule else "—"),
        ("Retención en archivo central (años)", str(rule.central_years) if rule else "—"),
        ("Disposición final", rule.disposition_label if rule else "—"),
        ("Versión de la regla de retención", f"{rule.version} (de «{found.origin_label}»)"
         if rule and found else "—"),
        ("Fecha de radicación", _moment(case.filed_at, zone)),
        ("Fecha de cierre", _moment(case.closed_at, zone)),
        ("Fecha inicial del expediente", _moment(case.received_at or case.filed_at, zone)),
        ("Número de documentos", str(count)),
        ("Exportado", f"{_moment(record.exported_at, zone)} por {record.exported_by}"),
    ]


class PackageWriter:
    """Writes one case file as a ZIP into ``out`` (any writable binary file, seekable or not)."""

    def __init__(self, organisation: str, render: Callable[[str, str], bytes] = render_pdf) -> None:
        self._organisation = organisation
        self._render = render

    def write(self, record: CaseFile, out: IO[bytes]) -> list[IndexEntry]:
        entries: list[IndexEntry] = []
        with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as package:
            for document in record.documents:
                content = document.read()
                name = FOLDER + document.name
                package.writestr(name, content)
                when = _local(document.created_at, record.timezone)
                entries.append(IndexEntry(
                    order=document.order, name=name, title=document.title,
                    date=when.isoformat(timespec="seconds"), date_text=_moment(document.created_at,
                                                                               record.timezone),
                    origin=document.origin, format=document.media_type,
                    pages=pdf_pages(content) if _is_pdf(document, content) else None,
                    size=len(content), sha256=hashlib.sha256(content).hexdigest()))
            rows = control_rows(record, self._organisation, len(entries))
            sheet = self._sheet(record, rows)
            control = self._pdf("archive_control.html", sheet, entries)
            package.writestr(CONTROL_SHEET, control)
            index_pdf = self._pdf("archive_index.html", sheet, entries)
            package.writestr(INDEX_PDF, index_pdf)
            package.writestr(INDEX_JSON, json.dumps(
                self._index(record, rows, entries, control), ensure_ascii=False, indent=2))
        return entries

    def _sheet(self, record: CaseFile, rows: list[tuple[str, str]]) -> dict[str, Any]:
        rule = record.retention.rule if record.retention else None
        return {"organisation": self._organisation, "filing_number": str(record.case.filing_number),
                "rows": rows, "exported_text": _moment(record.exported_at, record.timezone),
                "trd_text": f"{rule.trd_code} {rule.series}".strip() if rule else "sin asignar"}

    def _pdf(self, template: str, sheet: dict[str, Any], entries: list[IndexEntry]) -> bytes:
        html = _TEMPLATES.from_string(_template(template)).render(sheet=sheet, documents=entries)
        return self._render(html, _template("archive.css"))

    def _index(self, record: CaseFile, rows: list[tuple[str, str]], entries: list[IndexEntry],
               control: bytes) -> dict[str, Any]:
        case, found = record.case, record.retention
        rule = found.rule if found else None
        zone = record.timezone
        return {
            "formato": f"pqrs-expediente/{FORMAT_VERSION}",
            "radicado": str(case.filing_number),
            "exportado": _local(record.exported_at, zone).isoformat(timespec="seconds"),
            "exportado_por": record.exported_by,
            "trd": None if rule is None or found is None else {
                "codigo": rule.trd_code, "serie": rule.series, "anos_gestion": rule.management_years,
                "anos_central": rule.central_years, "disposicion_final": rule.disposition.value,
                "version": rule.version, "origen": found.scope},
            "fecha_radicacion": _local(case.filed_at, zone).isoformat(timespec="seconds"),
            "fecha_cierre": (_local(case.closed_at, zone).isoformat(timespec="seconds")
                             if case.closed_at else None),
            "hoja_de_control": {"archivo": CONTROL_SHEET, "sha256": hashlib.sha256(control).hexdigest(),
                                "paginas": pdf_pages(control), "datos": dict(rows)},
            "documentos": [entry.as_json() for entry in entries],
        }


def package_name(record_number: str) -> str:
    return f"expediente-{record_number}.zip"


class _Chunks(io.RawIOBase):
    """A write-only stream whose bytes are taken out in chunks (the response's body)."""

    def __init__(self) -> None:
        self._parts: list[bytes] = []

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        self._parts.append(bytes(data))
        return len(data)

    def take(self) -> bytes:
        taken, self._parts = b"".join(self._parts), []
        return taken


def stream_packages(records: Iterable[CaseFile], writer: PackageWriter) -> Iterator[bytes]:
    """One ZIP holding one package per case file (``expediente-<radicado>.zip``), yielded in chunks
    as each package is written: one case's files in memory (or on disk) at a time."""
    sink = _Chunks()
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_STORED) as outer:
        for record in records:
            with tempfile.SpooledTemporaryFile(max_size=SPOOL) as spool:
                writer.write(record, spool)
                spool.seek(0)
                with outer.open(package_name(str(record.case.filing_number)), "w", force_zip64=True) as entry:
                    shutil.copyfileobj(spool, entry)
            yield sink.take()
    yield sink.take()


def writer_for(pqrs: Pqrs) -> PackageWriter:
    """A writer naming the organisation as its letters do."""
    return PackageWriter(pqrs.deps.settings.issued_letterhead().name)


def export_case(pqrs: Pqrs, filing_number: str, actor: Actor, out: IO[bytes]) -> CaseFile:
    """Write the package of a closed case into ``out`` (``InvalidOperation`` for an open one)."""
    record = case_file(pqrs, filing_number, actor)
    writer_for(pqrs).write(record, out)
    return record


def spooled_package(pqrs: Pqrs, filing_number: str, actor: Actor) -> IO[bytes]:
    """The package of a closed case in a spooled file (memory, then disk past ``SPOOL``), rewound, for
    a response to send; the caller closes it. Nothing is left open when the export is refused."""
    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL)  # noqa: SIM115 - the caller closes it
    try:
        export_case(pqrs, filing_number, actor, spool)
    except BaseException:
        spool.close()
        raise
    spool.seek(0)
    return spool


def stream_range(pqrs: Pqrs, start: datetime, end: datetime, actor: Actor) -> Iterator[bytes]:
    """``stream_packages`` of every case ``actor`` may see closed in ``[start, end)``."""
    may_export(pqrs, actor)  # refused before the first byte is sent
    numbers = closed_between(pqrs, start, end, actor)
    return stream_packages(case_files(pqrs, numbers, actor), writer_for(pqrs))
