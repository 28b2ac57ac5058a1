"""The customers' portal: their own cases, a new case, and replies to requests for information."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("portal", __name__)
