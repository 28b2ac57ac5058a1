"""Which URLs a webhook may call.

A webhook makes the server send requests where an administrator points it: left alone, that reaches the
services of the server's own network (SSRF). So private, loopback, link-local and every other non-public
address is refused, unless the allow-list (``PQRS_WEBHOOK_ALLOW``: host names, addresses or networks,
comma-separated) names it. The check runs when a subscription is saved and again before every attempt,
on the addresses the name resolves to at that moment; the request then goes to the address that was
checked (a name that resolves to a public address when checked and to a private one when connecting,
DNS rebinding, gains nothing).
"""

from __future__ import annotations

import re
import socket
from collections.abc import Callable, Sequence
from ipaddress import IPv4Address, IPv4Network, IPv6Address, IPv6Network, ip_address, ip_network
from urllib.parse import urlsplit

import attrs

MAX_URL = 2000
SCHEMES = {"http": 80, "https": 443}
_HOST_NAME = re.compile(r"[a-z0-9_]([a-z0-9_-]{0,62})(\.[a-z0-9_]([a-z0-9_-]{0,62}))*")

IpAddress = IPv4Address | IPv6Address
Resolver = Callable[[str, int], Sequence[str]]


class UnsafeUrl(ValueError):
    """The URL cannot be called; the message says why, in Spanish."""


@attrs.frozen
class AllowList:
    """What may be called although it is not public: host names (as written in URLs) and networks."""

    hosts: frozenset[str] = frozenset()
    networks: tuple[IPv4Network | IPv6Network, ...] = ()

    @classmethod
    def parse(cls, text: str) -> AllowList:
        """``localhost, 10.0.0.0/8, 192.168.1.20``; ``ValueError`` naming an item that is none of
        those."""
        hosts: set[str] = set()
        networks: list[IPv4Network | IPv6Network] = []
        for item in (part.strip() for part in text.split(",")):
            if not item:
                continue
            try:
                networks.append(ip_network(item, strict=False))
            except ValueError:
                if not _HOST_NAME.fullmatch(item.lower().rstrip(".")):
                    raise ValueError(f"«{item}» no es un nombre de host, una dirección IP ni una red"
                                     ) from None
                hosts.add(item.lower().rstrip("."))
        return cls(frozenset(hosts), tuple(networks))

    def allows(self, host: str, address: IpAddress) -> bool:
        return host in self.hosts or any(address in network for network in self.networks)


@attrs.frozen
class Target:
    """Where a request goes: the URL's parts and the checked addresses to connect to."""

    scheme: str
    host: str  # lower case, without brackets
    port: int
    target: str  # path and query, as sent in the request line
    addresses: tuple[str, ...]

    @property
    def host_header(self) -> str:
        name = f"[{self.host}]" if ":" in self.host else self.host
        return name if self.port == SCHEMES[self.scheme] else f"{name}:{self.port}"


def system_resolver(host: str, port: int) -> list[str]:
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def _public(address: IpAddress) -> bool:
    if isinstance(address, IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_global and not address.is_multicast


def parse_url(url: str) -> tuple[str, str, int, str]:
    """``(scheme, host, port, target)`` of an absolute http(s) URL; ``UnsafeUrl`` otherwise."""
    if len(url) > MAX_URL:
        raise UnsafeUrl(f"La URL es demasiado larga (máximo {MAX_URL} caracteres).")
    if any(ch.isspace() or ord(ch) < 32 for ch in url):
        raise UnsafeUrl("La URL no puede tener espacios ni caracteres de control.")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise UnsafeUrl("La URL no es válida.") from None
    scheme = parts.scheme.lower()
    if scheme not in SCHEMES or not parts.hostname:
        raise UnsafeUrl("La URL debe empezar por https:// (o http://) y nombrar un servidor.")
    if parts.username is not None or parts.password is not None:
        raise UnsafeUrl("La URL no puede llevar usuario ni contraseña.")
    if parts.fragment:
        raise UnsafeUrl("La URL no puede llevar fragmento (#…).")
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return scheme, parts.hostname.lower().rstrip("."), port or SCHEMES[scheme], target


def check_url(url: str, allow: AllowList, resolve: Resolver = system_resolver) -> Target:
    """The target of ``url`` with the addresses it resolves to now, every one of them public or
    allowed; ``UnsafeUrl`` otherwise."""
    scheme, host, port, target = parse_url(url)
    try:
        literal: IpAddress | None = ip_address(host)
    except ValueError:
        literal = None
    if literal is not None:
        found = [str(literal)]
    else:
        try:
            found = list(resolve(host, port))
        except (OSError, UnicodeError):
            raise UnsafeUrl(f"No se pudo resolver el nombre «{host}».") from None
        if not found:
            raise UnsafeUrl(f"El nombre «{host}» no tiene direcciones.")
    for text in found:
        address = ip_address(text.split("%", 1)[0])
        if not _public(address) and not allow.allows(host, address):
            raise UnsafeUrl(f"«{host}» es una dirección privada o local ({address}); solo se admite si "
                            "PQRS_WEBHOOK_ALLOW la incluye.")
    return Target(scheme, host, port, target, tuple(found))
