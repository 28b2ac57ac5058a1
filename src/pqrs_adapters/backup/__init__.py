"""``pqrs backup`` and ``pqrs restore``: the whole store (database and attachments) in one archive.

An archive is a gzip-compressed tar file:

- ``manifest.json``: the format version, the pqrs version and database schema revisions it was made
  with, the kind of database, when, and how many cases and files it holds;
- the database: ``database.sqlite3`` (SQLite's online backup API: a consistent copy taken while the
  application keeps serving) or ``database.pgdump`` (``pg_dump --format=custom``: one consistent snapshot
  of a PostgreSQL database);
- ``files/``: the attachments of the local folder, as it keeps them (``ab/cd/<sha256>``). Attachments
  kept in the database (``PQRS_FILE_STORE=database``) are rows of ``stored_files`` and travel in the
  database's copy; the manifest counts them (``database_files``).

A restore puts the archive's ``files/`` in the configured store: the local folder, or the database
(after loading it), so an archive of a single host can start several.

The database is copied first and the attachments after it. A file is written to the store before the
transaction that records it commits, so every file the copied database names is already on disk when
the files are copied; files of cases filed during the backup may come along, and are harmless.

The archive is written under a temporary name and renamed when complete: a backup cut short leaves no
archive that looks whole. A restore refuses a non-empty database unless told to replace it, and brings
an older archive's schema up to this version's.
"""

from __future__ import annotations

from .archive import BackupError, BackupReport, RestoreReport, backup, restore

__all__ = ["BackupError", "BackupReport", "RestoreReport", "backup", "restore"]
