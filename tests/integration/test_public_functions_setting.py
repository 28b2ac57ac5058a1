"""``PQRS_PUBLIC_FUNCTIONS``: an organisation declares it is a public authority or a private party
performing public functions, and only then do the terms of Decreto Legislativo 491 de 2020 art. 5 apply
to what it received during the health emergency (a real SQLite file through the application)."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from pqrs_adapters.config import Config
from pqrs_adapters.flask import create_app
from pqrs_adapters.sqlalchemy import upgrade
from pqrs_core.domain.commands import FileCase
from pqrs_core.domain.terms import Term
from pqrs_core.testing import staff

BOGOTA = ZoneInfo("America/Bogota")


@pytest.mark.parametrize(("flag", "term", "due"), [
    # Received Monday 4 May 2020 at 09:00 (Bogotá); day 1 is Tuesday 5 May. With public functions,
    # 30 days: 5–8 (4), 11–15 (9), 18–22 (14), Ascension Monday 25, 26–29 (18), 1–5 June (23), 8–12 (28),
    # Corpus Christi Monday 15, 16 17 (30) → Wednesday 17 June 2020.
    ("1", Term(30), date(2020, 6, 17)),
    # Without: the ordinary 15 days, 5–8 (4), 11–15 (9), 18–22 (14), Ascension Monday 25, 26 (15)
    # → Tuesday 26 May 2020.
    ("0", Term(15), date(2020, 5, 26)),
])
def test_the_emergency_terms_apply_only_to_organisations_with_public_functions(
        tmp_path: Path, flag: str, term: Term, due: date) -> None:
    url = f"sqlite:///{tmp_path / 'pqrs.sqlite3'}"
    upgrade(url)
    env = {"PQRS_DATABASE_URL": url, "PQRS_FILES_DIR": str(tmp_path / "files"), "PQRS_PUBLIC_FUNCTIONS": flag}
    config = Config.from_env(env)
    assert config.settings().public_functions is (flag == "1")
    app = create_app(config)
    try:
        pqrs = app.extensions["pqrs"]
        case = pqrs.handle(FileCase(kind="peticion", subject="Certificado", description="Solicito",
                                    received_at=datetime(2020, 5, 4, 9, 0, tzinfo=BOGOTA)),
                           staff("ana", "agent"))
        assert (case.term, case.resolution_due) == (term, pqrs.catalog().calendar.end_of_day(due))
    finally:
        app.extensions["pqrs.engine"].dispose()
