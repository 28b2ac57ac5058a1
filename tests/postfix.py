"""Debian's Postfix as the organisation's MTA in front of ``pqrs mail serve``: ``run_postfix(relay_to)``
writes a throwaway instance (its own configuration, queue and data directories in a temporary
directory; the packaged master.cf with nothing chrooted and the SMTP listener on a free port of
127.0.0.1) that relays mail for ``acme.example`` to ``lmtp:inet:127.0.0.1:<relay_to>``, and runs it in
the foreground (``postfix start-fg``). Postfix's master starts as root, so the test is skipped when the
tests do not run as root or Postfix is not installed (it is optional, even on CI)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from dovecot import free_port

POSTFIX = shutil.which("postfix") or "/usr/sbin/postfix"
POSTQUEUE = shutil.which("postqueue") or "/usr/sbin/postqueue"
DOMAIN = "acme.example"


class Postfix:
    def __init__(self, directory: Path, relay_to: int) -> None:
        self.directory = directory
        self.conf = directory / "conf"
        self.port = free_port()
        for name in ("conf", "queue", "data"):
            (directory / name).mkdir()
        shutil.chown(directory / "data", "postfix")
        for name in ("dynamicmaps.cf", "dynamicmaps.cf.d", "postfix-files", "postfix-files.d"):
            source = Path("/etc/postfix") / name
            if source.is_dir():
                shutil.copytree(source, self.conf / name)
            elif source.exists():
                shutil.copy(source, self.conf / name)
        self.log = directory / "maillog"
        (self.conf / "main.cf").write_text(f"""compatibility_level = 3.6
queue_directory = {directory}/queue
data_directory = {directory}/data
mail_owner = postfix
setgid_group = postdrop
myhostname = mta.{DOMAIN}
mydestination =
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
relay_domains = {DOMAIN}
transport_maps = inline:{{ {DOMAIN}=lmtp:inet:127.0.0.1:{relay_to} }}
smtpd_recipient_restrictions = permit_mynetworks, reject
maillog_file = /dev/stdout
queue_run_delay = 1s
minimal_backoff_time = 1s
maximal_backoff_time = 2s
""", encoding="utf-8")
        lines = []
        for line in Path("/etc/postfix/master.cf").read_text(encoding="utf-8").splitlines():
            fields = line.split()
            if re.match(r"^smtp\s+inet\s", line):
                line = f"127.0.0.1:{self.port} inet n - n - - smtpd"
            elif len(fields) >= 8 and not line[0].isspace() and not line.startswith("#"):
                fields[4] = "n"  # nothing chrooted: the instance lives in a temporary directory
                line = " ".join(fields)
            lines.append(line)
        (self.conf / "master.cf").write_text("\n".join(lines) + "\n", encoding="utf-8")
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        # Creates the queue's subdirectories (it exits 1 over warnings about the temporary directory).
        subprocess.run([POSTFIX, "-c", str(self.conf), "post-install", "create-missing"], capture_output=True)
        with self.log.open("wb") as log:  # the log goes to start-fg's standard output
            self.process = subprocess.Popen([POSTFIX, "-c", str(self.conf), "start-fg"], stdout=log,
                                            stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 30
        while "daemon started" not in self.read_log():
            if time.monotonic() > deadline or self.process.poll() is not None:
                raise RuntimeError(f"postfix did not start: {self.read_log()}")
            time.sleep(0.1)

    def flush(self) -> None:
        """Try the deferred mail again now (``postqueue -f``)."""
        subprocess.run([POSTQUEUE, "-c", str(self.conf), "-f"], check=True, capture_output=True)

    def stop(self) -> None:
        if self.process is None:
            return
        subprocess.run([POSTFIX, "-c", str(self.conf), "stop"], capture_output=True)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process = None

    def read_log(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace") if self.log.exists() else ""


def run_postfix(relay_to: int) -> Iterator[Postfix]:
    if os.geteuid() != 0:
        pytest.skip("Postfix's throwaway instance starts as root")
    if not Path(POSTFIX).exists():
        pytest.skip("Postfix is not installed")
    directory = Path(tempfile.mkdtemp(prefix="pqrs-postfix-"))
    directory.chmod(0o755)
    server = Postfix(directory, relay_to)
    try:
        server.start()
        yield server
    finally:
        server.stop()
        shutil.rmtree(directory, ignore_errors=True)
