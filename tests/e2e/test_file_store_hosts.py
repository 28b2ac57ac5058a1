"""Several hosts on one PostgreSQL database (``PQRS_FILE_STORE=database``): each ``pqrs serve`` has a
local folder of its own, left empty, and an attachment uploaded through one is downloaded from the
other, byte for byte."""

from __future__ import annotations

import json
import os
import urllib.request
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from pqrs_adapters.sqlalchemy.file_store import CHUNK_SIZE

from .live import Server, pqrs_command, serve


def _request(server: Server, token: str, path: str, body: bytes | None = None,
             content_type: str | None = None) -> tuple[int, bytes, dict[str, str]]:
    request = urllib.request.Request(f"{server.base}/api/v1/{path}", data=body,
                                     method="POST" if body is not None else "GET")
    request.add_header("Authorization", f"Bearer {token}")
    if content_type is not None:
        request.add_header("Content-Type", content_type)
    with urllib.request.urlopen(request, timeout=30) as response:
        return int(response.status), response.read(), dict(response.headers)


def _multipart(filename: str, content_type: str, content: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    head = (f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'
            f"Content-Type: {content_type}\r\n\r\n").encode()
    return head + content + f"\r\n--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def _json(answer: tuple[int, bytes, dict[str, str]]) -> Any:
    return json.loads(answer[1])


@pytest.mark.postgres
def test_an_attachment_uploaded_through_one_server_is_served_by_another(
        new_postgres_database: Callable[[str], str], tmp_path: Path) -> None:
    shared = {"PQRS_DATABASE_URL": new_postgres_database("pqrs_two_hosts"), "PQRS_FILE_STORE": "database",
              "PQRS_SECRET_KEY": "una-clave-compartida-por-los-servidores"}
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    with serve(tmp_path / "a", cases=2, env=shared, workers=1) as host_a, \
            serve(tmp_path / "b", cases=0, env=shared, workers=1) as host_b:
        created = pqrs_command(host_a.environ, "token", "create", "--user", "ana.agente")
        assert created.returncode == 0, created.stderr
        token = created.stdout.strip().splitlines()[-1]
        filing = {"kind": "peticion", "subject": "Certificado", "description": "Necesito un paz y salvo."}
        case = _json(_request(host_a, token, "cases", json.dumps(filing).encode(), "application/json"))
        content = os.urandom(CHUNK_SIZE + 4_321)  # more than one chunk
        body, content_type = _multipart("extracto ñ.pdf", "application/pdf", content)

        status, answer, _headers = _request(host_a, token, f"cases/{case['filing_number']}/attachments",
                                            body, content_type)
        assert status == 201, answer
        url = json.loads(answer)["url"]

        status, downloaded, headers = _request(host_b, token, url.removeprefix("/api/v1/"))

        assert status == 200 and downloaded == content
        assert headers["Content-Length"] == str(len(content))
        assert headers["Content-Type"] == "application/pdf"
    for host in ("a", "b"):
        assert not [p for p in (tmp_path / host / "files").rglob("*") if p.is_file()]
