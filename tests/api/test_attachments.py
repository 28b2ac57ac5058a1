"""Attachments: upload and download, size and type limits, names that are never paths."""

from __future__ import annotations

import hashlib
import io
import math
from datetime import timedelta
from typing import Any

import attrs

from pqrs_adapters.flask.api.attachments import content_disposition
from pqrs_core.clock import FrozenClock

from .conftest import Api, assert_problem

PDF = b"%PDF-1.4\n% prueba\n"


def _upload(api: Api, number: str, content: bytes, filename: str,
            content_type: str | None = "application/pdf", user: str = "ana", **extra: Any) -> Any:
    stream = io.BytesIO(content)
    data = {"file": (stream, filename, content_type) if content_type else (stream, filename), **extra}
    return api.post(f"cases/{number}/attachments", user, data=data, content_type="multipart/form-data")


def test_an_attachment_is_stored_and_downloaded_as_it_was_sent(api: Api) -> None:
    n = api.file()["filing_number"]
    response = _upload(api, n, PDF, "factura ñ.pdf")
    assert response.status_code == 201, response.get_json()
    info = response.get_json()
    assert info["filename"] == "factura ñ.pdf" and info["size"] == len(PDF)
    assert info["sha256"] == hashlib.sha256(PDF).hexdigest()
    assert response.headers["Location"] == info["url"]
    assert response.headers["ETag"] == '"2"'

    case = api.get(f"cases/{n}").get_json()
    assert [a["id"] for a in case["attachments"]] == [info["id"]]
    download = api.get(info["url"])
    assert download.status_code == 200 and download.data == PDF
    assert download.mimetype == "application/pdf"
    assert download.headers["Content-Disposition"] == (
        "attachment; filename=\"factura n.pdf\"; filename*=UTF-8''factura%20%C3%B1.pdf")
    assert download.headers["X-Content-Type-Options"] == "nosniff"


def test_a_name_with_a_path_keeps_only_its_last_part(api: Api) -> None:
    n = api.file()["filing_number"]
    info = _upload(api, n, b"hola", "..\\..\\windows/../etc/pass\x07wd.txt", "text/plain").get_json()
    assert info["filename"] == "passwd.txt"
    assert not list((api.app.extensions["pqrs.config"].files_dir).rglob("passwd*"))
    assert api.get(info["url"]).data == b"hola"


def test_the_download_name_cannot_break_the_header() -> None:
    header = content_disposition('a"b\r\nSet-Cookie: x=1;.pdf')
    assert "\r" not in header and "\n" not in header
    assert header.startswith('attachment; filename="a_b_Set-Cookie_ x_1_.pdf"; filename*=UTF-8\'\'a%22b')


def test_the_type_is_guessed_from_the_name_when_the_client_does_not_say(api: Api) -> None:
    n = api.file()["filing_number"]
    info = _upload(api, n, b"a,b\n1,2\n", "datos.csv", None).get_json()
    assert info["content_type"] == "text/csv"


def test_types_that_are_not_allowed_are_415(api: Api) -> None:
    n = api.file()["filing_number"]
    body = assert_problem(_upload(api, n, b"MZ...", "virus.exe", "application/x-msdownload"), 415,
                          "unsupported-media-type")
    assert "PDF" in body["detail"] and "documentos de Word" in body["detail"]
    assert_problem(_upload(api, n, b"<html>", "pagina.html", "text/html"), 415, "unsupported-media-type")
    assert api.get(f"cases/{n}").get_json()["attachments"] == []


def test_files_over_the_limit_are_413(api: Api) -> None:
    n = api.file()["filing_number"]
    limit = api.app.extensions["pqrs"].deps.settings.max_attachment_bytes
    assert_problem(_upload(api, n, b"x" * (limit + 1), "grande.pdf"), 413, "payload-too-large")
    assert_problem(_upload(api, n, b"x" * (limit + 200_000), "enorme.pdf"), 413, "payload-too-large")


def test_the_upload_must_be_multipart_with_one_file(api: Api) -> None:
    n = api.file()["filing_number"]
    assert_problem(api.post(f"cases/{n}/attachments", json={"file": "x"}), 415, "unsupported-media-type")
    body = assert_problem(api.post(f"cases/{n}/attachments", data={"otro": "x"},
                                   content_type="multipart/form-data"), 422, "validation-error")
    assert set(body["errors"]) == {"file", "otro"}
    body = assert_problem(_upload(api, n, b"", "vacio.pdf"), 422, "validation-error")
    assert set(body["errors"]) == {"content"}


def test_the_upload_checks_the_version(api: Api) -> None:
    n = api.file()["filing_number"]
    assert_problem(_upload(api, n, PDF, "a.pdf", version="7"), 409, "version-conflict")
    assert _upload(api, n, PDF, "a.pdf", version="1").status_code == 201
    assert_problem(_upload(api, n, PDF, "a.pdf", version="uno"), 422, "validation-error")


def test_attachments_follow_the_visibility_of_their_case(api: Api) -> None:
    n = api.file("pedro")["filing_number"]
    info = _upload(api, n, PDF, "mio.pdf", user="pedro").get_json()
    assert api.get(info["url"], "pedro").status_code == 200
    assert_problem(api.get(info["url"], "juan"), 404, "not-found")
    assert_problem(_upload(api, n, PDF, "intruso.pdf", user="juan"), 404, "not-found")
    assert_problem(api.get(f"cases/{n}/attachments/no-existe", "pedro"), 404, "not-found")
    assert_problem(_upload(api, n, PDF, "calidad.pdf", user="carlos"), 403, "forbidden")


def _customer_case(api: Api) -> str:
    """A case of the customer pedro, filed by staff (ana) on his behalf."""
    number: str = api.file("ana", requester={"full_name": "Pedro Ruiz", "user": "pedro"})["filing_number"]
    return number


def test_staff_attachments_are_internal_unless_made_public(api: Api) -> None:
    n = _customer_case(api)
    internal = _upload(api, n, PDF, "analisis-interno.pdf").get_json()
    public = _upload(api, n, PDF + b"2", "respuesta.pdf", public="true").get_json()
    own = _upload(api, n, PDF + b"3", "mi-factura.pdf", user="pedro").get_json()
    assert (internal["public"], public["public"], own["public"]) == (False, True, True)

    # The service team sees every file, each marked as it is.
    staff_view = {a["filename"]: a["public"] for a in api.get(f"cases/{n}").get_json()["attachments"]}
    assert staff_view == {"analisis-interno.pdf": False, "respuesta.pdf": True, "mi-factura.pdf": True}
    # The customer sees the public one and his own, and cannot fetch the internal one.
    customer_view = [a["filename"] for a in api.get(f"cases/{n}", "pedro").get_json()["attachments"]]
    assert customer_view == ["respuesta.pdf", "mi-factura.pdf"]
    assert_problem(api.get(internal["url"], "pedro"), 404, "not-found")
    assert api.get(public["url"], "pedro").data == PDF + b"2"
    assert api.get(internal["url"], "ana").data == PDF
    history = api.get(f"cases/{n}/history", "pedro").get_data(as_text=True)
    assert "respuesta.pdf" in history and "analisis-interno.pdf" not in history
    # Only the service team chooses: a customer cannot hide his files from the other side.
    body = assert_problem(_upload(api, n, PDF + b"4", "oculto.pdf", user="pedro", public="false"), 422,
                          "validation-error")
    assert set(body["errors"]) == {"public"}


def test_the_limits_per_case_and_per_hour_are_413_and_429_naming_the_file(api: Api) -> None:
    pqrs = api.app.extensions["pqrs"]  # the clock held still: every upload falls in one hour
    pqrs.deps = attrs.evolve(pqrs.deps, clock=FrozenClock(pqrs.deps.clock.now()), settings=attrs.evolve(
        pqrs.deps.settings, max_attachments_per_case=1, max_uploads_per_hour=2))
    first, second, third = (api.file()["filing_number"] for _ in range(3))
    assert _upload(api, first, PDF, "uno.pdf").status_code == 201

    body = assert_problem(_upload(api, first, PDF + b"2", "dos.pdf"), 413, "payload-too-large")
    assert body["errors"] == {"content": "El caso ya tiene el máximo de 1 archivos adjuntos."}
    assert _upload(api, second, PDF + b"3", "tres.pdf").status_code == 201
    refused = _upload(api, third, PDF + b"4", "cuatro.pdf")  # the third of the hour
    body = assert_problem(refused, 429, "too-many-requests")
    assert set(body["errors"]) == {"content"} and "por hora" in body["detail"]
    now = pqrs.deps.clock.now()
    next_hour = now.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
    assert int(refused.headers["Retry-After"]) == math.ceil((next_hour - now).total_seconds())
    assert [len(api.get(f"cases/{n}").get_json()["attachments"]) for n in (first, second, third)] == [1, 1, 0]


def test_an_unwritable_attachment_folder_is_a_503_problem(api: Api) -> None:
    n = api.file()["filing_number"]
    api.app.extensions["pqrs.config"].files_dir.write_text("no es una carpeta")

    body = assert_problem(_upload(api, n, PDF, "factura.pdf"), 503, "service-unavailable")

    assert "No es posible guardar archivos" in body["detail"]
    assert api.get(f"cases/{n}").get_json()["attachments"] == []
    health = api.client.get("/health")
    assert health.status_code == 503 and health.get_json()["files"] == "unwritable"
