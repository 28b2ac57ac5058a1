"""Attachments: upload and download, size and type limits, names that are never paths."""

from __future__ import annotations

import hashlib
import io
from typing import Any

from pqrs_adapters.flask.api.attachments import content_disposition

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
    assert "application/pdf" in body["detail"]
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
