"""The public pages, without an account: the filing form (``public_filing.py``) and the lookup of a case
by filing number and document (``lookup.py``); their anti-abuse measures are in ``abuse.py``."""

from __future__ import annotations

from flask import Blueprint

from . import lookup, public_filing
from .uploads import exempt_from_global_csrf

bp = Blueprint("public", __name__)
bp.add_url_rule("/radicar", "file_case", public_filing.file_case, methods=["GET", "POST"])
bp.add_url_rule("/radicar/recibido", "filed", public_filing.filed, methods=["GET"])
bp.add_url_rule("/consultar", "lookup", lookup.lookup, methods=["GET", "POST"])
exempt_from_global_csrf(bp, public_filing.file_case)
