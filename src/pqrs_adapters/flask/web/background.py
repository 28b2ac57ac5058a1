"""Requests a page's scripts make in the background, beside the person's own.

A page refreshes parts of itself while it is open: the bell's count and the inbox's new cases (small JSON
answers), the dashboard's figures (the whole page fetched again and its panel swapped in), the help
suggestions of the filing form. The scripts say so with ``X-Requested-With: XMLHttpRequest``; browsers
also mark every request a script makes with ``Sec-Fetch-Dest: empty`` (Fetch Metadata,
https://www.w3.org/TR/fetch-metadata/), which covers a script that forgets the header.

Such a request must not take what belongs to the person's next page:

- the messages that say what a form did («Caso retomado: vuelve a gestión.»): a page fetched in the
  background neither shows nor consumes them (``page_messages``);
- the session cookie: the session is permanent, so Flask sends its cookie again with every response to
  keep it alive, and a background request that began before a form was sent would answer with the session
  as it was; the browser keeps the last cookie it receives and would lose what the form's answer wrote
  into it. A background response sends the cookie only when it changed the session.
"""

from __future__ import annotations

from flask import Flask, get_flashed_messages, request
from flask.sessions import SecureCookieSessionInterface, SessionMixin

HEADER = "X-Requested-With"
HEADER_VALUE = "XMLHttpRequest"


def is_background() -> bool:
    """Whether the current request was made by a page's script rather than by the person."""
    return (request.headers.get(HEADER) == HEADER_VALUE
            or request.headers.get("Sec-Fetch-Dest") == "empty")


def page_messages() -> list[tuple[str, str]]:
    """The messages (category, text) to show on this page, taken from the session; none, and none taken,
    for a page fetched in the background."""
    if is_background():
        return []
    messages: list[tuple[str, str]] = get_flashed_messages(with_categories=True)  # type: ignore[assignment]
    return messages


class ForegroundSessionInterface(SecureCookieSessionInterface):
    """Flask's session, its cookie refreshed by the person's requests only (see the module)."""

    def should_set_cookie(self, app: Flask, session: SessionMixin) -> bool:
        if not session.modified and is_background():
            return False
        return super().should_set_cookie(app, session)
