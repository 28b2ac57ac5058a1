"""pqrs-commercial-workflows: the commercial special workflows of seed 003 (section 7.2.3.1).

Three case kinds, each with its own workflow:

* ``nota_credito`` — «Creación de notas / CREDIT NOTE»: accept or reject a credit or debit note;
  accepting requires an invoice reference (guard ``has_invoice_reference``);
* ``backorder`` — «Creación de pedidos backorder / CREATE BACKORDER»: accept or reject a backorder;
* ``credito`` — «Solicitud de crédito / ISSUE CREDIT WORKFLOW»: data review, missing data (the term
  pauses), credit decision, accepted or denied.

Plus the custom fields of a note (``motivo_nota`` — the «Motivos de notas» of seed 003 6.3.6 —,
``valor`` and ``numero_factura``) and a «Notas» typification category.

The plugin registers itself through the ``pqrs`` entry-point group as ``commercial``; the hooks live
in :mod:`pqrs_commercial.plugin`. Nothing here runs at import time.
"""

__version__ = "0.1.0"

PLUGIN_NAME = "commercial"
"""The entry-point name: what ``get_plugin_manager(disabled=[...])`` and ``PQRS_DISABLE_PLUGINS`` take."""
