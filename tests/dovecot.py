"""Debian's Dovecot as a real IMAP server for the tests: ``start_dovecot(directory)`` writes a throwaway
configuration (users in a passwd-file, mail in Maildirs, base and state directories, a self-signed
certificate for IMAPS and STARTTLS) and runs ``dovecot -F -c <conf>`` as an ordinary process on two
free ports of 127.0.0.1. Nothing outside ``directory`` is touched.

Dovecot never runs mail or login processes as root: when the tests run as root (CI), mail belongs to
the ``dovecot`` user and logins run as ``dovenull`` (both created by the Debian package); otherwise
everything runs as the user running the tests. Under ``CI=true`` a missing Dovecot fails the test;
elsewhere it is skipped.
"""

from __future__ import annotations

import grp
import os
import pwd
import shutil
import signal
import socket
import ssl
import subprocess
import tempfile
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from imapclient import IMAPClient

DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"
USER = "pqrs@example.co"
PASSWORD = "clave-del-buzon"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def dovecot_unavailable(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"Dovecot is required on CI (.ci/run installs dovecot-imapd): {reason}")
    pytest.skip(f"Dovecot unavailable ({reason})")


def _self_signed(directory: Path) -> tuple[Path, Path]:
    cert, key = directory / "cert.pem", directory / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key),
                    "-out", str(cert), "-days", "2", "-subj", "/CN=localhost",
                    "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"],
                   check=True, capture_output=True)
    return cert, key


class Dovecot:
    """A running Dovecot; ``stop()``/``start()`` take it down and up again on the same ports."""

    def __init__(self, directory: Path, extra_config: str = "") -> None:
        self.directory = directory
        self.host = "127.0.0.1"
        self.imap_port, self.imaps_port = free_port(), free_port()
        self.cert, key = _self_signed(directory)
        if os.geteuid() == 0:
            mail_user, login_user = pwd.getpwnam("dovecot"), "dovenull"
        else:
            mail_user = pwd.getpwuid(os.getuid())
            login_user = mail_user.pw_name
        self.uid, self.gid = mail_user.pw_uid, mail_user.pw_gid
        home = directory / "mail" / "pqrs"
        home.mkdir(parents=True)
        for path in (directory / "mail", home):
            os.chown(path, self.uid, self.gid)
        (directory / "passwd").write_text(
            f"{USER}:{{PLAIN}}{PASSWORD}:{self.uid}:{self.gid}::{home}::\n", encoding="utf-8")
        self.log = directory / "dovecot.log"
        self.conf = directory / "dovecot.conf"
        self.conf.write_text(f"""
base_dir = {directory}/run
state_dir = {directory}/state
instance_name = pqrs-test-{self.imap_port}
protocols = imap
listen = 127.0.0.1
ssl = yes
ssl_cert = <{self.cert}
ssl_key = <{key}
default_internal_user = {mail_user.pw_name}
default_internal_group = {grp.getgrgid(self.gid).gr_name}
default_login_user = {login_user}
first_valid_uid = 1
log_path = {self.log}
mail_location = maildir:~/Maildir
auth_mechanisms = plain login
disable_plaintext_auth = no
auth_failure_delay = 0
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {directory}/passwd
}}
userdb {{
  driver = passwd-file
  args = username_format=%u {directory}/passwd
}}
service imap-login {{
  chroot =
  inet_listener imap {{
    address = 127.0.0.1
    port = {self.imap_port}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {self.imaps_port}
    ssl = yes
  }}
}}
service anvil {{
  chroot =
}}
service stats {{
  inet_listener http {{
    port = 0
  }}
}}
{extra_config}
""", encoding="utf-8")
        self.process: subprocess.Popen[bytes] | None = None

    # ------------------------------------------------------------------------------- process
    def start(self) -> None:
        self.process = subprocess.Popen([DOVECOT, "-F", "-c", str(self.conf)], stdout=subprocess.DEVNULL,
                                        stderr=subprocess.PIPE)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                error = self.process.stderr.read().decode() if self.process.stderr else ""
                raise RuntimeError(f"dovecot exited: {error} {self.read_log()}")
            try:
                with socket.create_connection((self.host, self.imap_port), timeout=1) as sock:
                    if sock.recv(100).startswith(b"* OK"):
                        return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError(f"dovecot did not start: {self.read_log()}")

    def stop(self) -> None:
        process, self.process = self.process, None
        if process is None:
            return
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        deadline = time.monotonic() + 10  # its children (imap, auth) leave with it
        while time.monotonic() < deadline and (self.directory / "run" / "master.pid").exists():
            time.sleep(0.05)

    def drop_connections(self) -> int:
        """Kill (SIGKILL) every IMAP session process, as a network failure would cut them; the server
        itself stays up. How many were killed."""
        assert self.process is not None
        killed = 0
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)
                name = fields[0].split("(", 1)[1]
                parent = int(fields[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            if parent == self.process.pid and name == "imap":
                try:
                    os.kill(int(stat.parent.name), signal.SIGKILL)
                    killed += 1
                except ProcessLookupError:
                    pass
        return killed

    def read_log(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace") if self.log.exists() else ""

    # ------------------------------------------------------------------------------- mailbox
    def url(self, security: str = "imaps", folder: str = "INBOX") -> str:
        if security == "imaps":
            return f"imaps://{self.host}:{self.imaps_port}/{folder}"
        if security == "starttls":
            return f"imap://{self.host}:{self.imap_port}/{folder}?starttls=1"
        return f"imap://{self.host}:{self.imap_port}/{folder}"

    def client(self) -> IMAPClient:
        context = ssl.create_default_context(cafile=str(self.cert))
        client = IMAPClient(self.host, port=self.imaps_port, ssl=True, ssl_context=context, timeout=10)
        client.login(USER, PASSWORD)
        return client

    def append(self, raw: bytes, *, folder: str = "INBOX", when: datetime | None = None) -> int:
        """Put a message in ``folder`` (its INTERNALDATE ``when``); its UID."""
        client = self.client()
        try:
            if not client.folder_exists(folder):
                client.create_folder(folder)
            response = client.append(folder, raw, msg_time=when)
        finally:
            client.logout()
        text = response.decode() if isinstance(response, bytes) else str(response)
        return int(text.split("APPENDUID", 1)[1].split()[1].rstrip("]"))

    def flags(self, folder: str = "INBOX") -> dict[int, set[str]]:
        """UID → flags of every message in ``folder``."""
        client = self.client()
        try:
            if not client.folder_exists(folder):
                return {}
            client.select_folder(folder, readonly=True)
            found = client.get_flags(client.search("ALL"))
        finally:
            client.logout()
        return {uid: {f.decode() for f in values} for uid, values in found.items()}


# The capabilities Dovecot 2.3 announces after login, less IDLE and MOVE: an older or smaller server.
WITHOUT_IDLE_AND_MOVE = (
    "imap_capability = IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE SORT SORT=DISPLAY THREAD=REFERENCES "
    "THREAD=REFS THREAD=ORDEREDSUBJECT MULTIAPPEND URL-PARTIAL CATENATE UNSELECT CHILDREN NAMESPACE "
    "UIDPLUS LIST-EXTENDED I18NLEVEL=1 CONDSTORE QRESYNC ESEARCH ESORT SEARCHRES WITHIN CONTEXT=SEARCH "
    "LIST-STATUS BINARY LITERAL+\n")


def run_dovecot(extra_config: str = "") -> Iterator[Dovecot]:
    """The body of the ``dovecot`` fixtures: a started server, stopped and removed afterwards."""
    if not Path(DOVECOT).exists():
        dovecot_unavailable(f"{DOVECOT} not found")
    if shutil.which("openssl") is None:
        dovecot_unavailable("openssl not found (for the test certificate)")
    # Not pytest's tmp_path: the mail user (``dovecot`` under root) must be able to reach the Maildir.
    directory = Path(tempfile.mkdtemp(prefix="pqrs-dovecot-"))
    directory.chmod(0o755)
    server = Dovecot(directory, extra_config)
    try:
        server.start()
        yield server
    finally:
        server.stop()
        shutil.rmtree(directory, ignore_errors=True)
