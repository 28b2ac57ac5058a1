"""``python -m pqrs_adapters.cli`` runs the ``pqrs`` command."""

from . import main

main()
