"""Filing a case received by phone, in person or on paper: the staff's new-case form."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("filing", __name__)
