"""schemathesis against the served OpenAPI document: for every operation, generated requests (valid
and invalid) never get a 5xx, and every response conforms to the document (status code, content type,
headers, body schema). Examples per operation are bounded so the whole run takes well under a minute.

(The operations are listed from the API's registry at collection time; the document itself is loaded
from the running app, ``schemathesis.openapi.from_wsgi``. schemathesis' lazy pytest loader does not work
with this pytest, so each test drives the operation's hypothesis strategy itself.)
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import attrs
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.config import SchemathesisConfig

from pqrs_adapters import accounts
from pqrs_adapters.config import Config
from pqrs_adapters.flask import create_app
from pqrs_adapters.flask.api import load_views
from pqrs_adapters.flask.api.routing import OPERATIONS
from pqrs_adapters.sqlalchemy import upgrade

pytestmark = pytest.mark.slow

MAX_EXAMPLES = 20
# A request the document allows may still be refused by what a static document cannot state: 422 for a
# rule of the domain (a code that is not in the catalog, a reception instant in the future, a
# typification that already exists), 413/415 for an attachment's size and type (configuration). Anything
# else a valid request gets must be a success, 401, 403, 404 or 409 — never a 400 or a 5xx. Invalid
# requests must get a 4xx (schemathesis' negative checks).
CONFIG = SchemathesisConfig.from_dict({"checks": {"positive_data_acceptance": {
    "expected-statuses": ["2xx", "3xx", "401", "403", "404", "409", "413", "415", "422"]}}})


def _cases() -> list[tuple[str, GenerationMode]]:
    """Every operation with valid and with invalid input (an operation without input has no invalid)."""
    load_views()
    return [(name, mode) for name, operation in sorted(OPERATIONS.items()) for mode in GenerationMode
            if mode is GenerationMode.POSITIVE or operation.auth]


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """The OpenAPI document as the app serves it, with an administrator's token and a few cases."""
    root = tmp_path_factory.mktemp("schemathesis")
    url = f"sqlite:///{root / 'pqrs.sqlite3'}"
    upgrade(url)
    app = create_app(Config(database_url=url, files_dir=root / "files", secret_key="test"))
    engine = app.extensions["pqrs.engine"]
    accounts.save_user(engine, "admin", roles=("admin",))
    headers = {"Authorization": f"Bearer {accounts.create_token(engine, 'admin', 'schemathesis')}"}
    client = app.test_client()
    numbers = []
    for kind in ("peticion", "queja"):  # real cases to read, list and act on
        response = client.post("/api/v1/cases", headers=headers,
                               json={"kind": kind, "subject": "Caso de prueba", "description": "Texto"})
        assert response.status_code == 201
        numbers.append(response.get_json()["filing_number"])
    yield Served(schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app, config=CONFIG), headers, numbers)
    engine.dispose()


@attrs.frozen
class Served:
    schema: Any
    headers: dict[str, str]
    numbers: list[str]

    def strategy(self, operation: Any, mode: GenerationMode) -> st.SearchStrategy[Any]:
        """Generated requests; valid ones half of the time name real cases, and their cursors are ones
        the API handed out (a client never makes cursors up)."""
        cases = operation.as_strategy(generation_mode=mode)
        if mode is not GenerationMode.POSITIVE:
            return cases

        def realistic(pair: tuple[Any, str | None]) -> Any:
            case, number = pair
            if case.query and "cursor" in case.query:
                case.query["cursor"] = self.numbers[0]
            if number is not None and case.path_parameters and "number" in case.path_parameters:
                case.path_parameters["number"] = number
            return case

        return st.tuples(cases, st.sampled_from([*self.numbers, None])).map(realistic)


@pytest.mark.parametrize("operation_id, mode", _cases(), ids=lambda v: getattr(v, "value", v))
def test_the_api_honours_its_openapi_document(served: Served, operation_id: str,
                                              mode: GenerationMode) -> None:
    operation = served.schema.find_operation_by_id(operation_id)

    # Derandomised: the same examples on every run, so that a run's verdict is about the code, not the
    # seed. A negative case that made the Authorization header itself invalid keeps it (the API must
    # then answer 401); replacing it with a valid token would turn the case into a valid request.
    @given(case=served.strategy(operation, mode))
    @settings(max_examples=MAX_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck),
              database=None, derandomize=True)
    def check(case: Any) -> None:
        own = mode is GenerationMode.NEGATIVE and "Authorization" in (case.headers or {})
        case.call_and_validate(headers=None if own else served.headers)

    check()
