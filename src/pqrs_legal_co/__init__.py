"""The Colombian legal terms for answering PQRS, as term policies with their sources.

It ships with openpqrs and is enabled by default, so a fresh installation gives every case of the kinds
below a legal deadline; disabling it (``PQRS_DISABLE_PLUGINS=legal_co``) deactivates the policies it
stored (cases already filed keep the deadline they were given). It is versioned with openpqrs.

* :mod:`pqrs_legal_co.catalog`: the kinds the built-in defaults lack (``consulta``,
  ``solicitud_documentos``, ``habeas_data_consulta``, ``habeas_data_reclamo``, ``tutela``) and the
  typification ``SERVICIOS_PUBLICOS`` (home public utilities, Ley 142 de 1994);
* :mod:`pqrs_legal_co.policies`: the term policies, with the table of terms and sources in its
  docstring (and in ``docs/legal-terms.md`` of the repository);
* :mod:`pqrs_legal_co.plugin`: the hooks.

The plugin registers itself through the ``pqrs`` entry-point group as ``legal_co``, exactly as a
third-party plugin would. Nothing here runs at import time.
"""

PLUGIN_NAME = "legal_co"
"""The entry-point name: what ``get_plugin_manager(disabled=[...])`` and ``PQRS_DISABLE_PLUGINS`` take."""
