"""``pqrs serve`` as a person runs it: a real gunicorn process answering real HTTP on a free port."""

from __future__ import annotations

import html
import json
import re
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from http.cookiejar import CookieJar
from pathlib import Path

import pytest

from .live import free_port, serve_demo

pytestmark = pytest.mark.slow

def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8")


DEMO_PASSWORD = "demo-pqrs-2026"


class Browser:
    """A person with a cookie jar: logs in through the form (with its CSRF token) and browses."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))

    def open(self, path: str, data: dict[str, str] | None = None) -> tuple[int, str, str]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        try:
            with self.opener.open(self.base + path, data=body, timeout=10) as response:
                return response.status, response.geturl(), response.read().decode("utf-8")
        except urllib.error.HTTPError as exc:
            return exc.code, exc.geturl(), exc.read().decode("utf-8")

    def get(self, path: str) -> tuple[int, str]:
        status, _url, page = self.open(path)
        return status, page

    def login(self, username: str, password: str = DEMO_PASSWORD) -> tuple[int, str, str]:
        _status, _url, form = self.open("/ingresar")
        token = re.search(r'name="csrf_token" value="([^"]+)"', form)
        assert token is not None, form
        return self.open("/ingresar", {"csrf_token": token.group(1), "usuario": username,
                                       "contrasena": password})


def _listed(page: str) -> list[str]:
    return re.findall(r'<th scope="row"[^>]*><a href="/casos/([^"]+)"', page)


@pytest.fixture()
def supervisor(server: str) -> Browser:
    browser = Browser(server)
    status, url, _page = browser.login("sofia.supervisora")
    assert status == 200 and url == server + "/panel"  # supervisors start with their dashboard
    return browser


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with serve_demo(tmp_path_factory.mktemp("serve"), cases=30,
                    env={"PQRS_ORGANISATION_NAME": "Comercializadora de Prueba S.A.S."}) as base:
        yield base


def test_health_reports_that_the_database_answers(server: str) -> None:
    status, body = _get(f"{server}/health")

    assert status == 200
    assert json.loads(body) == {"status": "ok", "database": "ok", "files": "ok"}


def test_pages_need_a_login_and_a_wrong_password_is_refused(server: str) -> None:
    browser = Browser(server)
    status, url, page = browser.open("/casos/PQRS-2026-000001")
    assert status == 200 and "/ingresar" in url and "Contraseña" in page
    assert "PQRS-2026-000001" not in page.replace("siguiente=/casos/PQRS-2026-000001", "")

    status, _url, page = browser.login("sofia.supervisora", "otra-cosa")
    assert status == 401 and "Usuario o contraseña incorrectos." in page

    status, url, page = browser.open("/ingresar", {"usuario": "sofia.supervisora",
                                                   "contrasena": DEMO_PASSWORD})
    assert status == 400  # no CSRF token: refused


def test_the_case_list_and_a_case_page_are_served_in_spanish(supervisor: Browser) -> None:
    status, page = supervisor.get("/bandeja")

    assert status == 200
    assert '<html lang="es-CO">' in page and "Comercializadora de Prueba S.A.S." in page
    assert "<caption" in page and '<th scope="col">Radicado</th>' in page
    first = re.search(r'<th scope="row"[^>]*><a href="(/casos/(PQRS-\d{4}-\d{6}))"', page)
    assert first is not None
    link, filing_number = first.groups()
    row = page[first.start():page.index("</tr>", first.start())]
    subject = html.unescape(re.findall(r'<td class="subject"[^>]*>([^<]*)</td>', row)[0])

    status, detail = supervisor.get(link)

    assert status == 200
    text = html.unescape(detail)
    assert filing_number in text and subject in text
    assert "Historia" in text and f"Radicó el caso {filing_number}" in text


def test_the_next_page_link_continues_where_the_first_page_ended(supervisor: Browser) -> None:
    _status, first_page = supervisor.get("/bandeja")
    next_link = re.search(r'<a href="([^"]+)" rel="next">Siguientes</a>', first_page)
    assert next_link is not None

    status, second_page = supervisor.get(html.unescape(next_link.group(1)))

    assert status == 200
    first_numbers, second_numbers = _listed(first_page), _listed(second_page)
    assert second_numbers and max(second_numbers) < min(first_numbers)
    assert len(first_numbers) + len(second_numbers) == 30


def test_a_requester_sees_only_their_own_cases_in_every_page(server: str, supervisor: Browser) -> None:
    everyone = _listed(supervisor.get("/bandeja")[1]) + _listed(supervisor.get("/bandeja?despues=" + _listed(
        supervisor.get("/bandeja")[1])[-1])[1])
    customer = Browser(server)
    assert customer.login("juan.cliente")[0] == 200
    status, page = customer.get("/")
    assert status == 200
    own = re.findall(r'<h3 class="case-card-title"><a href="/portal/casos/([^"]+)"', page)
    assert own and len(own) < len(everyone)
    for number in own:
        assert customer.get(f"/portal/casos/{number}")[0] == 200
    hidden = [n for n in everyone if n not in own]
    assert hidden
    for number in hidden[:5]:
        for path in (f"/portal/casos/{number}", f"/casos/{number}"):
            status, page = customer.get(path)
            assert status == 404 and number not in page


@pytest.mark.parametrize("path", ["/casos/PQRS-2026-999999", "/casos/no-es-un-radicado",
                                  "/casos/%3Cscript%3E"])
def test_unknown_or_malformed_filing_numbers_give_a_404_page(supervisor: Browser, path: str) -> None:
    status, page = supervisor.get(path)

    assert status == 404
    assert "No encontramos lo que busca" in page


def test_the_state_filter_lists_only_cases_in_that_category(supervisor: Browser) -> None:
    status, page = supervisor.get("/bandeja?categoria=waiting")

    assert status == 200
    states = re.findall(r'<span class="state">([^<]+)</span>', page)
    assert states and set(states) == {"Esperando información del peticionario"}
    assert '<option value="waiting" selected>' in page


def test_logging_out_ends_the_session(server: str) -> None:
    browser = Browser(server)
    browser.login("ana.agente")
    status, page = browser.get("/")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert status == 200 and token is not None
    status, url, _page = browser.open("/salir", {"csrf_token": token.group(1)})
    assert status == 200 and "/ingresar" in url
    _status, url, _page = browser.open("/bandeja")
    assert "/ingresar" in url


def test_health_is_503_when_the_database_is_unreachable(tmp_path: Path) -> None:
    import threading

    from werkzeug.serving import make_server

    from pqrs_adapters.config import Config
    from pqrs_adapters.flask import create_app

    config = Config.from_env({"PQRS_DATABASE_URL": f"postgresql://postgres@127.0.0.1:{free_port()}/nada",
                              "PQRS_FILES_DIR": str(tmp_path / "files")})
    app = create_app(config)
    http = make_server("127.0.0.1", 0, app)
    thread = threading.Thread(target=http.serve_forever, daemon=True)
    thread.start()
    try:
        status, body = _get(f"http://127.0.0.1:{http.server_port}/health")
        page_status, page = _get(f"http://127.0.0.1:{http.server_port}/ingresar")
    finally:
        http.shutdown()
        thread.join(timeout=10)

    assert status == 503 and '"database":"unreachable"' in body.replace(" ", "")
    assert page_status == 200 and "Contraseña" in page and "Traceback" not in page
