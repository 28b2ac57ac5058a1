"""Who signs an official letter: the user's name and role (cargo) from the user directory."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Engine

from pqrs_core.domain.letters import Signer

from ..accounts.users import get_user


def signer_from_users(engine: Engine) -> Callable[[str], Signer]:
    """A lookup of the signer for a user name: their display name and job title; the user name alone
    for someone the directory does not know (an API client of a plugin)."""
    def signer(username: str) -> Signer:
        user = get_user(engine, username)
        if user is None:
            return Signer(name=username)
        return Signer(name=user.display_name, role=user.job_title or "")
    return signer
