"""The Flask web application: ``create_app(config=None)`` builds it (nothing happens at import)."""

from .app import create_app

__all__ = ["create_app"]
