"""The application as a person meets it: ``pqrs init`` and ``pqrs demo`` on a real SQLite file, then
``pqrs serve`` (gunicorn, 2 workers) on a free port, stopped at the end."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping
from pathlib import Path

import attrs

STARTUP_SECONDS = 60
DEMO_PASSWORD = "demo-pqrs-2026"
SRC = str(Path(__file__).resolve().parents[2] / "src")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def pqrs_command(env: Mapping[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pqrs_adapters.cli", *args], env=dict(env),
                          capture_output=True, text=True, timeout=300, check=False)


def _status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return exc.code


def server_env(root: Path, extra: Mapping[str, str] | None = None) -> dict[str, str]:
    return {**os.environ, "PQRS_DATABASE_URL": f"sqlite:///{root / 'pqrs.sqlite3'}",
            "PQRS_FILES_DIR": str(root / "files"),
            "PYTHONPATH": SRC + os.pathsep + os.environ.get("PYTHONPATH", ""), **(extra or {})}


def workers_of(master: int) -> list[int]:
    """The process ids whose parent is ``master`` (gunicorn's workers)."""
    children = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                status = (entry / "status").read_text()
            except OSError:
                continue
            if re.search(rf"^PPid:\s+{master}$", status, re.M):
                children.append(int(entry.name))
    return children


@attrs.frozen
class Server:
    base: str  # http://127.0.0.1:<port>
    pid: int  # gunicorn's master process
    environ: Mapping[str, str]  # what the pqrs commands of this server run with


@contextlib.contextmanager
def serve_demo(root: Path, *, cases: int = 30, env: Mapping[str, str] | None = None,
               workers: int = 2) -> Iterator[str]:
    """Initialise a database under ``root`` with ``cases`` demo cases and serve it; yields the base URL."""
    with serve(root, cases=cases, env=env, workers=workers) as server:
        yield server.base


@contextlib.contextmanager
def serve(root: Path, *, cases: int = 30, env: Mapping[str, str] | None = None,
          workers: int = 2) -> Iterator[Server]:
    """``pqrs init`` (and ``pqrs demo`` when ``cases``) under ``root``, then ``pqrs serve``."""
    environ = server_env(root, env)
    steps: list[tuple[str, ...]] = [("init", "--admin-password", DEMO_PASSWORD)]
    if cases:
        steps.append(("demo", "--count", str(cases)))
    for step in steps:
        done = pqrs_command(environ, *step)
        assert done.returncode == 0, done.stdout + done.stderr
    port = free_port()
    log_path = root / "server.log"
    with log_path.open("w") as log:
        process = subprocess.Popen([sys.executable, "-m", "pqrs_adapters.cli", "serve", "--port", str(port),
                                    "--workers", str(workers)], env=environ, stdout=log,
                                   stderr=subprocess.STDOUT, start_new_session=True)
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + STARTUP_SECONDS
            while True:
                if process.poll() is not None:
                    raise AssertionError(f"pqrs serve exited with {process.returncode}:\n"
                                         f"{log_path.read_text()}")
                with contextlib.suppress(OSError):
                    if _status(f"{base}/health") == 200:
                        break
                if time.monotonic() > deadline:
                    raise AssertionError(f"pqrs serve did not answer in {STARTUP_SECONDS} s:\n"
                                         f"{log_path.read_text()}")
                time.sleep(0.2)
            yield Server(base, process.pid, environ)
        finally:
            process.send_signal(signal.SIGTERM)  # gunicorn's master stops its workers gracefully
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)
