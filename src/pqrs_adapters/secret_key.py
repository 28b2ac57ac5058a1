"""The application's signing key: ``PQRS_SECRET_KEY``, or one kept in a file beside the local data.

Web sessions and the links sent by e-mail (the satisfaction survey) are signed with it, so the web
processes and the mail worker must read the same key: both call ``secret_key(config)``."""

from __future__ import annotations

import os
import secrets
import tempfile

from .config import Config


def secret_key(config: Config) -> str:
    """``config.secret_key``, or the key kept in ``var/secret_key`` (created on first use)."""
    return config.secret_key or persistent_secret(config)


def persistent_secret(config: Config) -> str:
    """Without ``PQRS_SECRET_KEY``, a key kept in a file beside the local data, so every worker process
    (and a restart) signs alike. Several hosts must share ``PQRS_SECRET_KEY`` instead."""
    path = config.files_dir.parent / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".secret_key.")
        with os.fdopen(fd, "w") as handle:  # mkstemp creates it readable by its owner only
            handle.write(secrets.token_hex(32))
        try:
            os.link(tmp, path)  # atomic: the first process to get here wins, the others read its key
        except FileExistsError:
            pass
        finally:
            os.unlink(tmp)
    return path.read_text().strip()
