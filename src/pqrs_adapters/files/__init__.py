"""File stores behind the core's ``FileStore`` port that live outside the database: the local folder
(``local``) a single host keeps attachments in."""

from __future__ import annotations

from .local import LocalFileStore

__all__ = ["LocalFileStore"]
