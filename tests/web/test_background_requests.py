"""What a page's scripts fetch in the background (the bell's count, the dashboard's figures) leaves to the
person's next page what belongs to it: the message a form's answer wrote, and the session cookie that
carries it."""

from __future__ import annotations

import html

import pytest

from .conftest import Site, Visitor

MESSAGE = "No había notificaciones sin leer."
# How a background request is told: by the application's scripts, and by any browser's Fetch Metadata.
BACKGROUND = [{"X-Requested-With": "XMLHttpRequest", "Accept": "application/json"},
              {"Sec-Fetch-Dest": "empty"}]


def _kept_alive(site: Site, username: str) -> Visitor:
    visitor = site.as_user(username)
    with visitor.client.session_transaction() as session:
        session.permanent = True  # as the login makes it: kept alive by every response
    assert "session=" in visitor.get("/notificaciones").headers.get("Set-Cookie", "")
    return visitor


@pytest.mark.parametrize("headers", BACKGROUND)
def test_the_bells_refresh_leaves_the_session_cookie_to_the_pages(site: Site,
                                                                  headers: dict[str, str]) -> None:
    """A background request sends no session cookie back unless it changed the session, so it cannot
    replace the one a form's answer has just written (its message) with the older one it began with; a
    page still refreshes the cookie."""
    bruno = _kept_alive(site, "bruno")

    polled = bruno.get("/notificaciones/resumen", headers=headers)

    assert polled.get_json() == {"unread": 0}
    assert "Set-Cookie" not in polled.headers
    message = bruno.post("/notificaciones/leidas")
    assert message.status_code == 302 and "session=" in message.headers.get("Set-Cookie", "")
    bruno.get("/notificaciones/resumen", headers=headers)
    assert MESSAGE in html.unescape(bruno.page("/notificaciones"))


@pytest.mark.parametrize("headers", BACKGROUND)
def test_the_dashboards_refresh_leaves_the_forms_message_to_the_next_page(site: Site,
                                                                          headers: dict[str, str]) -> None:
    """The dashboard fetches its whole page again to swap its figures in: that page shows none of the
    messages waiting in the session and takes none, and sends no cookie back."""
    sofia = _kept_alive(site, "sofia")
    assert sofia.post("/notificaciones/leidas").status_code == 302

    refreshed = sofia.get("/panel", headers=headers)

    assert refreshed.status_code == 200 and 'class="figure-label"' in refreshed.get_data(as_text=True)
    assert MESSAGE not in html.unescape(refreshed.get_data(as_text=True))
    assert "Set-Cookie" not in refreshed.headers
    shown = html.unescape(sofia.page("/panel"))
    assert MESSAGE in shown
    assert MESSAGE not in html.unescape(sofia.page("/panel"))  # shown once
