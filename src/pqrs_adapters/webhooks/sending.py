"""One signed request: ``post`` sends a delivery's body to the checked address of its URL.

The headers are those of the Standard Webhooks specification: ``webhook-id`` (the delivery's, the same
on every attempt), ``webhook-timestamp`` (seconds since the epoch, of this attempt) and
``webhook-signature`` (``v1,`` and the HMAC-SHA256 of ``id.timestamp.body`` with the subscription's
secret, computed by the ``standardwebhooks`` library). The request goes to the address
``addresses.check_url`` checked, with the URL's host in ``Host`` and, over HTTPS, in the TLS server
name (the certificate is verified against it). Redirects are not followed: a 3xx is a failure, like
any status outside 2xx, a timeout (``TIMEOUT`` seconds for connecting, and as much for each read or
write) or a refused connection.
"""

from __future__ import annotations

import ssl
from datetime import UTC, datetime

import attrs
import httpx
from standardwebhooks import Webhook

from .addresses import Target

TIMEOUT = 5.0
EXCERPT = 1000  # characters of the response kept for the log
USER_AGENT = "openpqrs-webhooks/1"


@attrs.frozen
class Outcome:
    status: int | None = None
    excerpt: str | None = None
    error: str | None = None  # why it failed without a status (in Spanish)

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


def signed_headers(secret: str, message_id: str, at: datetime, body: str) -> dict[str, str]:
    return {"webhook-id": message_id, "webhook-timestamp": str(int(at.astimezone(UTC).timestamp())),
            "webhook-signature": Webhook(secret).sign(message_id, at.astimezone(UTC), body)}


def _url(target: Target, address: str) -> str:
    host = f"[{address}]" if ":" in address else address
    return f"{target.scheme}://{host}:{target.port}{target.target}"


def post(client: httpx.Client, target: Target, body: str, headers: dict[str, str]) -> Outcome:
    """Send ``body`` to ``target`` (its first address that accepts the connection)."""
    extensions = {"sni_hostname": target.host} if target.scheme == "https" else {}
    request_headers = {"Host": target.host_header, "Content-Type": "application/json",
                       "User-Agent": USER_AGENT, **headers}
    error = "sin direcciones"
    for address in target.addresses:
        try:
            with client.stream("POST", _url(target, address), content=body.encode("utf-8"),
                               headers=request_headers, extensions=extensions) as response:
                excerpt = _excerpt(response)
                return Outcome(status=response.status_code, excerpt=excerpt or None,
                               error=_redirect(response) if response.is_redirect else None)
        except httpx.ConnectError as exc:
            error = f"no se pudo conectar con {address}: {exc or type(exc).__name__}"
            continue
        except httpx.TimeoutException:
            return Outcome(error=f"sin respuesta en {TIMEOUT:g} s")
        except httpx.HTTPError as exc:
            return Outcome(error=f"error de HTTP: {exc or type(exc).__name__}")
    return Outcome(error=error)


def _excerpt(response: httpx.Response) -> str:
    read = b""
    for chunk in response.iter_bytes():
        read += chunk
        if len(read) >= EXCERPT * 4:
            break
    return read.decode("utf-8", errors="replace")[:EXCERPT]


def _redirect(response: httpx.Response) -> str:
    return f"redirección a {response.headers.get('location', '?')} (no se sigue)"


def client(verify: ssl.SSLContext | bool = True) -> httpx.Client:
    """The client the worker sends with: no redirects, no proxies from the environment (the request
    goes to the checked address), certificates verified (against the system's authorities, or
    ``verify``'s)."""
    return httpx.Client(timeout=httpx.Timeout(TIMEOUT), follow_redirects=False, trust_env=False,
                        verify=verify)
