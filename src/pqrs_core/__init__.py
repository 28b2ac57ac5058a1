"""pqrs_core: the headless PQRS domain (cases, catalogs, workflows) and its use cases.

This package imports no web framework, ORM or serialisation-schema library; adapters live in
``pqrs_adapters``.
"""

__version__ = "0.1.0"
