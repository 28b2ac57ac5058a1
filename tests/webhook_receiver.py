"""A webhook receiver for the tests: an ``http.server`` on 127.0.0.1 in a thread that checks every
request's signature with the ``standardwebhooks`` library and keeps what it was sent.

``status`` is what it answers (``redirect_to`` makes it a 302 to that path); ``stop()`` and ``start()``
take it down and bring it back up on the same port. With ``strict_time`` (the default) it verifies as a
receiver in production does, timestamp tolerance included; without it, only the signature (for tests
whose clock is days ahead of the real one).
"""

from __future__ import annotations

import json
import ssl
import threading
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import attrs
from standardwebhooks import Webhook

PATH = "/hooks/pqrs"


@attrs.frozen
class Received:
    path: str
    headers: dict[str, str]
    body: bytes
    payload: Any

    @property
    def message_id(self) -> str:
        return self.headers["webhook-id"]


class Receiver:
    def __init__(self, secret: str | None = None, *, strict_time: bool = True,
                 tls: ssl.SSLContext | None = None) -> None:
        self.secret = secret
        self.tls = tls
        self.strict_time = strict_time
        self.status = 200
        self.redirect_to: str | None = None
        self.received: list[Received] = []
        self.rejected: list[str] = []
        self.paths: list[str] = []
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.port = 0

    @property
    def url(self) -> str:
        return f"{'https' if self.tls else 'http'}://127.0.0.1:{self.port}{PATH}"

    def start(self) -> Receiver:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                receiver.handle(self.path, {k.lower(): v for k, v in self.headers.items()}, body, self)

            def log_message(self, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        if self.tls is not None:
            self._server.socket = self.tls.wrap_socket(self._server.socket, server_side=True)
        self.port = int(self._server.server_address[1])
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def handle(self, path: str, headers: dict[str, str], body: bytes, http: BaseHTTPRequestHandler) -> None:
        with self._lock:
            self.paths.append(path)
        if self.redirect_to is not None and path == PATH:
            http.send_response(302)
            http.send_header("Location", self.redirect_to)
            http.end_headers()
            return
        try:
            payload = self.verify(headers, body)
        except Exception as exc:  # noqa: BLE001 - any failed check is a rejection, kept for the test
            with self._lock:
                self.rejected.append(str(exc))
            http.send_response(400)
            http.end_headers()
            return
        with self._lock:
            self.received.append(Received(path, headers, body, payload))
        http.send_response(self.status)
        text = f"recibido {headers.get('webhook-id')}".encode()
        http.send_header("Content-Length", str(len(text)))
        http.end_headers()
        http.wfile.write(text)

    def verify(self, headers: dict[str, str], body: bytes) -> Any:
        assert self.secret is not None, "the receiver does not know the secret"
        webhook = Webhook(self.secret)
        if self.strict_time:
            return webhook.verify(body, headers)
        at = datetime.fromtimestamp(int(headers["webhook-timestamp"]), UTC)
        expected = webhook.sign(headers["webhook-id"], at, body)
        if expected not in headers["webhook-signature"].split(" "):
            raise ValueError("No matching signature found")
        return json.loads(body)

    def ids(self) -> list[str]:
        with self._lock:
            return [r.message_id for r in self.received]
