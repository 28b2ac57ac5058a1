"""Supervisors and quality: distributing the unassigned cases of one's queues, and quality reviews of closed
cases."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("supervision", __name__)
