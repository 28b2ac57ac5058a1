"""In-app notifications: the bell's count, the list, read state kept on the server, mentions in notes,
the inbox's marker on cases with activity one has not seen, and its «N casos nuevos»."""

from __future__ import annotations

import html
import re
from datetime import timedelta
from urllib.parse import quote

from pqrs_core.clock import FrozenClock
from pqrs_core.domain import commands as c
from pqrs_core.domain.case import Case

from .conftest import Site, Visitor


def bell(visitor: Visitor) -> int:
    page = visitor.page("/notificaciones")
    found = re.search(r'<span class="badge" data-unread( hidden)?>(\d+)</span>', page)
    assert found is not None
    return 0 if found.group(1) else int(found.group(2))


def n(case: Case) -> str:
    return str(case.filing_number)


def test_a_case_assigned_to_me_rings_the_bell_until_i_open_it(site: Site) -> None:
    case = site.file("ana", subject="Certificado laboral")
    bruno = site.as_user("bruno")
    assert bell(bruno) == 0

    site.pqrs.handle(c.AssignCase(filing_number=n(case), assignee="bruno"), site.actor("sofia"))

    assert bell(bruno) == 1
    assert bruno.get("/notificaciones/resumen").get_json() == {"unread": 1}
    listing = html.unescape(bruno.page("/notificaciones"))
    assert f"Le asignaron el caso {n(case)}: Certificado laboral" in listing and "(sin leer)" in listing
    link = re.search(r'<a href="(/notificaciones/\d+)"><strong>', listing)
    assert link is not None
    assert site.as_user("ana").get(link.group(1)).status_code == 404  # not hers to open (or mark)
    opened = bruno.get(link.group(1))
    assert opened.status_code == 302 and opened.headers["Location"].endswith(f"/casos/{n(case)}")
    assert bell(bruno) == 0
    assert bell(site.as_user("ana")) == 0  # nothing for people it was not meant for


def test_mentions_and_requester_replies_reach_the_person(site: Site) -> None:
    case = site.file("ana")
    site.pqrs.handle(c.AssignCase(filing_number=n(case), assignee="ana"), site.actor("ana"))
    note = "@bruno ¿puedes revisar la factura? Gracias, @ana."
    site.pqrs.handle(c.AddNote(filing_number=n(case), text=note), site.actor("sofia"))
    site.pqrs.handle(c.RecordRequesterReply(filing_number=n(case), message="Ya envié el soporte."),
                     site.actor("sofia"))

    bruno_sees = html.unescape(site.as_user("bruno").page("/notificaciones"))
    ana_sees = html.unescape(site.as_user("ana").page("/notificaciones"))

    assert f"lo mencionó en una nota del caso {n(case)}" in bruno_sees
    assert f"lo mencionó en una nota del caso {n(case)}" in ana_sees
    assert f"El peticionario respondió en el caso {n(case)}" in ana_sees
    assert bell(site.as_user("ana")) == 2


def test_marking_everything_read(site: Site) -> None:
    for i in range(3):
        case = site.file("ana", subject=f"Caso {i}")
        site.pqrs.handle(c.AssignCase(filing_number=n(case), assignee="bruno"), site.actor("sofia"))
    bruno = site.as_user("bruno")
    assert bell(bruno) == 3

    response = bruno.post("/notificaciones/leidas")

    assert response.status_code == 302
    assert "Se marcaron 3 notificaciones como leídas." in html.unescape(bruno.page("/notificaciones"))
    assert bell(bruno) == 0
    assert bell(site.as_user("bruno")) == 0  # kept on the server: another browser sees the same


def test_the_inbox_marks_cases_with_activity_i_have_not_seen(site: Site, clock: FrozenClock) -> None:
    case = site.file("sofia", subject="Revisar")
    ana = site.as_user("ana")
    marker = re.compile(rf'{re.escape(n(case))}</a><span class="unseen" role="img" '
                        r'aria-label="Actividad sin ver"')
    assert marker.search(ana.page("/bandeja"))  # never opened

    ana.page(f"/casos/{n(case)}")
    assert not marker.search(ana.page("/bandeja"))

    clock.advance(minutes=5)
    site.pqrs.handle(c.AddNote(filing_number=n(case), text="Llamé al cliente"), site.actor("sofia"))
    assert marker.search(ana.page("/bandeja"))


def test_the_inbox_counts_the_cases_filed_since_it_was_shown(site: Site, clock: FrozenClock) -> None:
    site.file("ana", subject="Anterior")
    ana = site.as_user("ana")
    page = ana.page("/bandeja")
    since = re.search(r'data-since="([^"]+)"', page)
    source = re.search(r'data-new-cases="([^"]+)"', page)
    assert since is not None and source is not None
    clock.advance(minutes=1)
    for i in range(3):
        site.file("sofia", subject=f"Nuevo {i}")

    url = html.unescape(source.group(1))
    answer = ana.get(url + ("&" if "?" in url else "?") + "desde=" + quote(since.group(1))).get_json()

    assert answer == {"new": 3, "message": "3 casos nuevos"}
    later = (site.now() + timedelta(minutes=5)).isoformat()
    assert ana.get("/bandeja/nuevos?desde=" + quote(later)).get_json()["new"] == 0
    assert ana.get("/bandeja/nuevos?desde=ayer").status_code == 400
    assert ana.get("/bandeja/nuevos?desde=" + quote("9999-12-31T23:59:59.999999+00:00")).status_code == 400


def test_customers_have_no_bell(site: Site) -> None:
    page = site.as_user("juan").page("/portal")
    assert 'class="bell"' not in page


def test_a_term_alarm_reaches_the_assignee(site: Site, clock: FrozenClock) -> None:
    case = site.file("ana", subject="Con término")
    site.pqrs.handle(c.AssignCase(filing_number=n(case), assignee="bruno"), site.actor("sofia"))
    site.as_user("bruno").post("/notificaciones/leidas")  # the assignment, already seen
    assert case.resolution_due is not None
    clock.set(case.resolution_due - (case.resolution_due - case.filed_at) * 0.4)  # past half the term

    report = site.pqrs.sweep()

    assert report.alarms >= 1
    bruno = site.as_user("bruno")  # a new session: days went by
    listing = html.unescape(bruno.page("/notificaciones"))
    assert f"Alarma de término del caso {n(case)}: va en el 50 %" in listing
    assert bell(bruno) == 1
