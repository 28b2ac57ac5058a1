"""``/avisos``: the notices published on the website (CPACA art. 69) — the answers the organisation
could not notify, each up for five business days; the notification is surtida at the end of the
business day after its withdrawal. Open to anyone, as the law asks; only the filing number, the kind
and the days are shown (see ``sqlalchemy.notices``)."""

from __future__ import annotations

from flask import render_template

from ...sqlalchemy.notices import published_on
from .common import catalog, engine, labels, now


def index() -> str:
    calendar = catalog().calendar
    assert calendar is not None
    today = calendar.local_date(now())
    with engine().connect() as conn:
        notices = published_on(conn, today)
    surtida = {n.filing_number: calendar.next_business_day(n.published_until) for n in notices}
    return render_template("public/notices.html", notices=notices, today=today, surtida=surtida,
                           kinds=labels().kind)
