"""``pqrs import``: historical cases from a file into the SQL store (``bulk``), built in worker
processes when there are several (``parallel``). The SQL side, which writes the rows, is
``pqrs_adapters.sqlalchemy.importing``."""
