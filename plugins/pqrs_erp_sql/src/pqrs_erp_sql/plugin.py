"""The hook implementation of the ERP plugin (entry point ``erp_sql``)."""

from __future__ import annotations

from pqrs_core.hookspecs import Register, hookimpl

from .csv_source import CsvInvoiceSource
from .settings import ErpSettings
from .sql_source import SqlInvoiceSource


@hookimpl
def pqrs_invoice_sources(register: Register) -> None:
    """Register the ERP's database (``PQRS_ERP_SQL_URL``) and its CSV exports (``PQRS_ERP_CSV_DIR``),
    each when configured."""
    settings = ErpSettings.from_env()
    if settings.sql_url:
        register(SqlInvoiceSource(settings.sql_url, settings.mapping))
    if settings.csv_dir is not None:
        register(CsvInvoiceSource(settings.csv_dir, settings.mapping))
