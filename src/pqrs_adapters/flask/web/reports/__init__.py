"""The reports: each report's page (``/reportes/…``) and its figures in the API (``/api/v1/reports/…``),
with charts drawn on the server (``charts.py``), CSV and Excel exports (``exports.py``) and the filters
every report shares (``filters.py``)."""
