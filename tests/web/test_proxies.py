"""Rate limits behind a reverse proxy: the client address is the one a trusted proxy forwards, and
forwarded headers from anyone else are ignored (``PQRS_TRUSTED_PROXIES``)."""

from __future__ import annotations

from ipaddress import ip_network

import pytest
from flask import Flask

from pqrs_adapters.config import ClientAddresses, Config, ConfigError
from pqrs_adapters.flask import create_app

from .conftest import Site, Visitor

PROXY = "127.0.0.2"


def behind_proxy(site: Site) -> Flask:
    """Another application on the site's database, behind a proxy at ``PROXY``, allowing two failed
    lookups per address."""
    url = site.engine.url.render_as_string(hide_password=False)
    config = Config(database_url=url, files_dir=site.app.extensions["pqrs.config"].files_dir,
                    secret_key="test-secret",
                    clients=ClientAddresses(trusted_proxies=(ip_network(PROXY),), lookup_failures=2))
    app = create_app(config)
    app.config["TESTING"] = True
    return app


def visitor(app: Flask, peer: str) -> Visitor:
    person = Visitor(app, None)
    person.client.environ_base["REMOTE_ADDR"] = peer
    return person


def failed_lookup(person: Visitor, number: str, forwarded_for: str) -> int:
    response = person.post("/consultar", {"radicado": number, "documento": "99999999"},
                           headers={"X-Forwarded-For": forwarded_for})
    return response.status_code


def test_two_clients_behind_a_trusted_proxy_are_limited_separately(site: Site) -> None:
    app = behind_proxy(site)
    number = str(site.file("ana", subject="Certificado").filing_number)
    first, second = visitor(app, PROXY), visitor(app, PROXY)

    assert [failed_lookup(first, number, "203.0.113.5") for _ in range(3)] == [404, 404, 429]
    assert failed_lookup(second, number, "203.0.113.9") == 404  # another citizen, same proxy
    app.extensions["pqrs.engine"].dispose()


def test_forwarded_addresses_from_an_untrusted_peer_are_ignored(site: Site) -> None:
    app = behind_proxy(site)
    number = str(site.file("ana", subject="Certificado").filing_number)
    direct = visitor(app, "198.51.100.7")

    # A new made-up address on each attempt does not escape the limit of the real one.
    statuses = [failed_lookup(direct, number, f"203.0.113.{i}") for i in range(3)]
    assert statuses == [404, 404, 429]
    app.extensions["pqrs.engine"].dispose()


def test_the_proxy_and_limit_settings_are_read_and_checked() -> None:
    clients = Config.from_env({"PQRS_TRUSTED_PROXIES": "127.0.0.1, 10.0.0.0/8,::1", "PQRS_PROXY_HOPS": "2",
                               "PQRS_PUBLIC_FILINGS_PER_HOUR": "30", "PQRS_LOOKUP_FAILURES": "8",
                               "PQRS_LOOKUP_FAILURES_MINUTES": "60"}).clients
    assert clients.trusted_proxies == (ip_network("127.0.0.1"), ip_network("10.0.0.0/8"), ip_network("::1"))
    assert (clients.proxy_hops, clients.public_filings_per_hour, clients.lookup_failures,
            clients.lookup_failures_minutes) == (2, 30, 8, 60)
    assert Config.from_env({}).clients == ClientAddresses()
    with pytest.raises(ConfigError, match="PQRS_TRUSTED_PROXIES: «proxy.local» no es una dirección IP"):
        Config.from_env({"PQRS_TRUSTED_PROXIES": "proxy.local"})
