"""Adapters of the ``pqrs_core`` ports (SQLAlchemy store, local file store) and the entry points."""

DISTRIBUTION = "openpqrs"
"""The name pqrs is installed under (``pip install openpqrs``); ``pqrs`` on PyPI is an unrelated project."""
