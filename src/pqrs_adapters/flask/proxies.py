"""Believing ``X-Forwarded-*`` headers only from the reverse proxies the settings name.

Behind nginx or Caddy every request's peer is the proxy, and the client's address (what the rate limits
count) and scheme arrive in ``X-Forwarded-For`` and ``X-Forwarded-Proto``. Werkzeug's ``ProxyFix`` reads
them; but anyone who reaches the application directly could send those headers too, with any address in
them. ``TrustedProxies`` hands the request to ``ProxyFix`` only when its peer is in one of the trusted
networks (``PQRS_TRUSTED_PROXIES``), with as many hops as the deployment has (``PQRS_PROXY_HOPS``); from
anyone else the forwarded headers are ignored.
"""

from __future__ import annotations

from collections.abc import Iterable
from ipaddress import IPv4Network, IPv6Network, ip_address
from typing import TYPE_CHECKING, Any

from werkzeug.middleware.proxy_fix import ProxyFix

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment


class TrustedProxies:
    def __init__(self, app: WSGIApplication, networks: Iterable[IPv4Network | IPv6Network],
                 hops: int = 1) -> None:
        self.app = app
        self.networks = tuple(networks)
        self.forwarded = ProxyFix(app, x_for=hops, x_proto=hops, x_host=hops)

    def trusts(self, peer: str | None) -> bool:
        try:
            address = ip_address(peer or "")
        except ValueError:
            return False
        return any(address in network for network in self.networks)

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        handler: Any = self.forwarded if self.trusts(environ.get("REMOTE_ADDR")) else self.app
        result: Iterable[bytes] = handler(environ, start_response)
        return result
