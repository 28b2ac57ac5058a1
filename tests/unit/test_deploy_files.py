"""The deployment files in ``deploy/`` say what the program accepts: every systemd unit runs a pqrs
command with options the CLI knows, and the example settings are settings pqrs reads."""

from __future__ import annotations

import configparser
import shlex
from pathlib import Path

import click
import pytest

from pqrs_adapters.cli import main
from pqrs_adapters.config import ENV_VARS, Config

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
UNITS = sorted((DEPLOY / "systemd").glob("*.service"))


def _unit(path: Path) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(path)
    return parser


def _pqrs_arguments(exec_start: str) -> list[str]:
    """The arguments given to ``pqrs`` in an ``ExecStart`` (also inside ``sh -c '...'``)."""
    words = shlex.split(exec_start)
    if words[0] == "/bin/sh":  # the shell puts the date in the name; here, any date
        script = words[-1].replace("exec ", "", 1).replace("$(date +%%Y%%m%%d-%%H%%M)", "20270101")
        words = shlex.split(script)
    assert words[0].endswith("/bin/pqrs"), exec_start
    return words[1:]


@pytest.mark.parametrize("unit", UNITS, ids=[u.name for u in UNITS])
def test_every_unit_runs_a_pqrs_command_the_cli_accepts(unit: Path) -> None:
    service = _unit(unit)["Service"]
    assert service["EnvironmentFile"] == "/etc/pqrs/pqrs.env" and service["User"] == "pqrs"
    arguments = _pqrs_arguments(service["ExecStart"])
    command = main.get_command(click.Context(main), arguments[0])
    assert command is not None, arguments
    command.make_context(arguments[0], arguments[1:])  # raises on an option the command does not know


def test_the_web_and_worker_units_stop_gracefully_and_restart_on_failure() -> None:
    for name in ("pqrs-web.service", "pqrs-worker.service"):
        service = _unit(DEPLOY / "systemd" / name)["Service"]
        assert service["KillSignal"] == "SIGTERM" and service["Restart"] == "on-failure", name
    timer = _unit(DEPLOY / "systemd" / "pqrs-backup.timer")["Timer"]
    assert timer["Persistent"] == "true"


def test_the_example_settings_are_read_as_they_are_written(tmp_path: Path) -> None:
    settings = dict(line.split("=", 1) for line in (DEPLOY / "pqrs.env.example").read_text().splitlines()
                    if line and not line.startswith("#"))
    assert set(settings) <= set(ENV_VARS)
    config = Config.from_env(settings, cwd=tmp_path)
    assert config.secure_cookies and config.log_format == "json" and config.clients.trusted_proxies
    assert str(config.files_dir) == "/var/lib/pqrs/files"
