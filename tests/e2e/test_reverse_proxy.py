"""pqrs behind Debian's nginx, with the configuration in ``deploy/nginx/pqrs.conf``: TLS ends at nginx,
nginx serves the static files and limits bodies, and the real client address reaches the rate limits,
so that two citizens behind the same proxy are limited separately."""

from __future__ import annotations

import contextlib
import functools
import http.client
import http.cookiejar
import os
import re
import shutil
import signal
import ssl
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

import pqrs_adapters.flask

from .live import pqrs_command, serve

ROOT = Path(__file__).resolve().parents[2]
SITE = ROOT / "deploy" / "nginx" / "pqrs.conf"
STATIC = Path(pqrs_adapters.flask.__file__).parent / "static"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def _nginx_missing() -> None:
    if os.environ.get("CI") == "true":
        pytest.fail("nginx is required on CI (.ci/run installs Debian's nginx-light)")
    pytest.skip("nginx is not installed (apt-get install nginx-light)")


@contextlib.contextmanager
def nginx(root: Path, upstream: int, http_port: int, https_port: int) -> Iterator[None]:
    """Debian's nginx as an ordinary process, with the shipped site configuration pointed at
    ``upstream`` and a throwaway certificate."""
    if not Path(NGINX).exists():
        _nginx_missing()
    root.mkdir()
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=localhost", "-keyout", str(root / "key.pem"),
                    "-out", str(root / "cert.pem")],
                   check=True, capture_output=True)
    site = SITE.read_text()
    for old, new in [("server 127.0.0.1:8000;", f"server 127.0.0.1:{upstream};"),
                     ("    listen 80;\n", f"    listen 127.0.0.1:{http_port};\n"),
                     ("    listen 443 ssl http2;\n", f"    listen 127.0.0.1:{https_port} ssl http2;\n"),
                     ("/etc/ssl/certs/pqrs.example.org.pem", str(root / "cert.pem")),
                     ("/etc/ssl/private/pqrs.example.org.key", str(root / "key.pem")),
                     ("/opt/pqrs/static/", f"{STATIC}/")]:
        assert old in site, old
        site = site.replace(old, new)
    site = re.sub(r"    listen \[::\].*\n", "", site)  # the test machine may have no IPv6
    (root / "site.conf").write_text(site)
    temp = {name: root / name for name in ("body", "proxy", "fastcgi", "uwsgi", "scgi")}
    (root / "nginx.conf").write_text(f"""
user root;
worker_processes 1;
pid {root / 'nginx.pid'};
error_log {root / 'error.log'} warn;
events {{ worker_connections 64; }}
http {{
    include /etc/nginx/mime.types;
    access_log {root / 'access.log'};
    client_body_temp_path {temp['body']};
    proxy_temp_path {temp['proxy']};
    fastcgi_temp_path {temp['fastcgi']};
    uwsgi_temp_path {temp['uwsgi']};
    scgi_temp_path {temp['scgi']};
    include {root / 'site.conf'};
}}
""")
    process = subprocess.Popen([NGINX, "-p", str(root), "-c", str(root / "nginx.conf"), "-g", "daemon off;"],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 20
        while True:
            assert process.poll() is None, process.stdout.read().decode() if process.stdout else ""
            with contextlib.suppress(OSError), socket_to(https_port):
                break
            assert time.monotonic() < deadline, (root / "error.log").read_text()
            time.sleep(0.1)
        yield
    finally:
        process.send_signal(signal.SIGQUIT)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


@contextlib.contextmanager
def socket_to(port: int) -> Iterator[None]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
    try:
        connection.connect()
        yield
    finally:
        connection.close()


class Citizen:
    """A browser on the machine at ``address`` (a loopback address of its own), keeping cookies."""

    def __init__(self, address: str) -> None:
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE

        class Bound(urllib.request.HTTPSHandler):
            def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
                connection = functools.partial(http.client.HTTPSConnection, source_address=(address, 0),
                                               context=context)
                return self.do_open(connection, req)  # type: ignore[arg-type]

        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(Bound(), urllib.request.HTTPCookieProcessor(self.cookies))

    def request(self, url: str,
                data: dict[str, str] | None = None) -> tuple[int, str, http.client.HTTPMessage]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        # A browser sends the page a form came from; over HTTPS the CSRF check insists on it.
        request = urllib.request.Request(url, data=body, headers={"Referer": url})
        try:
            with self.opener.open(request, timeout=10) as response:
                return int(response.status), response.read().decode(), response.headers
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(), error.headers

    def failed_lookup(self, base: str, number: str) -> int:
        _, page, _ = self.request(f"{base}/consultar")
        token = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', page)
        assert token, page[:500]
        status, _, _ = self.request(f"{base}/consultar", {"csrf_token": token.group(1), "radicado": number,
                                                          "documento": "99999999"})
        return status


def test_two_citizens_behind_nginx_are_limited_separately_and_nginx_serves_the_static_files(
        tmp_path: Path) -> None:
    from .live import free_port

    env = {"PQRS_TRUSTED_PROXIES": "127.0.0.1", "PQRS_SECURE_COOKIES": "1", "PQRS_LOOKUP_FAILURES": "2"}
    http_port, https_port = free_port(), free_port()
    with serve(tmp_path / "pqrs", cases=3, env=env, workers=2) as server:
        listed = pqrs_command(server.environ, "cases", "--limit", "1").stdout
        number = re.search(r"[A-Z]+-\d{4}-\d{6}", listed)
        assert number, listed
        upstream = int(server.base.rsplit(":", 1)[1])
        with nginx(tmp_path / "nginx", upstream, http_port, https_port):
            base = f"https://127.0.0.1:{https_port}"
            first, second = Citizen("127.0.0.5"), Citizen("127.0.0.9")

            assert [first.failed_lookup(base, number.group(0)) for _ in range(3)] == [404, 404, 429]
            assert second.failed_lookup(base, number.group(0)) == 404  # another citizen, same proxy

            assert any(cookie.secure for cookie in first.cookies)  # the session cookie only over HTTPS
            status, css, headers = first.request(f"{base}/static/pqrs.css")
            assert status == 200 and css == (STATIC / "pqrs.css").read_text()
            assert headers["Server"].startswith("nginx") and headers["Cache-Control"] == "max-age=3600"
            big = first.request(f"{base}/consultar", {"x": "a" * (12 * 1024 * 1024)})
            assert big[0] == 413
            plain = http.client.HTTPConnection("127.0.0.1", http_port, timeout=10)
            plain.request("GET", "/consultar")
            redirect = plain.getresponse()
            assert redirect.status == 301
            assert redirect.getheader("Location") == "https://127.0.0.1/consultar"
