"""pqrs-legal-co: the Colombian legal terms for answering PQRS, as term policies with their sources.

Installing the plugin gives every case of the kinds below a legal deadline; disabling or uninstalling
it deactivates the policies it stored (cases already filed keep the deadline they were given).

* :mod:`pqrs_legal_co.catalog`: the kinds the built-in defaults lack (``consulta``,
  ``solicitud_documentos``, ``habeas_data_consulta``, ``habeas_data_reclamo``, ``tutela``) and the
  typification ``SERVICIOS_PUBLICOS`` (home public utilities, Ley 142 de 1994);
* :mod:`pqrs_legal_co.policies`: the term policies, with the table of terms and sources in its
  docstring (and in ``docs/legal-terms.md`` of the repository);
* :mod:`pqrs_legal_co.plugin`: the hooks.

The plugin registers itself through the ``pqrs`` entry-point group as ``legal_co``. Nothing here
runs at import time.
"""

__version__ = "0.1.0"

PLUGIN_NAME = "legal_co"
"""The entry-point name: what ``get_plugin_manager(disabled=[...])`` and ``PQRS_DISABLE_PLUGINS`` take."""
