"""The public pages, without an account: the filing form (``public_filing.py``), the lookup of a case
by filing number and document (``lookup.py``) and the help articles (``help.py``); their anti-abuse
measures are in ``abuse.py``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint

from . import help, lookup, notices, public_filing, verification
from .case_form import filing_kinds
from .uploads import exempt_from_global_csrf

bp = Blueprint("public", __name__)
bp.add_url_rule("/radicar", "file_case", public_filing.file_case, methods=["GET", "POST"])
bp.add_url_rule("/radicar/recibido", "filed", public_filing.filed, methods=["GET"])
bp.add_url_rule("/consultar", "lookup", lookup.lookup, methods=["GET", "POST"])
bp.add_url_rule("/ayuda", "help", help.index, methods=["GET"])
bp.add_url_rule("/ayuda/sugerencias", "help_suggestions", help.suggestions, methods=["GET"])
bp.add_url_rule("/ayuda/<slug>", "help_article", help.article, methods=["GET"])
bp.add_url_rule("/ayuda/<slug>/util", "help_vote", help.vote, methods=["POST"])
bp.add_url_rule("/consultar/oficios/<token>", "lookup_letter", lookup.lookup_letter)
bp.add_url_rule("/verificar/<code>", "verify", verification.verify, methods=["GET", "POST"])
bp.add_url_rule("/avisos", "notices", notices.index, methods=["GET"])
exempt_from_global_csrf(bp, public_filing.file_case, verification.verify)


@bp.app_context_processor
def _public_globals() -> dict[str, Callable[..., Any]]:
    return {"public_kinds": filing_kinds}  # the front page explains the kinds one may file
