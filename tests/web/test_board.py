"""The board (/tablero): one column per state category with its count, the cards of the cases one may see,
the most urgent first, and a link to the inbox for the rest."""

from __future__ import annotations

import html
import re

import pytest

from pqrs_core.domain import commands as c
from pqrs_core.domain.values import Requester
from pqrs_core.ports import CaseQuery

from .conftest import Site

SECTION = re.compile(r'<section class="column"[^>]*data-category="(\w+)">(.*?)</section>', re.S)
COUNT = re.compile(r'<span class="count">(\d+)<')
CARD = re.compile(r"<li class=\"card-case\">.*?(PQRS-\d{4}-\d{6})", re.S)


def board_columns(page: str) -> dict[str, tuple[int, list[str]]]:
    """category -> (count in the heading, filing numbers of the cards, in order)."""
    found = {}
    for category, body in SECTION.findall(page):
        count = COUNT.search(body)
        assert count is not None
        found[category] = (int(count.group(1)), CARD.findall(body))
    return found


def file_one_of_each_category(site: Site) -> dict[str, str]:
    """As ana: a filed case, one in progress, one waiting for the requester, one resolved."""
    ana = site.actor("ana")
    numbers = {name: str(site.file("ana", subject=f"Caso {name}").filing_number)
               for name in ("todo", "doing", "waiting", "done")}
    for name in ("doing", "waiting"):
        site.pqrs.handle(c.TransitionCase(filing_number=numbers[name], transition="start"), ana)
    site.pqrs.handle(c.RequestInformation(filing_number=numbers["waiting"], message="Envíe la factura"), ana)
    site.pqrs.handle(c.TransitionCase(filing_number=numbers["done"], transition="start"), ana)
    site.pqrs.handle(c.RespondCase(filing_number=numbers["done"], text="Le enviamos el certificado.",
                                   close=True), ana)
    return numbers


def test_each_column_holds_its_cases_and_counts_what_the_summary_counts(site: Site) -> None:
    numbers = file_one_of_each_category(site)
    site.file("pedro", subject="Caso de pedro")  # a requester's own case: ana sees it too (role match)

    columns = board_columns(site.as_user("ana").page("/tablero"))

    summary = site.pqrs.summary(CaseQuery(), site.actor("ana")).by_state_category
    assert {category: count for category, (count, _cards) in columns.items()} == {
        category: summary.get(category, 0) for category in ("todo", "doing", "waiting", "done")}
    for name, number in numbers.items():
        assert number in columns[name][1], name
        assert all(number not in cards for category, (_n, cards) in columns.items() if category != name)


def test_a_requester_is_sent_to_the_portal_with_only_their_own_cases(site: Site) -> None:
    numbers = file_one_of_each_category(site)
    own = site.file("pedro", subject="Mi solicitud",
                    requester=Requester(full_name="Pedro Pérez", document_type="CC",
                                        document_number="79111222"))

    response = site.as_user("pedro").get("/tablero", follow_redirects=True)
    page = response.get_data(as_text=True)

    assert response.request.path == "/portal"
    assert str(own.filing_number) in page
    assert not any(number in page for number in numbers.values())
    assert 'name="vista"' not in page  # the staff's views are not offered


def test_the_views_mine_and_my_queues_and_the_kind_filter(site: Site) -> None:
    mine = site.file("ana", subject="Asignado a ana", kind="queja")
    other = site.file("ana", subject="De back office", queue="back_office")
    site.pqrs.handle(c.AssignCase(filing_number=str(mine.filing_number), assignee="ana"), site.actor("sofia"))
    ana = site.as_user("ana")

    assigned = board_columns(ana.page("/tablero?vista=mios"))
    queues = board_columns(ana.page("/tablero?vista=mis_colas"))  # ana works in primer_nivel
    complaints = board_columns(ana.page("/tablero?tipo=queja"))

    assert assigned["todo"] == (1, [str(mine.filing_number)])
    assert str(mine.filing_number) in queues["todo"][1] and str(other.filing_number) not in queues["todo"][1]
    assert complaints["todo"] == (1, [str(mine.filing_number)])
    assert board_columns(ana.page("/tablero?vista=mis_colas&cola=back_office"))["todo"] == (0, [])


def test_a_long_column_shows_the_first_cards_most_urgent_first_and_links_to_the_inbox(site: Site) -> None:
    from pqrs_adapters.flask.web.board import CARDS_PER_COLUMN

    for i in range(CARDS_PER_COLUMN + 1):
        site.file("ana", subject=f"Solicitud {i}", important=i % 2 == 0, urgent=i % 3 == 0)

    page = site.as_user("ana").page("/tablero")

    count, cards = board_columns(page)["todo"]
    assert count == CARDS_PER_COLUMN + 1 and len(cards) == CARDS_PER_COLUMN
    ranks = {p.code: p.rank for p in site.pqrs.catalog().priorities}
    shown = [site.pqrs.case(n) for n in cards]
    keys = [(x.resolution_due, ranks.get(x.priority or "", 99)) for x in shown]
    assert keys == sorted(keys)
    assert f"Ver todos ({CARDS_PER_COLUMN + 1})" in page
    assert 'href="/bandeja?vista=todos&amp;categoria=todo&amp;orden=vencimiento"' in page


MORE = re.compile(r'<a href="(/bandeja\?[^"]+)">(?:Ver todos|Ver en la bandeja)')
LISTED = re.compile(r'<th scope="row"[^>]*><a href="/casos/(PQRS-\d{4}-\d{6})"[^>]*>')


@pytest.mark.parametrize("board", ["/tablero", "/tablero?vista=mios", "/tablero?vista=mis_colas&tipo=queja",
                                   "/tablero?vista=mios&cola=primer_nivel"])
def test_each_columns_link_opens_the_inbox_on_the_same_cases(site: Site, board: str) -> None:
    ana = site.actor("ana")
    file_one_of_each_category(site)
    for kind in ("queja", "reclamo"):  # assigned to ana or not, of other kinds and queues, open or not
        for queue in ("primer_nivel", "back_office"):
            for assignee in ("ana", None):
                number = str(site.file("ana", subject=f"{kind} en {queue}", kind=kind, queue=queue,
                                       assignee=assignee).filing_number)
                site.pqrs.handle(c.TransitionCase(filing_number=number, transition="start"), ana)
                if assignee is None:
                    site.pqrs.handle(c.RespondCase(filing_number=number, text="Hecho.", close=True), ana)
    visitor = site.as_user("ana")

    page = visitor.page(board)

    links = [html.unescape(link) for link in MORE.findall(page)]
    columns = board_columns(page)
    assert len(links) == sum(1 for count, _cards in columns.values() if count)
    for link in links:
        category = re.search(r"categoria=(\w+)", link)
        assert category is not None
        count, cards = columns[category.group(1)]
        assert sorted(LISTED.findall(visitor.page(link))) == sorted(cards) and len(cards) == count, link


def test_an_unknown_filter_is_said_in_spanish_not_a_server_error(site: Site) -> None:
    response = site.as_user("ana").get("/tablero?tipo=inventado&vista=otra")

    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "El tipo «inventado» no existe." in page and "Elija una vista de la lista." in page


def test_the_board_needs_a_login(site: Site) -> None:
    response = site.as_user(None).get("/tablero")

    assert response.status_code == 302 and "/ingresar" in response.headers["Location"]


def test_a_card_moves_with_its_button_and_the_board_counts_it_in_the_next_column(site: Site) -> None:
    case = site.file("ana", subject="Listo para gestionar")
    ana = site.as_user("ana")
    page = ana.page("/tablero?vista=mis_colas")
    assert ('<button type="submit" name="transicion" value="start">Iniciar gestión'
            f'<span class="visually-hidden"> · {case.filing_number}') in page

    response = ana.post("/tablero/mover", {"radicado": str(case.filing_number), "transicion": "start",
                                           "version": str(case.version), "vista": "mis_colas"})

    assert response.status_code == 302 and response.headers["Location"].endswith("/tablero?vista=mis_colas")
    after = ana.page("/tablero?vista=mis_colas")
    assert f"El caso {case.filing_number} pasó a «En progreso»." in after
    assert board_columns(after)["doing"] == (1, [str(case.filing_number)])
    stale = ana.post("/tablero/mover", {"radicado": str(case.filing_number), "transicion": "respond",
                                        "version": str(case.version)})
    assert stale.status_code == 302
    assert (f"El caso {case.filing_number} cambió mientras usted lo veía (ahora está «En progreso»): no se "
            "hizo ningún cambio." in ana.page("/tablero"))
    assert site.pqrs.case(str(case.filing_number)).state == "in_progress"


def test_a_refused_move_names_the_action_and_the_state_by_their_labels(site: Site) -> None:
    case = site.file("ana", subject="Ya en gestión")
    site.pqrs.handle(c.TransitionCase(filing_number=str(case.filing_number), transition="start"),
                     site.actor("ana"))
    ana = site.as_user("ana")

    response = ana.post("/tablero/mover", {"radicado": str(case.filing_number), "transicion": "start"})

    assert response.status_code == 302
    page = ana.page("/tablero")
    assert ("No se puede «Iniciar gestión» cuando el caso está «En progreso». Acciones posibles ahora: "
            in page)
    assert "«start»" not in page and "in_progress" not in page


def test_requesters_get_no_buttons_and_cannot_move_cards(site: Site) -> None:
    own = site.file("pedro", subject="Mi solicitud")
    pedro = site.as_user("pedro")

    assert "card-actions" not in pedro.get("/tablero", follow_redirects=True).get_data(as_text=True)
    response = pedro.post("/tablero/mover", {"radicado": str(own.filing_number), "transicion": "start"})
    assert response.status_code == 403 and site.pqrs.case(str(own.filing_number)).state == "filed"
