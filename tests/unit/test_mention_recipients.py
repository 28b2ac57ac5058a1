"""An ``@name`` in a note reaches only people whose roles work on cases: a customer's user name typed
after an at sign never e-mails them the staff's words."""

from __future__ import annotations

from pathlib import Path

from pqrs_adapters.config import Config
from pqrs_adapters.mail.recipients import Address, Directory, StaffMember
from pqrs_adapters.mail.wiring import delivery_from_config
from pqrs_adapters.mail.worker import DeliveryOptions
from pqrs_core.defaults_data import default_roles
from pqrs_core.domain.catalog import Catalog

PEOPLE = Directory(staff=[
    StaffMember("juan.cliente", Address("juan@example.com"), frozenset({"requester"}), frozenset()),
    StaffMember("diana", Address("diana@example.com"), frozenset({"consultant"}), frozenset()),
    StaffMember("bruno", Address("bruno@example.com"), frozenset({"agent"}), frozenset({"primer_nivel"})),
])


def test_a_mention_of_a_customer_or_consultant_reaches_nobody_and_of_an_agent_reaches_them() -> None:
    staff = DeliveryOptions().staff_roles
    assert PEOPLE.resolve("user:juan.cliente", "c1", staff_roles=staff) == []
    assert PEOPLE.resolve("user:diana", "c1", staff_roles=staff) == []
    assert PEOPLE.resolve("user:bruno", "c1", staff_roles=staff) == [Address("bruno@example.com")]
    # Other notifications to a user (an assignment names the assignee) are not filtered.
    assert PEOPLE.resolve("user:juan.cliente", "c1") == [Address("juan@example.com")]


def test_the_worker_takes_the_roles_that_write_notes_from_the_catalog(tmp_path: Path) -> None:
    config = Config(database_url=f"sqlite:///{tmp_path / 'p.sqlite3'}", files_dir=tmp_path / "files")
    _mailer, options = delivery_from_config(config, Catalog(roles=tuple(default_roles())))
    assert options.staff_roles == {"agent", "back_office", "supervisor", "quality", "admin"}
