"""Check that pqrs works installed from its wheel, away from the repository.

Builds the openpqrs wheel, installs it in a new virtualenv in a temporary directory (never the repository's
.venv), and there runs what a new installation runs: ``pqrs --version``, ``pqrs init``, a user and a token
made with ``pqrs user`` and ``pqrs token``, then ``pqrs serve`` on a free port. A petición filed over the
API must get the Colombian legal term (the ``legal_co`` plugin ships in the wheel, on by default), and
only the core's default term once the server runs with ``PQRS_DISABLE_PLUGINS=legal_co``.

    .venv/bin/python scripts/check_wheel.py [--keep]      # or: make wheel-check

Only PyPI is reached, and only by ``pip wheel``, for dependencies not yet in ``.venv/wheelhouse``, where
their wheels are kept for the next run; the new virtualenv installs from the wheels alone (``--no-index``).
Exits with status 1 and says what failed when a check does not hold.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import venv
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
WHEELHOUSE = ROOT / ".venv" / "wheelhouse"
DISTRIBUTION = "openpqrs"
PACKAGES = ("pqrs_core", "pqrs_adapters", "pqrs_legal_co")
DEFAULT_POLICY = "por_defecto"  # the core's catch-all term
PROJECT_FILES = ("pyproject.toml", "README.md", "LICENSE")  # what the build reads besides src/
STARTUP_SECONDS = 60
LEGAL_POLICY = "co_peticion_general"


class CheckFailed(Exception):
    pass


def step(message: str) -> None:
    print(f"== {message}", flush=True)


def run(args: list[str], *, cwd: Path, env: Mapping[str, str] | None = None) -> str:
    result = subprocess.run(args, cwd=cwd, env=None if env is None else dict(env), capture_output=True,
                            text=True, check=False, timeout=900)
    if result.returncode != 0:
        raise CheckFailed(f"{' '.join(args)} exited with {result.returncode}:\n"
                          f"{result.stdout}{result.stderr}")
    return result.stdout


def build_wheels(work: Path) -> Path:
    """The openpqrs wheel, built from a copy of the repository's sources into ``work/dist``, with its
    dependencies' wheels in the wheelhouse."""
    # setuptools builds in the source tree and reuses its build/ directory, where a module deleted from
    # src/ would survive into the wheel: a fresh copy is built instead.
    source = work / "source"
    source.mkdir()
    for name in PROJECT_FILES:
        shutil.copy2(ROOT / name, source / name)
    shutil.copytree(ROOT / "src", source / "src",
                    ignore=shutil.ignore_patterns("__pycache__", "*.egg-info", "*.pyc"))
    dist = work / "dist"
    step(f"building the {DISTRIBUTION} wheel")
    run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir", str(dist), str(source)],
        cwd=work)
    [wheel] = dist.glob(f"{DISTRIBUTION}-*.whl")
    print(f"   {wheel.name}")
    step(f"collecting the wheels of its dependencies in {WHEELHOUSE.relative_to(ROOT)}")
    WHEELHOUSE.mkdir(parents=True, exist_ok=True)
    run([sys.executable, "-m", "pip", "wheel", "--quiet", "--wheel-dir", str(WHEELHOUSE),
         "--find-links", str(WHEELHOUSE), str(wheel)], cwd=work)
    # pip copies the wheel it was given there too; a stale copy must never be installed instead of a new one.
    for copy in WHEELHOUSE.glob(f"{DISTRIBUTION}-*.whl"):
        copy.unlink()
    return wheel


def install(wheel: Path, work: Path) -> Path:
    """A new virtualenv in ``work/venv`` with the wheel installed from local wheels only; its bin/."""
    step("installing it in a new virtualenv outside the repository, without an index")
    env_dir = work / "venv"
    venv.EnvBuilder(with_pip=True, clear=True).create(env_dir)
    bin_dir = env_dir / "bin"
    run([str(bin_dir / "python"), "-m", "pip", "install", "--quiet", "--no-index", "--find-links",
         str(WHEELHOUSE), str(wheel)], cwd=work, env=clean_env(work))
    return bin_dir


def clean_env(work: Path, **extra: str) -> dict[str, str]:
    """The environment of a person who just installed pqrs: nothing of the repository, nothing of the
    caller's pqrs settings, the database and files under ``work``."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("PQRS_") and k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")}
    env.update({"PQRS_DATABASE_URL": f"sqlite:///{work / 'pqrs.sqlite3'}",
                "PQRS_FILES_DIR": str(work / "files")}, **extra)
    return env


def check_installed_files(bin_dir: Path, work: Path) -> None:
    step("the packages come from the new virtualenv, typed, with the licence")
    program = (
        "import importlib, importlib.metadata as m, json, pathlib\n"
        f"packages = {PACKAGES!r}\n"
        "paths = {p: str(pathlib.Path(importlib.import_module(p).__file__).parent) for p in packages}\n"
        f"dist = m.distribution({DISTRIBUTION!r})\n"
        "print(json.dumps({'paths': paths,"
        " 'typed': [p for p in packages if (pathlib.Path(paths[p]) / 'py.typed').is_file()],"
        " 'licence': [str(f) for f in dist.files or () if 'LICENSE' in f.name],"
        " 'plugins': sorted(e.name for e in dist.entry_points.select(group='pqrs'))}))\n")
    report = json.loads(run([str(bin_dir / "python"), "-c", program], cwd=work, env=clean_env(work)))
    site = bin_dir.parent.resolve()
    for package, path in report["paths"].items():
        if not Path(path).resolve().is_relative_to(site):
            raise CheckFailed(f"{package} is imported from {path}, not from the new virtualenv")
    missing = sorted(set(PACKAGES) - set(report["typed"]))
    if missing:
        raise CheckFailed(f"no py.typed in {', '.join(missing)}")
    if not report["licence"]:
        raise CheckFailed(f"the {DISTRIBUTION} distribution carries no LICENSE file")
    if "legal_co" not in report["plugins"]:
        raise CheckFailed(f"the {DISTRIBUTION} distribution declares no legal_co plugin: {report['plugins']}")
    print(f"   {', '.join(PACKAGES)} under {site}; plugins {report['plugins']}; {report['licence'][0]}")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def request(url: str, *, token: str | None = None, body: dict[str, Any] | None = None) -> tuple[int, Any]:
    headers = {"Accept": "application/json"}
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    data = None
    if body is not None:
        data = json.dumps(body).encode("utf-8")
        headers["Content-Type"] = "application/json"
    req = urllib.request.Request(url, data=data, headers=headers, method="POST" if body else "GET")
    try:
        with urllib.request.urlopen(req, timeout=30) as response:
            return int(response.status), json.loads(response.read() or b"null")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8", "replace")


@contextlib.contextmanager
def serving(bin_dir: Path, work: Path, env: Mapping[str, str]) -> Iterator[str]:
    """``pqrs serve`` on a free port, in its own process group, stopped at the end; yields its base URL."""
    port = free_port()
    log = (work / f"serve-{port}.log").open("w")
    process = subprocess.Popen([str(bin_dir / "pqrs"), "serve", "--host", "127.0.0.1", "--port", str(port),
                                "--workers", "1"], cwd=work, env=dict(env), stdout=log,
                               stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while True:
            if process.poll() is not None:
                raise CheckFailed(f"pqrs serve stopped:\n{Path(log.name).read_text()}")
            try:
                if request(f"{base}/health")[0] == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise CheckFailed(f"pqrs serve did not answer /health in {STARTUP_SECONDS} s")
            time.sleep(0.3)
        yield base
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        log.close()


def file_petition(base: str, token: str) -> dict[str, Any]:
    status, case = request(f"{base}/api/v1/cases", token=token, body={
        "kind": "peticion", "subject": "Certificado de afiliación",
        "description": "Solicito un certificado de afiliación para un trámite bancario."})
    if status != 201 or not isinstance(case, dict):
        raise CheckFailed(f"POST /api/v1/cases answered {status}: {case}")
    return case


def check_the_application(bin_dir: Path, work: Path, version: str) -> None:
    env = clean_env(work)
    pqrs = str(bin_dir / "pqrs")
    step("pqrs --version")
    version_line = run([pqrs, "--version"], cwd=work, env=env).strip()
    print(f"   {version_line}")
    if version_line != f"pqrs, versión {version}":
        raise CheckFailed(f"pqrs --version says «{version_line}», the wheel is {version}")

    step("pqrs init, a user and an API token")
    print(indent(run([pqrs, "init", "--admin-password", "clave-de-prueba-2026"], cwd=work, env=env)))
    run([pqrs, "user", "create", "robot", "--role", "agent", "--display-name", "Integración"],
        cwd=work, env=env)
    token = run([pqrs, "token", "create", "--user", "robot", "--name", "wheel-check"],
                cwd=work, env=env).strip().splitlines()[-1]

    step("pqrs serve, and a petición filed over the API gets its legal deadline")
    with serving(bin_dir, work, env) as base:
        case = file_petition(base, token)
    deadlines = case.get("deadlines") or {}
    print(f"   {case['filing_number']}: policy {deadlines.get('policy')}, term {deadlines.get('term')}, "
          f"due {deadlines.get('resolution_due')}")
    if deadlines.get("policy") != LEGAL_POLICY or not deadlines.get("resolution_due"):
        raise CheckFailed(f"the petición has no legal deadline: {json.dumps(case, ensure_ascii=False)}")

    step("with PQRS_DISABLE_PLUGINS=legal_co the same petición gets only the core's default term")
    with serving(bin_dir, work, clean_env(work, PQRS_DISABLE_PLUGINS="legal_co")) as base:
        case = file_petition(base, token)
    deadlines = case.get("deadlines") or {}
    print(f"   {case['filing_number']}: policy {deadlines.get('policy')}")
    if deadlines.get("policy") != DEFAULT_POLICY:
        raise CheckFailed(f"legal_co was disabled, yet: {case.get('deadlines')}")


def indent(text: str) -> str:
    return re.sub(r"(?m)^", "   ", text.rstrip())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory and print it")
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="pqrs-wheel-check-"))
    try:
        wheel = build_wheels(work)
        bin_dir = install(wheel, work)
        check_installed_files(bin_dir, work)
        # A wheel's name is <distribution>-<version>-<tags>.whl.
        check_the_application(bin_dir, work, wheel.name.split("-")[1])
    except CheckFailed as exc:
        print(f"wheel check FAILED: {exc}", file=sys.stderr)
        return 1
    finally:
        if args.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    print("wheel check passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
