"""The demo organisation's retention table (TRD, Ley 594 de 2000; Acuerdo 004 de 2019 AGN): the series
its PQRSD case files are archived under, so that an exported case file names one."""

from __future__ import annotations

from pqrs_core import Pqrs
from pqrs_core.domain.retention import Disposition, RetentionRule

from .assignment import ADMIN

# kind -> (series code, series name, years in the office's archive, in the central archive, disposition)
DEMO_TRD = {
    "peticion": ("200.15.02", "PQRSD — Derechos de petición", 2, 8, Disposition.SELECT),
    "queja": ("200.15.03", "PQRSD — Quejas", 2, 8, Disposition.SELECT),
    "reclamo": ("200.15.04", "PQRSD — Reclamos", 2, 8, Disposition.SELECT),
    "sugerencia": ("200.15.05", "PQRSD — Sugerencias", 2, 3, Disposition.DESTROY),
    "denuncia": ("200.15.06", "PQRSD — Denuncias", 3, 17, Disposition.KEEP),
    "felicitacion": ("200.15.07", "PQRSD — Felicitaciones", 1, 2, Disposition.DESTROY),
}


def configure_demo_retention(pqrs: Pqrs) -> int:
    """Give the demo's kinds their retention rule; how many were set."""
    kinds = {k.code for k in pqrs.catalog().kinds}
    count = 0
    for kind, (code, series, management, central, disposition) in DEMO_TRD.items():
        if kind in kinds:
            pqrs.catalog_admin.set_retention("kind", kind, RetentionRule(
                trd_code=code, series=series, management_years=management, central_years=central,
                disposition=disposition), ADMIN)
            count += 1
    return count
