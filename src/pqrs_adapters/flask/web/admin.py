"""Administration: catalogs, typification tree, workflow state labels, users and roles, term policies."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("admin", __name__)
