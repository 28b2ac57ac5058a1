"""The ``pqrs`` command (``commands``) and its ``user`` and ``token`` groups (``accounts``), with what
they share (``support``). ``main`` is the console script ``pqrs``."""

from __future__ import annotations

from .commands import main

__all__ = ["main"]
