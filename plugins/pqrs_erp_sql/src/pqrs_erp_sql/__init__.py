"""pqrs-erp-sql: the invoices of an ERP, read from its SQL database or from CSV exports of it.

- ``mapping.InvoiceMapping``: which tables (or files) and columns hold invoices and their lines;
- ``sql_source.SqlInvoiceSource``: reads them with SQLAlchemy from any database URL;
- ``csv_source.CsvInvoiceSource``: reads two CSV files, again whenever they change;
- ``settings.ErpSettings``: what the plugin reads from the environment (``PQRS_ERP_*``);
- ``plugin``: the ``pqrs_invoice_sources`` hook (entry point ``erp_sql``).

pqrs calls every source with a deadline and caches its answers (``PQRS_INVOICE_TIMEOUT_MS``,
``PQRS_INVOICE_CACHE_SECONDS``): a source here only has to read.
"""
