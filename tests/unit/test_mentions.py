"""``@usuario`` in a note tells that person (in the application and by e-mail)."""

from __future__ import annotations

from pqrs_core.domain.notifications import mentions


def test_mentions_are_user_names_after_an_at_sign() -> None:
    assert mentions("@bruno mira esto, y tú también @ana.agente.") == ["bruno", "ana.agente"]


def test_an_email_address_is_not_a_mention() -> None:
    assert mentions("Escríbale a marta@example.com o a @sofia") == ["sofia"]


def test_each_person_once() -> None:
    assert mentions("@ana @ana @ana") == ["ana"]
