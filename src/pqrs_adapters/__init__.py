"""Adapters of the ``pqrs_core`` ports (SQLAlchemy store, local file store) and the entry points."""
