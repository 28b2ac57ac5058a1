"""The board: a kanban of the visible cases by state category (todo / doing / waiting / done) with counts."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("board", __name__)
