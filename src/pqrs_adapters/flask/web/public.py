"""The public pages, without an account: the filing form and the lookup of a case by filing number and
document."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("public", __name__)
