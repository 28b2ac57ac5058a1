"""People and machines: user accounts and API tokens (``users``), password hashing (``passwords``)
and people's web sessions kept on the server (``sessions``).

What the web pages, the API and the command line use is importable from here.
"""

from __future__ import annotations

from .passwords import AccountError, generate_password, hash_password, verify_password
from .users import (
    ApiToken,
    User,
    actor_for_token,
    authenticate,
    create_token,
    display_names,
    get_user,
    list_tokens,
    list_users,
    load_actor,
    revoke_token,
    save_user,
)

__all__ = ["AccountError", "ApiToken", "User", "actor_for_token", "authenticate", "create_token",
           "display_names", "generate_password", "get_user", "hash_password", "list_tokens", "list_users",
           "load_actor", "revoke_token", "save_user", "verify_password"]
