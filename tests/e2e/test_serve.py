"""``pqrs serve`` as a person runs it: a real gunicorn process answering real HTTP on a free port."""

from __future__ import annotations

import html
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

STARTUP_SECONDS = 60


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _pqrs(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pqrs_adapters.cli", *args], env=env, capture_output=True,
                          text=True, timeout=300, check=False)


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("serve")
    src = str(Path(__file__).resolve().parents[2] / "src")
    env = {**os.environ, "PQRS_DATABASE_URL": f"sqlite:///{root / 'pqrs.sqlite3'}",
           "PQRS_FILES_DIR": str(root / "files"),
           "PYTHONPATH": src + os.pathsep + os.environ.get("PYTHONPATH", ""),
           "PQRS_ORGANISATION_NAME": "Comercializadora de Prueba S.A.S."}
    for step in (("init",), ("demo", "--count", "30")):
        done = _pqrs(env, *step)
        assert done.returncode == 0, done.stdout + done.stderr
    port = _free_port()
    log = (root / "server.log").open("w")
    process = subprocess.Popen([sys.executable, "-m", "pqrs_adapters.cli", "serve", "--port", str(port),
                                "--workers", "2"], env=env, stdout=log, stderr=subprocess.STDOUT,
                               start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while True:
            if process.poll() is not None:
                output = (root / "server.log").read_text()
                pytest.fail(f"pqrs serve exited with {process.returncode}:\n{output}")
            try:
                if _get(f"{base}/health")[0] == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"pqrs serve did not answer in {STARTUP_SECONDS} s:\n"
                            f"{(root / 'server.log').read_text()}")
            time.sleep(0.2)
        yield base
    finally:
        process.send_signal(signal.SIGTERM)  # gunicorn's master stops its workers gracefully
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
        log.close()


def test_health_reports_the_database_and_the_number_of_cases(server: str) -> None:
    status, body = _get(f"{server}/health")

    assert status == 200
    assert '"status":"ok"' in body.replace(" ", "") and '"cases":30' in body.replace(" ", "")


def test_the_case_list_and_a_case_page_are_served_in_spanish(server: str) -> None:
    status, page = _get(f"{server}/")

    assert status == 200
    assert '<html lang="es-CO">' in page and "Comercializadora de Prueba S.A.S." in page
    assert "<caption>" in page and '<th scope="col">Radicado</th>' in page
    first = re.search(r'<th scope="row"[^>]*><a href="(/casos/(PQRS-\d{4}-\d{6}))">', page)
    assert first is not None
    link, filing_number = first.groups()
    row = page[first.start():page.index("</tr>", first.start())]
    subject = html.unescape(re.findall(r"<td>([^<]*)</td>", row)[1])

    status, detail = _get(f"{server}{link}")

    assert status == 200
    text = html.unescape(detail)
    assert filing_number in text and subject in text
    assert "Historia" in text and f"Radicó el caso {filing_number}" in text


def test_the_next_page_link_continues_where_the_first_page_ended(server: str) -> None:
    _status, first_page = _get(f"{server}/")
    next_link = re.search(r'<a href="([^"]+)" rel="next">Siguientes</a>', first_page)
    assert next_link is not None

    status, second_page = _get(server + html.unescape(next_link.group(1)))

    assert status == 200
    first_numbers = re.findall(r'<th scope="row"[^>]*><a href="/casos/([^"]+)"', first_page)
    second_numbers = re.findall(r'<th scope="row"[^>]*><a href="/casos/([^"]+)"', second_page)
    assert second_numbers and max(second_numbers) < min(first_numbers)
    assert len(first_numbers) + len(second_numbers) == 30


@pytest.mark.parametrize("path", ["/casos/PQRS-2026-999999", "/casos/no-es-un-radicado",
                                  "/casos/%3Cscript%3E"])
def test_unknown_or_malformed_filing_numbers_give_a_404_page(server: str, path: str) -> None:
    status, page = _get(server + path)

    assert status == 404
    assert "No encontramos lo que busca" in page


def test_the_state_filter_lists_only_cases_in_that_category(server: str) -> None:
    status, page = _get(f"{server}/?categoria=waiting")

    assert status == 200
    states = re.findall(r'<span class="state">([^<]+)</span>', page)
    assert states and set(states) == {"Esperando información del peticionario"}
    assert '<option value="waiting" selected>' in page


def test_health_is_503_when_the_database_is_unreachable(tmp_path: Path) -> None:
    import threading

    from werkzeug.serving import make_server

    from pqrs_adapters.config import Config
    from pqrs_adapters.flask import create_app

    config = Config.from_env({"PQRS_DATABASE_URL": f"postgresql://postgres@127.0.0.1:{_free_port()}/nada",
                              "PQRS_FILES_DIR": str(tmp_path / "files")})
    app = create_app(config)
    http = make_server("127.0.0.1", 0, app)
    thread = threading.Thread(target=http.serve_forever, daemon=True)
    thread.start()
    try:
        status, body = _get(f"http://127.0.0.1:{http.server_port}/health")
        page_status, page = _get(f"http://127.0.0.1:{http.server_port}/")
    finally:
        http.shutdown()
        thread.join(timeout=10)

    assert status == 503 and '"database":"unreachable"' in body.replace(" ", "")
    assert page_status == 503 and "Intente de nuevo en unos minutos" in page and "Traceback" not in page
