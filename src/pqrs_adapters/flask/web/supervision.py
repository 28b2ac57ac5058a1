"""Supervisors and quality: distributing the unassigned cases of one's queues (``distribution.py``), and
quality reviews of closed cases (``quality.py``). One blueprint, ``supervision``, holds both pages."""

from __future__ import annotations

from flask import Blueprint

from . import distribution, quality

bp = Blueprint("supervision", __name__)
bp.add_url_rule("/distribucion", "distribution", distribution.distribution, methods=["GET"])
bp.add_url_rule("/distribucion", "distribute", distribution.distribute, methods=["POST"])
bp.add_url_rule("/calidad", "quality", quality.index, methods=["GET"])
bp.add_url_rule("/calidad/<filing_number>", "quality_review", quality.review, methods=["GET"])
bp.add_url_rule("/calidad/<filing_number>", "record_quality_review", quality.record, methods=["POST"])
