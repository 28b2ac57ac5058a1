"""What the plugin reads from the environment, once, when pqrs asks for its invoice sources:

- ``PQRS_ERP_SQL_URL``: SQLAlchemy URL of the ERP's database (read-only account);
- ``PQRS_ERP_CSV_DIR``: directory of the CSV exports (``facturas.csv`` and ``lineas_factura.csv`` by
  default); ``demo`` reads the demo data shipped with the plugin;
- ``PQRS_ERP_MAPPING``: a JSON file naming the tables/files and columns (``mapping.InvoiceMapping``).

Without ``PQRS_ERP_SQL_URL`` nor ``PQRS_ERP_CSV_DIR`` the plugin registers no source.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

import attrs

from .mapping import InvoiceMapping

DEMO_DIR = Path(__file__).parent / "demo"


@attrs.frozen
class ErpSettings:
    sql_url: str | None = None
    csv_dir: Path | None = None
    mapping: InvoiceMapping = InvoiceMapping()

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> ErpSettings:
        env = os.environ if environ is None else environ
        csv_dir = (env.get("PQRS_ERP_CSV_DIR") or "").strip()
        mapping_file = (env.get("PQRS_ERP_MAPPING") or "").strip()
        return cls(sql_url=(env.get("PQRS_ERP_SQL_URL") or "").strip() or None,
                   csv_dir=(DEMO_DIR if csv_dir == "demo" else Path(csv_dir)) if csv_dir else None,
                   mapping=InvoiceMapping.from_file(Path(mapping_file)) if mapping_file else InvoiceMapping())
